// SPDX-License-Identifier: GPL-2.0
/*
 * GEM items: every kind round-trips byte for byte, and what is not an
 * item is refused with a reason.
 */
#include <string.h>

#include "items/gem_item.h"
#include "test.h"

static void fill_keys(struct gem_item *it, unsigned int n)
{
	unsigned int i;

	it->u.sek.n_keys = (uint8_t)n;
	for (i = 0; i < n; i++) {
		it->u.sek.keys[i].key_id = (uint8_t)(7 - i);
		memset(it->u.sek.keys[i].nonce, 0x22 + i, GEM_NONCE_LEN);
		memset(it->u.sek.keys[i].wrapped, 0x33 + i, GEM_WRAPPED_SEK_LEN);
	}
}

static void fill(struct gem_item *it, uint8_t kind, int family)
{
	int i;

	memset(it, 0, sizeof(*it));
	it->kind = kind;
	for (i = 0; i < GEM_ROUTER_ID_LEN; i++)
		it->origin[i] = (uint8_t)(0xa0 + i);
	it->seqno = 0x1a2b3c4d5e6f7081ULL;	/* all 64 bits carried */
	it->lifetime = 300;
	for (i = 0; i < GEM_SIG_LEN; i++)
		it->sig[i] = (uint8_t)i;
	for (i = 0; i < GEM_MAC_LEN; i++)
		it->mac[i] = (uint8_t)(0x80 | i);
	switch (kind) {
	case GEM_ITEM_PUBLIC_KEY:
		memset(it->u.pubkey.key, 0x11, GEM_PUBKEY_LEN);
		break;
	case GEM_ITEM_SOURCE_ACTIVE:
	case GEM_ITEM_SEK_ANNOUNCE:
		it->u.sa.source.len = it->u.sa.group.len = family == 4 ? 4 : 16;
		it->u.sa.source.addr[0] = family == 4 ? 192 : 0x20;
		it->u.sa.group.addr[0] = family == 4 ? 239 : 0xff;
		if (kind == GEM_ITEM_SEK_ANNOUNCE)
			fill_keys(it, 1);
		break;
	case GEM_ITEM_SUBSCRIPTION:
		it->u.sub.group.len = family == 4 ? 4 : 16;
		it->u.sub.group.addr[0] = family == 4 ? 239 : 0xff;
		it->u.sub.plen = 8;
		break;
	}
}

static void test_round_trip(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN], again[GEM_ITEM_MAX_LEN];
	struct gem_item it, back;
	const char *why = NULL;
	int kind, fam, len;

	for (kind = 1; kind <= GEM_ITEM_KIND_MAX; kind++)
		for (fam = 4; fam <= 6; fam += 2) {
			fill(&it, (uint8_t)kind, fam);
			len = gem_item_encode(&it, buf, sizeof(buf));
			EXPECT(len > GEM_ITEM_HDR_LEN);
			EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == 0);
			EXPECT(back.kind == kind && back.seqno == it.seqno && back.lifetime == 300);
			EXPECT(!memcmp(back.sig, it.sig, GEM_SIG_LEN));
			EXPECT(gem_item_encode(&back, again, sizeof(again)) == len);
			EXPECT(!memcmp(buf, again, (size_t)len));
		}
	/* Both keys of a pending rotation, in order. */
	fill(&it, GEM_ITEM_SEK_ANNOUNCE, 4);
	fill_keys(&it, 2);
	len = gem_item_encode(&it, buf, sizeof(buf));
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == 0);
	EXPECT(back.u.sek.n_keys == 2 && back.u.sek.keys[0].key_id == 7 &&
	       back.u.sek.keys[1].key_id == 6);
	EXPECT(!memcmp(&back.u.sek.keys, &it.u.sek.keys, sizeof(it.u.sek.keys)));
	/* The largest item fits the limit with room to spare. */
	fill(&it, GEM_ITEM_SEK_ANNOUNCE, 6);
	fill_keys(&it, 2);
	len = gem_item_encode(&it, buf, sizeof(buf));
	EXPECT(len == GEM_ITEM_HDR_LEN + 2 * 17 + 1 + 2 * (1 + 24 + 48) + 32 + 64);
	EXPECT(len < GEM_ITEM_MAX_LEN);
}

static void test_refused(void)
{
	uint8_t buf[GEM_ITEM_MAX_LEN + 1];
	struct gem_item it, back;
	const char *why = NULL;
	int len, cut;

	fill(&it, GEM_ITEM_SEK_ANNOUNCE, 4);
	len = gem_item_encode(&it, buf, sizeof(buf));
	/* Every truncation is refused. */
	for (cut = 0; cut < len; cut++) {
		why = NULL;
		EXPECT(gem_item_decode(buf, (size_t)cut, &back, &why) == -1);
		EXPECT(why != NULL);
	}
	buf[len] = 0;
	EXPECT(gem_item_decode(buf, (size_t)len + 1, &back, &why) == -1);
	EXPECT_STR(why, "trailing bytes after the item");
	/* Version 0 numbered versions with 32 bits: no longer understood. */
	buf[1] = 0;
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "unknown item version");
	buf[1] = 2;
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "unknown item version");
	buf[1] = 1;
	buf[0] = GEM_ITEM_KIND_MAX + 1;
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "unknown item kind");
	buf[0] = GEM_ITEM_SEK_ANNOUNCE;
	buf[GEM_ITEM_HDR_LEN] = 5;
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "address family is neither 4 nor 6");

	/* No key, three keys, two keys with one id. */
	fill(&it, GEM_ITEM_SEK_ANNOUNCE, 4);
	len = gem_item_encode(&it, buf, sizeof(buf));
	buf[GEM_ITEM_HDR_LEN + 10] = 0;		/* the key count, after two IPv4 addresses */
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "an SEK Announce carries one or two keys");
	buf[GEM_ITEM_HDR_LEN + 10] = 3;
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "an SEK Announce carries one or two keys");
	it.u.sek.n_keys = 0;
	EXPECT(gem_item_encode(&it, buf, sizeof(buf)) == -1);
	fill_keys(&it, 2);
	it.u.sek.keys[1].key_id = it.u.sek.keys[0].key_id;
	EXPECT(gem_item_encode(&it, buf, sizeof(buf)) == -1);
	it.u.sek.keys[1].key_id = 1;
	len = gem_item_encode(&it, buf, sizeof(buf));
	buf[GEM_ITEM_HDR_LEN + 11 + 73] = buf[GEM_ITEM_HDR_LEN + 11];	/* the second id */
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "an SEK Announce's two keys have one key id");

	/* Mixed families, both ways. */
	fill(&it, GEM_ITEM_SOURCE_ACTIVE, 4);
	it.u.sa.group.len = 16;
	EXPECT(gem_item_encode(&it, buf, sizeof(buf)) == -1);
	/* Host bits past a subscription's prefix. */
	fill(&it, GEM_ITEM_SUBSCRIPTION, 4);
	it.u.sub.group.addr[1] = 1;
	EXPECT(gem_item_encode(&it, buf, sizeof(buf)) == -1);
	it.u.sub.group.addr[1] = 0;
	len = gem_item_encode(&it, buf, sizeof(buf));
	buf[GEM_ITEM_HDR_LEN + 2] = 1;		/* the second group byte */
	EXPECT(gem_item_decode(buf, (size_t)len, &back, &why) == -1);
	EXPECT_STR(why, "bad subscription prefix");
	/* A buffer too small. */
	EXPECT(gem_item_encode(&it, buf, 20) == -1);
}

static void test_keys(void)
{
	uint8_t k1[GEM_ITEM_KEY_MAX], k2[GEM_ITEM_KEY_MAX];
	struct gem_item a, b;
	size_t l1, l2;

	fill(&a, GEM_ITEM_SEK_ANNOUNCE, 4);
	b = a;
	b.seqno++;
	b.u.sek.keys[0].key_id++;
	l1 = gem_item_key(&a, k1, sizeof(k1));
	l2 = gem_item_key(&b, k2, sizeof(k2));
	/* A new key for the stream is a new version of the same item. */
	EXPECT(l1 && l1 == l2 && !memcmp(k1, k2, l1));
	b.u.sek.group.addr[3] = 9;
	l2 = gem_item_key(&b, k2, sizeof(k2));
	EXPECT(l1 == l2 && memcmp(k1, k2, l1));
	fill(&b, GEM_ITEM_SOURCE_ACTIVE, 4);
	l2 = gem_item_key(&b, k2, sizeof(k2));
	EXPECT(memcmp(k1, k2, l1 < l2 ? l1 : l2));
}

static void test_seqno(void)
{
	EXPECT(gem_seqno_newer(1, 0));
	EXPECT(!gem_seqno_newer(0, 1));
	EXPECT(!gem_seqno_newer(5, 5));
	/* 64 bits of milliseconds do not wrap: a higher number is newer, always. */
	EXPECT(!gem_seqno_newer(3, 0xfffffffeu));
	EXPECT(gem_seqno_newer(0x100000003ULL, 0xfffffffeu));
	EXPECT(gem_seqno_newer(UINT64_MAX, UINT64_MAX - 1));
}

int main(void)
{
	RUN(test_round_trip);
	RUN(test_refused);
	RUN(test_keys);
	RUN(test_seqno);
	return TEST_EXIT();
}
