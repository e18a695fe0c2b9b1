#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GRO on the underlay merges a burst of sealed datagrams of one size into
# one packet before the receive hook sees it (UDP GRO forwarding on C's
# underlay, as a router or a NAPI driver does). Each datagram is taken out
# and checked on its own: all of them arrive, none counted malformed
# (before, the merged packet was dropped whole as malformed).
. "$(dirname "$0")/lib.sh"
require_gem
command -v ethtool >/dev/null || skip "ethtool is not installed (scripts/install-deps installs it)"

MC="/usr/bin/python3 $GEM_TOP/tools/testing/selftests/gem/mcast.py"
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
hand_keys gak sek
declare -A ns
for n in a c; do
	ns[$n]=$(ns_new "$n")
done
must "a-c link" ip -n "${ns[a]}" link add eth1 type veth peer name eth1 netns "${ns[c]}"
for n in a c; do
	must "eth1 up $n" ip -n "${ns[$n]}" link set eth1 up
	gem0_up "${ns[$n]}"
	must "group $n" gemctl_in "${ns[$n]}" group gem0 set 239.1.0.0/16 key "$tmp/gak"
done
must "a's address" ip -n "${ns[a]}" addr add 192.0.2.1/24 dev gem0
must "tx" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
must "rx" gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
# veth runs NAPI, and so GRO, when GRO is switched on while it is up.
must "GRO off on C's underlay" ip netns exec "${ns[c]}" ethtool -K eth1 gro off
must "GRO on C's underlay" ip netns exec "${ns[c]}" ethtool -K eth1 gro on rx-udp-gro-forwarding on

capture "${ns[c]}" eth1 "$tmp/wire.pcap" 'udp port 5000'
ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 2000 6 >"$tmp/got" 2>"$tmp/got.err" &
rcv=$!
for _ in $(seq 50); do grep -q ready "$tmp/got.err" && break; sleep 0.1; done
sleep 1
for i in 1 2 3 4 5; do
	ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 200 1000 "burst$i"
done >"$tmp/sent"
wait $rcv
capture_stop "$tmp/wire.pcap"
merged=$(tcpdump -nn -r "$tmp/wire.pcap" 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "length") l = $(i + 1) } l + 0 > 1500 { n++ } END { print n + 0 }')
log "packets GRO merged on C's underlay: $merged"
[ "$merged" -ge 1 ] || skip "GRO merged nothing here, so the test proves nothing"
equal "malformed at C" "$(gemctl_in "${ns[c]}" -j show gem0 | jq .[0].stats.rx_malformed)" 0
equal "datagrams C's gem0 opened" "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq .[0].packets)" 1000
sort "$tmp/sent" >"$tmp/sent.s"
sort "$tmp/got" >"$tmp/got.s"
cmp -s "$tmp/sent.s" "$tmp/got.s" || fail "C got $(grep -c . "$tmp/got") of 1000, or not byte-exact"
exit $KSFT_PASS
