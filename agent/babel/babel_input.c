// SPDX-License-Identifier: GPL-2.0
/*
 * A Babel packet heard: whether it is taken (on one of our interfaces,
 * from a link-local source that is not ours, with a good MAC and a fresh
 * counter when MACs are on, whole), from which neighbour, and each of its
 * TLVs handed to the file that owns it.
 */
#include <string.h>

#include "babel_int.h"
#include "lib/log.h"

/* The first pass over a packet: is it whole, and does it say Hello. */
static int check_tlv(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	if (!in_trailer && t->type == BABEL_HELLO)
		*(bool *)arg = true;
	return 0;
}

/* Each TLV of a packet taken, to its owner. */
static int on_tlv(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	struct babel_rx *r = arg;

	if (in_trailer || t->ignore)
		return 0;
	switch (t->type) {
	case BABEL_HELLO:
	case BABEL_IHU:
		babel_peer_tlv(r, t);
		break;
	case BABEL_ROUTER_ID:
	case BABEL_NEXT_HOP:
	case BABEL_UPDATE:
	case BABEL_SEQNO_REQ:
	case BABEL_ROUTE_REQ:
		babel_update_tlv(r, t);
		break;
	case GEM_TLV_FRAGMENT:
	case GEM_TLV_REQUEST:
		babel_items_tlv(r, t);
		break;
	}
	return 0;
}

void babel_input(struct babel *b, unsigned int ifindex, const uint8_t *src, uint16_t sport,
		 const uint8_t *dst, const uint8_t *pkt, size_t n, uint64_t now_ms)
{
	struct babel_rx r = { .b = b, .now_ms = now_ms };
	const char *why;
	bool hello = false;
	unsigned int fi;

	if (b->silent) {
		b->rx_dropped++;
		return;
	}
	for (fi = 0; fi < b->n_ifaces && b->ifaces[fi].ifindex != ifindex; fi++)
		;
	/* Our own packets, put back on the wire by someone, are no neighbour's. */
	if (fi == b->n_ifaces || src[0] != 0xfe || (src[1] & 0xc0) != 0x80 ||
	    sport != BABEL_PORT || !memcmp(src, b->ifaces[fi].ll, 16)) {
		b->rx_dropped++;
		return;
	}
	/* Without a good MAC, nothing: not even a neighbour slot. */
	if (b->mac && babel_mac_verify(b->mac_key, src, dst, pkt, n)) {
		b->rx_bad_mac++;
		return;
	}
	/* A malformed packet is dropped whole: nothing in it takes effect. */
	if (babel_packet_parse(pkt, n, check_tlv, &hello, &why)) {
		gem_log(GEM_LOG_DEBUG, "%s: packet dropped: %s", b->ifaces[fi].name, why);
		b->rx_dropped++;
		return;
	}
	/* Under MACs any packet may make a neighbour: it may be a challenge's answer. */
	r.peer = babel_peer_of(b, fi, src, hello || b->mac, now_ms);
	memcpy(r.src, src, 16);
	memcpy(r.nh6, r.src, 16);
	if (!r.peer) {
		b->rx_dropped++;
		return;
	}
	if (b->mac && !babel_peer_mac_fresh(b, r.peer, pkt, n, dst[0] == 0xff, now_ms))
		return;
	r.peer->heard_ms = now_ms;
	babel_packet_parse(pkt, n, on_tlv, &r, &why);
	b->rx_packets++;
	babel_peer_log(b, r.peer);
	if (r.flood)
		babel_trigger(b, now_ms);
	babel_items_send_requests(b, fi);
	if (r.changed) {
		babel_install_reconcile(b);
		/* A triggered update: neighbours hear of the change now. */
		babel_trigger(b, r.now_ms);
	}
}
