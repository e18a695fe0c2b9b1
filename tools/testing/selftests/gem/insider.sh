#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a member of a group can do to a stream's replay window, bounded. X
# holds the group's keys, as every member does, and seals packets in A's
# stream's name: sent later than A's, they carry far higher packet
# numbers. Without a bound one such packet moves C's window past all of
# A's, and C drops A's stream until its next key. With a rate (packets a
# second, as gemd gives each stream) X's jump is dropped and counted, and
# A's stream goes on.
. "$(dirname "$0")/lib.sh"
require_gem

tmp_new
hand_keys gak sek
segment_of a c x
hand_group "${ns[a]}" "${ns[c]}" "${ns[x]}"
must "a's address" ip -n "${ns[a]}" addr add 192.0.2.1/24 dev gem0
must "x's address, a's" ip -n "${ns[x]}" addr add 192.0.2.1/24 dev gem0
must "a's tx" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
must "c's rx, 1000 packets a second" \
	gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek" rate 1000
sleep 2
must "x's tx, a's key" gemctl_in "${ns[x]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"

stat() { gemctl_in "${ns[c]}" -j show gem0 | jq ".[0].stats.$1"; }

# round NAME: A, X, A again; prints how many of A's 20 and X's 1 C's application got.
round() {
	local _ p
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 100 6 >"$tmp/$1" 2>"$tmp/$1.err" &
	p=$!
	wait_text ready "$tmp/$1.err"
	ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 10 "A-$1" 0.02 >/dev/null
	ip netns exec "${ns[x]}" $MC send gem0 239.1.2.3 5000 1 "X-$1" >/dev/null
	sleep 0.2
	ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 10 "A-$1" 0.02 >/dev/null
	mc_done $p
	wait $p
	echo "$(grep -c "^A-$1" "$tmp/$1") $(grep -c "^X-$1" "$tmp/$1")"
}

got=$(round bounded)
[ "$got" = "20 0" ] || fail "A's and X's datagrams at C, bounded: $got, not 20 0;" \
	"C: $(gemctl_in "${ns[c]}" -j show gem0 | jq -c .[0].stats)" \
	"$(gemctl_in "${ns[c]}" -j rx gem0 show) X: $(gemctl_in "${ns[x]}" -j tx gem0 show)" \
	"A: $(gemctl_in "${ns[a]}" -j tx gem0 show)"
equal "X's jump counted" "$(stat rx_pn_jump)" 1

# Without the bound: X's one packet, and A is dark.
must "c's rx, no bound" gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 \
	key "$tmp/sek" rate 0
equal "A's and X's datagrams at C, unbounded" "$(round unbounded)" "10 1"
[ "$(stat rx_replay)" -ge 10 ] || fail "C did not drop A's stream after X's jump: the bound proves nothing"
exit $KSFT_PASS
