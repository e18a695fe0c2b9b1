// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the "gem" generic-netlink family, and what its commands share.
 *
 * The commands and their policies are generated from the YNL spec into
 * netlink-gen.c; the device commands are in netlink_dev.c, the key-table
 * commands in netlink_keys.c and the normalizer's in norm_netlink.c.
 *
 * What a gem device is (its underlay, MTU and counters) is open to anyone
 * who may see the namespace's links, as ip link is. Everything else needs
 * CAP_NET_ADMIN in the device's namespace (GENL_UNS_ADMIN_PERM): changes,
 * and also reading a device's groups and streams and the normalizer's
 * rules and streams, which tell who sends what to whom, as `ip xfrm` and
 * `wg show` do; the events group, which carries the same, likewise.
 *
 * A request that carried a key has the key's bytes wiped from its skb
 * once the key is installed: the skb goes back to the slab allocator.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <linux/gem.h>

#include "addr.h"
#include "netlink.h"
#include "netlink-gen.h"

/* Joining the events group needs CAP_NET_ADMIN: it tells who sends to whom. */
static const struct genl_multicast_group gem_nl_mcgrps[] = {
	[GEM_NLGRP_EVENTS] = {
		.name = GEM_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

/* A key is in the request skb only as long as it takes to install it. */
static void gem_nl_wipe(struct nlattr *key)
{
	if (key)
		memzero_explicit(nla_data(key), nla_len(key));
}

/*
 * Commands that change state hold RTNL, so the devices they touch stay:
 * in this family those are the doits that need CAP_NET_ADMIN (pre_doit
 * runs for doits only).
 */
static bool gem_nl_takes_rtnl(const struct gem_genl_hook_ops *ops)
{
	return ops->flags & GENL_UNS_ADMIN_PERM;
}

static int gem_nl_pre_doit(const struct gem_genl_hook_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	if (gem_nl_takes_rtnl(ops))
		rtnl_lock();
	return 0;
}

static void gem_nl_post_doit(const struct gem_genl_hook_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	/* Installed or refused, the key leaves the request before it is freed. */
	if (ops->cmd == GEM_CMD_GROUP_SET || ops->cmd == GEM_CMD_TX_SET ||
	    ops->cmd == GEM_CMD_RX_SET)
		gem_nl_wipe(info->attrs[GEM_A_CONF_KEY]);
	if (gem_nl_takes_rtnl(ops))
		rtnl_unlock();
}

/**
 * gem_nl_addr() - reads an address attribute
 * @info: the request
 * @type: the attribute
 * @family: the family so far (0: none yet), set from the address
 * @addr: where the address goes
 *
 * Return: 0, or -EINVAL with an extack message: missing, not 4 (IPv4)
 * or 16 (IPv6) bytes, or of another family than the request's others.
 */
int gem_nl_addr(struct genl_info *info, int type, u8 *family, union gem_addr *addr)
{
	struct nlattr *attr = info->attrs[type];
	u8 fam;

	if (!attr) {
		/* Normalizer requests check theirs before. */
		if (type == GEM_A_CONF_SOURCE)
			NL_SET_ERR_MSG(info->extack, "gem: a source address is required");
		else
			NL_SET_ERR_MSG(info->extack, "gem: a group address is required");
		return -EINVAL;
	}
	switch (nla_len(attr)) {
	case 4:
		fam = AF_INET;
		break;
	case 16:
		fam = AF_INET6;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "gem: an address is 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	if (*family && *family != fam) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "gem: the addresses of a request must be of one family");
		return -EINVAL;
	}
	*family = fam;
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, attr, sizeof(*addr));
	return 0;
}

/**
 * gem_nl_put_addr() - appends an address attribute
 * @skb: the message
 * @type: the attribute
 * @family: AF_INET or AF_INET6
 * @a: the address
 *
 * Return: 0 or -EMSGSIZE.
 */
int gem_nl_put_addr(struct sk_buff *skb, int type, u8 family, const union gem_addr *a)
{
	return nla_put(skb, type, family == AF_INET ? 4 : 16, a);
}

/**
 * gem_nl_maxattr() - the last attribute of a command's policy
 * @cmd: the command
 *
 * Return: the last attribute info->attrs has room for in a request of @cmd.
 */
int gem_nl_maxattr(u8 cmd)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gem_nl_ops); i++)
		if (gem_nl_ops[i].cmd == cmd)
			return gem_nl_ops[i].maxattr;
	return 0;
}

/**
 * gem_nl_dump_put() - starts one entry of a dump
 * @skb: the dump's skb
 * @cb: the dump
 * @cmd: the command of the entry
 *
 * Return: the entry's header, or NULL when @skb is full.
 */
void *gem_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &gem_nl_family, NLM_F_MULTI, cmd);
}

/**
 * gem_nl_dump_end() - ends a dump's entry, or takes it back
 * @skb: the dump's skb
 * @cb: the dump
 * @hdr: what gem_nl_dump_put() returned
 * @fill_err: whether filling the entry failed
 *
 * Return: 0, or -EMSGSIZE when the entry did not fit.
 */
int gem_nl_dump_end(struct sk_buff *skb, struct netlink_callback *cb, void *hdr,
		    int fill_err)
{
	if (!hdr)
		return -EMSGSIZE;
	if (fill_err) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * gem_nl_dump_done() - the return value of a dump's round
 * @skb: the dump's skb
 * @err: how the round ended
 *
 * Return: @skb's length when it has anything, so that a full skb ends
 * this round and the next resumes where it stopped; else @err.
 */
int gem_nl_dump_done(struct sk_buff *skb, int err)
{
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

/*
 * netlink-gen.c has the commands as split ops, a do and a dump apart.
 * They are registered as genl_ops, one per command, which every kernel
 * takes (6.1 knows no other); a do and a dump of one command share its
 * policy (the spec gives both the same).
 */
static struct genl_ops gem_nl_full_ops[ARRAY_SIZE(gem_nl_ops)] __ro_after_init;

struct genl_family gem_nl_family __ro_after_init = {
	.name		= GEM_GENL_NAME,
	.version	= GEM_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	/* Every command is new: strict header and attribute validation. */
	.resv_start_op	= 0,
	.pre_doit	= gem_nl_pre_doit,
	.post_doit	= gem_nl_post_doit,
	.ops		= gem_nl_full_ops,
	.mcgrps		= gem_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(gem_nl_mcgrps),
};

#define GEM_NL_PERMS	(GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM)

/*
 * Merges gem_nl_ops into gem_nl_full_ops; returns how many commands.
 * A split op's doit and dumpit are one pointer (a union): its flags say
 * which it is, and only that one is read. Taking the other too would
 * register a do's handler as the command's dump and the reverse, and a
 * request of the other kind would run a handler with the wrong type of
 * argument, which an unprivileged dev-get could do.
 */
static int gem_nl_build_ops(void)
{
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(gem_nl_ops); i++) {
		const struct genl_split_ops *s = &gem_nl_ops[i];
		struct genl_ops *o = n ? &gem_nl_full_ops[n - 1] : NULL;
		u8 kind = s->flags & (GENL_CMD_CAP_DO | GENL_CMD_CAP_DUMP);

		/* The generator lists a command's do just before its dump. */
		if (!o || o->cmd != s->cmd) {
			o = &gem_nl_full_ops[n++];
			o->cmd = s->cmd;
			o->policy = s->policy;
			o->maxattr = s->maxattr;
			o->flags = s->flags & GEM_NL_PERMS;
		}
		if (WARN_ON(o->maxattr != s->maxattr || o->flags != (s->flags & GEM_NL_PERMS)))
			return -EINVAL;
		if (kind == GENL_CMD_CAP_DO && !o->doit) {
			o->doit = s->doit;
		} else if (kind == GENL_CMD_CAP_DUMP && !o->dumpit) {
			o->dumpit = s->dumpit;
		} else {
			WARN(1, "gem: split op %d of command %u is not its one do or dump\n",
			     i, s->cmd);
			return -EINVAL;
		}
	}
	return n;
}

/**
 * gem_nl_init() - registers the gem family
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_init(void)
{
	int n = gem_nl_build_ops();

	if (n < 0)
		return n;
	gem_nl_family.n_ops = n;
	return genl_register_family(&gem_nl_family);
}

/**
 * gem_nl_uninit() - unregisters the gem family
 */
void gem_nl_uninit(void)
{
	genl_unregister_family(&gem_nl_family);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/netlink_test.c"
#endif
