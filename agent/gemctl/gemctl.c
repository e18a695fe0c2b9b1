// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl: the operator's command line for GEM. The commands are in
 * commands.c, one file each.
 */
#include <getopt.h>
#include <stdio.h>

#include "gemctl.h"

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gemctl g = { .socket_path = "/run/gem/gemd.sock" };
	const struct gemctl_cmd *cmd;
	const char *name;
	int c, ret;

	while ((c = getopt_long(argc, argv, "+jhS:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			g.json = true;
			break;
		case 'S':
			g.socket_path = optarg;
			break;
		case 'h':
			gemctl_usage(stdout);
			return 0;
		default:
			gemctl_usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	name = argc ? argv[0] : "show";
	if (argc) {
		argc--;
		argv++;
	}
	cmd = gemctl_find(name);
	if (!cmd) {
		fprintf(stderr, "gemctl: unknown command \"%s\"\n", name);
		gemctl_usage(stderr);
		return 2;
	}
	if (!cmd->fn) {
		gemctl_usage(stdout);
		return 0;
	}
	json_init(&g.j, stdout);
	if (!(cmd->flags & GEMCTL_NL))
		return cmd->fn(&g, name, argc, argv);
	if (gem_nl_open(&g.nl)) {
		fprintf(stderr, "gemctl: %s\n", g.nl.errmsg);
		return 1;
	}
	ret = cmd->fn(&g, name, argc, argv);
	gem_nl_close(&g.nl);
	return ret;
}
