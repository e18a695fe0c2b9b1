// SPDX-License-Identifier: GPL-2.0
/*
 * Extended-ack parsing: the kernel's message is found in capped and
 * uncapped errors, and nothing is read past a short or lying message.
 */
#include <linux/netlink.h>
#include <stdint.h>

#include "lib/gem_nl.h"
#include "test.h"

static union {
	struct nlmsghdr nlh;
	uint8_t b[512];
} m;

/* An NLMSG_ERROR echoing a request of req_payload bytes (unless capped). */
static size_t build(int capped, size_t req_payload, const char *text)
{
	struct nlmsgerr *err;
	struct nlattr *nla;
	size_t off, tlen = strlen(text) + 1;

	memset(&m, 0, sizeof(m));
	m.nlh.nlmsg_type = NLMSG_ERROR;
	m.nlh.nlmsg_flags = NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0);
	err = NLMSG_DATA(&m.nlh);
	err->error = -22;
	err->msg.nlmsg_len = NLMSG_HDRLEN + req_payload;
	off = NLMSG_HDRLEN + sizeof(*err) + (capped ? 0 : NLMSG_ALIGN(req_payload));
	nla = (struct nlattr *)(m.b + off);
	nla->nla_type = NLMSGERR_ATTR_MSG;
	nla->nla_len = NLA_HDRLEN + tlen;
	memcpy(m.b + off + NLA_HDRLEN, text, tlen);
	m.nlh.nlmsg_len = off + NLA_ALIGN(nla->nla_len);
	return m.nlh.nlmsg_len;
}

static void test_uncapped(void)
{
	size_t len = build(0, 24, "gem: no such device");

	EXPECT_STR(gem_nl_extack_msg(&m.nlh, len), "gem: no such device");
}

static void test_capped(void)
{
	size_t len = build(1, 24, "gem: not a gem device");

	EXPECT_STR(gem_nl_extack_msg(&m.nlh, len), "gem: not a gem device");
}

static void test_no_tlvs(void)
{
	size_t len = build(1, 0, "x");

	m.nlh.nlmsg_flags &= ~NLM_F_ACK_TLVS;
	EXPECT(gem_nl_extack_msg(&m.nlh, len) == NULL);
}

static void test_truncated(void)
{
	size_t len = build(1, 0, "a message");

	/* The buffer ends inside the attribute. */
	EXPECT(gem_nl_extack_msg(&m.nlh, len - 8) == NULL);
	m.nlh.nlmsg_len = len - 8;
	EXPECT(gem_nl_extack_msg(&m.nlh, len - 8) == NULL);
}

static void test_unterminated(void)
{
	size_t len = build(1, 0, "abc");
	struct nlattr *nla = (struct nlattr *)(m.b + NLMSG_HDRLEN + sizeof(struct nlmsgerr));

	memset(m.b + NLMSG_HDRLEN + sizeof(struct nlmsgerr) + NLA_HDRLEN, 'x', 4);
	EXPECT(nla->nla_len == NLA_HDRLEN + 4);
	EXPECT(gem_nl_extack_msg(&m.nlh, len) == NULL);
}

static void test_echo_longer_than_message(void)
{
	size_t len = build(0, 24, "msg");
	struct nlmsgerr *err = NLMSG_DATA(&m.nlh);

	err->msg.nlmsg_len = 4000;
	EXPECT(gem_nl_extack_msg(&m.nlh, len) == NULL);
}

int main(void)
{
	RUN(test_uncapped);
	RUN(test_capped);
	RUN(test_no_tlvs);
	RUN(test_truncated);
	RUN(test_unterminated);
	RUN(test_echo_longer_than_message);
	return TEST_EXIT();
}
