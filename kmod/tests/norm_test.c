// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the normalizer's pure logic: included by norm_rule.c.
 */

#include <kunit/test.h>
#include <linux/inet.h>
#include <net/ip6_checksum.h>

#define GEM_TEST_PAYLOAD	37	/* odd, so the checksum's last byte is padded */

static union gem_addr gem_norm_test_v4(u32 a)
{
	union gem_addr addr = {};

	addr.v4 = htonl(a);
	return addr;
}

static union gem_addr gem_norm_test_v6(const char *s)
{
	union gem_addr addr = {};

	in6_pton(s, -1, addr.v6.s6_addr, -1, NULL);
	return addr;
}

static void gem_norm_test_prefix_ok(struct kunit *test)
{
	union gem_addr a = gem_norm_test_v4(0x0a000000);

	KUNIT_EXPECT_TRUE(test, gem_prefix_ok(AF_INET, &a, 8));
	KUNIT_EXPECT_TRUE(test, gem_prefix_ok(AF_INET, &a, 32));
	KUNIT_EXPECT_FALSE(test, gem_prefix_ok(AF_INET, &a, 33));
	a = gem_norm_test_v4(0x0a000001);
	KUNIT_EXPECT_FALSE(test, gem_prefix_ok(AF_INET, &a, 8));
	KUNIT_EXPECT_FALSE(test, gem_prefix_ok(AF_INET, &a, 31));
	KUNIT_EXPECT_TRUE(test, gem_prefix_ok(AF_INET, &a, 32));
	a = gem_norm_test_v4(0);
	KUNIT_EXPECT_TRUE(test, gem_prefix_ok(AF_INET, &a, 0));

	a = gem_norm_test_v6("fd00:99::");
	KUNIT_EXPECT_TRUE(test, gem_prefix_ok(AF_INET6, &a, 32));
	KUNIT_EXPECT_FALSE(test, gem_prefix_ok(AF_INET6, &a, 16));
	KUNIT_EXPECT_FALSE(test, gem_prefix_ok(AF_INET6, &a, 129));
	a = gem_norm_test_v6("fd00:99::1");
	KUNIT_EXPECT_FALSE(test, gem_prefix_ok(AF_INET6, &a, 127));
	KUNIT_EXPECT_TRUE(test, gem_prefix_ok(AF_INET6, &a, 128));
}

/* The longer source prefix first; then the longer group prefix. */
static void gem_norm_test_order(struct kunit *test)
{
	struct gem_norm_key host = { .src_plen = 32, .grp_plen = 4 };
	struct gem_norm_key net24 = { .src_plen = 24, .grp_plen = 32 };
	struct gem_norm_key net24_g8 = { .src_plen = 24, .grp_plen = 8 };

	KUNIT_EXPECT_TRUE(test, gem_norm_rule_before(&host, &net24));
	KUNIT_EXPECT_FALSE(test, gem_norm_rule_before(&net24, &host));
	KUNIT_EXPECT_TRUE(test, gem_norm_rule_before(&net24, &net24_g8));
	KUNIT_EXPECT_FALSE(test, gem_norm_rule_before(&net24_g8, &net24));
	/* Equal keys: neither goes first, so a new rule goes after its peers. */
	KUNIT_EXPECT_FALSE(test, gem_norm_rule_before(&net24, &net24));
}

/* An IPv4 or IPv6 UDP packet at its network header, checksum complete. */
static struct sk_buff *gem_norm_test_skb(struct kunit *test, u8 family, u8 ttl, bool csum)
{
	unsigned int nhlen = family == AF_INET ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	unsigned int ulen = sizeof(struct udphdr) + GEM_TEST_PAYLOAD;
	struct sk_buff *skb = alloc_skb(64 + nhlen + ulen, GFP_KERNEL);
	struct udphdr *uh;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	p = skb_put_zero(skb, nhlen + ulen);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, nhlen);
	uh = udp_hdr(skb);
	uh->source = htons(4000);
	uh->dest = htons(5000);
	uh->len = htons(ulen);
	get_random_bytes(p + nhlen + sizeof(*uh), GEM_TEST_PAYLOAD);

	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		skb->protocol = htons(ETH_P_IP);
		iph->version = 4;
		iph->ihl = 5;
		iph->ttl = ttl;
		iph->protocol = IPPROTO_UDP;
		iph->tot_len = htons(nhlen + ulen);
		iph->saddr = htonl(0x0a630002);		/* 10.99.0.2 */
		iph->daddr = htonl(0xef010203);		/* 239.1.2.3 */
		ip_send_check(iph);
		if (csum)
			uh->check = csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
						      csum_partial(uh, ulen, 0)) ?: CSUM_MANGLED_0;
	} else {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);

		skb->protocol = htons(ETH_P_IPV6);
		ip6->version = 6;
		ip6->hop_limit = ttl;
		ip6->nexthdr = IPPROTO_UDP;
		ip6->payload_len = htons(ulen);
		ip6->saddr = gem_norm_test_v6("fd00:99::2").v6;
		ip6->daddr = gem_norm_test_v6("ff3e::4321").v6;
		uh->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, ulen, IPPROTO_UDP,
					    csum_partial(uh, ulen, 0)) ?: CSUM_MANGLED_0;
	}
	return skb;
}

/* Whether the packet's UDP checksum (and IPv4 header checksum) hold. */
static bool gem_norm_test_csum_ok(struct sk_buff *skb)
{
	struct udphdr *uh = udp_hdr(skb);
	unsigned int ulen = ntohs(uh->len);
	__wsum sum = csum_partial(uh, ulen, 0);

	if (skb->protocol == htons(ETH_P_IP)) {
		struct iphdr *iph = ip_hdr(skb);

		return !ip_fast_csum(iph, iph->ihl) &&
		       !csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP, sum);
	}
	return !csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr, ulen,
				IPPROTO_UDP, sum);
}

static void gem_norm_test_rewrite_v4(struct kunit *test)
{
	struct sk_buff *skb = gem_norm_test_skb(test, AF_INET, 8, true);
	union gem_addr nsrc = gem_norm_test_v4(0xc0000201);	/* 192.0.2.1 */

	KUNIT_ASSERT_TRUE(test, gem_norm_test_csum_ok(skb));
	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET, &nsrc, 0), 0);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->saddr, nsrc.v4);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->daddr, htonl(0xef010203));
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->ttl, 7);
	KUNIT_EXPECT_TRUE(test, gem_norm_test_csum_ok(skb));
	/* Again, with a fixed TTL: still consistent. */
	nsrc = gem_norm_test_v4(0xcb007101);
	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET, &nsrc, 64), 0);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->ttl, 64);
	KUNIT_EXPECT_TRUE(test, gem_norm_test_csum_ok(skb));
	kfree_skb(skb);
}

/* A TTL of 1 cannot be decremented and forwarded; a fixed TTL can. */
static void gem_norm_test_ttl(struct kunit *test)
{
	struct sk_buff *skb = gem_norm_test_skb(test, AF_INET, 1, true);
	union gem_addr nsrc = gem_norm_test_v4(0xc0000201);

	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET, &nsrc, 0), -EHOSTUNREACH);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->saddr, htonl(0x0a630002));
	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET, &nsrc, 16), 0);
	KUNIT_EXPECT_EQ(test, ip_hdr(skb)->ttl, 16);
	KUNIT_EXPECT_TRUE(test, gem_norm_test_csum_ok(skb));
	kfree_skb(skb);

	skb = gem_norm_test_skb(test, AF_INET6, 1, true);
	nsrc = gem_norm_test_v6("2001:db8::1");
	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET6, &nsrc, 0), -EHOSTUNREACH);
	kfree_skb(skb);
}

/* IPv4 UDP sent without a checksum stays without one. */
static void gem_norm_test_no_csum(struct kunit *test)
{
	struct sk_buff *skb = gem_norm_test_skb(test, AF_INET, 8, false);
	union gem_addr nsrc = gem_norm_test_v4(0xc0000201);

	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET, &nsrc, 0), 0);
	KUNIT_EXPECT_EQ(test, udp_hdr(skb)->check, 0);
	KUNIT_EXPECT_EQ(test, ip_fast_csum(ip_hdr(skb), 5), 0);
	kfree_skb(skb);
}

static void gem_norm_test_rewrite_v6(struct kunit *test)
{
	struct sk_buff *skb = gem_norm_test_skb(test, AF_INET6, 8, true);
	union gem_addr nsrc = gem_norm_test_v6("2001:db8:1::1");

	KUNIT_ASSERT_TRUE(test, gem_norm_test_csum_ok(skb));
	skb->ip_summed = CHECKSUM_COMPLETE;
	KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, AF_INET6, &nsrc, 0), 0);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&ipv6_hdr(skb)->saddr, &nsrc.v6));
	KUNIT_EXPECT_EQ(test, ipv6_hdr(skb)->hop_limit, 7);
	KUNIT_EXPECT_TRUE(test, gem_norm_test_csum_ok(skb));
	/* The sum that came with the packet no longer describes it. */
	KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_NONE);
	kfree_skb(skb);
}

/* A checksum left to offload (a local sender behind a veth) ends right. */
static void gem_norm_test_partial(struct kunit *test)
{
	union gem_addr v4 = gem_norm_test_v4(0xc0000201), v6 = gem_norm_test_v6("2001:db8::7");
	u8 fams[] = { AF_INET, AF_INET6 };
	int i;

	for (i = 0; i < ARRAY_SIZE(fams); i++) {
		struct sk_buff *skb = gem_norm_test_skb(test, fams[i], 8, true);
		struct udphdr *uh = udp_hdr(skb);
		unsigned int ulen = ntohs(uh->len);

		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct udphdr, check);
		if (fams[i] == AF_INET)
			uh->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
						       ulen, IPPROTO_UDP, 0);
		else
			uh->check = ~csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
						     ulen, IPPROTO_UDP, 0);
		KUNIT_EXPECT_EQ(test, gem_norm_hook_rewrite(skb, fams[i],
							    fams[i] == AF_INET ? &v4 : &v6, 0), 0);
		KUNIT_EXPECT_EQ(test, (int)skb->ip_summed, CHECKSUM_PARTIAL);
		KUNIT_EXPECT_EQ(test, skb_checksum_help(skb), 0);
		KUNIT_EXPECT_TRUE(test, gem_norm_test_csum_ok(skb));
		kfree_skb(skb);
	}
}

static struct kunit_case gem_norm_test_cases[] = {
	KUNIT_CASE(gem_norm_test_prefix_ok),
	KUNIT_CASE(gem_norm_test_order),
	KUNIT_CASE(gem_norm_test_rewrite_v4),
	KUNIT_CASE(gem_norm_test_ttl),
	KUNIT_CASE(gem_norm_test_no_csum),
	KUNIT_CASE(gem_norm_test_rewrite_v6),
	KUNIT_CASE(gem_norm_test_partial),
	{}
};

static struct kunit_suite gem_norm_test_suite = {
	.name = "gem-normalizer",
	.test_cases = gem_norm_test_cases,
};

kunit_test_suite(gem_norm_test_suite);
