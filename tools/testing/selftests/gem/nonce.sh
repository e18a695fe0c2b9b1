#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hand-set transmit key never seals two packets with one nonce. The same
# key file is set on A again after a delete, and again after gem.ko is
# reloaded (as after a reboot): each time the same datagram leaves sealed
# to other bytes, under a higher packet number, and C, which keeps its
# receive key, opens every one. (Before, each new installation started at
# packet number 0: the same datagram sealed to the same bytes, and two
# datagrams under one (key, nonce) give away their XOR and GCM's
# authentication key.)
#
# Runs alone: it reloads gem.ko.
. "$(dirname "$0")/lib.sh"
require_gem
on_exit "lsmod | grep -q '^gem ' || insmod $GEM_KO"

tmp_new
hand_keys gak sek
segment_of a c

devices() {	# the gem devices, their groups, A's address; C's receive key
	hand_group "${ns[a]}" "${ns[c]}"
	must "a's address" ip -n "${ns[a]}" addr add 192.0.2.1/24 dev gem0
	must "rx" gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
}

# sealed NAME: A sends one datagram, always the same; C opens it; prints
# its sealed UDP payload as it crossed the wire, in hex.
sealed() {
	local _
	# Listening before the one datagram leaves: a tcpdump that attached
	# after it would wait for it for ever: the one wait here with no
	# bound, so the likely cause of the 300 s time-out seen once.
	capture "${ns[c]}" eth1 "$tmp/$1.pcap" 'udp port 5000'
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 1 6 >"$tmp/$1.got" 2>"$tmp/$1.err" &
	local rcv=$!
	wait_text ready "$tmp/$1.err"
	sleep 0.5
	ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 1 "the same datagram" >"$tmp/$1.sent"
	mc_done $rcv
	wait $rcv
	capture_stop "$tmp/$1.pcap" 1
	cmp -s "$tmp/$1.sent" "$tmp/$1.got" || fail "C did not open the datagram sealed $1"
	[ "$(captured "$tmp/$1.pcap")" = 1 ] ||
		fail "the datagram sealed $1 crossed eth1 $(captured "$tmp/$1.pcap") times, not once"
	$MC payloads "$tmp/$1.pcap" 5000
}

pn_of() {	# the packet number in a sealed payload (hex): version, key id, then 8 bytes
	echo $((16#${1:4:16}))
}

devices
must "tx" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
first=$(sealed first)

must "tx del" gemctl_in "${ns[a]}" tx gem0 del 192.0.2.1 239.1.2.3
must "the same key again" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
second=$(sealed again)

for n in a c; do
	ip -n "${ns[$n]}" link del gem0
done
must "rmmod" timeout 30 rmmod gem
must "insmod" insmod "$GEM_KO"
devices
must "the same key after a reload" gemctl_in "${ns[a]}" tx gem0 set 192.0.2.1 239.1.2.3 \
	id 1 key "$tmp/sek"
third=$(sealed reloaded)

log "packet numbers: $(pn_of "$first") $(pn_of "$second") $(pn_of "$third")"
[ "$(pn_of "$second")" -gt "$(pn_of "$first")" ] ||
	fail "the key set again sealed with packet number $(pn_of "$second"), not above $(pn_of "$first")"
[ "$(pn_of "$third")" -gt "$(pn_of "$second")" ] ||
	fail "after a reload the key sealed with packet number $(pn_of "$third"), not above $(pn_of "$second")"
[ "${first:20}" != "${second:20}" ] && [ "${second:20}" != "${third:20}" ] &&
	[ "${first:20}" != "${third:20}" ] || fail "one datagram sealed twice to the same ciphertext"
exit $KSFT_PASS
