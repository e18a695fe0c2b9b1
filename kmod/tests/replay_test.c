// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the replay window: included by replay.c.
 */

#include <kunit/test.h>

static struct gem_replay *gem_test_replay(struct kunit *test)
{
	struct gem_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	gem_replay_init(r);
	return r;
}

/* check and commit agree: a packet is fresh exactly when commit takes it. */
static bool gem_test_accept(struct kunit *test, struct gem_replay *r, u64 pn)
{
	bool fresh = gem_replay_check(r, pn);

	KUNIT_EXPECT_EQ_MSG(test, gem_replay_commit(r, pn), fresh, "pn %llu", pn);
	return fresh;
}

static void gem_test_replay_first(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);

	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, 0));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, 0));

	r = gem_test_replay(test);
	/* The first packet may be any number: a receiver joins late. */
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, 123456789));
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, 123456788));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, 123456789));
}

static void gem_test_replay_duplicates(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);
	u64 pn;

	for (pn = 1; pn <= 3000; pn++)
		KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, pn));
	for (pn = 3000 - GEM_REPLAY_WINDOW + 1; pn <= 3000; pn++)
		KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, pn));
}

static void gem_test_replay_window_edge(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);
	u64 top = 10000;

	KUNIT_EXPECT_GE(test, GEM_REPLAY_WINDOW, 1024);
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, top));
	/* The oldest still inside, once; the first outside, never. */
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, top - GEM_REPLAY_WINDOW + 1));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, top - GEM_REPLAY_WINDOW + 1));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, top - GEM_REPLAY_WINDOW));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, 0));
}

/* Reordering within the window, every order accepted once. */
static void gem_test_replay_reorder(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);
	u64 pn;

	for (pn = 0; pn < 4096; pn += 2)
		KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, pn));
	for (pn = 4096 - 2 * 64 + 1; pn < 4096; pn += 2)
		KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, pn));
	for (pn = 4096 - 2 * 64; pn < 4096; pn++)
		KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, pn));
}

/*
 * A jump far ahead empties the window: bits left by old numbers must not
 * alias the numbers that now share their positions.
 */
static void gem_test_replay_far_jump(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);
	u64 base = 5000, far = base + 7 * GEM_REPLAY_BITS + 100;
	u64 i;

	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, base + i));
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, far));
	/* Inside the new window, at the positions of the old ones: fresh. */
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, base + 7 * GEM_REPLAY_BITS + i));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, base + 1));

	/* A jump of less than a window keeps what is still inside it. */
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, far + 1000));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, far));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, far - 100));
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, far + 999));
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, far + 1));
}

static void gem_test_replay_wrap_guard(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);

	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, GEM_PN_INVALID));
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, U64_MAX - 1));
	KUNIT_EXPECT_EQ(test, r->next, U64_MAX);
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, U64_MAX - 1));
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, U64_MAX - 2));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, GEM_PN_INVALID));
	/* Nothing wrapped back to the start. */
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, 0));
	KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, 1));
}

/* A check alone changes nothing: forged packets cannot move the window. */
static void gem_test_replay_check_is_pure(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);

	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, 10));
	KUNIT_EXPECT_TRUE(test, gem_replay_check(r, 1000000));
	KUNIT_EXPECT_EQ(test, r->next, 11);
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, 9));
}

static struct kunit_case gem_replay_test_cases[] = {
	KUNIT_CASE(gem_test_replay_first),
	KUNIT_CASE(gem_test_replay_duplicates),
	KUNIT_CASE(gem_test_replay_window_edge),
	KUNIT_CASE(gem_test_replay_reorder),
	KUNIT_CASE(gem_test_replay_far_jump),
	KUNIT_CASE(gem_test_replay_wrap_guard),
	KUNIT_CASE(gem_test_replay_check_is_pure),
	{}
};

static struct kunit_suite gem_replay_test_suite = {
	.name = "gem-replay",
	.test_cases = gem_replay_test_cases,
};

kunit_test_suite(gem_replay_test_suite);
