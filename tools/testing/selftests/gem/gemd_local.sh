#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A local user cannot make gemd key streams it does not own. Any user may
# send on gem0, and an unprivileged one may send from an address that is
# not the host's (IPV6_FREEBIND): gem.ko asks gemd for a key either way.
# gemd keys only sources that are addresses of this node, so the user
# cannot have it announce, in this node's name, a stream of someone
# else's address; and it keys at most max-new-streams a second per
# source, so a user sending to many groups at once cannot fill its tables
# or the domain's with announcements.
. "$(dirname "$0")/lib.sh"
require_gemd

tmp=$(mktemp -d)
chmod 755 "$tmp"
on_exit "rm -rf $tmp"
must "gak" "$GEMCTL" gen gak "$tmp/gak"
must "bk" "$GEMCTL" gen bk "$tmp/bk"
a=$(ns_new a)
nodad "$a"
must "veth" ip -n "$a" link add eth1 type veth peer name eth2
must "eth1 up" ip -n "$a" link set eth1 up
must "eth2 up" ip -n "$a" link set eth2 up
gem0_up "$a" 192.0.2.1/24
must "gem0 v6" ip -n "$a" addr add 2001:db8::1/64 dev gem0 nodad
gemd_conf a "group 239.1.0.0/16 gak $tmp/gak" "group ff3e::/16 gak $tmp/gak" "max-new-streams 5"
gemd_run a "$a"
for _ in $(seq 50); do [ -S "$tmp/a.sock" ] && break; sleep 0.1; done
"$GEMCTL" -S "$tmp/a.sock" events >"$tmp/a.events" 2>&1 &
on_exit "kill $!"
sleep 1

as_nobody() {
	ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
st() { gemd_status "$tmp/a.sock" "$1"; }
streams() { gemctl_in "$a" -j tx gem0 show | jq -r '.[] | .source + " " + .group' | sort; }

# Another's address, IPv6 and IPv4, from an unprivileged user.
must "a foreign source (v6)" as_nobody $MC send-from gem0 2001:db8::99 ff3e::4321 5000 foreign
# IPv4 refuses a source not of the host even with IP_FREEBIND; tried anyway.
as_nobody $MC send-from gem0 192.0.2.99 239.1.2.3 5000 foreign >/dev/null 2>&1 ||
	log "IPv4: the kernel refuses the foreign source itself"
# The node's own address, from the same user: keyed.
must "the node's own source" as_nobody $MC send-from gem0 2001:db8::1 ff3e::4321 5000 own
for _ in $(seq 50); do [ -n "$(streams)" ] && break; sleep 0.1; done
sleep 1
equal "streams gemd keyed" "$(streams)" "2001:db8::1 ff3e::4321"
[ "$(st .refused_foreign)" -ge 1 ] || fail "no foreign source counted: $(st .)"
grep -q "key-refused-foreign-source .*2001:db8::99" "$tmp/a.events" ||
	fail "no event for the foreign source: $(cat "$tmp/a.events")"
grep -q "2001:db8::99" <("$GEMCTL" -S "$tmp/a.sock" items) &&
	fail "gemd announced the foreign stream"

# 40 groups at once from the node's own address: 5 keyed at once (the
# burst), then 5 a second as the sender keeps sending.
groups=$(for g in $(seq 1 40); do printf '239.1.9.%d,' "$g"; done)
groups=${groups%,}
start=$(date +%s%N)
must "40 groups" as_nobody $MC send-from gem0 192.0.2.1 "$groups" 5000 many
sleep 0.5
first=$(streams | grep -c '239\.1\.9\.')
elapsed=$(( ($(date +%s%N) - start) / 1000000000 + 1 ))
log "keyed at first: $first of 40 (in ${elapsed} s)"
[ "$first" -ge 1 ] && [ "$first" -le $((5 + 5 * elapsed)) ] ||
	fail "$first streams keyed at once, not at most $((5 + 5 * elapsed))"
[ "$(st .refused_rate)" -ge 1 ] || fail "no stream held back by max-new-streams: $(st .)"
for _ in $(seq 30); do
	[ "$(streams | grep -c '239\.1\.9\.')" = 40 ] && break
	as_nobody $MC send-from gem0 192.0.2.1 "$groups" 5000 again >/dev/null
	sleep 1
done
equal "streams keyed in the end" "$(streams | grep -c '239\.1\.9\.')" 40
exit $KSFT_PASS
