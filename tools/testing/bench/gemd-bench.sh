#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (tools/testing/bench/run-bench gemd boots it).
# The control plane on a chain of ten nodes, n1 - n2 - ... - n10, each
# measure made with gemd and, as its baseline, with babeld doing the
# nearest thing babeld does, on the same chain and timers:
#   propagation  gemd: a new stream's first packet at n1 until n10 holds
#                its key; babeld: a new address at n1 until n10 routes it
#   restart      n10's daemon restarted with nothing (gem0 and its keys
#                deleted) until it holds every key (gemd) or route (babeld)
#                it had, 3 streams or prefixes
#   bytes        Babel bytes sent per node per second (both interfaces),
#                in steady state, with 10 and with 100 streams keyed at n1
#                (gemd) or prefixes announced by n1 (babeld), over a
#                window of WINDOW seconds (160: gemd sends every item
#                again every 150 s at the default lifetime, babeld its
#                routes every 16 s; a shorter window holds a periodic
#                dump or not, by chance)
#   memory       resident memory of the daemon at n1, n5 and n10 with 1000
#                streams (gemd) or prefixes (babeld)
# Propagation and restart use test timers (hello 0.5 s, update 2 s);
# bytes and memory the defaults (hello 4 s, update 16 s). RUNS rounds of
# propagation and restart; medians. Prints ratios gemd/babeld.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=$(cd "$here/../../.." && pwd)
gemctl=$top/agent/gemctl/gemctl
gemd=$top/agent/gemd/gemd
RUNS=${RUNS:-3}
WINDOW=${WINDOW:-160}
NODES=10
tmp=$(mktemp -d)
ns=()

cleanup() {
	stop_all
	ip -all netns del 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

sw=gbench-sw
ip netns add $sw
ip -n $sw link add br0 type bridge mcast_snooping 0
ip -n $sw link set br0 up
for i in $(seq $NODES); do
	ns[$i]=gbench-n$i
	ip netns add "${ns[$i]}"
	ip netns exec "${ns[$i]}" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
	ip -n "${ns[$i]}" link set lo up
done
for i in $(seq $((NODES - 1))); do
	ip -n "${ns[$i]}" link add east type veth peer name west netns "${ns[$((i + 1))]}"
	ip -n "${ns[$i]}" link set east up
	ip -n "${ns[$((i + 1))]}" link set west up
done
for i in 1 $NODES; do
	ip -n $sw link add "p$i" type veth peer name eth0 netns "${ns[$i]}"
	ip -n $sw link set "p$i" master br0 up
	ip -n "${ns[$i]}" link set eth0 up
done
sleep 1
(umask 077; "$gemctl" gen gak "$tmp/gak" >/dev/null; "$gemctl" gen bk "$tmp/bk" >/dev/null)

ifaces() {
	[ "$1" -gt 1 ] && echo west
	[ "$1" -lt $NODES ] && echo east
}

declare -A pid
# start_babeld I HELLO UPDATE
start_babeld() {
	rm -f "$tmp/b$1.pid" "$tmp/b$1.state"
	# shellcheck disable=SC2046
	ip netns exec "${ns[$1]}" babeld -I "$tmp/b$1.pid" -S "$tmp/b$1.state" \
		-L "$tmp/b$1.log" -c /dev/null -M 0 -D \
		-C "default type wired hello-interval $2 update-interval $3" \
		-C "redistribute local ip fd70::/16 ge 128" -C "redistribute local deny" \
		$(ifaces "$1")
	for _ in $(seq 50); do [ -s "$tmp/b$1.pid" ] && break; sleep 0.1; done
	pid[$1]=$(cat "$tmp/b$1.pid")
}
# start_gemd I HELLO UPDATE [EXTRA CONFIG]
start_gemd() {
	{
		echo "identity $tmp/n$1.id"
		echo "bootstrap-key $tmp/bk"
		echo "socket $tmp/n$1.sock"
		echo "hello-interval $2"
		echo "update-interval $3"
		for f in $(ifaces "$1"); do echo "babel-interface $f"; done
		if [ "$1" = 1 ] || [ "$1" = $NODES ]; then
			echo "device gem0 underlay eth0"
		fi
		if [ "$1" = 1 ] || [ "$1" = $NODES ] || [ $(($1 % 2)) = 1 ]; then
			echo "group 239.0.0.0/8 gak $tmp/gak"
		fi
	} >"$tmp/n$1.conf"
	ip netns exec "${ns[$1]}" "$gemd" -c "$tmp/n$1.conf" >>"$tmp/n$1.log" 2>&1 &
	pid[$1]=$!
}
stop_one() {
	[ -n "${pid[$1]:-}" ] || return 0
	kill "${pid[$1]}" 2>/dev/null
	for _ in $(seq 50); do kill -0 "${pid[$1]}" 2>/dev/null || break; sleep 0.1; done
	pid[$1]=
}
stop_all() {
	for i in $(seq $NODES); do stop_one "$i"; done
}
# start_all DAEMON HELLO UPDATE
start_all() {
	for i in $(seq $NODES); do "start_$1" "$i" "$2" "$3"; done
}
status() { "$gemctl" -S "$tmp/n$1.sock" -j status 2>/dev/null | jq -r "$2"; }
# wait_true TIMEOUT_S COMMAND...: polls until COMMAND succeeds; 1 on timeout.
wait_true() {
	local end=$(( $(date +%s) + $1 ))
	shift
	while [ "$(date +%s)" -lt $end ]; do
		"$@" && return 0
		sleep 0.02
	done
	return 1
}
babel_route() { ip -n "${ns[$NODES]}" -6 route show "$1" proto babel | grep -q .; }
babel_routes() {
	[ "$(ip -n "${ns[$NODES]}" -6 route show proto babel | grep -c '^fd70:2::')" -ge "$1" ]
}
items_are() { [ "$(status "$1" .items)" = "$2" ]; }
pubkeys_are() {
	[ "$("$gemctl" -S "$tmp/n$1.sock" -j items 2>/dev/null |
		jq '[.[] | select(.kind == "public-key")] | length')" = "$2" ]
}
rx_keys() {
	local n

	n=$(ip netns exec "${ns[$NODES]}" "$gemctl" -j rx gem0 show 2>/dev/null | jq length)
	[ "${n:-0}" -ge "$1" ]
}
# send_streams FIRST COUNT: one datagram to each of COUNT groups from n1's gem0.
send_streams() {
	ip netns exec "${ns[1]}" /usr/bin/python3 - "$1" "$2" <<'PY'
import socket, struct, sys
first, count = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
             struct.pack("=4s4si", b"\0" * 4, b"\0" * 4, socket.if_nametoindex("gem0")))
for i in range(first, first + count):
    s.sendto(b"first", ("239.1.%d.%d" % (i // 250, i % 250 + 1), 5000))
PY
}
# tx_bytes I: Babel bytes n_I has sent on its chain interfaces.
tx_bytes() {
	local f total=0
	for f in $(ifaces "$1"); do
		total=$((total + $(ip -n "${ns[$1]}" -j -s link show "$f" | jq '.[0].stats64.tx.bytes')))
	done
	echo $total
}
# per_node_rate SECONDS: mean bytes/s sent per node over that window.
per_node_rate() {
	local i before=0 after=0
	for i in $(seq $NODES); do before=$((before + $(tx_bytes "$i"))); done
	sleep "$1"
	for i in $(seq $NODES); do after=$((after + $(tx_bytes "$i"))); done
	echo $(( (after - before) / $1 / NODES ))
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/${pid[$1]}/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (b > 0 ? "%.2f" : "-"), a / b }'; }

# --- babeld: test timers --------------------------------------------------
start_all babeld 0.5 2
sleep 6
for r in $(seq "$RUNS"); do
	t0=$(now_ms)
	ip -n "${ns[1]}" addr add "fd70:1::$r/128" dev lo
	wait_true 20 babel_route "fd70:1::$r" && echo $(( $(now_ms) - t0 )) >>"$tmp/babeld.prop"
done
for r in $(seq 3); do ip -n "${ns[1]}" addr add "fd70:2::$r/128" dev lo; done
wait_true 20 babel_routes 3
for r in $(seq "$RUNS"); do
	stop_one $NODES
	ip -n "${ns[$NODES]}" -6 route flush proto babel
	t0=$(now_ms)
	start_babeld $NODES 0.5 2
	wait_true 30 babel_routes 3 && echo $(( $(now_ms) - t0 )) >>"$tmp/babeld.restart"
	sleep 3
done
stop_all
ip -n "${ns[1]}" addr flush dev lo scope global

# --- gemd: test timers ----------------------------------------------------
start_all gemd 0.5 2
wait_true 60 pubkeys_are $NODES $NODES
ip -n "${ns[1]}" addr add 192.0.2.1/24 dev gem0
for r in $(seq "$RUNS"); do
	t0=$(now_ms)
	send_streams "$r" 1
	wait_true 20 rx_keys "$r" && echo $(( $(now_ms) - t0 )) >>"$tmp/gemd.prop"
done
items=$(status 9 .items)
for r in $(seq "$RUNS"); do
	stop_one $NODES
	ip -n "${ns[$NODES]}" link del gem0
	t0=$(now_ms)
	start_gemd $NODES 0.5 2
	wait_true 30 rx_keys "$RUNS" && echo $(( $(now_ms) - t0 )) >>"$tmp/gemd.restart"
	wait_true 30 items_are $NODES "$items"
	sleep 3
done
stop_all

# --- babeld: default timers -----------------------------------------------
start_all babeld 4 16
for n in 10 100; do
	for r in $(seq $n); do echo "addr add fd70:3::$n:$r/128 dev lo"; done |
		ip -n "${ns[1]}" -batch -
	sleep 20
	per_node_rate "$WINDOW" >"$tmp/babeld.bytes.$n"
	ip -n "${ns[1]}" addr flush dev lo scope global
	sleep 1
done
for r in $(seq 1000); do echo "addr add fd70:4::$r/128 dev lo"; done | ip -n "${ns[1]}" -batch -
sleep 40
for i in 1 5 $NODES; do rss_kb "$i" >"$tmp/babeld.rss.$i"; done
echo "$(ip -n "${ns[$NODES]}" -6 route show proto babel | wc -l)" >"$tmp/babeld.routes"
stop_all
ip -n "${ns[1]}" addr flush dev lo scope global

# --- gemd: default timers -------------------------------------------------
# Afresh: no gem device (and so no key) left from the first round.
for i in 1 $NODES; do ip -n "${ns[$i]}" link del gem0; done
start_all gemd 4 16
wait_true 120 pubkeys_are $NODES $NODES
ip -n "${ns[1]}" addr add 192.0.2.1/24 dev gem0
first=100
for n in 10 100; do
	# A stream's first packet asks for its key; one gem.ko could not
	# report (rate limit, a full buffer) is asked for by the next.
	for _ in $(seq 12); do
		send_streams $first $n
		wait_true 10 rx_keys "$n" && break
	done
	rx_keys "$n" || echo "warning: n$NODES holds fewer than $n keys" >&2
	sleep 20
	per_node_rate "$WINDOW" >"$tmp/gemd.bytes.$n"
	# The next count starts afresh: these streams' keys and items go.
	stop_all
	for i in 1 $NODES; do ip -n "${ns[$i]}" link del gem0; done
	start_all gemd 4 16
	wait_true 120 pubkeys_are $NODES $NODES
	ip -n "${ns[1]}" addr add 192.0.2.1/24 dev gem0
	first=$((first + n))
done
# gem.ko reports up to 200 new streams a second; what it did not report
# is asked again by the next packet.
for _ in $(seq 60); do
	send_streams 1000 1000
	sleep 2
	rx_keys 1000 && break
done
wait_true 120 rx_keys 1000
sleep 20
for i in 1 5 $NODES; do rss_kb "$i" >"$tmp/gemd.rss.$i"; done
ip netns exec "${ns[$NODES]}" "$gemctl" -j rx gem0 show | jq length >"$tmp/gemd.keys"
status 5 .items >"$tmp/gemd.items5"
stop_all

# --- report ---------------------------------------------------------------
med() { median <"$1" 2>/dev/null || echo -; }
echo
echo "gemd control plane, 10-node chain (TCG VM), medians of $RUNS"
printf '%-34s %10s %10s %8s\n' measure gemd babeld ratio
p_g=$(med "$tmp/gemd.prop"); p_b=$(med "$tmp/babeld.prop")
printf '%-34s %8s ms %7s ms %8s\n' "propagation over 9 hops (0.5/2 s)" "$p_g" "$p_b" "$(ratio "$p_g" "$p_b")"
r_g=$(med "$tmp/gemd.restart"); r_b=$(med "$tmp/babeld.restart")
printf '%-34s %8s ms %7s ms %8s\n' "restarted n10 whole (0.5/2 s)" "$r_g" "$r_b" "$(ratio "$r_g" "$r_b")"
for n in 10 100; do
	g=$(cat "$tmp/gemd.bytes.$n"); b=$(cat "$tmp/babeld.bytes.$n")
	printf '%-34s %7s B/s %6s B/s %8s\n' "bytes/s per node, $n (4/16 s)" "$g" "$b" "$(ratio "$g" "$b")"
done
for i in 1 5 $NODES; do
	g=$(cat "$tmp/gemd.rss.$i"); b=$(cat "$tmp/babeld.rss.$i")
	printf '%-34s %7s KiB %6s KiB %8s\n' "RSS at n$i, 1000 streams/prefixes" "$g" "$b" "$(ratio "$g" "$b")"
done
echo "n10 held $(cat "$tmp/gemd.keys") receive keys; n5 $(cat "$tmp/gemd.items5") items;" \
	"babeld's n10 $(cat "$tmp/babeld.routes") routes"
