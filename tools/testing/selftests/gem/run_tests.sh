#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh [--kernel NAME] [TEST...]: runs the GEM selftests (all *.sh
# but this and lib.sh, by default) inside the test VM, one after another,
# each under a time limit, and prints a TAP line for each: "ok N name",
# "ok N name # SKIP", "not ok N name"; with --kernel, each name carries
# the kernel's ("ok 3 6.12/dataplane"), so that runs on several kernels
# count apart. A test after which the kernel
# complained (a WARN, KASAN, lockdep, ...) failed, whatever its status.
# On a kernel with kmemleak, a last line says whether it found a leak
# the tests made. Exits 1 if any failed.
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
n=0 failed=0
# Each test answers for what the kernel logged from the end of the one
# before (from boot, for the first: gem.ko's loading included) to its own
# end, so nothing falls between two windows; what a test's namespaces log
# as they finish dying may land in the next one's. After the last, the
# kernel is given the 10 s it waits before it reports a device whose
# references never drop.
since=
for t in "${tests[@]}"; do
	n=$((n + 1))
	kernel_mark "gem-selftest $$ $n ${t%.sh} start"
	start=$(date +%s)
	out=$(timeout -k 5 "${GEM_TEST_TIMEOUT:-300}" bash "./$t" 2>&1)
	rc=$?
	secs=$(( $(date +%s) - start ))
	[ "$n" = "${#tests[@]}" ] && sleep 12
	until="gem-selftest $$ $n ${t%.sh} end"
	kernel_mark "$until"
	complaints=$(kernel_complaints "$since" "$until")
	since=$until
	[ -n "$out" ] && sed 's/^/# /' <<<"$out"
	if [ -n "$complaints" ]; then
		sed 's/^/# kernel: /' <<<"$complaints"
		echo "not ok $n $prefix${t%.sh} # the kernel complained (exit $rc)"
		failed=1
		continue
	fi
	case $rc in
	0) echo "ok $n $prefix${t%.sh} # ${secs}s" ;;
	4) echo "ok $n $prefix${t%.sh} # SKIP" ;;
	124) echo "not ok $n $prefix${t%.sh} # timed out"; failed=1 ;;
	*) echo "not ok $n $prefix${t%.sh} # exit $rc"; failed=1 ;;
	esac
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
