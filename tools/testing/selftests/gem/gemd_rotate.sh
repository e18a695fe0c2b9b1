#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stream keys rotate under traffic, and gemd restarts, without losing a
# packet. A sends a continuous stream to C; gemd rotates A's key every
# 1000 packets (announcing the next key a 1 s overlap before switching),
# and C retires old ids. Midway A's gemd, then C's, are restarted: each
# adopts what gem.ko holds (A rotates at once, since it cannot know the
# running key), and later both reload their configuration (SIGHUP).
# Every datagram arrives, in order, byte-exact, with no drop counted.
# Then C is restarted as a node would be after a reboot, its gem device
# and keys gone: gemd makes gem0 again and C receives within 5 s; and
# again in the middle of a rotation's overlap, which a reload of A's
# configuration makes 30 s long.
. "$(dirname "$0")/lib.sh"
require_gemd
N=4000

tmp_new
pair_of a c
a=${ns[a]} c=${ns[c]}
# A's gem0 is made by hand (gemd adopts it); C's is made by gemd.
gem0_up "$a" 192.0.2.1/24
domain_keys
for n in a c; do
	gemd_conf "$n" "group 239.1.0.0/16 gak $tmp/gak" "rotate-interval 60" "rotate-packets 1000" \
		"key-overlap 1" "item-lifetime 10"
done
for n in a c; do
	wait_linklocal "${!n}" eth1
done

declare -A pid
start_gemd() {
	ip netns exec "${!1}" "$GEMD" -c "$tmp/$1.conf" >>"$tmp/$1.log" 2>&1 &
	pid[$1]=$!
	on_exit "kill ${pid[$1]} 2>/dev/null"
}
stop_gemd() {
	kill "${pid[$1]}"
	wait "${pid[$1]}" 2>/dev/null
}
st() { "$GEMCTL" -S "$tmp/$1.sock" -j "${3:-status}" | jq -r "$2"; }
start_gemd a
start_gemd c
for _ in $(seq 100); do
	ip -n "$c" link show gem0 >/dev/null 2>&1 && [ -S "$tmp/c.sock" ] && break
	sleep 0.1
done
ip -n "$c" -d link show gem0 | grep -q "gem " || fail "C's gemd did not make gem0: $(cat "$tmp/c.log")"
grep -q "created gem0 over eth1" "$tmp/c.log" || fail "C's gemd did not say it made gem0"
grep -q "created gem0" "$tmp/a.log" && fail "A's gemd made a gem0 that was there already"

mc_recv "$c" "$tmp/got" $N 10
rc=$mc_pid
# The first packet asks for a key; C must hold it before the stream is measured.
ip netns exec "$a" $MC send gem0 239.1.2.3 5000 1 warmup >/dev/null
for _ in $(seq 100); do
	[ "$(gemctl_in "$c" -j rx gem0 show | jq length)" -ge 1 ] && break
	sleep 0.1
done
equal "C's receive keys before the stream" "$(gemctl_in "$c" -j rx gem0 show | jq -r '.[].key_id')" 1

ip netns exec "$a" $MC send gem0 239.1.2.3 5000 $N ROT 0.002 >"$tmp/sent" &
sc=$!
on_exit "kill $sc 2>/dev/null"
# wait_for LINES: until C has received that many datagrams of the stream.
wait_for() {
	wait_lines "$tmp/got" "$1" 600 '^ROT ' ||
		fail "C received only $(grep -c '^ROT ' "$tmp/got") datagrams, waiting for $1"
}
wait_for 1500
log "restarting A's gemd under traffic (key id $(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id'))"
stop_gemd a
start_gemd a
wait_for 2500
log "restarting C's gemd under traffic"
stop_gemd c
start_gemd c
wait_for 3200
# A reload (SIGHUP) of both, mid-stream, drops nothing either.
kill -HUP "${pid[a]}" "${pid[c]}"
wait $sc || fail "the sender failed"
wait $rc

grep '^ROT ' "$tmp/got" >"$tmp/got.rot"
got=$(wc -l <"$tmp/got.rot")
last=$(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id')
log "sent $N, received $got; A now sends with key id $last"
# Where a datagram went, should one be missing: gem.ko's drops, or the
# receiving socket's buffer (TCG makes bursts).
drops() {
	echo "gem0: $(gemctl_in "$c" -j show gem0 | jq -c '.[0].stats | {rx_bad_tag, rx_unknown_key, rx_replay}')," \
		"UDP: $(ip netns exec "$c" awk '/^Udp: [0-9]/ { print "RcvbufErrors " $6 }' /proc/net/snmp)"
}
cmp -s "$tmp/sent" "$tmp/got.rot" || fail "lost or changed datagrams: $got of $N arrived ($(drops))"
equal "C's drops" "$(gemctl_in "$c" -j show gem0 | jq '.[0].stats | .rx_bad_tag + .rx_unknown_key + .rx_replay')" 0
# 4000 packets at 1000 a key (each switch comes 1-2 s after the 1000th),
# and a rotation on A's restart: id 4 or more.
[ "$last" -ge 4 ] || fail "A sends with key id $last after $N packets: too few rotations"
grep -q "adopted\|announced the next stream key" "$tmp/a.log" || fail "A's gemd did not rotate"
[ "$(st a .keys_adopted)" -ge 1 ] || fail "A's restarted gemd did not adopt the running stream"
[ "$(st c .keys_adopted)" -ge 1 ] || fail "C's restarted gemd did not adopt its receive keys"
for n in a c; do
	grep -q "reloaded $tmp/$n.conf" "$tmp/$n.log" || fail "$n's gemd did not reload"
done

# Old ids retire two overlaps after the new one: C ends with one key.
for _ in $(seq 60); do
	[ "$(gemctl_in "$c" -j rx gem0 show | jq length)" = 1 ] && break
	sleep 0.1
done
equal "C's receive key ids once the old ones retired" \
	"$(gemctl_in "$c" -j rx gem0 show | jq -r '.[].key_id')" "$last"
grep -q "retired a receive key" "$tmp/c.log" || fail "C never retired a receive key"
equal "what C's gemd says it keeps" "$(st c '.[] | select(.dir == "rx") | .key_id' streams)" "$last"

# C as after a reboot: gemd stopped, gem0 and its keys gone. Started
# again, it makes gem0 and has the key from A within 5 s.
# c_rebooted: C's gemd stopped, gem0 gone, gemd started; $ms until a LIVE datagram.
c_rebooted() {
	local t0

	stop_gemd c
	must "C's gem0 gone" ip -n "$c" link del gem0
	t0=$(date +%s%N)
	start_gemd c
	for _ in $(seq 100); do ip -n "$c" link show gem0 >/dev/null 2>&1 && break; sleep 0.05; done
	ip netns exec "$c" $MC recv gem0 239.1.2.3 5000 1 10 >"$tmp/live" 2>/dev/null
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	grep -q "^LIVE " "$tmp/live" || fail "$1: C received nothing in 10 s"
}
# 500 a second: A rotates (1000 packets) every 2-3 s from here on.
ip netns exec "$a" $MC send gem0 239.1.2.3 5000 200000 LIVE 0.002 >/dev/null &
on_exit "kill $! 2>/dev/null"
c_rebooted "restarted"
log "a restarted C (gem0 and keys gone) received again ${ms} ms after gemd started"
[ "$ms" -le 5000 ] || fail "restarted C took ${ms} ms to receive again, more than 5 s"

# The same during a rotation's overlap. A's configuration, reloaded
# (SIGHUP), announces the next key 30 s before sending with it. The
# announcement names both keys, so C, restarted with nothing, reads the
# key still sent with at once, not 30 s later.
sed -i 's/^key-overlap .*/key-overlap 30/' "$tmp/a.conf"
kill -HUP "${pid[a]}"
for _ in $(seq 200); do
	grep -q "switching in 30000 ms" "$tmp/a.log" && break
	sleep 0.1
done
next=$(st a '.[] | select(.dir == "tx") | .next_key_id // empty' streams)
[ -n "$next" ] && grep -q "switching in 30000 ms" "$tmp/a.log" ||
	fail "A's reloaded gemd began no 30 s overlap: $(tail -5 "$tmp/a.log")"
cur=$(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id')
equal "key ids A's announcement names (next, current)" \
	"$("$GEMCTL" -S "$tmp/a.sock" -j items | jq -c '[.[] | select(.kind == "sek-announce") | .key_ids[]]')" \
	"[$next,$cur]"
c_rebooted "restarted in an overlap"
equal "the key A sends with, C restarted mid-overlap" \
	"$(gemctl_in "$a" -j tx gem0 show | jq '.[0].key_id')" "$cur"
log "C restarted during an overlap (keys $next, $cur announced) received again ${ms} ms after gemd started"
[ "$ms" -le 5000 ] || fail "C restarted in an overlap took ${ms} ms to receive again"
exit $KSFT_PASS
