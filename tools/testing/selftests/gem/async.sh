#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The asynchronous AEAD path. gem.ko is loaded with aead_alg set to
# pcrypt over a gcm(aes), so every seal and every open completes later, in a
# padata worker, as the SIMD gcm(aes) does in cryptd's whenever the FPU is
# busy. (cryptd's own AEAD instances fail the crypto manager's self-test
# on 6.1, which finds their request's completion changed, and cannot be
# used; KUnit's gem_test_async uses one, on UML, where they pass.)
# Then: the data plane (byte-exact, sealed on the wire, tampered copies
# and replays dropped and counted) and the replay window tests pass as
# they do synchronously; a flood of 2000 datagrams arrives whole or is
# counted, and so is what the device's own bound on packets in flight
# refuses; a tc loop from the underlay back into gem0 seals nothing
# twice; and gem0 deleted, and gem.ko removed, with packets in flight
# in both directions, finish in bounded time with nothing left waiting.
# gem.ko is loaded again as it was at the end.
#
# Runs alone: it reloads gem.ko with another AEAD.
. "$(dirname "$0")/lib.sh"
require_gem

here=$(dirname "$0")
# By its child's driver name: a pcrypt instance takes its child's
# algorithm name, so "pcrypt(gcm(aes))" names nothing the API can find.
# The software AES-GCM is named differently from 7.1 (AES and GHASH from
# lib/crypto; gcm_base takes only "ghash" or "ghash-lib").
algs=("pcrypt(gcm_base(ctr(aes-generic),ghash-generic))"
	"pcrypt(gcm_base(ctr(aes-lib),ghash-lib))")

reload() {	# reload [PARAM]: gem.ko again, with PARAM
	timeout 60 rmmod gem || fail "rmmod gem"
	insmod "$GEM_KO" "$@"
}
on_exit 'lsmod | grep -q "^gem " && rmmod gem; insmod "$GEM_KO"'

modprobe -q pcrypt 2>/dev/null
timeout 60 rmmod gem || fail "rmmod gem"
alg=
for a in "${algs[@]}"; do
	insmod "$GEM_KO" aead_alg="$a" 2>/dev/null && { alg=$a; break; }
done
[ -n "$alg" ] || {
	insmod "$GEM_KO"
	skip "none of ${algs[*]} in this kernel"
}
log "aead_alg=$alg"
equal "gem.ko's aead_alg" "$(cat /sys/module/gem/parameters/aead_alg)" "$alg"

# The selftests that a different AEAD must not change, as they are.
for t in dataplane replay_window; do
	out=$(bash "$here/$t.sh" 2>&1) || {
		printf '%s\n' "$out" | sed 's/^/# /'
		fail "$t.sh failed with $alg"
	}
	log "$t.sh passed with $alg"
done

tmp_new
hand_keys gak sek
segment_of a c
hand_group "${ns[a]}" "${ns[c]}"
hand_stream "${ns[a]}" "${ns[c]}"
drivers=$(gemctl_in "${ns[a]}" -j show gem0 | jq -r '.[0].crypto.aead[]')
case $drivers in
pcrypt\(*) ;;
*) fail "gem0's AEAD runs on '$drivers', not $alg" ;;
esac
stat() { gemctl_in "$1" -j show gem0 | jq ".[0].stats.$2"; }

# A flood as fast as one sender goes: each datagram arrives byte-exact,
# or is counted where it was dropped (a full queue of the AEAD's, or a socket
# buffer); nothing is lost unaccounted.
n=2000
ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 $n 20 >"$tmp/flood.out" 2>"$tmp/flood.err" &
rc=$!
wait_text ready "$tmp/flood.err" || fail "receiver not ready"
ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 $n 1000 flood >"$tmp/flood.sent" ||
	fail "sending the flood"
wait $rc
got=$(wc -l <"$tmp/flood.out")
grep -vxFf "$tmp/flood.sent" "$tmp/flood.out" | head -n 3 | grep -q . &&
	fail "C received datagrams A did not send"
sent=$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].packets')
opened=$(gemctl_in "${ns[c]}" -j rx gem0 show | jq '.[0].packets')
busy="tx $(stat "${ns[a]}" tx_aead_busy), rx $(stat "${ns[c]}" rx_aead_busy)"
log "flood of $n: A sealed $sent, C opened $opened, its application got $got; AEAD busy: $busy"
[ "$got" -ge $((n / 2)) ] || fail "C's application got only $got of $n"
equal "A's sealed + tx_aead_busy" "$((sent + $(stat "${ns[a]}" tx_aead_busy)))" $n
equal "C's drops other than busy" \
	"$(stat "${ns[c]}" rx_bad_tag)+$(stat "${ns[c]}" rx_replay)+$(stat "${ns[c]}" rx_malformed)" "0+0+0"

# The device's own bound on packets in flight (pcrypt's queue has none):
# at 1, a flood finds it full; each packet is sealed or counted busy.
echo 1 >/sys/module/gem/parameters/max_inflight
on_exit 'echo 4096 >/sys/module/gem/parameters/max_inflight'
before=$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].packets')
busy0=$(stat "${ns[a]}" tx_aead_busy)
ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 500 1000 capped >/dev/null ||
	fail "sending the capped flood"
sleep 2
sealed=$(( $(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].packets') - before ))
busy=$(( $(stat "${ns[a]}" tx_aead_busy) - busy0 ))
log "max_inflight 1: of 500, A sealed $sealed, $busy refused as busy"
[ "$busy" -gt 0 ] || fail "max_inflight 1 refused nothing of a flood of 500"
equal "A's sealed + busy at max_inflight 1" $((sealed + busy)) 500
echo 4096 >/sys/module/gem/parameters/max_inflight

# A tc loop from the underlay back into gem0: what comes back is dropped,
# not sealed again (each pass from a completion would reset the nesting
# limits, and the loop would not end).
must "clsact on A's underlay" tc -n "${ns[a]}" qdisc add dev eth1 clsact
must "mirred back into gem0" tc -n "${ns[a]}" filter add dev eth1 egress matchall \
	action mirred egress mirror dev gem0
before=$(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].packets')
ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 10 100 loop >/dev/null ||
	fail "sending into the loop"
sleep 2
equal "A's packets sealed with the loop in place" \
	$(( $(gemctl_in "${ns[a]}" -j tx gem0 show | jq '.[0].packets') - before )) 10
must "no loop" tc -n "${ns[a]}" qdisc del dev eth1 clsact

# In flight, both ways: gem0 deleted at C while A floods it, then gem.ko
# removed while A floods. Each waits for its packets in flight (their
# references), never for ever.
ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 20000 1000 inflight >/dev/null 2>&1 &
sp=$!
sleep 1
must "delete C's gem0 with packets in flight" timeout 30 ip -n "${ns[c]}" link del gem0
must "and its underlay" timeout 30 ip -n "${ns[c]}" link del eth1
ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 20000 1000 inflight >/dev/null 2>&1 &
sp2=$!
sleep 1
must "rmmod gem with packets in flight" timeout 60 rmmod gem
wait $sp $sp2 2>/dev/null
[ ! -d /sys/module/gem ] || fail "gem still loaded"
dmesg | grep -q 'unregister_netdevice: waiting' && fail "a device waited for its references"
must "insmod again" insmod "$GEM_KO"
equal "gem.ko's aead_alg again" "$(cat /sys/module/gem/parameters/aead_alg)" "gcm(aes)"
exit 0
