// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the normalizer's rule list and stream table: included by
 * norm_stream.c.
 */

#include <kunit/test.h>
#include <linux/rtnetlink.h>

static struct gem_norm *gem_norm_test_table(struct kunit *test, struct net_device **out)
{
	struct gem_norm *n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);

	*out = kunit_kzalloc(test, sizeof(**out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_ASSERT_NOT_NULL(test, *out);
	(*out)->ifindex = 9;
	gem_norm_init(n, &init_net);
	return n;
}

static void gem_norm_test_rule(struct gem_norm_rule *r, struct net_device *out, u64 id,
			       unsigned long idle)
{
	memset(r, 0, sizeof(*r));
	r->id = id;
	r->out = out;
	r->idle = idle;
	r->key.in_ifindex = 3;
	r->key.family = AF_INET;
}

static struct gem_stream_id gem_norm_test_id(u32 src)
{
	struct gem_stream_id id = { .family = AF_INET };

	id.src.v4 = htonl(src);
	id.group.v4 = htonl(0xef010203);
	return id;
}

static u64 gem_norm_test_packets(struct gem_norm *n, u64 rule_id)
{
	struct gem_norm_stream *s;
	u64 packets = 0;
	int b;

	for (b = 0; b < ARRAY_SIZE(n->streams); b++)
		hlist_for_each_entry(s, &n->streams[b], node)
			if (s->rule_id == rule_id)
				packets += atomic64_read(&s->packets);
	return packets;
}

/*
 * A stream belongs to the rule that took it: the same (source, group)
 * taken by a more specific rule is another stream, reported apart.
 */
static void gem_norm_test_stream_per_rule(struct kunit *test)
{
	struct gem_stream_id id = gem_norm_test_id(0x0a630002);
	struct gem_norm_rule r1, r2;
	struct net_device *out;
	struct gem_norm *n = gem_norm_test_table(test, &out);

	gem_norm_test_rule(&r1, out, 1, 30 * HZ);
	gem_norm_test_rule(&r2, out, 2, 30 * HZ);
	gem_norm_stream_seen(n, &r1, &id, 100);
	gem_norm_stream_seen(n, &r1, &id, 100);
	KUNIT_EXPECT_EQ(test, n->n_streams, 1);
	KUNIT_EXPECT_EQ(test, gem_norm_test_packets(n, 1), 2);
	gem_norm_stream_seen(n, &r2, &id, 100);
	KUNIT_EXPECT_EQ(test, n->n_streams, 2);
	KUNIT_EXPECT_EQ(test, gem_norm_streams_of_rule(n, &r1), 1);
	KUNIT_EXPECT_EQ(test, gem_norm_streams_of_rule(n, &r2), 1);
	KUNIT_EXPECT_EQ(test, gem_norm_test_packets(n, 1), 2);
	KUNIT_EXPECT_EQ(test, gem_norm_test_packets(n, 2), 1);
	gem_norm_streams_exit(n);
	KUNIT_EXPECT_EQ(test, n->n_streams, 0);
}

/* A rule whose streams were ended starts no more, even if packets race in. */
static void gem_norm_test_dead_rule(struct kunit *test)
{
	struct gem_stream_id id = gem_norm_test_id(0x0a630002);
	struct gem_norm_rule r1, r2;
	struct net_device *out;
	struct gem_norm *n = gem_norm_test_table(test, &out);

	gem_norm_test_rule(&r1, out, 1, 30 * HZ);
	gem_norm_test_rule(&r2, out, 2, 30 * HZ);
	gem_norm_stream_seen(n, &r1, &id, 100);
	gem_norm_stream_seen(n, &r2, &id, 100);
	gem_norm_streams_end_rule(n, &r1);
	KUNIT_EXPECT_TRUE(test, r1.dead);
	KUNIT_EXPECT_EQ(test, n->n_streams, 1);
	KUNIT_EXPECT_EQ(test, gem_norm_streams_of_rule(n, &r1), 0);
	gem_norm_stream_seen(n, &r1, &id, 100);
	KUNIT_EXPECT_EQ(test, n->n_streams, 1);
	KUNIT_EXPECT_EQ(test, gem_norm_streams_of_rule(n, &r2), 1);
	gem_norm_streams_exit(n);
}

/* Spoofed sources fill the table up to its cap and no further. */
static void gem_norm_test_cap(struct kunit *test)
{
	struct gem_stream_id id;
	struct gem_norm_rule r;
	struct net_device *out;
	struct gem_norm *n = gem_norm_test_table(test, &out);
	int i;

	gem_norm_test_rule(&r, out, 1, 30 * HZ);
	for (i = 0; i <= GEM_NORM_STREAMS_MAX; i++) {
		id = gem_norm_test_id(0x0a000000 + i);
		gem_norm_stream_seen(n, &r, &id, 64);
	}
	KUNIT_EXPECT_EQ(test, n->n_streams, GEM_NORM_STREAMS_MAX);
	KUNIT_EXPECT_EQ(test, gem_norm_test_packets(n, 1), GEM_NORM_STREAMS_MAX);
	gem_norm_streams_exit(n);
	KUNIT_EXPECT_EQ(test, n->n_streams, 0);
}

/* Only streams silent for longer than their rule's idle time end. */
static void gem_norm_test_idle(struct kunit *test)
{
	struct gem_stream_id a = gem_norm_test_id(0x0a630002), b = gem_norm_test_id(0x0a630003);
	struct gem_norm_rule quick, slow;
	struct net_device *out;
	struct gem_norm *n = gem_norm_test_table(test, &out);

	gem_norm_test_rule(&quick, out, 1, HZ);
	gem_norm_test_rule(&slow, out, 2, 30 * HZ);
	gem_norm_stream_seen(n, &quick, &a, 100);
	gem_norm_stream_seen(n, &slow, &b, 100);
	gem_norm_streams_end(n, gem_norm_stream_idle, jiffies, GEM_NORM_END_IDLE, true, NULL);
	KUNIT_EXPECT_EQ(test, n->n_streams, 2);
	gem_norm_streams_end(n, gem_norm_stream_idle, jiffies + HZ + 1, GEM_NORM_END_IDLE,
			     true, NULL);
	KUNIT_EXPECT_EQ(test, n->n_streams, 1);
	KUNIT_EXPECT_EQ(test, gem_norm_streams_of_rule(n, &slow), 1);
	gem_norm_streams_exit(n);
}

/* Rules sit most specific first; a rule with the same key takes its place. */
static void gem_norm_test_rule_order(struct kunit *test)
{
	static const u8 plens[][2] = { { 24, 16 }, { 32, 4 }, { 0, 32 }, { 24, 32 }, { 16, 8 } };
	static const char *const want = "32/4 24/32 24/16 16/8 0/32 ";
	struct gem_norm_rule *r, *again, *old;
	struct net_device *out;
	struct gem_norm *n = gem_norm_test_table(test, &out);
	char got[64] = "";
	int i;

	for (i = 0; i < ARRAY_SIZE(plens); i++) {
		r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r);
		gem_norm_test_rule(r, out, i + 1, HZ);
		r->key.src_plen = plens[i][0];
		r->key.grp_plen = plens[i][1];
		rtnl_lock();
		KUNIT_EXPECT_NULL(test, gem_norm_rule_link(n, r));
		rtnl_unlock();
	}
	list_for_each_entry(r, &n->rules, list)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%u/%u ",
			 r->key.src_plen, r->key.grp_plen);
	KUNIT_EXPECT_STREQ(test, got, want);

	again = kunit_kzalloc(test, sizeof(*again), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, again);
	gem_norm_test_rule(again, out, 99, HZ);
	again->key.src_plen = 24;
	again->key.grp_plen = 16;
	rtnl_lock();
	old = gem_norm_rule_link(n, again);
	rtnl_unlock();
	KUNIT_ASSERT_NOT_NULL(test, old);
	KUNIT_EXPECT_EQ(test, old->id, 1);
	/* Third, where the rule it replaced was. */
	r = list_next_entry(list_next_entry(list_first_entry(&n->rules, struct gem_norm_rule,
							     list), list), list);
	KUNIT_EXPECT_PTR_EQ(test, r, again);
	gem_norm_streams_exit(n);
}

static struct kunit_case gem_norm_stream_test_cases[] = {
	KUNIT_CASE(gem_norm_test_stream_per_rule),
	KUNIT_CASE(gem_norm_test_dead_rule),
	KUNIT_CASE(gem_norm_test_cap),
	KUNIT_CASE(gem_norm_test_idle),
	KUNIT_CASE(gem_norm_test_rule_order),
	{}
};

static struct kunit_suite gem_norm_stream_test_suite = {
	.name = "gem-norm-streams",
	.test_cases = gem_norm_stream_test_cases,
};

kunit_test_suite(gem_norm_stream_test_suite);
