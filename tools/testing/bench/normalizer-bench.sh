#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (tools/testing/bench/run-bench boots it). A
# source S (10.99.0.2, unroutable) floods a multicast UDP stream into node
# N, which passes it on to C in one of four ways:
#   fwd       the kernel's multicast forwarding (a static route), out of a veth
#   norm      a normalizer rule re-sources it, out of the same veth
#   fwdseal   multicast forwarding into gem0: sealed, not re-sourced
#   normseal  a normalizer rule re-sources it into gem0: re-sourced and sealed
# at 64, 512 and 1400-byte payloads, RUNS times each in rotating order;
# prints medians of datagrams/s sent by S and received by C, and the
# ratios norm/fwd and normseal/fwdseal: what re-sourcing costs a packet.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=$(cd "$here/../../.." && pwd)
gemctl=$top/agent/gemctl/gemctl
blast=$here/udpblast
mroute=$top/tools/testing/selftests/gem/mroute_static
RUNS=${RUNS:-5}
SECS=${SECS:-2}
tmp=$(mktemp -d)
s=nbench-s
n=nbench-n
c=nbench-c

cleanup() {
	for ns in $s $n $c; do
		ip netns del $ns 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

ns_up $s $n $c
ip -n $s link add eth0 type veth peer name lan netns $n
ip -n $n link add o0 type veth peer name i0 netns $c
ip -n $n link add eth1 type veth peer name eth1 netns $c
ip -n $s link set eth0 up
ip -n $s addr add 10.99.0.2/24 dev eth0
ip -n $n link set lan up
for dev in o0 eth1; do
	ip -n $n link set $dev up
	ip -n $c link set ${dev/o0/i0} up
done
ip -n $n addr add 192.0.2.1/24 dev o0
ip -n $c addr add 192.0.2.2/24 dev i0
ip -n $n addr add 198.51.100.1/24 dev eth1
ip -n $c addr add 198.51.100.2/24 dev eth1
gem_up $n $c
ip -n $n addr add 203.0.113.1/24 dev gem0
ip -n $c addr add 203.0.113.2/24 dev gem0
genkeys gak sek1 sek2
for ns in $n $c; do
	ip netns exec $ns "$gemctl" group gem0 set 239.1.0.0/16 key "$tmp/gak"
done
# fwdseal keeps the camera's source; normseal leaves from gem0's address.
ip netns exec $n "$gemctl" tx gem0 set 10.99.0.2 239.1.0.1 id 1 key "$tmp/sek1"
ip netns exec $c "$gemctl" rx gem0 set 10.99.0.2 239.1.0.1 id 1 key "$tmp/sek1"
ip netns exec $n "$gemctl" tx gem0 set 203.0.113.1 239.1.0.2 id 1 key "$tmp/sek2"
ip netns exec $c "$gemctl" rx gem0 set 203.0.113.1 239.1.0.2 id 1 key "$tmp/sek2"
ip netns exec $n "$gemctl" norm set in lan source 10.99.0.0/24 group 239.6.0.1 \
	new-source 192.0.2.1 out o0
ip netns exec $n "$gemctl" norm set in lan source 10.99.0.0/24 group 239.1.0.2 \
	new-source 203.0.113.1 out gem0
ip netns exec $n "$mroute" lan 10.99.0.2 239.5.0.1 o0 10.99.0.2 239.1.0.1 gem0 \
	>"$tmp/mroute" &
for _ in $(seq 50); do grep -q ready "$tmp/mroute" && break; sleep 0.1; done

# mode -> "send namespace and interface, receive namespace and interface, group"
declare -A path=(
	[fwd]="$s eth0 $c i0 239.5.0.1"
	[norm]="$s eth0 $c i0 239.6.0.1"
	[fwdseal]="$s eth0 $c gem0 239.1.0.1"
	[normseal]="$s eth0 $c gem0 239.1.0.2"
)
modes=(fwd norm fwdseal normseal)

echo "# normalizer: $RUNS runs of ${SECS}s per cell, order rotated each run; medians in datagrams/s"
measure 64 512 1400

printf '\n%-6s %-9s %12s %12s %12s\n' size mode sent/s recv/s "recv/base"
for size in 64 512 1400; do
	medians $size
	for m in "${modes[@]}"; do
		case $m in norm) b=fwd ;; normseal) b=fwdseal ;; *) b=$m ;; esac
		awk -v s=$size -v m=$m -v tx="${tx[$m]}" -v rx="${rx[$m]}" -v brx="${rx[$b]}" 'BEGIN {
			printf "%-6s %-9s %12.0f %12.0f %12.2f\n", s, m, tx, rx, brx ? rx / brx : 0 }'
	done
done
echo
echo "# rules after the run (their counters include every mode's share):"
ip netns exec $n "$gemctl" norm show
