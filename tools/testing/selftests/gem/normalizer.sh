#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The normalizer, veth variant, IPv4 and IPv6. A camera sends from an
# unroutable address into node N's "lan"; a rule re-sources its stream
# onto N's address 192.0.2.1 (2001:db8::1) and sends it out of the veth
# "o0" to a receiver. The receiver gets every datagram byte-exact from the
# new source; tcpdump on o0 shows the re-sourced plaintext; counters,
# stream dumps and events say what happened. Bad rules are refused with
# the kernel's reason; overlapping rules go to the most specific; TTL is
# decremented or set; a rule deleted under traffic takes nothing else
# with it; a device going away takes its rules.
. "$(dirname "$0")/lib.sh"
require_gem

MARK=NORMALIZED-PLAINTEXT
tmp_new

cam=$(ns_new cam)
n=$(ns_new n)
rcv=$(ns_new rcv)
for ns in "$cam" "$n" "$rcv"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
must "camera link" ip -n "$cam" link add eth0 type veth peer name lan netns "$n"
must "out link" ip -n "$n" link add o0 type veth peer name i0 netns "$rcv"
must "camera up" ip -n "$cam" link set eth0 up
must "camera v4" ip -n "$cam" addr add 10.99.0.2/24 dev eth0
must "camera v6" ip -n "$cam" addr add fd99::2/64 dev eth0 nodad
must "lan up" ip -n "$n" link set lan up
must "o0 up" ip -n "$n" link set o0 up
must "o0 v4" ip -n "$n" addr add 192.0.2.1/24 dev o0
must "o0 v4 second" ip -n "$n" addr add 192.0.2.3/24 dev o0
must "o0 v6" ip -n "$n" addr add 2001:db8::1/64 dev o0 nodad
must "i0 up" ip -n "$rcv" link set i0 up
must "i0 v4" ip -n "$rcv" addr add 192.0.2.2/24 dev i0
must "i0 v6" ip -n "$rcv" addr add 2001:db8::2/64 dev i0 nodad

gn() { gemctl_in "$n" "$@"; }
rule_json() {	# rule_json GROUP FIELD: a counter of the rule whose group is GROUP
	gn -j norm show | jq ".[] | select(.group == \"$1\") | .$2"
}

gn monitor >"$tmp/events" 2>"$tmp/mon.err" &
mon=$!
on_exit "kill $mon"
for _ in $(seq 50); do grep -q monitoring "$tmp/mon.err" 2>/dev/null && break; sleep 0.1; done

# Refusals name their reason, and leave nothing behind.
base="in lan source 10.99.0.0/24 group 239.1.0.0/16"
refused "loop" "the stream would loop" gn norm set $base new-source 192.0.2.1 out lan
refused "foreign source" "not an address of this network namespace" \
	gn norm set $base new-source 192.0.2.2 out o0
refused "unicast group" "not within multicast" \
	gn norm set in lan source 10.99.0.0/24 group 10.0.0.0/8 new-source 192.0.2.1 out o0
refused "host bits" "bits set beyond its length" \
	gn norm set in lan source 10.99.0.2/24 group 239.1.0.0/16 new-source 192.0.2.1 out o0
refused "loopback out" "must be an Ethernet or a gem device" \
	gn norm set $base new-source 192.0.2.1 out lo
refused "unknown device" "no such device" gn norm set $base new-source 192.0.2.1 out nosuch0
refused "mixed families" "one family" gn norm set $base new-source 2001:db8::1 out o0
refused "no such rule" "no such normalizer rule" gn norm del $base
lan=$(ip netns exec "$n" cat /sys/class/net/lan/ifindex)
o0=$(ip netns exec "$n" cat /sys/class/net/o0/ifindex)
refused "in device missing" "the in device does not exist" ip netns exec "$n" "$NLRAW" norm-set 999 "$o0"
refused "out device missing" "the out device does not exist" ip netns exec "$n" "$NLRAW" norm-set "$lan" 999
refused "new source missing" "a new source address is required" ip netns exec "$n" "$NLRAW" norm-set "$lan"
refused "unprivileged" "Operation not permitted" \
	ip netns exec "$n" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$GEMCTL" norm set $base new-source 192.0.2.1 out o0
equal "rules after refusals" "$(gn -j norm show | jq length)" 0

# crossing FAMILY GROUP NEWSRC: 20 datagrams from the camera reach the
# receiver byte-exact from NEWSRC, and o0 carries them re-sourced, in plaintext.
crossing() {
	local fam=$1 group=$2 nsrc=$3 count=20
	ip netns exec "$n" timeout 20 tcpdump -i o0 -U -n -c $count -w "$tmp/o0-$fam.pcap" \
		"udp port 5000" 2>"$tmp/tcpdump.err" &
	local td=$!
	rm -f "$tmp/r.err"
	ip netns exec "$rcv" $MC recv-from i0 "$group" 5000 $count 5 >"$tmp/r$fam.out" \
		2>"$tmp/r.err" &
	local rr=$!
	for _ in $(seq 50); do
		grep -q ready "$tmp/r.err" && grep -q listening "$tmp/tcpdump.err" && break
		sleep 0.1
	done
	ip netns exec "$cam" $MC send eth0 "$group" 5000 $count "$MARK" >"$tmp/c$fam.sent" ||
		fail "the camera could not send IPv$fam"
	wait $rr $td
	sed 's/^[^ ]* //' "$tmp/r$fam.out" >"$tmp/r$fam.payload"
	cmp -s "$tmp/c$fam.sent" "$tmp/r$fam.payload" ||
		fail "IPv$fam: received $(wc -l <"$tmp/r$fam.out") of $count datagrams, or not byte-exact"
	equal "IPv$fam sources seen by the receiver" "$(cut -d' ' -f1 "$tmp/r$fam.out" | sort -u)" "$nsrc"
	log "IPv$fam on o0: $(tcpdump -r "$tmp/o0-$fam.pcap" -n 2>/dev/null | head -n 1 | cut -c1-100)"
	equal "IPv$fam re-sourced packets on o0" \
		"$(tcpdump -r "$tmp/o0-$fam.pcap" -n 2>/dev/null | grep -c "IP6\? $nsrc\.[0-9]* > $group\.5000")" $count
	grep -qa "$MARK" "$tmp/o0-$fam.pcap" || fail "IPv$fam: o0 does not carry the plaintext"
}

must "rule v4" gn norm set $base new-source 192.0.2.1 out o0
must "rule v6" gn norm set in lan source fd99::/64 group ff3e::/16 new-source 2001:db8::1 out o0
# stream GROUP: the stream to GROUP, as the module lists it.
stream() {
	gn -j norm streams | jq -r ".[] | select(.group == \"$1\") |
		.source + \">\" + .group + \" as \" + .new_source + \" \" + (.packets|tostring)"
}

crossing 4 239.1.2.3 192.0.2.1
equal "IPv4 stream" "$(stream 239.1.2.3)" "10.99.0.2>239.1.2.3 as 192.0.2.1 20"
crossing 6 ff3e::4321 2001:db8::1
equal "IPv6 stream" "$(stream ff3e::4321)" "fd99::2>ff3e::4321 as 2001:db8::1 20"

equal "v4 rule packets" "$(rule_json 239.1.0.0 packets)" 20
equal "v6 rule packets" "$(rule_json ff3e:: packets)" 20
equal "v4 rule bytes" "$(rule_json 239.1.0.0 bytes)" \
	"$(tcpdump -r "$tmp/o0-4.pcap" -n -v 2>/dev/null | sed -n 's/.*, length \([0-9]*\))$/\1/p' | awk '{ s += $1 } END { print s }')"
ttl=$(tcpdump -r "$tmp/o0-4.pcap" -n -v 2>/dev/null | sed -n 's/.*(tos 0x0, ttl \([0-9]*\),.*/\1/p' | sort -u)
equal "TTL after the normalizer (sent with 8)" "$ttl" 7

for s in "10.99.0.2 -> 239.1.2.3" "fd99::2 -> ff3e::4321"; do
	equal "new-stream events for $s" "$(grep -c "^norm-stream-new in lan $s as " "$tmp/events")" 1
done
grep -q "^norm-set in lan source 10.99.0.0/24 group 239.1.0.0/16 new-source 192.0.2.1 out o0 idle 30$" \
	"$tmp/events" || fail "no norm-set event: $(head -n 3 "$tmp/events")"

# A stream of a rule with a 1 s idle time ends; the others (30 s) do not yet.
must "short idle rule" gn norm set in lan source 10.99.0.0/24 group 239.9.0.0/16 \
	new-source 192.0.2.1 out o0 idle 1
ip netns exec "$cam" $MC send eth0 239.9.0.1 5000 3 "$MARK" >/dev/null
for _ in $(seq 100); do
	grep -q "^norm-stream-end in lan 10.99.0.2 -> 239.9.0.1 " "$tmp/events" && break
	sleep 0.1
done
grep -q "^norm-stream-new in lan 10.99.0.2 -> 239.9.0.1 as 192.0.2.1 out o0 " "$tmp/events" ||
	fail "no new-stream event for 239.9.0.1"
grep -q "^norm-stream-end in lan 10.99.0.2 -> 239.9.0.1 as 192.0.2.1 out o0 packets 3 bytes [0-9]* ended idle$" \
	"$tmp/events" || fail "no idle end event for 239.9.0.1: $(grep 239.9.0.1 "$tmp/events")"
equal "streams left" "$(gn -j norm streams | jq -r '[.[].group] | sort | join(" ")')" "239.1.2.3 ff3e::4321"
must "short idle rule gone" gn norm del in lan source 10.99.0.0/24 group 239.9.0.0/16

# A TTL of 1 cannot be forwarded, unless the rule sets one.
MCAST_TTL=1 ip netns exec "$cam" $MC send eth0 239.1.2.3 5000 5 "$MARK" >/dev/null
sleep 0.3
equal "TTL-expired drops" "$(rule_json 239.1.0.0 ttl_expired)" 5
must "rule with ttl" gn norm set $base new-source 192.0.2.1 out o0 ttl 16
equal "counters restart with a replaced rule" "$(rule_json 239.1.0.0 packets)" 0
ip netns exec "$n" tcpdump -i o0 -U -n -v -c 3 "udp port 5000" >"$tmp/ttl16" 2>"$tmp/tcpdump.err" &
td=$!
wait_text listening "$tmp/tcpdump.err"
MCAST_TTL=1 ip netns exec "$cam" $MC send eth0 239.1.2.3 5000 3 "$MARK" >/dev/null
wait $td
equal "TTL set by the rule" "$(grep -c "ttl 16," "$tmp/ttl16")" 3

# Overlapping rules: the longer source prefix wins, and is listed first.
must "host rule" gn norm set in lan source 10.99.0.2/32 group 239.1.0.0/16 new-source 192.0.2.3 out o0
equal "rule order" "$(gn -j norm show | jq -r '[.[] | select(.source_prefixlen < 64) | .source + "/" + (.source_prefixlen|tostring)] | join(" ")')" \
	"10.99.0.2/32 10.99.0.0/24"
ip netns exec "$rcv" $MC recv-from i0 239.1.2.3 5000 5 5 >"$tmp/overlap" 2>"$tmp/r.err" &
rr=$!
wait_text ready "$tmp/r.err"
ip netns exec "$cam" $MC send eth0 239.1.2.3 5000 5 "$MARK" >/dev/null
wait $rr
equal "source under overlapping rules" "$(cut -d' ' -f1 "$tmp/overlap" | sort | uniq -c | xargs)" "5 192.0.2.3"
must "host rule gone" gn norm del in lan source 10.99.0.2/32 group 239.1.0.0/16

# Two streams under two rules; one rule is deleted while both flow. The
# other stream loses nothing.
must "rule B" gn norm set in lan source 10.99.0.0/24 group 239.2.0.0/16 new-source 192.0.2.1 out o0
ip netns exec "$rcv" $MC recv i0 239.2.0.1 5001 100 5 >"$tmp/b.out" 2>"$tmp/rb.err" &
rb=$!
ip netns exec "$rcv" $MC recv i0 239.1.2.3 5000 100 3 >"$tmp/a.out" 2>"$tmp/ra.err" &
ra=$!
for _ in $(seq 50); do grep -q ready "$tmp/rb.err" && grep -q ready "$tmp/ra.err" && break; sleep 0.1; done
ip netns exec "$cam" $MC send eth0 239.2.0.1 5001 100 "$MARK" 0.02 >"$tmp/b.sent" &
sb=$!
ip netns exec "$cam" $MC send eth0 239.1.2.3 5000 100 "$MARK" 0.02 >/dev/null &
sa=$!
sleep 1
must "delete rule A under traffic" gn norm del $base
wait $sa $sb $ra $rb
cmp -s "$tmp/b.sent" "$tmp/b.out" || fail "stream B lost $((100 - $(wc -l <"$tmp/b.out"))) datagrams when rule A was deleted"
a_got=$(wc -l <"$tmp/a.out")
log "deleted under traffic: stream A got $a_got of 100, stream B all 100"
[ "$a_got" -lt 100 ] || fail "stream A kept flowing after its rule was deleted"
grep -q "^norm-stream-end in lan 10.99.0.2 -> 239.1.2.3 .* ended rule$" "$tmp/events" ||
	fail "no end event for the deleted rule's stream"
grep -q "^norm-del in lan source 10.99.0.0/24 group 239.1.0.0/16 " "$tmp/events" ||
	fail "no norm-del event"

# The out device goes away, and the rules that use it with it.
dels=$(grep -c "^norm-del " "$tmp/events")
must "delete o0" ip -n "$n" link del o0
equal "rules after o0 went away" "$(gn -j norm show | jq length)" 0
sleep 0.3
equal "norm-del events as o0 went away" "$(( $(grep -c "^norm-del " "$tmp/events") - dels ))" 2

# A flush empties the table.
must "o1" ip -n "$n" link add o1 type veth peer name i1 netns "$rcv"
must "o1 v4" ip -n "$n" addr add 192.0.2.1/24 dev o1
for g in 239.3.0.0/16 239.4.0.0/16; do
	must "rule $g" gn norm set in lan source 0.0.0.0/0 group $g new-source 192.0.2.1 out o1
done
equal "rules before flush" "$(gn -j norm show | jq length)" 2
must "flush" gn norm flush
equal "rules after flush" "$(gn -j norm show | jq length)" 0
exit $KSFT_PASS
