#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Removing gem.ko with devices in several namespaces deletes them all and
# leaks nothing: every device the module created it destroyed (counted
# from its debug messages, as WireGuard's netns test counts keypairs),
# and the underlays, whose references it held, can be deleted at once.
# Normalizer rules, which hold their in and out devices, are there too.
# A namespace deleted with a gem device and a rule inside frees them. The module
# is loaded again at the end for the tests that follow.
#
# Runs alone: it removes gem.ko.
. "$(dirname "$0")/lib.sh"
require_gem

# Device names unique to this test, so other tests' devices, destroyed
# whenever their namespaces finish dying, are not counted.
count() {
	dmesg | grep -c "gem: ulg[0-9a-z]*: $1"
}

echo 'module gem +p' >/sys/kernel/debug/dynamic_debug/control 2>/dev/null ||
	skip "no dynamic debug control"
c0=$(count 'created on')
d0=$(count 'destroyed')

for i in 1 2 3; do
	ns[i]=$(ns_new "n$i")
	must "veth" ip -n "${ns[i]}" link add veth0 type veth peer name veth1
	must "gem" ip -n "${ns[i]}" link add "ulg$i" link veth0 type gem
	must "up" ip -n "${ns[i]}" link set "ulg$i" up
done
must "a second device in n1" ip -n "${ns[1]}" link add veth2 type veth peer name veth3
must "gem on veth2" ip -n "${ns[1]}" link add ulg1b link veth2 type gem
for i in 1 2; do
	must "address in n$i" ip -n "${ns[i]}" addr add 192.0.2.1/24 dev veth0
	must "rule into gem in n$i" gemctl_in "${ns[i]}" norm set in veth1 source 0.0.0.0/0 \
		group 239.1.0.0/16 new-source 192.0.2.1 out "ulg$i"
	# Not out of the underlay: a stream may only leave that sealed.
	must "another veth in n$i" ip -n "${ns[i]}" link add veth6 type veth peer name veth7
	must "rule into veth in n$i" gemctl_in "${ns[i]}" norm set in veth1 source 0.0.0.0/0 \
		group 239.2.0.0/16 new-source 192.0.2.1 out veth6
done

# A namespace deleted with a gem device inside.
nd=$(ns_new dying)
must "veth in the dying namespace" ip -n "$nd" link add veth0 type veth peer name veth1
must "gem in the dying namespace" ip -n "$nd" link add ulgd link veth0 type gem
must "address in the dying namespace" ip -n "$nd" addr add 192.0.2.1/24 dev veth0
must "rule in the dying namespace" gemctl_in "$nd" norm set in veth1 source 0.0.0.0/0 \
	group 239.1.0.0/16 new-source 192.0.2.1 out ulgd
must "delete the namespace" ip netns del "$nd"
for _ in $(seq 50); do
	[ "$(dmesg | grep -c 'gem: ulgd: destroyed')" -ge 1 ] && break
	sleep 0.1
done
equal "ulgd destroyed with its namespace" "$(dmesg | grep -c 'gem: ulgd: destroyed')" 1

must "rmmod with devices present" timeout 30 rmmod gem
[ ! -d /sys/module/gem ] || fail "gem still loaded"
for i in 1 2 3; do
	equal "gem devices left in n$i" "$(ip -n "${ns[i]}" -o link show | grep -c ulg)" 0
	# A leaked reference would make this wait forever.
	must "delete underlay in n$i" timeout 10 ip -n "${ns[i]}" link del veth0
done
must "delete veth2" timeout 10 ip -n "${ns[1]}" link del veth2
for i in 1 2; do
	must "delete the rule's out device in n$i" timeout 10 ip -n "${ns[i]}" link del veth6
done

created=$(( $(count 'created on') - c0 ))
destroyed=$(( $(count 'destroyed') - d0 ))
log "created $created, destroyed $destroyed"
equal "devices created" "$created" 5
equal "devices destroyed" "$destroyed" "$created"
dmesg | grep -q 'unregister_netdevice: waiting' && fail "a device waited for its references"

must "insmod again" insmod "$GEM_KO"
must "a fresh underlay" ip -n "${ns[1]}" link add veth4 type veth peer name veth5
must "works again" ip -n "${ns[1]}" link add ulg9 link veth4 type gem
exit $KSFT_PASS
