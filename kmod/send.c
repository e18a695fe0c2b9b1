// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: packets sent out of a gem device.
 *
 * UDP to a protected group with a transmit key is sealed in place and
 * leaves the underlay as native multicast, addresses, ports and TTL as the
 * sender set them. Anything else is dropped and counted: a gem device
 * never lets plaintext out.
 *
 * Nor does its underlay: an application bound to the underlay, multicast
 * routing, or a normalizer rule sending there could put plaintext to a
 * protected group on the wire past the gem device. A netfilter egress
 * hook on the underlay lets nothing to a protected group leave but what
 * gem_send_xmit sealed, which it knows by identity: gem_send_xmit hands the
 * underlay one skb at a time on this CPU and names it in a per-CPU
 * pointer no one else writes. IGMP and MLD, the group's signalling, pass.
 */

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/udp.h>

#include "device.h"
#include "netlink.h"
#include "send.h"

/* The skb gem_send_xmit is handing the underlay on this CPU, for the egress guard. */
static DEFINE_PER_CPU(const struct sk_buff *, gem_tx_sealed);

/* The stream of a packet at skb->data, and its group; under RCU. */
static struct gem_group *gem_tx_classify(struct gem_dev *gem, struct sk_buff *skb,
					 struct gem_stream_id *id)
{
	memset(id, 0, sizeof(*id));
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->protocol != IPPROTO_UDP)
			return NULL;
		id->family = AF_INET;
		id->src.v4 = ip_hdr(skb)->saddr;
		id->group.v4 = ip_hdr(skb)->daddr;
		break;
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->nexthdr != IPPROTO_UDP)
			return NULL;
		id->family = AF_INET6;
		id->src.v6 = ipv6_hdr(skb)->saddr;
		id->group.v6 = ipv6_hdr(skb)->daddr;
		break;
	default:
		return NULL;
	}
	return gem_keys_group_find(&gem->keys, id->family, &id->group);
}

/*
 * An IGMP report, or an MLD one (which the stack sends behind a hop-by-hop
 * router alert): gem0's memberships changed or are being refreshed.
 */
static bool gem_tx_is_report(struct sk_buff *skb)
{
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		return pskb_may_pull(skb, sizeof(struct iphdr)) &&
		       ip_hdr(skb)->protocol == IPPROTO_IGMP;
	case htons(ETH_P_IPV6):
		return pskb_may_pull(skb, sizeof(struct ipv6hdr)) &&
		       ipv6_hdr(skb)->nexthdr == NEXTHDR_HOP;
	}
	return false;
}

/* The UDP checksum for the device the packet now leaves on. */
static void gem_tx_csum(struct sk_buff *skb, const struct gem_stream_id *id)
{
	int len = skb->len - skb_transport_offset(skb);

	if (id->family == AF_INET)
		udp_set_csum(false, skb, id->src.v4, id->group.v4, len);
	else
		udp6_set_csum(false, skb, &id->src.v6, &id->group.v6, len);
}

/**
 * gem_send_link_header - prepare a packet at its IP header to leave @dev
 * @skb: the packet
 * @dev: an Ethernet device, given a header to the group's multicast
 *	address, or a device without link-layer headers
 * @family: AF_INET or AF_INET6
 * @group: the packet's group
 *
 * Also makes the headroom @dev asks for, so a gem device seals in place.
 *
 * Return: 0 or a negative errno.
 */
int gem_send_link_header(struct sk_buff *skb, struct net_device *dev, u8 family,
			 const union gem_addr *group)
{
	u8 mac[ETH_ALEN];

	if (skb_cow_head(skb, LL_RESERVED_SPACE(dev)))
		return -ENOMEM;
	if (!dev->header_ops)
		return 0;
	if (family == AF_INET)
		ip_eth_mc_map(group->v4, mac);
	else
		ipv6_eth_mc_map(&group->v6, mac);
	return dev_hard_header(skb, dev, ntohs(skb->protocol), mac, NULL, skb->len) < 0
		? -EINVAL : 0;
}

/* After the AEAD, sync or async: the GAK tag, the checksum, the underlay. */
static void gem_send_post(struct gem_crypto_op *op, int err)
{
	struct gem_tx_stream *tx = op->stream;
	struct sk_buff *skb = op->skb;
	struct gem_dev *gem = op->gem;
	unsigned int len = op->len;
	struct gem_group *group;
	enum gem_drop why;

	why = gem_crypto_busy(err) ? GEM_DROP_TX_AEAD_BUSY : GEM_DROP_MAX;
	if (err)
		goto drop;
	/*
	 * A packet that went asynchronous finds its group again: the group's
	 * tag key may have been replaced meanwhile, and receivers check the
	 * new one now.
	 */
	rcu_read_lock();
	group = op->held ? gem_keys_group_find(&gem->keys, op->id.family, &op->id.group)
			 : op->group;
	if (!group) {
		rcu_read_unlock();
		why = GEM_DROP_TX_NOT_PROTECTED;
		goto drop;
	}
	err = gem_crypto_seal_finish(op, &group->tk);
	rcu_read_unlock();
	if (err)
		goto drop;

	skb_scrub_packet(skb, false);
	skb->dev = gem->underlay;
	gem_tx_csum(skb, &op->id);
	if (gem_send_link_header(skb, gem->underlay, op->id.family, &op->id.group))
		goto drop;
	gem_keys_stream_count(tx, len);
	dev_sw_netstats_tx_add(gem->dev, 1, len);
	/* Bottom halves are off in a post function: this CPU until it returns. */
	this_cpu_write(gem_tx_sealed, skb);
	dev_queue_xmit(skb);
	this_cpu_write(gem_tx_sealed, NULL);
	gem_dev_op_done(op);
	return;

drop:
	if (why != GEM_DROP_MAX)
		gem_drop_count(gem->drops, why);
	dev_core_stats_tx_dropped_inc(gem->dev);
	kfree_skb(skb);
	gem_dev_op_done(op);
}

/**
 * gem_send_xmit() - ndo_start_xmit of a gem device: seals and sends
 * @skb: the packet
 * @dev: the gem device
 *
 * Return: NETDEV_TX_OK.
 */
netdev_tx_t gem_send_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct gem_dev *gem = netdev_priv(dev);
	struct gem_crypto_op *op;
	struct gem_tx_stream *tx;
	struct gem_stream_id id;
	struct gem_group *group;
	unsigned int len = skb->len;
	enum gem_drop why;
	int err;
	u64 pn;

	/*
	 * Sent back here from the underlay by tc (a mirred loop, which marks
	 * skb_iif): sealed again and again, each pass from a completion with
	 * the nesting limits reset, it would not end. Nothing else from the
	 * underlay may leave here either: what arrives there for a protected
	 * group is taken on receive, and the rest is not protected.
	 */
	why = GEM_DROP_MAX;
	if (skb->skb_iif == gem->underlay->ifindex)
		goto drop_unlocked;

	rcu_read_lock();
	skb_reset_network_header(skb);
	why = GEM_DROP_TX_NOT_PROTECTED;
	group = gem_tx_classify(gem, skb, &id);
	if (!group) {
		if (gem_tx_is_report(skb))
			gem_mirror_kick(&gem->mirror);
		goto drop;
	}
	why = GEM_DROP_TX_NO_KEY;
	tx = gem_keys_tx_find(&gem->keys, &id);
	if (!tx) {
		gem_nl_keys_notify_missing(gem, true, &id);
		goto drop;
	}
	/* Never reuse a nonce: a key that ran out seals no more. */
	pn = atomic64_inc_return(&tx->next_pn) - 1;
	why = GEM_DROP_MAX;	/* counted as tx_dropped only */
	if (pn >= GEM_PN_INVALID)
		goto drop;
	if (skb->ip_summed == CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_NONE;	/* sealing rewrites the checksum */
	op = gem_crypto_seal_prepare(skb, &tx->sek, pn);
	if (IS_ERR(op))
		goto drop;
	op->post = gem_send_post;
	op->gem = gem;
	op->stream = tx;
	op->group = group;
	op->id = id;
	op->len = len;
	/* A stream on its way out seals no more; nor a device too busy. */
	if (tx->sek.async && !gem_dev_op_hold(op, &err)) {
		why = gem_crypto_busy(err) ? GEM_DROP_TX_AEAD_BUSY : GEM_DROP_MAX;
		gem_crypto_op_free(op);
		goto drop;
	}
	/* The post function runs here if the AEAD is done at once, under RCU. */
	gem_crypto_submit(op);
	rcu_read_unlock();
	return NETDEV_TX_OK;

drop:
	rcu_read_unlock();
drop_unlocked:
	if (why != GEM_DROP_MAX)
		gem_drop_count(gem->drops, why);
	dev_core_stats_tx_dropped_inc(dev);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/*
 * The underlay's egress: what goes to a protected group and was not
 * sealed by gem_send_xmit just now is dropped and counted.
 */
static unsigned int gem_tx_guard(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct gem_dev *gem = priv;
	bool udp;

	if (this_cpu_read(gem_tx_sealed) == skb)
		return NF_ACCEPT;
	/* Another VLAN is another network; its own device is not the underlay. */
	if (skb_vlan_tag_present(skb) && skb_vlan_tag_get_id(skb))
		return NF_ACCEPT;
	/* Here skb->data is at the link-layer header, if the underlay has one. */
	if (!gem_keys_group_of(&gem->keys, skb, gem->underlay->header_ops ? ETH_HLEN : 0, &udp))
		return NF_ACCEPT;
	gem_drop_count(gem->drops, GEM_DROP_TX_UNSEALED);
	return NF_DROP;
}

/**
 * gem_send_guard_register() - hooks the egress guard into a gem device's underlay
 * @gem: the gem device
 *
 * Return: 0 or a negative errno.
 */
int gem_send_guard_register(struct gem_dev *gem)
{
	gem->tx_guard = (struct nf_hook_ops){
		.hook		= gem_tx_guard,
		.pf		= NFPROTO_NETDEV,
		.hooknum	= NF_NETDEV_EGRESS,
		.dev		= gem->underlay,
		.priv		= gem,
		.priority	= INT_MAX,	/* last: after every rule that may change it */
	};
	return nf_register_net_hook(dev_net(gem->underlay), &gem->tx_guard);
}

/**
 * gem_send_guard_unregister() - unhooks it
 * @gem: the gem device
 */
void gem_send_guard_unregister(struct gem_dev *gem)
{
	nf_unregister_net_hook(dev_net(gem->underlay), &gem->tx_guard);
}
