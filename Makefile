# SPDX-License-Identifier: GPL-2.0
#
# make           gem.ko (against KDIR) and the agent binaries
# make check     every test: unit, spec, checkpatch, KUnit, VM selftests
# make demo      boots the test VM and shows GEM at work
# make install   gemd, gemctl, gemd's unit and the man pages under PREFIX
#                (DESTDIR too, as packages use it)
# make install-dkms
#                gem.ko's source and dkms.conf in $(DESTDIR)/usr/src/gem-VERSION,
#                for `dkms add -m gem -v VERSION` (see README.md)

KDIR ?= $(shell scripts/kdir)
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
DKMS_SRC := /usr/src/gem-$(VERSION)

all: module agent selftests

module:
	$(MAKE) -C kmod KDIR=$(KDIR)

agent:
	$(MAKE) -C agent

selftests:
	$(MAKE) -C tools/testing/selftests/gem

check:
	scripts/check

demo:
	scripts/demo

install: agent
	install -D -m 0755 agent/gemctl/gemctl $(DESTDIR)$(PREFIX)/sbin/gemctl
	install -D -m 0755 agent/gemd/gemd $(DESTDIR)$(PREFIX)/sbin/gemd
	install -d $(DESTDIR)/lib/systemd/system
	sed 's|/usr/local/sbin/|$(PREFIX)/sbin/|g' agent/gemd/gemd.service \
		>$(DESTDIR)/lib/systemd/system/gemd.service
	chmod 0644 $(DESTDIR)/lib/systemd/system/gemd.service
	install -D -m 0644 Documentation/man/gemd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/gemd.conf.5
	install -D -m 0644 Documentation/man/gemctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/gemctl.8
	install -D -m 0644 Documentation/man/gemd.8 $(DESTDIR)$(PREFIX)/share/man/man8/gemd.8

# What DKMS builds from: kmod/ without its KUnit tests, and the uapi
# header it includes from ../uapi.
install-dkms:
	install -d $(DESTDIR)$(DKMS_SRC)/kmod $(DESTDIR)$(DKMS_SRC)/uapi/linux
	install -m 0644 dkms.conf $(DESTDIR)$(DKMS_SRC)/dkms.conf
	install -m 0644 kmod/Kbuild kmod/Kconfig kmod/Makefile $(filter-out %.mod.c,$(wildcard kmod/*.[ch])) \
		$(DESTDIR)$(DKMS_SRC)/kmod/
	install -m 0644 uapi/linux/gem.h $(DESTDIR)$(DKMS_SRC)/uapi/linux/gem.h

clean:
	$(MAKE) -C kmod KDIR=$(KDIR) clean
	$(MAKE) -C agent clean
	$(MAKE) -C tools/testing/selftests/gem clean

.PHONY: all module agent selftests check demo install install-dkms clean
