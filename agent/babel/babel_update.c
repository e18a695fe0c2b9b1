// SPDX-License-Identifier: GPL-2.0
/*
 * Babel's Updates: our routes (those we announce, and the selected ones
 * we learned) sent in full dumps; Updates heard (with the Router-Id and
 * Next Hop they follow) going into the route table; Route Requests and
 * Seqno Requests answered.
 */
#include <stdlib.h>
#include <string.h>

#include "babel_int.h"

/*
 * One route in the dump, after a Router-Id TLV when the packet speaks for
 * another router so far; both in the next packet when this one is full.
 */
static void dump_route(struct babel_dump *d, const uint8_t *rid, const struct babel_prefix *p,
		       uint16_t seqno, uint16_t metric)
{
	struct babel_tlv id = { .type = BABEL_ROUTER_ID }, u = { .type = BABEL_UPDATE };
	int tries;

	memcpy(id.u.router_id.id, rid, 8);
	u.u.update.ae = p->v4 ? BABEL_AE_V4V6 : BABEL_AE_IPV6;
	u.u.update.plen = p->plen;
	u.u.update.interval = (uint16_t)((d->b->ifaces[d->fi].update_ms + 9) / 10);
	u.u.update.seqno = seqno;
	u.u.update.metric = metric;
	memcpy(u.u.update.prefix, p->addr, 16);
	for (tries = 0; tries < 2; tries++) {
		size_t mark = d->w.len;

		if ((!d->rid || memcmp(d->rid, rid, 8)) && babel_write_tlv(&d->w, &id)) {
			babel_dump_flush(d);
			continue;
		}
		if (babel_write_tlv(&d->w, &u)) {
			d->w.len = mark;
			babel_dump_flush(d);
			continue;
		}
		d->rid = rid;
		return;
	}
}

/* A full dump of our routes on one interface, GEM's items with them. */
void babel_update_send(struct babel *b, unsigned int fi, uint64_t now_ms)
{
	struct babel_dump *d = babel_dump_new(b, fi);
	unsigned int i;

	if (!d)
		return;
	for (i = 0; i < b->n_announce; i++)
		dump_route(d, b->router_id, &b->announce[i], b->seqno, 0);
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		const struct babel_route *r = &b->table->routes[i];

		if (r->used && r->selected)
			dump_route(d, r->router_id, &r->prefix, r->seqno,
				   babel_metric_add(r->metric, r->cost));
	}
	babel_items_update(d, now_ms);
	babel_dump_flush(d);
	free(d);
}

static void on_update(struct babel_rx *r, const struct babel_tlv *t)
{
	struct babel *b = r->b;
	unsigned int neigh = (unsigned int)(r->peer - b->peers);
	struct babel_prefix p = { 0 };
	uint64_t hold;

	if (t->u.update.flags & BABEL_UPDATE_DEFAULT_RID) {
		memset(r->rid, 0, 8);
		if (t->u.update.ae == BABEL_AE_IPV6)
			memcpy(r->rid, t->u.update.prefix + 8, 8);
		else
			memcpy(r->rid + 4, t->u.update.prefix, 4);
		r->have_rid = true;
	}
	if (t->u.update.ae == BABEL_AE_WILDCARD) {
		/* Everything this neighbour told us is retracted. */
		r->changed |= babel_table_neigh_cost(b->table, neigh, BABEL_COST_INFINITY) > 0;
		return;
	}
	/* IPv4 via an IPv4 next hop needs an IPv4 address on the link: not kept. */
	if (!r->have_rid || t->u.update.ae == BABEL_AE_IPV4 || !memcmp(r->rid, b->router_id, 8))
		return;
	p.v4 = t->u.update.ae == BABEL_AE_V4V6;
	p.plen = t->u.update.plen;
	memcpy(p.addr, t->u.update.prefix, 16);
	/* RFC 8966: a route holds for 3.5 of its update intervals. */
	hold = (uint64_t)t->u.update.interval * 35;
	if (babel_table_update(b->table, &p, neigh, babel_neigh_cost(&r->peer->n), r->rid,
			       t->u.update.seqno, t->u.update.metric, r->nh6,
			       r->now_ms + (hold ? hold : 60000)) == BABEL_UPDATE_SELECTED)
		r->changed = true;
}

void babel_update_tlv(struct babel_rx *r, const struct babel_tlv *t)
{
	switch (t->type) {
	case BABEL_ROUTER_ID:
		memcpy(r->peer->router_id, t->u.router_id.id, 8);
		r->peer->have_router_id = true;
		memcpy(r->rid, t->u.router_id.id, 8);
		r->have_rid = true;
		break;
	case BABEL_NEXT_HOP:
		if (t->u.next_hop.ae == BABEL_AE_IPV6 || t->u.next_hop.ae == BABEL_AE_LL)
			memcpy(r->nh6, t->u.next_hop.addr, 16);
		break;
	case BABEL_UPDATE:
		on_update(r, t);
		break;
	case BABEL_SEQNO_REQ:
		/* Asked for a newer version of our own routes: make one, send it. */
		if (!memcmp(t->u.seqno_req.router_id, r->b->router_id, 8) &&
		    !babel_seqno_newer(r->b->seqno, t->u.seqno_req.seqno)) {
			r->b->seqno = (uint16_t)(t->u.seqno_req.seqno + 1);
			babel_trigger(r->b, r->now_ms);
		}
		break;
	case BABEL_ROUTE_REQ:
		/* A wildcard request: a full dump, soon. */
		if (t->u.route_req.ae == BABEL_AE_WILDCARD)
			babel_iface_full_dump_soon(r->b, r->peer->iface, r->now_ms);
		break;
	}
}
