/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One decoder for the normalizer's attribute set: rules, streams and the
 * events about either.
 */
#ifndef GEM_NORMINFO_H
#define GEM_NORMINFO_H

#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>

#include "json.h"

/* A rule, a stream or an event about either, as the module sent it. */
struct gem_norminfo {
	uint8_t cmd;
	char in[16];			/* device names, or their ifindex */
	char out[16];
	char source[48];
	char group[48];
	char new_source[48];
	int source_plen;		/* -1 in streams */
	int group_plen;
	int ttl;			/* -1 in streams */
	uint32_t idle;
	uint64_t packets, bytes, ttl_expired, too_big, errors;
	uint32_t streams;
	int end_reason;			/* -1 unless an end event */
	/* The same, as gemd keys by them: */
	uint32_t in_ifindex, out_ifindex;
	uint8_t source_len, group_len, new_source_len;	/* 4 or 16 */
	uint8_t source_addr[16], group_addr[16], new_source_addr[16];
};

/* 0, or -1 if the message lacks what every rule or stream has. */
int gem_norminfo_parse(const struct nlmsghdr *nlh, struct gem_norminfo *n);
void gem_norminfo_print(const struct gem_norminfo *n, const char *event, FILE *out);
void gem_norminfo_json(const struct gem_norminfo *n, const char *event, struct json *j);

#endif /* GEM_NORMINFO_H */
