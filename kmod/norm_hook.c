// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the normalizer's packet path.
 *
 * A prerouting hook takes UDP multicast that a rule (norm_rule.c) matches,
 * rewrites its source to the rule's new source, fixes the checksums and
 * sends it out of the rule's out device; it never re-enters IP routing.
 * Rules are read under RCU here.
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

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "norm.h"
#include "send.h"

/* The first rule that takes a packet from @in; under RCU. */
static struct gem_norm_rule *gem_norm_match(struct gem_norm *n, const struct net_device *in,
					    const struct gem_stream_id *id)
{
	struct gem_norm_rule *r;

	list_for_each_entry_rcu(r, &n->rules, list)
		if (r->in == in && r->key.family == id->family &&
		    gem_prefix_match(id->family, &id->src, &r->key.src, r->key.src_plen) &&
		    gem_prefix_match(id->family, &id->group, &r->key.grp, r->key.grp_plen))
			return r;
	return NULL;
}

/**
 * gem_norm_hook_rewrite - give a UDP packet a new source
 * @skb: an IPv4 or IPv6 packet at its network header, UDP right after it
 * @family: AF_INET or AF_INET6
 * @new_src: the source it will carry
 * @ttl: the TTL or hop limit it will carry; 0 to decrement the one it has
 *
 * The IPv4 header checksum is recomputed and the UDP checksum updated for
 * the new pseudo-header, whether it is complete or left to offload. An
 * IPv4 datagram sent without a checksum stays without.
 *
 * Return: 0; -EHOSTUNREACH if decrementing would leave it no TTL; -ENOMEM.
 */
int gem_norm_hook_rewrite(struct sk_buff *skb, u8 family, const union gem_addr *new_src, u8 ttl)
{
	unsigned int nhlen = family == AF_INET ? ip_hdrlen(skb) : sizeof(struct ipv6hdr);
	bool partial = skb->ip_summed == CHECKSUM_PARTIAL;
	struct udphdr *uh;

	if (skb_ensure_writable(skb, nhlen + sizeof(*uh)))
		return -ENOMEM;
	uh = (struct udphdr *)(skb_network_header(skb) + nhlen);

	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		if (!ttl && iph->ttl <= 1)
			return -EHOSTUNREACH;
		if (uh->check || partial) {
			inet_proto_csum_replace4(&uh->check, skb, iph->saddr, new_src->v4, true);
			if (!uh->check && !partial)
				uh->check = CSUM_MANGLED_0;
		}
		iph->saddr = new_src->v4;
		iph->ttl = ttl ?: iph->ttl - 1;
		ip_send_check(iph);
	} else {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if (!ttl && ip6->hop_limit <= 1)
			return -EHOSTUNREACH;
		inet_proto_csum_replace16(&uh->check, skb, ip6->saddr.s6_addr32,
					  new_src->v6.s6_addr32, true);
		if (!uh->check && !partial)
			uh->check = CSUM_MANGLED_0;
		ip6->saddr = new_src->v6;
		ip6->hop_limit = ttl ?: ip6->hop_limit - 1;
	}
	/* A complete checksum of what arrived says nothing of what leaves. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static void gem_norm_count(struct gem_norm_rule *r, unsigned int len, enum gem_norm_drop why)
{
	struct gem_norm_pcpu_stats *s = this_cpu_ptr(r->stats);

	u64_stats_update_begin(&s->syncp);
	if (why == GEM_NORM_DROP_MAX) {
		u64_stats_inc(&s->packets);
		u64_stats_add(&s->bytes, len);
	} else {
		u64_stats_inc(&s->drops[why]);
	}
	u64_stats_update_end(&s->syncp);
}

/**
 * gem_norm_hook_is_local_rcu() - whether an address is one of a namespace's
 * @net: the namespace
 * @family: AF_INET or AF_INET6
 * @a: the address
 *
 * Under RCU: the packet path's read lock, or rcu_read_lock().
 *
 * Return: true if an interface of @net has @a.
 */
bool gem_norm_hook_is_local_rcu(struct net *net, u8 family, const union gem_addr *a)
{
	if (family == AF_INET)
		return !!__ip_dev_find(net, a->v4, false);
#if IS_ENABLED(CONFIG_IPV6)
	return ipv6_chk_addr(net, &a->v6, NULL, 0);
#else
	return false;
#endif
}

/* Takes a matched packet: re-sourced and sent, or dropped and counted. */
static unsigned int gem_norm_forward(struct gem_norm *n, struct gem_norm_rule *r,
				     struct sk_buff *skb, const struct gem_stream_id *id)
{
	struct net_device *out = r->out;
	enum gem_norm_drop why;
	unsigned int len;
	int err, rc;

	/*
	 * What this node sent, come back round (its own output, or another
	 * rule's: every new source is an address of the namespace): never
	 * normalized again. Two rules re-sourcing each other's output with a
	 * fixed TTL would otherwise pass one packet round forever.
	 */
	if (gem_norm_hook_is_local_rcu(n->net, id->family, &id->src))
		return NF_ACCEPT;

	err = gem_norm_hook_rewrite(skb, id->family, &r->new_src, r->ttl);
	if (err) {
		why = err == -EHOSTUNREACH ? GEM_NORM_DROP_TTL : GEM_NORM_DROP_ERROR;
		goto drop;
	}
	len = skb->len;
	why = GEM_NORM_DROP_TOO_BIG;
	if (len > out->mtu &&
	    !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, out->mtu)))
		goto drop;

	skb_scrub_packet(skb, false);
	/* As ip_forward: a receive time or VLAN tag means nothing on the way out. */
	skb_clear_tstamp(skb);
	__vlan_hwaccel_clear_tag(skb);
	skb->dev = out;
	why = GEM_NORM_DROP_ERROR;
	if (gem_send_link_header(skb, out, id->family, &id->group))
		goto drop;
	gem_norm_stream_seen(n, r, id, len);
	/* A gem device seals it on the way: one pass, no second routing. */
	rc = dev_queue_xmit(skb);
	if (net_xmit_eval(rc))	/* a macro: it evaluates its argument twice */
		gem_norm_count(r, 0, GEM_NORM_DROP_ERROR);
	else
		gem_norm_count(r, len, GEM_NORM_DROP_MAX);
	return NF_STOLEN;

drop:
	gem_norm_count(r, 0, why);
	return NF_DROP;
}

enum gem_norm_kind {
	GEM_NORM_OTHER,		/* not for the normalizer */
	GEM_NORM_UDP,		/* a whole UDP datagram: re-sourced if a rule takes it */
	GEM_NORM_FRAGMENT,	/* part of one: dropped if a rule takes it */
};

/* UDP to a routable multicast group: what rules can take. */
static enum gem_norm_kind gem_norm_classify(struct sk_buff *skb, struct gem_stream_id *id)
{
	memset(id, 0, sizeof(*id));
	if (skb->pkt_type == PACKET_LOOPBACK)
		return GEM_NORM_OTHER;
	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		if (iph->protocol != IPPROTO_UDP ||
		    !ipv4_is_multicast(iph->daddr) || ipv4_is_local_multicast(iph->daddr))
			return GEM_NORM_OTHER;
		id->family = AF_INET;
		id->src.v4 = iph->saddr;
		id->group.v4 = iph->daddr;
		return ip_is_fragment(iph) ? GEM_NORM_FRAGMENT : GEM_NORM_UDP;
	}
	if (skb->protocol == htons(ETH_P_IPV6)) {
		const struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if ((ip6->nexthdr != IPPROTO_UDP && ip6->nexthdr != NEXTHDR_FRAGMENT) ||
		    !ipv6_addr_is_multicast(&ip6->daddr) ||
		    IPV6_ADDR_MC_SCOPE(&ip6->daddr) <= IPV6_ADDR_SCOPE_LINKLOCAL)
			return GEM_NORM_OTHER;
		id->family = AF_INET6;
		id->src.v6 = ip6->saddr;
		id->group.v6 = ip6->daddr;
		return ip6->nexthdr == NEXTHDR_FRAGMENT ? GEM_NORM_FRAGMENT : GEM_NORM_UDP;
	}
	return GEM_NORM_OTHER;
}

/* Prerouting, IPv4 and IPv6: IP has checked the header, routing is next. */
static unsigned int gem_norm_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct gem_norm *n = &gem_net(state->net)->norm;
	enum gem_norm_kind kind;
	struct gem_norm_rule *r;
	struct gem_stream_id id;

	kind = gem_norm_classify(skb, &id);
	if (kind == GEM_NORM_OTHER)
		return NF_ACCEPT;
	r = gem_norm_match(n, state->in, &id);
	if (!r)
		return NF_ACCEPT;
	/*
	 * Re-sourcing takes whole datagrams, and a stream a rule takes must
	 * not go on in its original form: its fragments are dropped.
	 */
	if (kind == GEM_NORM_FRAGMENT) {
		gem_norm_count(r, 0, GEM_NORM_DROP_ERROR);
		return NF_DROP;
	}
	return gem_norm_forward(n, r, skb, &id);
}

/*
 * After the raw table, so operators can filter what reaches the
 * normalizer there, and before connection tracking, which has no use for
 * a packet about to be re-sourced.
 */
static const struct nf_hook_ops gem_norm_hook_ops[] = {
	{
		.hook		= gem_norm_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_RAW + 1,
	},
	{
		.hook		= gem_norm_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_RAW + 1,
	},
};

/**
 * gem_norm_hook_register() - hooks the normalizer into a namespace's prerouting
 * @n: the namespace's normalizer
 *
 * With the first rule, once: the hooks stay until the namespace goes (see
 * gem_norm_hook_exit()). RTNL held.
 *
 * Return: 0 or a negative errno.
 */
int gem_norm_hook_register(struct gem_norm *n)
{
	int err;

	if (n->hooked)
		return 0;
	err = nf_register_net_hooks(n->net, gem_norm_hook_ops, ARRAY_SIZE(gem_norm_hook_ops));
	if (!err)
		n->hooked = true;
	return err;
}

/**
 * gem_norm_hook_exit() - unhooks the normalizer from a namespace that is going
 * @n: the namespace's normalizer
 *
 * The namespace is going, in three steps: no packet reaches the hooks
 * (RTNL held); no stream is left, nor the scan (no RTNL: the scan does
 * not take it); no rule is left (RTNL held).
 */
void gem_norm_hook_exit(struct gem_norm *n)
{
	if (n->hooked) {
		nf_unregister_net_hooks(n->net, gem_norm_hook_ops, ARRAY_SIZE(gem_norm_hook_ops));
		n->hooked = false;
	}
}
