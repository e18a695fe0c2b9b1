// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of a device's key tables: included by keys.c.
 */

#include <crypto/aead.h>
#include <crypto/hash.h>
#include <kunit/test.h>
#include <linux/delay.h>

static const u8 gem_test_key[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
static const u8 gem_test_key2[32] = { 2, 3, 4, 5 };

static struct gem_keys *gem_test_keys(struct kunit *test)
{
	struct gem_keys *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, k);
	KUNIT_ASSERT_EQ(test, gem_keys_init(k), 0);
	return k;
}

static union gem_addr gem_test_v4(u32 a)
{
	union gem_addr addr = {};

	addr.v4 = htonl(a);
	return addr;
}

static int gem_test_group(struct gem_keys *k, u32 prefix, u8 plen)
{
	union gem_addr p = gem_test_v4(prefix);

	return gem_keys_group_set(k, AF_INET, &p, plen, GEM_TAG_HMAC_SHA256, gem_test_key,
			     sizeof(gem_test_key), NULL);
}

/* The longest matching prefix wins, whatever the order of installation. */
static void gem_test_group_longest_prefix(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	union gem_addr a;
	struct gem_group *g;

	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef000000, 8), 0);
	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef010200, 24), 0);
	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);

	rcu_read_lock();
	a = gem_test_v4(0xef010203);
	g = gem_keys_group_find(k, AF_INET, &a);
	KUNIT_EXPECT_EQ(test, g ? g->prefixlen : 0, 24);
	a = gem_test_v4(0xef01ff01);
	g = gem_keys_group_find(k, AF_INET, &a);
	KUNIT_EXPECT_EQ(test, g ? g->prefixlen : 0, 16);
	a = gem_test_v4(0xef7f0001);
	g = gem_keys_group_find(k, AF_INET, &a);
	KUNIT_EXPECT_EQ(test, g ? g->prefixlen : 0, 8);
	a = gem_test_v4(0xe0000001);
	KUNIT_EXPECT_NULL(test, gem_keys_group_find(k, AF_INET, &a));
	rcu_read_unlock();

	a = gem_test_v4(0xef010200);
	KUNIT_EXPECT_EQ(test, gem_keys_group_del(k, AF_INET, &a, 24), 0);
	KUNIT_EXPECT_EQ(test, gem_keys_group_del(k, AF_INET, &a, 24), -ENOENT);
	rcu_read_lock();
	a = gem_test_v4(0xef010203);
	g = gem_keys_group_find(k, AF_INET, &a);
	KUNIT_EXPECT_EQ(test, g ? g->prefixlen : 0, 16);
	rcu_read_unlock();
	gem_keys_destroy(k);
	gem_keys_free(k);
}

static void gem_test_group_refused(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct netlink_ext_ack extack = {};
	union gem_addr p = gem_test_v4(0xef010203), v6 = {};

	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0x0a000000, 8), -EINVAL);	/* unicast */
	/* wider than 224.0.0.0/4 */
	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0xe0000000, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, gem_keys_group_set(k, AF_INET, &p, 16, GEM_TAG_HMAC_SHA256,
						 gem_test_key, 32, &extack), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "bits set past"));
	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0xef000000, 8), 0);
	p = gem_test_v4(0xef000000);
	KUNIT_EXPECT_EQ(test, gem_keys_group_set(k, AF_INET, &p, 8, GEM_TAG_ALG_MAX + 1,
						 gem_test_key, 32, NULL), -EINVAL);
	v6.v6.s6_addr[0] = 0xfe;	/* not multicast */
	KUNIT_EXPECT_EQ(test, gem_keys_group_set(k, AF_INET6, &v6, 16, GEM_TAG_HMAC_SHA256,
						 gem_test_key, 32, NULL), -EINVAL);
	v6.v6.s6_addr[0] = 0xff;
	v6.v6.s6_addr[1] = 0x3e;
	KUNIT_EXPECT_EQ(test, gem_keys_group_set(k, AF_INET6, &v6, 16, GEM_TAG_CMAC_AES,
						 gem_test_key, 16, NULL), 0);
	gem_keys_destroy(k);
	gem_keys_free(k);
}

static struct gem_stream_id gem_test_id(u32 src, u32 group, u8 key_id)
{
	struct gem_stream_id id = { .family = AF_INET, .key_id = key_id };

	id.src = gem_test_v4(src);
	id.group = gem_test_v4(group);
	return id;
}

/* Receive keys are per key id; transmit keys replace, with a new id only. */
static void gem_test_streams(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct gem_stream_id id1 = gem_test_id(0xc0000201, 0xef010203, 1);
	struct gem_stream_id id2 = gem_test_id(0xc0000201, 0xef010203, 2);
	struct gem_stream_id txid = { .family = AF_INET, .src = id1.src, .group = id1.group };
	struct gem_tx_stream *tx;

	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id1, gem_test_key, 32, NULL, NULL), 0);
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id2, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_rx_find(k, &id1));
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_rx_find(k, &id2));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, gem_keys_stream_del(k, false, &id1), 0);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, gem_keys_rx_find(k, &id1));
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_rx_find(k, &id2));
	rcu_read_unlock();

	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, true, &id1, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	tx = gem_keys_tx_find(k, &txid);
	KUNIT_ASSERT_NOT_NULL(test, tx);
	KUNIT_EXPECT_EQ(test, tx->sek.key_id, 1);
	atomic64_set(&tx->next_pn, 500);
	rcu_read_unlock();
	/* Another key under the id in use: refused. */
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, true, &id1, gem_test_key2, 32,
						  NULL, NULL), -EEXIST);
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, true, &id2, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	tx = gem_keys_tx_find(k, &txid);
	KUNIT_ASSERT_NOT_NULL(test, tx);
	KUNIT_EXPECT_EQ(test, tx->sek.key_id, 2);
	KUNIT_EXPECT_GE(test, atomic64_read(&tx->next_pn), GEM_CLOCK_MIN_SECONDS * NSEC_PER_SEC);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, true, &id2, gem_test_key, 16, NULL, NULL),
			-EINVAL);
	gem_keys_destroy(k);
	gem_keys_free(k);
}

/* The users of the one slot @d lists, after checking it holds @name. */
static unsigned int gem_test_only_driver(struct kunit *test, const struct gem_crypto_drivers *d,
					 const char *name)
{
	unsigned int i, n = 0, users = 0;

	for (i = 0; i < GEM_CRYPTO_DRIVERS_MAX; i++) {
		if (!d->slot[i].users)
			continue;
		n++;
		users = d->slot[i].users;
		KUNIT_EXPECT_STREQ(test, d->slot[i].name, name);
	}
	KUNIT_EXPECT_LE(test, n, 1);
	KUNIT_EXPECT_EQ(test, d->unlisted, 0);
	return users;
}

/*
 * The device's record of implementations counts each installed key once,
 * by its transform's own driver name: a replaced key is not counted
 * twice, a deleted or flushed one not at all.
 */
static void gem_test_drivers_counted(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct gem_stream_id id1 = gem_test_id(0xc0000201, 0xef010203, 1);
	struct gem_stream_id id2 = gem_test_id(0xc0000201, 0xef010203, 2);
	union gem_addr p = gem_test_v4(0xef010000);
	const char *aead, *tag;
	struct gem_group *g;

	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->aead_drivers, ""), 0);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->tag_drivers, ""), 0);

	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);
	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);	/* replaced */
	rcu_read_lock();
	g = gem_keys_group_find(k, AF_INET, &p);
	KUNIT_ASSERT_NOT_NULL(test, g);
	tag = crypto_shash_driver_name(g->tk.tfm);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->tag_drivers, tag), 1);

	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, true, &id1, gem_test_key, 32, NULL, NULL), 0);
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, true, &id2, gem_test_key, 32, NULL, NULL), 0);
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id1, gem_test_key, 32, NULL, NULL), 0);
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id2, gem_test_key, 32, NULL, NULL), 0);
	/* The key the stream has, again: nothing new. */
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id2, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	aead = crypto_aead_driver_name(gem_keys_rx_find(k, &id1)->sek.tfm);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->aead_drivers, aead), 3);

	KUNIT_EXPECT_EQ(test, gem_keys_stream_del(k, false, &id1), 0);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->aead_drivers, aead), 2);
	gem_keys_stream_flush(k, false);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->aead_drivers, aead), 1);
	KUNIT_EXPECT_EQ(test, gem_keys_stream_del(k, true, &id2), 0);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->aead_drivers, ""), 0);
	KUNIT_EXPECT_EQ(test, gem_keys_group_del(k, AF_INET, &p, 16), 0);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->tag_drivers, ""), 0);

	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);
	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef020000, 16), 0);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->tag_drivers, tag), 2);
	gem_keys_group_flush(k);
	KUNIT_EXPECT_EQ(test, gem_test_only_driver(test, &k->tag_drivers, ""), 0);
	gem_keys_destroy(k);
	gem_keys_free(k);
}

#define GEM_TEST_MANY	12000

/*
 * Many streams: the table grows with them, far past a fixed 1024 buckets,
 * so a lookup stays O(1); every one is found, and flush leaves the table
 * and the list empty, whatever was in them.
 */
static void gem_test_stream_flush(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct gem_stream_id id;
	unsigned int size;
	int i, found = 0;

	for (i = 0; i < GEM_TEST_MANY; i++) {
		id = gem_test_id(0x0a000000 + i, 0xef000000 + i, 1);
		KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key, 32,
							  NULL, NULL), 0);
	}
	rcu_read_lock();
	for (i = 0; i < GEM_TEST_MANY; i++) {
		id = gem_test_id(0x0a000000 + i, 0xef000000 + i, 1);
		found += !!gem_keys_rx_find(k, &id);
	}
	id = gem_test_id(0x0a000000 + GEM_TEST_MANY, 0xef000000, 1);
	KUNIT_EXPECT_NULL(test, gem_keys_rx_find(k, &id));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, found, GEM_TEST_MANY);
	KUNIT_EXPECT_EQ(test, k->n_rx, GEM_TEST_MANY);
	/*
	 * Inserts past the table's size chain a bigger one; its worker moves
	 * the streams over. Given a moment, the table is the bigger one.
	 */
	for (i = 0; i < 100; i++) {
		rcu_read_lock();
		size = rcu_dereference(k->rx.tbl)->size;
		rcu_read_unlock();
		if (size >= GEM_TEST_MANY / 2)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_GE_MSG(test, size, GEM_TEST_MANY / 2, "the table did not grow");

	gem_keys_stream_flush(k, false);
	KUNIT_EXPECT_TRUE(test, list_empty(&k->rx_list));
	KUNIT_EXPECT_EQ(test, atomic_read(&k->rx.nelems), 0);
	KUNIT_EXPECT_EQ(test, k->n_rx, 0);
	gem_keys_destroy(k);
	gem_keys_free(k);
}

/*
 * A transmit key set again (after a delete, as after a reload or a
 * reboot) starts above every packet number it sealed with before; the
 * very key a stream has, set again, changes nothing.
 */
static void gem_test_tx_pn_never_repeats(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct gem_stream_id id = gem_test_id(0xc0000201, 0xef010203, 7);
	struct gem_stream_id txid = id;
	struct gem_tx_stream *tx, *again;
	u64 used;

	txid.key_id = 0;
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, true, &id, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	tx = gem_keys_tx_find(k, &txid);
	KUNIT_ASSERT_NOT_NULL(test, tx);
	/* A thousand packets sealed. */
	used = atomic64_add_return(1000, &tx->next_pn);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, true, &id, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	again = gem_keys_tx_find(k, &txid);
	KUNIT_EXPECT_PTR_EQ(test, again, tx);
	KUNIT_EXPECT_EQ(test, atomic64_read(&again->next_pn), used);
	rcu_read_unlock();

	KUNIT_ASSERT_EQ(test, gem_keys_stream_del(k, true, &id), 0);
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, true, &id, gem_test_key, 32, NULL, NULL), 0);
	rcu_read_lock();
	tx = gem_keys_tx_find(k, &txid);
	KUNIT_ASSERT_NOT_NULL(test, tx);
	KUNIT_EXPECT_GT(test, atomic64_read(&tx->next_pn), used);
	rcu_read_unlock();
	gem_keys_destroy(k);
	gem_keys_free(k);
}

/*
 * A receive key installed again keeps its window (a restarted agent
 * installs every key it hears of, and a replay must not pass then);
 * another key under the same id gets a window of its own, from its floor.
 */
static void gem_test_rx_window_kept(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct gem_stream_id id = gem_test_id(0xc0000201, 0xef010203, 1);
	struct gem_stream_opts opts = { .floor = 0 };
	static const u8 other_key[32] = { 9 };
	struct gem_rx_stream *rx, *again;

	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key, 32, &opts, NULL), 0);
	rcu_read_lock();
	rx = gem_keys_rx_find(k, &id);
	KUNIT_ASSERT_NOT_NULL(test, rx);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(&rx->replay, 100, 1), GEM_REPLAY_FRESH);
	rcu_read_unlock();

	opts.has_rate = true;
	opts.rate = 50;
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key, 32, &opts, NULL), 0);
	rcu_read_lock();
	again = gem_keys_rx_find(k, &id);
	KUNIT_EXPECT_PTR_EQ(test, again, rx);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(&again->replay, 100, 1), GEM_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, again->replay.rate, 50);
	rcu_read_unlock();

	opts.floor = 5000;
	KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id, other_key, 32, &opts, NULL), 0);
	rcu_read_lock();
	again = gem_keys_rx_find(k, &id);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_EXPECT_PTR_NE(test, again, rx);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(&again->replay, 4999, 1), GEM_REPLAY_SEEN);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(&again->replay, 5000, 1), GEM_REPLAY_FRESH);
	rcu_read_unlock();
	gem_keys_destroy(k);
	gem_keys_free(k);
}

/* Each table holds at most its limit; replacing an entry needs no room. */
static void gem_test_limits(struct kunit *test)
{
	unsigned int saved_rx = max_rx_streams, saved_groups = max_groups, i;
	struct gem_keys *k = gem_test_keys(test);
	struct netlink_ext_ack extack = {};
	struct gem_stream_id id;

	max_rx_streams = 10;
	for (i = 0; i < 10; i++) {
		id = gem_test_id(0x0a000000 + i, 0xef000001, 1);
		KUNIT_ASSERT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key, 32,
							  NULL, NULL), 0);
	}
	id = gem_test_id(0x0a0000ff, 0xef000001, 1);
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key, 32,
						  NULL, &extack), -ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "max_rx_streams"));
	id = gem_test_id(0x0a000003, 0xef000001, 1);
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key2, 32, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, gem_keys_stream_del(k, false, &id), 0);
	id = gem_test_id(0x0a0000ff, 0xef000001, 1);
	KUNIT_EXPECT_EQ(test, gem_keys_stream_set(k, false, &id, gem_test_key, 32, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, k->n_rx, 10);
	gem_keys_stream_flush(k, false);
	KUNIT_EXPECT_EQ(test, k->n_rx, 0);

	max_groups = 2;
	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0xef000000, 8), 0);
	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);
	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0xef020000, 16), -ENOSPC);
	KUNIT_EXPECT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);
	max_rx_streams = saved_rx;
	max_groups = saved_groups;
	gem_keys_destroy(k);
	gem_keys_free(k);
}

/* An IPv4 or IPv6 packet of @len bytes whose IP header is @hdr. */
static struct sk_buff *gem_test_ip_skb(struct kunit *test, const void *hdr, unsigned int hlen,
				       __be16 proto)
{
	struct sk_buff *skb = alloc_skb(hlen + 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, hdr, hlen);
	memset(skb_put(skb, 32), 0, 32);
	skb->protocol = proto;
	skb_reset_network_header(skb);
	return skb;
}

/*
 * What is a protected group's traffic: any IP packet to it, UDP the only
 * kind GEM seals; its IGMP and MLD are the group's signalling and pass.
 */
static void gem_test_group_of(struct kunit *test)
{
	struct gem_keys *k = gem_test_keys(test);
	struct iphdr iph = { .version = 4, .ihl = 5, .ttl = 1, .protocol = IPPROTO_UDP };
	struct {
		struct ipv6hdr ip6;
		u8 hbh[8];
	} v6 = { .ip6 = { .version = 6, .nexthdr = IPPROTO_UDP } };
	union gem_addr p6 = {};
	struct sk_buff *skb;
	bool udp = false;

	KUNIT_ASSERT_EQ(test, gem_test_group(k, 0xef010000, 16), 0);
	p6.v6.s6_addr[0] = 0xff;
	p6.v6.s6_addr[1] = 0x3e;
	KUNIT_ASSERT_EQ(test, gem_keys_group_set(k, AF_INET6, &p6, 16, GEM_TAG_HMAC_SHA256,
						 gem_test_key, 32, NULL), 0);
	rcu_read_lock();
	iph.daddr = htonl(0xef010203);
	skb = gem_test_ip_skb(test, &iph, sizeof(iph), htons(ETH_P_IP));
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	KUNIT_EXPECT_TRUE(test, udp);
	kfree_skb(skb);
	iph.protocol = 253;	/* not UDP: protected, not sealable */
	skb = gem_test_ip_skb(test, &iph, sizeof(iph), htons(ETH_P_IP));
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	KUNIT_EXPECT_FALSE(test, udp);
	kfree_skb(skb);
	iph.protocol = IPPROTO_IGMP;
	skb = gem_test_ip_skb(test, &iph, sizeof(iph), htons(ETH_P_IP));
	KUNIT_EXPECT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	kfree_skb(skb);
	iph.protocol = IPPROTO_UDP;
	iph.daddr = htonl(0xef020203);	/* another group */
	skb = gem_test_ip_skb(test, &iph, sizeof(iph), htons(ETH_P_IP));
	KUNIT_EXPECT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	kfree_skb(skb);

	v6.ip6.daddr = p6.v6;
	v6.ip6.daddr.s6_addr[15] = 1;
	skb = gem_test_ip_skb(test, &v6.ip6, sizeof(v6.ip6), htons(ETH_P_IPV6));
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	KUNIT_EXPECT_TRUE(test, udp);
	kfree_skb(skb);
	/* Behind a hop-by-hop header: UDP is protected, unsealable; ICMPv6 (MLD) passes. */
	v6.ip6.nexthdr = NEXTHDR_HOP;
	v6.hbh[0] = IPPROTO_UDP;
	skb = gem_test_ip_skb(test, &v6, sizeof(v6), htons(ETH_P_IPV6));
	KUNIT_EXPECT_NOT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	KUNIT_EXPECT_FALSE(test, udp);
	kfree_skb(skb);
	v6.hbh[0] = IPPROTO_ICMPV6;
	skb = gem_test_ip_skb(test, &v6, sizeof(v6), htons(ETH_P_IPV6));
	KUNIT_EXPECT_NULL(test, gem_keys_group_of(k, skb, 0, &udp));
	kfree_skb(skb);
	rcu_read_unlock();
	gem_keys_destroy(k);
	gem_keys_free(k);
}

static struct kunit_case gem_keys_test_cases[] = {
	KUNIT_CASE(gem_test_group_longest_prefix),
	KUNIT_CASE(gem_test_group_refused),
	KUNIT_CASE(gem_test_streams),
	KUNIT_CASE(gem_test_stream_flush),
	KUNIT_CASE(gem_test_drivers_counted),
	KUNIT_CASE(gem_test_tx_pn_never_repeats),
	KUNIT_CASE(gem_test_rx_window_kept),
	KUNIT_CASE(gem_test_limits),
	KUNIT_CASE(gem_test_group_of),
	{}
};

static struct kunit_suite gem_keys_test_suite = {
	.name = "gem-keys",
	.test_cases = gem_keys_test_cases,
};

kunit_test_suite(gem_keys_test_suite);
