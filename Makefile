# SPDX-License-Identifier: GPL-2.0
#
# make           gem.ko (against KDIR) and the agent binaries
# make check     every test: unit, spec, checkpatch, KUnit, VM selftests
# make demo      boots the test VM and shows GEM at work
# make install   installs gemctl and, with DKMS, gem.ko (see README.md)

KDIR ?= $(shell scripts/kdir)
PREFIX ?= /usr/local

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
	install -D -m 0644 agent/gemd/gemd.service $(DESTDIR)/lib/systemd/system/gemd.service
	install -D -m 0644 Documentation/man/gemd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/gemd.conf.5
	install -D -m 0644 Documentation/man/gemctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/gemctl.8
	install -D -m 0644 Documentation/man/gemd.8 $(DESTDIR)$(PREFIX)/share/man/man8/gemd.8

clean:
	$(MAKE) -C kmod KDIR=$(KDIR) clean
	$(MAKE) -C agent clean
	$(MAKE) -C tools/testing/selftests/gem clean

.PHONY: all module agent selftests check demo install clean
