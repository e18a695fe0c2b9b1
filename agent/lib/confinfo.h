/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One decoder for the "conf" attribute set (protected groups, transmit
 * and receive streams), as dumps and events carry it, for gemctl and gemd.
 */
#ifndef GEM_CONFINFO_H
#define GEM_CONFINFO_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/netlink.h>

struct gem_confinfo {
	uint8_t cmd;
	uint32_t ifindex;	/* 0: not given */
	uint8_t len;		/* of source and group: 4, 16, or 0 when neither */
	bool has_source, has_group;
	uint8_t source[16], group[16];
	int key_id;		/* -1: not given */
	int prefixlen;		/* -1: not given */
	int tag_alg;		/* -1: not given */
	uint64_t pn;		/* tx: the next packet number; rx: the newest taken + 1 */
	uint64_t packets, bytes;
	uint32_t rate;
};

/*
 * 0, or -1 if the message is malformed: a source or group that is no IPv4
 * or IPv6 address, or the two of different families.
 */
int gem_confinfo_parse(const struct nlmsghdr *nlh, struct gem_confinfo *c);

#endif /* GEM_CONFINFO_H */
