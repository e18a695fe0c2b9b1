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

#include "norm.h"

static const char *const end_reasons[] = {
	[GEM_NORM_END_IDLE]	= "idle",
	[GEM_NORM_END_RULE]	= "rule",
};

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

static void norm_ifname(struct nlattr *a, char *out, size_t len)
{
	unsigned int ifindex = a ? nla_get_u32(a) : 0;

	if (!ifindex || !if_indextoname(ifindex, out))
		snprintf(out, len, "%u", ifindex);
}

static int norm_addr_str(struct nlattr *a, char *out, size_t len)
{
	out[0] = '\0';
	if (!a || (nla_len(a) != 4 && nla_len(a) != 16))
		return -1;
	inet_ntop(nla_len(a) == 4 ? AF_INET : AF_INET6, nla_data(a), out, len);
	return 0;
}

static uint64_t norm_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static const struct nla_policy norm_policy[GEM_A_NORM_MAX + 1] = {
	[GEM_A_NORM_IN_IFINDEX]		= { .type = NLA_U32 },
	[GEM_A_NORM_SOURCE_PREFIXLEN]	= { .type = NLA_U8 },
	[GEM_A_NORM_GROUP_PREFIXLEN]	= { .type = NLA_U8 },
	[GEM_A_NORM_OUT_IFINDEX]	= { .type = NLA_U32 },
	[GEM_A_NORM_TTL]		= { .type = NLA_U8 },
	[GEM_A_NORM_IDLE_TIMEOUT]	= { .type = NLA_U32 },
	[GEM_A_NORM_PACKETS]		= { .type = NLA_U64 },
	[GEM_A_NORM_BYTES]		= { .type = NLA_U64 },
	[GEM_A_NORM_TTL_EXPIRED]	= { .type = NLA_U64 },
	[GEM_A_NORM_TOO_BIG]		= { .type = NLA_U64 },
	[GEM_A_NORM_ERRORS]		= { .type = NLA_U64 },
	[GEM_A_NORM_STREAMS]		= { .type = NLA_U32 },
	[GEM_A_NORM_END_REASON]		= { .type = NLA_U8 },
};

int gem_norminfo_parse(const struct nlmsghdr *nlh, struct gem_norminfo *n)
{
	struct nlattr *tb[GEM_A_NORM_MAX + 1];
	const struct genlmsghdr *gh = nlmsg_data(nlh);

	memset(n, 0, sizeof(*n));
	n->source_plen = n->group_plen = n->ttl = n->end_reason = -1;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, GEM_A_NORM_MAX,
			  (struct nla_policy *)norm_policy) ||
	    !tb[GEM_A_NORM_IN_IFINDEX] || !tb[GEM_A_NORM_OUT_IFINDEX] ||
	    norm_addr_str(tb[GEM_A_NORM_SOURCE], n->source, sizeof(n->source)) ||
	    norm_addr_str(tb[GEM_A_NORM_GROUP], n->group, sizeof(n->group)) ||
	    norm_addr_str(tb[GEM_A_NORM_NEW_SOURCE], n->new_source, sizeof(n->new_source)))
		return -1;
	n->cmd = gh->cmd;
	norm_ifname(tb[GEM_A_NORM_IN_IFINDEX], n->in, sizeof(n->in));
	norm_ifname(tb[GEM_A_NORM_OUT_IFINDEX], n->out, sizeof(n->out));
	if (tb[GEM_A_NORM_SOURCE_PREFIXLEN])
		n->source_plen = nla_get_u8(tb[GEM_A_NORM_SOURCE_PREFIXLEN]);
	if (tb[GEM_A_NORM_GROUP_PREFIXLEN])
		n->group_plen = nla_get_u8(tb[GEM_A_NORM_GROUP_PREFIXLEN]);
	if (tb[GEM_A_NORM_TTL])
		n->ttl = nla_get_u8(tb[GEM_A_NORM_TTL]);
	if (tb[GEM_A_NORM_IDLE_TIMEOUT])
		n->idle = nla_get_u32(tb[GEM_A_NORM_IDLE_TIMEOUT]);
	n->packets = norm_u64(tb[GEM_A_NORM_PACKETS]);
	n->bytes = norm_u64(tb[GEM_A_NORM_BYTES]);
	n->ttl_expired = norm_u64(tb[GEM_A_NORM_TTL_EXPIRED]);
	n->too_big = norm_u64(tb[GEM_A_NORM_TOO_BIG]);
	n->errors = norm_u64(tb[GEM_A_NORM_ERRORS]);
	if (tb[GEM_A_NORM_STREAMS])
		n->streams = nla_get_u32(tb[GEM_A_NORM_STREAMS]);
	if (tb[GEM_A_NORM_END_REASON]) {
		n->end_reason = nla_get_u8(tb[GEM_A_NORM_END_REASON]);
		if (n->end_reason > GEM_NORM_END_MAX)
			return -1;
	}
	return 0;
}

/* A rule carries prefix lengths; a stream, its own addresses. */
static bool norm_is_rule(const struct gem_norminfo *n)
{
	return n->source_plen >= 0;
}

void gem_norminfo_print(const struct gem_norminfo *n, const char *event, FILE *out)
{
	if (event)
		fprintf(out, "%s ", event);
	if (norm_is_rule(n)) {
		fprintf(out, "in %s source %s/%d group %s/%d new-source %s out %s",
			n->in, n->source, n->source_plen, n->group, n->group_plen,
			n->new_source, n->out);
		if (n->ttl > 0)
			fprintf(out, " ttl %d", n->ttl);
		fprintf(out, " idle %u\n", n->idle);
		if (event)
			return;
		fprintf(out, "\tpackets %" PRIu64 " bytes %" PRIu64 " ttl-expired %" PRIu64
			" too-big %" PRIu64 " errors %" PRIu64 " streams %u\n",
			n->packets, n->bytes, n->ttl_expired, n->too_big, n->errors, n->streams);
		return;
	}
	fprintf(out, "in %s %s -> %s as %s out %s packets %" PRIu64 " bytes %" PRIu64,
		n->in, n->source, n->group, n->new_source, n->out, n->packets, n->bytes);
	if (n->end_reason >= 0)
		fprintf(out, " ended %s", end_reasons[n->end_reason]);
	fprintf(out, "\n");
}

static void json_kv(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_string(j, v);
}

static void json_kn(struct json *j, const char *k, uint64_t v)
{
	json_key(j, k);
	json_u64(j, v);
}

void gem_norminfo_json(const struct gem_norminfo *n, const char *event, struct json *j)
{
	json_object_begin(j);
	if (event)
		json_kv(j, "event", event);
	json_kv(j, "in", n->in);
	json_kv(j, "source", n->source);
	if (norm_is_rule(n))
		json_kn(j, "source_prefixlen", n->source_plen);
	json_kv(j, "group", n->group);
	if (norm_is_rule(n))
		json_kn(j, "group_prefixlen", n->group_plen);
	json_kv(j, "new_source", n->new_source);
	json_kv(j, "out", n->out);
	if (n->ttl >= 0)
		json_kn(j, "ttl", n->ttl);
	json_kn(j, "idle", n->idle);
	json_kn(j, "packets", n->packets);
	json_kn(j, "bytes", n->bytes);
	if (norm_is_rule(n)) {
		json_kn(j, "ttl_expired", n->ttl_expired);
		json_kn(j, "too_big", n->too_big);
		json_kn(j, "errors", n->errors);
		json_kn(j, "streams", n->streams);
	}
	if (n->end_reason >= 0)
		json_kv(j, "reason", end_reasons[n->end_reason]);
	json_object_end(j);
}

struct norm_ctx {
	struct gemctl_env *env;
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
	if (c->env->json)
		gem_norminfo_json(&n, NULL, &c->env->j);
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

static int norm_dump(struct gemctl_env *env, uint8_t cmd, int argc, char **argv)
{
	struct norm_ctx c = { .env = env };
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
	msg = gem_nl_msg(&env->nl, cmd, NLM_F_DUMP);
	if (!msg || (in && nla_put_u32(msg, GEM_A_NORM_IN_IFINDEX, in)))
		return 1;
	if (env->json)
		json_array_begin(&env->j);
	if (gem_nl_send(&env->nl, msg, norm_dump_cb, &c)) {
		fprintf(stderr, "gemctl: norm: %s\n", env->nl.errmsg);
		return 1;
	}
	if (env->json) {
		json_array_end(&env->j);
		json_finish(&env->j);
	}
	if (c.bad) {
		fprintf(stderr, "gemctl: %d malformed replies from the module\n", c.bad);
		return 1;
	}
	return 0;
}

int gemctl_norm(struct gemctl_env *env, int argc, char **argv)
{
	struct gem_norm_args a;
	struct nl_msg *msg;
	const char *verb;
	char err[256];
	bool set;

	if (!argc)
		return norm_usage();
	verb = argv[0];
	argc--;
	argv++;
	if (!strcmp(verb, "show"))
		return norm_dump(env, GEM_CMD_NORM_GET, argc, argv);
	if (!strcmp(verb, "streams"))
		return norm_dump(env, GEM_CMD_NORM_STREAM_GET, argc, argv);
	if (!strcmp(verb, "flush")) {
		if (argc)
			return norm_usage();
		msg = gem_nl_msg(&env->nl, GEM_CMD_NORM_DEL, 0);
		goto send;
	}
	if (strcmp(verb, "set") && strcmp(verb, "del"))
		return norm_usage();
	set = !strcmp(verb, "set");
	if (gem_norm_args_parse(argc, argv, set, &a, err, sizeof(err))) {
		fprintf(stderr, "gemctl: norm %s: %s\n", verb, err);
		return 2;
	}
	msg = gem_nl_msg(&env->nl, set ? GEM_CMD_NORM_SET : GEM_CMD_NORM_DEL, 0);
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
	if (gem_nl_request(&env->nl, msg)) {
		fprintf(stderr, "gemctl: norm %s: %s\n", verb, env->nl.errmsg);
		return 1;
	}
	return 0;
nomem:
	nlmsg_free(msg);
	fprintf(stderr, "gemctl: out of memory\n");
	return 1;
}
