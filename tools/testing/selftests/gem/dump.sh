#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A dump of a device's keys that spans several netlink messages while keys
# change (they rotate all the time) is marked inconsistent by gem.ko
# (NLM_F_DUMP_INTR); gemctl reads it again rather than print part of
# one: every dump taken under churn is whole JSON, with every key.
. "$(dirname "$0")/lib.sh"
require_gem
N=500
churn=

tmp_new
a=$(ns_new a)
must "veth" ip -n "$a" link add eth1 type veth peer name eth2
must "eth1 up" ip -n "$a" link set eth1 up
must "gem0" ip -n "$a" link add gem0 link eth1 type gem
(umask 077; "$GEMCTL" genkey >"$tmp/sek")
must "group" gemctl_in "$a" group gem0 set 239.0.0.0/8 key "$tmp/sek"
for i in $(seq $N); do
	echo "239.1.$((i / 250)).$((i % 250 + 1))"
done | xargs -P 4 -I {} ip netns exec "$a" "$GEMCTL" rx gem0 set 192.0.2.1 {} id 1 key "$tmp/sek" ||
	fail "could not install $N receive keys"
equal "receive keys" "$(gemctl_in "$a" -j rx gem0 show | jq length)" $N

# Churn: two more keys come and go, over and over.
for src in 198.51.100.1 198.51.100.2; do
	(
		while :; do
			gemctl_in "$a" rx gem0 set $src 239.9.9.9 id 1 key "$tmp/sek"
			gemctl_in "$a" rx gem0 del $src 239.9.9.9 id 1
		done
	) >/dev/null 2>&1 &
	on_exit "kill $! 2>/dev/null"
	churn+=" $!"
done
bad=0
for i in $(seq 20); do
	if ! gemctl_in "$a" -j rx gem0 show >"$tmp/d.$i" 2>"$tmp/e.$i"; then
		bad=$((bad + 1))
		log "dump $i failed: $(cat "$tmp/e.$i")"
		continue
	fi
	n=$(jq length "$tmp/d.$i" 2>/dev/null) || { bad=$((bad + 1)); log "dump $i: not JSON"; continue; }
	[ "$n" -ge $N ] && [ "$n" -le $((N + 2)) ] || { bad=$((bad + 1)); log "dump $i: $n keys"; }
done
# shellcheck disable=SC2086
kill $churn
equal "dumps under churn that were not whole" "$bad" 0
exit $KSFT_PASS
