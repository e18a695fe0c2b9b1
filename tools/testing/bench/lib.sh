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
