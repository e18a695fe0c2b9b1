#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A node of the domain cannot crowd the items of others out of a gemd
# with identities it makes up. X holds the BK (our tool speaks inside its
# ESP) and four identities of its own making; it floods C, whose table
# holds 16 items (max-items), with their Public Keys and 20 stream-key
# announcements for a group whose GAK C does not hold: C can check their
# signatures but not their group MAC, so it keeps them only as relayed.
# C fills, and refuses or evicts. Then A, which shares C's GAK, keys a
# stream: its announcement, MAC-checked at C, takes the place of a
# relayed one, C installs the key, and the stream reaches C byte-exact.
. "$(dirname "$0")/lib.sh"
require_gemd
require_forge

tmp_new
chmod 755 "$tmp"
domain_keys x.gak
for i in 1 2 3 4; do
	must "X's identity $i" "$GEMCTL" gen identity "$tmp/x$i.id"
done
segment_of a c x
gem0_up "${ns[a]}" 192.0.2.1/24
gemd_conf a "group 239.1.0.0/16 gak $tmp/gak"
gemd_conf c "group 239.1.0.0/16 gak $tmp/gak" "max-items 16"
gemd_run a "${ns[a]}"
gemd_run c "${ns[c]}"
wait_linklocal "${ns[x]}" eth1
gemd_neighbours a 1
gemd_neighbours c 1
st() { gemd_status "$tmp/$1.sock" "$2"; }
forge() { ip netns exec "${ns[x]}" "$FORGE" -b "$tmp/bk" eth1 "$@" >/dev/null; }

# The flood: each identity's Public Key, then 5 announcements of its own.
for i in 1 2 3 4; do
	must "X's Public Key $i" forge pubkey "$tmp/x$i.id"
	sleep 0.2
	for s in 1 2 3 4 5; do
		must "X's announcement $i.$s" forge sek "$tmp/x$i.id" "$tmp/x.gak" \
			"198.51.100.$i" "239.9.$i.$s"
	done
done
sleep 2
items=$(st c .items)
full=$(st c .refused_full)
evicted=$(st c .evicted)
log "C after the flood: $items items, $full refused as full, $evicted evicted"
[ "$items" -le 16 ] || fail "C holds $items items, beyond max-items 16"
[ $((full + evicted)) -ge 1 ] || fail "X's 24 items did not fill C: the test floods too little"
x_items=$("$GEMCTL" -S "$tmp/c.sock" -j items | jq '[.[] | select((.group // "") | test("^239\\.9\\."))] | length')
[ "$x_items" -ge 1 ] || fail "C holds none of X's announcements: they never arrived"

# A keys a stream: C, full of relayed items, makes room for it.
ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 10 15 >"$tmp/got" 2>"$tmp/recv.err" &
rc=$!
wait_text ready "$tmp/recv.err"
for _ in $(seq 50); do
	ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 1 warmup >/dev/null
	[ "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq length)" -ge 1 ] && break
	sleep 0.2
done
equal "stream keys C installed for A's stream" "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq length)" 1
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 10 flood 0.05 >"$tmp/sent"
wait $rc
cmp -s "$tmp/sent" "$tmp/got" || fail "C received $(wc -l <"$tmp/got") of A's 10 datagrams, or not byte-exact"
log "C after A's stream: $(st c .items) items, $(st c .evicted) evicted, $(st c .refused_full) refused as full"
[ "$(st c .items)" -le 16 ] || fail "C holds $(st c .items) items, beyond max-items 16"
exit $KSFT_PASS
