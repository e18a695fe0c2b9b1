#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What operators see in Wireshark. Two gemds speak Babel in the clear
# (control-esp no) and key a stream from A to C; tcpdump records C's
# underlay from before gemd starts. Then X, on the same segment, puts on
# the wire copies of A's sealed packets cut short (a header without
# tags, half a header) and an ordinary datagram to a group no one
# protects. tshark, with
# tools/wireshark/gem.lua, must decode on that capture:
#   - every sealed datagram by the heuristic alone: version 1, the key id
#     and packet numbers gem.ko reports, one more each, the time of day
#     (ns) since the test started, the group, the plaintext's length;
#   - GEM's Babel TLVs: the four item kinds, the SEK Announce's stream
#     and key id, the empty GEM Request of a gemd's first Hello;
#   - the cut copies as malformed (with gem.groups set), as many as C's
#     gem.ko counted, and neither they nor the ordinary datagram claimed
#     by the heuristic;
# and exit 0 each time, with no Lua error.
. "$(dirname "$0")/lib.sh"
require_gemd
command -v tshark >/dev/null || skip "tshark is not installed (scripts/install-deps)"
LUA=$GEM_TOP/tools/wireshark/gem.lua
[ -r "$LUA" ] || fail "$LUA is missing"

tmp_new
domain_keys
segment_of a c x
must "X's address" ip -n "${ns[x]}" addr add 198.51.100.9/24 dev eth1
cap=$tmp/underlay.pcap
capture "${ns[c]}" eth1 "$cap"
start_ns=$(date +%s%N)
gemd_member a 192.0.2.1/24 "group 239.1.0.0/16 gak $tmp/gak" "control-esp no"
gemd_member c 192.0.2.3/24 "group 239.1.0.0/16 gak $tmp/gak" "control-esp no"
gemd_neighbours a 1
gemd_neighbours c 1
mc_recv "${ns[c]}" "$tmp/c.got" 20 10
stream_keyed "${ns[a]}" "${ns[c]}" || fail "C holds no key for A's stream"
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 20 wire 0.02 >"$tmp/sent"
wait "$mc_pid"
equal "datagrams C received" "$(grep -c '^wire ' "$tmp/c.got")" 20
# gem.ko's own account: the key id and next packet number of the stream.
read -r key_id next_pn < <(gemctl_in "${ns[a]}" tx gem0 show |
	awk '$1 == "192.0.2.1" && $3 == "239.1.2.3" { print $5, $7 }')
[ -n "${next_pn:-}" ] || fail "A's gem.ko has no transmit stream: $(gemctl_in "${ns[a]}" tx gem0 show)"
sleep 1
capture_stop "$cap"
# A's sealed packets, as C got them: the malformed copies are made of them.
must "sealed frames" tcpdump -nn -r "$cap" -w "$tmp/sealed.pcap" -c 2 'udp and dst host 239.1.2.3'
before=$(gemctl_in "${ns[c]}" -j show gem0 | jq .[0].stats.rx_malformed)

# From X: A's gem.ko would drop them as unsealed on its way out.
cap2=$tmp/malformed.pcap
capture "${ns[c]}" eth1 "$cap2" udp and not port 6696
mc_recv "${ns[c]}" "$tmp/c.late" 1 3
must "truncated" ip netns exec "${ns[x]}" $MC inject eth1 "$tmp/sealed.pcap" truncate
must "half a header" ip netns exec "${ns[x]}" $MC inject eth1 "$tmp/sealed.pcap" truncate-header
must "ordinary" ip netns exec "${ns[x]}" $MC send eth1 239.255.0.1 5000 1 ordinary
capture_stop "$cap2" 5
wait "$mc_pid"
[ -s "$tmp/c.late" ] && fail "C received a cut copy: $(cat "$tmp/c.late")"
equal "malformed packets C's gem.ko counted" \
	"$(( $(gemctl_in "${ns[c]}" -j show gem0 | jq .[0].stats.rx_malformed) - before ))" 4

# ts OUT CAPTURE ARGS...: tshark with gem.lua into OUT, fields
# tab-separated, repeated fields joined by "|"; fails the test on a
# non-zero exit or anything on stderr.
ts() {
	local out=$1 file=$2 rc
	shift 2
	tshark -n -X lua_script:"$LUA" -r "$file" -T fields -E occurrence=a \
		-E aggregator='|' "$@" >"$out" 2>"$tmp/ts.err"
	rc=$?
	grep -v 'Running as user' "$tmp/ts.err" | grep . >&2 &&
		fail "tshark $*: printed an error"
	[ $rc = 0 ] || fail "tshark $* exited $rc"
}

# Under TCG each tshark takes seconds: one run for each capture and
# preference, every field at once, and each check picks its columns.
# A Lua error while dissecting is no exit status, but an expert item.
fields=(frame.number ip.dst udp.dstport
	gem.version gem.key_id gem.pn gem.text_len gem.malformed
	gembabel.tlv gembabel.item.kind gembabel.item.source gembabel.item.group
	gembabel.item.key_id gembabel.req.all gembabel.item.prefix_len
	gembabel.malformed babel.message.type _ws.expert.message)
# tsf OUT CAPTURE [OPTIONS...]: ts with every field; no Lua error.
tsf() {
	local out=$1 file=$2
	shift 2
	ts "$out" "$file" "$@" $(printf -- '-e %s ' "${fields[@]}")
	grep -q 'Lua Error' "$out" &&
		fail "Lua errors in $(basename "$file") $*: $(grep 'Lua Error' "$out" | head -n 3)"
	return 0
}
# col OUT COLUMN...: those columns of the rows whose COLUMN is not empty.
col() {
	local out=$1
	shift
	awk -F'\t' -v c="$*" 'BEGIN { n = split(c, k, " ") }
		$k[1] != "" { l = $k[1]; for (i = 2; i <= n; i++) l = l "\t" $k[i]; print l }' "$out"
}

tsf "$tmp/all" "$cap"
tsf "$tmp/claimed" "$cap2"
tsf "$tmp/bad" "$cap2" -o gem.groups:239.1.0.0/16

# The data plane, by the heuristic alone.
col "$tmp/all" 4 2 3 5 6 7 8 >"$tmp/data"
equal "sealed packets the heuristic found" "$(wc -l <"$tmp/data")" 20
equal "their version, group, port and key id" "$(cut -f1-4 "$tmp/data" | sort -u)" \
	"$(printf '1\t239.1.2.3\t5000\t%s' "$key_id")"
equal "malformed among them" "$(cut -f7 "$tmp/data" | sort -u)" ""
equal "plaintext lengths" "$(cut -f6 "$tmp/data" | tr '\n' ' ')" \
	"$(while IFS= read -r l; do printf '%d ' "${#l}"; done <"$tmp/sent")"
pns=$(cut -f5 "$tmp/data")
first=$(head -n 1 <<<"$pns")
# One more each, from a time of day within the test, up to gem.ko's next.
PNS=$pns python3 -c '
import os, sys
first, start, now, nxt = (int(x) for x in sys.argv[1:])
pns = [int(x) for x in os.environ["PNS"].split()]
sys.exit(pns != list(range(first, first + len(pns))) or not start <= first <= now or pns[-1] + 1 != nxt)
' "$first" "$start_ns" "$(date +%s%N)" "$next_pn" || fail "packet numbers $(tr '\n' ' ' <<<"$pns"), gem.ko's next $next_pn, test from $start_ns"
log "20 sealed packets decoded: key id $key_id, packet numbers $first to $((next_pn - 1))"

# GEM's Babel TLVs.
col "$tmp/all" 9 10 11 12 13 14 15 16 17 >"$tmp/babel"
[ -s "$tmp/babel" ] || fail "no GEM TLV in the capture: $(tcpdump -nn -r "$cap" port 6696 | head)"
# vals COLUMN: the values column COLUMN of $tmp/babel holds, once each.
vals() {
	cut -f"$1" "$tmp/babel" | tr '|' '\n' | grep . | sort -u | tr '\n' ' '
}
equal "GEM TLV types" "$(vals 1)" "224 225 "
equal "item kinds" "$(vals 2)" "1 2 3 4 "
equal "items' sources (Source Active, SEK Announce)" "$(vals 3)" "192.0.2.1 "
equal "items' groups (and the Subscription's prefix)" "$(vals 4)" "239.1.0.0 239.1.2.3 "
equal "SEK Announces' key ids" "$(vals 5)" "$key_id "
equal "GEM Requests for every item" "$(vals 6)" "1 "
equal "the Subscription's prefix length" "$(vals 7)" "16 "
equal "malformed GEM TLVs" "$(vals 8)" ""
case " $(vals 9)" in *" 4 "*) ;; *) fail "Babel's Hellos not decoded beside GEM's TLVs" ;; esac
log "GEM TLVs in $(wc -l <"$tmp/babel") Babel packets"

# The malformed copies: the heuristic leaves them; gem.groups takes them.
equal "what the heuristic claims of the malformed" "$(col "$tmp/claimed" 4)" ""
equal "the malformed, marked" "$(col "$tmp/bad" 2 5 8 18 | grep 239.1.2.3 | cut -f2- | sort | uniq -c | sed 's/^ *//')" \
	"$(printf '2 %s\t1\theader truncated: 5 of 10 bytes\n2 %s\t1\tpayload of 30 bytes, shorter than the 42 of header and tags' "$key_id" "$key_id")"
equal "the ordinary datagram" "$(col "$tmp/bad" 2 4 8 18 | grep 239.255.0.1)" "$(printf '239.255.0.1\t\t\t')"
exit $KSFT_PASS
