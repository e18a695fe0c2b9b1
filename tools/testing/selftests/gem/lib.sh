# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every GEM selftest. A test builds its own topology in network
# namespaces named after it and this shell's pid, and they go away on
# exit, whether it passed or not. Exit codes follow kselftest: 0 pass,
# 1 fail, 4 skip.

set -u

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

GEM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
GEMCTL=$GEM_TOP/agent/gemctl/gemctl
NLRAW=$GEM_TOP/tools/testing/selftests/gem/gem_nlraw
GEM_KO=${GEM_KO:-$GEM_TOP/kmod/gem.ko}	# another build, to compare

test_name=$(basename "$0" .sh)
ns_list=()
cleanup_hooks=()

cleanup() {
	local h ns
	for h in "${cleanup_hooks[@]}"; do
		eval "$h" >/dev/null 2>&1
	done
	# ns_new runs in $(...), a subshell: its namespaces are found by name.
	for ns in "${ns_list[@]}" $(ip netns list | awk -v p="$test_name-$$-" \
					'index($1, p) == 1 { print $1 }'); do
		ip netns del "$ns" >/dev/null 2>&1
	done
}
trap cleanup EXIT

# ns NAME: creates namespace <test>-<pid>-NAME with lo up; prints its name.
ns_new() {
	local ns="$test_name-$$-$1"
	ip netns add "$ns" || exit $KSFT_FAIL
	ip -n "$ns" link set lo up
	ns_list+=("$ns")
	echo "$ns"
}

on_exit() {
	cleanup_hooks+=("$1")
}

log() {
	echo "# $*"
}

fail() {
	echo "FAIL: $test_name: $*" >&2
	exit $KSFT_FAIL
}

skip() {
	echo "SKIP: $test_name: $*" >&2
	exit $KSFT_SKIP
}

# must DESCRIPTION CMD...: CMD succeeds.
must() {
	local what=$1 out
	shift
	out=$("$@" 2>&1) || fail "$what: '$*' failed: $out"
}

# refused DESCRIPTION EXPECTED-TEXT CMD...: CMD fails, and what it prints
# contains EXPECTED-TEXT (the kernel's extack message, relayed by the tool).
refused() {
	local what=$1 want=$2 out
	shift 2
	if out=$("$@" 2>&1); then
		fail "$what: '$*' succeeded; it must be refused"
	fi
	case $out in
	*"$want"*) log "$what: refused: ${out:0:300}" ;;
	*) fail "$what: '$*' printed '${out:0:300}', not '$want'" ;;
	esac
}

# equal DESCRIPTION GOT WANT
equal() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# Runs gemctl inside namespace NS.
gemctl_in() {
	local ns=$1
	shift
	ip netns exec "$ns" "$GEMCTL" "$@"
}

# require_gem: gem.ko loaded and gemctl built; $MC, the multicast peer.
require_gem() {
	[ -d /sys/module/gem ] || fail "gem.ko is not loaded"
	[ -x "$GEMCTL" ] || fail "$GEMCTL is not built"
	MC="/usr/bin/python3 $GEM_TOP/tools/testing/selftests/gem/mcast.py"
}

# For the gemd tests: the daemon and the multicast peer.
require_gemd() {
	require_gem
	GEMD=$GEM_TOP/agent/gemd/gemd
	[ -x "$GEMD" ] || fail "$GEMD is not built"
}

# nodad NS: addresses usable at once (Babel sends from link-local ones
# before duplicate address detection would have finished).
nodad() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

# wait_linklocal NS [DEV]: until NS (DEV) has a link-local IPv6 address
# that is through duplicate address detection (nodad after the link was
# made leaves the device's own accept_dad on).
wait_linklocal() {
	local _
	for _ in $(seq 100); do
		ip -n "$1" -6 addr show ${2:+dev "$2"} scope link -tentative | grep -q inet6 &&
			return 0
		sleep 0.1
	done
	fail "no link-local address in $1 ${2:-}"
}

# gemd_status SOCKET JQ: a field of gemd's status.
gemd_status() {
	"$GEMCTL" -S "$1" -j status 2>/dev/null | jq -r "$2"
}

# KERNEL_COMPLAINTS: what the kernel prints when it finds a bug.
. "$GEM_TOP/tools/testing/vm/kernel-complaints"

# kernel_mark MARKER: MARKER into the kernel's log, for kernel_complaints.
kernel_mark() {
	echo "$1" >/dev/kmsg
}

# kernel_complaints FROM [TO]: what the kernel complained of after the
# line holding FROM (from boot when FROM is empty) and before the one
# holding TO, with its context; empty when nothing. A FROM the log no
# longer holds (it wrapped) is a complaint too: what followed is lost.
kernel_complaints() {
	dmesg | awk -v from="$1" -v to="${2:-}" '
		from == "" || seen { if (to != "" && index($0, to)) exit; print }
		from != "" && !seen && index($0, from) { seen = 1 }
		END { if (from != "" && !seen) print "gem-selftest: the kernel log lost the marker " from }' |
		grep -E -B 5 -A 40 "$KERNEL_COMPLAINTS|gem-selftest: the kernel log lost"
}

# capture NS DEV FILE [TCPDUMP-ARGS...]: tcpdump writes each packet DEV
# sees in NS to FILE as it comes. Immediate mode matters: without it
# libpcap's TPACKET_V3 ring hands a block over only when the block fills or
# its 1 s timer fires, so a capture stopped just after the traffic lost up
# to its last second (16 of 20 datagrams sent over 1 s, measured), and a
# count of zero proved nothing.
declare -A capture_pid
capture() {
	local ns=$1 dev=$2 file=$3
	shift 3
	ip netns exec "$ns" tcpdump -i "$dev" -nn -U --immediate-mode -w "$file" "$@" \
		2>"$file.err" &
	capture_pid[$file]=$!
	on_exit "kill $!"
	for _ in $(seq 50); do grep -q listening "$file.err" && return; sleep 0.1; done
	fail "tcpdump on $dev in $ns did not start: $(cat "$file.err")"
}

# captured FILE [TCPDUMP-FILTER]: how many packets FILE holds.
captured() {
	local file=$1
	shift
	tcpdump -nn -r "$file" "$@" 2>/dev/null | wc -l
}

# capture_stop FILE [MIN]: once FILE holds MIN packets (10 s at most) and
# has held as many for 0.3 s, its tcpdump stops.
capture_stop() {
	local file=$1 min=${2:-0} n last=-1

	for _ in $(seq 33); do
		n=$(captured "$file")
		[ "$n" -ge "$min" ] && [ "$n" = "$last" ] && break
		last=$n
		sleep 0.3
	done
	kill "${capture_pid[$file]}" 2>/dev/null
	wait "${capture_pid[$file]}" 2>/dev/null
}

# segment_new: a namespace holding bridge br0, a shared segment that does
# not snoop multicast (every port gets every group); prints its name.
segment_new() {
	local sw
	sw=$(ns_new sw)
	ip -n "$sw" link add br0 type bridge mcast_snooping 0 || exit $KSFT_FAIL
	ip -n "$sw" link set br0 up
	echo "$sw"
}

# segment_attach SW NS PORT: NS's eth1 on the segment, through port PORT.
segment_attach() {
	must "port $3" ip -n "$1" link add "$3" type veth peer name eth1 netns "$2"
	must "port $3 up" ip -n "$1" link set "$3" master br0 up
	must "eth1 up behind $3" ip -n "$2" link set eth1 up
}

# require_forge: gem_forge, the attacker's Babel tool, built ($FORGE).
require_forge() {
	FORGE=$GEM_TOP/tools/testing/selftests/gem/gem_forge
	[ -x "$FORGE" ] || fail "$FORGE is not built"
}

# segment_of NAME...: a segment ($sw) and on it a namespace for each NAME
# (${ns[NAME]}), eth1 attached through port pNAME, addresses usable at once.
segment_of() {
	local n
	declare -gA ns
	sw=$(segment_new)
	for n in "$@"; do
		ns[$n]=$(ns_new "$n")
		nodad "${ns[$n]}"
		segment_attach "$sw" "${ns[$n]}" "p$n"
	done
}

# pair_of NAME1 NAME2: a namespace for each (${ns[NAME]}), linked eth1 to
# eth1 (veth_pair), addresses usable at once.
pair_of() {
	declare -gA ns
	ns[$1]=$(ns_new "$1")
	ns[$2]=$(ns_new "$2")
	nodad "${ns[$1]}"
	nodad "${ns[$2]}"
	veth_pair "${ns[$1]}" "${ns[$2]}"
}

# ifb_redirect NS: NS's eth1 redirects all it receives to ifb0, the way
# ingress shaping does, so packets enter the stack again past eth1's
# ingress hook.
ifb_redirect() {
	must "ifb" ip -n "$1" link add ifb0 type ifb
	must "ifb up" ip -n "$1" link set ifb0 up
	must "ingress qdisc" ip netns exec "$1" tc qdisc add dev eth1 handle ffff: ingress
	must "redirect" ip netns exec "$1" tc filter add dev eth1 parent ffff: matchall \
		action mirred egress redirect dev ifb0
}

# hand_keys NAME...: random keys in $tmp/NAME, mode 0600 (gemctl genkey),
# for tests that key streams by hand.
hand_keys() {
	local k
	for k in "$@"; do
		"$GEMCTL" genkey >"$tmp/$k" || fail "gemctl genkey"
		chmod 600 "$tmp/$k"
	done
}

# gem0_up NS [ADDRESS]: a gem device over NS's eth1, up, with ADDRESS.
gem0_up() {
	must "gem0 in $1" ip -n "$1" link add gem0 link eth1 type gem
	must "gem0 up in $1" ip -n "$1" link set gem0 up
	[ -z "${2:-}" ] || must "gem0's address in $1" ip -n "$1" addr add "$2" dev gem0
}

# gemd_conf [-b BK] NAME [LINE...]: $tmp/NAME.conf, a gemd with its
# identity, socket and log in $tmp, the domain's BK ($tmp/bk, or BK), gem0
# over eth1 and Babel on eth1 with fast timers; then each LINE.
gemd_conf() {
	local bk=$tmp/bk
	[ "$1" = -b ] && bk=$2 && shift 2
	local n=$1
	shift
	{
		printf 'identity %s/%s.id\nbootstrap-key %s\nsocket %s/%s.sock\n' \
			"$tmp" "$n" "$bk" "$tmp" "$n"
		printf 'device gem0 underlay eth1\n'
		printf 'babel-interface eth1 hello-interval 0.5 update-interval 2\n'
		printf '%s\n' "$@"
	} >"$tmp/$n.conf"
}

# gemd_run NAME NS: gemd with $tmp/NAME.conf in NS, once eth1's link-local
# address is usable; its log is $tmp/NAME.log, its pid ${gemd_pid[NAME]}.
declare -A gemd_pid
gemd_run() {
	wait_linklocal "$2" eth1
	ip netns exec "$2" "$GEMD" -c "$tmp/$1.conf" >"$tmp/$1.log" 2>&1 &
	gemd_pid[$1]=$!
	on_exit "kill ${gemd_pid[$1]}"
}

# gemd_neighbours NAME N: NAME's gemd has N neighbours within 20 s.
gemd_neighbours() {
	local _
	for _ in $(seq 100); do
		[ "$(gemd_status "$tmp/$1.sock" .neighbours)" = "$2" ] && return 0
		sleep 0.2
	done
	fail "$1's gemd has $(gemd_status "$tmp/$1.sock" .neighbours) neighbours, not $2"
}

# tmp_new: $tmp, a scratch directory that goes on exit.
tmp_new() {
	tmp=$(mktemp -d)
	on_exit "rm -rf $tmp"
}

# domain_keys [GAK...]: the domain's Bootstrap Key $tmp/bk, the group's GAK
# $tmp/gak, and another GAK $tmp/GAK for each GAK named.
domain_keys() {
	local k
	must "bk" "$GEMCTL" gen bk "$tmp/bk"
	for k in gak "$@"; do
		must "gak $k" "$GEMCTL" gen gak "$tmp/$k"
	done
}

# veth_pair NS1 NS2: eth1 in NS1 linked to eth1 in NS2, both up.
veth_pair() {
	must "eth1 between $1 and $2" ip -n "$1" link add eth1 type veth peer name eth1 netns "$2"
	must "eth1 up in $1" ip -n "$1" link set eth1 up
	must "eth1 up in $2" ip -n "$2" link set eth1 up
}

# hand_group NS...: in each NS a gem0 over eth1, up, protecting
# 239.1.0.0/16 under the tag key $tmp/gak (hand_keys).
hand_group() {
	local n
	for n in "$@"; do
		gem0_up "$n"
		must "group in $n" gemctl_in "$n" group gem0 set 239.1.0.0/16 key "$tmp/gak"
	done
}

# hand_stream TX-NS RX-NS: TX-NS's gem0 has 192.0.2.1/24 and sends its
# stream to 239.1.2.3 under key id 1, $tmp/sek; RX-NS receives it.
hand_stream() {
	must "sender's address" ip -n "$1" addr add 192.0.2.1/24 dev gem0
	must "tx" gemctl_in "$1" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
	must "rx" gemctl_in "$2" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
}

# gemd_member NAME ADDRESS [LINE...]: on ${ns[NAME]}, a gem0 with ADDRESS
# made by hand ("-": none, gemd makes it) and gemd running with
# gemd_conf NAME LINE...
gemd_member() {
	local n=$1 addr=$2
	shift 2
	[ "$addr" = - ] || gem0_up "${ns[$n]}" "$addr"
	gemd_conf "$n" "$@"
	gemd_run "$n" "${ns[$n]}"
}

# wait_text TEXT FILE...: until each FILE holds TEXT, 5 s at most; 1 if not.
wait_text() {
	local _ f want=$1 all
	shift
	for _ in $(seq 50); do
		all=1
		for f in "$@"; do
			grep -q "$want" "$f" 2>/dev/null || all=
		done
		[ -n "$all" ] && return 0
		sleep 0.1
	done
	return 1
}

# mc_recv NS OUT COUNT SECONDS [GROUP]: mcast.py receives COUNT datagrams
# on NS's gem0 (GROUP, 239.1.2.3 unless given, port 5000) for SECONDS into
# OUT, in the background (its pid $mc_pid, killed on exit), until ready.
mc_recv() {
	ip netns exec "$1" $MC recv gem0 "${5:-239.1.2.3}" 5000 "$3" "$4" >"$2" 2>"$2.err" &
	mc_pid=$!
	on_exit "kill $mc_pid"
	wait_text ready "$2.err"
}

# mc_done PID...: the sender is done. Each receiver started with
# MCAST_WAIT_FIRST (which waits that long for a first datagram, since a
# sender's python3 takes seconds to start under emulation) now stops after
# its own TIMEOUT of silence. Without it, a receiver that should get
# nothing could close before the sender had sent: a check that cannot fail.
mc_done() {
	local p
	for p in "$@"; do kill -USR1 "$p" 2>/dev/null || :; done
}

# rx_keys NS: how many receive keys NS's gem0 holds.
rx_keys() {
	gemctl_in "$1" -j rx gem0 show | jq length
}

# replay_to NS OUT COUNT SECONDS FROM-NS PCAP: while mc_recv NS OUT COUNT
# SECONDS listens, FROM-NS injects PCAP as captured on its eth1; prints
# how many packets it injected, once the receiver is done.
replay_to() {
	local n
	mc_recv "$1" "$2" "$3" "$4"
	n=$(ip netns exec "$5" $MC inject eth1 "$6" as-is)
	wait "$mc_pid"
	echo "$n"
}

# wait_lines FILE N TENTHS [REGEX]: until FILE holds N lines (N matching
# REGEX), TENTHS tenths of a second at most; 1 if not.
wait_lines() {
	local _ n
	for _ in $(seq "$3"); do
		if [ $# -ge 4 ]; then n=$(grep -c "$4" "$1"); else n=$(wc -l <"$1"); fi
		[ "$n" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# wait_rx_keys NS N [TENTHS]: until NS's gem0 holds N receive keys, 10 s
# (TENTHS tenths of a second) at most; 1 if not.
wait_rx_keys() {
	local _
	for _ in $(seq "${3:-100}"); do
		[ "$(rx_keys "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# stream_keyed TX-NS RX-NS: TX-NS's application sends one datagram to
# 239.1.2.3, which has its gemd make the stream's key; until RX-NS holds
# one receive key (10 s at most).
stream_keyed() {
	ip netns exec "$1" $MC send gem0 239.1.2.3 5000 1 warmup >/dev/null
	wait_rx_keys "$2" 1
}
