#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GRO on the underlay merges a burst of sealed datagrams of one size into
# one packet before the receive hook sees it (UDP GRO forwarding on C's
# underlay, as a router or a NAPI driver does). Each datagram is taken out
# and checked on its own: all of them arrive, none counted malformed
# (before, the merged packet was dropped whole as malformed), with a
# packet socket on the underlay sharing the packets and without one.
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

# round NAME: 1000 sealed datagrams of 1000 bytes from A, in 25 UDP GSO
# sends of 40: gem0 takes each send's datagrams one by one with bottom
# halves off, so they reach C's veth queue together, as a NIC's burst
# would, and GRO merges them. C must open every one, byte-exact.
round() {
	ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 1000 10 >"$tmp/$1.got" 2>"$tmp/$1.err" &
	local rcv=$! i
	wait_text ready "$tmp/$1.err" || fail "$1: the receiver did not start"
	for i in $(seq 25); do
		ip netns exec "${ns[a]}" $MC send-gso gem0 239.1.2.3 5000 40 1000 "$1$i" ||
			fail "$1: sending failed"
	done >"$tmp/$1.sent"
	wait $rcv
	sort "$tmp/$1.sent" >"$tmp/$1.sent.s"
	sort "$tmp/$1.got" >"$tmp/$1.got.s"
	cmp -s "$tmp/$1.sent.s" "$tmp/$1.got.s" ||
		fail "$1: C got $(grep -c . "$tmp/$1.got") of 1000, or not byte-exact"
}

# A packet socket on C's underlay that reads late (not tcpdump, whose
# ring copies at once) holds a clone of every packet, sharing its pages:
# merged packets are split into copies there, so what it reads is still
# the ciphertext.
ip netns exec "${ns[c]}" $MC hold eth1 "$tmp/held.stop" shared >"$tmp/held" 2>"$tmp/held.err" &
holder=$!
wait_text ready "$tmp/held.err" || fail "the packet socket did not start"
round shared
touch "$tmp/held.stop"
wait $holder
read -r _ frames _ merged _ plain <"$tmp/held"
log "the packet socket on C's underlay: $frames frames, $merged GRO-merged, $plain with plaintext"
[ "$merged" -ge 1 ] || fail "GRO merged nothing here, so the test proves nothing"
equal "plaintext the packet socket read" "$plain" 0
equal "malformed at C" "$(gemctl_in "${ns[c]}" -j show gem0 | jq .[0].stats.rx_malformed)" 0
equal "datagrams C's gem0 opened" "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq .[0].packets)" 1000

# Without that socket, nothing shares them: each datagram is split off
# sharing the merged packet's pages and opened in place. tc's ingress,
# which runs after GRO and clones nothing, sees what GRO merged: a packet
# longer than the link's MTU.
must "clsact on C's underlay" ip netns exec "${ns[c]}" tc qdisc add dev eth1 clsact
must "a counter of merged packets" ip netns exec "${ns[c]}" tc filter add dev eth1 ingress \
	protocol ip prio 1 basic match 'meta(pkt_len gt 1500)' action pass
round alone
# tc counts a merged packet as the datagrams it holds.
seen=$(ip netns exec "${ns[c]}" tc -s filter show dev eth1 ingress |
	awk '/Sent/ { for (i = 1; i < NF; i++) if ($(i + 1) == "pkt") { print $i; exit } }')
log "datagrams arriving GRO-merged on C's underlay, unshared: ${seen:-0} of 1000"
[ "${seen:-0}" -gt 0 ] || fail "GRO merged nothing unshared, so the test proves nothing"
equal "malformed at C" "$(gemctl_in "${ns[c]}" -j show gem0 | jq .[0].stats.rx_malformed)" 0
equal "datagrams C's gem0 opened" "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq .[0].packets)" 2000
exit $KSFT_PASS
