#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The normalizer in front of real PIM routers (Debian's pimd).
#
#   cam 10.99.0.2 --lan-- N --o0--r0-- R (pimd) --r1-- H
#                         |
#                         eth1 (underlay) --eth1-- G (gem0 + pimd) --g1-- H2
#
# Nobody routes 10.99.0.0/24. Without a rule, N forwards the camera's
# stream as it is (plain multicast routing) and R's pimd drops it on the
# reverse-path check. With a rule re-sourcing it onto N's 192.0.2.1, R
# forwards it to H, byte-exact. A second rule re-sources a stream into
# N's gem0: it crosses the underlay sealed, appears opened on G's gem0
# from 203.0.113.1 (a source on gem0's subnet), and G's pimd forwards it
# to H2.
. "$(dirname "$0")/lib.sh"
require_gem
command -v pimd >/dev/null || skip "pimd is not installed (scripts/install-deps installs it)"

MROUTE=$GEM_TOP/tools/testing/selftests/gem/mroute_static
tmp_new

declare -A ns
for x in cam n r h g h2; do
	ns[$x]=$(ns_new "$x")
	ip netns exec "${ns[$x]}" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
done
link() {	# link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2
	must "link $2-$5" ip -n "${ns[$1]}" link add "$2" type veth peer name "$5" netns "${ns[$4]}"
	must "up $2" ip -n "${ns[$1]}" link set "$2" up
	must "up $5" ip -n "${ns[$4]}" link set "$5" up
	[ -z "$3" ] || must "addr $2" ip -n "${ns[$1]}" addr add "$3" dev "$2"
	[ -z "$6" ] || must "addr $5" ip -n "${ns[$4]}" addr add "$6" dev "$5"
}
link cam eth0 10.99.0.2/24 n lan ""
link n o0 192.0.2.1/24 r r0 192.0.2.2/24
link r r1 198.51.100.1/24 h h0 198.51.100.2/24
link n eth1 198.18.0.1/24 g eth1 198.18.0.2/24
link g g1 198.51.101.1/24 h2 h0 198.51.101.2/24
must "H's route" ip -n "${ns[h]}" route add default via 198.51.100.1
must "H2's route" ip -n "${ns[h2]}" route add default via 198.51.101.1
for x in n g; do
	must "gem0 $x" ip -n "${ns[$x]}" link add gem0 link eth1 type gem
	must "gem0 up $x" ip -n "${ns[$x]}" link set gem0 up
done
must "N's gem0 address" ip -n "${ns[n]}" addr add 203.0.113.1/24 dev gem0
must "G's gem0 address" ip -n "${ns[g]}" addr add 203.0.113.2/24 dev gem0

for k in gak sek; do
	(umask 077; "$GEMCTL" genkey >"$tmp/$k")
done
for x in n g; do
	must "group $x" gemctl_in "${ns[$x]}" group gem0 set 239.2.0.0/16 key "$tmp/gak"
done
must "tx at N" gemctl_in "${ns[n]}" tx gem0 set 203.0.113.1 239.2.2.3 id 1 key "$tmp/sek"
must "rx at G" gemctl_in "${ns[g]}" rx gem0 set 203.0.113.1 239.2.2.3 id 1 key "$tmp/sek"

# pimd_start NS PHYINT... : pimd with a static RP on the first interface's
# address, its /run of its own (for its pid file and dumps).
declare -A pimd_pid pimd_run
pimd_start() {
	local x=$1 rp dev
	shift
	rp=$(ip -n "${ns[$x]}" -4 -o addr show dev "$1" | awk '{ sub("/.*", "", $4); print $4 }')
	pimd_run[$x]=$tmp/run-$x
	mkdir -p "${pimd_run[$x]}"
	{
		for dev in "$@"; do
			echo "phyint $dev enable"
		done
		echo "rp-address $rp 224.0.0.0/4"
		echo "spt-threshold infinity"
	} >"$tmp/pimd-$x.conf"
	# ip, sh and pimd each exec the next: $! is pimd's own pid.
	ip netns exec "${ns[$x]}" sh -c "mount --bind '${pimd_run[$x]}' /run &&
		exec pimd -f -N -c '$tmp/pimd-$x.conf' -s debug --debug=mrt,rpf" \
		>"$tmp/pimd-$x.log" 2>&1 &
	pimd_pid[$x]=$!
	on_exit "kill ${pimd_pid[$x]}"
}
pimd_dump() {	# pimd_dump NS: pimd's state, as it writes it on SIGUSR1
	local f=${pimd_run[$1]}/pimd/pimd.dump
	rm -f "$f"
	kill -USR1 "${pimd_pid[$1]}"
	for _ in $(seq 25); do [ -s "$f" ] && break; sleep 0.2; done
	sleep 0.1
	cat "$f" 2>/dev/null
}
wait_for() {	# wait_for SECONDS CMD...
	local i
	for i in $(seq $(($1 * 5))); do
		"${@:2}" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}
vifs_up() { [ "$(ip netns exec "${ns[$1]}" awk 'NR > 1' /proc/net/ip_mr_vif | wc -l)" -ge 3 ]; }
star_g() { pimd_dump "$1" | grep -Eq "^INADDR_ANY +${2//./\\.} "; }

started=$(date +%s)
pimd_start r r0 r1
pimd_start g g1 gem0
for x in r g; do
	wait_for 30 vifs_up $x || fail "pimd in $x installed no vifs: $(tail -n 5 "$tmp/pimd-$x.log")"
done
# The normalizer's side: N forwards the camera's group as it is, with the
# kernel's multicast routing, so that without a rule R sees the raw stream.
ip netns exec "${ns[n]}" "$MROUTE" lan 10.99.0.2 239.1.2.3 o0 >"$tmp/mroute" 2>&1 &
on_exit "kill $!"
wait_for 10 grep -q ready "$tmp/mroute" || fail "static multicast route: $(cat "$tmp/mroute")"

# pimd 2.3.2 takes up static RPs only after 15 s of uptime, on its next
# wake-up; a receiver joining before that gets no (*,G) until the next
# query. So: wait, wake both, then let the receivers join.
sleep $((started + 17 - $(date +%s)))
kill -USR1 "${pimd_pid[r]}" "${pimd_pid[g]}"
sleep 0.5
ip netns exec "${ns[h]}" $MC recv-from h0 239.1.2.3 5000 1000 120 >"$tmp/h.out" 2>"$tmp/h.err" &
on_exit "kill $!"
ip netns exec "${ns[h2]}" $MC recv-from h0 239.2.2.3 5000 1000 120 >"$tmp/h2.out" 2>"$tmp/h2.err" &
on_exit "kill $!"
wait_for 30 star_g r 239.1.2.3 || fail "R's pimd learned no (*,239.1.2.3) from H's join"
wait_for 30 star_g g 239.2.2.3 || fail "G's pimd learned no (*,239.2.2.3) from H2's join"
log "both PIM routers have (*,G) for their receivers, $(( $(date +%s) - started )) s after start"

# stream GROUP TAG: a warm-up while routes are made, then 20 datagrams
# prefixed TAG, as the camera sends them.
stream() {
	ip netns exec "${ns[cam]}" $MC send eth0 "$1" 5000 5 "$2-warmup" 0.1 >/dev/null
	sleep 1
	ip netns exec "${ns[cam]}" $MC send eth0 "$1" 5000 20 "$2" 0.05 >"$tmp/$2.sent"
	sleep 2
}
got() {	# got FILE TAG: the datagrams tagged TAG that arrived, without their source
	grep "^[^ ]* $2 " "$1" | sed 's/^[^ ]* //'
}

# 1. No rule: R receives the raw stream and drops it on the RPF check.
ip netns exec "${ns[r]}" timeout 20 tcpdump -i r0 -n -c 25 -w "$tmp/r0.pcap" \
	"udp port 5000 and src 10.99.0.2" 2>"$tmp/td.err" &
td=$!
wait_for 10 grep -q listening "$tmp/td.err" || fail "tcpdump on r0 did not start"
stream 239.1.2.3 raw
wait $td
equal "raw datagrams arriving at R from 10.99.0.2" \
	"$(tcpdump -r "$tmp/r0.pcap" -n 2>/dev/null | grep -c "10.99.0.2.[0-9]* > 239.1.2.3.5000")" 25
equal "raw datagrams H received" "$(got "$tmp/h.out" raw | wc -l)" 0
grep -q "NO ROUTE found for 10.99.0.2" "$tmp/pimd-r.log" ||
	fail "pimd did not report the RPF failure: $(grep -i 'route\|rpf' "$tmp/pimd-r.log" | tail -n 5)"
log "without a rule: 25 datagrams reached R, H got none; pimd: $(grep -m1 'NO ROUTE found for 10.99.0.2' "$tmp/pimd-r.log" | sed 's/^.*NO ROUTE/NO ROUTE/')"

# 2. With a rule: re-sourced onto 192.0.2.1, the stream passes the check.
must "rule to o0" gemctl_in "${ns[n]}" norm set in lan source 10.99.0.0/24 group 239.1.0.0/16 \
	new-source 192.0.2.1 out o0
stream 239.1.2.3 resourced
got "$tmp/h.out" resourced >"$tmp/resourced.got"
cmp -s "$tmp/resourced.sent" "$tmp/resourced.got" ||
	fail "H received $(wc -l <"$tmp/resourced.got") of 20 re-sourced datagrams, or not byte-exact"
equal "source H saw" "$(grep " resourced " "$tmp/h.out" | cut -d' ' -f1 | sort -u)" 192.0.2.1
mroute=$(ip -n "${ns[r]}" mroute show | grep "(192.0.2.1,239.1.2.3)")
case $mroute in
*"Iif: r0"*"Oifs: r1"*) log "R forwards it: $(echo $mroute)" ;;
*) fail "R has no forwarding entry for the re-sourced stream: $(ip -n "${ns[r]}" mroute show)" ;;
esac

# 3. Re-sourced and sealed in one pass, across the underlay to G's PIM router.
must "rule to gem0" gemctl_in "${ns[n]}" norm set in lan source 10.99.0.0/24 group 239.2.0.0/16 \
	new-source 203.0.113.1 out gem0
ip netns exec "${ns[g]}" timeout 30 tcpdump -i eth1 -U -n -c 25 -w "$tmp/underlay.pcap" \
	"udp port 5000" 2>"$tmp/td.err" &
td=$!
wait_for 10 grep -q listening "$tmp/td.err" || fail "tcpdump on G's underlay did not start"
stream 239.2.2.3 sealed
wait $td
got "$tmp/h2.out" sealed >"$tmp/sealed.got"
cmp -s "$tmp/sealed.sent" "$tmp/sealed.got" ||
	fail "H2 received $(wc -l <"$tmp/sealed.got") of 20 datagrams through gem0, or not byte-exact"
equal "source H2 saw" "$(grep " sealed " "$tmp/h2.out" | cut -d' ' -f1 | sort -u)" 203.0.113.1
equal "sealed packets on the underlay from 203.0.113.1" \
	"$(tcpdump -r "$tmp/underlay.pcap" -n 2>/dev/null | grep -c "203.0.113.1.[0-9]* > 239.2.2.3.5000")" 25
grep -qa "sealed 00000" "$tmp/underlay.pcap" && fail "plaintext on the underlay"
mroute=$(ip -n "${ns[g]}" mroute show | grep "(203.0.113.1,239.2.2.3)")
case $mroute in
*"Iif: gem0"*"Oifs: g1"*) log "G forwards it from gem0: $(echo $mroute)" ;;
*) fail "G has no forwarding entry from gem0: $(ip -n "${ns[g]}" mroute show)" ;;
esac
equal "packets the gem0 rule normalized" \
	"$(gemctl_in "${ns[n]}" -j norm show | jq '.[] | select(.out == "gem0") | .packets')" 25
exit $KSFT_PASS
