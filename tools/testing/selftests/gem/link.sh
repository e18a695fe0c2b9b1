#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The gem link kind's life: devices created and deleted in several
# namespaces, each seeing only its own; gemctl show (text and JSON) reports
# name, underlay, MTU and counters; the MTU follows the underlay; the
# device goes when its underlay goes or leaves the namespace.
. "$(dirname "$0")/lib.sh"
require_gem

for i in 1 2 3; do
	ns[i]=$(ns_new "n$i")
	must "veth in ns$i" ip -n "${ns[i]}" link add veth0 type veth peer name veth1
	must "gem in ns$i" ip -n "${ns[i]}" link add "gem$i" link veth0 type gem
done

for i in 1 2 3; do
	# Exactly one device per namespace, its own.
	names=$(gemctl_in "${ns[i]}" -j show | jq -r '.[].ifname' | tr '\n' ' ')
	equal "devices in ns$i" "$names" "gem$i "
	dev=$(gemctl_in "${ns[i]}" -j show "gem$i")
	equal "underlay of gem$i" "$(jq -r '.[0].underlay.ifname' <<<"$dev")" veth0
	equal "underlay ifindex of gem$i" "$(jq -r '.[0].underlay.ifindex' <<<"$dev")" \
		"$(ip netns exec "${ns[i]}" cat /sys/class/net/veth0/ifindex)"
	equal "ifindex of gem$i" "$(jq -r '.[0].ifindex' <<<"$dev")" \
		"$(ip netns exec "${ns[i]}" cat /sys/class/net/gem$i/ifindex)"
	equal "MTU of gem$i" "$(jq -r '.[0].mtu' <<<"$dev")" 1458
	equal "ip's MTU of gem$i" "$(ip netns exec "${ns[i]}" cat /sys/class/net/gem$i/mtu)" 1458
	# ip shows the underlay as the link: gem1@veth0.
	ip -n "${ns[i]}" -o link show "gem$i" | grep -q "gem$i@veth0" ||
		fail "ip link does not show gem$i@veth0"
	text=$(gemctl_in "${ns[i]}" show)
	case $text in
	"gem$i: ifindex "*" underlay veth0 (ifindex "*") mtu 1458"*) ;;
	*) fail "gemctl show printed: $text" ;;
	esac
done

# Counters: nothing may leave unsealed yet, so every send counts as a drop.
# IPv6 off, so no MLD report races the count.
ns1=${ns[1]}
must "no IPv6 on gem1" ip netns exec "$ns1" sysctl -qw net.ipv6.conf.gem1.disable_ipv6=1
must "gem1 up" ip -n "$ns1" link set gem1 up
must "veth0 up" ip -n "$ns1" link set veth0 up
must "address" ip -n "$ns1" addr add 192.0.2.1/24 dev gem1
before=$(gemctl_in "$ns1" -j show gem1 | jq '.[0].stats.tx_dropped')
for i in 1 2 3; do
	echo "datagram $i" | ip netns exec "$ns1" socat -u - \
		UDP4-DATAGRAM:239.1.1.1:5000,ip-multicast-if=192.0.2.1 ||
		fail "socat could not send on gem1"
done
after=$(gemctl_in "$ns1" -j show gem1 | jq '.[0].stats.tx_dropped')
equal "drops for 3 datagrams" "$((after - before))" 3
equal "tx_packets" "$(gemctl_in "$ns1" -j show gem1 | jq '.[0].stats.tx_packets')" 0
ip_dropped=$(ip -n "$ns1" -j -s link show gem1 | jq '.[0].stats64.tx.dropped')
equal "ip -s agrees" "$ip_dropped" "$after"

# Underlay MTU changes: a smaller one pulls gem down, a larger one
# raises the ceiling but not the MTU.
must "underlay mtu 1400" ip -n "$ns1" link set veth0 mtu 1400
equal "gem1 mtu after 1400" "$(gemctl_in "$ns1" -j show gem1 | jq '.[0].mtu')" 1358
must "underlay mtu 9000" ip -n "$ns1" link set veth0 mtu 9000
must "gem1 mtu 8958" ip -n "$ns1" link set gem1 mtu 8958
refused "gem1 above the underlay" "mtu greater than device maximum" \
	ip -n "$ns1" link set gem1 mtu 8959
must "underlay mtu 1500" ip -n "$ns1" link set veth0 mtu 1500

# MTU given at creation, within the limit.
must "veth2" ip -n "$ns1" link add veth2 type veth peer name veth3
must "gem with mtu" ip -n "$ns1" link add gemm mtu 1300 link veth2 type gem
equal "created mtu" "$(gemctl_in "$ns1" -j show gemm | jq '.[0].mtu')" 1300

# A gem device stays in its namespace.
refused "gem moved to another netns" "" ip -n "$ns1" link set gem1 netns "${ns[2]}"

# Deleting the underlay (its veth peer) deletes the gem device.
must "delete veth1" ip -n "${ns[2]}" link del veth1
[ -z "$(gemctl_in "${ns[2]}" -j show | jq -r '.[].ifname')" ] ||
	fail "gem2 survived its underlay"

# Moving the underlay to another namespace deletes the gem device.
must "move veth0 of ns3" ip -n "${ns[3]}" link set veth0 netns "${ns[2]}"
equal "ns3 after its underlay left" "$(gemctl_in "${ns[3]}" -j show | jq length)" 0

# ip link del.
must "delete gem1" ip -n "$ns1" link del gem1
equal "ns1 after delete" "$(gemctl_in "$ns1" -j show | jq -r '.[].ifname')" gemm

# A dump spanning many netlink messages is complete: 300 devices.
n4=$(ns_new many)
for i in $(seq 1 300); do
	echo "link add u$i type veth peer name p$i"
	echo "link add g$i link u$i type gem"
done >"/tmp/$test_name-$$.batch"
must "300 devices" ip -n "$n4" -batch "/tmp/$test_name-$$.batch"
rm -f "/tmp/$test_name-$$.batch"
got=$(gemctl_in "$n4" -j show | jq -r '.[].ifname' | sort -V | tr '\n' ' ')
want=$(seq -f 'g%g' 1 300 | tr '\n' ' ')
equal "300-device dump" "$got" "$want"
equal "text dump lines" "$(gemctl_in "$n4" show | grep -c '^g[0-9]*: ')" 300

exit $KSFT_PASS
