# SPDX-License-Identifier: GPL-2.0
#
# Shared by the scripts that build, boot and test GEM: where the caches
# live and which Debian kernel ABI the test VM runs.

GEM_CACHE=${GEM_CACHE:-/var/cache/gem}

# The ABI of Debian's current kernel, as the installed linux-headers-amd64
# names it (for example 6.1.0-56-amd64). Empty when it is not installed.
gem_debian_abi() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		grep -o 'linux-headers-[^ ,]*' | head -n 1 | sed 's/^linux-headers-//'
}

# The extracted image of that kernel, for the test VM.
gem_image_dir() {
	echo "$GEM_CACHE/image-$1"
}

# Debian's linux-source-6.1, extracted into the cache (again whenever
# Debian ships a new one); prints the tree's path. For KUnit and checkpatch.
gem_linux_source() {
	local tarball=/usr/src/linux-source-6.1.tar.xz src=$GEM_CACHE/linux-source-6.1
	[ -f "$tarball" ] || gem_die "$tarball is missing: run scripts/install-deps"
	if [ ! -f "$src/.gem-extracted" ] || [ "$tarball" -nt "$src/.gem-extracted" ]; then
		echo "extracting $tarball into $GEM_CACHE" >&2
		rm -rf "$src" "$GEM_CACHE/kunit-build"
		mkdir -p "$GEM_CACHE"
		tar -C "$GEM_CACHE" -xf "$tarball" || gem_die "cannot extract $tarball"
		touch "$src/.gem-extracted"
	fi
	echo "$src"
}

# gem_linux_source_hooked TOP: that tree with TOP's kmod/ linked in as
# drivers/gem (for KUnit), so that its Kconfig parses whichever checkout
# linked it last; prints the tree's path.
gem_linux_source_hooked() {
	local src
	src=$(gem_linux_source) || exit 1
	ln -sfn "$1/kmod" "$src/drivers/gem"
	grep -q 'drivers/gem/Kconfig' "$src/drivers/Kconfig" ||
		sed -i '$ s|^endmenu$|source "drivers/gem/Kconfig"\n\nendmenu|' "$src/drivers/Kconfig"
	grep -q 'drivers/gem/Kconfig' "$src/drivers/Kconfig" ||
		gem_die "could not hook drivers/gem into $src/drivers/Kconfig"
	grep -q '^obj-$(CONFIG_GEM)' "$src/drivers/Makefile" ||
		echo 'obj-$(CONFIG_GEM) += gem/' >>"$src/drivers/Makefile"
	echo "$src"
}

# Other Debian suites are read through apt states of their own in the
# cache, one lists folder per suite (an update prunes the lists of every
# other suite in its folder): the machine's apt sources are left as they
# are. gem_apt_suite SUITE apt-get|apt-cache ARGS...: that tool on the
# state of SUITE (bookworm-backports, sid).
gem_apt_suite() {
	local suite=$1 tool=$2 d
	shift 2
	case $suite in
	bookworm-backports) d=$GEM_CACHE/apt-bpo ;;
	*) d=$GEM_CACHE/apt-$suite ;;
	esac
	mkdir -p "$d/state/lists/partial" "$d/cache/archives/partial" "$d/etc"
	echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]' \
		"http://deb.debian.org/debian $suite main" >"$d/etc/sources.list"
	"$tool" -o Dir::State="$d/state" -o Dir::Cache="$d/cache" \
		-o Dir::Etc::SourceList="$d/etc/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent "$@"
}

# gem_apt_fresh SUITE: reads the suite's lists again once a day, or when
# there are none yet; offline, the old lists stand.
gem_apt_fresh() {
	local d=$GEM_CACHE/apt-bpo
	[ "$1" = bookworm-backports ] || d=$GEM_CACHE/apt-$1
	if [ -z "$(find "$d/state/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		gem_apt_suite "$1" apt-get update -q >&2 || true
	fi
}

# Debian's linux-source-6.12 (bookworm-backports) is read for its YNL
# netlink generator. gem_apt_bpo apt-get|apt-cache ARGS...
gem_apt_bpo() {
	gem_apt_suite bookworm-backports "$@"
}

# The version of linux-source-6.12 in the private lists; the lists are
# read again once a day, or when they say nothing yet.
gem_ynl_version() {
	local v
	gem_apt_fresh bookworm-backports
	v=$(gem_apt_bpo apt-cache policy linux-source-6.12 2>/dev/null | sed -n 's/^ *Candidate: //p')
	if [ -z "$v" ] || [ "$v" = "(none)" ]; then
		# Offline: the newest generator already in the cache will do.
		v=$(find "$GEM_CACHE" -maxdepth 1 -name 'ynl-6.12*' -printf '%f\n' 2>/dev/null |
			sed 's/^ynl-//' | sort -V | tail -n 1)
	fi
	[ -n "$v" ] || gem_die "no linux-source-6.12 in bookworm-backports, and none cached"
	echo "$v"
}

# gem_ynl_tree_of VERSION: tools/net/ynl and Documentation/netlink of that
# linux-source-6.12, downloaded and extracted the first time; prints the path.
gem_ynl_tree_of() {
	local dir=$GEM_CACHE/ynl-$1 tmp
	if [ ! -f "$dir/.gem-extracted" ]; then
		echo "fetching linux-source-6.12 $1 for its YNL generator" >&2
		tmp=$(mktemp -d)
		mkdir -p "$tmp/dl"
		(cd "$tmp/dl" && gem_apt_bpo apt-get download -q "linux-source-6.12=$1" >&2) ||
			{ rm -rf "$tmp"; gem_die "cannot download linux-source-6.12 $1"; }
		dpkg-deb --fsys-tarfile "$tmp"/dl/linux-source-6.12_*.deb |
			tar -x -C "$tmp" ./usr/src/linux-source-6.12.tar.xz
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		tar -C "$dir.tmp" --strip-components=1 -xf "$tmp/usr/src/linux-source-6.12.tar.xz" \
			linux-source-6.12/tools/net/ynl linux-source-6.12/Documentation/netlink
		rm -rf "$tmp" "$dir"
		mv "$dir.tmp" "$dir"
		touch "$dir/.gem-extracted"
	fi
	echo "$dir"
}

# The YNL tree of the newest linux-source-6.12: tools/net/ynl and
# Documentation/netlink, fetched once into $GEM_CACHE/ynl-VERSION; prints
# its path.
gem_ynl_tree() {
	local v
	v=$(gem_ynl_version) || exit 1
	gem_ynl_tree_of "$v"
}

# gem_dkms ROOT ACTION ARGS...: dkms with its trees in ROOT rather than
# in the machine's: the sources in ROOT/usr/src (where `make install-dkms
# DESTDIR=ROOT` puts gem's), its state in ROOT/var/lib/dkms, the modules
# in ROOT/lib/modules/RELEASE. Modules are signed, as on Debian, with a
# key of ROOT's own; depmod is left to whoever reads ROOT/lib/modules.
gem_dkms() {
	local root=$1
	shift
	mkdir -p "$root/usr/src" "$root/var/lib/dkms" "$root/lib/modules"
	mok_signing_key=$root/var/lib/dkms/mok.key mok_certificate=$root/var/lib/dkms/mok.pub \
		dkms "$@" --sourcetree "$root/usr/src" --dkmstree "$root/var/lib/dkms" \
		--installtree "$root/lib/modules" --no-depmod
}

# gem_kdir_release KDIR: the release (uname -r) a kernel build tree is
# for, as its modules' vermagic has it (Debian's include/config/
# kernel.release says the upstream version instead).
gem_kdir_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null |
		grep . || { echo "gem_kdir_release: $1 is not a configured kernel tree" >&2; return 1; }
}

# The kernels gem.ko is built for, by name: Debian 12's own (6.1, also
# what the test VM boots), bookworm-backports' 6.12 (built and booted),
# and the newest Linux Debian packages, sid's linux-source-7.x
# (configured as Debian's amd64 kernel and built against, since sid's
# prebuilt kbuild needs a newer libc; sid's image is booted). scripts/
# install-deps fetches the last two into the cache; these functions only
# read what it left.
gem_kernels() {
	echo 6.1 6.12 7.x
}

# gem_kernel_version NAME: the Debian version install-deps chose for a
# cached kernel (6.12.95+deb12; 7.2.13-1); empty when not fetched.
gem_kernel_version() {
	cat "$GEM_CACHE/kernel-$1.version" 2>/dev/null
}

# gem_kdir NAME: the kernel build tree gem.ko is built against for NAME
# (6.1, 6.12 or 7.x). Fails when install-deps has not fetched it.
gem_kdir() {
	local v dir
	case $1 in
	6.1)
		v=$(gem_debian_abi)
		dir=/usr/src/linux-headers-$v
		;;
	6.12)
		v=$(gem_kernel_version 6.12)
		dir=$GEM_CACHE/headers-$v/usr/src/linux-headers-$v-amd64
		;;
	7.x)
		v=$(gem_kernel_version 7.x)
		dir=$GEM_CACHE/linux-$v
		;;
	*)
		echo "gem_kdir: no kernel named '$1' (one of: $(gem_kernels))" >&2
		return 1
		;;
	esac
	if [ -z "$v" ] || [ ! -f "$dir/Makefile" ] || [ ! -f "$dir/.config" ]; then
		echo "gem_kdir: the $1 build tree is missing: run scripts/install-deps" >&2
		return 1
	fi
	echo "$dir"
}

# gem_vm_release NAME: the release (uname -r) of the image the test VM
# boots for NAME (6.1, 6.12 or 7.x), whose extracted tree is gem_image_dir's.
gem_vm_release() {
	case $1 in
	6.1) gem_debian_abi ;;
	6.12)
		[ -n "$(gem_kernel_version 6.12)" ] ||
			{ echo "gem_vm_release: no 6.12 image: run scripts/install-deps" >&2; return 1; }
		echo "$(gem_kernel_version 6.12)-amd64"
		;;
	7.x)
		# The tree's release is the image's (install-deps).
		local tree
		tree=$(gem_kdir 7.x) && gem_kdir_release "$tree" || return 1
		;;
	*)
		echo "gem_vm_release: the VM boots 6.1, 6.12 or 7.x, not '$1'" >&2
		return 1
		;;
	esac
}

gem_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}
