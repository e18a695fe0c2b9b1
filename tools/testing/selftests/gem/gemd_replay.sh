#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A captured announcement replayed after its stream's key was retired
# reopens nothing. M holds the Bootstrap Key (a domain member without the
# group's GAK, or a stolen BK; the control plane's ESP is off, so what is
# shown is gemd's own rule) and captures A's announcement of key 1, and X
# the packets A seals with it. A rotates to key 2, C retires key 1, and A
# stops sending the stream (its group is taken out of A's configuration):
# A's announcement lapses at C, and C holds no key of the stream, while
# A itself, and its Public Key, stay.
# M then replays the captured announcement: its life, counted from when A
# made it, is over, so C refuses it, installs nothing, and X's replay of
# the data reaches no application. (Before, C took the replay as a new
# item once its own copy had lapsed, installed key 1 again with a fresh
# window, and every replayed packet reached the application again.)
. "$(dirname "$0")/lib.sh"
require_gemd
require_forge

tmp_new
domain_keys
segment_of a c m x
conf=("group 239.1.0.0/16 gak $tmp/gak" "item-lifetime 10" "key-overlap 2" "control-esp no")
gemd_member a 192.0.2.1/24 "${conf[@]}"
gemd_member c 192.0.2.2/24 "${conf[@]}"
wait_linklocal "${ns[m]}" eth1
gemd_neighbours c 1
rid_a=$(gemd_status "$tmp/a.sock" .router_id)
rx_c() { gemctl_in "${ns[c]}" -j rx gem0 show; }

ip netns exec "${ns[m]}" "$FORGE" eth1 capture "$tmp/announce" "$rid_a" 60 >"$tmp/capture.out" \
	2>"$tmp/capture.err" &
capture=$!
on_exit "kill $capture"
wait_text listening "$tmp/capture.err"
capture "$sw" pc "$tmp/data.pcap" 'udp port 5000'

mc_recv "${ns[c]}" "$tmp/live" 1000 8
rcv=$mc_pid
stream_keyed "${ns[a]}" "${ns[c]}"
equal "C's key" "$(rx_c | jq -c '[.[] | .key_id]')" "[1]"
ip netns exec "${ns[a]}" $MC send gem0 239.1.2.3 5000 30 "key1" 0.02 >/dev/null

# A rotates: key 2, announced alone; M hears the newer version.
must "rotate" "$GEMCTL" -S "$tmp/a.sock" rotate
wait $capture || fail "gem_forge capture: $(cat "$tmp/capture.out" "$tmp/capture.err")"
log "M: $(tr '\n' ';' <"$tmp/capture.out")"
for _ in $(seq 150); do [ "$(rx_c | jq -c '[.[] | .key_id]')" = "[2]" ] && break; sleep 0.1; done
equal "C's keys after the rotation (key 1 retired)" "$(rx_c | jq -c '[.[] | .key_id]')" "[2]"
wait $rcv
capture_stop "$tmp/data.pcap" 30
[ "$(grep -c '^key1' "$tmp/live")" -ge 30 ] || fail "C got $(grep -c '^key1' "$tmp/live") of 30 live"

# A stops the stream; its announcement lapses at C, and with it the keys.
grep -v '^group ' "$tmp/a.conf" >"$tmp/a.conf.new"
mv "$tmp/a.conf.new" "$tmp/a.conf"
kill -HUP "${gemd_pid[a]}"
for _ in $(seq 150); do [ "$(rx_c | jq length)" = 0 ] && break; sleep 0.2; done
equal "C's keys once A's announcement lapsed" "$(rx_c | jq length)" 0

refused_before=$(gemd_status "$tmp/c.sock" .refused_time)
must "M replays A's announcement of key 1" ip netns exec "${ns[m]}" "$FORGE" -m "$tmp/bk" eth1 replay \
	"$tmp/announce"
sleep 2
equal "C's keys after the replay" "$(rx_c | jq length)" 0
[ "$(gemd_status "$tmp/c.sock" .refused_time)" -gt "$refused_before" ] ||
	fail "C did not refuse the replayed announcement for its age: $(gemd_status "$tmp/c.sock" .)"

sent=$(replay_to "${ns[c]}" "$tmp/replayed" 1000 6 "${ns[x]}" "$tmp/data.pcap")
log "X replayed $sent sealed packets"
[ "$sent" -ge 30 ] || fail "the capture held $sent packets"
equal "replayed packets at C's application" "$(grep -c . "$tmp/replayed")" 0
exit $KSFT_PASS
