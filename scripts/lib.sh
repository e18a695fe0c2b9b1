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

gem_die() {
	echo "$(basename "$0"): $*" >&2
	exit 1
}
