// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl norm: the words of a rule, and rules and streams as the module
 * reports them.
 */
#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "gemctl/norm.h"
#include "lib/norminfo.h"
#include "test.h"

static int parse(bool set, const char *line, struct gem_norm_args *a, char *err, size_t len)
{
	char buf[512], *argv[32], *tok, *save = NULL;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok && argc < 32; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	err[0] = '\0';
	return gem_norm_args_parse(argc, argv, set, a, err, len);
}

static void test_args_ipv4(void)
{
	struct gem_norm_args a;
	char err[256];

	EXPECT(parse(true, "in lo source 10.99.0.0/24 group 239.0.0.0/8 new-source 192.0.2.1 "
		     "out lo ttl 16 idle 5", &a, err, sizeof(err)) == 0);
	EXPECT(a.in_ifindex == 1 && a.out_ifindex == 1);
	EXPECT(a.source.len == 4 && a.source.prefixlen == 24);
	EXPECT(a.group.prefixlen == 8 && a.group.bytes[0] == 239);
	EXPECT(a.new_source.len == 4 && a.new_source.bytes[3] == 1);
	EXPECT(a.ttl == 16 && a.idle == 5);

	/* Without ttl and idle the module's defaults apply. */
	EXPECT(parse(true, "in lo source 10.0.0.0/8 group 239.1.1.1 new-source 192.0.2.1 out lo",
		     &a, err, sizeof(err)) == 0);
	EXPECT(a.ttl == -1 && a.idle == -1 && a.group.prefixlen == 32);
}

static void test_args_ipv6_del(void)
{
	struct gem_norm_args a;
	char err[256];

	EXPECT(parse(false, "in lo source fd00:99::/64 group ff3e::/16", &a, err, sizeof(err)) == 0);
	EXPECT(a.source.len == 16 && a.source.prefixlen == 64 && a.group.prefixlen == 16);
	/* del takes only the key. */
	EXPECT(parse(false, "in lo source fd00:99::/64 group ff3e::/16 out lo", &a, err,
		     sizeof(err)) == -1);
	EXPECT_STR(err, "unknown word \"out\"");
}

static void test_args_refused(void)
{
	static const struct {
		const char *line, *err;
	} bad[] = {
		{ "in lo source 10.0.0.0/8 group",
		  "group: a value is missing" },
		{ "in nosuchdev0 source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo",
		  "in: no such device: nosuchdev0" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.0/24 out lo",
		  "new-source: an address, not a prefix: 192.0.2.0/24" },
		{ "in lo source 10.0.0.0/33 group 239.0.0.0/8 new-source 192.0.2.1 out lo",
		  "source: not an IPv4 or IPv6 prefix: 10.0.0.0/33" },
		{ "in lo source 10.0.0.0/8 group ff3e::/16 new-source 192.0.2.1 out lo",
		  "source, group and new-source must be of one family" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source fd00::1 out lo",
		  "source, group and new-source must be of one family" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo ttl 0",
		  "ttl: a number from 1 to 255, not 0" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo ttl 256",
		  "ttl: a number from 1 to 255, not 256" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo idle 0",
		  "idle: a number from 1 to 86400, not 0" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo idle 5s",
		  "idle: a number from 1 to 86400, not 5s" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 out lo",
		  "new-source and out are required" },
		{ "source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo",
		  "in, source and group are required" },
		{ "in lo source 10.0.0.0/8 group 239.0.0.0/8 new-source 192.0.2.1 out lo color red",
		  "unknown word \"color\"" },
	};
	struct gem_norm_args a;
	char err[256];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT(parse(true, bad[i].line, &a, err, sizeof(err)) == -1);
		EXPECT_STR(err, bad[i].err);
	}
}

/* A message as the module would send it. */
static struct nl_msg *reply(uint8_t cmd, bool rule, int addrlen)
{
	static const uint8_t src[16] = { 10, 99, 0, 2 }, grp[16] = { 239, 1, 2, 3 },
			     nsrc[16] = { 192, 0, 2, 1 };
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 0, 42, 0, 0, cmd, 1))
		return NULL;
	nla_put_u32(msg, GEM_A_NORM_IN_IFINDEX, 1);
	nla_put(msg, GEM_A_NORM_SOURCE, addrlen, src);
	nla_put(msg, GEM_A_NORM_GROUP, 4, grp);
	nla_put(msg, GEM_A_NORM_NEW_SOURCE, 4, nsrc);
	nla_put_u32(msg, GEM_A_NORM_OUT_IFINDEX, 1);
	nla_put_u32(msg, GEM_A_NORM_IDLE_TIMEOUT, 30);
	nla_put_u64(msg, GEM_A_NORM_PACKETS, 7);
	nla_put_u64(msg, GEM_A_NORM_BYTES, 700);
	if (rule) {
		nla_put_u8(msg, GEM_A_NORM_SOURCE_PREFIXLEN, 24);
		nla_put_u8(msg, GEM_A_NORM_GROUP_PREFIXLEN, 8);
		nla_put_u8(msg, GEM_A_NORM_TTL, 0);
		nla_put_u64(msg, GEM_A_NORM_TTL_EXPIRED, 3);
		nla_put_u32(msg, GEM_A_NORM_STREAMS, 2);
	}
	return msg;
}

static void test_info_rule(void)
{
	struct nl_msg *msg = reply(GEM_CMD_NORM_GET, true, 4);
	struct gem_norminfo n;
	char out[512];
	FILE *f;

	EXPECT(msg && gem_norminfo_parse(nlmsg_hdr(msg), &n) == 0);
	EXPECT_STR(n.in, "lo");
	EXPECT_STR(n.source, "10.99.0.2");
	EXPECT(n.source_plen == 24 && n.group_plen == 8 && n.ttl == 0);
	EXPECT(n.packets == 7 && n.bytes == 700 && n.ttl_expired == 3 && n.streams == 2);
	f = fmemopen(out, sizeof(out), "w");
	gem_norminfo_print(&n, NULL, f);
	fclose(f);
	EXPECT_STR(out, "in lo source 10.99.0.2/24 group 239.1.2.3/8 new-source 192.0.2.1 out lo "
			"idle 30\n\tpackets 7 bytes 700 ttl-expired 3 too-big 0 errors 0 streams 2\n");
	nlmsg_free(msg);
}

static void test_info_stream_end(void)
{
	struct nl_msg *msg = reply(GEM_CMD_NORM_STREAM_END_NTF, false, 4);
	struct gem_norminfo n;
	char out[512];
	FILE *f;

	nla_put_u8(msg, GEM_A_NORM_END_REASON, GEM_NORM_END_IDLE);
	EXPECT(gem_norminfo_parse(nlmsg_hdr(msg), &n) == 0);
	EXPECT(n.source_plen == -1 && n.end_reason == GEM_NORM_END_IDLE);
	f = fmemopen(out, sizeof(out), "w");
	gem_norminfo_print(&n, "norm-stream-end", f);
	fclose(f);
	EXPECT_STR(out, "norm-stream-end in lo 10.99.0.2 -> 239.1.2.3 as 192.0.2.1 out lo "
			"packets 7 bytes 700 ended idle\n");
	nlmsg_free(msg);
}

static void test_info_malformed(void)
{
	struct nl_msg *msg = reply(GEM_CMD_NORM_GET, true, 5);
	struct gem_norminfo n;

	/* An address of neither length. */
	EXPECT(gem_norminfo_parse(nlmsg_hdr(msg), &n) == -1);
	nlmsg_free(msg);
	/* A reason from the future. */
	msg = reply(GEM_CMD_NORM_STREAM_END_NTF, false, 4);
	nla_put_u8(msg, GEM_A_NORM_END_REASON, GEM_NORM_END_MAX + 1);
	EXPECT(gem_norminfo_parse(nlmsg_hdr(msg), &n) == -1);
	nlmsg_free(msg);
}

int main(void)
{
	RUN(test_args_ipv4);
	RUN(test_args_ipv6_del);
	RUN(test_args_refused);
	RUN(test_info_rule);
	RUN(test_info_stream_end);
	RUN(test_info_malformed);
	return TEST_EXIT();
}
