#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gemd's Babel interfaces may not be ready when it starts: at boot the
# link is not there yet, and a new link-local address is tentative until
# duplicate address detection ends, when the kernel refuses to send from
# it. gemd waits for each (saying why), then says Hello and asks for
# everything; nothing is sent from a tentative address. An interface that
# goes and comes back (a new ifindex) is taken up again.
. "$(dirname "$0")/lib.sh"
require_gemd

tmp_new
a=$(ns_new a)
c=$(ns_new c)
must "bk" "$GEMCTL" gen bk "$tmp/bk"
for n in a c; do
	# Three probes a second apart: each new address stays tentative ~3 s.
	ip netns exec "${!n}" sysctl -qw net.ipv6.conf.default.dad_transmits=3
	cat >"$tmp/$n.conf" <<CONF
identity $tmp/$n.id
bootstrap-key $tmp/bk
socket $tmp/$n.sock
babel-interface eth1 hello-interval 0.5 update-interval 2
CONF
	ip netns exec "${!n}" "$GEMD" -c "$tmp/$n.conf" >"$tmp/$n.log" 2>&1 &
	on_exit "kill $!"
done
st() { gemd_status "$tmp/$1.sock" "$2"; }
for _ in $(seq 50); do
	[ -S "$tmp/a.sock" ] && [ -S "$tmp/c.sock" ] && break
	sleep 0.1
done
equal "interfaces up with no eth1" "$(st a .interfaces_up) $(st c .interfaces_up)" "0 0"
grep -q "babel-interface eth1: no such interface" "$tmp/a.log" ||
	fail "A's gemd did not say why eth1 is not used: $(cat "$tmp/a.log")"

# together: until A and C are neighbours and each holds the other's Public Key.
together() {
	for _ in $(seq 100); do
		[ "$(st a .neighbours)" = 1 ] && [ "$(st c .neighbours)" = 1 ] &&
			[ "$(st a .items)" = 2 ] && [ "$(st c .items)" = 2 ] && return
		sleep 0.2
	done
	fail "$1: A and C are not neighbours holding each other's key:" \
		"$(cat "$tmp/a.log" "$tmp/c.log")"
}
veth_pair "$a" "$c"
for _ in $(seq 50); do
	ip -n "$a" -6 addr show dev eth1 scope link | grep -q inet6 && break
	sleep 0.1
done
tentative_seen=
for _ in $(seq 20); do
	ip -n "$a" -6 addr show dev eth1 scope link tentative | grep -q inet6 || break
	tentative_seen=1
	equal "A's interfaces up while its address is tentative" "$(st a .interfaces_up)" 0
	sleep 0.2
done
[ -n "$tentative_seen" ] || fail "A's link-local address was never seen tentative"
together "after DAD"
log "$(grep -c "no usable IPv6 link-local" "$tmp/a.log") warning(s) at A while eth1 was tentative"
grep -q "no usable IPv6 link-local address" "$tmp/a.log" ||
	fail "A's gemd did not say its address is tentative: $(cat "$tmp/a.log")"
equal "send errors at A and C" "$(st a .tx_errors) $(st c .tx_errors)" "0 0"

# The link goes, and comes back with a new ifindex.
must "link del" ip -n "$a" link del eth1
for _ in $(seq 50); do
	[ "$(st a .interfaces_up)" = 0 ] && break
	sleep 0.1
done
equal "A's interfaces up, eth1 gone" "$(st a .interfaces_up)" 0
veth_pair "$a" "$c"
for _ in $(seq 100); do
	[ "$(st a .interfaces_up)" = 1 ] && [ "$(st c .interfaces_up)" = 1 ] && break
	sleep 0.2
done
equal "interfaces up again" "$(st a .interfaces_up) $(st c .interfaces_up)" "1 1"
# A hears C's new address as a neighbour, and both still hold both keys.
c_ll=$(ip -n "$c" -6 addr show dev eth1 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')
for _ in $(seq 100); do
	"$GEMCTL" -S "$tmp/a.sock" neighbours | grep -q "^$c_ll " && break
	sleep 0.2
done
"$GEMCTL" -S "$tmp/a.sock" neighbours | grep -q "^$c_ll " ||
	fail "C ($c_ll) is not A's neighbour after eth1 came back: $(cat "$tmp/a.log")"
equal "items at A and C" "$(st a .items) $(st c .items)" "2 2"
# Sends between the link going and gemd noticing fail, and are counted.
log "send errors while eth1 was gone: A $(st a .tx_errors), C $(st c .tx_errors)"
exit $KSFT_PASS
