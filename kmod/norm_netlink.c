// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the normalizer's commands of the gem family, and its events: the
 * namespace's rules (norm_rule.c) and the streams they re-source
 * (norm_stream.c).
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
#include "norm.h"

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
	    nla_put_u32(skb, GEM_A_NORM_STREAMS, gem_norm_streams_of_rule(n, r)))
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

/**
 * gem_nl_norm_notify_rule() - tells the events group a rule was set or deleted
 * @net: the rule's namespace
 * @r: the rule
 * @cmd: GEM_CMD_NORM_SET or GEM_CMD_NORM_DEL
 *
 * RTNL held.
 */
void gem_nl_norm_notify_rule(struct net *net, const struct gem_norm_rule *r, u8 cmd)
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

/**
 * gem_nl_norm_notify_stream() - tells the events group a normalized stream began or ended
 * @net: the stream's namespace
 * @s: the stream
 * @cmd: GEM_CMD_NORM_STREAM_NEW_NTF or GEM_CMD_NORM_STREAM_END_NTF
 * @reason: why it ended, enum gem_norm_end
 * @gfp: atomic from the packet path
 *
 * Not rate-limited: the stream table's cap bounds how many there can be.
 */
void gem_nl_norm_notify_stream(struct net *net, const struct gem_norm_stream *s, u8 cmd,
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

/**
 * gem_nl_norm_conf() - reads a rule's configuration off a norm-set request
 * @info: the request, its attributes parsed
 * @c: where the configuration goes
 *
 * Return: 0 or -EINVAL with an extack message.
 */
int gem_nl_norm_conf(struct genl_info *info, struct gem_norm_conf *c)
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
		gem_norm_rule_flush(n);
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
	struct nlattr *in = gem_dump_attrs(cb)[GEM_A_NORM_IN_IFINDEX];

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
