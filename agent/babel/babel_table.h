/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Babel's route table (RFC 8966 sections 3.5 to 3.7): routes learned
 * from neighbours, the source table of feasibility distances that keeps
 * them loop-free, and the selection of the best feasible route per
 * prefix.
 */
#ifndef GEM_BABEL_TABLE_H
#define GEM_BABEL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BABEL_ROUTES_MAX	4096

struct babel_prefix {
	uint8_t addr[16];	/* IPv4 in the first 4 bytes */
	uint8_t plen;
	uint8_t v4;
};

struct babel_route {
	bool used;
	struct babel_prefix prefix;
	unsigned int neigh;		/* the neighbour it came from (the caller's index) */
	uint8_t router_id[8];
	uint16_t seqno;
	uint16_t metric;		/* as advertised */
	uint16_t cost;			/* the link's, to that neighbour */
	uint8_t next_hop[16];
	uint64_t expires_ms;
	bool selected;
};

struct babel_source {
	bool used;
	struct babel_prefix prefix;
	uint8_t router_id[8];
	uint16_t seqno;
	uint16_t metric;		/* the feasibility distance */
	uint64_t expires_ms;
};

struct babel_table {
	struct babel_route routes[BABEL_ROUTES_MAX];
	struct babel_source sources[BABEL_ROUTES_MAX];
};

/* a + b, saturating at infinity. */
uint16_t babel_metric_add(uint16_t a, uint16_t b);

/*
 * The feasibility condition: an update (router-id, seqno, metric) for a
 * prefix is feasible unless the source table holds a distance for it
 * that is newer, or as new and no worse. Retractions always are.
 */
bool babel_feasible(const struct babel_table *t, const struct babel_prefix *p,
		    const uint8_t *router_id, uint16_t seqno, uint16_t metric);

enum babel_update_result {
	BABEL_UPDATE_IGNORED,	/* unfeasible and not from the selected route's neighbour */
	BABEL_UPDATE_STORED,	/* stored; the selection did not change */
	BABEL_UPDATE_SELECTED,	/* the selected route for the prefix changed: tell neighbours */
	BABEL_UPDATE_FULL,
};

/*
 * An Update from neighbour neigh over a link of this cost. An unfeasible
 * update is still stored (so a better one later can replace it) but never
 * selected, as RFC 8966 3.5.4 allows.
 */
enum babel_update_result babel_table_update(struct babel_table *t, const struct babel_prefix *p,
					    unsigned int neigh, uint16_t cost,
					    const uint8_t *router_id, uint16_t seqno,
					    uint16_t metric, const uint8_t *next_hop,
					    uint64_t expires_ms);

/* The selected route for a prefix, or NULL. */
const struct babel_route *babel_table_selected(const struct babel_table *t,
					       const struct babel_prefix *p);

/*
 * A neighbour is gone or its cost changed: its routes follow; returns
 * how many prefixes changed their selection.
 */
unsigned int babel_table_neigh_cost(struct babel_table *t, unsigned int neigh, uint16_t cost);

/* Routes past their expiry retract; returns how many selections changed. */
unsigned int babel_table_expire(struct babel_table *t, uint64_t now_ms);

/* Serial comparison of 16-bit seqnos: a is newer than b. */
bool babel_seqno_newer(uint16_t a, uint16_t b);

#endif /* GEM_BABEL_TABLE_H */
