// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: sealed packets arriving on the underlay.
 *
 * A netfilter ingress hook on the underlay sees every packet before IP
 * does. UDP to a protected group is GEM's: it is checked (GAK tag first,
 * the cheap reject of non-members; then key, replay window, AEAD), and
 * either delivered, opened, as received on the gem device, or dropped and
 * counted. Nothing addressed to a protected group continues on the
 * underlay, so no plaintext, and nothing unchecked, reaches a socket or
 * the forwarding path from there. Everything else passes untouched.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "device.h"
#include "netlink.h"
#include "receive.h"

/* The group of a UDP packet to a protected group, or NULL; under RCU. */
static struct gem_group *gem_rx_protected(struct gem_dev *gem, struct sk_buff *skb)
{
	union gem_addr group;

	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    !ipv4_is_multicast(ip_hdr(skb)->daddr) ||
		    ip_hdr(skb)->protocol != IPPROTO_UDP)
			return NULL;
		group.v4 = ip_hdr(skb)->daddr;
		return gem_group_find(&gem->keys, AF_INET, &group);
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    !ipv6_addr_is_multicast(&ipv6_hdr(skb)->daddr))
			return NULL;
		/* Any next header: UDP hidden behind an extension is dropped below. */
		group.v6 = ipv6_hdr(skb)->daddr;
		return gem_group_find(&gem->keys, AF_INET6, &group);
	}
	return NULL;
}

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

static unsigned int gem_rx_hook(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct gem_dev *gem = priv;
	struct gem_rx_stream *rx;
	struct gem_stream_id id;
	struct gem_group *group;
	struct gem_pkt p;
	unsigned int len;
	enum gem_drop why;

	group = gem_rx_protected(gem, skb);
	if (!group)
		return NF_ACCEPT;

	why = GEM_DROP_RX_MALFORMED;
	skb_reset_network_header(skb);
	if (skb_is_gso(skb) || gem_rx_trim(skb) || gem_parse_sealed(skb, &p))
		goto drop;
	why = GEM_DROP_RX_BAD_TAG;
	if (!gem_tag_ok(skb, &p, &group->tk))
		goto drop;

	memset(&id, 0, sizeof(id));
	id.family = p.family;
	id.key_id = p.w.key_id;
	memcpy(&id.src, &p.src, sizeof(id.src));
	memcpy(&id.group, &p.dst, sizeof(id.group));
	why = GEM_DROP_RX_UNKNOWN_KEY;
	rx = gem_rx_find(&gem->keys, &id);
	if (!rx) {
		gem_nl_notify_key_missing(gem, false, &id);
		goto drop;
	}
	why = GEM_DROP_RX_REPLAY;
	if (!gem_replay_check(&rx->replay, p.w.pn))
		goto drop;
	why = GEM_DROP_RX_BAD_TAG;
	if (gem_open(skb, &p, &rx->sek))
		goto drop;
	why = GEM_DROP_RX_REPLAY;
	if (!gem_replay_commit(&rx->replay, p.w.pn))
		goto drop;

	/* The original datagram, as if it had arrived on the gem device. */
	len = skb->len;
	skb_scrub_packet(skb, true);
	skb->dev = gem->dev;
	skb->skb_iif = gem->dev->ifindex;
	skb->pkt_type = PACKET_MULTICAST;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	atomic64_inc(&rx->stats.packets);
	atomic64_add(len, &rx->stats.bytes);
	dev_sw_netstats_rx_add(gem->dev, len);
	netif_rx(skb);
	return NF_STOLEN;

drop:
	gem_drop_count(gem->drops, why);
	dev_core_stats_rx_dropped_inc(gem->dev);
	return NF_DROP;
}

int gem_rx_hook_register(struct gem_dev *gem)
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

void gem_rx_hook_unregister(struct gem_dev *gem)
{
	nf_unregister_net_hook(dev_net(gem->underlay), &gem->rx_hook);
}
