/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemctl group|tx|rx: a gem device's protected groups and stream keys.
 */
#ifndef GEM_CONF_H
#define GEM_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "gem_nl.h"
#include "json.h"

/* What every gemctl command works with. */
struct gemctl_env {
	bool json;
	struct gem_nl nl;
	struct json j;
};

/* An IPv4 or IPv6 address, with an optional /prefix length. */
struct gem_addr {
	uint8_t bytes[16];
	int len;		/* 4 or 16 */
	int prefixlen;		/* len * 8 when none was given */
};

/* 0, or -1 when s is not ADDR or ADDR/LEN. */
int gem_parse_addr(const char *s, struct gem_addr *a);

int gemctl_conf(struct gemctl_env *env, const char *what, int argc, char **argv);

#endif /* GEM_CONF_H */
