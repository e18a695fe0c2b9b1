// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl norm: the normalizer's rules, which re-source multicast from
 * unroutable sources onto an address of this node, and the streams they
 * are re-sourcing now.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "gemctl.h"
#include "lib/norminfo.h"
#include "norm.h"


static int norm_usage(void)
{
	fprintf(stderr,
		"gemctl: usage:\n"
		"  gemctl norm set in DEV source PREFIX group PREFIX new-source ADDR out DEV\n"
		"                  [ttl N] [idle SECONDS]\n"
		"  gemctl norm del in DEV source PREFIX group PREFIX\n"
		"  gemctl norm flush\n"
		"  gemctl [-j] norm show [in DEV]\n"
		"  gemctl [-j] norm streams [in DEV]\n");
	return 2;
}

static int norm_addr(const char *word, const char *text, bool prefix, struct gem_addr *a,
		     char *err, size_t errlen)
{
	if (gem_parse_addr(text, a)) {
		snprintf(err, errlen, "%s: not an IPv4 or IPv6 %s: %s", word,
			 prefix ? "prefix" : "address", text);
		return -1;
	}
	if (!prefix && a->prefixlen != a->len * 8) {
		snprintf(err, errlen, "%s: an address, not a prefix: %s", word, text);
		return -1;
	}
	return 0;
}

static int norm_dev(const char *word, const char *name, unsigned int *ifindex, char *err,
		    size_t errlen)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex) {
		snprintf(err, errlen, "%s: no such device: %s", word, name);
		return -1;
	}
	return 0;
}

static int norm_number(const char *word, const char *text, long min, long max, long *v,
		       char *err, size_t errlen)
{
	char *end;

	errno = 0;
	*v = strtol(text, &end, 10);
	if (!*text || *end || errno || *v < min || *v > max) {
		snprintf(err, errlen, "%s: a number from %ld to %ld, not %s", word, min, max, text);
		return -1;
	}
	return 0;
}

int gem_norm_args_parse(int argc, char **argv, bool set, struct gem_norm_args *a,
			char *err, size_t errlen)
{
	int i;
	long v;

	memset(a, 0, sizeof(*a));
	a->ttl = -1;
	a->idle = -1;
	for (i = 0; i < argc; i += 2) {
		const char *w = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val) {
			snprintf(err, errlen, "%s: a value is missing", w);
			return -1;
		}
		if (!strcmp(w, "in")) {
			if (norm_dev(w, val, &a->in_ifindex, err, errlen))
				return -1;
		} else if (!strcmp(w, "source")) {
			if (norm_addr(w, val, true, &a->source, err, errlen))
				return -1;
		} else if (!strcmp(w, "group")) {
			if (norm_addr(w, val, true, &a->group, err, errlen))
				return -1;
		} else if (set && !strcmp(w, "new-source")) {
			if (norm_addr(w, val, false, &a->new_source, err, errlen))
				return -1;
		} else if (set && !strcmp(w, "out")) {
			if (norm_dev(w, val, &a->out_ifindex, err, errlen))
				return -1;
		} else if (set && !strcmp(w, "ttl")) {
			if (norm_number(w, val, 1, 255, &v, err, errlen))
				return -1;
			a->ttl = v;
		} else if (set && !strcmp(w, "idle")) {
			if (norm_number(w, val, 1, GEM_NORM_IDLE_MAX, &a->idle, err, errlen))
				return -1;
		} else {
			snprintf(err, errlen, "unknown word \"%s\"", w);
			return -1;
		}
	}
	if (!a->in_ifindex || !a->source.len || !a->group.len) {
		snprintf(err, errlen, "in, source and group are required");
		return -1;
	}
	if (set && (!a->new_source.len || !a->out_ifindex)) {
		snprintf(err, errlen, "new-source and out are required");
		return -1;
	}
	if (a->group.len != a->source.len ||
	    (a->new_source.len && a->new_source.len != a->source.len)) {
		snprintf(err, errlen, "source, group and new-source must be of one family");
		return -1;
	}
	return 0;
}

struct norm_ctx {
	struct gemctl *g;
	int bad;
};

static int norm_dump_cb(struct nl_msg *msg, void *arg)
{
	struct norm_ctx *c = arg;
	struct gem_norminfo n;

	if (gem_norminfo_parse(nlmsg_hdr(msg), &n)) {
		c->bad++;
		return NL_SKIP;
	}
	if (c->g->json)
		gem_norminfo_json(&n, NULL, &c->g->j);
	else
		gem_norminfo_print(&n, NULL, stdout);
	return NL_OK;
}

static int norm_put_addr(struct nl_msg *msg, int type, int plen_type, const struct gem_addr *a)
{
	if (nla_put(msg, type, a->len, a->bytes))
		return -1;
	return plen_type ? nla_put_u8(msg, plen_type, a->prefixlen) : 0;
}

static int norm_dump(struct gemctl *g, uint8_t cmd, int argc, char **argv)
{
	struct norm_ctx c = { .g = g };
	unsigned int in = 0;
	struct nl_msg *msg;
	char err[128];

	if (argc == 2 && !strcmp(argv[0], "in")) {
		if (norm_dev("in", argv[1], &in, err, sizeof(err))) {
			fprintf(stderr, "gemctl: norm: %s\n", err);
			return 1;
		}
	} else if (argc) {
		return norm_usage();
	}
	msg = gem_nl_msg(&g->nl, cmd, NLM_F_DUMP);
	if (msg && in && nla_put_u32(msg, GEM_A_NORM_IN_IFINDEX, in)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return gemctl_dump(g, msg, norm_dump_cb, &c, &c.bad, "norm");
}

int gemctl_norm(struct gemctl *g, const char *name, int argc, char **argv)
{
	struct gem_norm_args a;
	struct nl_msg *msg;
	const char *verb;
	char err[256];
	bool set;

	(void)name;
	if (!argc)
		return norm_usage();
	verb = argv[0];
	argc--;
	argv++;
	if (!strcmp(verb, "show"))
		return norm_dump(g, GEM_CMD_NORM_GET, argc, argv);
	if (!strcmp(verb, "streams"))
		return norm_dump(g, GEM_CMD_NORM_STREAM_GET, argc, argv);
	if (!strcmp(verb, "flush")) {
		if (argc)
			return norm_usage();
		msg = gem_nl_msg(&g->nl, GEM_CMD_NORM_DEL, 0);
		goto send;
	}
	if (strcmp(verb, "set") && strcmp(verb, "del"))
		return norm_usage();
	set = !strcmp(verb, "set");
	if (gem_norm_args_parse(argc, argv, set, &a, err, sizeof(err))) {
		fprintf(stderr, "gemctl: norm %s: %s\n", verb, err);
		return 2;
	}
	msg = gem_nl_msg(&g->nl, set ? GEM_CMD_NORM_SET : GEM_CMD_NORM_DEL, 0);
	if (!msg || nla_put_u32(msg, GEM_A_NORM_IN_IFINDEX, a.in_ifindex) ||
	    norm_put_addr(msg, GEM_A_NORM_SOURCE, GEM_A_NORM_SOURCE_PREFIXLEN, &a.source) ||
	    norm_put_addr(msg, GEM_A_NORM_GROUP, GEM_A_NORM_GROUP_PREFIXLEN, &a.group))
		goto nomem;
	if (set && (norm_put_addr(msg, GEM_A_NORM_NEW_SOURCE, 0, &a.new_source) ||
		    nla_put_u32(msg, GEM_A_NORM_OUT_IFINDEX, a.out_ifindex) ||
		    (a.ttl >= 0 && nla_put_u8(msg, GEM_A_NORM_TTL, a.ttl)) ||
		    (a.idle >= 0 && nla_put_u32(msg, GEM_A_NORM_IDLE_TIMEOUT, a.idle))))
		goto nomem;
send:
	if (!msg)
		goto nomem;
	if (gem_nl_request(&g->nl, msg)) {
		fprintf(stderr, "gemctl: norm %s: %s\n", verb, g->nl.errmsg);
		return 1;
	}
	return 0;
nomem:
	nlmsg_free(msg);
	fprintf(stderr, "gemctl: out of memory\n");
	return 1;
}
