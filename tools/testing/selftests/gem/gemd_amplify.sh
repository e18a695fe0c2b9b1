#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A node of the domain (X holds the BK, speaks inside ESP with our tool)
# cannot make a gemd send without bound, nor crowd out its neighbours.
# A keys 8 streams, so C holds 9 items of A's. Then X asks C:
#
#  1. for A's items, 80 GEM Requests a packet, 20 packets a second, for
#     5 s: C answers from X's budget (64 KiB, 64 KiB a second) and refuses
#     the rest, counted; what C sends stays within the budget (without it,
#     every request was answered at once);
#  2. for everything, 50 times a second for 5 s: C sends at most one full
#     dump a second;
#  3. with 100 made-up neighbours, each from an address of its own: C's
#     neighbour table holds (64 slots), A keeps its slot, and the newcomers
#     cause at most one full dump a second; A's stream still reaches C.
. "$(dirname "$0")/lib.sh"
require_gemd
require_forge

tmp_new
chmod 755 "$tmp"
domain_keys
segment_of a c x
gem0_up "${ns[a]}" 192.0.2.1/24
for n in a c; do
	gemd_conf "$n" "group 239.1.0.0/16 gak $tmp/gak"
	gemd_run "$n" "${ns[$n]}"
done
wait_linklocal "${ns[x]}" eth1
gemd_neighbours a 1
gemd_neighbours c 1
st() { gemd_status "$tmp/$1.sock" "$2"; }
tx_bytes() { ip netns exec "${ns[c]}" cat /sys/class/net/eth1/statistics/tx_bytes; }
tx_packets() { ip netns exec "${ns[c]}" cat /sys/class/net/eth1/statistics/tx_packets; }
a_rid=$(st a .router_id)
forge() { ip netns exec "${ns[x]}" "$FORGE" -b "$tmp/bk" "$@"; }

groups=$(for g in $(seq 1 8); do printf '239.1.2.%d,' "$g"; done)
for _ in $(seq 30); do
	ip netns exec "${ns[a]}" $MC send-from gem0 192.0.2.1 "${groups%,}" 5000 key >/dev/null
	[ "$(gemctl_in "${ns[c]}" -j rx gem0 show | jq length)" -ge 8 ] && break
	sleep 1
done
held=$("$GEMCTL" -S "$tmp/c.sock" -j items | jq --arg o "$a_rid" '[.[] | select(.origin == $o)] | length')
[ "$held" -ge 9 ] || fail "C holds $held items of A's, not 9"
log "C holds $held items of A's"

# What C sends in 5 quiet seconds: Hellos, updates.
b0=$(tx_bytes)
sleep 5
quiet=$(($(tx_bytes) - b0))

# 1. A's items, asked for 8,000 times.
r0=$(st c .requests_refused)
b0=$(tx_bytes)
p0=$(tx_packets)
t0=$(date +%s%N)
must "X asks for A's items" forge eth1 ask "$a_rid" 80 20 5
ms=$((($(date +%s%N) - t0) / 1000000))
sent=$(($(tx_bytes) - b0))
packets=$(($(tx_packets) - p0))
refused=$(($(st c .requests_refused) - r0))
# The budget counts Babel's bytes: 64 KiB at once, 64 KiB a second, one
# answer of debt (A's 8 announcements); each packet adds its Ethernet,
# IPv6, UDP and ESP headers (under 100 bytes).
bound=$((quiet + 65536 + ms * 65536 / 1000 + 8192 + packets * 100))
log "X's requests for A's items: C sent $sent bytes in $packets packets in $ms ms ($quiet when quiet; budget bound $bound), refused $refused requests"
[ "$sent" -le "$bound" ] || fail "C sent $sent bytes for X's requests, beyond the bound of $bound"
[ "$refused" -gt 0 ] || fail "C refused none of X's 8,000 requests"

# 2. Everything, asked for 250 times.
d0=$(st c .full_dumps)
b0=$(tx_bytes)
t0=$(date +%s)
must "X asks for everything" forge eth1 ask all 1 50 5
sleep 0.5
dumps=$(($(st c .full_dumps) - d0))
secs=$(($(date +%s) - t0 + 1))
log "X's 250 requests for everything: C sent $dumps full dumps in $secs s, $(($(tx_bytes) - b0)) bytes"
[ "$dumps" -ge 1 ] || fail "C answered no request for everything"
# One a second, and one of the periodic ones.
[ "$dumps" -le $((secs + 1)) ] || fail "C sent $dumps full dumps in $secs s for X's requests, beyond one a second"

# 3. 100 made-up neighbours.
for i in $(seq 1 100); do
	printf 'address add fe80::6:%x/64 dev eth1 nodad\n' "$i"
done >"$tmp/addrs"
must "X's 100 addresses" ip -n "${ns[x]}" -batch "$tmp/addrs"
d0=$(st c .full_dumps)
t0=$(date +%s)
forge eth1 crowd 100 6 >"$tmp/crowd.out" 2>&1 &
crowd=$!
sleep 4
neigh=$(st c .neighbours)
a_ll=$(ip -n "${ns[a]}" -6 addr show dev eth1 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2; exit }')
"$GEMCTL" -S "$tmp/c.sock" -j neighbours | jq -e --arg a "$a_ll" 'any(.[]; .address == $a)' >/dev/null ||
	fail "A lost its neighbour slot at C to X's made-up neighbours"
wait $crowd || fail "X could not make up neighbours: $(cat "$tmp/crowd.out")"
dumps=$(($(st c .full_dumps) - d0))
secs=$(($(date +%s) - t0 + 1))
log "100 made-up neighbours: C holds $neigh neighbours (A among them), sent $dumps full dumps in $secs s"
[ "$neigh" -le 64 ] || fail "C holds $neigh neighbours, beyond its 64 slots"
[ "$neigh" -ge 60 ] || fail "X's crowd took only $((neigh - 1)) of C's slots: the test did not fill them"
[ "$dumps" -le $((secs + 1)) ] || fail "C sent $dumps full dumps in $secs s for new neighbours, beyond one a second"

# A's stream still reaches C.
ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.1 5000 5 10 >"$tmp/got" 2>"$tmp/recv.err" &
rc=$!
wait_text ready "$tmp/recv.err"
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.1 5000 5 after 0.05 >"$tmp/sent"
wait $rc
cmp -s "$tmp/sent" "$tmp/got" || fail "C received $(wc -l <"$tmp/got") of A's 5 datagrams after the crowd"
exit $KSFT_PASS
