#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gemctl show names the crypto implementations a device's keys run on:
# none before a key; with a group and a transmit key, the driver names of
# their transforms, which /proc/crypto lists as gcm(aes) and hmac(sha256)
# (or cmac(aes)) implementations in use, their references dropping when
# the keys go; the accelerated AES where it is loaded; none again after.
# No driver name is asserted: which one wins depends on the CPU. Whichever
# it is, it is the kernel's best gcm(aes), from the module an ESP SA's
# rfc4106(gcm(aes)) runs on.
#
# Runs alone: it counts the references /proc/crypto shows for the whole kernel.
. "$(dirname "$0")/lib.sh"
require_gem

# The VM has no udev to load aesni_intel at boot; a transform keeps the
# implementation it was allocated with, so load it before the first key.
# It stays loaded, as on a host (the gcm instance built on it holds it).
modprobe -q aesni_intel 2>/dev/null || log "no aesni_intel: generic AES only"

n=$(ns_new a)
tmp_new
must "veth" ip -n "$n" link add veth0 type veth peer name veth1
must "gem0" ip -n "$n" link add gem0 link veth0 type gem
gc() { gemctl_in "$n" "$@"; }
crypto() { gc -j show gem0 | jq -c ".[0].crypto.$1"; }
(umask 077; "$GEMCTL" genkey >"$tmp/k32"; "$GEMCTL" genkey 16 >"$tmp/k16")

# proc_crypto DRIVER FIELD: FIELD of /proc/crypto's entry for DRIVER;
# nothing when there is none.
proc_crypto() {
	awk -v drv="$1" -v field="$2" '
		/^$/ { if (d == drv && v != "") print v; d = v = ""; next }
		{ k = $0; sub(/[ \t]*:.*/, "", k); val = $0; sub(/^[^:]*: /, "", val) }
		k == "driver" { d = val }
		k == field { v = val }
		END { if (d == drv && v != "") print v }' /proc/crypto | head -n 1
}

# in_use KIND ALG: the single KIND driver gemctl names is an ALG
# implementation /proc/crypto lists as referenced; prints the name.
in_use() {
	local names name refcnt
	names=$(crypto "$1")
	equal "one $1 driver" "$(jq length <<<"$names")" 1
	name=$(jq -r '.[0]' <<<"$names")
	equal "/proc/crypto's algorithm of $1 driver $name" "$(proc_crypto "$name" name)" "$2"
	refcnt=$(proc_crypto "$name" refcnt)
	[ "${refcnt:-0}" -ge 2 ] ||
		fail "$1 driver $name: refcnt '$refcnt' in /proc/crypto: no transform holds it"
	echo "$name"
}

# Nothing keyed, nothing named.
equal "aead drivers before a key" "$(crypto aead)" "[]"
equal "tag drivers before a key" "$(crypto tag)" "[]"
equal "unlisted before a key" "$(crypto unlisted)" 0
case $(gc show gem0) in
*drivers*) fail "gemctl show names drivers without keys: $(gc show gem0)" ;;
esac

must "a group" gc group gem0 set 239.1.0.0/16 key "$tmp/k32"
equal "aead drivers with a group only" "$(crypto aead)" "[]"
tag=$(in_use tag "hmac(sha256)") || exit
must "a tx key" gc tx gem0 set 192.0.2.1 239.1.2.3 id 1 key "$tmp/k32"
aead=$(in_use aead "gcm(aes)") || exit
log "aead driver: $aead; tag driver: $tag"
equal "unlisted" "$(crypto unlisted)" 0
text=$(gc show gem0)
case $text in
*"    aead drivers: $aead"*"    tag drivers: $tag"*) ;;
*) fail "gemctl show printed: $text" ;;
esac

# Where the accelerated AES is registered, gem.ko's AES-GCM runs on it.
if [ -n "$(proc_crypto aes-aesni name)" ]; then
	case $aead in
	*aes-generic*) fail "aes-aesni is loaded, and gem0's AEAD is $aead" ;;
	esac
fi

# best ALG: the driver the crypto API gives an allocation of ALG, the
# highest-priority entry of that name a caller outside the crypto API
# may have (not internal).
best() {
	awk -v alg="$1" '
		function done() {
			if (n == alg && internal != "yes" && p > bp) { bp = p; bd = d }
			n = d = internal = ""; p = -1
		}
		BEGIN { bp = -1; p = -1 }
		/^$/ { done(); next }
		{ k = $0; sub(/[ \t]*:.*/, "", k); v = $0; sub(/^[^:]*: /, "", v) }
		k == "name" { n = v }
		k == "driver" { d = v }
		k == "priority" { p = v + 0 }
		k == "internal" { internal = v }
		END { done(); print bd }' /proc/crypto
}
equal "gem0's AEAD is the kernel's best gcm(aes)" "$aead" "$(best "gcm(aes)")"

# And it runs on the code an ESP SA with the same AEAD gets (its
# rfc4106 wrapper is another entry, from the same module).
must "an ESP SA" ip -n "$n" xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp \
	spi 0x1000 mode transport aead 'rfc4106(gcm(aes))' 0x"$(printf '%040d' 7)" 128
esp=$(best "rfc4106(gcm(aes))")
[ -n "$esp" ] || fail "no rfc4106(gcm(aes)) in /proc/crypto with an ESP SA"
esp_refs=$(proc_crypto "$esp" refcnt)
[ "${esp_refs:-0}" -ge 2 ] || fail "ESP's AEAD $esp: refcnt '$esp_refs': the SA does not hold it"
equal "the module of gem0's AEAD ($aead) and of ESP's ($esp)" \
	"$(proc_crypto "$aead" module)" "$(proc_crypto "$esp" module)"
log "gem0's AEAD: $aead; an ESP SA's: $esp; both from $(proc_crypto "$aead" module)"
must "the ESP SA goes" ip -n "$n" xfrm state flush

# A second key on the same implementation is one name; a cmac group
# another tag name.
must "an rx key" gc rx gem0 set 192.0.2.9 239.1.2.3 id 7 key "$tmp/k32"
equal "aead drivers with two keys" "$(crypto aead)" "[\"$aead\"]"
must "a cmac group" gc group gem0 set ff3e::/16 key "$tmp/k16" tag cmac-aes
cmac=$(crypto tag | jq -r '.[1] // empty')
equal "tag drivers with two groups" "$(crypto tag)" "[\"$tag\",\"$cmac\"]"
equal "/proc/crypto's algorithm of $cmac" "$(proc_crypto "$cmac" name)" "cmac(aes)"

# The keys gone, the names go, and so do the transforms' references
# (freed after an RCU grace period).
refs=$(proc_crypto "$aead" refcnt)
must "tx flush" gc tx gem0 flush
must "rx flush" gc rx gem0 flush
must "group flush" gc group gem0 flush
equal "aead drivers after the flush" "$(crypto aead)" "[]"
equal "tag drivers after the flush" "$(crypto tag)" "[]"
for _ in $(seq 50); do
	now=$(proc_crypto "$aead" refcnt)
	[ "${now:-0}" -le $((refs - 2)) ] && break
	sleep 0.1
done
[ "${now:-0}" -le $((refs - 2)) ] ||
	fail "$aead: refcnt $refs with two keys, $now after they went"
exit 0
