/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Babel neighbour's link quality (RFC 8966 appendix A): the history of
 * its multicast Hellos gives our receive cost, its IHUs give our transmit
 * cost, and the two make the link's cost, by the 2-out-of-3 rule babeld
 * uses on wired links.
 */
#ifndef GEM_BABEL_NEIGH_H
#define GEM_BABEL_NEIGH_H

#include <stdbool.h>
#include <stdint.h>

#define BABEL_COST_INFINITY	0xffff
#define BABEL_WIRED_RXCOST	96

struct babel_neigh {
	uint16_t history;		/* bit 15: the latest Hello; 1 heard, 0 missed */
	uint16_t expected;		/* the seqno of the next Hello */
	bool have_expected;
	uint16_t hello_interval_cs;	/* as the neighbour announced it */
	uint64_t hello_due_ms;		/* after this, the next Hello counts as missed */
	uint16_t txcost;		/* from its IHU; infinite until one arrives */
	uint64_t ihu_expires_ms;
	uint16_t nominal_rxcost;
};

void babel_neigh_init(struct babel_neigh *n, uint16_t nominal_rxcost);
/* A multicast Hello with this seqno and interval (centiseconds) arrived. */
void babel_neigh_hello(struct babel_neigh *n, uint16_t seqno, uint16_t interval_cs,
		       uint64_t now_ms);
/* An IHU about us arrived: the neighbour's receive cost and IHU interval. */
void babel_neigh_ihu(struct babel_neigh *n, uint16_t rxcost, uint16_t interval_cs,
		     uint64_t now_ms);
/* Time passes: overdue Hellos count as missed, a stale IHU expires. */
void babel_neigh_tick(struct babel_neigh *n, uint64_t now_ms);

uint16_t babel_neigh_rxcost(const struct babel_neigh *n);
uint16_t babel_neigh_cost(const struct babel_neigh *n);
/* Nothing heard for 16 Hello intervals and no IHU: forget it. */
bool babel_neigh_gone(const struct babel_neigh *n);

#endif /* GEM_BABEL_NEIGH_H */
