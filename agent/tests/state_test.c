// SPDX-License-Identifier: GPL-2.0
/*
 * The replicated state's rules: fresher wins, duplicates and older copies
 * are told apart, an item lives for its lifetime from its making and a
 * dead or future one is refused, and the limits hold against a flooding
 * neighbour, fairly: what is trusted less, or an origin holding more,
 * makes way.
 */
#include <string.h>

#include "items/gem_state.h"
#include "test.h"

/* The time of day the tests run at, in ms: items are made around it. */
#define T0	1800000000000ULL
#define SKEW	60000

static int item(uint8_t *buf, uint8_t origin, uint64_t seqno, uint8_t group, uint16_t life)
{
	struct gem_item it;

	memset(&it, 0, sizeof(it));
	it.kind = GEM_ITEM_SOURCE_ACTIVE;
	memset(it.origin, origin, GEM_ROUTER_ID_LEN);
	it.seqno = seqno;
	it.lifetime = life;
	it.u.sa.source.len = it.u.sa.group.len = 4;
	it.u.sa.source.addr[0] = 192;
	it.u.sa.group.addr[0] = 239;
	it.u.sa.group.addr[3] = group;
	return gem_item_encode(&it, buf, GEM_ITEM_MAX_LEN);
}

/* Offered at T0 + now_ms on both clocks. */
static enum gem_state_verdict offer(struct gem_state *s, const uint8_t *buf, int len,
				    uint8_t rank, uint64_t now_ms)
{
	return gem_state_offer(s, buf, (size_t)len, rank, now_ms, T0 + now_ms);
}

static void count_gone(const struct gem_state_entry *e, void *arg)
{
	(void)e;
	++*(int *)arg;
}

/* The item of (origin, group) is held with seqno, or (seqno 0) not at all. */
static int held(const struct gem_state *s, uint8_t origin, uint8_t group, uint64_t seqno)
{
	uint8_t buf[GEM_ITEM_MAX_LEN], key[GEM_ITEM_KEY_MAX];
	const struct gem_state_entry *e;
	struct gem_item it;
	const char *why;
	int len = item(buf, origin, 1, group, 60);

	if (gem_item_decode(buf, (size_t)len, &it, &why))
		return 0;
	e = gem_state_find(s, key, gem_item_key(&it, key, sizeof(key)));
	return seqno ? e && e->item.seqno == seqno : !e;
}

/*
 * The index finds what the table holds, through churn: a hundred items
 * that stay, and twenty rounds of a hundred others that come and expire,
 * leaving deleted cells in the index until it is rebuilt.
 */
static void test_index(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	unsigned int round, g, found, gone;
	uint64_t t;
	int len;

	EXPECT(gem_state_init(&s, 200, 200, SKEW) == 0);
	for (g = 0; g < 100; g++) {
		len = item(buf, 1, T0 + 7, (uint8_t)g, 3600);
		EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 0) == GEM_STATE_NEW);
	}
	for (round = 1; round <= 20; round++) {
		t = round * 2000ULL;
		for (g = 0; g < 100; g++) {
			len = item(buf, 2, T0 + t, (uint8_t)g, 1);
			EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, t) == GEM_STATE_NEW);
		}
		found = gone = 0;
		for (g = 0; g < 100; g++)
			found += held(&s, 1, (uint8_t)g, T0 + 7) + held(&s, 2, (uint8_t)g, T0 + t);
		EXPECT(found == 200 && s.count == 200);
		EXPECT(gem_state_expire(&s, t + 1500, NULL, NULL) == 100);
		for (g = 0; g < 100; g++)
			gone += held(&s, 1, (uint8_t)g, T0 + 7) + held(&s, 2, (uint8_t)g, 0);
		EXPECT(gone == 200 && s.count == 100);
	}
	/* 2000 deletions, yet the deleted cells were reclaimed by rebuilds. */
	EXPECT(s.gone <= (s.mask + 1) / 4);
	gem_state_destroy(&s);
}

static void test_fresher_wins(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	int len;

	EXPECT(gem_state_init(&s, 16, 8, SKEW) == 0);
	len = item(buf, 1, T0 + 10, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 100) == GEM_STATE_NEW);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 100) == GEM_STATE_DUPLICATE);
	len = item(buf, 1, T0 + 9, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 100) == GEM_STATE_OLDER);
	len = item(buf, 1, T0 + 11, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 100) == GEM_STATE_NEWER);
	EXPECT(s.count == 1);
	/* Another stream of the same origin is another item. */
	len = item(buf, 1, T0, 2, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 100) == GEM_STATE_NEW);
	EXPECT(s.count == 2);
	/* Not an item, or an item that lives for no time. */
	EXPECT(offer(&s, buf, 10, GEM_RANK_CHECKED, 100) == GEM_STATE_INVALID);
	len = item(buf, 1, T0 + 12, 3, 0);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 100) == GEM_STATE_INVALID);
	gem_state_destroy(&s);
}

/*
 * Versions are 64-bit and only grow: what 32 bits of serial arithmetic
 * took for newer (a copy made 25 to 50 days before) is older now.
 */
static void test_no_wrap(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	int len;

	EXPECT(gem_state_init(&s, 16, 8, SKEW) == 0);
	len = item(buf, 1, T0, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 0) == GEM_STATE_NEW);
	/* 2^31 + 1 ms earlier: "newer" in serial arithmetic over 32 bits. */
	len = item(buf, 1, T0 - (1ULL << 31) - 1, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 0) == GEM_STATE_OLDER);
	EXPECT(gem_seqno_newer(T0 + 1, T0) && !gem_seqno_newer(T0, T0 + 1) &&
	       !gem_seqno_newer(T0, T0));
	gem_state_destroy(&s);
}

/*
 * An item lives for its lifetime from when it was made: one arriving
 * after that is dead (a replay of an announcement that lapsed), and one
 * held lives no longer than that, whenever it arrived. One made further
 * ahead than the clocks may disagree is refused.
 */
static void test_expiry(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	int len, gone = 0;

	EXPECT(gem_state_init(&s, 16, 8, SKEW) == 0);
	len = item(buf, 1, T0 + 1000, 1, 10);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 1000) == GEM_STATE_NEW);
	len = item(buf, 2, T0 + 1000, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 1000) == GEM_STATE_NEW);
	EXPECT(gem_state_expire(&s, 10999, count_gone, &gone) == 0);
	EXPECT(gem_state_expire(&s, 11000, count_gone, &gone) == 1);
	EXPECT(gone == 1 && s.count == 1);
	/* A refreshed item lives on from its refresh. */
	len = item(buf, 2, T0 + 50000, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 50000) == GEM_STATE_NEWER);
	EXPECT(gem_state_expire(&s, 61000, NULL, NULL) == 0);
	EXPECT(gem_state_expire(&s, 110000, NULL, NULL) == 1);
	EXPECT(s.count == 0);

	/* Made 50 s ago with 60 s to live: 10 s left, however fresh its arrival. */
	len = item(buf, 3, T0 + 100000, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 150000) == GEM_STATE_NEW);
	EXPECT(gem_state_expire(&s, 159999, NULL, NULL) == 0);
	EXPECT(gem_state_expire(&s, 160000, NULL, NULL) == 1);
	/* Its life over: a replay after the origin stopped renewing it. */
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 160000) == GEM_STATE_EXPIRED);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 1000000000) == GEM_STATE_EXPIRED);
	EXPECT(s.refused_expired == 2);
	/* From the future: within the skew taken, beyond it refused. */
	len = item(buf, 4, T0 + 200000 + SKEW, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 200000) == GEM_STATE_NEW);
	len = item(buf, 5, T0 + 200000 + SKEW + 1, 1, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 200000) == GEM_STATE_FUTURE);
	EXPECT(s.refused_future == 1);
	gem_state_destroy(&s);
}

/* One origin cannot fill the table; the table cannot overflow. */
static void test_limits(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	int len, g, n = 0;

	EXPECT(gem_state_init(&s, 16, 4, SKEW) == 0);
	for (g = 0; g < 100; g++) {
		len = item(buf, 7, T0, (uint8_t)g, 60);
		n += offer(&s, buf, len, GEM_RANK_CHECKED, 0) == GEM_STATE_NEW;
	}
	EXPECT(n == 4 && s.refused_full == 96);
	/* Newer versions of what it holds still go through. */
	len = item(buf, 7, T0 + 1, 0, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_CHECKED, 0) == GEM_STATE_NEWER);
	for (g = 0; g < 20; g++) {
		len = item(buf, (uint8_t)(20 + g), T0, 0, 60);
		offer(&s, buf, len, GEM_RANK_CHECKED, 0);
	}
	EXPECT(s.count == 16);
	/* The node's own items are never held back by the per-origin limit. */
	for (g = 0; g < 8; g++) {
		len = item(buf, 99, T0, (uint8_t)g, 60);
		EXPECT(offer(&s, buf, len, GEM_RANK_OWN, 0) == GEM_STATE_NEW);
	}
	EXPECT(s.count == 16);
	gem_state_destroy(&s);
}

/*
 * Full, the table makes way fairly. Four made-up identities flood it with
 * items no GAK here can check: once full, each newcomer takes the place
 * of an item of whichever origin holds most, so each keeps a fair share
 * and none crowds the others out; an item checked against a GAK, and the
 * node's own, take the place of such relayed items, never the reverse.
 */
static void test_fair(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	unsigned int per[4] = { 0 };
	struct gem_state s;
	int len, g, o, i;

	EXPECT(gem_state_init(&s, 40, 40, SKEW) == 0);
	/* Origin 1 alone fills it... */
	for (g = 0; g < 40; g++) {
		len = item(buf, 1, T0, (uint8_t)g, 60);
		EXPECT(offer(&s, buf, len, GEM_RANK_RELAYED, 0) == GEM_STATE_NEW);
	}
	/* ...then origins 2 to 4 come: origin 1 gives way until all are even. */
	for (g = 0; g < 40; g++)
		for (o = 2; o <= 4; o++) {
			len = item(buf, (uint8_t)o, T0, (uint8_t)g, 60);
			offer(&s, buf, len, GEM_RANK_RELAYED, 0);
		}
	for (i = 0; i < 40; i++)
		if (s.e[i].keylen)
			per[s.e[i].item.origin[0] - 1]++;
	EXPECT(s.count == 40);
	for (o = 0; o < 4; o++)
		EXPECT(per[o] == 10);
	EXPECT(s.evicted == 30);
	/* A newcomer with its fair share already is refused. */
	len = item(buf, 2, T0, 200, 60);
	EXPECT(offer(&s, buf, len, GEM_RANK_RELAYED, 0) == GEM_STATE_FULL);
	/* Checked items and the node's own take the place of relayed ones. */
	for (g = 0; g < 20; g++) {
		len = item(buf, 9, T0, (uint8_t)g, 60);
		EXPECT(offer(&s, buf, len, g % 2 ? GEM_RANK_OWN : GEM_RANK_CHECKED, 0) ==
		       GEM_STATE_NEW);
	}
	EXPECT(s.count == 40);
	/* Relayed items never push out checked ones. */
	for (g = 0; g < 40; g++) {
		len = item(buf, 5, T0, (uint8_t)g, 60);
		offer(&s, buf, len, GEM_RANK_RELAYED, 0);
	}
	for (g = 0; g < 20; g++)
		EXPECT(held(&s, 9, (uint8_t)g, T0));
	gem_state_destroy(&s);
}

int main(void)
{
	RUN(test_fresher_wins);
	RUN(test_no_wrap);
	RUN(test_expiry);
	RUN(test_limits);
	RUN(test_fair);
	RUN(test_index);
	return TEST_EXIT();
}
