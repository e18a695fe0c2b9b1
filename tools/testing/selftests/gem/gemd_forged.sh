#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Forged key announcements change nothing. A and C run gemd on one
# segment and hold the group's GAK; A's stream key reaches C as in
# gemd_keys.sh. M, an attacker on the same segment with an Ed25519
# identity of its own, puts SEK Announces for A's stream on the wire
# (gem_forge), each of which would replace A's key at C if accepted:
#  0. before C knows M's key: not checkable, dropped, and M's Public Key
#     and announcements asked for in GEM Requests;
#  1. in its own name, MACed with a GAK it does not hold: refused on the MAC;
#  2. in A's name, MACed with the true GAK (an insider), signed with M's
#     key: refused on the signature; so is a Public Key item in A's name;
#  3. A's own announcement, captured from the wire before A renewed it,
#     replayed: older than C's copy, counted stale;
#  4. in its own name, with the true GAK (an insider), a key for A's
#     stream: a valid item, kept and relayed, but a stream is keyed by
#     the first origin heard for it, so C installs nothing.
# C's gemd counts each refusal, installs no key, and a stream A sends
# after all of it still reaches C byte-exact. M is taken to hold the
# Bootstrap Key, so the control-plane ESP is off: what is shown here is
# what gemd itself refuses (gemd_esp.sh shows the kernel dropping Babel
# from a node without the BK).
. "$(dirname "$0")/lib.sh"
require_gemd
require_forge

tmp_new
domain_keys other
rid_m=$("$GEMCTL" gen identity "$tmp/m.id" | sed -n 's/.*router-id //p')
[ -n "$rid_m" ] || fail "no attacker's identity"
segment_of a c m	# M speaks only through gem_forge
gemd_member a 192.0.2.1/24 "group 239.1.0.0/16 gak $tmp/gak" "item-lifetime 10" "control-esp no"
gemd_member c 192.0.2.2/24 "group 239.1.0.0/16 gak $tmp/gak" "item-lifetime 10" "control-esp no"
wait_linklocal "${ns[m]}" eth1
gemd_neighbours a 1
gemd_neighbours c 1
cs() { "$GEMCTL" -S "$tmp/c.sock" -j status | jq -r "$1"; }
rx_c() { gemctl_in "${ns[c]}" -j rx gem0 show; }
# forge [-s SEQNO] COMMAND ARGS...: gem_forge on M's eth1.
forge() {
	local opt=()
	[ "$1" = -s ] && opt=(-s "$2") && shift 2
	ip netns exec "${ns[m]}" "$FORGE" "${opt[@]}" -m "$tmp/bk" eth1 "$@"
}
# wait_c JQ-CONDITION: C's status satisfies it within 20 s.
wait_c() {
	for _ in $(seq 100); do
		[ "$(cs "$1")" = true ] && return 0
		sleep 0.2
	done
	return 1
}
rid_a=$("$GEMCTL" -S "$tmp/a.sock" -j status | jq -r .router_id)

# M listens before A has a key, to hold A's first announcement.
forge capture "$tmp/captured" "$rid_a" 90 >"$tmp/capture.out" 2>"$tmp/capture.err" &
capture=$!
on_exit "kill $capture"
wait_text listening "$tmp/capture.err" || fail "gem_forge capture did not start: $(cat "$tmp/capture.err")"

mc_recv "${ns[c]}" "$tmp/c.got" 100 120
stream_keyed "${ns[a]}" "${ns[c]}"
equal "C's receive keys" "$(rx_c | jq -r '.[] | .source + " " + .group + " " + (.key_id | tostring)')" \
	"192.0.2.1 239.1.2.3 1"
# Some traffic on the key first: a key installed again would start its
# counters (and replay window) afresh.
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 5 before 0.05 >"$tmp/sent"
for _ in $(seq 50); do [ "$(wc -l <"$tmp/c.got")" -ge 5 ] && break; sleep 0.1; done
sleep 0.5
cmp -s "$tmp/sent" "$tmp/c.got" || fail "C did not receive A's first 5 datagrams byte-exact"

# A renews its announcement at half its 10 s lifetime; M hears both versions.
wait $capture || fail "gem_forge capture: $(cat "$tmp/capture.out" "$tmp/capture.err")"
log "M: $(tr '\n' ';' <"$tmp/capture.out")"
grep -q "renewed a stream key's announcement" "$tmp/a.log" || fail "A did not log its renewal"
# Whatever M says in A's name is newer than anything of A's (10 s ahead,
# within the clocks' allowed skew), so only the keys can get it refused.
renewed=$(sed -n 's/^renewed: seqno //p' "$tmp/capture.out")
[ -n "$renewed" ] || fail "gem_forge capture heard no renewal: $(cat "$tmp/capture.out")"
ahead=$((renewed + 10000))	# newer, and well within the clocks' skew

gemctl_in "${ns[c]}" monitor >"$tmp/c.events" 2>"$tmp/c.mon" &
on_exit "kill $!"
wait_text monitoring "$tmp/c.mon" || fail "gemctl monitor did not start at C"
rx_before=$(rx_c)
installed=$(cs .keys_installed)
items=$(cs .items)
equal "C's refusals before the attack (mac, signature, stale)" \
	"$(cs '[.refused_mac, .refused_signature, .stale] | map(tostring) | join(" ")')" "0 0 0"
equal "keys installed at C" "$installed" 1

# 0. An item from an origin C has no key for cannot be checked: C drops it
# and asks its neighbours for that origin's Public Key (a GEM Request,
# type 225, kind 1, M's router-id), then for its SEK Announces again
# (kind 4), in one packet M sees on the wire.
capture "${ns[m]}" eth1 "$tmp/req.pcap" \
	"udp port 6696 and not src host $(ip -n "${ns[m]}" -6 addr show dev eth1 scope link |
		awk '/inet6/ { sub("/.*", "", $2); print $2 }')"
unknown=$(cs .unknown_origin)
must "announce before M's key is known" forge sek "$tmp/m.id" "$tmp/other" 192.0.2.1 239.1.2.3
wait_c ".unknown_origin == $((unknown + 1))" || fail "C did not count an unknown origin: $(cs .)"
capture_stop "$tmp/req.pcap"
want="e10901${rid_m//:/}e10904${rid_m//:/}"
tcpdump -nn -x -r "$tmp/req.pcap" 2>/dev/null |
	awk '/^[0-9]/ { if (p != "") print p; p = ""; next } { for (i = 2; i <= NF; i++) p = p $i }
	     END { if (p != "") print p }' | grep -q "$want" ||
	fail "C did not ask for M's Public Key and announcements ($want) on the wire"
log "0. an item of an unknown origin: dropped, and its Public Key and announcements asked for"
# 1. M's own identity: its Public Key is a valid item and C keeps it, so
# what C refuses next it refuses for the MAC alone.
must "M's public key" forge pubkey "$tmp/m.id"
wait_c ".items == $((items + 1))" || fail "C did not take M's Public Key ($(cs .items) items)"
must "announce with another GAK" forge sek "$tmp/m.id" "$tmp/other" 192.0.2.1 239.1.2.3
wait_c ".refused_mac == 1" || fail "C did not refuse the MAC: $(cs .)"
log "1. an announcement MACed with another GAK: refused on its MAC"

# 2. An insider with the true GAK speaks in A's name: the MAC holds, the
# signature does not. Nor can M pass its own key off as A's.
must "announce in A's name" forge -s "$ahead" sek "$tmp/m.id" "$tmp/gak" 192.0.2.1 239.1.2.3 "$rid_a"
wait_c ".refused_signature == 1" || fail "C did not refuse the signature: $(cs .)"
must "public key in A's name" forge -s "$ahead" pubkey "$tmp/m.id" "$rid_a"
wait_c ".refused_signature == 2" || fail "C did not refuse M's key as A's: $(cs .)"
log "2. an announcement and a Public Key in A's name, signed by M: refused on the signature"

# 3. A's first announcement again, after C has the renewed one.
must "replay" forge replay "$tmp/captured"
wait_c ".stale == 1" || fail "C did not count the replay stale: $(cs .)"
log "3. A's announcement replayed after its renewal: stale"
# 4. The insider announces A's stream in its own name.
must "announce A's stream in M's name" forge sek "$tmp/m.id" "$tmp/gak" 192.0.2.1 239.1.2.3
wait_c ".refused_conflict == 1" || fail "C did not refuse a second origin for A's stream: $(cs .)"
log "4. a key for A's stream announced by M in its own name: not installed"
sleep 1
equal "C's refusals after the attack (mac, signature, stale, conflict)" \
	"$(cs '[.refused_mac, .refused_signature, .stale, .refused_conflict] | map(tostring) | join(" ")')" \
	"1 2 1 1"
equal "keys installed at C" "$(cs .keys_installed)" "$installed"
equal "items at C (M's Public Key and announcement added)" "$(cs .items)" "$((items + 2))"
equal "C's receive keys, counters included" "$(rx_c)" "$rx_before"
[ -s "$tmp/c.events" ] && fail "gem.ko at C saw key changes: $(cat "$tmp/c.events")"

# The key C holds is still A's: the stream goes on, byte-exact.
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 20 after 0.05 >>"$tmp/sent"
for _ in $(seq 100); do [ "$(wc -l <"$tmp/c.got")" -ge 25 ] && break; sleep 0.1; done
sleep 0.5
cmp -s "$tmp/sent" "$tmp/c.got" ||
	fail "C received $(grep -c '^after ' "$tmp/c.got") of 20 datagrams after the attack, or not byte-exact"
equal "C's packets on A's key" "$(rx_c | jq '.[0].packets')" 25
exit $KSFT_PASS
