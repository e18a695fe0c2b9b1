#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh [--kernel NAME] [TEST...]: runs the GEM selftests (all *.sh
# but this and lib.sh, by default) inside the test VM, each under a time
# limit, and prints a TAP line for each as it ends: "ok N name",
# "ok N name # SKIP", "not ok N name"; with --kernel, each name carries
# the kernel's ("ok 3 6.12/dataplane"), so that runs on several kernels
# count apart. A test after which the kernel complained (a WARN, KASAN,
# lockdep, ...) failed, whatever its status. On a kernel with kmemleak, a
# last line says whether it found a leak the tests made. Exits 1 if any
# failed.
#
# GEM_TEST_JOBS (2) tests run at once: each builds its own namespaces, and
# most spend their time waiting on timers (Babel's hellos, replay at a
# recorded pace), so two halve the suite's time on a 2-CPU guest. A test
# whose header has a line "# Runs alone: WHY" (it reloads gem.ko, sets a
# module-wide limit, counts what the whole kernel holds) runs after the
# others, one at a time.
cd "$(dirname "$0")" || exit 1
. ./lib.sh

prefix=
if [ "${1:-}" = --kernel ]; then
	[ -n "${2:-}" ] || { echo "run_tests.sh: --kernel needs a name" >&2; exit 2; }
	prefix=$2/
	shift 2
fi

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for t in *.sh; do
		case $t in lib.sh|run_tests.sh) ;; *) tests+=("$t") ;; esac
	done
fi
together=() alone=()
for t in "${tests[@]}"; do
	if grep -q '^# Runs alone:' "$t" 2>/dev/null; then alone+=("$t"); else together+=("$t"); fi
done
jobs=${GEM_TEST_JOBS:-2}
[ "$jobs" -ge 1 ] 2>/dev/null || { echo "run_tests.sh: GEM_TEST_JOBS=$jobs" >&2; exit 2; }

kmemleak=/sys/kernel/debug/kmemleak
total=${#tests[@]}
# kmemleak=off at boot leaves the file, but refuses every command but
# "clear" ("stack=on" is its default). What booting left unreferenced
# guest-run forgot before it loaded gem.ko.
if [ -w "$kmemleak" ] && echo stack=on 2>/dev/null >"$kmemleak"; then
	total=$((total + 1))
else
	kmemleak=
fi

echo "TAP version 13"
echo "1..$total"
out_dir=$(mktemp -d)
on_exit "rm -rf $out_dir"
n=0 k=0 failed=0 ended=0
# Each test answers for what the kernel logged in its window: from the end
# of the test before it in its slot (for a slot's first, from the line the
# VM's guest-run logs just before it loads gem.ko, or from boot outside
# that VM: gem.ko's loading included) to its own end. Each slot's windows follow on, so
# nothing falls between two; what two tests logged while both ran fails
# both, as either may have caused it; what a test's namespaces log as they
# finish dying may land in the next one's. After the last, the kernel is
# given the 10 s it waits before it reports a device whose references
# never drop.
declare -A test_of slot_of start_of
since=()
first=
dmesg | grep -q "$GEM_VM_BOOTED" && first=$GEM_VM_BOOTED
for ((s = 0; s < jobs; s++)); do since[s]=$first; done
freed=0

start() {	# start TEST SLOT
	local pid
	k=$((k + 1))
	kernel_mark "gem-selftest $$ $k ${1%.sh} start"
	timeout -k 5 "${GEM_TEST_TIMEOUT:-300}" bash "./$1" </dev/null >"$out_dir/$k" 2>&1 &
	pid=$!
	test_of[$pid]="$k ${1%.sh}"
	slot_of[$pid]=$2
	start_of[$pid]=$(date +%s)
}


# reap: waits for a test to end and reports it; its slot is left in
# $freed.
reap() {
	local pid rc id name s secs until complaints
	wait -n -p pid
	rc=$?
	read -r id name <<<"${test_of[$pid]}"
	s=${slot_of[$pid]}
	secs=$(( $(date +%s) - start_of[$pid] ))
	unset "test_of[$pid]" "slot_of[$pid]" "start_of[$pid]"
	running=$((running - 1))
	ended=$((ended + 1))
	[ "$ended" = "${#tests[@]}" ] && sleep 12
	until="gem-selftest $$ $id $name end"
	kernel_mark "$until"
	complaints=$(kernel_complaints "${since[s]}" "$until")
	since[s]=$until
	n=$((n + 1))
	[ -s "$out_dir/$id" ] && sed 's/^/# /' "$out_dir/$id"
	if [ -n "$complaints" ]; then
		sed 's/^/# kernel: /' <<<"$complaints"
		echo "not ok $n $prefix$name # the kernel complained (exit $rc)"
		failed=1
	else
		case $rc in
		0) echo "ok $n $prefix$name # ${secs}s" ;;
		4) echo "ok $n $prefix$name # SKIP" ;;
		124) echo "not ok $n $prefix$name # timed out"; failed=1 ;;
		*) echo "not ok $n $prefix$name # exit $rc"; failed=1 ;;
		esac
	fi
	freed=$s
}

running=0
free=()
for ((s = jobs - 1; s >= 0; s--)); do free+=("$s"); done
for t in "${together[@]}"; do
	if [ ${#free[@]} = 0 ]; then
		reap
		free+=("$freed")
	fi
	s=${free[-1]}
	unset 'free[-1]'
	start "$t" "$s"
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	reap
done
# Each slot's windows ran up to its last test's end; the alone tests'
# windows follow on from the last of those.
for t in "${alone[@]}"; do
	for ((s = 0; s < jobs; s++)); do since[s]=${since[freed]}; done
	start "$t" 0
	running=1
	reap
done

if [ -n "$kmemleak" ]; then
	n=$((n + 1))
	# An object is reported once it has been unreferenced for 5 s, and a
	# second scan drops what a stale pointer on a stack hid in the first.
	sleep 6
	echo scan >"$kmemleak"
	echo scan >"$kmemleak"
	leaks=$(cat "$kmemleak")
	if [ -n "$leaks" ]; then
		sed 's/^/# /' <<<"$leaks"
		echo "not ok $n ${prefix}kmemleak # $(grep -c '^unreferenced object' <<<"$leaks") objects leaked"
		failed=1
	else
		echo "ok $n ${prefix}kmemleak # nothing leaked"
	fi
fi
exit $failed
