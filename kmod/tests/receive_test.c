// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the receive path's pure parts: included by receive.c.
 */

#include <kunit/test.h>
#include <linux/udp.h>

#define GEM_TEST_SEGS	3
#define GEM_TEST_MSS	1000

/*
 * A packet as UDP GRO leaves it: GEM_TEST_SEGS datagrams of GEM_TEST_MSS
 * bytes merged, headers in the head, payload in page fragments, the
 * checksum left partial.
 */
static struct sk_buff *gem_test_gro_packet(struct kunit *test)
{
	unsigned int len = GEM_TEST_SEGS * GEM_TEST_MSS;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;
	struct page *page;
	unsigned int i;
	u8 *p;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(*iph) + sizeof(*uh), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 8;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = htonl(0xc0000201);
	iph->daddr = htonl(0xef010203);
	iph->tot_len = htons(sizeof(*iph) + sizeof(*uh) + len);
	ip_send_check(iph);
	skb_set_transport_header(skb, sizeof(*iph));
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(5000);
	uh->dest = htons(5000);
	uh->len = htons(sizeof(*uh) + len);
	uh->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, sizeof(*uh) + len,
				       IPPROTO_UDP, 0);

	for (i = 0; i < GEM_TEST_SEGS; i++) {
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		p = page_address(page);
		memset(p, 'a' + i, GEM_TEST_MSS);
		skb_fill_page_desc(skb, i, page, 0, GEM_TEST_MSS);
	}
	skb->len += len;
	skb->data_len += len;
	skb->truesize += GEM_TEST_SEGS * PAGE_SIZE;
	skb->protocol = htons(ETH_P_IP);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	skb_shinfo(skb)->gso_size = GEM_TEST_MSS;
	skb_shinfo(skb)->gso_type = SKB_GSO_UDP_L4;
	skb_shinfo(skb)->gso_segs = GEM_TEST_SEGS;
	return skb;
}

/*
 * Splitting what GRO merged copies no payload and sums none: each datagram
 * keeps the merged packet's pages, to be opened in place, and a partial
 * checksum, so the AEAD stays the one pass over it. Every datagram comes
 * out whole.
 */
static void gem_test_rx_split_one_pass(struct kunit *test)
{
	struct sk_buff *skb = gem_test_gro_packet(test);
	struct sk_buff *segs, *seg, *next;
	u8 buf[GEM_TEST_MSS];
	unsigned int n = 0;

	segs = gem_rx_split(skb);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, segs);
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		KUNIT_EXPECT_EQ(test, seg->len, sizeof(struct iphdr) + sizeof(struct udphdr) +
				GEM_TEST_MSS);
		KUNIT_EXPECT_EQ_MSG(test, seg->data_len, GEM_TEST_MSS,
				    "datagram %u: its payload was copied", n);
		KUNIT_EXPECT_EQ_MSG(test, (int)seg->ip_summed, CHECKSUM_PARTIAL,
				    "datagram %u: its checksum was summed", n);
		KUNIT_EXPECT_EQ(test, ntohs(udp_hdr(seg)->len), sizeof(struct udphdr) +
				GEM_TEST_MSS);
		KUNIT_ASSERT_EQ(test, skb_copy_bits(seg, seg->len - GEM_TEST_MSS, buf,
						    GEM_TEST_MSS), 0);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf, 'a' + n, GEM_TEST_MSS), NULL);
		kfree_skb(seg);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, GEM_TEST_SEGS);
}

/*
 * Where a clone shares the merged packet (a packet socket's), each
 * datagram is copied out, so opening it in place leaves the clone alone.
 */
static void gem_test_rx_split_cloned(struct kunit *test)
{
	struct sk_buff *skb = gem_test_gro_packet(test);
	struct sk_buff *clone = skb_clone(skb, GFP_KERNEL);
	struct sk_buff *segs, *seg, *next;
	unsigned int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, clone);
	segs = gem_rx_split(skb);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, segs);
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		KUNIT_EXPECT_EQ_MSG(test, seg->data_len, 0,
				    "datagram %u shares the clone's pages", n);
		KUNIT_EXPECT_FALSE(test, skb_cloned(seg));
		kfree_skb(seg);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, GEM_TEST_SEGS);
	kfree_skb(clone);
}

static struct kunit_case gem_receive_test_cases[] = {
	KUNIT_CASE(gem_test_rx_split_one_pass),
	KUNIT_CASE(gem_test_rx_split_cloned),
	{}
};

static struct kunit_suite gem_receive_test_suite = {
	.name = "gem-receive",
	.test_cases = gem_receive_test_cases,
};

kunit_test_suite(gem_receive_test_suite);
