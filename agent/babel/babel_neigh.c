// SPDX-License-Identifier: GPL-2.0
/*
 * A Babel neighbour's Hello history and costs (RFC 8966 A.1, A.2.1).
 */
#include <string.h>

#include "babel_neigh.h"

void babel_neigh_init(struct babel_neigh *n, uint16_t nominal_rxcost)
{
	memset(n, 0, sizeof(*n));
	n->txcost = BABEL_COST_INFINITY;
	n->nominal_rxcost = nominal_rxcost;
}

/* A missed Hello's interval, and then some, before it counts as missed. */
static uint64_t hello_grace_ms(uint16_t interval_cs)
{
	return (uint64_t)interval_cs * 10 * 3 / 2;
}

void babel_neigh_hello(struct babel_neigh *n, uint16_t seqno, uint16_t interval_cs,
		       uint64_t now_ms)
{
	if (n->have_expected) {
		uint16_t ahead = (uint16_t)(seqno - n->expected);

		if (ahead <= 16) {
			/* Hellos between expected and seqno were missed. */
			n->history = ahead >= 16 ? 0 : (uint16_t)(n->history >> ahead);
		} else {
			/* Far behind or ahead: the neighbour restarted; start over. */
			n->history = 0;
		}
	}
	n->history = (uint16_t)(n->history >> 1 | 0x8000);
	n->expected = (uint16_t)(seqno + 1);
	n->have_expected = true;
	n->hello_interval_cs = interval_cs;
	n->hello_due_ms = interval_cs ? now_ms + hello_grace_ms(interval_cs) : 0;
}

void babel_neigh_ihu(struct babel_neigh *n, uint16_t rxcost, uint16_t interval_cs,
		     uint64_t now_ms)
{
	n->txcost = rxcost;
	/* RFC 8966: an IHU holds for 3.5 of its intervals. */
	n->ihu_expires_ms = interval_cs ? now_ms + (uint64_t)interval_cs * 35 : UINT64_MAX;
}

void babel_neigh_tick(struct babel_neigh *n, uint64_t now_ms)
{
	while (n->hello_due_ms && now_ms >= n->hello_due_ms && n->history) {
		n->history >>= 1;
		n->expected++;
		n->hello_due_ms += (uint64_t)n->hello_interval_cs * 10;
	}
	if (n->txcost != BABEL_COST_INFINITY && now_ms >= n->ihu_expires_ms)
		n->txcost = BABEL_COST_INFINITY;
}

uint16_t babel_neigh_rxcost(const struct babel_neigh *n)
{
	unsigned int heard = !!(n->history & 0x8000) + !!(n->history & 0x4000) +
			     !!(n->history & 0x2000);

	return heard >= 2 ? n->nominal_rxcost : BABEL_COST_INFINITY;
}

uint16_t babel_neigh_cost(const struct babel_neigh *n)
{
	if (babel_neigh_rxcost(n) == BABEL_COST_INFINITY || n->txcost == BABEL_COST_INFINITY)
		return BABEL_COST_INFINITY;
	return n->txcost;
}

bool babel_neigh_gone(const struct babel_neigh *n)
{
	return !n->history && n->txcost == BABEL_COST_INFINITY;
}
