#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Changes need CAP_NET_ADMIN in the device's namespace: an unprivileged
# user is refused, while a user namespace's root may manage gem devices
# of the network namespace it owns. What a device is stays open to read,
# like ip link; who sends what to whom (its groups and streams, the
# normalizer's rules and streams) needs CAP_NET_ADMIN, like ip xfrm and
# the events group.
. "$(dirname "$0")/lib.sh"
require_gem

n1=$(ns_new a)
must "veth" ip -n "$n1" link add veth0 type veth peer name veth1
must "gem0" ip -n "$n1" link add gem0 link veth0 type gem

as_nobody() {
	ip netns exec "$n1" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}

refused "unprivileged create" "Operation not permitted" \
	as_nobody ip link add gemx link veth1 type gem
refused "unprivileged delete" "Operation not permitted" \
	as_nobody ip link del gem0
refused "unprivileged events" "CAP_NET_ADMIN" \
	as_nobody "$GEMCTL" monitor -c 1
equal "unprivileged read" "$(as_nobody "$GEMCTL" -j show | jq -r '.[].ifname')" gem0
for what in group tx rx; do
	refused "unprivileged $what dump" "Operation not permitted" as_nobody "$GEMCTL" $what gem0 show
done
refused "unprivileged normalizer rule dump" "Operation not permitted" as_nobody "$GEMCTL" norm show
refused "unprivileged normalizer stream dump" "Operation not permitted" \
	as_nobody "$GEMCTL" norm streams
must "root's dumps" gemctl_in "$n1" rx gem0 show

# A user namespace owning a fresh network namespace: CAP_NET_ADMIN there.
if ! setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U -r -n true 2>/dev/null; then
	skip "unprivileged user namespaces are disabled"
fi
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups unshare -U -r -n bash -c "
	ip link add veth0 type veth peer name veth1 &&
	ip link add gemu link veth0 type gem &&
	$GEMCTL -j show" 2>&1) || fail "user namespace root could not create a gem device: $out"
equal "gem device in the user's namespace" "$(jq -r '.[].ifname' <<<"$out")" gemu

exit $KSFT_PASS
