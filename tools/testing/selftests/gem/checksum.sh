#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sealing is the one pass over the payload: gem0 takes the sender's
# checksum unsummed (it offloads it), and the sealed datagram's UDP
# checksum is left to the underlay when the underlay offloads it (veth
# does, as a NIC would), summed in software only when it does not. On the
# sending side of the wire a checksum left to the device holds only the
# pseudo-header's sum, which tcpdump reports as bad; a summed one is good.
# Either way the receiver gets every datagram byte-exact.
. "$(dirname "$0")/lib.sh"
require_gem
command -v ethtool >/dev/null || skip "ethtool is not installed (scripts/install-deps installs it)"

tmp_new
hand_keys gak sek
declare -A ns
ns[a]=$(ns_new a)
ns[c]=$(ns_new c)
veth_pair "${ns[a]}" "${ns[c]}"
hand_group "${ns[a]}" "${ns[c]}"
hand_stream "${ns[a]}" "${ns[c]}"

equal "gem0 offloads the sender's checksum" \
	"$(ip netns exec "${ns[a]}" ethtool -k gem0 | awk '/^tx-checksumming:/ { print $2 }')" on

# send_round NAME: 20 datagrams of 1000 bytes from A, captured on A's
# underlay as they leave and received at C; the capture in $tmp/NAME.pcap.
send_round() {
	capture "${ns[a]}" eth1 "$tmp/$1.pcap" 'udp port 5000'
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 20 6 >"$tmp/$1.got" 2>"$tmp/$1.err" &
	local rcv=$!
	wait_text ready "$tmp/$1.err" || fail "$1: the receiver did not start"
	ip netns exec "${ns[a]}" $MC send-burst gem0 239.1.2.3 5000 20 1000 "$1" >"$tmp/$1.sent" ||
		fail "$1: sending failed"
	mc_done $rcv
	wait $rcv
	capture_stop "$tmp/$1.pcap" 20
	sort "$tmp/$1.sent" >"$tmp/$1.sent.s"
	sort "$tmp/$1.got" >"$tmp/$1.got.s"
	cmp -s "$tmp/$1.sent.s" "$tmp/$1.got.s" ||
		fail "$1: C got $(grep -c . "$tmp/$1.got") of 20, or not byte-exact"
}

# sums NAME: "GOOD BAD", the sealed datagrams in $tmp/NAME.pcap whose UDP
# checksum was summed, and those left to the device.
sums() {
	tcpdump -nn -vv -r "$tmp/$1.pcap" 2>/dev/null |
		awk '/udp sum ok/ { g++ } /bad udp cksum/ { b++ } END { print g + 0, b + 0 }'
}

equal "A's underlay offloads checksums" \
	"$(ip netns exec "${ns[a]}" ethtool -k eth1 | awk '/^tx-checksumming:/ { print $2 }')" on
send_round offload
read -r good bad < <(sums offload)
log "offloading underlay: $good summed, $bad left to the device"
equal "sealed datagrams left to the device" "$bad" 20
equal "sealed datagrams summed in software" "$good" 0

must "A's underlay without checksum offload" ip netns exec "${ns[a]}" ethtool -K eth1 tx off
send_round software
read -r good bad < <(sums software)
log "underlay without offload: $good summed, $bad left to the device"
equal "sealed datagrams summed in software" "$good" 20
equal "sealed datagrams left to the device" "$bad" 0
exit $KSFT_PASS
