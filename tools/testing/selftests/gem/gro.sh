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

tmp_new
hand_keys gak sek
declare -A ns
ns[a]=$(ns_new a)
ns[c]=$(ns_new c)
veth_pair "${ns[a]}" "${ns[c]}"
hand_group "${ns[a]}" "${ns[c]}"
hand_stream "${ns[a]}" "${ns[c]}"
# veth runs NAPI, and so GRO, when GRO is switched on while it is up.
must "GRO off on C's underlay" ip netns exec "${ns[c]}" ethtool -K eth1 gro off
must "GRO on C's underlay" ip netns exec "${ns[c]}" ethtool -K eth1 gro on rx-udp-gro-forwarding on

capture "${ns[c]}" eth1 "$tmp/wire.pcap" 'udp port 5000'
ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 2000 6 >"$tmp/got" 2>"$tmp/got.err" &
rcv=$!
wait_text ready "$tmp/got.err"
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
