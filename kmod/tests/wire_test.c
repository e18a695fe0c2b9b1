// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the GEM header: included by wire.c.
 */

#include <kunit/test.h>
#include <linux/prandom.h>

static void gem_test_wire_roundtrip(struct kunit *test)
{
	static const u8 want[GEM_WIRE_HDR_LEN] = {
		0x10, 0x07, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};
	u8 buf[GEM_OVERHEAD + 5] = {};
	struct gem_wire w;

	gem_wire_put_hdr(buf, 7, 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
	KUNIT_ASSERT_EQ(test, gem_wire_parse(buf, sizeof(buf), &w), 0);
	KUNIT_EXPECT_EQ(test, w.key_id, 7);
	KUNIT_EXPECT_EQ(test, w.pn, 0x0123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, w.text_len, 5);
}

static void gem_test_wire_truncated(struct kunit *test)
{
	u8 buf[GEM_OVERHEAD] = {};
	struct gem_wire w;
	unsigned int len;

	gem_wire_put_hdr(buf, 1, 1);
	for (len = 0; len < GEM_OVERHEAD; len++)
		KUNIT_EXPECT_EQ_MSG(test, gem_wire_parse(buf, len, &w), -EBADMSG,
				    "length %u", len);
	/* Only the tags and the header: an empty payload is fine. */
	KUNIT_EXPECT_EQ(test, gem_wire_parse(buf, GEM_OVERHEAD, &w), 0);
	KUNIT_EXPECT_EQ(test, w.text_len, 0);
}

static void gem_test_wire_version_and_flags(struct kunit *test)
{
	u8 buf[GEM_OVERHEAD] = {};
	struct gem_wire w;
	int v;

	gem_wire_put_hdr(buf, 1, 1);
	for (v = 0; v < 256; v++) {
		buf[0] = v;
		KUNIT_EXPECT_EQ_MSG(test, gem_wire_parse(buf, sizeof(buf), &w),
				    v == GEM_WIRE_VERSION << 4 ? 0 : -EPROTONOSUPPORT,
				    "version/flags byte %#x", v);
	}
}

static void gem_test_wire_pn_limit(struct kunit *test)
{
	u8 buf[GEM_OVERHEAD] = {};
	struct gem_wire w;

	gem_wire_put_hdr(buf, 1, U64_MAX);
	KUNIT_EXPECT_EQ(test, gem_wire_parse(buf, sizeof(buf), &w), -EBADMSG);
	gem_wire_put_hdr(buf, 1, U64_MAX - 1);
	KUNIT_EXPECT_EQ(test, gem_wire_parse(buf, sizeof(buf), &w), 0);
	KUNIT_EXPECT_EQ(test, w.pn, U64_MAX - 1);
}

/* Garbage never parses as anything but version 1 with a usable length. */
static void gem_test_wire_garbage(struct kunit *test)
{
	struct rnd_state rnd;
	u8 buf[128];
	struct gem_wire w;
	int i, err;

	prandom_seed_state(&rnd, 42);
	for (i = 0; i < 10000; i++) {
		unsigned int len = prandom_u32_state(&rnd) % sizeof(buf);

		prandom_bytes_state(&rnd, buf, sizeof(buf));
		err = gem_wire_parse(buf, len, &w);
		if (err)
			continue;
		KUNIT_EXPECT_EQ(test, buf[0], GEM_WIRE_VERSION << 4);
		KUNIT_EXPECT_EQ(test, w.text_len + GEM_OVERHEAD, len);
		KUNIT_EXPECT_NE(test, w.pn, U64_MAX);
	}
}

static void gem_test_wire_nonce(struct kunit *test)
{
	static const u8 want[GEM_NONCE_LEN] = {
		0x05, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02,
	};
	u8 nonce[GEM_NONCE_LEN];

	gem_wire_nonce(nonce, 5, 0x102);
	KUNIT_EXPECT_EQ(test, memcmp(nonce, want, sizeof(want)), 0);
}

static struct kunit_case gem_wire_test_cases[] = {
	KUNIT_CASE(gem_test_wire_roundtrip),
	KUNIT_CASE(gem_test_wire_truncated),
	KUNIT_CASE(gem_test_wire_version_and_flags),
	KUNIT_CASE(gem_test_wire_pn_limit),
	KUNIT_CASE(gem_test_wire_garbage),
	KUNIT_CASE(gem_test_wire_nonce),
	{}
};

static struct kunit_suite gem_wire_test_suite = {
	.name = "gem-wire",
	.test_cases = gem_wire_test_cases,
};

kunit_test_suite(gem_wire_test_suite);
