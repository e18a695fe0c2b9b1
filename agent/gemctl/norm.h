/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemctl norm: the normalizer's rules and the streams they re-source.
 */
#ifndef GEM_NORM_H
#define GEM_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/netlink.h>

#include "conf.h"

/* What the words of a "norm set" or "norm del" say. */
struct gem_norm_args {
	unsigned int in_ifindex;
	unsigned int out_ifindex;	/* 0: not given */
	struct gem_addr source;
	struct gem_addr group;
	struct gem_addr new_source;	/* len 0: not given */
	int ttl;			/* -1: not given */
	long idle;			/* -1: not given */
};

/*
 * Parses the words after "set" (set true) or "del"; 0, or -1 with the
 * reason in err.
 */
int gem_norm_args_parse(int argc, char **argv, bool set, struct gem_norm_args *a,
			char *err, size_t errlen);

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
};

/* 0, or -1 if the message lacks what every rule or stream has. */
int gem_norminfo_parse(const struct nlmsghdr *nlh, struct gem_norminfo *n);
void gem_norminfo_print(const struct gem_norminfo *n, const char *event, FILE *out);
void gem_norminfo_json(const struct gem_norminfo *n, const char *event, struct json *j);

int gemctl_norm(struct gemctl_env *env, int argc, char **argv);

#endif /* GEM_NORM_H */
