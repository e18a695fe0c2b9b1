// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the "gem" generic-netlink family.
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
#include <linux/rculist.h>
#include <net/ipv6.h>
#include <net/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <linux/gem.h>

#include "device.h"
#include "keys.h"
#include "netlink.h"
#include "netlink-gen.h"

/* Joining the events group needs CAP_NET_ADMIN: it tells who sends to whom. */
static const struct genl_multicast_group gem_nl_mcgrps[] = {
	[GEM_NLGRP_EVENTS] = {
		.name = GEM_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family gem_nl_family;

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
		err = gem_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq,
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

	if (!genl_has_listeners(&gem_nl_family, dev_net(dev), GEM_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (gem_nl_fill_dev(msg, dev, 0, 0, 0, cmd, NULL)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&gem_nl_family, dev_net(dev), msg, 0,
				GEM_NLGRP_EVENTS, GFP_KERNEL);
}

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

/* The gem device a configuration request names; under RTNL. */
static struct gem_dev *gem_nl_conf_dev(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[GEM_A_CONF_IFINDEX];
	struct net_device *dev;

	if (!attr) {
		NL_SET_ERR_MSG(info->extack, "gem: the gem device's ifindex is required");
		return ERR_PTR(-EINVAL);
	}
	dev = __dev_get_by_index(genl_info_net(info), nla_get_u32(attr));
	if (!dev || !gem_dev_is_gem(dev)) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "gem: no such gem device");
		return ERR_PTR(-ENODEV);
	}
	return netdev_priv(dev);
}

/* An address attribute: 4 bytes for IPv4, 16 for IPv6. */
static int gem_nl_addr(struct genl_info *info, int type, u8 *family, union gem_addr *addr)
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

static int gem_nl_put_addr(struct sk_buff *skb, int type, u8 family, const union gem_addr *a)
{
	return nla_put(skb, type, family == AF_INET ? 4 : 16, a);
}

static int gem_nl_fill_group(struct sk_buff *skb, const struct gem_dev *gem,
			     const struct gem_group *g)
{
	return nla_put_u32(skb, GEM_A_CONF_IFINDEX, gem->dev->ifindex) ||
	       gem_nl_put_addr(skb, GEM_A_CONF_GROUP, g->family, &g->prefix) ||
	       nla_put_u8(skb, GEM_A_CONF_PREFIXLEN, g->prefixlen) ||
	       nla_put_u8(skb, GEM_A_CONF_TAG_ALG, g->alg) ? -EMSGSIZE : 0;
}

static int gem_nl_fill_stream(struct sk_buff *skb, const struct gem_dev *gem, bool tx,
			      const void *stream)
{
	const struct gem_tx_stream *t = stream;
	const struct gem_rx_stream *r = stream;
	const struct gem_stream_id *id = tx ? &t->id : &r->id;
	const struct gem_stream_stats *st = tx ? &t->stats : &r->stats;

	if (nla_put_u32(skb, GEM_A_CONF_IFINDEX, gem->dev->ifindex) ||
	    gem_nl_put_addr(skb, GEM_A_CONF_SOURCE, id->family, &id->src) ||
	    gem_nl_put_addr(skb, GEM_A_CONF_GROUP, id->family, &id->group) ||
	    nla_put_u8(skb, GEM_A_CONF_KEY_ID, tx ? t->sek.key_id : r->sek.key_id) ||
	    nla_put_u64_64bit(skb, GEM_A_CONF_PACKETS, atomic64_read(&st->packets),
			      GEM_A_CONF_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_CONF_BYTES, atomic64_read(&st->bytes),
			      GEM_A_CONF_PAD))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, GEM_A_CONF_PN, tx ? atomic64_read(&t->next_pn) :
			      gem_replay_next(&r->replay), GEM_A_CONF_PAD) ||
	    (!tx && nla_put_u32(skb, GEM_A_CONF_RATE, READ_ONCE(r->replay.rate))))
		return -EMSGSIZE;
	return 0;
}

/* The last attribute @cmd's policy has, so the last info->attrs has room for. */
static int gem_nl_maxattr(u8 cmd)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gem_nl_ops); i++)
		if (gem_nl_ops[i].cmd == cmd)
			return gem_nl_ops[i].maxattr;
	return 0;
}

/*
 * Tells the events group what changed: the request's attributes, no key.
 * info->attrs has room for the command's own policy only.
 */
static void gem_nl_notify_conf(struct genl_info *info, u8 cmd)
{
	struct sk_buff *msg;
	int i, max;
	void *hdr;

	max = gem_nl_maxattr(cmd);
	if (!genl_has_listeners(&gem_nl_family, genl_info_net(info), GEM_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &gem_nl_family, 0, cmd);
	if (!hdr)
		goto err;
	for (i = GEM_A_CONF_IFINDEX; i <= max; i++) {
		struct nlattr *a = info->attrs[i];

		if (a && i != GEM_A_CONF_KEY && nla_put(msg, i, nla_len(a), nla_data(a)))
			goto err;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&gem_nl_family, genl_info_net(info), msg, 0,
				GEM_NLGRP_EVENTS, GFP_KERNEL);
	return;
err:
	nlmsg_free(msg);
}

/**
 * gem_nl_group_set_doit() - GEM_CMD_GROUP_SET: protects a group prefix with a tag key
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *key = info->attrs[GEM_A_CONF_KEY];
	union gem_addr prefix;
	struct gem_dev *gem;
	u8 family = 0, plen, alg = GEM_TAG_HMAC_SHA256;
	int err;

	gem = gem_nl_conf_dev(info);
	if (IS_ERR(gem))
		return PTR_ERR(gem);
	err = gem_nl_addr(info, GEM_A_CONF_GROUP, &family, &prefix);
	if (err)
		return err;
	/* The policy bounds no binary attribute: YNL of 6.12 cannot say so. */
	if (!key || nla_len(key) < 16 || nla_len(key) > GEM_TAG_KEY_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, key,
				    "gem: a tag key of 16 to 64 bytes is required");
		return -EINVAL;
	}
	plen = info->attrs[GEM_A_CONF_PREFIXLEN] ?
		nla_get_u8(info->attrs[GEM_A_CONF_PREFIXLEN]) : (family == AF_INET ? 32 : 128);
	if (info->attrs[GEM_A_CONF_TAG_ALG])
		alg = nla_get_u8(info->attrs[GEM_A_CONF_TAG_ALG]);
	err = gem_group_set(&gem->keys, family, &prefix, plen, alg, nla_data(key),
			    nla_len(key), info->extack);
	if (!err)
		gem_nl_notify_conf(info, GEM_CMD_GROUP_SET);
	return err;
}

/**
 * gem_nl_group_del_doit() - GEM_CMD_GROUP_DEL: deletes one protected group, or all
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	union gem_addr prefix;
	struct gem_dev *gem;
	u8 family = 0, plen;
	int err;

	gem = gem_nl_conf_dev(info);
	if (IS_ERR(gem))
		return PTR_ERR(gem);
	if (!info->attrs[GEM_A_CONF_GROUP]) {
		gem_group_flush(&gem->keys);
	} else {
		err = gem_nl_addr(info, GEM_A_CONF_GROUP, &family, &prefix);
		if (err)
			return err;
		plen = info->attrs[GEM_A_CONF_PREFIXLEN] ?
			nla_get_u8(info->attrs[GEM_A_CONF_PREFIXLEN]) :
			(family == AF_INET ? 32 : 128);
		if (gem_group_del(&gem->keys, family, &prefix, plen)) {
			NL_SET_ERR_MSG(info->extack, "gem: no such protected group");
			return -ENOENT;
		}
	}
	gem_nl_notify_conf(info, GEM_CMD_GROUP_DEL);
	return 0;
}

static int gem_nl_stream_id(struct genl_info *info, struct gem_stream_id *id)
{
	int err;

	memset(id, 0, sizeof(*id));
	err = gem_nl_addr(info, GEM_A_CONF_SOURCE, &id->family, &id->src);
	if (!err)
		err = gem_nl_addr(info, GEM_A_CONF_GROUP, &id->family, &id->group);
	if (info->attrs[GEM_A_CONF_KEY_ID])
		id->key_id = nla_get_u8(info->attrs[GEM_A_CONF_KEY_ID]);
	return err;
}

static int gem_nl_stream_set(struct genl_info *info, bool tx)
{
	struct nlattr *key = info->attrs[GEM_A_CONF_KEY];
	struct gem_stream_opts opts = {};
	struct gem_stream_id id;
	struct gem_dev *gem;
	int err;

	gem = gem_nl_conf_dev(info);
	if (IS_ERR(gem))
		return PTR_ERR(gem);
	err = gem_nl_stream_id(info, &id);
	if (err)
		return err;
	if (!info->attrs[GEM_A_CONF_KEY_ID] || !key) {
		NL_SET_ERR_MSG(info->extack, "gem: a key id and a 32-byte key are required");
		return -EINVAL;
	}
	if (nla_len(key) != GEM_SEK_LEN) {
		NL_SET_ERR_MSG_ATTR(info->extack, key,
				    "gem: a stream key is 32 bytes (AES-256-GCM)");
		return -EINVAL;
	}
	if (!tx && info->attrs[GEM_A_CONF_PN])
		opts.floor = nla_get_u64(info->attrs[GEM_A_CONF_PN]);
	if (!tx && info->attrs[GEM_A_CONF_RATE]) {
		opts.rate = nla_get_u32(info->attrs[GEM_A_CONF_RATE]);
		opts.has_rate = true;
	}
	err = gem_stream_set(&gem->keys, tx, &id, nla_data(key), nla_len(key), &opts,
			     info->extack);
	if (!err)
		gem_nl_notify_conf(info, tx ? GEM_CMD_TX_SET : GEM_CMD_RX_SET);
	return err;
}

static int gem_nl_stream_del(struct genl_info *info, bool tx)
{
	struct gem_stream_id id;
	struct gem_dev *gem;
	int err;

	gem = gem_nl_conf_dev(info);
	if (IS_ERR(gem))
		return PTR_ERR(gem);
	if (!info->attrs[GEM_A_CONF_SOURCE] && !info->attrs[GEM_A_CONF_GROUP]) {
		gem_stream_flush(&gem->keys, tx);
	} else {
		err = gem_nl_stream_id(info, &id);
		if (err)
			return err;
		if (!tx && !info->attrs[GEM_A_CONF_KEY_ID]) {
			NL_SET_ERR_MSG(info->extack, "gem: a receive key is deleted by key id");
			return -EINVAL;
		}
		if (gem_stream_del(&gem->keys, tx, &id)) {
			NL_SET_ERR_MSG(info->extack, "gem: no such stream");
			return -ENOENT;
		}
	}
	gem_nl_notify_conf(info, tx ? GEM_CMD_TX_DEL : GEM_CMD_RX_DEL);
	return 0;
}

/**
 * gem_nl_tx_set_doit() - GEM_CMD_TX_SET: installs a transmit stream's key
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_tx_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gem_nl_stream_set(info, true);
}

/**
 * gem_nl_rx_set_doit() - GEM_CMD_RX_SET: installs a receive stream's key
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_rx_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gem_nl_stream_set(info, false);
}

/**
 * gem_nl_tx_del_doit() - GEM_CMD_TX_DEL: deletes a transmit stream, or all
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_tx_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gem_nl_stream_del(info, true);
}

/**
 * gem_nl_rx_del_doit() - GEM_CMD_RX_DEL: deletes a receive key, or all
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_rx_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return gem_nl_stream_del(info, false);
}

/* The header of one entry of a dump, or NULL when the skb is full. */
static void *gem_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &gem_nl_family, NLM_F_MULTI, cmd);
}

/* Ends an entry that @fill_err says was filled, or takes it back. */
static int gem_nl_dump_end(struct sk_buff *skb, struct netlink_callback *cb, void *hdr,
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

/* A full skb ends this round; the next one resumes where it stopped. */
static int gem_nl_dump_done(struct sk_buff *skb, int err)
{
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

/*
 * Dumps of a device's groups or streams. cb->args: [0] the command,
 * [1] the hash bucket (streams), [2] entries already dumped from it.
 * A dump that names no gem device is refused in its first round, where
 * its extack message reaches the requester (in NLMSG_DONE): a .start
 * callback runs before netlink sets cb->extack, and its message was lost.
 */
static int gem_nl_conf_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct nlattr *ifindex = di->attrs[GEM_A_CONF_IFINDEX];
	u8 cmd = di->op.cmd;
	bool tx = cmd == GEM_CMD_TX_GET;
	struct net_device *dev;
	struct gem_dev *gem;
	long bucket = cb->args[1], skip = cb->args[2], idx;
	int err = 0;
	void *hdr;

	if (!ifindex) {
		NL_SET_ERR_MSG(cb->extack, "gem: the gem device's ifindex is required");
		return -EINVAL;
	}
	rcu_read_lock();
	dev = dev_get_by_index_rcu(sock_net(skb->sk), nla_get_u32(ifindex));
	if (!dev || !gem_dev_is_gem(dev)) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(cb->extack, ifindex, "gem: no such gem device");
		return -ENODEV;
	}
	gem = netdev_priv(dev);
	cb->seq = READ_ONCE(gem->keys.gen);

	if (cmd == GEM_CMD_GROUP_GET) {
		struct gem_group *g;

		idx = 0;
		list_for_each_entry_rcu(g, &gem->keys.groups, list) {
			if (idx++ < skip)
				continue;
			hdr = gem_nl_dump_put(skb, cb, cmd);
			err = gem_nl_dump_end(skb, cb, hdr,
					      hdr ? gem_nl_fill_group(skb, gem, g) : 0);
			if (err) {
				idx--;
				break;
			}
		}
		cb->args[2] = idx;
		goto out;
	}

	for (; bucket < 1 << GEM_STREAM_HASH_BITS; bucket++, skip = 0) {
		struct hlist_head *head = &gem_stream_table(&gem->keys, tx)[bucket];
		struct hlist_node *s;

		idx = 0;
		/* Either kind of stream begins with its node. */
		__hlist_for_each_rcu(s, head) {
			if (idx++ < skip)
				continue;
			hdr = gem_nl_dump_put(skb, cb, cmd);
			err = gem_nl_dump_end(skb, cb, hdr,
					      hdr ? gem_nl_fill_stream(skb, gem, tx, s) : 0);
			if (err) {
				cb->args[1] = bucket;
				cb->args[2] = idx - 1;
				goto out;
			}
		}
	}
	cb->args[1] = bucket;
	cb->args[2] = 0;
out:
	rcu_read_unlock();
	return gem_nl_dump_done(skb, err);
}

/**
 * gem_nl_group_get_dumpit() - GEM_CMD_GROUP_GET dump: a device's protected groups
 * @skb: the reply being filled
 * @cb: the dump's state
 *
 * Return: the length of @skb, or a negative errno.
 */
int gem_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return gem_nl_conf_dumpit(skb, cb);
}

/**
 * gem_nl_tx_get_dumpit() - GEM_CMD_TX_GET dump: a device's transmit streams
 * @skb: the reply being filled
 * @cb: the dump's state
 *
 * Return: the length of @skb, or a negative errno.
 */
int gem_nl_tx_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return gem_nl_conf_dumpit(skb, cb);
}

/**
 * gem_nl_rx_get_dumpit() - GEM_CMD_RX_GET dump: a device's receive streams
 * @skb: the reply being filled
 * @cb: the dump's state
 *
 * Return: the length of @skb, or a negative errno.
 */
int gem_nl_rx_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return gem_nl_conf_dumpit(skb, cb);
}

/*
 * Asks the agent for a key: called from the packet path, so atomic, and
 * rate-limited per device and direction.
 */
void gem_nl_notify_key_missing(struct gem_dev *gem, bool tx, const struct gem_stream_id *id)
{
	struct net *net = dev_net(gem->dev);
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&gem_nl_family, net, GEM_NLGRP_EVENTS) ||
	    !__ratelimit(tx ? &gem->tx_key_ntf : &gem->key_ntf))
		return;
	/*
	 * Sized to fit: a burst of new streams queues one of these each on
	 * the agent's socket, and a page-sized skb apiece would overrun its
	 * receive buffer after a few dozen.
	 */
	msg = genlmsg_new(nla_total_size(sizeof(u32)) +
			  2 * nla_total_size(sizeof(struct in6_addr)) +
			  nla_total_size(sizeof(u8)), GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &gem_nl_family, 0,
			  tx ? GEM_CMD_TX_KEY_MISSING_NTF : GEM_CMD_RX_KEY_MISSING_NTF);
	if (!hdr ||
	    nla_put_u32(msg, GEM_A_CONF_IFINDEX, gem->dev->ifindex) ||
	    gem_nl_put_addr(msg, GEM_A_CONF_SOURCE, id->family, &id->src) ||
	    gem_nl_put_addr(msg, GEM_A_CONF_GROUP, id->family, &id->group) ||
	    (!tx && nla_put_u8(msg, GEM_A_CONF_KEY_ID, id->key_id))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&gem_nl_family, net, msg, 0, GEM_NLGRP_EVENTS, GFP_ATOMIC);
}

/* The normalizer's rules and streams, by namespace. */

static int gem_nl_fill_norm_rule(struct sk_buff *skb, struct gem_norm *n,
				 const struct gem_norm_rule *r)
{
	const struct gem_norm_key *k = &r->key;
	struct gem_norm_stats st;

	gem_norm_rule_stats(r, &st);
	if (nla_put_u32(skb, GEM_A_NORM_IN_IFINDEX, k->in_ifindex) ||
	    gem_nl_put_addr(skb, GEM_A_NORM_SOURCE, k->family, &k->src) ||
	    nla_put_u8(skb, GEM_A_NORM_SOURCE_PREFIXLEN, k->src_plen) ||
	    gem_nl_put_addr(skb, GEM_A_NORM_GROUP, k->family, &k->grp) ||
	    nla_put_u8(skb, GEM_A_NORM_GROUP_PREFIXLEN, k->grp_plen) ||
	    gem_nl_put_addr(skb, GEM_A_NORM_NEW_SOURCE, k->family, &r->new_src) ||
	    nla_put_u32(skb, GEM_A_NORM_OUT_IFINDEX, r->out->ifindex) ||
	    nla_put_u8(skb, GEM_A_NORM_TTL, r->ttl) ||
	    nla_put_u32(skb, GEM_A_NORM_IDLE_TIMEOUT, r->idle / HZ) ||
	    nla_put_u64_64bit(skb, GEM_A_NORM_PACKETS, st.packets, GEM_A_NORM_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_NORM_BYTES, st.bytes, GEM_A_NORM_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_NORM_TTL_EXPIRED, st.drops[GEM_NORM_DROP_TTL],
			      GEM_A_NORM_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_NORM_TOO_BIG, st.drops[GEM_NORM_DROP_TOO_BIG],
			      GEM_A_NORM_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_NORM_ERRORS, st.drops[GEM_NORM_DROP_ERROR],
			      GEM_A_NORM_PAD) ||
	    nla_put_u32(skb, GEM_A_NORM_STREAMS, gem_norm_rule_streams(n, r)))
		return -EMSGSIZE;
	return 0;
}

static int gem_nl_fill_norm_stream(struct sk_buff *skb, const struct gem_norm_stream *s)
{
	u8 fam = s->id.family;

	return nla_put_u32(skb, GEM_A_NORM_IN_IFINDEX, s->in_ifindex) ||
	       gem_nl_put_addr(skb, GEM_A_NORM_SOURCE, fam, &s->id.src) ||
	       gem_nl_put_addr(skb, GEM_A_NORM_GROUP, fam, &s->id.group) ||
	       gem_nl_put_addr(skb, GEM_A_NORM_NEW_SOURCE, fam, &s->new_src) ||
	       nla_put_u32(skb, GEM_A_NORM_OUT_IFINDEX, s->out_ifindex) ||
	       nla_put_u32(skb, GEM_A_NORM_IDLE_TIMEOUT, s->idle / HZ) ||
	       nla_put_u64_64bit(skb, GEM_A_NORM_PACKETS, atomic64_read(&s->packets),
				 GEM_A_NORM_PAD) ||
	       nla_put_u64_64bit(skb, GEM_A_NORM_BYTES, atomic64_read(&s->bytes),
				 GEM_A_NORM_PAD) ? -EMSGSIZE : 0;
}

/* A rule was set or deleted; RTNL held. */
void gem_nl_notify_norm_rule(struct net *net, const struct gem_norm_rule *r, u8 cmd)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&gem_nl_family, net, GEM_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &gem_nl_family, 0, cmd);
	if (!hdr || gem_nl_fill_norm_rule(msg, &gem_net(net)->norm, r)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&gem_nl_family, net, msg, 0, GEM_NLGRP_EVENTS, GFP_KERNEL);
}

/*
 * A normalized stream began (from the packet path, so atomic) or ended.
 * Not rate-limited: the stream table's cap bounds how many there can be.
 */
void gem_nl_notify_norm_stream(struct net *net, const struct gem_norm_stream *s, u8 cmd,
			       u8 reason, gfp_t gfp)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&gem_nl_family, net, GEM_NLGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &gem_nl_family, 0, cmd);
	if (!hdr || gem_nl_fill_norm_stream(msg, s) ||
	    (cmd == GEM_CMD_NORM_STREAM_END_NTF &&
	     nla_put_u8(msg, GEM_A_NORM_END_REASON, reason))) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&gem_nl_family, net, msg, 0, GEM_NLGRP_EVENTS, gfp);
}

static int gem_nl_norm_key(struct genl_info *info, struct gem_norm_key *k)
{
	struct nlattr **attrs = info->attrs;
	u8 full;
	int err;

	memset(k, 0, sizeof(*k));
	if (!attrs[GEM_A_NORM_IN_IFINDEX]) {
		NL_SET_ERR_MSG(info->extack, "gem: the in device's ifindex is required");
		return -EINVAL;
	}
	k->in_ifindex = nla_get_u32(attrs[GEM_A_NORM_IN_IFINDEX]);
	if (!attrs[GEM_A_NORM_SOURCE]) {
		NL_SET_ERR_MSG(info->extack, "gem: a source prefix is required");
		return -EINVAL;
	}
	if (!attrs[GEM_A_NORM_GROUP]) {
		NL_SET_ERR_MSG(info->extack, "gem: a group prefix is required");
		return -EINVAL;
	}
	err = gem_nl_addr(info, GEM_A_NORM_SOURCE, &k->family, &k->src);
	if (!err)
		err = gem_nl_addr(info, GEM_A_NORM_GROUP, &k->family, &k->grp);
	if (err)
		return err;
	full = k->family == AF_INET ? 32 : 128;
	k->src_plen = attrs[GEM_A_NORM_SOURCE_PREFIXLEN] ?
		nla_get_u8(attrs[GEM_A_NORM_SOURCE_PREFIXLEN]) : full;
	k->grp_plen = attrs[GEM_A_NORM_GROUP_PREFIXLEN] ?
		nla_get_u8(attrs[GEM_A_NORM_GROUP_PREFIXLEN]) : full;
	if (k->src_plen > full) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[GEM_A_NORM_SOURCE_PREFIXLEN],
				    "gem: the source prefix length is longer than the address");
		return -EINVAL;
	}
	if (k->grp_plen > full) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[GEM_A_NORM_GROUP_PREFIXLEN],
				    "gem: the group prefix length is longer than the address");
		return -EINVAL;
	}
	return 0;
}

/* A rule's configuration, as a norm-set request gives it. */
static int gem_nl_norm_conf(struct genl_info *info, struct gem_norm_conf *c)
{
	int err;

	err = gem_nl_norm_key(info, &c->key);
	if (err)
		return err;
	if (!info->attrs[GEM_A_NORM_NEW_SOURCE]) {
		NL_SET_ERR_MSG(info->extack, "gem: a new source address is required");
		return -EINVAL;
	}
	err = gem_nl_addr(info, GEM_A_NORM_NEW_SOURCE, &c->key.family, &c->new_src);
	if (err)
		return err;
	if (!info->attrs[GEM_A_NORM_OUT_IFINDEX]) {
		NL_SET_ERR_MSG(info->extack, "gem: the out device's ifindex is required");
		return -EINVAL;
	}
	c->out_ifindex = nla_get_u32(info->attrs[GEM_A_NORM_OUT_IFINDEX]);
	if (info->attrs[GEM_A_NORM_TTL])
		c->ttl = nla_get_u8(info->attrs[GEM_A_NORM_TTL]);
	c->idle_timeout = info->attrs[GEM_A_NORM_IDLE_TIMEOUT] ?
		nla_get_u32(info->attrs[GEM_A_NORM_IDLE_TIMEOUT]) : GEM_NORM_IDLE_DEFAULT;
	return 0;
}

/**
 * gem_nl_norm_set_doit() - GEM_CMD_NORM_SET: adds or replaces a normalizer rule
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_norm_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gem_norm_conf c = {};
	int err;

	err = gem_nl_norm_conf(info, &c);
	if (err)
		return err;
	return gem_norm_rule_set(&gem_net(genl_info_net(info))->norm, &c, info->extack);
}

/**
 * gem_nl_norm_del_doit() - GEM_CMD_NORM_DEL: deletes a normalizer rule, or all
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int gem_nl_norm_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct gem_norm *n = &gem_net(genl_info_net(info))->norm;
	struct gem_norm_key k;
	int err;

	/* Without a rule's key: every rule. */
	if (!info->attrs[GEM_A_NORM_IN_IFINDEX] && !info->attrs[GEM_A_NORM_SOURCE] &&
	    !info->attrs[GEM_A_NORM_GROUP]) {
		gem_norm_flush(n);
		return 0;
	}
	err = gem_nl_norm_key(info, &k);
	if (err)
		return err;
	if (gem_norm_rule_del(n, &k)) {
		NL_SET_ERR_MSG(info->extack, "gem: no such normalizer rule");
		return -ENOENT;
	}
	return 0;
}

static int gem_nl_norm_filter(struct netlink_callback *cb)
{
	struct nlattr *in = genl_dumpit_info(cb)->attrs[GEM_A_NORM_IN_IFINDEX];

	return in ? nla_get_u32(in) : 0;
}

/**
 * gem_nl_norm_get_dumpit() - GEM_CMD_NORM_GET dump: the namespace's rules
 * @skb: the reply being filled
 * @cb: the dump's state
 *
 * Return: the length of @skb, or a negative errno.
 *
 * cb->args[0]: rules already dumped.
 */
int gem_nl_norm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gem_norm *n = &gem_net(sock_net(skb->sk))->norm;
	int in = gem_nl_norm_filter(cb);
	long skip = cb->args[0], idx = 0;
	struct gem_norm_rule *r;
	int err = 0;
	void *hdr;

	rcu_read_lock();
	cb->seq = READ_ONCE(n->gen);
	list_for_each_entry_rcu(r, &n->rules, list) {
		if (in && r->key.in_ifindex != in)
			continue;
		if (idx++ < skip)
			continue;
		hdr = gem_nl_dump_put(skb, cb, GEM_CMD_NORM_GET);
		err = gem_nl_dump_end(skb, cb, hdr, hdr ? gem_nl_fill_norm_rule(skb, n, r) : 0);
		if (err) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return gem_nl_dump_done(skb, err);
}

/**
 * gem_nl_norm_stream_get_dumpit() - GEM_CMD_NORM_STREAM_GET dump: normalized streams
 * @skb: the reply being filled
 * @cb: the dump's state
 *
 * Return: the length of @skb, or a negative errno.
 *
 * cb->args: [0] the hash bucket, [1] entries already dumped from it.
 */
int gem_nl_norm_stream_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gem_norm *n = &gem_net(sock_net(skb->sk))->norm;
	long bucket = cb->args[0], skip = cb->args[1], idx;
	int in = gem_nl_norm_filter(cb);
	struct gem_norm_stream *s;
	int err = 0;
	void *hdr;

	rcu_read_lock();
	cb->seq = READ_ONCE(n->stream_gen);
	for (; bucket < ARRAY_SIZE(n->streams); bucket++, skip = 0) {
		idx = 0;
		hlist_for_each_entry_rcu(s, &n->streams[bucket], node) {
			if (in && s->in_ifindex != in)
				continue;
			if (idx++ < skip)
				continue;
			hdr = gem_nl_dump_put(skb, cb, GEM_CMD_NORM_STREAM_GET);
			err = gem_nl_dump_end(skb, cb, hdr,
					      hdr ? gem_nl_fill_norm_stream(skb, s) : 0);
			if (err) {
				cb->args[0] = bucket;
				cb->args[1] = idx - 1;
				goto out;
			}
		}
	}
	cb->args[0] = bucket;
	cb->args[1] = 0;
out:
	rcu_read_unlock();
	return gem_nl_dump_done(skb, err);
}

/*
 * netlink-gen.c has the commands as split ops, a do and a dump apart.
 * They are registered as genl_ops, one per command, which every kernel
 * takes (6.1 knows no other); a do and a dump of one command share its
 * policy (the spec gives both the same).
 */
static struct genl_ops gem_nl_full_ops[ARRAY_SIZE(gem_nl_ops)] __ro_after_init;

static struct genl_family gem_nl_family __ro_after_init = {
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

/* Merges gem_nl_ops into gem_nl_full_ops; returns how many commands. */
static int gem_nl_build_ops(void)
{
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(gem_nl_ops); i++) {
		const struct genl_split_ops *s = &gem_nl_ops[i];
		struct genl_ops *o = n ? &gem_nl_full_ops[n - 1] : NULL;

		/* The generator lists a command's do just before its dump. */
		if (!o || o->cmd != s->cmd) {
			o = &gem_nl_full_ops[n++];
			o->cmd = s->cmd;
			o->policy = s->policy;
			o->maxattr = s->maxattr;
			o->flags = s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
		}
		if (WARN_ON(o->maxattr != s->maxattr ||
			    o->flags != (s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM))))
			return -EINVAL;
		if (s->doit)
			o->doit = s->doit;
		if (s->dumpit)
			o->dumpit = s->dumpit;
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
