// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of sealing and opening: known answers from an independent
 * implementation, round trips over linear and paged skbs, and a flip of
 * any authenticated byte detected. Included by crypto.c.
 */

#include <kunit/test.h>
#include <linux/prandom.h>

#include "crypto_vectors.h"

static const u8 gem_kat_sek[GEM_SEK_LEN] = {
	0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b,
	0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
	0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
};

static const u8 gem_kat_tagkey[32] = {
	0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b,
	0x8c, 0x8d, 0x8e, 0x8f, 0x90, 0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97,
	0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f,
};

#define GEM_KAT_KEY_ID	3
#define GEM_KAT_PN	0x0102030405060708ULL

struct gem_test_keys {
	struct gem_sek sek;
	struct gem_tagkey tk;
};

/* The stream of the vectors of one family (4 or 6). */
static struct gem_stream_id gem_kat_id(int family)
{
	struct gem_stream_id id = {};

	if (family == 4) {
		id.family = AF_INET;
		id.src.v4 = htonl(0xc6336401);		/* 198.51.100.1 */
		id.group.v4 = htonl(0xef010203);	/* 239.1.2.3 */
	} else {
		id.family = AF_INET6;
		id.src.v6.s6_addr[0] = 0x20;		/* 2001:db8::1 */
		id.src.v6.s6_addr[1] = 0x01;
		id.src.v6.s6_addr[2] = 0x0d;
		id.src.v6.s6_addr[3] = 0xb8;
		id.src.v6.s6_addr[15] = 0x01;
		id.group.v6.s6_addr[0] = 0xff;		/* ff3e::4321 */
		id.group.v6.s6_addr[1] = 0x3e;
		id.group.v6.s6_addr[14] = 0x43;
		id.group.v6.s6_addr[15] = 0x21;
	}
	return id;
}

/*
 * The vectors' keys, the stream key derived as the wire format says, its
 * AEAD @alg.
 */
static void gem_test_keys_init_alg(struct kunit *test, struct gem_test_keys *k, int family,
				   const char *alg)
{
	struct gem_stream_id id = gem_kat_id(family);
	u8 key[GEM_SEK_LEN], fp[GEM_SEK_FP_LEN];

	KUNIT_ASSERT_EQ(test, gem_crypto_sek_derive(gem_kat_sek, sizeof(gem_kat_sek), &id,
						    GEM_KAT_KEY_ID, key, fp), 0);
	KUNIT_EXPECT_EQ(test, memcmp(key, family == 4 ? gem_kat_stream_key4 : gem_kat_stream_key6,
				     sizeof(key)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(fp, gem_kat_fingerprint, sizeof(fp)), 0);
	KUNIT_ASSERT_EQ(test, gem_crypto_sek_init_alg(&k->sek, alg, key, GEM_KAT_KEY_ID, fp), 0);
	KUNIT_ASSERT_EQ(test, gem_crypto_tagkey_init(&k->tk, "hmac(sha256)", gem_kat_tagkey,
						     sizeof(gem_kat_tagkey)), 0);
}

static void gem_test_keys_init(struct kunit *test, struct gem_test_keys *k, int family)
{
	gem_test_keys_init_alg(test, k, family, GEM_AEAD_ALG);
}

static void gem_test_keys_destroy(struct gem_test_keys *k)
{
	gem_crypto_sek_destroy(&k->sek);
	gem_crypto_tagkey_destroy(&k->tk);
}

/* A linear skb holding buf, headroom and tailroom to spare. */
static struct sk_buff *gem_test_skb(struct kunit *test, const u8 *buf, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(len + 128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_put_data(skb, buf, len);
	return skb;
}

/*
 * The same packet with its UDP payload, from @linear bytes on, in a page
 * fragment: the scatterlist path of the AEAD.
 */
static struct sk_buff *gem_test_paged_skb(struct kunit *test, const u8 *buf,
					  unsigned int len, unsigned int linear)
{
	struct sk_buff *skb = alloc_skb(linear + 64, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_NOT_NULL(test, page);
	skb_reserve(skb, 32);
	skb_put_data(skb, buf, linear);
	memcpy(page_address(page), buf + linear, len - linear);
	skb_fill_page_desc(skb, 0, page, 0, len - linear);
	skb->len += len - linear;
	skb->data_len += len - linear;
	skb->truesize += PAGE_SIZE;
	return skb;
}

/* A test's wait for one op: the post function ran, once, here or later. */
struct gem_test_wait {
	struct completion done;
	const struct gem_tagkey *tk;
	struct task_struct *poster;
	unsigned int posts;
	int err;
};

static void gem_test_post(struct gem_crypto_op *op, int err)
{
	struct gem_test_wait *w = op->stream;

	if (!err)
		err = op->encrypt ? gem_crypto_seal_finish(op, w->tk) : gem_crypto_open_finish(op);
	w->err = err;
	w->poster = current;
	w->posts++;
	gem_crypto_op_free(op);
	complete(&w->done);
}

/* Submits @op (or returns its error) and waits for its post function. */
static int gem_test_run(struct gem_crypto_op *op, struct gem_test_wait *w)
{
	if (IS_ERR(op))
		return PTR_ERR(op);
	op->post = gem_test_post;
	op->stream = w;
	gem_crypto_submit(op);
	wait_for_completion(&w->done);
	return w->err;
}

static int gem_test_seal_wait(struct gem_test_keys *k, struct sk_buff *skb, u64 pn,
			      struct gem_test_wait *w)
{
	init_completion(&w->done);
	w->tk = &k->tk;
	return gem_test_run(gem_crypto_seal_prepare(skb, &k->sek, pn), w);
}

static int gem_test_seal(struct gem_test_keys *k, struct sk_buff *skb, u64 pn)
{
	struct gem_test_wait w = {};

	return gem_test_seal_wait(k, skb, pn, &w);
}

/* Parse, tag, open: 0 when the packet is accepted, else why not. */
static int gem_test_receive_wait(struct gem_test_keys *k, struct sk_buff *skb,
				 struct gem_test_wait *w)
{
	struct gem_pkt p;

	if (gem_wire_parse_sealed(skb, &p))
		return -EINVAL;
	if (p.w.key_id != k->sek.key_id)
		return -ENOKEY;
	if (!gem_crypto_tag_ok(skb, &p, &k->tk))
		return -EKEYREJECTED;
	init_completion(&w->done);
	return gem_test_run(gem_crypto_open_prepare(skb, &p, &k->sek), w);
}

static int gem_test_receive(struct gem_test_keys *k, struct sk_buff *skb)
{
	struct gem_test_wait w = {};

	return gem_test_receive_wait(k, skb, &w);
}

static void gem_test_expect_bytes(struct kunit *test, struct sk_buff *skb,
				  const u8 *want, unsigned int len, int skip_at)
{
	u8 *got = kunit_kmalloc(test, len, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, skb->len, len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, got, len), 0);
	for (i = 0; i < len; i++) {
		if (skip_at >= 0 && (i == skip_at || i == skip_at + 1))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "byte %u", i);
	}
}

static void gem_test_seal_kat(struct kunit *test, const u8 *plain, unsigned int plen,
			      const u8 *sealed, unsigned int slen, int family)
{
	struct gem_test_keys k;
	struct sk_buff *skb;

	gem_test_keys_init(test, &k, family);
	skb = gem_test_skb(test, plain, plen);
	KUNIT_ASSERT_EQ(test, gem_test_seal(&k, skb, GEM_KAT_PN), 0);
	gem_test_expect_bytes(test, skb, sealed, slen, -1);
	kfree_skb(skb);
	gem_test_keys_destroy(&k);
}

static void gem_test_seal_kat4(struct kunit *test)
{
	gem_test_seal_kat(test, gem_kat_plain4, sizeof(gem_kat_plain4),
			  gem_kat_sealed4, sizeof(gem_kat_sealed4), 4);
}

static void gem_test_seal_kat6(struct kunit *test)
{
	gem_test_seal_kat(test, gem_kat_plain6, sizeof(gem_kat_plain6),
			  gem_kat_sealed6, sizeof(gem_kat_sealed6), 6);
}

/* Opening the vector gives the original back, its checksum to complete. */
static void gem_test_open_kat(struct kunit *test, const u8 *plain, unsigned int plen,
			      const u8 *sealed, unsigned int slen, unsigned int nhlen)
{
	struct gem_test_keys k;
	struct sk_buff *skb;
	__wsum csum;

	gem_test_keys_init(test, &k, nhlen == sizeof(struct iphdr) ? 4 : 6);
	skb = gem_test_skb(test, sealed, slen);
	KUNIT_ASSERT_EQ(test, gem_test_receive(&k, skb), 0);
	gem_test_expect_bytes(test, skb, plain, plen, nhlen + offsetof(struct udphdr, check));
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);

	/* Completed as a device without offload would, the checksum is right. */
	KUNIT_ASSERT_EQ(test, skb_checksum_help(skb), 0);
	csum = skb_checksum(skb, nhlen, skb->len - nhlen, 0);
	if (nhlen == sizeof(struct iphdr))
		KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
							skb->len - nhlen, IPPROTO_UDP, csum), 0);
	else
		KUNIT_EXPECT_EQ(test, csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
						      &ipv6_hdr(skb)->daddr,
						      skb->len - nhlen, IPPROTO_UDP, csum), 0);
	kfree_skb(skb);
	gem_test_keys_destroy(&k);
}

static void gem_test_open_kat4(struct kunit *test)
{
	gem_test_open_kat(test, gem_kat_plain4, sizeof(gem_kat_plain4),
			  gem_kat_sealed4, sizeof(gem_kat_sealed4), sizeof(struct iphdr));
}

static void gem_test_open_kat6(struct kunit *test)
{
	gem_test_open_kat(test, gem_kat_plain6, sizeof(gem_kat_plain6),
			  gem_kat_sealed6, sizeof(gem_kat_sealed6), sizeof(struct ipv6hdr));
}

/*
 * A sealed packet whose payload is in a page fragment, as NICs deliver
 * them, is opened in place: no copy, the AEAD the one pass. With a clone
 * sharing its data (a packet socket's, for tcpdump), it is copied first,
 * and the clone still holds the ciphertext.
 */
static void gem_test_open_in_place(struct kunit *test)
{
	unsigned int hdrs = sizeof(struct iphdr) + sizeof(struct udphdr);
	unsigned int slen = sizeof(gem_kat_sealed4), text = sizeof(gem_kat_plain4) - hdrs;
	unsigned int off = sizeof(struct iphdr) + offsetof(struct udphdr, check);
	u8 *got = kunit_kmalloc(test, slen, GFP_KERNEL);
	struct sk_buff *skb, *clone;
	struct gem_test_keys k;
	struct page *page;

	KUNIT_ASSERT_NOT_NULL(test, got);
	gem_test_keys_init(test, &k, 4);

	/* The payload's page holds the plaintext after: opened where it lay. */
	skb = gem_test_paged_skb(test, gem_kat_sealed4, slen, hdrs + GEM_WIRE_HDR_LEN);
	page = skb_frag_page(&skb_shinfo(skb)->frags[0]);
	get_page(page);
	KUNIT_ASSERT_EQ(test, gem_test_receive(&k, skb), 0);
	gem_test_expect_bytes(test, skb, gem_kat_plain4, sizeof(gem_kat_plain4), off);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(page_address(page), gem_kat_plain4 + hdrs, text), 0,
			    "the payload was copied out of its page to be opened");
	put_page(page);
	kfree_skb(skb);

	/* With a clone sharing that page, the page keeps the ciphertext. */
	skb = gem_test_paged_skb(test, gem_kat_sealed4, slen, hdrs + GEM_WIRE_HDR_LEN);
	clone = skb_clone(skb, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, clone);
	KUNIT_ASSERT_EQ(test, gem_test_receive(&k, skb), 0);
	gem_test_expect_bytes(test, skb, gem_kat_plain4, sizeof(gem_kat_plain4), off);
	KUNIT_ASSERT_EQ(test, clone->len, slen);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(clone, 0, got, slen), 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(got, gem_kat_sealed4, slen), 0,
			    "the clone's ciphertext was opened under it");
	kfree_skb(clone);
	kfree_skb(skb);
	gem_test_keys_destroy(&k);
}

/*
 * Every byte that GEM authenticates, flipped alone, makes the receiver
 * refuse the packet: addresses, ports, UDP length, GEM header, ciphertext
 * and both tags. (TTL and the other mutable IP fields are not covered, as
 * in ESP transport mode; the UDP checksum is recomputed on both sides.)
 */
static void gem_test_flips(struct kunit *test, const u8 *sealed, unsigned int len,
			   unsigned int addr_off, unsigned int nhlen)
{
	unsigned int check = nhlen + offsetof(struct udphdr, check), i;
	struct gem_test_keys k;
	struct sk_buff *skb;
	u8 *buf;

	gem_test_keys_init(test, &k, nhlen == sizeof(struct iphdr) ? 4 : 6);
	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	skb = gem_test_skb(test, sealed, len);
	KUNIT_EXPECT_EQ(test, gem_test_receive(&k, skb), 0);
	kfree_skb(skb);

	for (i = addr_off; i < len; i++) {
		if (i == check || i == check + 1)
			continue;
		memcpy(buf, sealed, len);
		buf[i] ^= 0x01;
		skb = gem_test_skb(test, buf, len);
		KUNIT_EXPECT_NE_MSG(test, gem_test_receive(&k, skb), 0, "flip at byte %u", i);
		kfree_skb(skb);
	}
	gem_test_keys_destroy(&k);
}

static void gem_test_flips4(struct kunit *test)
{
	gem_test_flips(test, gem_kat_sealed4, sizeof(gem_kat_sealed4),
		       offsetof(struct iphdr, saddr), sizeof(struct iphdr));
}

static void gem_test_flips6(struct kunit *test)
{
	gem_test_flips(test, gem_kat_sealed6, sizeof(gem_kat_sealed6),
		       offsetof(struct ipv6hdr, saddr), sizeof(struct ipv6hdr));
}

/* A receiver with another group's tag key or another stream's key refuses. */
static void gem_test_wrong_keys(struct kunit *test)
{
	struct gem_test_keys k, other;
	u8 key[GEM_SEK_LEN], fp[GEM_SEK_FP_LEN] = {};
	struct sk_buff *skb;

	gem_test_keys_init(test, &k, 4);
	memset(key, 0x5a, sizeof(key));
	KUNIT_ASSERT_EQ(test, gem_crypto_sek_init(&other.sek, key, GEM_KAT_KEY_ID, fp), 0);
	KUNIT_ASSERT_EQ(test,
			gem_crypto_tagkey_init(&other.tk, "hmac(sha256)", key, sizeof(key)), 0);

	skb = gem_test_skb(test, gem_kat_sealed4, sizeof(gem_kat_sealed4));
	swap(k.tk, other.tk);
	KUNIT_EXPECT_EQ(test, gem_test_receive(&k, skb), -EKEYREJECTED);
	swap(k.tk, other.tk);
	swap(k.sek, other.sek);
	KUNIT_EXPECT_EQ(test, gem_test_receive(&k, skb), -EBADMSG);
	swap(k.sek, other.sek);
	kfree_skb(skb);

	gem_test_keys_destroy(&other);
	gem_test_keys_destroy(&k);
}

/* Seal then open, both families, many sizes, linear and paged. */
static void gem_test_roundtrip(struct kunit *test)
{
	static const unsigned int sizes[] = { 0, 1, 15, 16, 17, 100, 1400, 3000 };
	const unsigned int nhlens[] = { sizeof(struct iphdr), sizeof(struct ipv6hdr) };
	struct gem_test_keys k;
	struct rnd_state rnd;
	unsigned int i;
	u8 *pkt;

	gem_test_keys_init(test, &k, 4);
	pkt = kunit_kmalloc(test, 40 + 8 + 3000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pkt);
	prandom_seed_state(&rnd, 7);

	for (i = 0; i < 2 * ARRAY_SIZE(sizes) * 2; i++) {
		unsigned int f = i & 1, paged = (i >> 1) & 1, s = i >> 2;
		unsigned int nhlen = nhlens[f], len = nhlen + 8 + sizes[s];
		struct sk_buff *skb;

		prandom_bytes_state(&rnd, pkt + nhlen + 8, sizes[s]);
		memset(pkt, 0, nhlen + 8);
		if (f == 0) {
			struct iphdr *iph = (struct iphdr *)pkt;

			iph->version = 4;
			iph->ihl = 5;
			iph->ttl = 9;
			iph->protocol = IPPROTO_UDP;
			iph->tot_len = htons(len);
			iph->saddr = htonl(0xc6336401);
			iph->daddr = htonl(0xef010203);
			ip_send_check(iph);
		} else {
			struct ipv6hdr *ip6h = (struct ipv6hdr *)pkt;

			ip6h->version = 6;
			ip6h->nexthdr = IPPROTO_UDP;
			ip6h->hop_limit = 9;
			ip6h->payload_len = htons(len - nhlen);
			ip6h->saddr.s6_addr[0] = 0x20;
			ip6h->daddr.s6_addr[0] = 0xff;
		}
		((struct udphdr *)(pkt + nhlen))->len = htons(8 + sizes[s]);
		((struct udphdr *)(pkt + nhlen))->source = htons(1234);

		skb = paged && sizes[s] ? gem_test_paged_skb(test, pkt, len, nhlen + 8)
					: gem_test_skb(test, pkt, len);
		KUNIT_ASSERT_EQ(test, gem_test_seal(&k, skb, 1000 + s), 0);
		KUNIT_EXPECT_EQ(test, skb->len, len + GEM_OVERHEAD);
		KUNIT_EXPECT_EQ(test, gem_test_receive(&k, skb), 0);
		gem_test_expect_bytes(test, skb, pkt, len, nhlen + offsetof(struct udphdr, check));
		kfree_skb(skb);
	}
	gem_test_keys_destroy(&k);
}

/* Not a whole UDP datagram: refused before any crypto. */
static void gem_test_seal_refuses(struct kunit *test)
{
	struct gem_test_keys k;
	struct sk_buff *skb;
	u8 pkt[sizeof(gem_kat_plain4)];

	gem_test_keys_init(test, &k, 4);
	memcpy(pkt, gem_kat_plain4, sizeof(pkt));
	pkt[9] = IPPROTO_TCP;
	skb = gem_test_skb(test, pkt, sizeof(pkt));
	KUNIT_EXPECT_EQ(test, gem_test_seal(&k, skb, 1), -EINVAL);
	kfree_skb(skb);

	memcpy(pkt, gem_kat_plain4, sizeof(pkt));
	pkt[6] = 0x20;	/* more fragments */
	skb = gem_test_skb(test, pkt, sizeof(pkt));
	KUNIT_EXPECT_EQ(test, gem_test_seal(&k, skb, 1), -EINVAL);
	kfree_skb(skb);

	skb = gem_test_skb(test, gem_kat_plain4, sizeof(gem_kat_plain4) - 1);
	KUNIT_EXPECT_EQ(test, gem_test_seal(&k, skb, 1), -EINVAL);
	kfree_skb(skb);
	gem_test_keys_destroy(&k);
}

/*
 * One key given to several streams, or under several key ids, seals each
 * under a key of its own (so no two share a nonce space); its
 * fingerprint is one, and a short key is refused.
 */
static void gem_test_stream_keys(struct kunit *test)
{
	struct gem_stream_id ids[5];
	u8 keys[6][GEM_SEK_LEN], fp[GEM_SEK_FP_LEN];
	unsigned int i, j;

	ids[0] = gem_kat_id(4);
	ids[1] = ids[0];
	ids[1].src.v4 ^= htonl(1);
	ids[2] = ids[0];
	ids[2].group.v4 ^= htonl(1);
	ids[3] = gem_kat_id(6);
	ids[4] = ids[3];
	ids[4].group.v6.s6_addr[15] ^= 1;
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		KUNIT_ASSERT_EQ(test, gem_crypto_sek_derive(gem_kat_sek, GEM_SEK_LEN, &ids[i], 1,
							    keys[i], fp), 0);
		KUNIT_EXPECT_EQ(test, memcmp(fp, gem_kat_fingerprint, sizeof(fp)), 0);
	}
	KUNIT_ASSERT_EQ(test, gem_crypto_sek_derive(gem_kat_sek, GEM_SEK_LEN, &ids[0], 2,
						    keys[5], fp), 0);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		for (j = i + 1; j < ARRAY_SIZE(keys); j++)
			KUNIT_EXPECT_NE_MSG(test, memcmp(keys[i], keys[j], GEM_SEK_LEN), 0,
					    "streams %u and %u", i, j);
	KUNIT_EXPECT_EQ(test, gem_crypto_sek_derive(gem_kat_sek, 16, &ids[0], 1, keys[0], fp),
			-EINVAL);
}

/* The names listed in @d, in slot order, as "a,b,"; how many transforms use them. */
static unsigned int gem_test_drivers(const struct gem_crypto_drivers *d, char *buf, size_t len)
{
	unsigned int i, users = 0;

	buf[0] = 0;
	for (i = 0; i < GEM_CRYPTO_DRIVERS_MAX; i++) {
		if (!d->slot[i].users)
			continue;
		strlcat(buf, d->slot[i].name, len);
		strlcat(buf, ",", len);
		users += d->slot[i].users;
	}
	return users;
}

/*
 * The record of implementations in use: one slot a distinct name, freed
 * when its last user goes; past GEM_CRYPTO_DRIVERS_MAX names, transforms
 * are counted as unlisted and their names never stored.
 */
static void gem_test_drivers_record(struct kunit *test)
{
	static const char *const names[] = { "d0", "d1", "d2", "d3", "d4", "d5" };
	struct gem_crypto_drivers *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	char buf[64], *longest;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(names) != GEM_CRYPTO_DRIVERS_MAX + 2);
	KUNIT_ASSERT_NOT_NULL(test, d);
	gem_crypto_drivers_init(d);
	KUNIT_EXPECT_EQ(test, gem_test_drivers(d, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "");

	gem_crypto_drivers_get(d, "d0");
	gem_crypto_drivers_get(d, "d1");
	gem_crypto_drivers_get(d, "d0");
	KUNIT_EXPECT_EQ(test, gem_test_drivers(d, buf, sizeof(buf)), 3);
	KUNIT_EXPECT_STREQ(test, buf, "d0,d1,");
	gem_crypto_drivers_put(d, "d0");
	KUNIT_EXPECT_STREQ(test, (gem_test_drivers(d, buf, sizeof(buf)), buf), "d0,d1,");
	gem_crypto_drivers_put(d, "d0");
	KUNIT_EXPECT_EQ(test, gem_test_drivers(d, buf, sizeof(buf)), 1);
	KUNIT_EXPECT_STREQ(test, buf, "d1,");
	/* The freed slot is the first a new name takes. */
	gem_crypto_drivers_get(d, "d2");
	KUNIT_EXPECT_STREQ(test, (gem_test_drivers(d, buf, sizeof(buf)), buf), "d2,d1,");
	gem_crypto_drivers_put(d, "d2");
	gem_crypto_drivers_put(d, "d1");
	KUNIT_EXPECT_EQ(test, gem_test_drivers(d, buf, sizeof(buf)), 0);

	for (i = 0; i < ARRAY_SIZE(names); i++)
		gem_crypto_drivers_get(d, names[i]);
	gem_crypto_drivers_get(d, "d5");
	KUNIT_EXPECT_EQ(test, gem_test_drivers(d, buf, sizeof(buf)), GEM_CRYPTO_DRIVERS_MAX);
	KUNIT_EXPECT_STREQ(test, buf, "d0,d1,d2,d3,");
	KUNIT_EXPECT_EQ(test, d->unlisted, 3);
	gem_crypto_drivers_put(d, "d4");
	gem_crypto_drivers_put(d, "d3");
	KUNIT_EXPECT_EQ(test, d->unlisted, 2);
	KUNIT_EXPECT_STREQ(test, (gem_test_drivers(d, buf, sizeof(buf)), buf), "d0,d1,d2,");
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (i != 3 && i != 4)
			gem_crypto_drivers_put(d, names[i]);
	gem_crypto_drivers_put(d, "d5");
	KUNIT_EXPECT_EQ(test, gem_test_drivers(d, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, d->unlisted, 0);

	/* The longest name the crypto API allows is kept whole. */
	longest = kunit_kzalloc(test, CRYPTO_MAX_ALG_NAME, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longest);
	memset(longest, 'y', CRYPTO_MAX_ALG_NAME - 1);
	gem_crypto_drivers_get(d, longest);
	KUNIT_EXPECT_STREQ(test, d->slot[0].name, longest);
	gem_crypto_drivers_put(d, longest);
	KUNIT_EXPECT_EQ(test, d->slot[0].users, 0);
}

/*
 * The gcm template over the generic code, behind cryptd: named by its
 * driver, as a cryptd instance takes its child's algorithm name and so
 * is never found as "cryptd(gcm(aes))".
 */
#define GEM_TEST_ASYNC_ALG	"cryptd(gcm_base(ctr(aes-generic),ghash-generic))"

/*
 * An asynchronous AEAD (cryptd over a gcm(aes)): the post function
 * runs once per packet, in cryptd's worker, not the submitter; the bytes
 * sealed are the known answer, opening gives the original back, and a
 * flipped byte is refused there too.
 */
static void gem_test_async(struct kunit *test)
{
	static const char alg[] = GEM_TEST_ASYNC_ALG;
	struct gem_test_wait w = {};
	struct gem_test_keys k;
	struct sk_buff *skb;
	unsigned int i;
	u8 *buf;

	gem_test_keys_init_alg(test, &k, 4, alg);
	KUNIT_EXPECT_TRUE(test, k.sek.async);
	for (i = 0; i < 4; i++) {
		unsigned int linear = sizeof(struct iphdr) + 8 + 3;

		memset(&w, 0, sizeof(w));
		skb = i & 1 ? gem_test_paged_skb(test, gem_kat_plain4, sizeof(gem_kat_plain4),
						 linear)
			    : gem_test_skb(test, gem_kat_plain4, sizeof(gem_kat_plain4));
		KUNIT_ASSERT_EQ(test, gem_test_seal_wait(&k, skb, GEM_KAT_PN, &w), 0);
		KUNIT_EXPECT_EQ(test, w.posts, 1);
		KUNIT_EXPECT_PTR_NE(test, w.poster, current);
		gem_test_expect_bytes(test, skb, gem_kat_sealed4, sizeof(gem_kat_sealed4), -1);

		memset(&w, 0, sizeof(w));
		KUNIT_ASSERT_EQ(test, gem_test_receive_wait(&k, skb, &w), 0);
		KUNIT_EXPECT_EQ(test, w.posts, 1);
		KUNIT_EXPECT_PTR_NE(test, w.poster, current);
		gem_test_expect_bytes(test, skb, gem_kat_plain4, sizeof(gem_kat_plain4),
				      sizeof(struct iphdr) + offsetof(struct udphdr, check));
		kfree_skb(skb);
	}

	/* The ciphertext's first byte flipped: the AEAD refuses it, in the worker. */
	buf = kunit_kmalloc(test, sizeof(gem_kat_sealed4), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, gem_kat_sealed4, sizeof(gem_kat_sealed4));
	buf[sizeof(struct iphdr) + 8 + GEM_WIRE_HDR_LEN] ^= 0x80;
	skb = gem_test_skb(test, buf, sizeof(gem_kat_sealed4));
	memset(&w, 0, sizeof(w));
	/* The GAK tag covers the AEAD tag, not the ciphertext: it passes. */
	KUNIT_EXPECT_EQ(test, gem_test_receive_wait(&k, skb, &w), -EBADMSG);
	KUNIT_EXPECT_EQ(test, w.posts, 1);
	kfree_skb(skb);
	gem_test_keys_destroy(&k);
}

static struct kunit_case gem_crypto_test_cases[] = {
	KUNIT_CASE(gem_test_seal_kat4),
	KUNIT_CASE(gem_test_seal_kat6),
	KUNIT_CASE(gem_test_open_kat4),
	KUNIT_CASE(gem_test_open_kat6),
	KUNIT_CASE(gem_test_open_in_place),
	KUNIT_CASE(gem_test_flips4),
	KUNIT_CASE(gem_test_flips6),
	KUNIT_CASE(gem_test_wrong_keys),
	KUNIT_CASE(gem_test_roundtrip),
	KUNIT_CASE(gem_test_seal_refuses),
	KUNIT_CASE(gem_test_stream_keys),
	KUNIT_CASE(gem_test_drivers_record),
	KUNIT_CASE(gem_test_async),
	{}
};

static struct kunit_suite gem_crypto_test_suite = {
	.name = "gem-crypto",
	.test_cases = gem_crypto_test_cases,
};

kunit_test_suite(gem_crypto_test_suite);
