#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Evicting a member: its group's GAK is changed on the others, and every
# stream key of the group is replaced at once, announced only under the
# new GAK. A sends a stream to C and E, all three on one GAK. The
# operator evicts E: A and C get a new GAK (SIGHUP), E keeps the old. E
# is the worst case, a member that passes the data tag anyway (here its
# gem.ko is given the new tag key by hand, as a modified kernel would
# skip the check): with the stream key it had, it would go on reading.
# A's new key, announced only under the new GAK, reaches C, which goes on
# receiving; E reads nothing A sent more than the rekey grace (2 s) after
# A's reload. (Before, A kept its key until the next rotation, an hour
# later by default, and announced it again under the new GAK.)
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
domain_keys gak2
segment_of a c e
for n in a c e; do
	cp "$tmp/gak" "$tmp/$n.gak"
done
gemd_member a 192.0.2.1/24 "group 239.1.0.0/16 gak $tmp/a.gak" "key-overlap 2"
gemd_member c 192.0.2.2/24 "group 239.1.0.0/16 gak $tmp/c.gak" "key-overlap 2"
gemd_member e 192.0.2.3/24 "group 239.1.0.0/16 gak $tmp/e.gak" "key-overlap 2"
gemd_neighbours a 2

mc_recv "${ns[c]}" "$tmp/c.got" 10000 8
mc_recv "${ns[e]}" "$tmp/e.got" 10000 8
# 10 datagrams a second for 40 s, numbered.
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 400 live 0.1 >"$tmp/sent" &
sender=$!
on_exit "kill $sender"
for _ in $(seq 150); do
	[ -s "$tmp/c.got" ] && [ -s "$tmp/e.got" ] && break
	sleep 0.2
done
[ -s "$tmp/e.got" ] || fail "E never received the stream"
sleep 2
old_id=$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].key_id')

# E passes the data tag whatever its GAK (the worst case).
must "E's tag key, by hand" gemctl_in "${ns[e]}" group gem0 set 239.1.0.0/16 gak "$tmp/gak2"
# The eviction: C, then A, take the new GAK.
cp "$tmp/gak2" "$tmp/c.gak"
cp "$tmp/gak2" "$tmp/a.gak"
kill -HUP "${gemd_pid[c]}"
sleep 0.5
at=$(grep -c . "$tmp/sent")
kill -HUP "${gemd_pid[a]}"
log "A took the new GAK at datagram $at"
for _ in $(seq 100); do
	[ "$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].key_id')" != "$old_id" ] && break
	sleep 0.1
done
new_id=$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].key_id')
[ "$new_id" != "$old_id" ] || fail "A still sends with key $old_id after the new GAK"
switched=$(grep -c . "$tmp/sent")
log "A sends with key $new_id from datagram $switched"
sleep 8
kill $sender 2>/dev/null
wait $sender 2>/dev/null
total=$(grep -c . "$tmp/sent")
sleep 9

last() { sed -n 's/^live \([0-9]*\) .*/\1/p' "$1" | sort -n | tail -1 | sed 's/^0*//'; }
log "E's last datagram: $(last "$tmp/e.got"), C's: $(last "$tmp/c.got"), of $total"
# 2 s of grace at 10 a second, and one of slack for emulation's pace.
[ "${lastE:=$(last "$tmp/e.got")}" -le $((at + 30)) ] ||
	fail "E read datagram $lastE, more than the grace after A took the new GAK ($at)"
[ "$(last "$tmp/c.got")" -ge $((total - 5)) ] ||
	fail "C, with the new GAK, stopped at $(last "$tmp/c.got") of $total"
equal "E's keys for the stream now" \
	"$(gemctl_in "${ns[e]}" -j rx gem0 show | jq -c "[.[] | .key_id] | index($new_id)")" null
# A's announcement names the new key only.
equal "key ids A announces" "$("$GEMCTL" -S "$tmp/a.sock" -j items |
	jq -c '[.[] | select(.kind == "sek-announce") | .key_ids] | .[0]')" "[$new_id]"
exit $KSFT_PASS
