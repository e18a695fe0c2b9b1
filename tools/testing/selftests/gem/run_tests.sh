#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run_tests.sh [TEST...]: runs the GEM selftests (all *.sh but this and
# lib.sh, by default) inside the test VM, one after another, each under a
# time limit, and prints a TAP line for each: "ok N name",
# "ok N name # SKIP", "not ok N name". Exits 1 if any failed.
cd "$(dirname "$0")" || exit 1

if [ $# -gt 0 ]; then
	tests=("$@")
else
	tests=()
	for t in *.sh; do
		case $t in lib.sh|run_tests.sh) ;; *) tests+=("$t") ;; esac
	done
fi

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0 failed=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	start=$(date +%s)
	out=$(timeout -k 5 "${GEM_TEST_TIMEOUT:-300}" bash "./$t" 2>&1)
	rc=$?
	secs=$(( $(date +%s) - start ))
	[ -n "$out" ] && sed 's/^/# /' <<<"$out"
	case $rc in
	0) echo "ok $n ${t%.sh} # ${secs}s" ;;
	4) echo "ok $n ${t%.sh} # SKIP" ;;
	124) echo "not ok $n ${t%.sh} # timed out"; failed=1 ;;
	*) echo "not ok $n ${t%.sh} # exit $rc"; failed=1 ;;
	esac
done
exit $failed
