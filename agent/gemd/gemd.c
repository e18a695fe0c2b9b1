// SPDX-License-Identifier: GPL-2.0
/*
 * gemd: the GEM agent. It loads and checks the configuration and the
 * node's keys (making the identity on first start), puts its Babel inside
 * ESP keyed from the Bootstrap Key, speaks Babel on its interfaces, keeps
 * and floods GEM's items (gemd_items), keeps the stream keys in gem.ko
 * (keys.h), answers its local API, and reloads on SIGHUP without
 * dropping what runs. One thread, one poll loop.
 *
 * Here only its options; gemd.h says where it starts, runs and reloads.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "gemd.h"
#include "lib/log.h"

static void usage(FILE *out)
{
	fprintf(out, "Usage: gemd [-c FILE] [-t] [-d]\n"
		     "  -c FILE   configuration (default " GEMD_CONF_DEFAULT ")\n"
		     "  -t        check the configuration and keys, then exit\n"
		     "  -d        log debug messages\n");
}

/* -t: the configuration and keys are checked, nothing changed. */
static int check_only(struct gemd *g)
{
	printf("%s: ok\n", g->path);
	gem_identity_wipe(&g->id);
	sodium_memzero(&g->esp, sizeof(g->esp));
	return 0;
}

int main(int argc, char **argv)
{
	struct gemd g = { .path = GEMD_CONF_DEFAULT };
	bool check = false;
	char err[512];
	int c, ret;

	while ((c = getopt(argc, argv, "c:tdh")) != -1) {
		switch (c) {
		case 'c':
			g.path = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'd':
			gem_log_max = GEM_LOG_DEBUG;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	g.conf = calloc(1, sizeof(*g.conf));
	g.next = calloc(1, sizeof(*g.next));
	g.babel = calloc(1, sizeof(*g.babel));
	g.items = calloc(1, sizeof(*g.items));
	if (!g.conf || !g.next || !g.babel || !g.items || sodium_init() < 0) {
		gem_log(GEM_LOG_ERR, "out of memory");
		return 1;
	}
	if (gemd_conf_load(g.path, g.conf, err, sizeof(err)) ||
	    gemd_load_keys(g.conf, &g.id, &g.esp, err, sizeof(err), check)) {
		gem_log(GEM_LOG_ERR, "%s", err);
		return 1;
	}
	if (check)
		return check_only(&g);
	if (gemd_start(&g))
		return 1;
	gemd_notify("READY=1");
	ret = gemd_run(&g);
	gemd_stop(&g);
	free(g.items);
	free(g.conf);
	free(g.next);
	free(g.babel);
	return ret;
}
