// SPDX-License-Identifier: GPL-2.0
/*
 * A Babel neighbour's costs: 2 of the last 3 Hellos keep the link up,
 * missed and late Hellos count, a restart resets the history, IHUs give
 * the transmit cost and expire.
 */
#include "babel/babel_neigh.h"
#include "test.h"

static void test_two_of_three(void)
{
	struct babel_neigh n;

	babel_neigh_init(&n, BABEL_WIRED_RXCOST);
	EXPECT(babel_neigh_cost(&n) == BABEL_COST_INFINITY);
	babel_neigh_hello(&n, 10, 400, 0);
	EXPECT(babel_neigh_rxcost(&n) == BABEL_COST_INFINITY);	/* one heard */
	babel_neigh_hello(&n, 11, 400, 4000);
	EXPECT(babel_neigh_rxcost(&n) == BABEL_WIRED_RXCOST);
	/* Still infinite: no IHU yet tells us our transmit cost. */
	EXPECT(babel_neigh_cost(&n) == BABEL_COST_INFINITY);
	babel_neigh_ihu(&n, 96, 1200, 4000);
	EXPECT(babel_neigh_cost(&n) == 96);
	/* Seqno 12 lost, 13 heard: 2 of the last 3. */
	babel_neigh_hello(&n, 13, 400, 12000);
	EXPECT(babel_neigh_rxcost(&n) == BABEL_WIRED_RXCOST);
	/* 14 and 15 lost: 1 of the last 3. */
	babel_neigh_hello(&n, 16, 400, 24000);
	EXPECT(babel_neigh_rxcost(&n) == BABEL_COST_INFINITY);
	EXPECT(babel_neigh_cost(&n) == BABEL_COST_INFINITY);
}

static void test_silence(void)
{
	struct babel_neigh n;

	babel_neigh_init(&n, BABEL_WIRED_RXCOST);
	babel_neigh_hello(&n, 1, 400, 0);
	babel_neigh_hello(&n, 2, 400, 4000);
	babel_neigh_ihu(&n, 96, 1200, 4000);
	babel_neigh_tick(&n, 9999);		/* within 1.5 intervals */
	EXPECT(babel_neigh_cost(&n) == 96);
	babel_neigh_tick(&n, 10000);		/* one late */
	EXPECT(babel_neigh_rxcost(&n) == BABEL_WIRED_RXCOST);
	babel_neigh_tick(&n, 14000);		/* two late */
	EXPECT(babel_neigh_rxcost(&n) == BABEL_COST_INFINITY);
	/* The IHU lasts 3.5 of its 12 s intervals. */
	babel_neigh_tick(&n, 4000 + 41999);
	EXPECT(n.txcost == 96);
	babel_neigh_tick(&n, 4000 + 42000);
	EXPECT(n.txcost == BABEL_COST_INFINITY);
	babel_neigh_tick(&n, 200000);
	EXPECT(babel_neigh_gone(&n));
}

static void test_seqno_wrap_and_restart(void)
{
	struct babel_neigh n;

	babel_neigh_init(&n, BABEL_WIRED_RXCOST);
	babel_neigh_hello(&n, 0xfffe, 400, 0);
	babel_neigh_hello(&n, 0xffff, 400, 4000);
	babel_neigh_hello(&n, 0x0000, 400, 8000);
	EXPECT(n.history == 0xe000 && babel_neigh_rxcost(&n) == BABEL_WIRED_RXCOST);
	/* A restarted neighbour starts its seqnos anywhere: history starts over. */
	babel_neigh_hello(&n, 0x7000, 400, 12000);
	EXPECT(n.history == 0x8000 && babel_neigh_rxcost(&n) == BABEL_COST_INFINITY);
	babel_neigh_hello(&n, 0x7001, 400, 16000);
	EXPECT(babel_neigh_rxcost(&n) == BABEL_WIRED_RXCOST);
}

int main(void)
{
	RUN(test_two_of_three);
	RUN(test_silence);
	RUN(test_seqno_wrap_and_restart);
	return TEST_EXIT();
}
