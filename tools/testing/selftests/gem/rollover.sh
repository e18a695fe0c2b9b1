#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Key rollover under a continuous stream loses nothing: while A sends,
# C installs the new receive key (id 2) beside the old one, A switches its
# transmit key to id 2, and C then retires id 1. Every datagram arrives,
# in order, byte-exact. Then a UDP GSO send crosses as separate sealed
# datagrams.
. "$(dirname "$0")/lib.sh"
require_gem

tmp_new
N=3000

a=$(ns_new a)
c=$(ns_new c)
veth_pair "$a" "$c"
hand_keys gak k1 k2
hand_group "$a" "$c"
must "a's address" ip -n "$a" addr add 192.0.2.1/24 dev gem0
must "c's address" ip -n "$c" addr add 192.0.2.2/24 dev gem0
must "tx id 1" gemctl_in "$a" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k1"
must "rx id 1" gemctl_in "$c" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k1"

ip netns exec "$c" $MC recv gem0 239.1.2.3 5000 $N 5 >"$tmp/got" 2>"$tmp/recv.err" &
rc=$!
wait_text ready "$tmp/recv.err"
ip netns exec "$a" $MC send gem0 239.1.2.3 5000 $N ROLL 0.001 >"$tmp/sent" &
sc=$!

# wait_for LINES: until C has received that many datagrams.
wait_for() {
	wait_lines "$tmp/got" "$1" 300 ||
		fail "C received only $(wc -l <"$tmp/got") datagrams, waiting for $1"
}
wait_for 300
must "rx id 2 beside id 1" gemctl_in "$c" rx gem0 set 192.0.2.1 239.1.2.3 id 2 key "$tmp/k2"
must "tx switches to id 2" gemctl_in "$a" tx gem0 set 192.0.2.1 239.1.2.3 id 2 key "$tmp/k2"
wait_for 900
must "retire rx id 1" gemctl_in "$c" rx gem0 del 192.0.2.1 239.1.2.3 id 1
wait $sc || fail "the sender failed"
wait $rc

got=$(wc -l <"$tmp/got")
per_key=$(gemctl_in "$c" -j rx gem0 show | jq -r '.[] | "id \(.key_id): \(.packets)"')
log "sent $N, received $got; key 2 carried $per_key"
cmp -s "$tmp/sent" "$tmp/got" || fail "lost or changed datagrams across the rollover: $got of $N arrived"
p2=$(gemctl_in "$c" -j rx gem0 show | jq '.[0].packets')
[ "$p2" -gt 0 ] && [ "$p2" -lt $N ] || fail "the switch did not happen mid-stream (key 2 carried $p2)"
equal "C's drops" "$(gemctl_in "$c" -j show gem0 | jq '.[0].stats | .rx_bad_tag + .rx_unknown_key + .rx_replay')" 0

# A UDP GSO send of 8 segments is segmented before sealing, not dropped.
ip netns exec "$c" $MC recv gem0 239.1.2.3 5000 8 5 >"$tmp/gso.got" 2>"$tmp/recv.err" &
rc=$!
wait_text ready "$tmp/recv.err"
ip netns exec "$a" $MC send-gso gem0 239.1.2.3 5000 8 1200 GSO >"$tmp/gso.sent" ||
	fail "the GSO send failed"
wait $rc
cmp -s "$tmp/gso.sent" "$tmp/gso.got" ||
	fail "GSO: $(wc -l <"$tmp/gso.got") of 8 segments arrived, or not byte-exact"
exit $KSFT_PASS
