// SPDX-License-Identifier: GPL-2.0
/*
 * The "conf" attribute set, decoded once for every reader.
 */
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "confinfo.h"

/* Integers of the wrong size are refused, not read past. */
static const struct nla_policy confinfo_policy[GEM_A_CONF_MAX + 1] = {
	[GEM_A_CONF_IFINDEX]	= { .type = NLA_U32 },
	[GEM_A_CONF_KEY_ID]	= { .type = NLA_U8 },
	[GEM_A_CONF_PREFIXLEN]	= { .type = NLA_U8 },
	[GEM_A_CONF_TAG_ALG]	= { .type = NLA_U8 },
	[GEM_A_CONF_PN]		= { .type = NLA_U64 },
	[GEM_A_CONF_PACKETS]	= { .type = NLA_U64 },
	[GEM_A_CONF_BYTES]	= { .type = NLA_U64 },
	[GEM_A_CONF_RATE]	= { .type = NLA_U32 },
};

/* Takes an address attribute; its length must agree with the other's. */
static int confinfo_addr(const struct nlattr *a, uint8_t *out, uint8_t *len, bool *has)
{
	int alen;

	if (!a)
		return 0;
	alen = nla_len(a);
	if ((alen != 4 && alen != 16) || (*len && *len != alen))
		return -1;
	*len = (uint8_t)alen;
	memcpy(out, nla_data(a), alen);
	*has = true;
	return 0;
}

int gem_confinfo_parse(const struct nlmsghdr *nlh, struct gem_confinfo *c)
{
	struct nlattr *tb[GEM_A_CONF_MAX + 1];

	memset(c, 0, sizeof(*c));
	c->key_id = c->prefixlen = c->tag_alg = -1;
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, GEM_A_CONF_MAX,
			  (struct nla_policy *)confinfo_policy))
		return -1;
	c->cmd = ((struct genlmsghdr *)nlmsg_data(nlh))->cmd;
	if (confinfo_addr(tb[GEM_A_CONF_SOURCE], c->source, &c->len, &c->has_source) ||
	    confinfo_addr(tb[GEM_A_CONF_GROUP], c->group, &c->len, &c->has_group))
		return -1;
	if (tb[GEM_A_CONF_IFINDEX])
		c->ifindex = nla_get_u32(tb[GEM_A_CONF_IFINDEX]);
	if (tb[GEM_A_CONF_KEY_ID])
		c->key_id = nla_get_u8(tb[GEM_A_CONF_KEY_ID]);
	if (tb[GEM_A_CONF_PREFIXLEN])
		c->prefixlen = nla_get_u8(tb[GEM_A_CONF_PREFIXLEN]);
	if (tb[GEM_A_CONF_TAG_ALG])
		c->tag_alg = nla_get_u8(tb[GEM_A_CONF_TAG_ALG]);
	if (tb[GEM_A_CONF_PN])
		c->pn = nla_get_u64(tb[GEM_A_CONF_PN]);
	if (tb[GEM_A_CONF_PACKETS])
		c->packets = nla_get_u64(tb[GEM_A_CONF_PACKETS]);
	if (tb[GEM_A_CONF_BYTES])
		c->bytes = nla_get_u64(tb[GEM_A_CONF_BYTES]);
	if (tb[GEM_A_CONF_RATE])
		c->rate = nla_get_u32(tb[GEM_A_CONF_RATE]);
	return 0;
}
