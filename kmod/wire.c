// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the sealed packet's header, written and read, and the packet
 * around it located.
 *
 * The header is version and flags, the key id, and a 64-bit packet
 * number (see Documentation/gem/wire-format.rst). A receiver must refuse
 * anything it cannot account for before spending crypto on it: a short
 * payload, another version, a flag it does not know.
 */

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <linux/udp.h>
#include <net/ip.h>

#include "compat.h"
#include "replay.h"
#include "wire.h"

static_assert(sizeof(struct gem_wire_hdr) == GEM_WIRE_HDR_LEN);

/**
 * gem_wire_put_hdr() - writes a sealed packet's GEM header
 * @buf: where the header goes
 * @key_id: the key id
 * @pn: the packet number
 */
void gem_wire_put_hdr(void *buf, u8 key_id, u64 pn)
{
	struct gem_wire_hdr *h = buf;

	h->ver_flags = GEM_WIRE_VERSION << 4;
	h->key_id = key_id;
	put_unaligned_be64(pn, h->pn);
}

/**
 * gem_wire_parse() - reads and checks a sealed UDP payload's GEM header
 * @payload: the UDP payload
 * @len: its length
 * @w: filled in on success
 *
 * Return: 0, -EBADMSG for a short payload or an invalid packet number,
 * or -EPROTONOSUPPORT for another version.
 */
int gem_wire_parse(const void *payload, unsigned int len, struct gem_wire *w)
{
	const struct gem_wire_hdr *h = payload;

	if (len < GEM_OVERHEAD)
		return -EBADMSG;
	if (h->ver_flags != GEM_WIRE_VERSION << 4)
		return -EPROTONOSUPPORT;
	w->key_id = h->key_id;
	w->pn = get_unaligned_be64(h->pn);
	if (w->pn == GEM_PN_INVALID)
		return -EBADMSG;
	w->text_len = len - GEM_OVERHEAD;
	return 0;
}

/**
 * gem_wire_nonce() - the AEAD nonce of a packet
 * @nonce: where the nonce goes
 * @key_id: the key id of the packet
 * @pn: the packet number
 *
 * The AEAD nonce: the key id, three zero bytes, the packet number. One
 * sender per key and a packet number that only grows make it unique.
 */
void gem_wire_nonce(u8 nonce[GEM_NONCE_LEN], u8 key_id, u64 pn)
{
	nonce[0] = key_id;
	memset(nonce + 1, 0, 3);
	put_unaligned_be64(pn, nonce + 4);
}

/**
 * gem_wire_udp_locate() - find a packet's UDP header
 * @skb: an IPv4 or IPv6 packet at skb->data, trimmed to its IP length
 * @extra: bytes past the UDP header that must be in the linear area
 * @nhlen: set to the bytes from the network header to the UDP header
 *
 * Checks that the UDP length spans the rest of the packet, and sets the
 * skb's network and transport headers. Fragments and IPv6 extension
 * headers are not handled: GEM seals whole UDP datagrams.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int gem_wire_udp_locate(struct sk_buff *skb, unsigned int extra, unsigned int *nhlen)
{
	const struct udphdr *uh;

	if (!pskb_may_pull(skb, 1))
		return -EINVAL;
	switch (skb->data[0] >> 4) {
	case 4: {
		const struct iphdr *iph;

		if (!pskb_may_pull(skb, sizeof(*iph)))
			return -EINVAL;
		iph = (const struct iphdr *)skb->data;
		if (iph->ihl < 5 || iph->protocol != IPPROTO_UDP ||
		    ip_is_fragment(iph) || ntohs(iph->tot_len) != skb->len)
			return -EINVAL;
		*nhlen = iph->ihl * 4;
		break;
	}
	case 6: {
		const struct ipv6hdr *ip6h;

		if (!pskb_may_pull(skb, sizeof(*ip6h)))
			return -EINVAL;
		ip6h = (const struct ipv6hdr *)skb->data;
		if (ip6h->nexthdr != IPPROTO_UDP ||
		    ntohs(ip6h->payload_len) + sizeof(*ip6h) != skb->len)
			return -EINVAL;
		*nhlen = sizeof(*ip6h);
		break;
	}
	default:
		return -EINVAL;
	}
	if (!pskb_may_pull(skb, *nhlen + sizeof(*uh) + extra))
		return -EINVAL;
	uh = (const struct udphdr *)(skb->data + *nhlen);
	if (ntohs(uh->len) != skb->len - *nhlen)
		return -EINVAL;
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, *nhlen);
	return 0;
}

/**
 * gem_wire_parse_sealed() - read a sealed packet's addresses and GEM header
 * @skb: an IPv4 or IPv6 packet at skb->data, trimmed to its IP length
 * @p: filled in on success
 *
 * Return: 0, or -EINVAL for a packet that is not a well-formed sealed
 * UDP datagram.
 */
int gem_wire_parse_sealed(struct sk_buff *skb, struct gem_pkt *p)
{
	const struct udphdr *uh;

	if (gem_wire_udp_locate(skb, GEM_WIRE_HDR_LEN, &p->nhlen))
		return -EINVAL;
	uh = udp_hdr(skb);
	if (gem_wire_parse(uh + 1, ntohs(uh->len) - sizeof(*uh), &p->w))
		return -EINVAL;
	if (ip_hdr(skb)->version == 4) {
		p->family = AF_INET;
		p->src.v4 = ip_hdr(skb)->saddr;
		p->dst.v4 = ip_hdr(skb)->daddr;
	} else {
		p->family = AF_INET6;
		p->src.v6 = ipv6_hdr(skb)->saddr;
		p->dst.v6 = ipv6_hdr(skb)->daddr;
	}
	p->ports[0] = uh->source;
	p->ports[1] = uh->dest;
	return 0;
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/wire_test.c"
#endif
