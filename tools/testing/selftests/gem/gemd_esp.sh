#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control plane rides in ESP keyed from the Bootstrap Key. A and C
# share the BK; X runs gemd with another BK; M sends plain Babel. On the
# wire there is ESP and no plaintext Babel; A and C are neighbours and
# keys still distribute (a stream crosses byte-exact); X is nobody's
# neighbour, and M's plaintext Public Key never reaches C's gemd. When
# gemd stops, its SA and policies go with it.
. "$(dirname "$0")/lib.sh"
require_gemd
require_forge

tmp_new
domain_keys
must "X's bk" "$GEMCTL" gen bk "$tmp/other-bk"
must "M's identity" "$GEMCTL" gen identity "$tmp/m.id"
segment_of a c x m
for n in a c x m; do
	bk=$tmp/bk
	[ "$n" = x ] && bk=$tmp/other-bk
	gemd_conf -b "$bk" "$n" "group 239.1.0.0/16 gak $tmp/gak"
done
capture "$sw" pa "$tmp/wire.pcap"
for n in a c x; do
	gemd_run "$n" "${ns[$n]}"
done
st() { "$GEMCTL" -S "$tmp/$1.sock" -j status 2>/dev/null | jq -r "$2"; }
for _ in $(seq 100); do
	[ "$(st a .neighbours)" = 1 ] && [ "$(st c .neighbours)" = 1 ] && break
	sleep 0.2
done
equal "A's and C's neighbours" "$(st a .neighbours) $(st c .neighbours)" "1 1"
sleep 2
equal "X's neighbours (another BK)" "$(st x .neighbours)" 0
equal "Public Keys C holds (A's and its own)" \
	"$("$GEMCTL" -S "$tmp/c.sock" -j items | jq '[.[] | select(.kind == "public-key")] | length')" 2

spi=$(ip -n "${ns[a]}" xfrm state | awk '/proto esp spi/ { print $4; exit }')
[ -n "$spi" ] || fail "A has no ESP SA: $(ip -n "${ns[a]}" xfrm state)"
equal "C's SA is A's" "$(ip -n "${ns[c]}" xfrm state | awk '/proto esp spi/ { print $4; exit }')" "$spi"
[ "$(ip -n "${ns[x]}" xfrm state | awk '/proto esp spi/ { print $4; exit }')" != "$spi" ] ||
	fail "X, with another BK, has A's SPI"
ip -n "${ns[a]}" xfrm state | grep -q "hmac(sha256)" || fail "A's SA does not authenticate"

# Keys distribute inside ESP as they do without it.
ip -n "${ns[a]}" addr add 192.0.2.1/24 dev gem0
mc_recv "${ns[c]}" "$tmp/got" 10 10
rc=$mc_pid
stream_keyed "${ns[a]}" "${ns[c]}"
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 10 esp 0.05 >"$tmp/sent"
wait $rc
cmp -s "$tmp/sent" "$tmp/got" || fail "C received $(wc -l <"$tmp/got") of 10 datagrams, or not byte-exact"
equal "X's receive keys (it heard no announcement)" \
	"$(gemctl_in "${ns[x]}" -j rx gem0 show | jq length)" 0

# M, without ESP: the kernel drops its Babel before C's gemd sees it.
items=$(st c .items)
rxp=$(st c .rx_packets)
must "M's plaintext Public Key" ip netns exec "${ns[m]}" "$FORGE" eth1 pubkey "$tmp/m.id"
sleep 2
equal "items at C after M's plaintext" "$(st c .items)" "$items"

# On the wire: ESP from every gemd, and no plaintext Babel but M's.
capture_stop "$tmp/wire.pcap"
plain=$(tcpdump -nn -r "$tmp/wire.pcap" 'udp port 6696' 2>/dev/null | grep -vc "$(ip -n "${ns[m]}" -6 addr show dev eth1 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')")
esp=$(captured "$tmp/wire.pcap" 'ip6 proto 50')
log "on the wire: $esp ESP packets, $plain plaintext Babel packets from gemd"
equal "plaintext Babel packets from gemd" "$plain" 0
[ "$esp" -ge 10 ] || fail "only $esp ESP packets on the wire"
[ "$(st c .rx_packets)" -gt "$rxp" ] || fail "C's gemd heard nothing more from A"

# gemd leaves no SA or policy behind.
kill "${gemd_pid[a]}"
wait "${gemd_pid[a]}" 2>/dev/null
equal "A's SAs after gemd stopped" "$(ip -n "${ns[a]}" xfrm state | grep -c 'proto esp')" 0
equal "A's policies after gemd stopped" "$(ip -n "${ns[a]}" xfrm policy | grep -c 'dir')" 0
exit $KSFT_PASS
