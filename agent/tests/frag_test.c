// SPDX-License-Identifier: GPL-2.0
/*
 * GEM items in Babel TLVs: split and reassembled in any order, with
 * malformed, conflicting and excess fragments refused and bounded.
 */
#include <string.h>

#include "items/gem_frag.h"
#include "test.h"

struct bodies {
	uint8_t b[GEM_FRAG_COUNT_MAX][GEM_TLV_BODY_MAX];
	size_t len[GEM_FRAG_COUNT_MAX];
	int n;
};

static int collect(const uint8_t *body, size_t blen, void *arg)
{
	struct bodies *out = arg;

	if (out->n >= GEM_FRAG_COUNT_MAX || blen > GEM_TLV_BODY_MAX)
		return -1;
	memcpy(out->b[out->n], body, blen);
	out->len[out->n++] = blen;
	return 0;
}

/* An item-shaped byte string: a header, then a pattern. */
static void make_item(uint8_t *item, size_t len, uint64_t seqno)
{
	size_t i;

	for (i = 0; i < len; i++)
		item[i] = (uint8_t)(i * 7 + 3);
	item[0] = GEM_ITEM_SEK_ANNOUNCE;
	item[1] = 1;
	for (i = 0; i < 8; i++)
		item[10 + i] = (uint8_t)(seqno >> (56 - 8 * i));
}

static void test_split_reassemble(void)
{
	static const size_t sizes[] = { GEM_ITEM_HDR_LEN, 100, GEM_FRAG_CHUNK_MAX,
					GEM_FRAG_CHUNK_MAX + 1, 2 * GEM_FRAG_CHUNK_MAX,
					GEM_ITEM_MAX_LEN };
	static const int orders[][3] = { { 0, 1, 2 }, { 2, 1, 0 }, { 1, 2, 0 } };
	uint8_t item[GEM_ITEM_MAX_LEN], out[GEM_ITEM_MAX_LEN];
	unsigned int s, o;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (o = 0; o < 3; o++) {
			struct gem_reasm r = { 0 };
			struct bodies b = { .n = 0 };
			const char *why = NULL;
			size_t olen = 0;
			int i, done = 0, n;

			make_item(item, sizes[s], 42);
			n = gem_frag_split(item, sizes[s], 0x1234, collect, &b);
			EXPECT(n == (int)((sizes[s] + GEM_FRAG_CHUNK_MAX - 1) / GEM_FRAG_CHUNK_MAX));
			for (i = 0; i < 3; i++) {
				int k = orders[o][i];

				if (k >= n)
					continue;
				EXPECT(b.len[k] <= GEM_TLV_BODY_MAX);
				done += gem_reasm_add(&r, b.b[k], b.len[k], 1000, out, &olen, &why);
			}
			EXPECT(done == 1);
			EXPECT(olen == sizes[s] && !memcmp(out, item, olen));
		}
	EXPECT(gem_frag_split(item, GEM_ITEM_MAX_LEN + 1, 0, collect, &(struct bodies){ .n = 0 }) == -1);
}

static void test_refused(void)
{
	uint8_t item[GEM_ITEM_MAX_LEN], out[GEM_ITEM_MAX_LEN], bad[GEM_TLV_BODY_MAX];
	struct gem_reasm r = { 0 };
	struct bodies b = { .n = 0 };
	const char *why = NULL;
	size_t olen;

	make_item(item, 300, 1);
	EXPECT(gem_frag_split(item, 300, 9, collect, &b) == 2);
	EXPECT(gem_reasm_add(&r, b.b[0], 10, 0, out, &olen, &why) == -1);
	EXPECT_STR(why, "fragment length out of range");
	memcpy(bad, b.b[0], b.len[0]);
	bad[1] = 0x22;				/* index 2 of 2 */
	EXPECT(gem_reasm_add(&r, bad, b.len[0], 0, out, &olen, &why) == -1);
	EXPECT_STR(why, "fragment index or count out of range");
	bad[1] = 0x05;				/* 5 fragments: longer than any item */
	EXPECT(gem_reasm_add(&r, bad, b.len[0], 0, out, &olen, &why) == -1);
	bad[1] = 0x02;				/* first of 2, but short */
	EXPECT(gem_reasm_add(&r, bad, b.len[0] - 1, 0, out, &olen, &why) == -1);
	EXPECT_STR(why, "a fragment before the last is not full");

	/* A repeated fragment that changed: the item is dropped. */
	EXPECT(gem_reasm_add(&r, b.b[0], b.len[0], 0, out, &olen, &why) == 0);
	EXPECT(gem_reasm_add(&r, b.b[0], b.len[0], 0, out, &olen, &why) == 0);
	memcpy(bad, b.b[0], b.len[0]);
	bad[GEM_FRAG_HDR_LEN + 40] ^= 1;
	EXPECT(gem_reasm_add(&r, bad, b.len[0], 0, out, &olen, &why) == -1);
	EXPECT_STR(why, "a repeated fragment differs");
	EXPECT(gem_reasm_add(&r, b.b[1], b.len[1], 0, out, &olen, &why) == 0);

	/* Fragments whose header lies about the item they carry. */
	memset(&r, 0, sizeof(r));
	b.n = 0;
	EXPECT(gem_frag_split(item, 300, 9, collect, &b) == 2);
	b.b[0][GEM_FRAG_HDR_LEN + 17] ^= 1;	/* the item's own seqno */
	b.b[1][GEM_FRAG_HDR_LEN] ^= 0;
	EXPECT(gem_reasm_add(&r, b.b[0], b.len[0], 0, out, &olen, &why) == 0);
	EXPECT(gem_reasm_add(&r, b.b[1], b.len[1], 0, out, &olen, &why) == -1);
	EXPECT_STR(why, "fragments disagree with the item they carry");
}

/* A neighbour sending first fragments without end holds a few slots only. */
static void test_bounded(void)
{
	uint8_t item[GEM_ITEM_MAX_LEN], out[GEM_ITEM_MAX_LEN];
	struct gem_reasm r = { 0 };
	const char *why;
	size_t olen;
	uint32_t i;

	for (i = 0; i < 1000; i++) {
		struct bodies b = { .n = 0 };

		make_item(item, 400, i);
		gem_frag_split(item, 400, i, collect, &b);
		EXPECT(gem_reasm_add(&r, b.b[0], b.len[0], i, out, &olen, &why) == 0);
	}
	EXPECT(r.evicted == 1000 - GEM_REASM_SLOTS);
	/* Stale slots are reclaimed after the timeout. */
	{
		struct bodies b = { .n = 0 };

		make_item(item, 400, 5000);
		gem_frag_split(item, 400, 1, collect, &b);
		EXPECT(gem_reasm_add(&r, b.b[0], b.len[0], 1000 + GEM_REASM_TIMEOUT_MS + 1,
				     out, &olen, &why) == 0);
		EXPECT(r.evicted == 1000);
		EXPECT(gem_reasm_add(&r, b.b[1], b.len[1], 1000 + GEM_REASM_TIMEOUT_MS + 2,
				     out, &olen, &why) == 1);
	}
}

static void test_request(void)
{
	struct gem_request q = { .kind = GEM_ITEM_SEK_ANNOUNCE, .has_tag = 1, .tag = 0xdeadbeef },
			   back;
	uint8_t body[32];
	const char *why = NULL;
	int len;

	memset(q.origin, 0x42, sizeof(q.origin));
	len = gem_request_encode(&q, body, sizeof(body));
	EXPECT(len == 13);
	EXPECT(gem_request_decode(body, (size_t)len, &back, &why) == 0);
	EXPECT(back.kind == q.kind && back.has_tag && back.tag == q.tag);
	EXPECT(!memcmp(back.origin, q.origin, sizeof(q.origin)));
	q.kind = 0;
	EXPECT(gem_request_encode(&q, body, sizeof(body)) == 0);
	EXPECT(gem_request_decode(body, 0, &back, &why) == 0 && back.kind == 0);
	EXPECT(gem_request_decode(body, 5, &back, &why) == -1);
	EXPECT_STR(why, "request length is neither 0, 9 nor 13");
	body[0] = 99;
	EXPECT(gem_request_decode(body, 9, &back, &why) == -1);
	EXPECT_STR(why, "request for an unknown item kind");
}

int main(void)
{
	RUN(test_split_reassemble);
	RUN(test_refused);
	RUN(test_bounded);
	RUN(test_request);
	return TEST_EXIT();
}
