// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: sealed packets arriving on the underlay.
 *
 * A netfilter ingress hook on the underlay sees each packet before IP
 * does. What is addressed to a protected group is GEM's: UDP is checked
 * (GAK tag first, the cheap reject of non-members; then key, replay
 * window, AEAD) and either delivered, opened, as received on the gem
 * device, or dropped and counted; anything else to a protected group but
 * its IGMP and MLD is dropped. Nothing addressed to a protected group
 * continues on the underlay, so no plaintext, and nothing unchecked,
 * reaches a socket or the forwarding path from there. Everything else
 * passes untouched.
 *
 * Some packets reach IP without passing the underlay's ingress hooks: an
 * ingress tc redirect to an IFB, the usual way to shape what arrives,
 * sends them back into the stack past tc and netfilter ingress alike. A
 * second hook, first in IPv4 and IPv6 prerouting of every namespace with
 * a gem device, takes what arrives there on an underlay for a protected
 * group through the same checks, so those packets are opened (or dropped)
 * exactly as the others, and nothing is delivered or forwarded unopened.
 *
 * GRO may have merged sealed datagrams into one: each is taken out and
 * checked on its own. A VLAN-tagged packet is not the underlay's own
 * traffic (its VLAN device, if any, receives it): it passes.
 */

#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_netdev.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "receive.h"

/* Trims link-layer padding, as ip_rcv would, so the IP length is the skb's. */
static int gem_rx_trim(struct sk_buff *skb)
{
	unsigned int len;

	if (skb->protocol == htons(ETH_P_IP))
		len = ntohs(ip_hdr(skb)->tot_len);
	else
		len = ntohs(ipv6_hdr(skb)->payload_len) + sizeof(struct ipv6hdr);
	if (len > skb->len)
		return -EINVAL;
	return pskb_trim_rcsum(skb, len);
}

static void gem_rx_drop(struct gem_dev *gem, struct sk_buff *skb, enum gem_drop why)
{
	gem_drop_count(gem->drops, why);
	dev_core_stats_rx_dropped_inc(gem->dev);
	kfree_skb(skb);
}

/* After the AEAD, sync or async: the replay window, then the gem device. */
static void gem_rx_post(struct gem_crypto_op *op, int err)
{
	struct gem_rx_stream *rx = op->stream;
	struct sk_buff *skb = op->skb;
	struct gem_dev *gem = op->gem;
	enum gem_replay_verdict v;
	enum gem_drop why;
	unsigned int len;

	why = gem_crypto_busy(err) ? GEM_DROP_RX_AEAD_BUSY : GEM_DROP_RX_BAD_TAG;
	if (err || gem_crypto_open_finish(op))
		goto drop;
	/* Checked before the AEAD, committed only now that it is authentic. */
	v = gem_replay_commit(&rx->replay, op->p.w.pn, ktime_get_ns());
	why = v == GEM_REPLAY_JUMP ? GEM_DROP_RX_PN_JUMP : GEM_DROP_RX_REPLAY;
	if (v != GEM_REPLAY_FRESH)
		goto drop;

	/* The original datagram, as if it had arrived on the gem device. */
	len = skb->len;
	skb_scrub_packet(skb, true);
	skb->dev = gem->dev;
	skb->skb_iif = gem->dev->ifindex;
	skb->pkt_type = PACKET_MULTICAST;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	gem_keys_stream_count(rx, len);
	dev_sw_netstats_rx_add(gem->dev, len);
	netif_rx(skb);
	gem_dev_op_done(op);
	return;

drop:
	gem_rx_drop(gem, skb, why);
	gem_dev_op_done(op);
}

/*
 * One packet to a protected group, at its network header, under RCU:
 * opened and delivered on the gem device, now or when its AEAD completes,
 * or dropped and counted. The packet is no longer the caller's.
 */
static void gem_rx_one(struct gem_dev *gem, struct gem_group *group, bool udp,
		       struct sk_buff *skb)
{
	struct gem_crypto_op *op;
	struct gem_rx_stream *rx;
	struct gem_stream_id id;
	struct gem_pkt p;
	enum gem_drop why;
	int err;

	why = GEM_DROP_RX_MALFORMED;
	skb_reset_network_header(skb);
	if (!udp || gem_rx_trim(skb) || gem_wire_parse_sealed(skb, &p))
		goto drop;
	why = GEM_DROP_RX_BAD_TAG;
	if (!gem_crypto_tag_ok(skb, &p, &group->tk))
		goto drop;

	memset(&id, 0, sizeof(id));
	id.family = p.family;
	id.key_id = p.w.key_id;
	memcpy(&id.src, &p.src, sizeof(id.src));
	memcpy(&id.group, &p.dst, sizeof(id.group));
	why = GEM_DROP_RX_UNKNOWN_KEY;
	rx = gem_keys_rx_find(&gem->keys, &id);
	if (!rx) {
		gem_nl_keys_notify_missing(gem, false, &id);
		goto drop;
	}
	/* The cheap reject of a replay, before the AEAD's cost. */
	why = GEM_DROP_RX_REPLAY;
	if (!gem_replay_check(&rx->replay, p.w.pn))
		goto drop;
	why = GEM_DROP_RX_BAD_TAG;
	op = gem_crypto_open_prepare(skb, &p, &rx->sek);
	if (IS_ERR(op))
		goto drop;
	op->post = gem_rx_post;
	op->gem = gem;
	op->stream = rx;
	if (rx->sek.async) {
		/* A stream on its way out opens no more; nor a device too busy. */
		if (!gem_dev_op_hold(op, &err)) {
			why = gem_crypto_busy(err) ? GEM_DROP_RX_AEAD_BUSY
						   : GEM_DROP_RX_UNKNOWN_KEY;
			gem_crypto_op_free(op);
			goto drop;
		}
		/*
		 * Nothing of the underlay's path goes along into the gap: not
		 * its route, nor a socket assigned without a reference (tc's
		 * bpf_sk_assign), nor conntrack's entry.
		 */
		skb_dst_drop(skb);
		skb_orphan(skb);
		nf_reset_ct(skb);
	}
	gem_crypto_submit(op);
	return;

drop:
	gem_rx_drop(gem, skb, why);
}

/*
 * The datagrams GRO merged, each its own skb, their checksums unsummed:
 * the tag and the AEAD are what check them. They share the merged
 * packet's pages, so each is opened in place and the AEAD is the one
 * pass over the payload; but where a clone shares those pages (a packet
 * socket's), each datagram is copied out, so that opening it leaves the
 * clone's ciphertext alone, and likewise if sharing would take more
 * fragments than an skb holds.
 */
static struct sk_buff *gem_rx_split(struct sk_buff *skb)
{
	struct sk_buff *segs = ERR_PTR(-EINVAL);

	if (!skb_cloned(skb))
		segs = skb_gso_segment(skb, NETIF_F_SG | NETIF_F_HW_CSUM);
	if (IS_ERR(segs))
		segs = skb_gso_segment(skb, NETIF_F_HW_CSUM);
	return segs;
}

/* GRO merged several: each datagram is checked, and delivered, on its own. */
static unsigned int gem_rx_segments(struct gem_dev *gem, struct gem_group *group, bool udp,
				    struct sk_buff *skb)
{
	struct sk_buff *segs, *seg, *next;

	segs = gem_rx_split(skb);
	if (IS_ERR_OR_NULL(segs)) {
		gem_drop_count(gem->drops, GEM_DROP_RX_MALFORMED);
		dev_core_stats_rx_dropped_inc(gem->dev);
		return NF_DROP;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		gem_rx_one(gem, group, udp, seg);
	}
	return NF_STOLEN;
}

/*
 * A packet on @gem's underlay, at its network header: GEM's, or not.
 * @backstop: it came to prerouting, past the underlay's ingress hook.
 */
static unsigned int gem_rx_take(struct gem_dev *gem, struct sk_buff *skb, bool backstop)
{
	struct gem_group *group;
	bool udp = false;

	if (skb_vlan_tag_present(skb) && skb_vlan_tag_get_id(skb))
		return NF_ACCEPT;
	group = gem_keys_group_of(&gem->keys, skb, skb_network_offset(skb), &udp);
	if (!group)
		return NF_ACCEPT;
	if (backstop)
		gem_drop_count(gem->drops, GEM_DROP_RX_BACKSTOP);
	if (skb_is_gso(skb))
		return gem_rx_segments(gem, group, udp, skb);
	gem_rx_one(gem, group, udp, skb);
	return NF_STOLEN;
}

static unsigned int gem_rx_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	return gem_rx_take(priv, skb, false);
}

/**
 * gem_receive_hook_register() - hooks a gem device's receive path into its underlay
 * @gem: the gem device
 *
 * Return: 0 or a negative errno.
 */
int gem_receive_hook_register(struct gem_dev *gem)
{
	gem->rx_hook = (struct nf_hook_ops){
		.hook		= gem_rx_hook,
		.pf		= NFPROTO_NETDEV,
		.hooknum	= NF_NETDEV_INGRESS,
		.dev		= gem->underlay,
		.priv		= gem,
		.priority	= 0,
	};
	return nf_register_net_hook(dev_net(gem->underlay), &gem->rx_hook);
}

/**
 * gem_receive_hook_unregister() - unhooks it
 * @gem: the gem device
 */
void gem_receive_hook_unregister(struct gem_dev *gem)
{
	nf_unregister_net_hook(dev_net(gem->underlay), &gem->rx_hook);
}

/*
 * Prerouting, before anything else (defragmentation, conntrack, the
 * normalizer): what arrived on an underlay for a protected group and got
 * here went past that underlay's ingress hook.
 */
static unsigned int gem_rx_backstop(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct gem_dev *gem;

	if (skb->protocol == htons(ETH_P_IP) ? !ipv4_is_multicast(ip_hdr(skb)->daddr)
					      : !ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
		return NF_ACCEPT;
	gem = gem_dev_by_underlay_rcu(state->net, state->in);
	return gem ? gem_rx_take(gem, skb, true) : NF_ACCEPT;
}

static const struct nf_hook_ops gem_rx_backstop_ops[] = {
	{
		.hook		= gem_rx_backstop,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		.hook		= gem_rx_backstop,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_FIRST,
	},
};

/**
 * gem_receive_backstop_register() - hooks the prerouting backstop into a namespace
 * @net: the namespace, getting its first gem device
 *
 * While a namespace has gem devices; RTNL held.
 *
 * Return: 0 or a negative errno.
 */
int gem_receive_backstop_register(struct net *net)
{
	return nf_register_net_hooks(net, gem_rx_backstop_ops, ARRAY_SIZE(gem_rx_backstop_ops));
}

/**
 * gem_receive_backstop_unregister() - unhooks it
 * @net: the namespace
 */
void gem_receive_backstop_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, gem_rx_backstop_ops, ARRAY_SIZE(gem_rx_backstop_ops));
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/receive_test.c"
#endif
