// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl show [DEV]: gem devices, their underlay, MTU and counters.
 */
#include <stdio.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "gemctl.h"
#include "lib/devinfo.h"

struct show_ctx {
	struct gemctl *g;
	int bad;		/* replies that did not parse */
};

static int show_cb(struct nl_msg *msg, void *arg)
{
	struct show_ctx *c = arg;
	struct gem_devinfo d;

	if (gem_devinfo_parse(msg, &d)) {
		c->bad++;
		return NL_SKIP;
	}
	if (c->g->json)
		gem_devinfo_json(&d, &c->g->j);
	else
		gem_devinfo_print(&d, stdout);
	return NL_OK;
}

int gemctl_show(struct gemctl *g, const char *name, int argc, char **argv)
{
	struct show_ctx c = { .g = g };
	char what[128];
	struct nl_msg *msg;

	(void)name;
	if (argc > 1) {
		fprintf(stderr, "gemctl: show takes at most one device\n");
		return 2;
	}
	msg = gem_nl_msg(&g->nl, GEM_CMD_DEV_GET, argc ? 0 : NLM_F_DUMP);
	if (msg && argc && nla_put_string(msg, GEM_A_DEV_IFNAME, argv[0])) {
		nlmsg_free(msg);
		msg = NULL;
	}
	snprintf(what, sizeof(what), "show%s%s", argc ? " " : "", argc ? argv[0] : "");
	return gemctl_dump(g, msg, show_cb, &c, &c.bad, what);
}
