/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemctl: what every command works with, and the table of commands that
 * drives dispatch, usage and the man page's check (tests/gemctl_test.c).
 */
#ifndef GEMCTL_H
#define GEMCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "lib/gem_nl.h"
#include "lib/json.h"

struct gemctl {
	bool json;
	const char *socket_path;	/* gemd's */
	struct gem_nl nl;		/* open for commands marked GEMCTL_NL */
	struct json j;
};

enum {
	GEMCTL_NL = 1 << 0,		/* talks to gem.ko */
};

struct gemctl_cmd {
	const char *name;
	/* name is the word typed: one function may serve several. */
	int (*fn)(struct gemctl *g, const char *name, int argc, char **argv);
	unsigned int flags;
	const char *synopsis;		/* the arguments; lines after the first indented */
	const char *description;
};

/* Ends with a NULL name. */
extern const struct gemctl_cmd gemctl_cmds[];

/* The command called name, or NULL. */
const struct gemctl_cmd *gemctl_find(const char *name);
void gemctl_usage(FILE *out);

/*
 * Sends the dump request msg (freed) and prints its replies through cb, as
 * one JSON array with -j; 1 having said why (what names the command) if
 * it failed or *bad counts malformed replies, else 0.
 */
int gemctl_dump(struct gemctl *g, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg,
		const int *bad, const char *what);

int gemctl_show(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_group(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_norm(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_monitor(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_daemon(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_genkey(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_gen(struct gemctl *g, const char *name, int argc, char **argv);
int gemctl_babeld_key(struct gemctl *g, const char *name, int argc, char **argv);

#endif /* GEMCTL_H */
