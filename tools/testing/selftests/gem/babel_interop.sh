#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gemd and Debian's babeld 1.12 as Babel neighbours on one link: each
# hears the other's Hellos and IHUs, so each shows the other as a
# neighbour with a finite cost; each installs the route to the other's
# loopback address, and the two addresses reach each other.
. "$(dirname "$0")/lib.sh"
command -v babeld >/dev/null || skip "babeld is not installed (scripts/install-deps installs it)"
GEMD=$GEM_TOP/agent/gemd/gemd
[ -x "$GEMD" ] || fail "$GEMD is not built"

tmp_new
g=$(ns_new gemd)
b=$(ns_new babeld)
for ns in "$g" "$b"; do
	# Before the veths exist, or early sends fail (see shared notes).
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
done
must "link" ip -n "$g" link add eth0 type veth peer name eth0 netns "$b"
for ns in "$g" "$b"; do
	must "up" ip -n "$ns" link set eth0 up
done
for _ in $(seq 50); do
	ip -n "$g" -6 addr show dev eth0 scope link | grep -q inet6 &&
		ip -n "$b" -6 addr show dev eth0 scope link | grep -q inet6 && break
	sleep 0.1
done

must "gemd's address" ip -n "$g" addr add fd00:9::1/128 dev lo
must "babeld's address" ip -n "$b" addr add fd00:b::1/128 dev lo
must "bootstrap key" "$GEMCTL" gen bk "$tmp/bk"
# babeld has no ESP: none on this link; both speak with RFC 8967 MACs,
# babeld with the key gemctl derives from the BK.
cat >"$tmp/gemd.conf" <<CONF
# gemd's side of the link
identity $tmp/identity
bootstrap-key $tmp/bk
device gem0 underlay eth0
babel-interface eth0 hello-interval 0.5 update-interval 2
announce fd00:9::1/128
socket $tmp/gemd.sock
control-esp no
CONF

# A bad file is refused, naming file, line and field.
printf 'identity %s/identity\nbootstrap-key %s/bk\ndevice gem0 underlay eth0\nhello-interval 0\n' \
	"$tmp" "$tmp" >"$tmp/bad.conf"
refused "bad configuration" "$tmp/bad.conf:4: hello-interval:" "$GEMD" -t -c "$tmp/bad.conf"
# A check changes nothing: not even the identity a first start makes.
out=$("$GEMD" -t -c "$tmp/gemd.conf" 2>&1) || fail "configuration check: $out"
case $out in *"gemd makes one on its first start"*) ;; *) fail "check said: $out" ;; esac
[ -e "$tmp/identity" ] && fail "gemd -t made the identity file"

ip netns exec "$g" "$GEMD" -c "$tmp/gemd.conf" >"$tmp/gemd.log" 2>&1 &
gpid=$!
on_exit "kill $gpid"
for _ in $(seq 50); do [ -e "$tmp/identity" ] && break; sleep 0.1; done
equal "identity file mode, made on the first start" "$(stat -c %a "$tmp/identity")" 600
(umask 077; "$GEMCTL" babeld-key "$tmp/bk" >"$tmp/babeld.conf") ||
	fail "gemctl babeld-key: $(cat "$tmp/babeld.conf")"
grep -Eq '^key id gem type hmac-sha256 value [0-9a-f]{128}$' "$tmp/babeld.conf" ||
	fail "gemctl babeld-key printed: $(cat "$tmp/babeld.conf")"
echo "interface eth0 key gem" >>"$tmp/babeld.conf"
ip netns exec "$b" babeld -I "$tmp/babeld.pid" -S "$tmp/babeld.state" -L "$tmp/babeld.log" \
	-c "$tmp/babeld.conf" -G "$tmp/babeld.sock" -M 0 \
	-C 'default type wired hello-interval 0.5 update-interval 2' \
	-C 'redistribute local ip fd00:b::/64 ge 128' -C 'redistribute local deny' eth0 &
on_exit "kill \$(cat $tmp/babeld.pid)"

babeld_neighbour() {
	ip netns exec "$b" socat -t 1 - "UNIX-CONNECT:$tmp/babeld.sock" <<<"dump" 2>/dev/null |
		grep "^add neighbour" | head -n 1
}
gq() { "$GEMCTL" -S "$tmp/gemd.sock" "$@"; }
gemd_neighbour() {
	gq neighbours 2>/dev/null | head -n 1
}
for _ in $(seq 100); do
	bn=$(babeld_neighbour)
	gn=$(gemd_neighbour)
	case "$bn" in *"txcost 65535"*|"") ;; *)
		case "$gn" in *"cost 65535"*|"") ;; *) break ;; esac ;;
	esac
	sleep 0.2
done
log "babeld: ${bn:-no neighbour}"
log "gemd:   ${gn:-no neighbour}"
case "$bn" in
*"txcost 65535"*|"") fail "babeld has no neighbour with finite cost: $(tail -n 5 "$tmp/babeld.log")" ;;
esac
case "$gn" in
*"cost 65535"*|"") fail "gemd has no neighbour with finite cost: $(tail -n 5 "$tmp/gemd.log")" ;;
esac
gll=$(ip -n "$g" -6 addr show dev eth0 scope link | awk '/inet6/ { sub("/.*", "", $2); print $2 }')
case "$bn" in *"address $gll"*) ;; *) fail "babeld's neighbour is not gemd ($gll): $bn" ;; esac

# Routes both ways, and traffic along them.
for _ in $(seq 100); do
	ip -n "$b" -6 route show proto babel | grep -q "^fd00:9::1 " &&
		ip -n "$g" -6 route show proto babel | grep -q "^fd00:b::1 " && break
	sleep 0.2
done
log "babeld's routes: $(ip -n "$b" -6 route show proto babel | tr '\n' ';')"
log "gemd's routes:   $(ip -n "$g" -6 route show proto babel | tr '\n' ';')"
ip -n "$b" -6 route show proto babel | grep -q "^fd00:9::1 via fe80::.* dev eth0" ||
	fail "babeld did not install gemd's route"
ip -n "$g" -6 route show proto babel | grep -q "^fd00:b::1 via fe80::.* dev eth0" ||
	fail "gemd did not install babeld's route: $(grep route "$tmp/gemd.log")"
must "ping across the learned routes" ip netns exec "$g" busybox ping -6 -c 2 -W 2 -I fd00:9::1 fd00:b::1

# The local API: the same as JSON, and root only.
equal "gemd's neighbour cost (JSON)" "$(gq -j neighbours | jq '.[0].cost')" 96
equal "gemd's selected routes (JSON)" \
	"$(gq -j routes | jq -r '[.[] | select(.selected) | .prefix + "/" + (.prefixlen|tostring)] | join(" ")')" \
	"fd00:b::1/128"
equal "status: one neighbour" "$(gq -j status | jq .neighbours)" 1
# MACs both ways: babeld's checked, and babeld through gemd's challenge.
equal "babeld's packets with a bad MAC at gemd" "$(gq -j status | jq .rx_bad_mac)" 0
[ "$(gq -j status | jq .rx_challenged)" -ge 1 ] ||
	fail "gemd took babeld's packets without challenging it first"
grep -q "Received packet with bad signature\|Received unsigned packet" "$tmp/babeld.log" &&
	fail "babeld refused gemd's MACs: $(grep -m 3 "signature\|unsigned" "$tmp/babeld.log")"
refused "unprivileged API" "Permission denied" \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$GEMCTL" -S "$tmp/gemd.sock" status
equal "unknown request" "$(socat -t 1 - "UNIX-CONNECT:$tmp/gemd.sock" <<<"bogus text")" 'error: unknown request "bogus"'

# SIGHUP with a bad file keeps everything running.
cp "$tmp/gemd.conf" "$tmp/gemd.conf.good"
cp "$tmp/bad.conf" "$tmp/gemd.conf"
kill -HUP $gpid
for _ in $(seq 20); do grep -q "reload refused" "$tmp/gemd.log" && break; sleep 0.1; done
grep -q "reload refused, the running configuration stays: $tmp/gemd.conf:4: hello-interval" \
	"$tmp/gemd.log" || fail "a bad reload was not refused: $(tail -n 3 "$tmp/gemd.log")"
kill -0 $gpid || fail "gemd died on a bad reload"
cp "$tmp/gemd.conf.good" "$tmp/gemd.conf"
kill -HUP $gpid
for _ in $(seq 20); do grep -q "reloaded" "$tmp/gemd.log" && break; sleep 0.1; done
grep -q "reloaded $tmp/gemd.conf" "$tmp/gemd.log" || fail "a good reload was not taken"

# gemd leaving takes its kernel routes with it; babeld retracts in time.
kill $gpid
for _ in $(seq 50); do kill -0 $gpid 2>/dev/null || break; sleep 0.1; done
equal "gemd's routes after it stopped" "$(ip -n "$g" -6 route show proto babel)" ""
exit $KSFT_PASS
