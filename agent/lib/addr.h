/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses and prefixes as operators write them.
 */
#ifndef GEM_ADDR_H
#define GEM_ADDR_H

#include <stdint.h>

/* An IPv4 or IPv6 address, with an optional /prefix length. */
struct gem_addr {
	uint8_t bytes[16];
	int len;		/* 4 or 16 */
	int prefixlen;		/* len * 8 when none was given */
};

/* 0, or -1 when s is not ADDR or ADDR/LEN. */
int gem_parse_addr(const char *s, struct gem_addr *a);

#endif /* GEM_ADDR_H */
