#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Three nodes on one underlay segment (a bridge). A sends IPv4 and IPv6
# multicast out of gem0; C, which holds the group's tag key and the
# stream keys, receives it byte-exact on gem0; the underlay carries the
# group address and never the plaintext; B, with another tag key, gets
# nothing and counts bad tags. Replayed, tampered and truncated copies are
# dropped and counted at C; what A may not seal never reaches the wire.
. "$(dirname "$0")/lib.sh"
require_gem

MARK=GEM-PLAINTEXT-MARKER
tmp_new

stat() {	# stat NS FIELD: a counter of gem0 in NS
	gemctl_in "$1" -j show gem0 | jq ".[0].stats.$2"
}

sw=$(ns_new sw)
must "bridge" ip -n "$sw" link add br0 type bridge mcast_snooping 0
must "bridge up" ip -n "$sw" link set br0 up
declare -A ns
i=0
for n in a b c; do
	i=$((i + 1))
	ns[$n]=$(ns_new "$n")
	ip netns exec "${ns[$n]}" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	must "veth $n" ip -n "$sw" link add "p$n" type veth peer name eth1 netns "${ns[$n]}"
	must "port $n" ip -n "$sw" link set "p$n" master br0 up
	must "eth1 $n" ip -n "${ns[$n]}" link set eth1 up
	must "underlay address $n" ip -n "${ns[$n]}" addr add "198.51.100.$i/24" dev eth1
	must "gem0 $n" ip -n "${ns[$n]}" link add gem0 link eth1 type gem
	must "gem0 up $n" ip -n "${ns[$n]}" link set gem0 up
	must "gem0 v4 $n" ip -n "${ns[$n]}" addr add "192.0.2.$i/24" dev gem0
	must "gem0 v6 $n" ip -n "${ns[$n]}" addr add "2001:db8::$i/64" dev gem0 nodad
done

for k in gak other sek4 sek6; do
	"$GEMCTL" genkey >"$tmp/$k"
	chmod 600 "$tmp/$k"
done
for n in a b c; do
	gak=gak
	[ "$n" = b ] && gak=other
	must "groups $n" gemctl_in "${ns[$n]}" group gem0 set 239.1.0.0/16 key "$tmp/$gak"
	must "groups6 $n" gemctl_in "${ns[$n]}" group gem0 set ff3e::/16 key "$tmp/$gak"
done
must "tx4" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek4"
must "tx6" gemctl_in "${ns[a]}" tx gem0 set 2001:db8::1 ff3e::4321 id 1 key - <"$tmp/sek6"
for n in b c; do
	must "rx4 $n" gemctl_in "${ns[$n]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek4"
	must "rx6 $n" gemctl_in "${ns[$n]}" rx gem0 set 2001:db8::1 ff3e::4321 id 1 key "$tmp/sek6"
done

# Keys are write-only: what is dumped names the stream, never the key.
dump=$(gemctl_in "${ns[a]}" -j tx gem0 show)
equal "tx streams of a" "$(jq -r '[.[] | .source + ">" + .group + "#" + (.key_id|tostring)] | sort | join(" ")' <<<"$dump")" \
	"192.0.2.1>239.1.2.3#1 2001:db8::1>ff3e::4321#1"
for k in sek4 sek6; do
	grep -qF "$(cat "$tmp/$k")" <<<"$dump" && fail "a key appears in the dump"
done

# crossing FAMILY GROUP: A sends 20 datagrams; C must get them byte-exact.
crossing() {
	local fam=$1 group=$2 n=20
	# Exits once it holds all n: a capture cut short by a slow VM is no result.
	ip netns exec "${ns[c]}" timeout 30 tcpdump -i eth1 -U -n -c $n -w "$tmp/c$fam.pcap" \
		"udp port 5000" 2>"$tmp/tcpdump.err" &
	local td=$!
	rm -f "$tmp/c.err" "$tmp/b.err" "$tmp/u.err"
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 "$group" 5000 $n 5 >"$tmp/c$fam.out" 2>"$tmp/c.err" &
	local rc=$!
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[b]}" $MC recv gem0 "$group" 5000 $n 3 >"$tmp/b$fam.out" 2>"$tmp/b.err" &
	local rb=$!
	# A socket on C's underlay itself must never see a protected group.
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv eth1 "$group" 5000 $n 3 >"$tmp/u$fam.out" 2>"$tmp/u.err" &
	local ru=$!
	for _ in $(seq 50); do
		grep -q ready "$tmp/c.err" && grep -q ready "$tmp/b.err" &&
			grep -q ready "$tmp/u.err" && grep -q listening "$tmp/tcpdump.err" && break
		sleep 0.1
	done
	ip netns exec "${ns[a]}" $MC send gem0 "$group" 5000 $n "$MARK" >"$tmp/a$fam.sent" ||
		fail "sending IPv$fam failed"
	mc_done $rc $rb $ru
	wait $rc $rb $ru $td
	cmp -s "$tmp/a$fam.sent" "$tmp/c$fam.out" ||
		fail "IPv$fam: C received $(wc -l <"$tmp/c$fam.out") of $n datagrams, or not byte-exact"
	[ -s "$tmp/b$fam.out" ] && fail "IPv$fam: B, without the tag key, received something"
	[ -s "$tmp/u$fam.out" ] && fail "IPv$fam: a socket on C's underlay received the sealed stream"
	on_wire=$(tcpdump -r "$tmp/c$fam.pcap" -n 2>/dev/null | grep -c "$group.5000:\|$group\.5000 ")
	equal "IPv$fam sealed packets on the underlay to $group" "$on_wire" $n
	grep -qa "$MARK" "$tmp/c$fam.pcap" && fail "IPv$fam: plaintext on the underlay"
	log "IPv$fam: $n datagrams crossed, sealed on the wire: $(tcpdump -r "$tmp/c$fam.pcap" -n 2>/dev/null | head -n 1)"
}

crossing 4 239.1.2.3
crossing 6 ff3e::4321

equal "C's rx packets (IPv4 stream)" \
	"$(gemctl_in "${ns[c]}" -j rx gem0 show | jq '.[] | select(.group == "239.1.2.3") | .packets')" 20
# Packet numbers start at the time of day in ns and count the packets since.
tx4=$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[] | select(.group == "239.1.2.3")')
equal "A's packets (IPv4 stream)" "$(jq .packets <<<"$tx4")" 20
[ "$(jq .pn <<<"$tx4")" -gt "$(( $(date +%s) - 600 ))000000000" ] ||
	fail "A's next packet number $(jq .pn <<<"$tx4") is not past the time of day in ns"
equal "C's newest packet number + 1 is A's next" \
	"$(gemctl_in "${ns[c]}" -j rx gem0 show | jq '.[] | select(.group == "239.1.2.3") | .pn')" \
	"$(jq .pn <<<"$tx4")"
[ "$(stat "${ns[b]}" rx_bad_tag)" -ge 40 ] || fail "B counted $(stat "${ns[b]}" rx_bad_tag) bad tags, not 40"
equal "C's drops so far" "$(stat "${ns[c]}" rx_bad_tag)+$(stat "${ns[c]}" rx_replay)" "0+0"

# A capture re-injected from X's port (X has no gem device: B's underlay,
# a gem device's, lets nothing to a protected group leave that gem0 did
# not seal, not even frames a packet socket sends): every copy is a
# replay at C.
ns[x]=$(ns_new x)
must "veth x" ip -n "$sw" link add px type veth peer name eth1 netns "${ns[x]}"
must "port x" ip -n "$sw" link set px master br0 up
must "eth1 x" ip -n "${ns[x]}" link set eth1 up
MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 1 3 >"$tmp/replayed.out" \
	2>"$tmp/replayed.err" &
rc=$!
wait_text ready "$tmp/replayed.err" || fail "the receiver of replays did not start"
refused "B re-injecting the capture through its underlay" "No buffer space" \
	ip netns exec "${ns[b]}" $MC inject eth1 "$tmp/c4.pcap" as-is
must "re-inject" ip netns exec "${ns[x]}" $MC inject eth1 "$tmp/c4.pcap" as-is
mc_done $rc
wait $rc
[ -s "$tmp/replayed.out" ] && fail "a replayed packet was delivered"
equal "replays counted at C" "$(stat "${ns[c]}" rx_replay)" 20

# A ciphertext flip in a packet number C has seen is a replay, caught before
# decryption. A receive key installed afresh (deleted first: installed
# again, it keeps its window) starts a fresh window, so the flipped copies
# reach the AEAD, which refuses them.
must "receive key away" gemctl_in "${ns[c]}" rx gem0 del 192.0.2.1 239.1.2.3 id 1
must "fresh receive key" gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek4"
before=$(stat "${ns[c]}" rx_bad_tag)
must "tampered" ip netns exec "${ns[x]}" $MC inject eth1 "$tmp/c4.pcap" flip
sleep 0.5
equal "tampered packets counted at C" "$(( $(stat "${ns[c]}" rx_bad_tag) - before ))" 20

must "truncated" ip netns exec "${ns[x]}" $MC inject eth1 "$tmp/c4.pcap" truncate
sleep 0.5
equal "truncated packets counted at C" "$(stat "${ns[c]}" rx_malformed)" 20

# A stream C has no key for: dropped, counted, and the agent is asked,
# at most 10 times a second however many packets come.
gemctl_in "${ns[c]}" monitor >"$tmp/c.events" 2>"$tmp/c.mon" &
mon=$!
on_exit "kill $mon"
for _ in $(seq 50); do grep -q monitoring "$tmp/c.mon" 2>/dev/null && break; sleep 0.1; done
must "tx without rx" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.4 id 5 key "$tmp/sek4"
before=$(stat "${ns[c]}" rx_unknown_key)
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.4 5000 40 "$MARK" >/dev/null
sleep 1
kill $mon
equal "unknown keys counted at C" "$(( $(stat "${ns[c]}" rx_unknown_key) - before ))" 40
events=$(grep -c "^rx-key-missing dev gem0 192.0.2.1 -> 239.1.2.4 key 5$" "$tmp/c.events")
log "40 packets without a key at C raised $events events"
[ "$events" -ge 1 ] && [ "$events" -le 20 ] || fail "$events missing-key events for 40 packets"

# Fail closed on send: a protected group without a key, and an unprotected one.
capture "${ns[c]}" eth1 "$tmp/closed.pcap" "udp port 6000"
ip netns exec "${ns[a]}" $MC send gem0 239.1.9.9 6000 5 "$MARK" >/dev/null
ip netns exec "${ns[a]}" $MC send gem0 239.200.0.1 6000 5 "$MARK" >/dev/null
capture_stop "$tmp/closed.pcap"
equal "packets on the wire without a key" "$(captured "$tmp/closed.pcap")" 0
equal "A's tx_no_key" "$(stat "${ns[a]}" tx_no_key)" 5
[ "$(stat "${ns[a]}" tx_not_protected)" -ge 5 ] || fail "A's tx_not_protected is below 5"

exit $KSFT_PASS
