// SPDX-License-Identifier: GPL-2.0
/*
 * A dump of one of gem.ko's tables, printed as lines or as one JSON array.
 */
#include <stdio.h>

#include "gemctl.h"

int gemctl_dump(struct gemctl *g, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg,
		const int *bad, const char *what)
{
	if (!msg) {
		fprintf(stderr, "gemctl: out of memory\n");
		return 1;
	}
	if (g->json)
		json_array_begin(&g->j);
	if (gem_nl_dump(&g->nl, msg, cb, arg)) {
		fprintf(stderr, "gemctl: %s: %s\n", what, g->nl.errmsg);
		return 1;
	}
	if (g->json) {
		json_array_end(&g->j);
		json_finish(&g->j);
	}
	if (bad && *bad) {
		fprintf(stderr, "gemctl: %d malformed replies from the module\n", *bad);
		return 1;
	}
	return 0;
}
