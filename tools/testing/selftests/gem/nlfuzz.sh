#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fuzzes the gem netlink family for NLFUZZ_SECONDS (60) with gem_nlfuzz,
# against a namespace with real state: four gem devices over two veth
# pairs (sealed traffic from one arrives at the other), groups, tx and rx
# streams with keys (2,000 of them, so dumps take several reads),
# normalizer rules that multicast from a "camera" (a namespace of its own:
# GEM never normalizes what its own namespace sent) goes through, so
# normalized streams come and go. Meanwhile two churners delete and make
# again gem devices and underlays, change MTUs and addresses, and a third
# process sends multicast through everything. Five fuzzers at once: two
# as root, one as nobody, one as root of a user namespace that does not
# own the network namespace (both must be refused everything the spec
# marks uns-admin-perm: every change, every read but a device's), and one
# as root of an unprivileged user namespace with its own network
# namespace, devices and traffic.
#
# Afterwards: nothing in the kernel's log (oops, WARN, BUG, KASAN, UBSAN,
# refcount, list corruption, suspicious RCU, a device waiting for its
# references); the module still seals a packet end to end; every device
# can be deleted; gem.ko unloads (and is loaded again for the tests that
# follow); memory did not grow (kmemleak when the kernel has it, else
# the slab and MemAvailable within a generous margin).
#
# NLFUZZ_SEED replays a run: the requests of each fuzzer are made from the
# seed alone (the devices' ifindexes and what the other processes do
# vary). "gem_nlfuzz fuzz -s SEED --only N" sends request N again. Runs
# longer than the default need a longer GEM_TEST_TIMEOUT (run_tests.sh).
#
# Runs alone: it removes gem.ko at its end, and weighs the kernel's slab
# and per-CPU memory.
. "$(dirname "$0")/lib.sh"
require_gem

FUZZ=$GEM_TOP/tools/testing/selftests/gem/gem_nlfuzz
[ -x "$FUZZ" ] || fail "$FUZZ is not built"
[ -x "$NLRAW" ] || fail "$NLRAW is not built"
secs=${NLFUZZ_SECONDS:-60}
seed=${NLFUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
log "seed $seed, $secs s: NLFUZZ_SEED=$seed NLFUZZ_SECONDS=$secs replays it"
# Setup and the checks after take about as long again under TCG.
[ $((secs * 2 + 120)) -le "${GEM_TEST_TIMEOUT:-300}" ] ||
	log "GEM_TEST_TIMEOUT=${GEM_TEST_TIMEOUT:-300} may be too short for $secs s:" \
		"give it $((secs * 2 + 120))"
# A panic loses this test's output: the seed is on the console too.
echo "nlfuzz: seed $seed, $secs s" >/dev/console 2>/dev/null

tmp_new
chmod 755 "$tmp"

meminfo() {	# meminfo FIELD: in kB
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
}
# No "clear": what guest-run forgot was booting's; a leak of gem's from
# before this test is one too.
kmemleak=/sys/kernel/debug/kmemleak
settle
slab0=$(meminfo SUnreclaim)
avail0=$(meminfo MemAvailable)
percpu0=$(meminfo Percpu)
marker="nlfuzz-$$-$seed"
kernel_mark "$marker start"

# The namespace: u0a-u0b and u1a-u1b carry gem0/gem1 and gem2/gem3, each
# pair sealing to the other; cam-lan brings the camera's multicast in
# from namespace $cam, o0-i0 is a plain veth out.
n=$(ns_new fz)
cam=$(ns_new cam)
ip netns exec "$cam" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip netns exec "$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
(umask 077; "$GEMCTL" genkey >"$tmp/gak"; "$GEMCTL" genkey >"$tmp/sek")
gc() { gemctl_in "$n" "$@"; }

# make_gem N UNDERLAY [v4]: gemN, up, addressed and keyed (for IPv4 only
# with v4: the churner's, which the fuzzers' own requests key further).
make_gem() {
	local g=gem$1 p=$(($1 - 1))
	ip -n "$n" link add "$g" link "$2" type gem || return 1
	ip -n "$n" link set "$g" up
	ip -n "$n" addr add "10.10.$1.1/24" dev "$g"
	ip -n "$n" addr add "fd10:$1::1/64" dev "$g" nodad
	gc group "$g" set 239.1.0.0/16 key "$tmp/gak"
	if [ $(($1 % 2)) = 0 ]; then
		gc tx "$g" set "10.10.$1.1" 239.1.2.3 id 1 key "$tmp/sek"
	else
		gc rx "$g" set "10.10.$p.1" 239.1.2.3 id 1 key "$tmp/sek"
	fi
	[ "${3:-}" = v4 ] && return 0
	gc group "$g" set ff3e::/16 key "$tmp/gak"
	if [ $(($1 % 2)) = 0 ]; then
		gc tx "$g" set "fd10:$1::1" ff3e::4321 id 1 key "$tmp/sek"
	else
		gc rx "$g" set "fd10:$p::1" ff3e::4321 id 1 key "$tmp/sek"
	fi
}
make_pair() {	# make_pair A B
	ip -n "$n" link add "$1" type veth peer name "$2" || return 1
	ip -n "$n" link set "$1" up
	ip -n "$n" link set "$2" up
}
# make_camera: the camera's veth, addressed (its far end, lan, is in $n)
make_camera() {
	ip -n "$cam" link add cam type veth peer name lan netns "$n" || return 1
	ip -n "$cam" link set cam up
	ip -n "$n" link set lan up
	ip -n "$cam" addr add 10.99.0.2/24 dev cam
	ip -n "$cam" addr add fd99::2/64 dev cam nodad
}
for p in "u0a u0b" "u1a u1b" "o0 i0"; do
	# shellcheck disable=SC2086
	must "veth $p" make_pair $p
done
must "gem0" make_gem 0 u0a
must "gem1" make_gem 1 u0b
must "gem2" make_gem 2 u1a
must "gem3" make_gem 3 u1b
must "camera" make_camera
must "o0 v4" ip -n "$n" addr add 10.20.0.1/24 dev o0
must "o0 v6" ip -n "$n" addr add fd20::1/64 dev o0 nodad
# Normalized streams leave gem0 from its own address: it has a key for them.
must "norm into gem0" gc norm set in lan source 10.99.0.0/24 group 239.1.0.0/16 \
	new-source 10.10.0.1 out gem0 idle 30
must "norm6 into gem0" gc norm set in lan source fd99::/64 group ff3e::/16 \
	new-source fd10:0::1 out gem0 idle 2
must "norm out of o0" gc norm set in lan source 10.99.0.0/24 group 239.2.0.0/16 \
	new-source 10.20.0.1 out o0 idle 3
gem1=$(ip netns exec "$n" cat /sys/class/net/gem1/ifindex)
must "2,000 rx streams" ip netns exec "$n" "$NLRAW" bulk-rx "$gem1" 2000
# A normalized stream at the start; the traffic generator keeps them coming.
ip netns exec "$cam" $MC send cam 239.1.2.3 5000 3 NLFUZZ >/dev/null ||
	fail "sending through the normalizer"
for _ in $(seq 30); do
	[ "$(gc -j norm streams | jq length)" -ge 1 ] && break
	sleep 0.1
done
[ "$(gc -j norm streams | jq length)" -ge 1 ] || fail "no normalized stream to fuzz"

gems=gem0,gem1,gem2,gem3
# lan first: valid normalizer rules take packets from it.
links=lan,o0,i0,u0a,u0b,u1a,u1b,lo
addrs=10.10.0.1,10.10.1.1,10.10.2.1,10.10.3.1,10.20.0.1,10.99.0.2
addrs+=,fd10::1,fd10:1::1,fd10:2::1,fd10:3::1,fd20::1,fd99::2
common=(-t "$secs" -g "$gems" -l "$links" -a "$addrs")
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# Two churners: devices and underlays deleted and made again, MTUs and
# addresses changed, devices down and up, all while the fuzzers run.
# Each change waits for RTNL, which the fuzzers' requests hold often.
churn() {	# churn N
	local end=$(($(date +%s) + secs)) i=0 g
	RANDOM=$((seed + $1))
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		case $((RANDOM % 10)) in
		0|1|8)	# a gem device, deleted and made again
			g=$((RANDOM % 2 * 2 + 1))
			ip -n "$n" link del "gem$g"
			make_gem "$g" "u$((g / 2))b" v4
			;;
		2)	# an underlay pair, and the gem devices on it
			ip -n "$n" link del u1a
			make_pair u1a u1b && make_gem 2 u1a v4 && make_gem 3 u1b v4
			;;
		3)	# the normalizer's input, and the rules that use it
			ip -n "$n" link del lan
			make_camera
			gc norm set in lan source 10.99.0.0/24 group 239.1.0.0/16 \
				new-source 10.10.0.1 out gem0 idle 2
			;;
		4)	# an underlay MTU, down past what GEM can carry and back
			ip -n "$n" link set u0b mtu "$(( (RANDOM % 3) * 700 + 100 ))"
			sleep 0.1
			ip -n "$n" link set u0b mtu 1500
			;;
		5)	# a device down and up
			g=$((RANDOM % 4))
			ip -n "$n" link set "gem$g" down
			ip -n "$n" link set "gem$g" up
			;;
		6|9)	# a normalizer's new source, gone and back
			ip -n "$n" addr del 10.20.0.1/24 dev o0
			sleep 0.1
			ip -n "$n" addr add 10.20.0.1/24 dev o0
			;;
		7)	# the rules, flushed and made again
			gc norm flush
			gc norm set in lan source 10.99.0.0/24 group 239.1.0.0/16 \
				new-source 10.10.0.1 out gem0 idle 2
			gc norm set in lan source 10.99.0.0/24 group 239.2.0.0/16 \
				new-source 10.20.0.1 out o0 idle 1
			;;
		esac >/dev/null 2>&1
		sleep "0.$((RANDOM % 3))5"
	done
	echo "# churner $1: $i changes"
}

# The user namespace with a network namespace of its own: its root may
# do anything there, and does.
userns_run() {
	cat >"$tmp/userns.sh" <<EOF
set -u
ip link set lo up
sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 2>/dev/null
ip link add u0a type veth peer name u0b || exit 2
ip link set u0a up
ip link set u0b up
# The camera: a network namespace of this user namespace's own, held by
# a sleeper, which nsenter enters as this user namespace's root.
unshare -n sleep $((secs + 60)) &
campid=\$!
sleep 0.5
ip link add lan type veth peer name cam netns \$campid || exit 2
ip link set lan up
camrun() { nsenter --net=/proc/\$campid/ns/net "\$@"; }
camrun ip link set cam up || exit 2
camrun ip addr add 10.99.0.2/24 dev cam
ip link add gem0 link u0a type gem || exit 2
ip link add gem1 link u0b type gem || exit 2
for i in 0 1; do
	ip link set gem\$i up
	ip addr add 10.10.\$i.1/24 dev gem\$i
	ip addr add fd10:\$i::1/64 dev gem\$i nodad
done
"$FUZZ" traffic -s $((seed + 9)) -t $secs -o gem0,gem1 -j gem1 -r 200 >/dev/null &
camrun "$FUZZ" traffic -s $((seed + 10)) -t $secs -o cam -r 100 >/dev/null &
"$FUZZ" fuzz -n userns-own -s $((seed + 4)) -t $secs -g gem0,gem1 -l lan,u0a,u0b,lo \\
	-a 10.10.0.1,10.10.1.1,10.99.0.2,fd10::1,fd10:1::1 -R -r 300
rc=\$?
kill \$campid 2>/dev/null
wait
exit \$rc
EOF
	chmod 644 "$tmp/userns.sh"
	"${nobody[@]}" unshare -U -r -n bash "$tmp/userns.sh"
}

pids=()
names=()
bg() {	# bg NAME CMD...: in the background, output in $tmp/NAME.out
	local name=$1
	shift
	"$@" >"$tmp/$name.out" 2>&1 &
	pids+=($!)
	names+=("$name")
}
bg churn0 churn 0
bg churn1 churn 1
bg traffic ip netns exec "$n" "$FUZZ" traffic -s $((seed + 8)) -t "$secs" \
	-o gem0,gem2,gem1,o0 -j gem1,gem3,gem0,i0 -r 500
bg camera ip netns exec "$cam" "$FUZZ" traffic -s $((seed + 7)) -t "$secs" -o cam -r 500
bg root ip netns exec "$n" "$FUZZ" fuzz -n root -s "$seed" "${common[@]}" -k -R
bg root2 ip netns exec "$n" "$FUZZ" fuzz -n root2 -s $((seed + 1)) "${common[@]}"
bg nobody ip netns exec "$n" nice -n 5 "${nobody[@]}" --inh-caps=-all --bounding-set=-all \
	"$FUZZ" fuzz -n nobody -s $((seed + 2)) "${common[@]}" -U -r 100
if "${nobody[@]}" unshare -U -r -n true 2>/dev/null; then
	# Root of its own user namespace, in one that init's owns: refused too.
	bg userns-foreign ip netns exec "$n" nice -n 5 "${nobody[@]}" unshare -U -r \
		"$FUZZ" fuzz -n userns-foreign -s $((seed + 3)) "${common[@]}" -U -r 100
	bg userns-own userns_run
else
	log "unprivileged user namespaces are disabled: no user namespace fuzzers"
fi

bad=()
failed=()
for i in "${!pids[@]}"; do
	wait "${pids[i]}" || { bad+=("${names[i]} (exit $?)"); failed+=("${names[i]}"); }
done
# The failed fuzzers' output last, where a log cut to its tail keeps it.
for name in "${names[@]}"; do
	[[ " ${failed[*]} " == *" $name "* ]] || cat "$tmp/$name.out"
done
for name in "${failed[@]}"; do
	echo "# ---- output of $name, which failed ----"
	cat "$tmp/$name.out"
done
[ ${#bad[@]} = 0 ] || fail "fuzzing failed: ${bad[*]}"
must "state after fuzzing" gc -j show

# 1. Nothing in the kernel's log.
check_log() {	# check_log WHEN
	local found
	found=$(kernel_complaints "$marker start")
	[ -z "$found" ] || { echo "$found"; fail "the kernel complained $1 (seed $seed)"; }
}
check_log "while fuzzing"

# 2. The module still works: a fresh pair of namespaces seals one packet.
a=$(ns_new a)
c=$(ns_new c)
must "check veth" ip -n "$a" link add eth1 type veth peer name eth1 netns "$c"
for ns in "$a" "$c"; do
	must "check eth1 up" ip -n "$ns" link set eth1 up
	must "check gem0" ip -n "$ns" link add gem0 link eth1 type gem
	must "check gem0 up" ip -n "$ns" link set gem0 up
	must "check group" gemctl_in "$ns" group gem0 set 239.1.0.0/16 key "$tmp/gak"
done
must "check gem0 address" ip -n "$a" addr add 192.0.2.1/24 dev gem0
must "check tx key" gemctl_in "$a" tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
must "check rx key" gemctl_in "$c" rx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/sek"
# 20 s: on the debug kernel, right after fuzzing, starting the sender's
# python alone has taken seconds.
ip netns exec "$c" $MC recv gem0 239.1.2.3 5000 1 20 >"$tmp/check.out" 2>"$tmp/check.err" &
rcv=$!
wait_text ready "$tmp/check.err"
must "check send" ip netns exec "$a" $MC send gem0 239.1.2.3 5000 1 NLFUZZ-CHECK
wait $rcv
if [ "$(cat "$tmp/check.out")" != "NLFUZZ-CHECK 000000 " ]; then
	# Where the packet went: each side's counters and drop reasons.
	for ns in "$a" "$c"; do
		echo "# $ns:"
		gemctl_in "$ns" -j show | sed 's/^/#   /'
		gemctl_in "$ns" -j tx gem0 show | sed 's/^/#   tx /'
		gemctl_in "$ns" -j rx gem0 show | sed 's/^/#   rx /'
		ip -n "$ns" -s link show eth1 | sed 's/^/#   /'
		ip -n "$ns" -s link show gem0 | sed 's/^/#   /'
		tc -n "$ns" -s qdisc show dev eth1 | sed 's/^/#   /'
	done
	cat "$tmp/check.err"
fi
equal "the packet sealed after fuzzing" "$(cat "$tmp/check.out")" "NLFUZZ-CHECK 000000 "
equal "check rx packets" "$(gemctl_in "$c" -j rx gem0 show | jq '.[0].packets')" 1

# 3. Every device can be deleted, and no reference is left behind.
for ns in "$n" "$a" "$c"; do
	for dev in $(ip -n "$ns" -o link show type gem | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
		must "delete $dev" timeout 10 ip -n "$ns" link del "$dev"
	done
	equal "gem devices left" "$(ip -n "$ns" -o link show type gem | wc -l)" 0
	for dev in $(ip -n "$ns" -o link show type veth | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
		ip -n "$ns" link show "$dev" >/dev/null 2>&1 || continue	# its peer went
		must "delete $dev" timeout 10 ip -n "$ns" link del "$dev"
	done
	must "delete namespace" ip netns del "$ns"
done
check_log "deleting the devices"

# 4. The module unloads once the namespaces are gone and the fuzzers'
# dumps let go of it; then it is loaded again for the tests that follow.
for _ in $(seq 100); do
	[ "$(cat /sys/module/gem/refcnt)" = 0 ] && break
	sleep 0.2
done
equal "gem.ko's references after fuzzing" "$(cat /sys/module/gem/refcnt)" 0
if [ -w "$kmemleak" ] && echo stack=on 2>/dev/null >"$kmemleak"; then
	# Twice, some seconds apart: kmemleak reports what stayed unreferenced.
	echo scan >"$kmemleak"
	sleep 6
	echo scan >"$kmemleak"
	# Each report: "unreferenced object ...", then its backtrace; gem's
	# frames are "gem_...+0x../0x.. [gem]".
	leaks=$(awk '/^unreferenced object/ { if (hit) print rec; rec = ""; hit = 0; bt = 0 }
		{ rec = rec $0 "\n" } /^ *backtrace:/ { bt = 1 }
		bt && /\[gem\]|[^a-z_]gem_[a-z]/ { hit = 1 }
		END { if (hit) print rec }' "$kmemleak")
	[ -z "$leaks" ] || { echo "$leaks" | head -n 80; fail "kmemleak: gem leaked memory (seed $seed)"; }
	log "kmemleak: no unreferenced object of gem's"
fi
must "rmmod after fuzzing" timeout 30 rmmod gem
[ ! -d /sys/module/gem ] || fail "gem is still loaded"
must "insmod again" insmod "$GEM_KO"
check_log "unloading"

# 5. Memory: what the fuzzing took is back, within a generous margin (the
# slab keeps some caches; no growth proportional to the requests).
settle
slab1=$(meminfo SUnreclaim)
avail1=$(meminfo MemAvailable)
percpu1=$(meminfo Percpu)
log "memory: unreclaimable slab ${slab0} -> ${slab1} kB, percpu ${percpu0} -> ${percpu1} kB," \
	"available ${avail0} -> ${avail1} kB"
[ $((slab1 - slab0)) -le $((16384 + slab0 / 4)) ] ||
	fail "unreclaimable slab grew by $((slab1 - slab0)) kB (seed $seed)"
[ $((percpu1 - percpu0)) -le 4096 ] ||
	fail "percpu memory grew by $((percpu1 - percpu0)) kB (seed $seed)"
[ $((avail0 - avail1)) -le $((65536 + avail0 / 10)) ] ||
	fail "available memory shrank by $((avail0 - avail1)) kB (seed $seed)"
exit $KSFT_PASS
