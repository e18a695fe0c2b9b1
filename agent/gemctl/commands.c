// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl's commands: one table drives dispatch, the usage text and the
 * check that gemctl(8) documents every command (tests/gemctl_test.c).
 */
#include <stdio.h>
#include <string.h>

#include "gemctl.h"

static const char daemon_state[] = "gemd's state, through its socket";

const struct gemctl_cmd gemctl_cmds[] = {
	{ "show", gemctl_show, GEMCTL_NL, "[DEV]", "gem devices: underlay, MTU, counters" },
	{ "group", gemctl_group, GEMCTL_NL,
	  "DEV set GROUP[/LEN] key|gak FILE [tag hmac-sha256|cmac-aes]\n"
	  "DEV del GROUP[/LEN] | flush | show",
	  "protected groups and their tag keys" },
	{ "tx", gemctl_group, GEMCTL_NL,
	  "DEV set SOURCE GROUP id N key FILE\n"
	  "DEV del SOURCE GROUP | flush | show",
	  "transmit streams and their keys" },
	{ "rx", gemctl_group, GEMCTL_NL,
	  "DEV set SOURCE GROUP id N key FILE [rate PPS] [floor PN]\n"
	  "DEV del SOURCE GROUP id N | flush | show",
	  "receive streams and their keys" },
	{ "norm", gemctl_norm, GEMCTL_NL,
	  "set in DEV source PREFIX group PREFIX new-source ADDR out DEV\n"
	  "         [ttl N] [idle SECONDS]\n"
	  "del in DEV source PREFIX group PREFIX | flush | show | streams",
	  "normalizer rules, and the streams they\nre-source" },
	{ "status", gemctl_daemon, 0, "", daemon_state },
	{ "neighbours", gemctl_daemon, 0, "", daemon_state },
	{ "routes", gemctl_daemon, 0, "", daemon_state },
	{ "streams", gemctl_daemon, 0, "", daemon_state },
	{ "items", gemctl_daemon, 0, "", daemon_state },
	{ "events", gemctl_daemon, 0, "", daemon_state },
	{ "rotate", gemctl_daemon, 0, "[GROUP/LEN]",
	  "gemd gives its local streams (of one\ngroup prefix) new keys now" },
	{ "genkey", gemctl_genkey, 0, "[BYTES]", "a random key in base64 (32 bytes)" },
	{ "gen", gemctl_gen, 0, "identity|bk|gak FILE",
	  "a new node identity, Bootstrap Key or\n"
	  "Group Authorization Key file (mode 0600)" },
	{ "babeld-key", gemctl_babeld_key, 0, "BKFILE",
	  "babeld.conf's key line for gemd's\nRFC 8967 MACs under that BK" },
	{ "monitor", gemctl_monitor, GEMCTL_NL, "[-c COUNT]", "print events as they happen" },
	{ "help", NULL, 0, "", "this text" },
	{ NULL, NULL, 0, NULL, NULL },
};

const struct gemctl_cmd *gemctl_find(const char *name)
{
	const struct gemctl_cmd *c;

	for (c = gemctl_cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* Each line of text on a line of its own, from column 36 on. */
static void usage_indented(FILE *out, const char *text)
{
	const char *nl;

	while ((nl = strchr(text, '\n'))) {
		fprintf(out, "%36s%.*s\n", "", (int)(nl - text), text);
		text = nl + 1;
	}
	fprintf(out, "%36s%s\n", "", text);
}

/*
 * One block per description: commands that share one are joined with
 * " | "; a synopsis too long for the column, or of several lines, puts
 * the description below it. A synopsis line that begins with a space
 * continues the one before.
 */
static void usage_block(FILE *out, const struct gemctl_cmd *first, const struct gemctl_cmd *end)
{
	const char *syn = first->synopsis, *desc = first->description, *nl;
	char names[128], line[256];
	const struct gemctl_cmd *c;
	size_t n = 0;
	int len;

	for (c = first; c < end && n < sizeof(names); c++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", c == first ? "" : " | ", c->name);
	snprintf(line, sizeof(line), "%s%s%s", names, *syn ? " " : "", syn);
	if (!strchr(syn, '\n') && strlen(line) < 34) {
		nl = strchr(desc, '\n');
		fprintf(out, "  %-34s%.*s\n", line, nl ? (int)(nl - desc) : (int)strlen(desc), desc);
		if (nl)
			usage_indented(out, nl + 1);
		return;
	}
	for (; syn; syn = nl ? nl + 1 : NULL) {
		nl = strchr(syn, '\n');
		len = nl ? (int)(nl - syn) : (int)strlen(syn);
		if (*syn == ' ')
			fprintf(out, "  %.*s\n", len, syn);
		else
			fprintf(out, "  %s%s%.*s\n", names, len ? " " : "", len, syn);
	}
	usage_indented(out, desc);
}

void gemctl_usage(FILE *out)
{
	const struct gemctl_cmd *c, *end;

	fprintf(out, "Usage: gemctl [-j] COMMAND [ARGS]\n\nCommands:\n");
	for (c = gemctl_cmds; c->name; c = end) {
		for (end = c + 1; end->name && end->description == c->description; end++)
			;
		usage_block(out, c, end);
	}
	fprintf(out,
		"\n"
		"FILE holds one base64 key and must not be readable by group or others;\n"
		"\"-\" reads it from standard input. Keys never go on the command line.\n"
		"\n"
		"Options:\n"
		"  -j, --json           print JSON\n"
		"  -S, --socket PATH    gemd's socket (default /run/gem/gemd.sock)\n");
}
