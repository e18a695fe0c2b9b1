// SPDX-License-Identifier: GPL-2.0
/*
 * The Babel speaker's neighbours: a slot for each (made by a Hello, or
 * under MACs by any packet with a good one), the Hellos and IHUs we send
 * and hear (babel_neigh.c turns them into a link cost), RFC 8967's
 * challenges, and neighbours gone silent forgotten.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "babel_int.h"
#include "gemd/events.h"
#include "lib/log.h"

/*
 * A Challenge Request (our nonce for p) or Reply (echoing nonce) to p:
 * unicast, as RFC 8967 has it, or to ff02::1:6 where gemd's ESP carries
 * no unicast (the nonce binds it to its requester, the MAC and source to
 * its sender).
 */
static void send_challenge(struct babel *b, struct babel_peer *p, uint8_t type,
			   const uint8_t *nonce, size_t len)
{
	uint8_t pkt[512];
	struct babel_writer w;

	babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
	if (babel_write_raw(&w, type, nonce, len))
		return;
	babel_iface_send_to(b, &b->ifaces[p->iface], b->mac_multicast ? NULL : p->addr, pkt,
			    babel_writer_finish(&w));
}

/* A Hello, and on every third one an IHU for each neighbour of the interface. */
void babel_peer_send_hello(struct babel *b, unsigned int fi)
{
	struct babel_iface *f = &b->ifaces[fi];
	struct babel_tlv t = { .type = BABEL_HELLO };
	struct babel_writer w;
	uint8_t pkt[BABEL_PACKET_MAX];
	unsigned int i;

	babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
	t.u.hello.seqno = f->hello_seqno++;
	t.u.hello.interval = (uint16_t)((f->hello_ms + 9) / 10);
	babel_write_tlv(&w, &t);
	if (!f->hellos) {
		/*
		 * Just started: ask the neighbours for everything at once (a
		 * wildcard Route Request, which babeld answers too, and a GEM
		 * Request for every item) rather than wait for their next dump.
		 */
		memset(&t, 0, sizeof(t));
		t.type = BABEL_ROUTE_REQ;
		t.u.route_req.ae = BABEL_AE_WILDCARD;
		babel_write_tlv(&w, &t);
		babel_items_ask_all(&w);
	}
	if (f->hellos++ % 3 == 0) {
		for (i = 0; i < BABEL_PEERS_MAX; i++) {
			struct babel_peer *p = &b->peers[i];

			if (!p->used || p->iface != fi)
				continue;
			memset(&t, 0, sizeof(t));
			t.type = BABEL_IHU;
			t.u.ihu.ae = BABEL_AE_LL;
			t.u.ihu.rxcost = babel_neigh_rxcost(&p->n);
			t.u.ihu.interval = (uint16_t)((3 * f->hello_ms + 9) / 10);
			memcpy(t.u.ihu.addr, p->addr, 16);
			if (babel_write_tlv(&w, &t))
				break;
		}
	}
	babel_iface_send(b, f, pkt, babel_writer_finish(&w));
}

/*
 * The neighbour a packet came from. Only a packet with a Hello makes a
 * new one (under MACs, any packet with a good MAC: it may answer our
 * challenge); when all slots are taken, one that never became a
 * neighbour (no two-way link yet) gives its slot up, so senders of bare
 * Hellos cannot crowd real neighbours out. Under MACs only one that has
 * not answered a challenge gives way, the one made longest ago: replays
 * of recorded packets, which cannot answer, cannot evict a neighbour
 * that did, nor one that is answering now.
 */
struct babel_peer *babel_peer_of(struct babel *b, unsigned int fi, const uint8_t *addr,
				 bool hello, uint64_t now_ms)
{
	struct babel_peer *free_slot = NULL, *stranger = NULL;
	unsigned int i;

	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		struct babel_peer *p = &b->peers[i];

		if (p->used && p->iface == fi && !memcmp(p->addr, addr, 16))
			return p;
		if (!p->used && !free_slot)
			free_slot = p;
		if (!p->used || babel_neigh_cost(&p->n) != BABEL_COST_INFINITY ||
		    (b->mac && p->mac.index_len >= 0))
			continue;
		if (!stranger || p->made_ms < stranger->made_ms)
			stranger = p;
	}
	if (!hello)
		return NULL;
	if (!free_slot)
		free_slot = stranger;
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->used = true;
		free_slot->iface = fi;
		memcpy(free_slot->addr, addr, 16);
		babel_neigh_init(&free_slot->n, BABEL_WIRED_RXCOST);
		babel_mac_peer_init(&free_slot->mac);
		free_slot->logged_cost = BABEL_COST_INFINITY;
		free_slot->made_ms = now_ms;
		/*
		 * A new neighbour (a node restarted, say) hears everything
		 * soon, after a Hello of ours: it takes packets only from nodes
		 * that said Hello, and ours might not have reached it yet. Made
		 * up neighbours by the hundred still cause one dump a second.
		 * Under MACs, once it answered our challenge (mac_fresh): a
		 * replay never does.
		 */
		if (!b->mac)
			babel_iface_full_dump_soon(b, fi, now_ms);
		free_slot->answer_bytes = BABEL_ANSWER_BURST;
		free_slot->answer_ms = now_ms;
	}
	return free_slot;
}

/*
 * The packet counters' verdict on a packet of p with a good MAC, and the
 * challenges it calls for sent: true if it is to be processed.
 */
bool babel_peer_mac_fresh(struct babel *b, struct babel_peer *p, const uint8_t *pkt, size_t len,
			  bool multicast, uint64_t now_ms)
{
	struct babel_mac_verdict v;
	char a[INET6_ADDRSTRLEN];

	babel_mac_check(&p->mac, pkt, len, multicast,
			b->mac_multicast ? b->ifaces[p->iface].ll : NULL, now_ms, &v);
	if (v.request) {
		uint8_t nonce[BABEL_MAC_NONCE_TO_LEN];
		size_t nlen = 0;

		/*
		 * To all, under ESP: the nonce names whom it challenges, so
		 * that only it answers; random, and good for one answer.
		 */
		if (b->mac_multicast) {
			memcpy(nonce, p->addr, 16);
			nlen = 16;
		}
		randombytes_buf(nonce + nlen, BABEL_MAC_NONCE_LEN);
		nlen += BABEL_MAC_NONCE_LEN;
		babel_mac_challenged(&p->mac, nonce, nlen, now_ms + BABEL_MAC_DEADLINE_MS);
		send_challenge(b, p, BABEL_TLV_CHALLENGE_REQ, nonce, nlen);
	}
	if (v.reply)
		send_challenge(b, p, BABEL_TLV_CHALLENGE_REPLY, v.reply, v.reply_len);
	/*
	 * A neighbour through a challenge is new or restarted: what it sent
	 * before (a restarted node's Requests for everything) was refused,
	 * so it hears everything now, as a new neighbour does.
	 */
	if (v.answered)
		babel_iface_full_dump_soon(b, p->iface, now_ms);
	if (v.accept)
		return true;
	if (v.replay)
		b->rx_replayed++;
	else
		b->rx_challenged++;
	inet_ntop(AF_INET6, p->addr, a, sizeof(a));
	gem_log(GEM_LOG_DEBUG, "%s: packet from %s dropped: %s", b->ifaces[p->iface].name, a,
		v.why);
	return false;
}

void babel_peer_log(struct babel *b, struct babel_peer *p)
{
	char a[INET6_ADDRSTRLEN], c[8];
	uint16_t cost = babel_neigh_cost(&p->n);

	if (cost == p->logged_cost)
		return;
	p->logged_cost = cost;
	if (babel_table_neigh_cost(b->table, (unsigned int)(p - b->peers), cost))
		babel_install_reconcile(b);
	inet_ntop(AF_INET6, p->addr, a, sizeof(a));
	gem_log(GEM_LOG_INFO, "neighbour %s on %s: rxcost %u txcost %u cost %u", a,
		b->ifaces[p->iface].name, babel_neigh_rxcost(&p->n), p->n.txcost, cost);
	snprintf(c, sizeof(c), "%u", cost);
	gemd_event("neighbour", "address", a, "dev", b->ifaces[p->iface].name, "cost", c, NULL);
}

void babel_peer_timers(struct babel *b, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		struct babel_peer *p = &b->peers[i];
		char a[INET6_ADDRSTRLEN];

		if (!p->used)
			continue;
		babel_neigh_tick(&p->n, now_ms);
		babel_peer_log(b, p);
		/*
		 * One we challenged stays to hear the answer, and one that
		 * answered to say Hello: under MACs its first packets, Hellos
		 * among them, were refused until it answered.
		 */
		if (babel_neigh_gone(&p->n) && !(b->mac && p->mac.deadline_ms > now_ms) &&
		    now_ms >= p->heard_ms + BABEL_PEER_GRACE_MS) {
			inet_ntop(AF_INET6, p->addr, a, sizeof(a));
			gem_log(GEM_LOG_INFO, "neighbour %s on %s gone", a,
				b->ifaces[p->iface].name);
			gemd_event("neighbour-gone", "address", a, "dev", b->ifaces[p->iface].name,
				   NULL);
			if (babel_table_neigh_cost(b->table, i, BABEL_COST_INFINITY))
				babel_install_reconcile(b);
			p->used = false;
		}
	}
}

void babel_peer_tlv(struct babel_rx *r, const struct babel_tlv *t)
{
	struct babel_iface *f = &r->b->ifaces[r->peer->iface];

	switch (t->type) {
	case BABEL_HELLO:
		/* Unicast Hellos are not part of the 2-out-of-3 history. */
		if (!(t->u.hello.flags & BABEL_HELLO_UNICAST))
			babel_neigh_hello(&r->peer->n, t->u.hello.seqno, t->u.hello.interval,
					  r->now_ms);
		break;
	case BABEL_IHU:
		/* Only an IHU about us: our address, or any (wildcard). */
		if (t->u.ihu.ae == BABEL_AE_WILDCARD || !memcmp(t->u.ihu.addr, f->ll, 16))
			babel_neigh_ihu(&r->peer->n, t->u.ihu.rxcost, t->u.ihu.interval, r->now_ms);
		break;
	}
}
