// SPDX-License-Identifier: GPL-2.0
/*
 * Babel's route selection under the feasibility condition: loop-free
 * choices, newer sequence numbers, retractions, neighbours that go, and
 * routes that expire.
 */
#include <stdlib.h>
#include <string.h>

#include "babel/babel_table.h"
#include "test.h"

static const uint8_t rid_a[8] = { 0xa }, rid_b[8] = { 0xb };

static struct babel_prefix pfx(uint8_t last)
{
	struct babel_prefix p = { .plen = 128 };

	p.addr[0] = 0xfd;
	p.addr[15] = last;
	return p;
}

static struct babel_table *table(void)
{
	struct babel_table *t = calloc(1, sizeof(*t));

	EXPECT(t != NULL);
	return t;
}

static void test_feasibility(void)
{
	struct babel_table *t = table();
	struct babel_prefix p = pfx(1);
	const struct babel_route *r;

	EXPECT(babel_feasible(t, &p, rid_a, 5, 100));
	/* Via neighbour 1 (cost 96): distance 196 recorded for (p, A). */
	EXPECT(babel_table_update(t, &p, 1, 96, rid_a, 5, 100, NULL, 1000) == BABEL_UPDATE_SELECTED);
	EXPECT(!babel_feasible(t, &p, rid_a, 5, 196));		/* not strictly better */
	EXPECT(babel_feasible(t, &p, rid_a, 5, 195));
	EXPECT(babel_feasible(t, &p, rid_a, 6, 60000));	/* newer */
	EXPECT(babel_feasible(t, &p, rid_a, 4, 0xffff));	/* a retraction */
	/* Neighbour 2 offers the same version at a worse distance: kept, not chosen. */
	EXPECT(babel_table_update(t, &p, 2, 96, rid_a, 5, 200, NULL, 1000) == BABEL_UPDATE_STORED);
	r = babel_table_selected(t, &p);
	EXPECT(r && r->neigh == 1);
	/* ... and at a better one: chosen. */
	EXPECT(babel_table_update(t, &p, 2, 10, rid_a, 5, 50, NULL, 1000) == BABEL_UPDATE_SELECTED);
	r = babel_table_selected(t, &p);
	EXPECT(r && r->neigh == 2 && r->metric == 50);
	free(t);
}

static void test_retraction_and_neighbours(void)
{
	struct babel_table *t = table();
	struct babel_prefix p = pfx(2);
	const struct babel_route *r;

	babel_table_update(t, &p, 1, 96, rid_a, 1, 0, NULL, 1000);
	/* A second path, fed by a newer seqno so it is feasible. */
	babel_table_update(t, &p, 2, 96, rid_a, 2, 96, NULL, 1000);
	r = babel_table_selected(t, &p);
	EXPECT(r && r->neigh == 1);
	/* Neighbour 1 retracts: the other path takes over. */
	EXPECT(babel_table_update(t, &p, 1, 96, rid_a, 1, 0xffff, NULL, 1000) ==
	       BABEL_UPDATE_SELECTED);
	r = babel_table_selected(t, &p);
	EXPECT(r && r->neigh == 2);
	/* Neighbour 2 goes: nothing is left. */
	EXPECT(babel_table_neigh_cost(t, 2, 0xffff) == 1);
	EXPECT(babel_table_selected(t, &p) == NULL);
	/* Retracting what was never announced changes nothing. */
	EXPECT(babel_table_update(t, &p, 3, 96, rid_b, 1, 0xffff, NULL, 1000) ==
	       BABEL_UPDATE_IGNORED);
	free(t);
}

/* A selected route switching to a router-id it is not feasible for retracts. */
static void test_unfeasible_switch(void)
{
	struct babel_table *t = table();
	struct babel_prefix p = pfx(3);

	babel_table_update(t, &p, 1, 96, rid_b, 9, 0, NULL, 1000);
	babel_table_update(t, &p, 1, 96, rid_a, 9, 0, NULL, 1000);
	EXPECT(babel_table_selected(t, &p) != NULL);	/* A is new: feasible */
	babel_table_update(t, &p, 1, 96, rid_b, 9, 500, NULL, 1000);
	EXPECT(babel_table_selected(t, &p) == NULL);	/* B at 596 is worse than its 96 */
	free(t);
}

static void test_expiry_and_wrap(void)
{
	struct babel_table *t = table();
	struct babel_prefix p = pfx(4);

	babel_table_update(t, &p, 1, 96, rid_a, 0xfffe, 0, NULL, 1000);
	EXPECT(babel_seqno_newer(1, 0xfffe) && !babel_seqno_newer(0xfffe, 1));
	EXPECT(babel_feasible(t, &p, rid_a, 1, 60000));
	EXPECT(babel_table_expire(t, 999) == 0);
	EXPECT(babel_table_expire(t, 1000) == 1);
	EXPECT(babel_table_selected(t, &p) == NULL);
	EXPECT(babel_metric_add(0xfff0, 0x20) == 0xffff && babel_metric_add(1, 2) == 3);
	free(t);
}

int main(void)
{
	RUN(test_feasibility);
	RUN(test_retraction_and_neighbours);
	RUN(test_unfeasible_switch);
	RUN(test_expiry_and_wrap);
	return TEST_EXIT();
}
