#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an unprivileged user can do with a user namespace of its own (on by
# default in Debian): the root of a user and network namespace may make gem
# devices there and configure them, but cannot make the kernel hold more
# than its limits, what it makes is charged to its memory cgroup, and its
# changes never wait for an RCU grace period while they hold RTNL (which
# would stall every namespace's links and routes, in a loop).
#
# Runs alone: it lowers gem.ko's module-wide limits, and traces every gemctl.
. "$(dirname "$0")/lib.sh"
require_gem
if ! setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U -r -n true 2>/dev/null; then
	skip "unprivileged user namespaces are disabled"
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
P=/sys/module/gem/parameters
saved=$(cat $P/max_rx_streams $P/max_groups $P/max_norm_rules)
on_exit "read -r r g n <<<'$(echo $saved)'; echo \$r >$P/max_rx_streams; echo \$g >$P/max_groups; echo \$n >$P/max_norm_rules"
echo 50 >$P/max_rx_streams
echo 8 >$P/max_groups
echo 8 >$P/max_norm_rules
for k in k1 k2; do
	"$GEMCTL" genkey >"$tmp/$k"
done
chown 65534:65534 "$tmp"/k1 "$tmp"/k2
chmod 600 "$tmp"/k1 "$tmp"/k2

# as_user SCRIPT: runs bash SCRIPT as nobody, root of a new user and network namespace.
as_user() {
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U -r -n bash -c "
		set -e
		G=$GEMCTL
		ip link add veth0 type veth peer name veth1
		ip link set veth0 up; ip link set veth1 up
		ip addr add 192.0.2.1/24 dev veth1
		ip link add gem0 link veth0 type gem
		$1"
}

out=$(as_user '
	for i in $(seq 0 49); do
		$G rx gem0 set 192.0.2.1 239.1.0.$i id 1 key '"$tmp"'/k1
	done
	$G rx gem0 set 192.0.2.1 239.1.1.1 id 1 key '"$tmp"'/k1 2>&1 || echo refused
	$G -j rx gem0 show | jq length' 2>&1)
case $out in
*"max_rx_streams"*refused*50) log "receive keys held at 50: ${out%%$'\n'*}" ;;
*) fail "receive keys beyond the limit: $out" ;;
esac
out=$(as_user '
	for i in $(seq 1 8); do $G group gem0 set 239.$i.0.0/16 key '"$tmp"'/k1; done
	$G group gem0 set 239.9.0.0/16 key '"$tmp"'/k1 2>&1 || echo refused' 2>&1)
case $out in
*"max_groups"*refused) log "groups held at 8" ;;
*) fail "groups beyond the limit: $out" ;;
esac
out=$(as_user '
	for i in $(seq 1 8); do
		$G norm set in veth0 source 10.$i.0.0/16 group 239.1.0.0/16 new-source 192.0.2.1 out gem0
	done
	$G norm set in veth0 source 10.9.0.0/16 group 239.1.0.0/16 new-source 192.0.2.1 out gem0 2>&1 ||
		echo refused' 2>&1)
case $out in
*"max_norm_rules"*refused) log "normalizer rules held at 8" ;;
*) fail "normalizer rules beyond the limit: $out" ;;
esac

# No packet passed round forever: two rules that re-source each other's
# output with a fixed TTL (the second and third below) must not loop one
# datagram between a veth's ends, which would spin a CPU in softirq. The
# camera sits in a network namespace of its own, made inside the user's.
out=$(as_user '
	MC="/usr/bin/python3 '"$GEM_TOP"'/tools/testing/selftests/gem/mcast.py"
	unshare -n sleep 60 &
	cam=$!
	while [ "$(readlink /proc/$cam/ns/net)" = "$(readlink /proc/self/ns/net)" ]; do sleep 0.05; done
	ip link add cam type veth peer name lan
	ip link set cam netns $cam
	nsenter -t $cam -n sh -c "ip link set cam up; ip addr add 10.99.0.2/24 dev cam"
	ip link add p0 type veth peer name p1
	for d in lan p0 p1; do ip link set $d up; done
	ip addr add 192.0.2.11/32 dev p0
	ip addr add 192.0.2.13/32 dev p0
	$G norm set in lan source 10.99.0.0/24 group 239.5.0.0/16 new-source 192.0.2.11 out p0
	$G norm set in p1 source 192.0.2.11/32 group 239.5.0.0/16 new-source 192.0.2.13 out p0 ttl 64
	$G norm set in p1 source 192.0.2.13/32 group 239.5.0.0/16 new-source 192.0.2.11 out p0 ttl 64
	nsenter -t $cam -n $MC send cam 239.5.1.1 5000 1 LOOP >/dev/null
	sleep 2
	a=$($G -j norm show | jq "[.[].packets] | add")
	sleep 1
	b=$($G -j norm show | jq "[.[].packets] | add")
	kill $cam
	echo "$a $b"' 2>&1)
read -r a b <<<"${out##*$'\n'}"
log "one datagram into rules that re-source each other: normalized $a times, then $b a second later"
[ "$a" -ge 1 ] 2>/dev/null || fail "the loop test did not run: $out"
equal "times one datagram was normalized" "$b" 1

# No grace period waited for under RTNL: replace and delete keys, groups
# and rules in a loop while the function tracer counts.
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
if [ -w $T/set_ftrace_filter ] &&
	echo 'synchronize_rcu synchronize_rcu_expedited synchronize_net' >$T/set_ftrace_filter 2>/dev/null; then
	echo >$T/trace
	echo function >$T/current_tracer
	on_exit "echo nop >$T/current_tracer; echo >$T/set_ftrace_filter"
	echo 1 >$T/tracing_on
	out=$(as_user '
		$G group gem0 set 239.1.0.0/16 key '"$tmp"'/k1
		$G norm set in veth0 source 10.1.0.0/16 group 239.1.0.0/16 new-source 192.0.2.1 out gem0
		for i in $(seq 20); do
			$G rx gem0 set 192.0.2.1 239.1.0.1 id 1 key '"$tmp"'/k$((i % 2 + 1))
			$G tx gem0 set 192.0.2.1 239.1.0.1 id $((i % 2 + 1)) key '"$tmp"'/k1
			$G group gem0 set 239.1.0.0/16 key '"$tmp"'/k$((i % 2 + 1))
			$G norm set in veth0 source 10.1.0.0/16 group 239.1.0.0/16 new-source 192.0.2.1 out gem0
			$G rx gem0 del 192.0.2.1 239.1.0.1 id 1
			$G norm del in veth0 source 10.1.0.0/16 group 239.1.0.0/16
			$G norm set in veth0 source 10.1.0.0/16 group 239.1.0.0/16 new-source 192.0.2.1 out gem0
		done
		$G rx gem0 flush; $G tx gem0 flush; $G group gem0 flush; $G norm flush
		echo done' 2>&1)
	echo 0 >$T/tracing_on
	[ "${out##*$'\n'}" = done ] || fail "the loop failed: $out"
	waits=$(grep -c '^ *gemctl-' $T/trace)
	log "grace periods waited for by gemctl's requests: $waits"
	equal "grace periods waited for under RTNL by 160 changes" "$waits" 0
else
	log "no function tracer here: the grace-period count is left out"
fi

# Charged to the memory cgroup of whoever made it.
cg=/sys/fs/cgroup
[ -f $cg/cgroup.controllers ] || mount -t cgroup2 none $cg 2>/dev/null
if grep -qw memory $cg/cgroup.controllers 2>/dev/null; then
	echo +memory >$cg/cgroup.subtree_control 2>/dev/null
	mkdir -p $cg/gemtest
	on_exit "rmdir $cg/gemtest 2>/dev/null"
	echo 300 >$P/max_rx_streams
	slab() { awk '$1 == "slab_unreclaimable" { print $2 }' $cg/gemtest/memory.stat; }
	out=$(bash -c "echo \$\$ >$cg/gemtest/cgroup.procs; $(declare -f as_user); GEMCTL=$GEMCTL
		as_user 'before=\$(awk '\''\$1 == \"slab_unreclaimable\" { print \$2 }'\'' $cg/gemtest/memory.stat)
			for i in \$(seq 0 299); do
				\$G rx gem0 set 192.0.2.1 239.1.\$((i / 256)).\$((i % 256)) id 1 key $tmp/k1
			done
			after=\$(awk '\''\$1 == \"slab_unreclaimable\" { print \$2 }'\'' $cg/gemtest/memory.stat)
			echo \$((after - before))'" 2>&1)
	grown=${out##*$'\n'}
	log "unreclaimable slab charged to the user's cgroup for 300 receive keys: $grown bytes"
	[ "$grown" -ge $((300 * 256)) ] 2>/dev/null ||
		fail "300 receive keys charged $out bytes to their maker's cgroup"
else
	log "no memory cgroup here: the charge is left out"
fi
exit $KSFT_PASS
