#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# No Babel reaches gemd unless it passed gemd's ESP, whatever its
# destination or path. A and C run gemd with the domain's BK; M, without
# it, speaks Babel as a router would (Hellos, an IHU, a route to
# 2001:db8:66::/48) in the clear: to C's link-local address (RFC 8966
# allows unicast), to ff02::1 and to ff02::1:6, then again through an
# ingress redirect to an IFB on C's underlay. C never takes M as a
# neighbour nor installs its route, and the kernel counts the refusals.
# P runs gemd with control-esp no and control-mac no and shows that M's
# speech works on a gemd that takes plain Babel. A user of C without privilege cannot bind
# Babel's port beside gemd (to hear unicast meant for it, or speak from
# it), and what it sends to ff02::1:6 is not sealed with the BK. With its
# SA flushed, C's gemd falls silent rather than speak in the clear, and
# a reload puts the SA back.
. "$(dirname "$0")/lib.sh"
require_gemd
require_forge

tmp_new
chmod 755 "$tmp"
must "bk" "$GEMCTL" gen bk "$tmp/bk"
segment_of a c p m
ll() {	# ll NODE: eth1's link-local address
	ip -n "${ns[$1]}" -6 addr show dev eth1 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }'
}
gemd_conf a
gemd_conf c
gemd_conf p "control-esp no" "control-mac no"
for n in a c p; do
	gemd_run "$n" "${ns[$n]}"
done
wait_linklocal "${ns[m]}" eth1
gemd_neighbours a 1
gemd_neighbours c 1
st() { gemd_status "$tmp/$1.sock" "$2"; }
mismatch() {	# mismatch NODE: plaintext the kernel refused for an ESP policy
	ip netns exec "${ns[$1]}" awk '$1 == "XfrmInTmplMismatch" { print $2 }' /proc/net/xfrm_stat
}
route() {	# route NODE: its route to M's prefix, if gemd installed one
	ip -n "${ns[$1]}" -6 route show 2001:db8:66::/48
}
# speak DEST: M speaks Babel to DEST for 5 s, and 3 s later the checks
# that follow run while it still speaks (its route lives only as long).
speaker=
speak() {
	ip netns exec "${ns[m]}" "$FORGE" -d "$1" eth1 speak 0000:0000:0000:0066 \
		2001:db8:66::/48 5 >"$tmp/speak.out" 2>&1 &
	speaker=$!
	sleep 3
}
spoke() {
	wait $speaker || fail "M could not speak: $(cat "$tmp/speak.out")"
}
# still_c WHAT [flushed]: M is not C's neighbour, C has no route of M's,
# and (but with C's SA flushed, when C hears nothing of A either and A
# may have expired) A, heard through ESP all along, is still there.
still_c() {
	equal "M among C's neighbours while M speaks to $1" \
		"$("$GEMCTL" -S "$tmp/c.sock" -j neighbours |
			jq --arg m "$(ll m)" '[.[] | select(.address == $m)] | length')" 0
	[ "${2:-}" = flushed ] ||
		equal "C's neighbours while M speaks to $1" "$(st c .neighbours)" 1
	equal "C's route to M's prefix while M speaks to $1" "$(route c)" ""
	spoke
}

# The control: plain Babel to P's link-local address makes M P's
# neighbour, and P installs M's route.
speak "$(ll p)"
[ "$(st p .neighbours)" -ge 1 ] || fail "P (control-esp no) did not take M as a neighbour"
[ -n "$(route p)" ] || fail "P (control-esp no) did not install M's route"
log "P, without ESP, installed M's route: $(route p)"
spoke

m0=$(mismatch c)
speak "$(ll c)"
still_c "C's link-local address"
speak ff02::1
still_c ff02::1
speak ff02::1:6
still_c ff02::1:6
m1=$(mismatch c)
[ "$m1" -gt "$m0" ] || fail "C's kernel counted no plaintext refused ($m0 -> $m1)"
log "C's kernel refused $((m1 - m0)) plaintext Babel packets (XfrmInTmplMismatch)"

# Past the underlay's ingress hook: an ingress redirect to an IFB sends
# packets into the stack again, from ifb0. A's ESP still gets through.
ifb_redirect "${ns[c]}"
rx=$(st c .rx_packets)
speak "$(ll c)"
still_c "C's link-local address, through an IFB"
speak ff02::1:6
still_c "ff02::1:6, through an IFB"
[ "$(st c .rx_packets)" -gt "$rx" ] || fail "C heard nothing of A through the IFB"
must "no redirect" ip netns exec "${ns[c]}" tc qdisc del dev eth1 handle ffff: ingress

# A local user of C: Babel's port is gemd's alone, and what the user
# sends to ff02::1:6 leaves in the clear, so A refuses it.
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
refused "a local user binding port 6696 beside gemd" "Address already in use" \
	ip netns exec "${ns[c]}" "${nobody[@]}" "$FORGE" eth1 speak 0000:0000:0000:0066 \
	2001:db8:66::/48 1
capture "$sw" pc "$tmp/user.pcap" 'udp port 5353'
ip netns exec "${ns[c]}" "${nobody[@]}" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", 5353))
s.sendto(bytes([42, 2, 0, 0]), ("ff02::1:6%eth1", 6696))' ||
	fail "the local user could not send to ff02::1:6"
capture_stop "$tmp/user.pcap" 1
plain=$(tcpdump -nn -r "$tmp/user.pcap" 2>/dev/null | grep -c "5353 > ff02::1:6.6696")
equal "the local user's packet to Babel, on the wire in the clear" "$plain" 1

# Fail closed: without its SA, C's gemd neither sends Babel in the clear
# nor takes it; a reload puts the SA back.
capture "$sw" pc "$tmp/flushed.pcap" 'udp port 6696'
must "flush C's SA" ip -n "${ns[c]}" xfrm state flush
speak ff02::1:6
capture_stop "$tmp/flushed.pcap"
still_c "ff02::1:6, with C's SA flushed" flushed
equal "plaintext Babel from C with its SA flushed" \
	"$(tcpdump -nn -r "$tmp/flushed.pcap" 2>/dev/null | grep -c "$(ll c).6696 >")" 0
must "reload C" kill -HUP "${gemd_pid[c]}"
for _ in $(seq 50); do
	ip -n "${ns[c]}" xfrm state | grep -q "proto esp" && break
	sleep 0.1
done
ip -n "${ns[c]}" xfrm state | grep -q "proto esp" || fail "the reload did not put C's SA back"
rx=$(st c .rx_packets)
sleep 2
[ "$(st c .rx_packets)" -gt "$rx" ] || fail "C heard nothing of A after the reload"
exit $KSFT_PASS
