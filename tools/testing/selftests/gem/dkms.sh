#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The gem.ko DKMS built and installed loads itself: with it in the running
# kernel's module tree (updates/dkms, as DKMS puts it) and no other gem.ko
# loaded, "ip link add ... type gem" makes the kernel's modprobe load it.
# The module loaded is DKMS's build, told by its GNU build ID, which
# kmod/'s build of the same source does not share (the build folder is
# in its debug information).
#
# GEM_DKMS_MODULES is DKMS's install tree for this kernel (a
# lib/modules/RELEASE folder; scripts/check's DKMS phase sets it). The
# test skips without it, as in the full run.
#
# Runs alone: it removes gem.ko, and loads DKMS's.
. "$(dirname "$0")/lib.sh"

[ -n "${GEM_DKMS_MODULES:-}" ] || skip "GEM_DKMS_MODULES (DKMS's modules for this kernel) is not set"
dkms_ko=$GEM_DKMS_MODULES/updates/dkms/gem.ko
[ -f "$dkms_ko" ] || fail "$dkms_ko: DKMS installed no gem.ko for this kernel"
tree=/lib/modules/$(uname -r)
[ -d "$tree/kernel" ] || fail "$tree: the running kernel's modules are not there"

# build_id FILE: the hex GNU build ID of a module file.
build_id() {
	readelf -n "$1" 2>/dev/null | sed -n 's/^ *Build ID: *//p'
}
# The loaded module's, from its ELF note (the last 20 bytes: SHA-1).
loaded_build_id() {
	od -An -tx1 -v /sys/module/gem/notes/.note.gnu.build-id | tr -d ' \n' | tail -c 40
}

want=$(build_id "$dkms_ko")
[ ${#want} = 40 ] || fail "$dkms_ko has no GNU build ID"
equal "DKMS's gem.ko is for this kernel" "$(modinfo -F vermagic "$dkms_ko" | cut -d' ' -f1)" \
	"$(uname -r)"
if [ -f "$GEM_KO" ]; then
	other=$(build_id "$GEM_KO")
	[ "$other" != "$want" ] ||
		fail "$GEM_KO and DKMS's gem.ko share a build ID: it cannot tell them apart"
fi

reload=
if [ -d /sys/module/gem ]; then
	reload=1
	must "unload the gem.ko already loaded" timeout 30 rmmod gem
fi
on_exit "ip link del gem0; rmmod gem; [ -z '$reload' ] || insmod '$GEM_KO'"
[ ! -d /sys/module/gem ] || fail "gem is still loaded"

# The guest's module tree is the image's under a writable overlay:
# installing into it and running depmod touch nothing on the host.
find "$tree" -name 'gem.ko*' -delete
must "install DKMS's gem.ko into $tree" install -D -m 0644 "$dkms_ko" "$tree/updates/dkms/gem.ko"
must "depmod" depmod -a "$(uname -r)"
equal "the gem.ko modprobe finds" "$(modinfo -n gem)" "$tree/updates/dkms/gem.ko"
equal "the kernel's alias for the gem link kind" "$(modprobe -R rtnl-link-gem)" gem

must "veth" ip link add veth0 type veth peer name veth1
on_exit "ip link del veth0"
[ ! -d /sys/module/gem ] || fail "gem loaded before any gem device was asked for"
must "ip link add gem0 link veth0 type gem, with gem.ko not loaded" \
	ip link add gem0 link veth0 type gem
[ -d /sys/module/gem ] || fail "gem0 was made, yet gem is not loaded"
ip -d -o link show gem0 | grep -qw gem || fail "gem0 is not of the gem kind: $(ip -d -o link show gem0)"
equal "the loaded gem.ko's build ID (DKMS's)" "$(loaded_build_id)" "$want"
log "autoloaded $(modinfo -n gem), build ID $want"
exit $KSFT_PASS
