#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail closed on the underlay, both ways, by every path the kernel takes.
#
# A sends a protected stream out of gem0 to C; X, on the same segment,
# holds no key. Receiving (C): X's plaintext to the protected group
# reaches no socket on the underlay and is not forwarded, through the
# underlay's ingress hook and also past it (an ingress tc redirect to an
# IFB, as ingress shaping does), nor is anything but UDP to the group;
# A's sealed stream still arrives, through the IFB too; what A seals on
# VLAN 10 of the segment is not C's untagged underlay's. Sending (A):
# plaintext to the group leaves A's underlay by no path but gem0: not from
# an application bound to the underlay (IPv4 or IPv6), not by multicast
# routing, not by a normalizer rule sending there; IGMP and MLD still do.
. "$(dirname "$0")/lib.sh"
require_gem
command -v tc >/dev/null || skip "tc is not installed"

MROUTE=$GEM_TOP/tools/testing/selftests/gem/mroute_static
MARK=PLAINTEXT-MARKER
tmp_new

stat() {	# stat NS FIELD: a counter of gem0 in NS
	gemctl_in "$1" -j show gem0 | jq ".[0].stats.$2"
}

# recv_start NAME NS DEV GROUP PORT: a receiver in the background; its
# datagrams go to $tmp/NAME. It counts silence only from its first datagram
# or from recv_done: the 6 s from "ready" it had once ran out, in CI on the
# debug kernel, while the sender's python3 was still starting (1-2 s there
# unloaded), and C's gem0 delivered all 20 to a socket already closed.
recv_start() {
	local name=$1 _
	MCAST_WAIT_FIRST=120 ip netns exec "$2" $MC recv "$3" "$4" "$5" 1000 4 \
		>"$tmp/$name" 2>"$tmp/$name.err" &
	eval "pid_$name=$!"
	for _ in $(seq 50); do grep -q ready "$tmp/$name.err" && return; sleep 0.1; done
	fail "receiver $name did not start: $(cat "$tmp/$name.err")"
}

# recv_done NAME...: the sender is done; each receiver stops after 4 s of
# silence from now.
recv_done() {
	local name p
	for name in "$@"; do
		eval "p=\$pid_$name"
		eval "pid_$name=-${p#-}"
		if [ "$p" -gt 0 ]; then mc_done "$p"; fi
	done
}

# recv_wait NAME...: once the sender is done, waits for each receiver, in
# this shell (a "$(...)" cannot wait for this shell's children: the checks
# of 0 datagrams once ran before their receivers had finished).
recv_wait() {
	local name p
	recv_done "$@"
	for name in "$@"; do
		eval "p=\$pid_$name"
		wait "${p#-}"
	done
}

recv_got() {	# recv_got NAME: how many datagrams that receiver got
	grep -c . "$tmp/$1"
}

# lan_behind NODE NAME ADDRESS PEER-ADDRESS: a namespace ${ns[NAME]} whose
# eth0 (PEER-ADDRESS) is linked to NODE's eth2 (ADDRESS), both up.
lan_behind() {
	ns[$2]=$(ns_new "$2")
	must "$1-$2 link" ip -n "${ns[$1]}" link add eth2 type veth peer name eth0 netns "${ns[$2]}"
	must "$1 eth2 up" ip -n "${ns[$1]}" link set eth2 up
	must "$2 eth0 up" ip -n "${ns[$2]}" link set eth0 up
	must "$1 eth2 address" ip -n "${ns[$1]}" addr add "$3" dev eth2
	must "$2 address" ip -n "${ns[$2]}" addr add "$4" dev eth0
}

sw=$(segment_new)
declare -A ns
i=0
for n in a c x; do
	i=$((i + 1))
	ns[$n]=$(ns_new "$n")
	nodad "${ns[$n]}"
	ip netns exec "${ns[$n]}" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
	segment_attach "$sw" "${ns[$n]}" "p$n"
	must "underlay address $n" ip -n "${ns[$n]}" addr add "198.51.100.$i/24" dev eth1
done
hand_keys gak sek
for n in a c; do
	must "gem0 $n" ip -n "${ns[$n]}" link add gem0 link eth1 type gem
	must "gem0 up $n" ip -n "${ns[$n]}" link set gem0 up
	must "group $n" gemctl_in "${ns[$n]}" group gem0 set 239.1.0.0/16 key "$tmp/gak"
	must "group6 $n" gemctl_in "${ns[$n]}" group gem0 set ff3e::/16 key "$tmp/gak"
done
must "a's address" ip -n "${ns[a]}" addr add 192.0.2.1/24 dev gem0
must "c's address" ip -n "${ns[c]}" addr add 192.0.2.3/24 dev gem0
must "tx" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
must "rx" gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"

# Everything A puts on the wire (the bridge floods the others' multicast
# to A's port too: kept by A's Ethernet address).
amac=$(ip -n "${ns[a]}" -j link show eth1 | jq -r '.[0].address')
capture "$sw" pa "$tmp/a.pcap" "ether src $amac"

# injected ROUND: X's plaintext to the protected group reaches neither a
# socket on C's underlay nor one on C's gem0.
injected() {
	recv_start "u$1" "${ns[c]}" eth1 239.1.2.3 5000
	recv_start "g$1" "${ns[c]}" gem0 239.1.2.3 5000
	ip netns exec "${ns[x]}" $MC send eth1 239.1.2.3 5000 20 "$MARK-$1" 0.02 >/dev/null
	recv_wait "u$1" "g$1"
	equal "X's plaintext at a socket on C's underlay ($1)" "$(recv_got "u$1")" 0
	equal "X's plaintext at a socket on C's gem0 ($1)" "$(recv_got "g$1")" 0
}

# sealed ROUND: A's stream arrives whole on C's gem0, and its ciphertext
# at no socket of C's underlay.
sealed() {
	recv_start "su$1" "${ns[c]}" eth1 239.1.2.3 5000
	recv_start "sg$1" "${ns[c]}" gem0 239.1.2.3 5000
	ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 20 "sealed-$1" 0.02 >"$tmp/sent$1"
	recv_wait "su$1" "sg$1"
	equal "sealed datagrams at a socket on C's underlay ($1)" "$(recv_got "su$1")" 0
	cmp -s "$tmp/sent$1" "$tmp/sg$1" ||
		fail "C's gem0 got $(grep -c . "$tmp/sg$1") of 20 sealed datagrams ($1), or not byte-exact;" \
			"A: $(gemctl_in "${ns[a]}" -j show gem0 | jq -c .[0].stats)" \
			"C: $(gemctl_in "${ns[c]}" -j show gem0 | jq -c .[0].stats)"
}

# raw GROUP ROUND MIN: X sends IP protocol 253 to GROUP; C's raw socket on
# its underlay gets none of it (MIN 0), or some (MIN 1).
raw() {
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv-raw eth1 "$1" 253 100 4 \
		>"$tmp/raw$2" 2>"$tmp/raw$2.err" &
	local p=$! _ got
	wait_text ready "$tmp/raw$2.err"
	ip netns exec "${ns[x]}" $MC send-raw eth1 "$1" 253 10 "raw-$2" >/dev/null
	mc_done $p
	wait $p
	got=$(grep -c "raw-$2" "$tmp/raw$2")
	if [ "$3" = 0 ]; then
		equal "protocol 253 to $1 at C's raw socket ($2)" "$got" 0
	else
		[ "$got" -ge 1 ] || fail "C's raw socket got nothing of $1 ($2): the check proves nothing"
	fi
}

log "receiving, through the underlay's ingress hook"
injected hook
sealed hook
bad=$(stat "${ns[c]}" rx_malformed)
[ "$bad" -ge 20 ] || fail "C counted $bad malformed, not X's 20 plaintext datagrams"
equal "backstop so far" "$(stat "${ns[c]}" rx_backstop)" 0

log "receiving past the ingress hook: ingress redirect to an IFB"
ifb_redirect "${ns[c]}"
injected ifb
sealed ifb
b=$(stat "${ns[c]}" rx_backstop)
[ "$b" -ge 40 ] || fail "C's backstop took $b packets, not X's 20 and A's 20"
[ "$(ip -n "${ns[c]}" -s link show ifb0 | awk '/TX:/ { getline; print $2 }')" -ge 40 ] ||
	fail "the packets did not go through the IFB"

log "not forwarded either: C routes 239.1.2.3 from eth1 to eth2 (still through the IFB)"
lan_behind c d 203.0.113.1/24 203.0.113.2/24
ip netns exec "${ns[c]}" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.mc_forwarding=1 2>/dev/null
ip netns exec "${ns[c]}" "$MROUTE" eth1 198.51.100.3 239.1.2.3 eth2 \
	198.51.100.3 239.2.2.2 eth2 >"$tmp/mroute.c" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_text ready "$tmp/mroute.c"
grep -q ready "$tmp/mroute.c" || fail "mroute_static on C: $(cat "$tmp/mroute.c")"
recv_start fwd "${ns[d]}" eth0 239.1.2.3 5000
ip netns exec "${ns[x]}" $MC send eth1 239.1.2.3 5000 20 "$MARK-fwd" 0.02 >/dev/null
recv_wait fwd
equal "X's plaintext forwarded by C to D" "$(recv_got fwd)" 0
# The same route carries an unprotected group: forwarding itself works.
recv_start fwd2 "${ns[d]}" eth0 239.2.2.2 5000
ip netns exec "${ns[x]}" $MC send eth1 239.2.2.2 5000 20 "unprotected" 0.02 >/dev/null
recv_wait fwd2
[ "$(recv_got fwd2)" -ge 1 ] || fail "C forwards nothing at all, so the check above proves nothing"

log "nothing but UDP to a protected group either: a raw IP protocol (through the IFB)"
raw 239.1.2.3 ifb 0
must "no more ifb" ip netns exec "${ns[c]}" tc qdisc del dev eth1 handle ffff: ingress
log "a raw IP protocol, through the ingress hook"
raw 239.1.2.3 hook 0
raw 239.2.2.2 unprotected 1

log "another VLAN is another network: A seals on VLAN 10 of the segment"
must "vlan" ip -n "${ns[a]}" link add link eth1 name eth1.10 type vlan id 10
must "vlan up" ip -n "${ns[a]}" link set eth1.10 up
must "gem1" ip -n "${ns[a]}" link add gem1 link eth1.10 type gem
must "gem1 up" ip -n "${ns[a]}" link set gem1 up
must "gem1 address" ip -n "${ns[a]}" addr add 192.0.2.1/32 dev gem1
must "gem1 group" gemctl_in "${ns[a]}" group gem1 set 239.1.0.0/16 key "$tmp/gak"
must "gem1 tx" gemctl_in "${ns[a]}" tx gem1 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
recv_start vlan "${ns[c]}" gem0 239.1.2.3 5000
ip netns exec "$sw" timeout 30 tcpdump -i pa -nn -U -c 20 -w "$tmp/vlan.pcap" \
	'vlan 10 and udp port 5000' 2>"$tmp/vlan.err" &
vcap=$!
wait_text listening "$tmp/vlan.err"
ip netns exec "${ns[a]}" $MC send gem1 239.1.2.3 5000 20 vlan10 0.02 >/dev/null
recv_wait vlan
equal "VLAN 10's sealed stream on C's gem0 (untagged underlay)" "$(recv_got vlan)" 0
wait $vcap
tagged=$(tcpdump -nn -r "$tmp/vlan.pcap" 2>/dev/null | wc -l)
[ "$tagged" -ge 20 ] || fail "only $tagged tagged sealed packets on the wire: the VLAN case" \
	"proves nothing; gem1: $(gemctl_in "${ns[a]}" -j show gem1 | jq -c .[0].stats);" \
	"$(tcpdump -nn -e -r "$tmp/a.pcap" 2>/dev/null | tail -3)"

log "sending: plaintext to the group leaves A's underlay only sealed"
ip netns exec "${ns[a]}" $MC send eth1 239.1.2.3 5000 10 "$MARK-app4" >/dev/null
must "a's v6 underlay address" ip -n "${ns[a]}" addr add 2001:db8:1::1/64 dev eth1 nodad
ip netns exec "${ns[a]}" $MC send eth1 ff3e::4321 5000 10 "$MARK-app6" >/dev/null
# multicast routing from a camera behind eth2 onto the underlay
lan_behind a cam 10.99.0.1/24 10.99.0.2/24
ip netns exec "${ns[a]}" sysctl -qw net.ipv4.ip_forward=1 2>/dev/null
ip netns exec "${ns[a]}" "$MROUTE" eth2 10.99.0.2 239.1.2.3 eth1 10.99.0.2 239.2.2.2 eth1 \
	>"$tmp/mroute.a" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_text ready "$tmp/mroute.a"
grep -q ready "$tmp/mroute.a" || fail "mroute_static on A: $(cat "$tmp/mroute.a")"
ip netns exec "${ns[cam]}" $MC send eth0 239.1.2.3 5000 10 "$MARK-routed" 0.02 >/dev/null
ip netns exec "${ns[cam]}" $MC send eth0 239.2.2.2 5000 10 "routed-unprotected" 0.02 >/dev/null
sleep 0.5
unsealed=$(stat "${ns[a]}" tx_unsealed)
[ "$unsealed" -ge 30 ] || fail "A counted $unsealed unsealed, not 10 + 10 + 10"
# a normalizer rule onto the underlay: refused while gem0 is there...
refused "normalizer rule out of the underlay" "gem device's underlay" \
	gemctl_in "${ns[a]}" norm set in eth2 source 10.99.0.0/24 group 239.1.0.0/16 \
	new-source 198.51.100.1 out eth1
# ...and if it was made before gem0, the guard still stops what it sends.
must "gem0 away" ip -n "${ns[a]}" link del gem0
must "rule made before gem0" gemctl_in "${ns[a]}" norm set in eth2 source 10.99.0.0/24 \
	group 239.1.0.0/16 new-source 198.51.100.1 out eth1
must "gem0 again" ip -n "${ns[a]}" link add gem0 link eth1 type gem
must "gem0 up again" ip -n "${ns[a]}" link set gem0 up
must "group again" gemctl_in "${ns[a]}" group gem0 set 239.1.0.0/16 key "$tmp/gak"
must "group6 again" gemctl_in "${ns[a]}" group gem0 set ff3e::/16 key "$tmp/gak"
ip netns exec "${ns[cam]}" $MC send eth0 239.1.2.3 5000 10 "$MARK-norm" 0.02 >/dev/null
# The underlay refused them: the rule counts its sends as errors.
normed=$(gemctl_in "${ns[a]}" -j norm show | jq '.[0].packets + .[0].errors')
[ "$normed" -ge 10 ] || fail "the rule took $normed packets: the case proves nothing"
# the group's signalling still leaves: IGMPv2 and MLDv1 reports go to the
# protected group itself
ip netns exec "${ns[a]}" sysctl -qw net.ipv4.conf.eth1.force_igmp_version=2 \
	net.ipv6.conf.eth1.force_mld_version=1
recv_start join4 "${ns[a]}" eth1 239.1.9.9 5000
recv_start join6 "${ns[a]}" eth1 ff3e::4321 5000
recv_wait join4 join6
capture_stop "$tmp/a.pcap"
plain=$(tcpdump -nn -A -r "$tmp/a.pcap" 2>/dev/null | grep -c "$MARK")
equal "plaintext markers A put on the wire" "$plain" 0
[ "$(tcpdump -nn -r "$tmp/a.pcap" 'dst 239.2.2.2 and udp port 5000' 2>/dev/null | wc -l)" -ge 10 ] ||
	fail "A routed nothing at all onto the underlay: the routing case proves nothing"
unsealed=$(stat "${ns[a]}" tx_unsealed)
[ "$unsealed" -ge 10 ] || fail "A's new gem0 counted $unsealed unsealed, not the normalizer's 10"
[ "$(tcpdump -nn -r "$tmp/a.pcap" 'igmp and dst 239.1.9.9' 2>/dev/null | wc -l)" -ge 1 ] ||
	fail "no IGMPv2 report to the protected group from A on the wire"
# (MLD rides behind a hop-by-hop header: "icmp6" would not see it.)
[ "$(tcpdump -nn -r "$tmp/a.pcap" 'ip6 and dst ff3e::4321 and ip6[6] == 0' 2>/dev/null | wc -l)" -ge 1 ] ||
	fail "no MLDv1 report to the protected group from A on the wire"
exit $KSFT_PASS
