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

tmp=$(mktemp -d)
on_exit "rm -rf $tmp"
sw=$(segment_new)
must "gak" "$GEMCTL" gen gak "$tmp/gak"
must "other gak" "$GEMCTL" gen gak "$tmp/other"
must "bk" "$GEMCTL" gen bk "$tmp/bk"
declare -A ns
i=0
for n in a b c; do
	i=$((i + 1))
	ns[$n]=$(ns_new "$n")
	nodad "${ns[$n]}"
	segment_attach "$sw" "${ns[$n]}" "p$n"
	must "gem0 $n" ip -n "${ns[$n]}" link add gem0 link eth1 type gem
	must "gem0 up $n" ip -n "${ns[$n]}" link set gem0 up
	must "gem0 address $n" ip -n "${ns[$n]}" addr add "192.0.2.$i/24" dev gem0
	gak=gak
	[ "$n" = b ] && gak=other
	cat >"$tmp/$n.conf" <<CONF
identity $tmp/$n.id
bootstrap-key $tmp/bk
socket $tmp/$n.sock
device gem0 underlay eth1
babel-interface eth1 hello-interval 0.5 update-interval 2
group 239.1.0.0/16 gak $tmp/$gak
item-lifetime 10
CONF
done
for n in a b c; do
	wait_linklocal "${ns[$n]}" eth1
	ip netns exec "${ns[$n]}" "$GEMD" -c "$tmp/$n.conf" >"$tmp/$n.log" 2>&1 &
	on_exit "kill $!"
done
for n in a b c; do
	for _ in $(seq 100); do
		[ "$("$GEMCTL" -S "$tmp/$n.sock" -j status 2>/dev/null | jq .neighbours)" = 2 ] && break
		sleep 0.2
	done
	equal "$n's neighbours" "$("$GEMCTL" -S "$tmp/$n.sock" -j status | jq .neighbours)" 2
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

ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 1000 15 >"$tmp/c.got" 2>"$tmp/c.err" &
rc=$!
on_exit "kill $rc"
ip netns exec "${ns[b]}" $MC recv gem0 239.1.2.3 5000 1000 15 >"$tmp/b.got" 2>"$tmp/b.err" &
on_exit "kill $!"
for _ in $(seq 50); do grep -q ready "$tmp/c.err" && grep -q ready "$tmp/b.err" && break; sleep 0.1; done

# The first packet asks for a key; the stream flows once C has it.
start=$(date +%s%N)
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 1 warmup >/dev/null
for _ in $(seq 100); do
	[ "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq length)" = 1 ] && break
	sleep 0.1
done
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
