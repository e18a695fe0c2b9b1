// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the key-table commands of the gem family: a device's protected
 * groups, transmit streams and receive streams; and the events asking the
 * agent for a missing key.
 */

#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <linux/gem.h>

#include "device.h"
#include "keys.h"
#include "netlink.h"
#include "netlink-gen.h"

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
	u64 packets, bytes;

	gem_keys_stream_stats(stream, &packets, &bytes);
	if (nla_put_u32(skb, GEM_A_CONF_IFINDEX, gem->dev->ifindex) ||
	    gem_nl_put_addr(skb, GEM_A_CONF_SOURCE, id->family, &id->src) ||
	    gem_nl_put_addr(skb, GEM_A_CONF_GROUP, id->family, &id->group) ||
	    nla_put_u8(skb, GEM_A_CONF_KEY_ID, tx ? t->sek.key_id : r->sek.key_id) ||
	    nla_put_u64_64bit(skb, GEM_A_CONF_PACKETS, packets, GEM_A_CONF_PAD) ||
	    nla_put_u64_64bit(skb, GEM_A_CONF_BYTES, bytes, GEM_A_CONF_PAD))
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, GEM_A_CONF_PN, tx ? atomic64_read(&t->next_pn) :
			      gem_replay_next(&r->replay), GEM_A_CONF_PAD) ||
	    (!tx && nla_put_u32(skb, GEM_A_CONF_RATE, READ_ONCE(r->replay.rate))))
		return -EMSGSIZE;
	return 0;
}

/* A dump's entry at @pos on the list of what @cmd dumps. */
static int gem_nl_fill_entry(struct sk_buff *skb, const struct gem_dev *gem, u8 cmd,
			     struct list_head *pos)
{
	if (cmd == GEM_CMD_GROUP_GET)
		return gem_nl_fill_group(skb, gem, list_entry(pos, struct gem_group, list));
	return gem_nl_fill_stream(skb, gem, cmd == GEM_CMD_TX_GET, gem_stream_of(pos));
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
	err = gem_keys_group_set(&gem->keys, family, &prefix, plen, alg, nla_data(key),
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
		gem_keys_group_flush(&gem->keys);
	} else {
		err = gem_nl_addr(info, GEM_A_CONF_GROUP, &family, &prefix);
		if (err)
			return err;
		plen = info->attrs[GEM_A_CONF_PREFIXLEN] ?
			nla_get_u8(info->attrs[GEM_A_CONF_PREFIXLEN]) :
			(family == AF_INET ? 32 : 128);
		if (gem_keys_group_del(&gem->keys, family, &prefix, plen)) {
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
	err = gem_keys_stream_set(&gem->keys, tx, &id, nla_data(key), nla_len(key), &opts,
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
		gem_keys_stream_flush(&gem->keys, tx);
	} else {
		err = gem_nl_stream_id(info, &id);
		if (err)
			return err;
		if (!tx && !info->attrs[GEM_A_CONF_KEY_ID]) {
			NL_SET_ERR_MSG(info->extack, "gem: a receive key is deleted by key id");
			return -EINVAL;
		}
		if (gem_keys_stream_del(&gem->keys, tx, &id)) {
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

/*
 * Where a dump of groups or streams goes on from, in cb->ctx: the count
 * dumped, and for streams the last one, to find again in O(1) when
 * nothing changed since (a dump of many streams stays O(n), not O(n^2)).
 */
struct gem_nl_dump_ctx {
	u32 done;
	u32 gen;		/* the tables' generation @last was dumped in */
	bool resume;		/* @last was dumped */
	struct gem_stream_id last;
};

static_assert(sizeof(struct gem_nl_dump_ctx) <= sizeof_field(struct netlink_callback, ctx));

/* The list entry to go on after: the last stream dumped, or none. */
static struct list_head *gem_nl_dump_resume(struct gem_dev *gem, bool tx,
					    const struct gem_nl_dump_ctx *ctx, u32 gen)
{
	void *s;

	if (!ctx->resume || ctx->gen != gen)
		return NULL;
	s = tx ? (void *)gem_keys_tx_find(&gem->keys, &ctx->last)
	       : (void *)gem_keys_rx_find(&gem->keys, &ctx->last);
	return s ? gem_stream_list_of(s) : NULL;
}

/*
 * Dumps of a device's groups or streams, in the order they came. A dump
 * that names no gem device is refused in its first round, where its
 * extack message reaches the requester (in NLMSG_DONE): a .start callback
 * runs before netlink sets cb->extack, and its message was lost.
 */
static int gem_nl_conf_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct gem_nl_dump_ctx *ctx = (struct gem_nl_dump_ctx *)cb->ctx;
	const struct genl_dumpit_info *di = genl_dumpit_info(cb);
	struct nlattr *ifindex = gem_dump_attrs(cb)[GEM_A_CONF_IFINDEX];
	u8 cmd = di->op.cmd;
	bool tx = cmd == GEM_CMD_TX_GET;
	struct list_head *head, *pos;
	struct net_device *dev;
	struct gem_dev *gem;
	u32 gen, idx = 0;
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
	gen = READ_ONCE(gem->keys.gen);
	cb->seq = gen;

	head = cmd == GEM_CMD_GROUP_GET ? &gem->keys.groups : gem_stream_list(&gem->keys, tx);
	pos = cmd == GEM_CMD_GROUP_GET ? NULL : gem_nl_dump_resume(gem, tx, ctx, gen);
	if (pos)
		idx = ctx->done;	/* what came before it is done */
	else
		pos = head;
	for (pos = rcu_dereference(pos->next); !list_is_head(pos, head);
	     pos = rcu_dereference(pos->next)) {
		if (idx++ < ctx->done)
			continue;
		hdr = gem_nl_dump_put(skb, cb, cmd);
		err = gem_nl_dump_end(skb, cb, hdr,
				      hdr ? gem_nl_fill_entry(skb, gem, cmd, pos) : 0);
		if (err) {
			idx--;
			break;
		}
		if (cmd != GEM_CMD_GROUP_GET) {
			ctx->last = ((struct gem_tx_stream *)gem_stream_of(pos))->id;
			ctx->resume = true;
		}
	}
	ctx->done = idx;
	ctx->gen = gen;
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

/**
 * gem_nl_keys_notify_missing() - asks the agent for a key a packet lacked
 * @gem: the gem device
 * @tx: a transmit key (else a receive key)
 * @id: the stream, with the key id for receive
 *
 * Called from the packet path, so atomic, and rate-limited per device and
 * direction.
 */
void gem_nl_keys_notify_missing(struct gem_dev *gem, bool tx, const struct gem_stream_id *id)
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
