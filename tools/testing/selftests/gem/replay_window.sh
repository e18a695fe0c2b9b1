#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A receive window is never opened again to what it took. C takes A's
# stream; X captured it and replays it: dropped, counted. C's key is then
# installed again, as a restarted gemd installs every key it hears of:
# the window stays, and the replay is dropped again (before, every
# install reset the window and the replay reached C's application). A key
# installed afresh, as after a module reload, with the floor its
# receiver remembers takes nothing below it; without one it would take
# the whole capture again, which is why gemd keeps the floor.
. "$(dirname "$0")/lib.sh"
require_gem

tmp_new
hand_keys gak sek
segment_of a c x
hand_group "${ns[a]}" "${ns[c]}"
hand_stream "${ns[a]}" "${ns[c]}"

stat() { gemctl_in "${ns[c]}" -j show gem0 | jq ".[0].stats.$1"; }
# From the text: a packet number (near 2^61) is more than jq's doubles hold.
rxpn() { gemctl_in "${ns[c]}" rx gem0 show | awk '{ for (i = 1; i < NF; i++) if ($i == "pn") print $(i + 1) }'; }

# replayed ROUND WANT: X replays the capture while C listens on gem0;
# C's application gets WANT datagrams.
replayed() {
	local _ p
	MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 100 6 >"$tmp/$1" 2>"$tmp/$1.err" &
	p=$!
	wait_text ready "$tmp/$1.err"
	equal "frames replayed ($1)" "$(ip netns exec "${ns[x]}" $MC inject eth1 "$tmp/wire.pcap" as-is)" 30
	mc_done $p
	wait $p
	[ "$(grep -c . "$tmp/$1")" = "$2" ] ||
		fail "replayed datagrams at C's application ($1): $(grep -c . "$tmp/$1"), not $2;" \
			"C: $(gemctl_in "${ns[c]}" -j rx gem0 show | jq -c .)" \
			"$(gemctl_in "${ns[c]}" -j show gem0 | jq -c .[0].stats); top $top;" \
			"replayed: $($MC payloads "$tmp/wire.pcap" 5000 | cut -c5-20 | tr '\n' ' ')"
}

ip netns exec "$sw" tcpdump -i pa -nn -U -c 30 -w "$tmp/wire.pcap" 'udp port 5000' 2>/dev/null &
cap=$!
MCAST_WAIT_FIRST=60 ip netns exec "${ns[c]}" $MC recv gem0 239.1.2.3 5000 30 6 >"$tmp/got" 2>"$tmp/got.err" &
rcv=$!
wait_text ready "$tmp/got.err"
sleep 0.5
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 30 live 0.01 >"$tmp/sent"
mc_done $rcv
wait $rcv
wait $cap
cmp -s "$tmp/sent" "$tmp/got" || fail "C got $(grep -c . "$tmp/got") of 30 live datagrams"
top=$(rxpn)

replayed replay 0
equal "replays counted" "$(stat rx_replay)" 30

must "the same receive key again (a restarted gemd)" \
	gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
equal "the window after the key was set again" "$(rxpn)" "$top"
replayed again 0
equal "replays counted after the key was set again" "$(stat rx_replay)" 60

# Installed afresh (the stream deleted first, as a reload leaves it).
must "rx del" gemctl_in "${ns[c]}" rx gem0 del 192.0.2.1 239.1.2.3 id 1
must "rx afresh with the remembered floor" \
	gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek" floor "$top"
replayed floor 0
equal "replays counted with the floor" "$(stat rx_replay)" 90
must "rx del" gemctl_in "${ns[c]}" rx gem0 del 192.0.2.1 239.1.2.3 id 1
must "rx afresh without a floor" gemctl_in "${ns[c]}" rx gem0 set 192.0.2.1 239.1.2.3 id 1 \
	key "$tmp/sek"
replayed nofloor 30
exit $KSFT_PASS
