// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the device commands of the gem family, and its device events.
 */

#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <linux/gem.h>

#include "device.h"
#include "netlink.h"
#include "netlink-gen.h"

static const u16 gem_nl_drop_attrs[GEM_DROP_MAX] = {
	[GEM_DROP_RX_MALFORMED]		= GEM_A_STATS_RX_MALFORMED,
	[GEM_DROP_RX_BAD_TAG]		= GEM_A_STATS_RX_BAD_TAG,
	[GEM_DROP_RX_UNKNOWN_KEY]	= GEM_A_STATS_RX_UNKNOWN_KEY,
	[GEM_DROP_RX_REPLAY]		= GEM_A_STATS_RX_REPLAY,
	[GEM_DROP_TX_NOT_PROTECTED]	= GEM_A_STATS_TX_NOT_PROTECTED,
	[GEM_DROP_TX_NO_KEY]		= GEM_A_STATS_TX_NO_KEY,
	[GEM_DROP_RX_PN_JUMP]		= GEM_A_STATS_RX_PN_JUMP,
	[GEM_DROP_RX_BACKSTOP]		= GEM_A_STATS_RX_BACKSTOP,
	[GEM_DROP_TX_UNSEALED]		= GEM_A_STATS_TX_UNSEALED,
	[GEM_DROP_TX_AEAD_BUSY]		= GEM_A_STATS_TX_AEAD_BUSY,
	[GEM_DROP_RX_AEAD_BUSY]		= GEM_A_STATS_RX_AEAD_BUSY,
};

static int gem_nl_put_stats(struct sk_buff *skb, struct net_device *dev)
{
	const struct gem_dev *gem = netdev_priv(dev);
	u64 drops[GEM_DROP_MAX] = {};
	struct rtnl_link_stats64 st;
	struct nlattr *nest;
	int i;

	dev_get_stats(dev, &st);
	if (gem->drops)		/* NULL only before registration */
		gem_drops_read(gem->drops, drops);
	nest = nla_nest_start(skb, GEM_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, GEM_A_STATS_RX_PACKETS, st.rx_packets, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_RX_BYTES, st.rx_bytes, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_RX_DROPPED, st.rx_dropped, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_TX_PACKETS, st.tx_packets, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_TX_BYTES, st.tx_bytes, GEM_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_STATS_TX_DROPPED, st.tx_dropped, GEM_A_STATS_PAD))
		goto err;
	for (i = 0; i < GEM_DROP_MAX; i++)
		if (nla_put_u64_64bit(skb, gem_nl_drop_attrs[i], drops[i], GEM_A_STATS_PAD))
			goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/*
 * The implementations one kind of the device's transforms use: the names
 * are copied under the record's lock, so a key changing meanwhile is
 * either counted or not.
 */
static int gem_nl_put_drivers(struct sk_buff *skb, int type, struct gem_crypto_drivers *d,
			      u32 *unlisted)
{
	int i, err = 0;

	spin_lock(&d->lock);
	for (i = 0; i < GEM_CRYPTO_DRIVERS_MAX && !err; i++)
		if (d->slot[i].users)
			err = nla_put_string(skb, type, d->slot[i].name);
	*unlisted += d->unlisted;
	spin_unlock(&d->lock);
	return err;
}

static int gem_nl_put_crypto(struct sk_buff *skb, struct gem_keys *k)
{
	u32 unlisted = 0;

	if (gem_nl_put_drivers(skb, GEM_A_DEV_AEAD_DRIVER, &k->aead_drivers, &unlisted) ||
	    gem_nl_put_drivers(skb, GEM_A_DEV_TAG_DRIVER, &k->tag_drivers, &unlisted))
		return -EMSGSIZE;
	if (unlisted && nla_put_u32(skb, GEM_A_DEV_DRIVERS_UNLISTED, unlisted))
		return -EMSGSIZE;
	return 0;
}

/**
 * gem_nl_dev_fill() - fills a message about a gem device
 * @skb: the message
 * @dev: the gem device
 * @portid: the requester's port, 0 for a notification
 * @seq: the request's sequence number
 * @flags: netlink message flags
 * @cmd: the command of the message
 * @cb: the dump it is part of, or NULL
 *
 * Return: 0 or -EMSGSIZE.
 */
int gem_nl_dev_fill(struct sk_buff *skb, struct net_device *dev,
		    u32 portid, u32 seq, int flags, u8 cmd,
		    struct netlink_callback *cb)
{
	struct gem_dev *gem = netdev_priv(dev);
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
	    gem_nl_put_stats(skb, dev) ||
	    gem_nl_put_crypto(skb, &gem->keys)) {
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

/**
 * gem_nl_dev_get_doit() - GEM_CMD_DEV_GET: one gem device, by ifindex or ifname
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
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
		err = gem_nl_dev_fill(msg, dev, info->snd_portid, info->snd_seq,
				      0, GEM_CMD_DEV_GET, NULL);
	rcu_read_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/**
 * gem_nl_dev_get_dumpit() - GEM_CMD_DEV_GET dump: every gem device of the namespace
 * @skb: the reply being filled
 * @cb: the dump's state
 *
 * Return: the length of @skb, or a negative errno.
 *
 * cb->args[0] counts the devices already dumped, so a dump can resume.
 */
int gem_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
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
		err = gem_nl_dev_fill(skb, gem->dev, NETLINK_CB(cb->skb).portid,
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

/**
 * gem_nl_dev_notify() - tells the events group a gem device came or goes
 * @dev: the gem device
 * @cmd: GEM_CMD_DEV_ADD_NTF or GEM_CMD_DEV_DEL_NTF
 */
void gem_nl_dev_notify(struct net_device *dev, u8 cmd)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&gem_nl_family, dev_net(dev), GEM_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (gem_nl_dev_fill(msg, dev, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&gem_nl_family, dev_net(dev), msg, 0,
				GEM_NLGRP_EVENTS, GFP_KERNEL);
}
