#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gem.ko reloaded under a running gemd: gemd notices the family come back,
# makes its gem devices again, installs their groups and the receive keys
# it holds, and the next stream is keyed anew with the next key id, so a
# receiver replaces nothing it still uses. A stream crosses before and
# after, byte-exact. gemd made both gem devices itself. C's key comes back
# with the floor gemd read from gem.ko before the reload, so X's replay of
# what crossed before is taken no more than it was before the reload
# (without the floor the key's window would start afresh and take it all).
#
# Runs alone: it reloads gem.ko.
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
# Whatever happens here, the tests after this one get their module back.
on_exit "lsmod | grep -q '^gem ' || insmod $GEM_KO"
domain_keys
segment_of a c x
a=${ns[a]} c=${ns[c]} x=${ns[x]}
for n in a c; do
	gemd_member "$n" - "group 239.1.0.0/16 gak $tmp/gak"
done

# gem0_ready NS: gemd has made gem0 and installed its group.
gem0_ready() {
	for _ in $(seq 100); do
		[ "$(gemctl_in "$1" -j group gem0 show 2>/dev/null | jq length)" = 1 ] && return 0
		sleep 0.1
	done
	fail "no gem0 with its group in $1"
}
# diagnose: what both gemds say, for a failure's report.
diagnose() {
	for n in a c; do
		echo "--- $n: gemd log, neighbours, items, status, tx, rx" >&2
		cat "$tmp/$n.log" >&2
		"$GEMCTL" -S "$tmp/$n.sock" neighbours >&2
		"$GEMCTL" -S "$tmp/$n.sock" items >&2
		"$GEMCTL" -S "$tmp/$n.sock" status >&2
		gemctl_in "${!n}" tx gem0 show >&2
		gemctl_in "${!n}" rx gem0 show >&2
		ip netns exec "${!n}" cat /proc/net/xfrm_stat | grep -v " 0$" >&2
		ip -n "${!n}" -s link show eth1 >&2
	done
}
# c_has_a_key: C holds the key id A sends with.
c_has_a_key() {
	local id

	id=$(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id // empty')
	[ -n "$id" ] && gemctl_in "$c" -j rx gem0 show |
		jq -e --argjson id "$id" 'any(.[]; .key_id == $id)' >/dev/null
}
# stream TAG: A's first packet makes a key, C holds it, then 20 datagrams cross.
stream() {
	local deadline=$(($(date +%s) + 20))

	must "A's address" ip -n "$a" addr add 192.0.2.1/24 dev gem0
	mc_recv "$c" "$tmp/$1.got" 20 40
	local rc=$mc_pid
	ip netns exec "$a" $MC send gem0 239.1.2.3 5000 1 warmup >/dev/null
	until c_has_a_key; do
		if [ "$(date +%s)" -ge "$deadline" ]; then
			diagnose
			fail "$1: A's stream key did not reach C within 20 s"
		fi
		sleep 0.2
	done
	ip netns exec "$a" $MC send gem0 239.1.2.3 5000 20 "$1" 0.05 >"$tmp/$1.sent"
	wait $rc
	cmp -s "$tmp/$1.sent" "$tmp/$1.got" && return
	diagnose
	fail "$1: C received $(wc -l <"$tmp/$1.got") of 20 datagrams, or not byte-exact"
}

gem0_ready "$a"
gem0_ready "$c"
capture "$sw" pc "$tmp/before.pcap" 'udp port 5000'
stream before
equal "A's key id before" "$(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id')" 1
capture_stop "$tmp/before.pcap" 20
sleep 2	# gemd reads each receive key's newest packet number every second

must "rmmod" timeout 30 rmmod gem
must "insmod" insmod "$GEM_KO"
gem0_ready "$a"
gem0_ready "$c"
for n in a c; do
	grep -q "gem.ko went away, or was reloaded" "$tmp/$n.log" ||
		fail "$n's gemd did not notice the reload: $(cat "$tmp/$n.log")"
done
# C's receive key is back from what gemd holds, before any new packet.
for _ in $(seq 50); do
	[ "$(gemctl_in "$c" -j rx gem0 show | jq length)" = 1 ] && break
	sleep 0.1
done
equal "C's receive key ids after the reload" "$(gemctl_in "$c" -j rx gem0 show | jq -r '.[].key_id')" 1
[ "$(gemctl_in "$c" -j rx gem0 show | jq '.[0].pn')" -gt 0 ] ||
	fail "C's key came back without a floor: $(gemctl_in "$c" -j rx gem0 show)"
n=$(replay_to "$c" "$tmp/replayed" 100 6 "$x" "$tmp/before.pcap")
log "X replayed the $n packets that crossed before the reload"
[ "$n" -ge 20 ] || fail "the capture holds $n packets"
equal "replayed packets C took after the reload" "$(grep -c . "$tmp/replayed")" 0
stream after
equal "A's key id after" "$(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id')" 2
exit $KSFT_PASS
