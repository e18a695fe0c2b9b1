// SPDX-License-Identifier: GPL-2.0
/*
 * Babel's route and source tables, fixed in size (nothing a neighbour
 * sends makes gemd allocate), searched linearly: a GEM domain announces
 * a route per node, not a routing table's worth.
 */
#include <string.h>

#include "babel_table.h"

#define INF	0xffff

uint16_t babel_metric_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return s >= INF ? INF : (uint16_t)s;
}

bool babel_seqno_newer(uint16_t a, uint16_t b)
{
	return a != b && (uint16_t)(a - b) < 0x8000;
}

static bool prefix_eq(const struct babel_prefix *a, const struct babel_prefix *b)
{
	return a->v4 == b->v4 && a->plen == b->plen && !memcmp(a->addr, b->addr, 16);
}

static struct babel_source *source_find(const struct babel_table *t, const struct babel_prefix *p,
					const uint8_t *router_id)
{
	unsigned int i;

	for (i = 0; i < BABEL_ROUTES_MAX; i++)
		if (t->sources[i].used && prefix_eq(&t->sources[i].prefix, p) &&
		    !memcmp(t->sources[i].router_id, router_id, 8))
			return (struct babel_source *)&t->sources[i];
	return NULL;
}

bool babel_feasible(const struct babel_table *t, const struct babel_prefix *p,
		    const uint8_t *router_id, uint16_t seqno, uint16_t metric)
{
	const struct babel_source *s;

	if (metric == INF)
		return true;
	s = source_find(t, p, router_id);
	return !s || babel_seqno_newer(seqno, s->seqno) ||
	       (seqno == s->seqno && metric < s->metric);
}

static uint16_t route_metric(const struct babel_route *r)
{
	return babel_metric_add(r->metric, r->cost);
}

/*
 * Chooses the best feasible route for a prefix and records its distance
 * in the source table; returns whether the selection changed.
 */
static bool reselect(struct babel_table *t, const struct babel_prefix *p)
{
	struct babel_route *best = NULL, *old = NULL;
	struct babel_source *s;
	unsigned int i;

	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		struct babel_route *r = &t->routes[i];

		if (!r->used || !prefix_eq(&r->prefix, p))
			continue;
		if (r->selected)
			old = r;
		r->selected = false;
		if (route_metric(r) == INF)
			continue;
		/* The selected route keeps its place; others must be feasible. */
		if (r != old && !babel_feasible(t, p, r->router_id, r->seqno, route_metric(r)))
			continue;
		if (!best || route_metric(r) < route_metric(best))
			best = r;
	}
	if (best) {
		best->selected = true;
		s = source_find(t, p, best->router_id);
		if (!s) {
			for (i = 0; i < BABEL_ROUTES_MAX && t->sources[i].used; i++)
				;
			if (i < BABEL_ROUTES_MAX) {
				s = &t->sources[i];
				s->used = true;
				s->prefix = *p;
				memcpy(s->router_id, best->router_id, 8);
				s->seqno = best->seqno;
				s->metric = route_metric(best);
			}
		} else if (babel_seqno_newer(best->seqno, s->seqno) ||
			   (best->seqno == s->seqno && route_metric(best) < s->metric)) {
			s->seqno = best->seqno;
			s->metric = route_metric(best);
		}
	}
	return best != old;
}

enum babel_update_result babel_table_update(struct babel_table *t, const struct babel_prefix *p,
					    unsigned int neigh, uint16_t cost,
					    const uint8_t *router_id, uint16_t seqno,
					    uint16_t metric, const uint8_t *next_hop,
					    uint64_t expires_ms)
{
	struct babel_route *r = NULL, *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		if (!t->routes[i].used) {
			if (!free_slot)
				free_slot = &t->routes[i];
			continue;
		}
		if (t->routes[i].neigh == neigh && prefix_eq(&t->routes[i].prefix, p))
			r = &t->routes[i];
	}
	if (!r) {
		if (metric == INF)
			return BABEL_UPDATE_IGNORED;	/* retracting what we never had */
		if (!free_slot)
			return BABEL_UPDATE_FULL;
		r = free_slot;
		memset(r, 0, sizeof(*r));
		r->used = true;
		r->prefix = *p;
		r->neigh = neigh;
	} else if (r->selected && memcmp(r->router_id, router_id, 8) &&
		   !babel_feasible(t, p, router_id, seqno, babel_metric_add(metric, cost))) {
		/* The selected route switching to an unfeasible source: a retraction. */
		metric = INF;
	}
	memcpy(r->router_id, router_id, 8);
	r->seqno = seqno;
	r->metric = metric;
	r->cost = cost;
	if (next_hop)
		memcpy(r->next_hop, next_hop, 16);
	r->expires_ms = expires_ms;
	return reselect(t, p) ? BABEL_UPDATE_SELECTED : BABEL_UPDATE_STORED;
}

const struct babel_route *babel_table_selected(const struct babel_table *t,
					       const struct babel_prefix *p)
{
	unsigned int i;

	for (i = 0; i < BABEL_ROUTES_MAX; i++)
		if (t->routes[i].used && t->routes[i].selected && prefix_eq(&t->routes[i].prefix, p))
			return &t->routes[i];
	return NULL;
}

unsigned int babel_table_neigh_cost(struct babel_table *t, unsigned int neigh, uint16_t cost)
{
	unsigned int i, changed = 0;

	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		struct babel_route *r = &t->routes[i];

		if (!r->used || r->neigh != neigh)
			continue;
		r->cost = cost;
		changed += reselect(t, &r->prefix);
		if (cost == INF)
			r->used = false;
	}
	return changed;
}

unsigned int babel_table_expire(struct babel_table *t, uint64_t now_ms)
{
	unsigned int i, changed = 0;

	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		struct babel_route *r = &t->routes[i];
		struct babel_prefix p;

		if (!r->used || now_ms < r->expires_ms)
			continue;
		/* Retracted first, so the selection sees it go; then freed. */
		p = r->prefix;
		r->metric = INF;
		changed += reselect(t, &p);
		r->used = false;
	}
	return changed;
}
