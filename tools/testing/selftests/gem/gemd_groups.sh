#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gemd programs gem.ko: A's protected group comes from gemd.conf (the
# GAK's data-tag subkey, never the GAK); C's from `gemctl group ... gak`
# with the same GAK file. A stream sealed at A opens at C byte-exact, so
# both derived the same tag key. A bad reload changes nothing in the
# kernel; a good one with a new GAK changes the tag key and A's items; a
# device gemd cannot find is reported, not fatal.
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
pair_of a c
a=${ns[a]} c=${ns[c]}
gem0_up "$a" 192.0.2.1/24
gem0_up "$c" 192.0.2.2/24
domain_keys
(umask 077; "$GEMCTL" genkey >"$tmp/sek")

cat >"$tmp/gemd.conf" <<CONF
identity $tmp/identity
bootstrap-key $tmp/bk
socket $tmp/gemd.sock
device gem0 underlay eth1
device gem9 underlay eth9
babel-interface eth1 hello-interval 0.5
group 239.1.0.0/16 gak $tmp/gak tag cmac-aes
CONF
ip netns exec "$a" "$GEMD" -c "$tmp/gemd.conf" >"$tmp/gemd.log" 2>&1 &
gpid=$!
on_exit "kill $gpid"
for _ in $(seq 50); do grep -q "group keys installed" "$tmp/gemd.log" && break; sleep 0.1; done
grep -q "1 group keys installed in gem.ko" "$tmp/gemd.log" ||
	fail "gemd did not install the group: $(cat "$tmp/gemd.log")"
grep -q "device gem9: gem: no such device; its groups are not installed" "$tmp/gemd.log" ||
	fail "a missing device was not reported: $(cat "$tmp/gemd.log")"
equal "A's group, from gemd" \
	"$(gemctl_in "$a" -j group gem0 show | jq -r '.[] | .group + "/" + (.prefixlen|tostring) + " " + .tag')" \
	"239.1.0.0/16 cmac-aes"
grep -qF "$(cat "$tmp/gak")" "$tmp/gemd.log" && fail "the GAK appears in gemd's log"

must "C's group, by hand from the same GAK" \
	gemctl_in "$c" group gem0 set 239.1.0.0/16 gak "$tmp/gak" tag cmac-aes
must "tx at A" gemctl_in "$a" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
must "rx at C" gemctl_in "$c" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"

crossing() {	# crossing TAG: 10 datagrams from A reach C byte-exact
	mc_recv "$c" "$tmp/$1.got" 10 4
	local r=$mc_pid
	ip netns exec "$a" $MC send gem0 239.1.2.3 5000 10 "$1" >"$tmp/$1.sent"
	wait $r
	cmp -s "$tmp/$1.sent" "$tmp/$1.got" ||
		fail "$1: C received $(wc -l <"$tmp/$1.got") of 10, or not byte-exact"
}
crossing first
equal "bad tags at C" "$(gemctl_in "$c" -j show gem0 | jq '.[0].stats.rx_bad_tag')" 0

# A bad reload changes nothing in the kernel; the stream still crosses.
cp "$tmp/gemd.conf" "$tmp/good.conf"
sed -i 's/tag cmac-aes/tag md5/' "$tmp/gemd.conf"
kill -HUP $gpid
for _ in $(seq 30); do grep -q "reload refused" "$tmp/gemd.log" && break; sleep 0.1; done
grep -q "reload refused, the running configuration stays: $tmp/gemd.conf:7: tag:" \
	"$tmp/gemd.log" || fail "the bad reload was not refused: $(tail -n 2 "$tmp/gemd.log")"
crossing second

# A good reload with a new GAK for the group (the way a member is cut
# off): gem.ko's tag key follows, A's Subscription is made anew under the
# new GAK, and the stream crosses to C, which took the new GAK too. The
# Babel timer changed with it waits for a restart, and the log says so.
sub_seqno() {
	"$GEMCTL" -S "$tmp/gemd.sock" -j items | jq '.[] | select(.kind == "subscription") | .seqno'
}
before=$(sub_seqno)
[ -n "$before" ] || fail "A holds no Subscription of its own"
must "new gak" "$GEMCTL" gen gak "$tmp/gak2"
sed "s|gak $tmp/gak |gak $tmp/gak2 |; s|hello-interval 0.5|hello-interval 1|" "$tmp/good.conf" >"$tmp/gemd.conf"
kill -HUP $gpid
for _ in $(seq 30); do grep -q "reloaded $tmp/gemd.conf" "$tmp/gemd.log" && break; sleep 0.1; done
grep -q "reloaded $tmp/gemd.conf" "$tmp/gemd.log" || fail "the good reload was not taken: $(tail -n 2 "$tmp/gemd.log")"
grep -q "reload: babel-interface (and what else only a start reads) changed" "$tmp/gemd.log" ||
	fail "a start-only change was not reported: $(tail -n 3 "$tmp/gemd.log")"
[ "$(sub_seqno)" -gt "$before" ] || fail "A's Subscription was not made anew under the new GAK"
must "C's group, new GAK" gemctl_in "$c" group gem0 set 239.1.0.0/16 gak "$tmp/gak2" tag cmac-aes
crossing third
exit $KSFT_PASS
