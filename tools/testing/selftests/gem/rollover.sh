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

MC="/usr/bin/python3 $GEM_TOP/tools/testing/selftests/gem/mcast.py"
tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
N=3000

a=$(ns_new a)
c=$(ns_new c)
must "link" ip -n "$a" link add eth1 type veth peer name eth1 netns "$c"
i=0
for n in "$a" "$c"; do
	i=$((i + 1))
	must "eth1 up" ip -n "$n" link set eth1 up
	must "gem0" ip -n "$n" link add gem0 link eth1 type gem
	must "gem0 up" ip -n "$n" link set gem0 up
	must "address" ip -n "$n" addr add "192.0.2.$i/24" dev gem0
done
(umask 077; for k in gak k1 k2; do "$GEMCTL" genkey >"$tmp/$k"; done)
for n in "$a" "$c"; do
	must "group" gemctl_in "$n" group gem0 set 239.1.0.0/16 key "$tmp/gak"
done
must "tx id 1" gemctl_in "$a" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k1"
must "rx id 1" gemctl_in "$c" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k1"

ip netns exec "$c" $MC recv gem0 239.1.2.3 5000 $N 5 >"$tmp/got" 2>"$tmp/recv.err" &
rc=$!
for _ in $(seq 50); do grep -q ready "$tmp/recv.err" && break; sleep 0.1; done
ip netns exec "$a" $MC send gem0 239.1.2.3 5000 $N ROLL 0.001 >"$tmp/sent" &
sc=$!

# wait_for LINES: until C has received that many datagrams.
wait_for() {
	for _ in $(seq 300); do
		[ "$(wc -l <"$tmp/got")" -ge "$1" ] && return 0
		sleep 0.1
	done
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
for _ in $(seq 50); do grep -q ready "$tmp/recv.err" && break; sleep 0.1; done
ip netns exec "$a" $MC send-gso gem0 239.1.2.3 5000 8 1200 GSO >"$tmp/gso.sent" ||
	fail "the GSO send failed"
wait $rc
cmp -s "$tmp/gso.sent" "$tmp/gso.got" ||
	fail "GSO: $(wc -l <"$tmp/gso.got") of 8 segments arrived, or not byte-exact"
exit $KSFT_PASS
