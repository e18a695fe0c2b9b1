#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gemd keys the normalizer's streams. A camera on N's lan sends from
# 10.99.0.2, which nothing routes; N re-sources it onto 203.0.113.1 and
# seals it through gem0 to R.
#  - A rule for one group (239.1.2.3/32) tells gemd the stream before it
#    flows: N keys (203.0.113.1, 239.1.2.3) when the rule is set, R holds
#    the key before the first packet, and all 20 of the camera's first
#    datagrams arrive, byte-exact, from 203.0.113.1.
#  - A rule for a prefix (239.1.4.0/24) is keyed stream by stream, when
#    the normalizer reports a new one.
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
cam=$(ns_new cam)
n=$(ns_new n)
r=$(ns_new r)
for x in "$n" "$r"; do nodad "$x"; done
must "lan" ip -n "$cam" link add eth0 type veth peer name lan netns "$n"
must "cam up" ip -n "$cam" link set eth0 up
must "cam address" ip -n "$cam" addr add 10.99.0.2/24 dev eth0
must "cam route" ip -n "$cam" route add 224.0.0.0/4 dev eth0
must "lan up" ip -n "$n" link set lan up
veth_pair "$n" "$r"
# N's gem0 is there first, with the new source on it; R's gemd makes its own.
gem0_up "$n" 203.0.113.1/24
domain_keys
for x in n r; do
	gemd_conf "$x" "group 239.1.0.0/16 gak $tmp/gak"
	gemd_run "$x" "${!x}"
done
for _ in $(seq 100); do
	[ "$(gemd_status "$tmp/n.sock" .neighbours)" = 1 ] &&
		ip -n "$r" link show gem0 >/dev/null 2>&1 && break
	sleep 0.2
done
equal "N's neighbours" "$(gemd_status "$tmp/n.sock" .neighbours)" 1

must "rule for one group" gemctl_in "$n" norm set in lan source 10.99.0.0/24 \
	group 239.1.2.3/32 new-source 203.0.113.1 out gem0
for _ in $(seq 100); do
	[ "$(gemctl_in "$r" -j rx gem0 show | jq length)" = 1 ] && break
	sleep 0.1
done
equal "R's receive key, before any packet" \
	"$(gemctl_in "$r" -j rx gem0 show | jq -r '.[] | .source + " " + .group + " " + (.packets | tostring)')" \
	"203.0.113.1 239.1.2.3 0"
equal "N's transmit key, before any packet" \
	"$(gemctl_in "$n" -j tx gem0 show | jq -r '.[] | .source + " " + .group + " " + (.packets | tostring)')" \
	"203.0.113.1 239.1.2.3 0"

ip netns exec "$r" $MC recv-from gem0 239.1.2.3 5000 20 5 >"$tmp/got" 2>"$tmp/recv.err" &
rc=$!
wait_text ready "$tmp/recv.err"
ip netns exec "$cam" $MC send eth0 239.1.2.3 5000 20 cam 0.02 >"$tmp/sent"
wait $rc
sed 's/^/203.0.113.1 /' "$tmp/sent" >"$tmp/want"
cmp -s "$tmp/want" "$tmp/got" ||
	fail "R received $(wc -l <"$tmp/got") of the camera's first 20 datagrams, or not byte-exact from 203.0.113.1"
log "keyed when the rule was set: all 20 of the camera's first datagrams crossed"

# A prefix rule: the stream is keyed when the normalizer first sees it.
must "rule for a prefix" gemctl_in "$n" norm set in lan source 10.99.0.0/24 \
	group 239.1.4.0/24 new-source 203.0.113.1 out gem0
equal "keys made for the prefix rule before any packet" \
	"$(gemctl_in "$n" -j tx gem0 show | jq '[.[] | select(.group | startswith("239.1.4."))] | length')" 0
ip netns exec "$cam" $MC send eth0 239.1.4.5 5000 1 first >/dev/null
for _ in $(seq 100); do
	gemctl_in "$r" -j rx gem0 show | jq -e 'any(.[]; .group == "239.1.4.5")' >/dev/null && break
	sleep 0.1
done
gemctl_in "$r" -j rx gem0 show | jq -e 'any(.[]; .group == "239.1.4.5" and .source == "203.0.113.1")' \
	>/dev/null || fail "the prefix rule's stream was not keyed"
exit $KSFT_PASS
