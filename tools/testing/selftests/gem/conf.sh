#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Configuring groups and streams: bad input refused with a reason and
# nothing already installed lost; keys write-only; 100,000 streams install
# and dump complete; flush empties; only CAP_NET_ADMIN may change.
. "$(dirname "$0")/lib.sh"
require_gem

n=$(ns_new a)
tmp_new
must "veth" ip -n "$n" link add veth0 type veth peer name veth1
must "gem0" ip -n "$n" link add gem0 link veth0 type gem
gc() { gemctl_in "$n" "$@"; }

(umask 077; "$GEMCTL" genkey >"$tmp/k32"; "$GEMCTL" genkey >"$tmp/k32b"
	"$GEMCTL" genkey 16 >"$tmp/k16")
(umask 077; echo "AAECAwQFBgc=" >"$tmp/k8")
"$GEMCTL" genkey >"$tmp/open"
chmod 644 "$tmp/open"

must "a group" gc group gem0 set 239.1.0.0/16 key "$tmp/k32"
must "a group with cmac" gc group gem0 set ff3e::/16 key "$tmp/k16" tag cmac-aes
must "a tx stream" gc tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k32"
must "an rx stream" gc rx gem0 set 192.0.2.9 239.1.2.3 id 7 key "$tmp/k32"
# Key files for gemd: mode 0600, never over a file; a group keyed from a
# GAK file takes the GAK's data-tag subkey.
must "gen gak" "$GEMCTL" gen gak "$tmp/gak"
must "gen identity" "$GEMCTL" gen identity "$tmp/id"
equal "key file modes" "$(stat -c %a "$tmp/gak" "$tmp/id" | sort -u)" 600
refused "gen over a file" "File exists" "$GEMCTL" gen gak "$tmp/gak"
must "a group from a GAK" gc group gem0 set 239.77.0.0/16 gak "$tmp/gak"
equal "the GAK's group" "$(gc -j group gem0 show | jq -r '.[] | select(.group == "239.77.0.0") | .tag')" \
	hmac-sha256
must "the GAK's group gone" gc group gem0 del 239.77.0.0/16

refused "unicast group" "must lie within 224.0.0.0/4 or ff00::/8" \
	gc group gem0 set 10.0.0.0/8 key "$tmp/k32"
refused "host bits past the prefix" "bits set past its length" \
	gc group gem0 set 239.1.2.3/16 key "$tmp/k32"
refused "short tag key" "at least 16 needed" gc group gem0 set 239.2.0.0/16 key "$tmp/k8"
refused "readable key file" "readable by group or others" \
	gc group gem0 set 239.2.0.0/16 key "$tmp/open"
refused "unknown tag algorithm" "hmac-sha256 or cmac-aes" \
	gc group gem0 set 239.2.0.0/16 key "$tmp/k32" tag md5
refused "16-byte stream key" "at least 32 needed" \
	gc tx gem0 set 192.0.2.1 239.1.2.4 id 1 key "$tmp/k16"
refused "another key under the key id in use" "needs a new key id" \
	gc tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k32b"
# The key the stream has, set again: nothing changes (its packet numbers go on).
pn=$(gc -j tx gem0 show | jq '.[] | select(.group == "239.1.2.3") | .pn')
must "the same transmit key again" gc tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k32"
equal "its next packet number" "$(gc -j tx gem0 show | jq '.[] | select(.group == "239.1.2.3") | .pn')" "$pn"
refused "mixed families" "one family" gc tx gem0 set 192.0.2.1 ff3e::1 id 1 key "$tmp/k32"
refused "no such group" "no such protected group" gc group gem0 del 239.7.0.0/16
refused "no such stream" "no such stream" gc rx gem0 del 192.0.2.9 239.1.2.3 id 8
refused "not a gem device" "gem: not a gem device" gc group veth0 show
refused "no such device" "gem: no such device" gc tx nosuch0 flush
refused "key on the command line" "usage" gc tx gem0 set 192.0.2.1 239.1.2.5 id 2

# Nothing installed was lost, and no key is shown.
equal "groups" "$(gc -j group gem0 show | jq -r '[.[] | .group + "/" + (.prefixlen|tostring) + " " + .tag] | sort | join(",")')" \
	"239.1.0.0/16 hmac-sha256,ff3e::/16 cmac-aes"
equal "tx" "$(gc -j tx gem0 show | jq -r '.[] | .source + " " + .group + " " + (.key_id|tostring)')" \
	"192.0.2.1 239.1.2.3 1"
equal "rx" "$(gc -j rx gem0 show | jq -r '.[] | .source + " " + (.key_id|tostring)')" "192.0.2.9 7"
gc -j tx gem0 show | grep -qF "$(cat "$tmp/k32")" && fail "a key was dumped"

# Rollover: the new transmit key takes a new id, its packet numbers
# starting at the time of day (in ns), so above the old key's.
must "new tx key" gc tx gem0 set 192.0.2.1 239.1.2.3 id 2 key "$tmp/k32"
equal "tx key after rollover" "$(gc -j tx gem0 show | jq -r '.[] | .key_id')" 2
[ "$(gc -j tx gem0 show | jq -r '.[] | .pn')" -gt "$pn" ] ||
	fail "the new key's packet numbers do not start above the old key's ($pn)"

# 100,000 streams, one netlink request each, then one complete dump: it
# spans hundreds of netlink messages, each round resuming where the last
# stopped.
ifindex=$(ip netns exec "$n" cat /sys/class/net/gem0/ifindex)
must "100,000 rx streams" ip netns exec "$n" "$NLRAW" bulk-rx "$ifindex" 100000
dump=$(gc -j rx gem0 show)
equal "streams dumped" "$(jq length <<<"$dump")" 100001
equal "distinct streams dumped" "$(jq -r '.[] | .source + .group' <<<"$dump" | sort -u | wc -l)" 100001
equal "text dump lines" "$(gc rx gem0 show | wc -l)" 100001

# A dump that a change overtakes (NLM_F_DUMP_INTR) is read again; one
# that changes overtake every time (100,000 streams, constant churn) is
# refused after five tries, rather than passing off a mix of before and
# after as the table. dump.sh shows the retry succeeding.
(while :; do
	gc rx gem0 set 192.0.2.77 239.7.7.7 id 1 key "$tmp/k32" 2>/dev/null
	gc rx gem0 del 192.0.2.77 239.7.7.7 id 1 2>/dev/null
done) &
churn=$!
on_exit "kill $churn"
dump_quietly() { gc -j rx gem0 show >/dev/null; }
refused "dump overtaken by changes" "the table changed while it was read" dump_quietly
kill $churn
wait $churn 2>/dev/null
must "flush" gc rx gem0 flush
equal "after flush" "$(gc -j rx gem0 show | jq length)" 0
must "group flush" gc group gem0 flush
equal "groups after flush" "$(gc -j group gem0 show | jq length)" 0

# Only CAP_NET_ADMIN changes anything; reading stays open.
as_nobody() {
	ip netns exec "$n" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$@"
}
cp "$tmp/k32" "$tmp/nobody.key"
chown 65534 "$tmp/nobody.key"
chmod 755 "$tmp"
refused "unprivileged group set" "Operation not permitted" \
	as_nobody "$GEMCTL" group gem0 set 239.1.0.0/16 key "$tmp/nobody.key"
refused "unprivileged tx flush" "Operation not permitted" as_nobody "$GEMCTL" tx gem0 flush
# Who sends what to whom is not for everyone to read (privilege.sh).
refused "unprivileged read" "Operation not permitted" as_nobody "$GEMCTL" -j tx gem0 show
equal "the streams are still there" "$(gc -j tx gem0 show | jq length)" 1

exit $KSFT_PASS
