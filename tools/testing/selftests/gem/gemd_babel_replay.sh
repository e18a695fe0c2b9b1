#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Babel packets cannot be replayed into a gemd, even after their sender
# stopped, even after the receiver restarted. A announces a route to
# fd00:a::1; an attacker on the segment records 8 s of A's packets (ESP,
# as they are on the wire) and A stops. The attacker puts the recording
# back on the wire, byte for byte:
#
#  1. at once, while C still knows A: the packets carry counters C has
#     seen, and C counts them as replays;
#  2. at the pace recorded, once C forgot A, and again after C restarted,
#     knowing nothing: C challenges the "new" A, no one answers, and C
#     takes nothing.
#
# C neither takes A as a neighbour again nor installs A's route (which,
# without the counters and challenges, a replay at the recorded pace
# brings back). (The ESP SA is shared by the domain and has no replay window;
# RFC 8967's counters and challenges, per neighbour, are what refuse.)
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
must "bk" "$GEMCTL" gen bk "$tmp/bk"
segment_of a c e
gemd_conf a "announce fd00:a::1/128"
gemd_conf c
must "A's address" ip -n "${ns[a]}" addr add fd00:a::1/128 dev lo
gemd_run a "${ns[a]}"
gemd_run c "${ns[c]}"
gemd_neighbours c 1
st() { gemd_status "$tmp/c.sock" "$1"; }
route() { ip -n "${ns[c]}" -6 route show fd00:a::1; }
# links: C's neighbours with a two-way link (a challenged stranger has none)
links() { "$GEMCTL" -S "$tmp/c.sock" -j neighbours | jq '[.[] | select(.cost < 65535)] | length'; }
for _ in $(seq 100); do [ -n "$(route)" ] && break; sleep 0.2; done
[ -n "$(route)" ] || fail "C did not install A's route"
log "C's route to A: $(route)"

# The recording: A's ESP, as it enters the segment.
a_ll=$(ip -n "${ns[a]}" -6 addr show dev eth1 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2; exit }')
capture "$sw" pa "$tmp/a.pcap" -Q in "ip6 proto 50 and src host $a_ll"
sleep 8
capture_stop "$tmp/a.pcap"
recorded=$(captured "$tmp/a.pcap")
[ "$recorded" -ge 10 ] || fail "only $recorded of A's packets recorded"
kill "${gemd_pid[a]}"
wait "${gemd_pid[a]}" 2>/dev/null
replay() {	# replay as-is|timed
	ip netns exec "${ns[e]}" python3 "$GEM_TOP/tools/testing/selftests/gem/mcast.py" \
		inject eth1 "$tmp/a.pcap" "$1" >/dev/null || fail "the attacker could not replay"
}
# replayed_slowly WHEN: a replay at the recorded pace, and 5 s into it
# C has no neighbour with a link and no route of A's.
replayed_slowly() {
	replay timed &
	local pid=$!
	sleep 5
	equal "C's neighbours with a link, 5 s into a replay $1" "$(links)" 0
	equal "C's route to A, 5 s into a replay $1" "$(route)" ""
	wait $pid
}
# gone WHEN: C has no neighbour and no route of A's.
gone() {
	local _
	for _ in $(seq 100); do
		[ "$(st .neighbours)" = 0 ] && [ -z "$(route)" ] && return 0
		sleep 0.2
	done
	fail "C still has A $1: $(st .neighbours) neighbours, route '$(route)'"
}

# 1. At once, while C still holds A and its counters.
r0=$(st .rx_replayed)
replay as-is
replayed=$(($(st .rx_replayed) - r0))
log "replayed at once: C refused $replayed of $recorded packets as replays"
[ "$replayed" -ge $((recorded - 2)) ] ||
	fail "C counted $replayed of A's $recorded replayed packets as replays"
gone "after A stopped"
replayed_slowly "to a C that forgot A"

# 2. C restarted: it knows no counter of A's.
kill "${gemd_pid[c]}"
wait "${gemd_pid[c]}" 2>/dev/null
gemd_run c "${ns[c]}"
for _ in $(seq 50); do [ -S "$tmp/c.sock" ] && [ -n "$(st .router_id)" ] && break; sleep 0.1; done
sleep 1
replayed_slowly "to a restarted C"
challenged=$(st .rx_challenged)
log "replayed to a restarted C: $challenged packets held for a challenge no one answered"
[ "$challenged" -ge 1 ] || fail "the restarted C heard none of the replayed packets"
exit $KSFT_PASS
