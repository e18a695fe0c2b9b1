#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the test VM (tools/testing/bench/run-bench boots it). Two
# nodes on a veth pair; a multicast UDP stream from A to C, as fast as A
# can send, through:
#   plain  native multicast on the underlay, no protection
#   esp    xfrm ESP transport mode, rfc4106(gcm(aes)) with a 256-bit key
#   wg     WireGuard (ChaCha20-Poly1305), the group routed to C's peer
#   gem    gem0, AES-256-GCM and an HMAC-SHA256 GAK tag
#   gemc   gem0 with the group's tag algorithm set to AES-CMAC
# at 64, 512 and 1400-byte payloads, RUNS times each in rotating order;
# prints medians of datagrams/s sent by A and received by C, and ratios,
# with the crypto implementation each mode ran on. Then: the crypto floor
# (tcrypt mode=211: gcm(aes) alone, ops/s) and GEM's cost per packet above
# plain multicast as a multiple of it; two GEM streams from two senders
# on two vCPUs against one; GEM with STREAMS (10000) streams installed on
# both sides against one.
# With NOTAG_KO (a gem.ko built with GEM_BENCH_NO_TAG), it then compares
# GEM at 1400 bytes with and without the GAK tag, reloading the module
# between runs in alternating order.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=$(cd "$here/../../.." && pwd)
gemctl=$top/agent/gemctl/gemctl
blast=$here/udpblast
RUNS=${RUNS:-5}
SECS=${SECS:-2}
tmp=$(mktemp -d)
a=bench-a
c=bench-c

cleanup() {
	teardown
	rm -rf "$tmp"
}
trap cleanup EXIT

# What udev's coldplug loads at boot on a real machine: the modules for
# this CPU's features (aesni_intel, ghash-clmulni-intel, sha256-ssse3...).
# The VM has no udev; without them gcm(aes) ran on aes-generic here, a
# driver no machine with AES-NI uses.
# shellcheck disable=SC2046
modprobe -q -a $(cat /sys/devices/system/cpu/modalias) 2>/dev/null

setup() {
	modprobe -q esp4
	ns_up $a $c
	ip -n $a link add eth1 type veth peer name eth1 netns $c
	for n in $a $c; do
		ip -n $n link set eth1 up
	done
	ip -n $a addr add 198.51.100.1/24 dev eth1
	ip -n $c addr add 198.51.100.2/24 dev eth1
	gem_up $a $c
	ip -n $a addr add 192.0.2.1/24 dev gem0
	ip -n $c addr add 192.0.2.2/24 dev gem0
	genkeys gak sek
	for n in $a $c; do
		ip netns exec $n "$gemctl" group gem0 set 239.1.0.0/16 key "$tmp/gak"
		ip netns exec $n "$gemctl" group gem0 set 239.4.0.0/16 key "$tmp/gak" tag cmac-aes
	done
	ip netns exec $a "$gemctl" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
	ip netns exec $c "$gemctl" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
	ip netns exec $a "$gemctl" tx gem0 set 192.0.2.1 239.4.2.3 id 1 key "$tmp/sek"
	ip netns exec $c "$gemctl" rx gem0 set 192.0.2.1 239.4.2.3 id 1 key "$tmp/sek"

	# ESP to the group itself: a multicast SA, outbound on A, inbound on C.
	key=0x$(head -c 36 /dev/urandom | od -An -tx1 | tr -d ' \n')
	for n in $a $c; do
		ip -n $n xfrm state add src 198.51.100.1 dst 239.2.2.3 proto esp spi 0x1000 \
			mode transport aead 'rfc4106(gcm(aes))' "$key" 128
	done
	ip -n $a xfrm policy add src 198.51.100.1 dst 239.2.2.3 proto udp dir out \
		tmpl src 198.51.100.1 dst 239.2.2.3 proto esp mode transport
	ip -n $c xfrm policy add src 198.51.100.1 dst 239.2.2.3 proto udp dir in \
		tmpl src 198.51.100.1 dst 239.2.2.3 proto esp mode transport

	# WireGuard: A's wg0 sends the group to its one peer, C, which takes
	# it from A's tunnel address and delivers it on its wg0.
	modprobe -q wireguard
	for n in $a $c; do
		(umask 077; wg genkey >"$tmp/wg.$n")
		wg pubkey <"$tmp/wg.$n" >"$tmp/wg.$n.pub"
		ip -n $n link add wg0 type wireguard
	done
	ip netns exec $a wg set wg0 private-key "$tmp/wg.$a" listen-port 51820 \
		peer "$(cat "$tmp/wg.$c.pub")" allowed-ips 10.9.0.2/32,239.5.0.0/16 \
		endpoint 198.51.100.2:51820
	ip netns exec $c wg set wg0 private-key "$tmp/wg.$c" listen-port 51820 \
		peer "$(cat "$tmp/wg.$a.pub")" allowed-ips 10.9.0.1/32 endpoint 198.51.100.1:51820
	ip -n $a addr add 10.9.0.1/24 dev wg0
	ip -n $c addr add 10.9.0.2/24 dev wg0
	for n in $a $c; do
		ip -n $n link set wg0 multicast on up
	done

	# A second GEM stream, for two senders at once.
	ip netns exec $a "$gemctl" tx gem0 set 192.0.2.1 239.1.2.4 id 1 key "$tmp/sek"
	ip netns exec $c "$gemctl" rx gem0 set 192.0.2.1 239.1.2.4 id 1 key "$tmp/sek"
}

teardown() {
	ip netns del $a 2>/dev/null
	ip netns del $c 2>/dev/null
}

setup
# mode -> "send namespace and interface, receive namespace and interface, group"
declare -A path=(
	[plain]="$a eth1 $c eth1 239.3.2.3"
	[esp]="$a eth1 $c eth1 239.2.2.3"
	[wg]="$a wg0 $c wg0 239.5.2.3"
	[gem]="$a gem0 $c gem0 239.1.2.3"
	[gemc]="$a gem0 $c gem0 239.4.2.3"
)
modes=(plain esp wg gem gemc)

# Bytes on the wire per mode, for a 64-byte payload.
overhead() {
	local sif group
	read -r _ sif _ _ group <<<"${path[$1]}"
	ip netns exec $c tcpdump -i eth1 -c 1 -n -e "dst $group" 2>/dev/null >"$tmp/td" &
	local tp=$!
	sleep 1
	ip netns exec $a "$blast" send "$sif" "$group" 9000 64 0.2 >/dev/null
	wait $tp
	grep -o 'length [0-9]*:' "$tmp/td" | head -n 1 | tr -dc 0-9
}

# Only the guest kernel's own finding: /dev/kvm exists in a TCG guest
# too once the CPU's modules (kvm_intel among them) are loaded.
accel=TCG
dmesg | grep -q 'Hypervisor detected: KVM' && accel=KVM
echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), under $accel"
[ $accel = TCG ] && echo "# under TCG, QEMU emulates AES-NI and PCLMULQDQ in software: the ratios do not predict real CPUs"
echo "# $RUNS runs of ${SECS}s per cell, order rotated each run; medians in datagrams/s"
measure 64 512 1400

echo
echo "# the crypto each mode ran on"
echo "gem    aead $(ip netns exec $a "$gemctl" -j show gem0 | jq -r '.[0].crypto.aead | join(",")'), tag $(ip netns exec $a "$gemctl" -j show gem0 | jq -r '.[0].crypto.tag | join(",")')"
echo "esp    $(best_driver 'rfc4106(gcm(aes))') (module $(proc_crypto "$(best_driver 'rfc4106(gcm(aes))')" module))"
echo "wg     ChaCha20-Poly1305 from lib/crypto; arch modules loaded: $(lsmod | awk '/^(chacha|poly1305|libchacha|curve25519)/ { printf "%s ", $1 }')"

printf '\n%-6s %-6s %12s %12s %10s %10s %10s %10s %10s\n' size mode sent/s recv/s Mbit/s \
	"recv/esp" "recv/plain" "sent/esp" "recv/wg"
for size in 64 512 1400; do
	medians $size
	for m in "${modes[@]}"; do
		awk -v s=$size -v m=$m -v tx="${tx[$m]}" -v rx="${rx[$m]}" -v etx="${tx[esp]}" \
			-v erx="${rx[esp]}" -v prx="${rx[plain]}" -v wrx="${rx[wg]}" 'BEGIN {
			printf "%-6s %-6s %12.0f %12.0f %10.1f %10.2f %10.2f %10.2f %10.2f\n", s, m, tx, rx,
				rx * s * 8 / 1e6, erx ? rx / erx : 0, prx ? rx / prx : 0, etx ? tx / etx : 0,
				wrx ? rx / wrx : 0 }'
	done
	plain_tx[$size]=${tx[plain]} gem_tx[$size]=${tx[gem]}
done

# The floor: gcm(aes) alone, as tcrypt measures it (256-bit key, the
# block sizes nearest the payloads), and GEM's time per packet sent above
# plain multicast's as a multiple of one encryption.
echo
echo "# the crypto floor: tcrypt mode=211, gcm(aes) with a 256-bit key, encryption"
dmesg -C
modprobe tcrypt mode=211 sec=1 2>/dev/null
dmesg | grep -m1 'testing speed of gcm(aes)' | sed 's/^\[[^]]*\] /# /'
for size in 64 512 1400; do
	blk=$size
	[ $size = 1400 ] && blk=1420
	ops=$(dmesg | awk -v blk=$blk '
		/testing speed of gcm\(aes\)/ { on = /encryption/ }
		/testing speed of/ && !/gcm\(aes\)/ { on = 0 }
		on && /256 bit key/ && $0 ~ " " blk " byte blocks" {
			for (i = 1; i <= NF; i++) if ($i == "operations") { print $(i - 1); exit } }')
	awk -v s=$size -v b=$blk -v ops="${ops:-0}" -v p="${plain_tx[$size]}" -v g="${gem_tx[$size]}" 'BEGIN {
		over = (g && p) ? 1 / g - 1 / p : 0
		printf "%-6s gcm(aes) %5d B: %10.0f ops/s; GEM above plain: %8.2f us/packet = %6.2f x the floor\n",
			s, b, ops, over * 1e6, ops ? over * ops : 0 }'
done

# Two streams from two senders on two vCPUs, against one.
echo
echo "# GEM at 1400 bytes: one sender against two (one stream each, one per vCPU)"
for run in $(seq "$RUNS"); do
	read -r _ r < <(blast $a gem0 $c gem0 239.1.2.3 1400)
	echo "$r" >>"$tmp/one.rx"
	two_streams 1400 >>"$tmp/two.rx"
done
awk -v one="$(median <"$tmp/one.rx")" -v two="$(median <"$tmp/two.rx")" 'BEGIN {
	printf "one stream  %10.0f recv/s\ntwo streams %10.0f recv/s (both)\ntwo/one     %10.2f\n",
		one, two, one ? two / one : 0 }'

# STREAMS streams installed on both sides, against one.
STREAMS=${STREAMS:-10000}
echo
echo "# GEM at 1400 bytes: $STREAMS more streams installed on both sides against none"
for run in $(seq "$RUNS"); do
	read -r _ r < <(blast $a gem0 $c gem0 239.1.2.3 1400)
	echo "$r" >>"$tmp/few.rx"
done
add_streams "$STREAMS"
echo "# installed: $(ip netns exec $c "$gemctl" -j rx gem0 show | jq length) receive streams at C"
for run in $(seq "$RUNS"); do
	read -r _ r < <(blast $a gem0 $c gem0 239.1.2.3 1400)
	echo "$r" >>"$tmp/many.rx"
done
awk -v few="$(median <"$tmp/few.rx")" -v many="$(median <"$tmp/many.rx")" -v n="$STREAMS" 'BEGIN {
	printf "few streams %10.0f recv/s\n%5d more  %10.0f recv/s\nmany/few    %10.2f\n",
		few, n, many, few ? many / few : 0 }'


echo
echo "# frame length on the wire for a 64-byte UDP payload (Ethernet header included)"
for m in plain esp gem; do
	printf '%-6s %s bytes\n' "$m" "$(overhead $m)"
done

[ -n "${NOTAG_KO:-}" ] || exit 0
tagged_ko=$(grep -o '^GEM_VM_GEM_KO=.*' /run/gem-vm/env | cut -d= -f2-)
echo
echo "# GAK tag cost at 1400 bytes: the module with tags against one without"
for run in $(seq "$RUNS"); do
	for i in 0 1; do
		v=$(( (i + run) % 2 ))
		teardown
		rmmod gem
		if [ $v = 0 ]; then insmod "$tagged_ko"; else insmod "$NOTAG_KO"; fi
		setup
		read -r t r < <(run_one gem 1400)
		echo "$r" >>"$tmp/tag$v.rx"
		echo "$t" >>"$tmp/tag$v.tx"
	done
done
teardown
rmmod gem
insmod "$tagged_ko"
on_rx=$(median <"$tmp/tag0.rx")
off_rx=$(median <"$tmp/tag1.rx")
on_tx=$(median <"$tmp/tag0.tx")
off_tx=$(median <"$tmp/tag1.tx")
awk -v a="$on_rx" -v b="$off_rx" -v c="$on_tx" -v d="$off_tx" 'BEGIN {
	printf "tag on  %8.0f sent/s %8.0f recv/s\ntag off %8.0f sent/s %8.0f recv/s\n", c, a, d, b
	printf "on/off  %8.2f        %8.2f\n", c / d, a / b }'
