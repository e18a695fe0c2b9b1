// SPDX-License-Identifier: GPL-2.0
/*
 * The normalizer's attribute set (rules, streams and their events),
 * decoded once, and printed as gemctl prints it.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "norminfo.h"

static const char *const end_reasons[] = {
	[GEM_NORM_END_IDLE]	= "idle",
	[GEM_NORM_END_RULE]	= "rule",
};

static void norm_ifname(struct nlattr *a, char *out, size_t len)
{
	unsigned int ifindex = a ? nla_get_u32(a) : 0;

	if (!ifindex || !if_indextoname(ifindex, out))
		snprintf(out, len, "%u", ifindex);
}

/* An address attribute, as text and as bytes; -1 unless 4 or 16 bytes. */
static int norm_addr(struct nlattr *a, char *out, size_t len, uint8_t *bytes, uint8_t *blen)
{
	out[0] = '\0';
	if (!a || (nla_len(a) != 4 && nla_len(a) != 16))
		return -1;
	*blen = (uint8_t)nla_len(a);
	memcpy(bytes, nla_data(a), *blen);
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
	    norm_addr(tb[GEM_A_NORM_SOURCE], n->source, sizeof(n->source), n->source_addr,
		      &n->source_len) ||
	    norm_addr(tb[GEM_A_NORM_GROUP], n->group, sizeof(n->group), n->group_addr,
		      &n->group_len) ||
	    norm_addr(tb[GEM_A_NORM_NEW_SOURCE], n->new_source, sizeof(n->new_source),
		      n->new_source_addr, &n->new_source_len))
		return -1;
	n->cmd = gh->cmd;
	n->in_ifindex = nla_get_u32(tb[GEM_A_NORM_IN_IFINDEX]);
	n->out_ifindex = nla_get_u32(tb[GEM_A_NORM_OUT_IFINDEX]);
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

void gem_norminfo_json(const struct gem_norminfo *n, const char *event, struct json *j)
{
	json_object_begin(j);
	if (event)
		json_member_string(j, "event", event);
	json_member_string(j, "in", n->in);
	json_member_string(j, "source", n->source);
	if (norm_is_rule(n))
		json_member_u64(j, "source_prefixlen", n->source_plen);
	json_member_string(j, "group", n->group);
	if (norm_is_rule(n))
		json_member_u64(j, "group_prefixlen", n->group_plen);
	json_member_string(j, "new_source", n->new_source);
	json_member_string(j, "out", n->out);
	if (n->ttl >= 0)
		json_member_u64(j, "ttl", n->ttl);
	json_member_u64(j, "idle", n->idle);
	json_member_u64(j, "packets", n->packets);
	json_member_u64(j, "bytes", n->bytes);
	if (norm_is_rule(n)) {
		json_member_u64(j, "ttl_expired", n->ttl_expired);
		json_member_u64(j, "too_big", n->too_big);
		json_member_u64(j, "errors", n->errors);
		json_member_u64(j, "streams", n->streams);
	}
	if (n->end_reason >= 0)
		json_member_string(j, "reason", end_reasons[n->end_reason]);
	json_object_end(j);
}
