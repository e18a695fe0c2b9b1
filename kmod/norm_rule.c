// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the normalizer, and its rules.
 *
 * Cameras, encoders and studio gear often send multicast from addresses no
 * router knows, and PIM drops such streams on the reverse-path check. A
 * rule (in device, source prefix, group prefix) -> (new source, out device)
 * takes matching UDP multicast as it arrives, before routing, rewrites its
 * source to an address of this node, fixes the checksums and sends it out
 * of the out device: a veth, to tap or filter in plaintext, or a gem
 * device, which seals it on its way to the underlay. The packet never
 * re-enters IP routing, and its original form goes nowhere else.
 *
 * The normalizer is norm_*: the rules here, the packet path in
 * norm_hook.c, the streams it re-sources in norm_stream.c, and its
 * commands of the gem family in norm_netlink.c; norm.h is what they share.
 *
 * Rules are per namespace, changed under RTNL and read under RCU, and
 * at most gem.max_norm_rules of them. The prerouting hooks are registered
 * with the first rule and stay until the namespace goes: taking them out
 * again waits for a grace period under RTNL, which a user namespace's
 * root could repeat in a loop to stall the whole host; an idle hook costs
 * a packet one list check.
 */

#include <linux/if_arp.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "device.h"
#include "netlink.h"
#include "norm.h"
#include "send.h"

static unsigned int max_norm_rules = 4096;
module_param(max_norm_rules, uint, 0644);
MODULE_PARM_DESC(max_norm_rules, "Normalizer rules a network namespace holds at most");

/**
 * gem_norm_rule_before() - whether a rule is tried before another
 * @a: one rule's key
 * @b: the other's
 *
 * The order rules are tried in, which decides between overlapping ones:
 * the longer source prefix first, then the longer group prefix. Rules of
 * different in devices never compete; equal keys are one rule.
 *
 * Return: true if @a comes first.
 */
bool gem_norm_rule_before(const struct gem_norm_key *a, const struct gem_norm_key *b)
{
	if (a->src_plen != b->src_plen)
		return a->src_plen > b->src_plen;
	return a->grp_plen > b->grp_plen;
}

static bool gem_norm_key_eq(const struct gem_norm_key *a, const struct gem_norm_key *b)
{
	return a->in_ifindex == b->in_ifindex && a->family == b->family &&
	       a->src_plen == b->src_plen && a->grp_plen == b->grp_plen &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       !memcmp(&a->grp, &b->grp, sizeof(a->grp));
}

static bool gem_norm_rule_exists(struct gem_norm *n, const struct gem_norm_key *key)
{
	struct gem_norm_rule *r;

	list_for_each_entry(r, &n->rules, list)
		if (gem_norm_key_eq(&r->key, key))
			return true;
	return false;
}

/**
 * gem_norm_rule_stats() - sums a rule's per-CPU counters
 * @r: the rule
 * @st: the sums
 */
void gem_norm_rule_stats(const struct gem_norm_rule *r, struct gem_norm_stats *st)
{
	int cpu, i;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		const struct gem_norm_pcpu_stats *s = per_cpu_ptr(r->stats, cpu);
		struct gem_norm_stats v;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			v.packets = u64_stats_read(&s->packets);
			v.bytes = u64_stats_read(&s->bytes);
			for (i = 0; i < GEM_NORM_DROP_MAX; i++)
				v.drops[i] = u64_stats_read(&s->drops[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->packets += v.packets;
		st->bytes += v.bytes;
		for (i = 0; i < GEM_NORM_DROP_MAX; i++)
			st->drops[i] += v.drops[i];
	}
}

static void gem_norm_rule_free_rcu(struct rcu_head *head)
{
	struct gem_norm_rule *r = container_of(head, struct gem_norm_rule, rcu);

	netdev_put(r->in, &r->in_tracker);
	netdev_put(r->out, &r->out_tracker);
	free_percpu(r->stats);
	kfree(r);
}

static void gem_norm_changed(struct gem_norm *n)
{
	WRITE_ONCE(n->gen, n->gen + 1 ?: 1);
}

/* Unlinks a rule and ends its streams; RTNL held. */
static void gem_norm_rule_remove(struct gem_norm *n, struct gem_norm_rule *r, bool notify)
{
	list_del_rcu(&r->list);
	n->n_rules--;
	gem_norm_changed(n);
	if (notify)
		gem_nl_norm_notify_rule(n->net, r, GEM_CMD_NORM_DEL);
	gem_norm_streams_end_rule(n, r);
	call_rcu(&r->rcu, gem_norm_rule_free_rcu);
}

/* A source routers downstream can know: not loopback, not link-local. */
static bool gem_norm_is_routable(u8 family, const union gem_addr *a)
{
	if (family == AF_INET)
		return !ipv4_is_loopback(a->v4) && !ipv4_is_linklocal_169(a->v4) &&
		       !ipv4_is_multicast(a->v4) && !ipv4_is_zeronet(a->v4);
	return !(ipv6_addr_type(&a->v6) &
		 (IPV6_ADDR_LOOPBACK | IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MULTICAST | IPV6_ADDR_ANY));
}

static bool gem_norm_is_mcast_prefix(u8 family, const union gem_addr *a, u8 plen)
{
	if (family == AF_INET)
		return plen >= 4 && ipv4_is_multicast(a->v4);
	return plen >= 8 && ipv6_addr_is_multicast(&a->v6);
}

/* Everything a rule must be before it may take a packet; RTNL held. */
static int gem_norm_check(struct gem_norm *n, const struct gem_norm_conf *c,
			  struct net_device **in, struct net_device **out,
			  struct netlink_ext_ack *extack)
{
	const struct gem_norm_key *k = &c->key;
	struct gem_dev *underlay;
	bool local;

	if (!gem_prefix_ok(k->family, &k->src, k->src_plen)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the source prefix is longer than its address or has bits set beyond its length");
		return -EINVAL;
	}
	if (!gem_prefix_ok(k->family, &k->grp, k->grp_plen)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the group prefix is longer than its address or has bits set beyond its length");
		return -EINVAL;
	}
	if (!gem_norm_is_mcast_prefix(k->family, &k->grp, k->grp_plen)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the group prefix is not within multicast (224.0.0.0/4 or ff00::/8)");
		return -EINVAL;
	}
	*in = __dev_get_by_index(n->net, k->in_ifindex);
	if (!*in) {
		NL_SET_ERR_MSG(extack, "gem: the in device does not exist");
		return -ENODEV;
	}
	*out = __dev_get_by_index(n->net, c->out_ifindex);
	if (!*out) {
		NL_SET_ERR_MSG(extack, "gem: the out device does not exist");
		return -ENODEV;
	}
	if (*out == *in) {
		NL_SET_ERR_MSG(extack,
			       "gem: the out device is the in device: the stream would loop");
		return -ELOOP;
	}
	rcu_read_lock();
	underlay = gem_dev_by_underlay_rcu(n->net, *out);
	rcu_read_unlock();
	if (underlay) {
		NL_SET_ERR_MSG(extack,
			       "gem: the out device is a gem device's underlay, where a protected stream may only leave sealed: send it out of the gem device");
		return -EPERM;
	}
	if (!gem_dev_is_gem(*out) &&
	    ((*out)->type != ARPHRD_ETHER || ((*out)->flags & IFF_LOOPBACK))) {
		NL_SET_ERR_MSG(extack, "gem: the out device must be an Ethernet or a gem device");
		return -EOPNOTSUPP;
	}
	if (!gem_norm_is_routable(k->family, &c->new_src)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the new source must be a routable unicast address, not loopback or link-local");
		return -EINVAL;
	}
	rcu_read_lock();
	local = gem_norm_hook_is_local_rcu(n->net, k->family, &c->new_src);
	rcu_read_unlock();
	if (!local) {
		NL_SET_ERR_MSG(extack,
			       "gem: the new source is not an address of this network namespace");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/**
 * gem_norm_rule_link - put a rule in its place among the others
 * @n: the namespace's normalizer
 * @r: the rule
 *
 * In the place of the rule with the same key, if there is one; else
 * before the first rule it is more specific than. RTNL held.
 *
 * Return: the rule it replaced, or NULL.
 */
struct gem_norm_rule *gem_norm_rule_link(struct gem_norm *n, struct gem_norm_rule *r)
{
	struct gem_norm_rule *pos;

	list_for_each_entry(pos, &n->rules, list)
		if (gem_norm_key_eq(&pos->key, &r->key)) {
			list_replace_rcu(&pos->list, &r->list);
			return pos;
		}
	list_for_each_entry(pos, &n->rules, list)
		if (gem_norm_rule_before(&r->key, &pos->key))
			break;
	list_add_tail_rcu(&r->list, &pos->list);
	return NULL;
}

/**
 * gem_norm_rule_set - add a rule, or replace the one with the same key
 * @n: the namespace's normalizer
 * @c: the rule
 * @extack: says what is wrong with it
 *
 * A replaced rule's streams end, and its counters start again. RTNL held.
 *
 * Return: 0 or a negative errno, with nothing changed.
 */
int gem_norm_rule_set(struct gem_norm *n, const struct gem_norm_conf *c,
		      struct netlink_ext_ack *extack)
{
	struct gem_norm_rule *r, *old;
	struct net_device *in, *out;
	int err;

	ASSERT_RTNL();
	err = gem_norm_check(n, c, &in, &out, extack);
	if (err)
		return err;

	if (n->n_rules >= READ_ONCE(max_norm_rules) && !gem_norm_rule_exists(n, &c->key)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the namespace holds the most normalizer rules it may (module parameter gem.max_norm_rules)");
		return -ENOSPC;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->stats = alloc_percpu_gfp(struct gem_norm_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!r->stats) {
		kfree(r);
		return -ENOMEM;
	}
	err = gem_norm_hook_register(n);
	if (err) {
		NL_SET_ERR_MSG(extack, "gem: could not hook the normalizer in");
		free_percpu(r->stats);
		kfree(r);
		return err;
	}
	r->key = c->key;
	r->new_src = c->new_src;
	r->ttl = c->ttl;
	r->idle = (unsigned long)c->idle_timeout * HZ;
	r->id = ++n->next_id;
	r->in = in;
	netdev_hold(in, &r->in_tracker, GFP_KERNEL);
	r->out = out;
	netdev_hold(out, &r->out_tracker, GFP_KERNEL);

	old = gem_norm_rule_link(n, r);
	if (!old)
		n->n_rules++;
	if (old) {
		gem_norm_streams_end_rule(n, old);
		call_rcu(&old->rcu, gem_norm_rule_free_rcu);
	}
	gem_norm_changed(n);
	gem_nl_norm_notify_rule(n->net, r, GEM_CMD_NORM_SET);
	return 0;
}

/**
 * gem_norm_rule_del() - deletes a rule and ends its streams
 * @n: the namespace's normalizer
 * @key: the rule's key
 *
 * Return: 0, or -ENOENT if there is no such rule. RTNL held.
 */
int gem_norm_rule_del(struct gem_norm *n, const struct gem_norm_key *key)
{
	struct gem_norm_rule *r;

	ASSERT_RTNL();
	list_for_each_entry(r, &n->rules, list)
		if (gem_norm_key_eq(&r->key, key)) {
			gem_norm_rule_remove(n, r, true);
			return 0;
		}
	return -ENOENT;
}

/**
 * gem_norm_rule_flush() - deletes every rule of a namespace
 * @n: the namespace's normalizer
 */
void gem_norm_rule_flush(struct gem_norm *n)
{
	struct gem_norm_rule *r, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(r, tmp, &n->rules, list)
		gem_norm_rule_remove(n, r, true);
}

/**
 * gem_norm_rule_dev_gone() - deletes the rules that use a device
 * @n: the namespace's normalizer
 *
 * A device is going away: so are the rules that use it. RTNL held.
 * @dev: the device going away
 */
void gem_norm_rule_dev_gone(struct gem_norm *n, const struct net_device *dev)
{
	struct gem_norm_rule *r, *tmp;

	list_for_each_entry_safe(r, tmp, &n->rules, list)
		if (r->in == dev || r->out == dev)
			gem_norm_rule_remove(n, r, true);
}

/**
 * gem_norm_init() - sets up a namespace's normalizer, without rules
 * @n: the namespace's normalizer
 * @net: its namespace
 */
void gem_norm_init(struct gem_norm *n, struct net *net)
{
	n->net = net;
	INIT_LIST_HEAD(&n->rules);
	n->gen = 1;
	gem_norm_streams_init(n);
}

/**
 * gem_norm_rule_exit() - frees every rule of a namespace that is going
 * @n: the namespace's normalizer
 */
void gem_norm_rule_exit(struct gem_norm *n)
{
	struct gem_norm_rule *r, *tmp;

	list_for_each_entry_safe(r, tmp, &n->rules, list)
		gem_norm_rule_remove(n, r, false);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/norm_test.c"
#endif
