# SPDX-License-Identifier: GPL-2.0
#
# Sourced by the benchmarks that run in the test VM. They set $tmp, $blast,
# $gemctl, $RUNS and $SECS, a "modes" array and a "path" of each mode, or
# run_one MODE SIZE of their own.

# blast SEND_NS SEND_IF RECV_NS RECV_IF GROUP SIZE: floods GROUP for $SECS
# seconds; prints "sent/s received/s".
blast() {
	ip netns exec "$3" "$blast" recv "$4" "$5" 9000 $((SECS + 2)) >"$tmp/r" 2>"$tmp/r.err" &
	local rp=$!
	for _ in $(seq 50); do grep -q ready "$tmp/r.err" && break; sleep 0.1; done
	ip netns exec "$1" "$blast" send "$2" "$5" 9000 "$6" "$SECS" >"$tmp/s"
	wait $rp
	awk -v s="$(cat "$tmp/s")" '{ split(s, a, " "); printf "%.0f %.0f\n", a[1] / a[3], ($3 > 0 ? $1 / $3 : 0) }' "$tmp/r"
}

# run_one MODE SIZE: blast along ${path[MODE]}, "SEND_NS SEND_IF RECV_NS
# RECV_IF GROUP"; prints "sent/s received/s".
run_one() {
	local sns sif rns rif group
	read -r sns sif rns rif group <<<"${path[$1]}"
	blast "$sns" "$sif" "$rns" "$rif" "$group" "$2"
}

# ns_up NS...: each NS made, its lo up.
ns_up() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
	done
}

# gem_up NS...: a gem0 over eth1 in each NS, up.
gem_up() {
	local ns
	for ns in "$@"; do
		ip -n "$ns" link add gem0 link eth1 type gem
		ip -n "$ns" link set gem0 up
	done
}

# genkeys NAME...: a random key in $tmp/NAME each, readable by its owner alone.
genkeys() {
	(umask 077; for k in "$@"; do "$gemctl" genkey >"$tmp/$k"; done)
}

# median: the median of the numbers on stdin, one a line.
median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# measure SIZE...: RUNS rounds of every mode at each size, the order
# rotated each round, into $tmp/MODE.SIZE.tx and .rx.
measure() {
	local size run i m tx rx
	for size in "$@"; do
		for run in $(seq "$RUNS"); do
			for i in "${!modes[@]}"; do
				m=${modes[$(( (i + run) % ${#modes[@]} ))]}
				read -r tx rx < <(run_one "$m" "$size")
				echo "$tx" >>"$tmp/$m.$size.tx"
				echo "$rx" >>"$tmp/$m.$size.rx"
			done
		done
	done
}

# medians SIZE: tx[MODE] and rx[MODE], the medians measure took at SIZE,
# for every mode.
declare -A tx rx
medians() {
	local m
	for m in "${modes[@]}"; do
		tx[$m]=$(median <"$tmp/$m.$1.tx")
		rx[$m]=$(median <"$tmp/$m.$1.rx")
	done
}

# proc_crypto DRIVER FIELD: FIELD of /proc/crypto's entry for DRIVER.
proc_crypto() {
	awk -v drv="$1" -v field="$2" '
		/^$/ { if (d == drv && v != "") print v; d = v = ""; next }
		{ k = $0; sub(/[ \t]*:.*/, "", k); val = $0; sub(/^[^:]*: /, "", val) }
		k == "driver" { d = val }
		k == field { v = val }
		END { if (d == drv && v != "") print v }' /proc/crypto | head -n 1
}

# best_driver ALG: the driver an allocation of ALG gets, the highest-
# priority entry of that name that is not internal.
best_driver() {
	awk -v alg="$1" '
		function done() {
			if (n == alg && internal != "yes" && p > bp) { bp = p; bd = d }
			n = d = internal = ""; p = -1
		}
		BEGIN { bp = -1; p = -1 }
		/^$/ { done(); next }
		{ k = $0; sub(/[ \t]*:.*/, "", k); v = $0; sub(/^[^:]*: /, "", v) }
		k == "name" { n = v }
		k == "driver" { d = v }
		k == "priority" { p = v + 0 }
		k == "internal" { internal = v }
		END { done(); print bd }' /proc/crypto
}

# two_streams SIZE: GEM's two streams (239.1.2.3, 239.1.2.4) from two
# senders pinned to vCPUs 0 and 1 for $SECS seconds; prints the datagrams/s
# C received of both.
two_streams() {
	local g i rp=()
	for i in 0 1; do
		g=239.1.2.$((3 + i))
		ip netns exec $c "$blast" recv gem0 $g 9000 $((SECS + 2)) >"$tmp/r$i" 2>"$tmp/r$i.err" &
		rp+=($!)
	done
	for _ in $(seq 50); do grep -q ready "$tmp/r0.err" && grep -q ready "$tmp/r1.err" && break; sleep 0.1; done
	for i in 0 1; do
		ip netns exec $a taskset -c $i "$blast" send gem0 239.1.2.$((3 + i)) 9000 "$1" "$SECS" >"$tmp/s$i" &
	done
	wait
	cat "$tmp/r0" "$tmp/r1" | awk '{ if ($3 > 0) sum += $1 / $3 } END { printf "%.0f\n", sum }'
}

# add_streams N: N transmit streams at A and N receive streams at C, to
# groups of 239.1.0.0/16 from 239.1.16.0 on, which no one sends to, with
# the key in $tmp/sek. One xargs inside each namespace: an `ip netns
# exec` per call would take most of an hour under TCG.
add_streams() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "tx gem0 set 192.0.2.1 239.1.$((16 + i / 256)).$((i % 256)) id 1 key $tmp/sek"
	done | ip netns exec $a xargs -P 2 -L 1 "$gemctl" >/dev/null
	for ((i = 0; i < $1; i++)); do
		echo "rx gem0 set 192.0.2.1 239.1.$((16 + i / 256)).$((i % 256)) id 1 key $tmp/sek"
	done | ip netns exec $c xargs -P 2 -L 1 "$gemctl" >/dev/null
}
