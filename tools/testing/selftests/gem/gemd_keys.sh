#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Keys distribute themselves. Three nodes on one segment run gemd; A and
# C hold the group's GAK, B another. A's application sends to a protected
# group with no key configured anywhere: gem.ko asks A's gemd, which
# makes a stream key, installs it for sending and announces it over Babel.
# C installs it for receiving and gets the stream byte-exact. B relays the
# announcement but can neither read it nor use it: no key, only drops.
# Items live 10 s, so A must renew its announcement while the test runs.
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
domain_keys other
segment_of a b c
gemd_member a 192.0.2.1/24 "group 239.1.0.0/16 gak $tmp/gak" "item-lifetime 10"
gemd_member b 192.0.2.2/24 "group 239.1.0.0/16 gak $tmp/other" "item-lifetime 10"
gemd_member c 192.0.2.3/24 "group 239.1.0.0/16 gak $tmp/gak" "item-lifetime 10"
for n in a b c; do
	gemd_neighbours "$n" 2
done
# Events as they happen: A's and B's as text, C's as JSON.
for n in a b c; do
	fmt=
	[ "$n" = c ] && fmt=-j
	"$GEMCTL" -S "$tmp/$n.sock" $fmt events >"$tmp/$n.events" 2>&1 &
	on_exit "kill $!"
done
equal "stream keys configured by hand" \
	"$(for n in a b c; do gemctl_in "${ns[$n]}" -j rx gem0 show | jq length; done | sort -u)" 0

mc_recv "${ns[c]}" "$tmp/c.got" 1000 15
mc_recv "${ns[b]}" "$tmp/b.got" 1000 15

# The first packet asks for a key; the stream flows once C has it.
start=$(date +%s%N)
stream_keyed "${ns[a]}" "${ns[c]}"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
equal "C's receive keys" "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq -r '.[] | .source + " " + .group')" \
	"192.0.2.1 239.1.2.3"
equal "A's transmit keys" "$(gemctl_in "${ns[a]}" -j tx gem0 show | jq -r '.[] | .source + " " + .group')" \
	"192.0.2.1 239.1.2.3"
log "a new stream's key was installed at C ${ms} ms after its first packet (hello 0.5 s)"

ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 20 measured 0.05 >"$tmp/sent"
sleep 1
grep " measured \| measured" "$tmp/c.got" >/dev/null
grep "^measured " "$tmp/c.got" >"$tmp/c.measured"
cmp -s "$tmp/sent" "$tmp/c.measured" ||
	fail "C received $(wc -l <"$tmp/c.measured") of 20 datagrams, or not byte-exact"
equal "B's receive keys" "$(gemctl_in "${ns[b]}" -j rx gem0 show | jq length)" 0
[ -s "$tmp/b.got" ] && fail "B, without the GAK, received something"
bad=$(gemctl_in "${ns[b]}" -j show gem0 | jq '.[0].stats.rx_bad_tag')
[ "$bad" -ge 20 ] || fail "B counted $bad bad tags, not 20 or more"
log "B, with another GAK: no key installed, $bad bad tags counted"
# What gemd says of it: A made one key, C installed one (renewals do not
# reinstall it, which would reset its replay window), B none. A and C hold
# the three Public Keys, A's announcement and Source Active, and their two
# Subscriptions; B, whose GAK for the prefix is another, refuses all of
# those on their MAC, and they refuse B's Subscription: B holds the keys
# and its own Subscription.
cs() { "$GEMCTL" -S "$tmp/$1.sock" -j status | jq -r "$2"; }
kinds() {
	"$GEMCTL" -S "$tmp/$1.sock" -j items |
		jq -r 'group_by(.kind) | map("\(.[0].kind) \(length)") | join(", ")'
}
equal "keys made, installed (A, B, C)" \
	"$(cs a .keys_made) $(cs b .keys_installed) $(cs c .keys_installed)" "1 0 1"
for n in a c; do
	equal "items $n holds" "$(kinds $n)" \
		"public-key 3, sek-announce 1, source-active 1, subscription 2"
done
equal "items B holds" "$(kinds b)" "public-key 3, subscription 1"
equal "C's Source Active" "$("$GEMCTL" -S "$tmp/c.sock" -j items |
	jq -r '.[] | select(.kind == "source-active") | .source + " " + .group')" "192.0.2.1 239.1.2.3"
equal "items refused at C on their signature" "$(cs c .refused_signature)" 0
[ "$(cs b .refused_mac)" -ge 1 ] || fail "B did not refuse the announcement's MAC"
grep -q "made and announced a stream key" "$tmp/a.log" || fail "A made no key: $(cat "$tmp/a.log")"
grep -qx "key-made source 192.0.2.1 group 239.1.2.3 id 1" "$tmp/a.events" ||
	fail "A's events: $(cat "$tmp/a.events")"
equal "C's key events" "$(jq -r 'select(.event | startswith("key-")) | [.event, .source, .group, .id] | join(" ")' \
	"$tmp/c.events")" "key-installed 192.0.2.1 239.1.2.3 1"
grep -q "^item-refused reason bad group MAC" "$tmp/b.events" || fail "B's events: $(cat "$tmp/b.events")"

# Items live 10 s here: A renews its announcement before it lapses.
for _ in $(seq 100); do grep -q "renewed a stream key's announcement" "$tmp/a.log" && break; sleep 0.1; done
grep -q "renewed a stream key's announcement" "$tmp/a.log" ||
	fail "A did not renew its announcement within its lifetime"
exit $KSFT_PASS
