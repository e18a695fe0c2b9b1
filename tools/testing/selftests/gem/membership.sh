#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Groups joined on gem0 are joined on the underlay too, so switches and
# routers deliver the sealed stream; they are left when the listener
# goes, and when gem0 goes.
. "$(dirname "$0")/lib.sh"
require_gem

n=$(ns_new a)
must "veth" ip -n "$n" link add eth1 type veth peer name eth2
must "up" ip -n "$n" link set eth1 up
must "gem0" ip -n "$n" link add gem0 link eth1 type gem
must "gem0 up" ip -n "$n" link set gem0 up
must "address" ip -n "$n" addr add 192.0.2.1/24 dev gem0
must "address6" ip -n "$n" addr add 2001:db8::1/64 dev gem0 nodad

# until_maddr PRESENT GROUP: waits for GROUP to be (1) or not be (0) on eth1.
until_maddr() {
	for _ in $(seq 60); do
		if ip -n "$n" maddr show dev eth1 | grep -qw "$2"; then
			[ "$1" = 1 ] && return 0
		else
			[ "$1" = 0 ] && return 0
		fi
		sleep 0.1
	done
	return 1
}

ip netns exec "$n" $MC recv gem0 239.1.2.3 5000 1 4 >/dev/null 2>&1 &
l4=$!
ip netns exec "$n" $MC recv gem0 ff3e::4321 5000 1 4 >/dev/null 2>&1 &
l6=$!
until_maddr 1 239.1.2.3 || fail "eth1 did not join 239.1.2.3 for gem0"
until_maddr 1 ff3e::4321 || fail "eth1 did not join ff3e::4321 for gem0"
log "eth1 holds: $(ip -n "$n" maddr show dev eth1 | awk '$1 ~ /^inet/ { printf "%s ", $2 }')"

wait $l4 $l6
until_maddr 0 239.1.2.3 || fail "eth1 kept 239.1.2.3 after the listener left"
until_maddr 0 ff3e::4321 || fail "eth1 kept ff3e::4321 after the listener left"

ip netns exec "$n" $MC recv gem0 239.1.2.4 5000 1 30 >/dev/null 2>&1 &
l4=$!
on_exit "kill $l4"
until_maddr 1 239.1.2.4 || fail "eth1 did not join 239.1.2.4"
must "delete gem0" ip -n "$n" link del gem0
until_maddr 0 239.1.2.4 || fail "eth1 kept 239.1.2.4 after gem0 was deleted"
exit $KSFT_PASS
