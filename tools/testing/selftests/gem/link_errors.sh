#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad requests are refused with a message that names the problem, and
# leave what already runs untouched.
. "$(dirname "$0")/lib.sh"
require_gem
tmp_new

n1=$(ns_new a)
n2=$(ns_new b)
must "veth" ip -n "$n1" link add veth0 type veth peer name veth1
must "dummy-like veth in b" ip -n "$n2" link add veth0 type veth peer name veth1
must "gem0" ip -n "$n1" link add gem0 link veth0 type gem
veth0=$(ip netns exec "$n1" cat /sys/class/net/veth0/ifindex)

refused "no underlay" "an underlay is required" \
	ip -n "$n1" link add gemx type gem
refused "loopback underlay" "loopback cannot be an underlay" \
	ip -n "$n1" link add gemx link lo type gem
refused "gem on gem" "a gem device cannot be an underlay" \
	ip -n "$n1" link add gemx link gem0 type gem
refused "second gem on one underlay" "already carries a gem device" \
	ip -n "$n1" link add gemx link veth0 type gem
refused "MTU above the underlay's" "MTU above the underlay's MTU" \
	ip -n "$n1" link add gemx mtu 1459 link veth1 type gem
refused "link-layer address" "no link-layer address" \
	ip -n "$n1" link add gemx address 02:00:00:00:00:01 link veth1 type gem
# An index already taken fails register_netdevice after the device was
# set up (6.1 checks it only then): nothing of it stays. Its underlay
# takes a gem device at once, and lets go of it when deleted.
# (6.1 says EBUSY, 6.12 EEXIST.)
out=$(ip -n "$n1" link add gemx index "$veth0" link veth1 type gem 2>&1) &&
	fail "a gem device took ifindex $veth0, which veth0 has"
case $out in
*"resource busy"* | *"File exists"*) log "an ifindex already taken: refused: $out" ;;
*) fail "an ifindex already taken: refused with '$out'" ;;
esac
must "a gem device on that underlay" ip -n "$n1" link add gemy link veth1 type gem
must "deleting it" ip -n "$n1" link del gemy
# Created in b, underlay in a: the underlay is looked up where the request
# is made, the device lives in the other namespace.
refused "underlay in another namespace" "network namespace" \
	ip -n "$n1" link add gemx netns "$n2" link veth1 type gem
refused "underlay named in another namespace" "network namespace" \
	ip -n "$n1" link add gemx link-netns "$n2" link veth0 type gem
refused "no such underlay" "underlay device not found" \
	ip netns exec "$n1" "$NLRAW" link-ifindex 99999
refused "malformed IFLA_LINK" "error" \
	ip netns exec "$n1" "$NLRAW" link-short
refused "unknown link attribute" "no link attributes are supported" \
	ip netns exec "$n1" "$NLRAW" link-info-data "$(ip netns exec "$n1" cat /sys/class/net/veth1/ifindex)"

# The generic-netlink family.
refused "unknown genl attribute" "Unknown attribute type" \
	ip netns exec "$n1" "$NLRAW" genl-unknown-attr
refused "malformed genl attribute" "error EINVAL" \
	ip netns exec "$n1" "$NLRAW" genl-short-ifindex
refused "reserved header field" "reserved field is not 0" \
	ip netns exec "$n1" "$NLRAW" genl-reserved "$veth0"
refused "unknown command" "error EOPNOTSUPP" \
	ip netns exec "$n1" "$NLRAW" genl-unknown-cmd
refused "get without a device" "ifindex or ifname is required" \
	ip netns exec "$n1" "$NLRAW" genl-no-device
for d in tx rx group; do
	refused "$d dump without a device" "the gem device's ifindex is required" \
		ip netns exec "$n1" "$NLRAW" dump-$d
	refused "$d dump of lo" "error ENODEV: gem: no such gem device" \
		ip netns exec "$n1" "$NLRAW" dump-$d 1
done
equal "tx dump of gem0" "$(ip netns exec "$n1" "$NLRAW" dump-tx \
	"$(ip netns exec "$n1" cat /sys/class/net/gem0/ifindex)")" "ok 0"
# A command asked the way it is not (a do as a dump and the reverse) is
# refused before any handler runs: a handler of the other kind would be
# handed the wrong type of argument. 21 commands asked both ways, less
# the 13 ways they are meant to be asked and dev-get's two, leave 27.
ip netns exec "$n1" "$NLRAW" wrong-way "$(ip netns exec "$n1" cat /sys/class/net/gem0/ifindex)" \
	>"$tmp/wrong-way" 2>&1 || { cat "$tmp/wrong-way"; fail "a command asked the wrong way was not refused"; }
equal "commands asked the wrong way, refused" "$(tail -n 1 "$tmp/wrong-way")" "ok 27"
refused "gemctl show of a missing device" "gem: no such device" \
	gemctl_in "$n1" show nosuch0
refused "gemctl show of a veth" "gem: not a gem device" \
	gemctl_in "$n1" show veth0
refused "gemctl show of another namespace's device" "gem: no such device" \
	gemctl_in "$n2" show gem0
refused "gemctl unknown command" "unknown command" "$GEMCTL" frobnicate

# Nothing of the above disturbed gem0, and nothing half-made was left.
equal "devices after the refusals" "$(gemctl_in "$n1" -j show | jq -r '.[].ifname')" gem0
equal "no stray links" "$(ip -n "$n1" -o link show | grep -c 'gemx\|gemraw')" 0
equal "nothing in b" "$(gemctl_in "$n2" -j show | jq length)" 0

exit $KSFT_PASS
