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

require_gem() {
	[ -d /sys/module/gem ] || fail "gem.ko is not loaded"
	[ -x "$GEMCTL" ] || fail "$GEMCTL is not built"
}

# For the gemd tests: the daemon and the multicast peer.
require_gemd() {
	require_gem
	GEMD=$GEM_TOP/agent/gemd/gemd
	MC="/usr/bin/python3 $GEM_TOP/tools/testing/selftests/gem/mcast.py"
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

# What the kernel prints when it finds a bug: a WARN or BUG, KASAN,
# lockdep and RCU checks, a refcount or list gone wrong, a device whose
# references never drop, any stack dump.
KERNEL_COMPLAINTS='WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|refcount_t'
KERNEL_COMPLAINTS+='|list_del corruption|list_add corruption|suspicious RCU|possible recursive'
KERNEL_COMPLAINTS+='|possible circular|inconsistent lock state|invalid context|INFO: task'
KERNEL_COMPLAINTS+='|rcu_sched self-detected|rcu: INFO|unregister_netdevice: waiting|Call Trace:'

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

# gemd_conf NAME [LINE...]: $tmp/NAME.conf, a gemd with its identity,
# socket and log in $tmp, the domain's BK ($tmp/bk), gem0 over eth1 and
# Babel on eth1 with fast timers; then each LINE.
gemd_conf() {
	local n=$1
	shift
	{
		printf 'identity %s/%s.id\nbootstrap-key %s/bk\nsocket %s/%s.sock\n' \
			"$tmp" "$n" "$tmp" "$tmp" "$n"
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
