// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the "gem" generic-netlink family.
 *
 * Reads are open to anyone who may see the namespace's links; every
 * change will need CAP_NET_ADMIN in the device's namespace
 * (GENL_UNS_ADMIN_PERM). The events group carries stream addresses and
 * key requests, so joining it needs CAP_NET_ADMIN too.
 */

#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <linux/gem.h>

#include "device.h"
#include "netlink.h"

enum gem_nl_mcgrp {
	GEM_NL_MCGRP_EVENTS,
};

static const struct genl_multicast_group gem_nl_mcgrps[] = {
	[GEM_NL_MCGRP_EVENTS] = {
		.name = GEM_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static const struct nla_policy gem_nl_dev_get_policy[GEM_A_DEV_IFNAME + 1] = {
	[GEM_A_DEV_IFINDEX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_DEV_IFNAME]	= { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
};

static struct genl_family gem_nl_family;

static int gem_nl_put_stats(struct sk_buff *skb, struct net_device *dev)
{
	struct rtnl_link_stats64 st;
	struct nlattr *nest;

	dev_get_stats(dev, &st);
	nest = nla_nest_start(skb, GEM_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, GEM_A_STATS_RX_PACKETS, st.rx_packets, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_RX_BYTES, st.rx_bytes, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_RX_DROPPED, st.rx_dropped, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_TX_PACKETS, st.tx_packets, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_TX_BYTES, st.tx_bytes, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_TX_DROPPED, st.tx_dropped, GEM_A_STATS_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int gem_nl_fill_dev(struct sk_buff *skb, struct net_device *dev,
			   u32 portid, u32 seq, int flags, u8 cmd,
			   struct netlink_callback *cb)
{
	const struct gem_dev *gem = netdev_priv(dev);
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &gem_nl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);

	if (nla_put_u32(skb, GEM_A_DEV_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, GEM_A_DEV_IFNAME, dev->name) ||
	    nla_put_u32(skb, GEM_A_DEV_UNDERLAY_IFINDEX, gem->underlay->ifindex) ||
	    nla_put_string(skb, GEM_A_DEV_UNDERLAY_IFNAME, gem->underlay->name) ||
	    nla_put_u32(skb, GEM_A_DEV_MTU, dev->mtu) ||
	    gem_nl_put_stats(skb, dev)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Finds the gem device a request names; called under RCU. */
static struct net_device *gem_nl_dev_lookup(struct net *net, struct nlattr **attrs,
					    struct netlink_ext_ack *extack)
{
	struct nlattr *ifindex = attrs[GEM_A_DEV_IFINDEX];
	struct nlattr *ifname = attrs[GEM_A_DEV_IFNAME];
	struct net_device *dev;

	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG(extack, "gem: a device ifindex or ifname is required");
		return ERR_PTR(-EINVAL);
	}
	if (ifindex)
		dev = dev_get_by_index_rcu(net, nla_get_u32(ifindex));
	else
		dev = dev_get_by_name_rcu(net, nla_data(ifname));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname, "gem: no such device");
		return ERR_PTR(-ENODEV);
	}
	if (ifindex && ifname && strcmp(dev->name, nla_data(ifname))) {
		NL_SET_ERR_MSG_ATTR(extack, ifname,
				    "gem: ifindex and ifname name different devices");
		return ERR_PTR(-EINVAL);
	}
	if (!gem_dev_is_gem(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname, "gem: not a gem device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return dev;
}

static int gem_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	rcu_read_lock();
	dev = gem_nl_dev_lookup(genl_info_net(info), info->attrs, info->extack);
	if (IS_ERR(dev))
		err = PTR_ERR(dev);
	else
		err = gem_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq,
				      0, GEM_CMD_DEV_GET, NULL);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0] counts the devices already dumped, so a dump can resume. */
static int gem_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gem_net *gn = gem_net(sock_net(skb->sk));
	long skip = cb->args[0], idx = 0;
	struct gem_dev *gem;
	int err = 0;

	rcu_read_lock();
	cb->seq = READ_ONCE(gn->gen);
	list_for_each_entry_rcu(gem, &gn->devices, list) {
		if (idx++ < skip)
			continue;
		err = gem_nl_fill_dev(skb, gem->dev, NETLINK_CB(cb->skb).portid,
				      cb->nlh->nlmsg_seq, NLM_F_MULTI,
				      GEM_CMD_DEV_GET, cb);
		if (err) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	/* A full skb ends this round; the next one resumes at idx. */
	if (err == -EMSGSIZE && idx > skip)
		err = 0;
	return err ?: skb->len;
}

void gem_nl_notify_dev(struct net_device *dev, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&gem_nl_family, dev_net(dev), GEM_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (gem_nl_fill_dev(msg, dev, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&gem_nl_family, dev_net(dev), msg, 0,
				GEM_NL_MCGRP_EVENTS, GFP_KERNEL);
}

static const struct genl_ops gem_nl_ops[] = {
	{
		.cmd		= GEM_CMD_DEV_GET,
		.doit		= gem_nl_dev_get_doit,
		.dumpit		= gem_nl_dev_get_dumpit,
		.policy		= gem_nl_dev_get_policy,
		.maxattr	= ARRAY_SIZE(gem_nl_dev_get_policy) - 1,
	},
};

static struct genl_family gem_nl_family __ro_after_init = {
	.name		= GEM_GENL_NAME,
	.version	= GEM_GENL_VERSION,
	.module		= THIS_MODULE,
	.netnsok	= true,
	/* Every command is new: strict header and attribute validation. */
	.resv_start_op	= 0,
	.ops		= gem_nl_ops,
	.n_ops		= ARRAY_SIZE(gem_nl_ops),
	.mcgrps		= gem_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(gem_nl_mcgrps),
};

int gem_nl_init(void)
{
	return genl_register_family(&gem_nl_family);
}

void gem_nl_uninit(void)
{
	genl_unregister_family(&gem_nl_family);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/netlink_test.c"
#endif
