// SPDX-License-Identifier: GPL-2.0
/*
 * The replicated state's rules: fresher wins, duplicates and older copies
 * are told apart, items expire, an origin's items go with it, and limits
 * hold against a flooding neighbour.
 */
#include <string.h>

#include "gem_state.h"
#include "test.h"

static int item(uint8_t *buf, uint8_t origin, uint32_t seqno, uint8_t group, uint16_t life)
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

static void count_gone(const struct gem_state_entry *e, void *arg)
{
	(void)e;
	++*(int *)arg;
}

/* The item of (origin, group) is held with seqno, or (seqno 0) not at all. */
static int held(const struct gem_state *s, uint8_t origin, uint8_t group, uint32_t seqno)
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

	EXPECT(gem_state_init(&s, 200, 200) == 0);
	for (g = 0; g < 100; g++) {
		len = item(buf, 1, 7, (uint8_t)g, 3600);
		EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_NEW);
	}
	for (round = 1; round <= 20; round++) {
		t = round * 2000ULL;
		for (g = 0; g < 100; g++) {
			len = item(buf, 2, round, (uint8_t)g, 1);
			EXPECT(gem_state_offer(&s, buf, (size_t)len, t) == GEM_STATE_NEW);
		}
		found = gone = 0;
		for (g = 0; g < 100; g++)
			found += held(&s, 1, (uint8_t)g, 7) + held(&s, 2, (uint8_t)g, round);
		EXPECT(found == 200 && s.count == 200);
		EXPECT(gem_state_expire(&s, t + 1500, NULL, NULL) == 100);
		for (g = 0; g < 100; g++)
			gone += held(&s, 1, (uint8_t)g, 7) + held(&s, 2, (uint8_t)g, 0);
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

	EXPECT(gem_state_init(&s, 16, 8) == 0);
	len = item(buf, 1, 10, 1, 60);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_NEW);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_DUPLICATE);
	len = item(buf, 1, 9, 1, 60);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_OLDER);
	len = item(buf, 1, 11, 1, 60);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_NEWER);
	EXPECT(s.count == 1);
	/* Another stream of the same origin is another item. */
	len = item(buf, 1, 1, 2, 60);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_NEW);
	EXPECT(s.count == 2);
	/* Not an item, or an item that lives for no time. */
	EXPECT(gem_state_offer(&s, buf, 10, 0) == GEM_STATE_INVALID);
	len = item(buf, 1, 12, 3, 0);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_INVALID);
	gem_state_destroy(&s);
}

static void test_expiry(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	int len, gone = 0;

	EXPECT(gem_state_init(&s, 16, 8) == 0);
	len = item(buf, 1, 1, 1, 10);
	gem_state_offer(&s, buf, (size_t)len, 1000);
	len = item(buf, 2, 1, 1, 60);
	gem_state_offer(&s, buf, (size_t)len, 1000);
	EXPECT(gem_state_expire(&s, 10999, count_gone, &gone) == 0);
	EXPECT(gem_state_expire(&s, 11000, count_gone, &gone) == 1);
	EXPECT(gone == 1 && s.count == 1);
	/* A refreshed item lives on from its refresh. */
	len = item(buf, 2, 2, 1, 60);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 50000) == GEM_STATE_NEWER);
	EXPECT(gem_state_expire(&s, 61000, NULL, NULL) == 0);
	EXPECT(gem_state_expire(&s, 110000, NULL, NULL) == 1);
	EXPECT(s.count == 0);
	gem_state_destroy(&s);
}

static void test_origin_gone(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN], origin[GEM_ROUTER_ID_LEN];
	struct gem_state s;
	int len, g, gone = 0;

	EXPECT(gem_state_init(&s, 16, 8) == 0);
	for (g = 0; g < 3; g++) {
		len = item(buf, 1, 1, (uint8_t)g, 60);
		gem_state_offer(&s, buf, (size_t)len, 0);
	}
	len = item(buf, 2, 1, 0, 60);
	gem_state_offer(&s, buf, (size_t)len, 0);
	memset(origin, 1, sizeof(origin));
	EXPECT(gem_state_forget_origin(&s, origin, count_gone, &gone) == 3);
	EXPECT(gone == 3 && s.count == 1);
	gem_state_destroy(&s);
}

/* One origin cannot fill the table; the table cannot overflow. */
static void test_limits(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_state s;
	int len, g, n = 0;

	EXPECT(gem_state_init(&s, 16, 4) == 0);
	for (g = 0; g < 100; g++) {
		len = item(buf, 7, 1, (uint8_t)g, 60);
		n += gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_NEW;
	}
	EXPECT(n == 4 && s.refused_full == 96);
	/* Newer versions of what it holds still go through. */
	len = item(buf, 7, 2, 0, 60);
	EXPECT(gem_state_offer(&s, buf, (size_t)len, 0) == GEM_STATE_NEWER);
	for (g = 0; g < 20; g++) {
		len = item(buf, (uint8_t)(20 + g), 1, 0, 60);
		gem_state_offer(&s, buf, (size_t)len, 0);
	}
	EXPECT(s.count == 16);
	gem_state_destroy(&s);
}

int main(void)
{
	RUN(test_fresher_wins);
	RUN(test_expiry);
	RUN(test_origin_gone);
	RUN(test_limits);
	RUN(test_index);
	return TEST_EXIT();
}
