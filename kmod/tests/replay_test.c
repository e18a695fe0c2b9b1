// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the replay window: included by replay.c.
 */

#include <kunit/test.h>

static struct gem_replay *gem_test_replay(struct kunit *test)
{
	struct gem_replay *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	gem_replay_init(r, 0, 0);
	return r;
}

/* A second of simulated time, for the rate bound. */
#define GEM_TEST_T0	(1000 * NSEC_PER_SEC)

/* check and commit agree: a packet is fresh exactly when commit takes it. */
static bool gem_test_accept(struct kunit *test, struct gem_replay *r, u64 pn)
{
	bool fresh = gem_replay_check(r, pn);

	KUNIT_EXPECT_EQ_MSG(test, gem_replay_commit(r, pn, GEM_TEST_T0) == GEM_REPLAY_FRESH,
			    fresh, "pn %llu", pn);
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
	KUNIT_EXPECT_EQ(test, gem_replay_next(r), U64_MAX);
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
	KUNIT_EXPECT_EQ(test, gem_replay_next(r), 11);
	KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, 9));
}

/*
 * A floor (what a receiver accepted before under an earlier window of the
 * same key) is never crossed downwards, at any distance from it.
 */
static void gem_test_replay_floor(struct kunit *test)
{
	static const u64 floors[] = { 1, 63, 64, 65, 1000, 4096, 123456789 };
	struct gem_replay *r = gem_test_replay(test);
	unsigned int i;
	u64 f, pn;

	for (i = 0; i < ARRAY_SIZE(floors); i++) {
		f = floors[i];
		gem_replay_init(r, f, 0);
		for (pn = f > GEM_REPLAY_BITS ? f - GEM_REPLAY_BITS : 0; pn < f; pn++)
			KUNIT_EXPECT_FALSE_MSG(test, gem_test_accept(test, r, pn),
					       "floor %llu pn %llu", f, pn);
		/* At and above it, each once, in any order within the window. */
		KUNIT_EXPECT_TRUE(test, gem_test_accept(test, r, f + 70));
		for (pn = f; pn < f + 70; pn++)
			KUNIT_EXPECT_TRUE_MSG(test, gem_test_accept(test, r, pn),
					      "floor %llu pn %llu", f, pn);
		for (pn = f; pn <= f + 70; pn++)
			KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, pn));
		KUNIT_EXPECT_FALSE(test, gem_test_accept(test, r, f - 1));
	}
}

/*
 * The rate bound: after the first packet the window moves ahead by at
 * most a second's worth of the rate, refilled as time passes; a jump
 * beyond is refused and leaves the window as it was.
 */
static void gem_test_replay_rate(struct kunit *test)
{
	struct gem_replay *r = gem_test_replay(test);
	u64 t = GEM_TEST_T0;

	gem_replay_init(r, 0, 1000);
	/* The first sets the start, however far. */
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, 1ULL << 40, t), GEM_REPLAY_FRESH);
	/* An insider's jump to near 2^64: refused, the window stays. */
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, U64_MAX - 10, t), GEM_REPLAY_JUMP);
	KUNIT_EXPECT_EQ(test, gem_replay_next(r), (1ULL << 40) + 1);
	/* A second's worth at once is allowed, and then nothing more... */
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, (1ULL << 40) + 1000, t), GEM_REPLAY_FRESH);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, (1ULL << 40) + 1001, t), GEM_REPLAY_JUMP);
	/* ...but what lies behind the newest is never bounded. */
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, (1ULL << 40) + 500, t), GEM_REPLAY_FRESH);
	/* Half a second refills half. */
	t += NSEC_PER_SEC / 2;
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, (1ULL << 40) + 1501, t), GEM_REPLAY_JUMP);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, (1ULL << 40) + 1500, t), GEM_REPLAY_FRESH);
	/* A stream at its rate, packet by packet, is never refused. */
	for (t += NSEC_PER_SEC; t < GEM_TEST_T0 + 10 * NSEC_PER_SEC; t += NSEC_PER_MSEC)
		KUNIT_EXPECT_EQ(test, gem_replay_commit(r, gem_replay_next(r), t),
				GEM_REPLAY_FRESH);
	/* Idle for an hour: still one second's worth, no more. */
	t += 3600 * NSEC_PER_SEC;
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, gem_replay_next(r) + 1000, t),
			GEM_REPLAY_JUMP);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, gem_replay_next(r) + 999, t),
			GEM_REPLAY_FRESH);

	/* Without a rate, any jump. */
	gem_replay_init(r, 0, 0);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, 5, t), GEM_REPLAY_FRESH);
	KUNIT_EXPECT_EQ(test, gem_replay_commit(r, U64_MAX - 10, t), GEM_REPLAY_FRESH);
}

static struct kunit_case gem_replay_test_cases[] = {
	KUNIT_CASE(gem_test_replay_first),
	KUNIT_CASE(gem_test_replay_duplicates),
	KUNIT_CASE(gem_test_replay_window_edge),
	KUNIT_CASE(gem_test_replay_reorder),
	KUNIT_CASE(gem_test_replay_far_jump),
	KUNIT_CASE(gem_test_replay_wrap_guard),
	KUNIT_CASE(gem_test_replay_check_is_pure),
	KUNIT_CASE(gem_test_replay_floor),
	KUNIT_CASE(gem_test_replay_rate),
	{}
};

static struct kunit_suite gem_replay_test_suite = {
	.name = "gem-replay",
	.test_cases = gem_replay_test_cases,
};

kunit_test_suite(gem_replay_test_suite);
