/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemctl norm: the normalizer's rules and the streams they re-source.
 */
#ifndef GEM_NORM_H
#define GEM_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

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

#endif /* GEM_NORM_H */
