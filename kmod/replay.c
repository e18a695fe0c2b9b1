// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: replay protection for a received stream.
 *
 * A receiver checks a packet number before it spends a decryption on it
 * (gem_replay_check, lockless) and commits it only once the packet has
 * opened (gem_replay_commit, under the lock), so forged packets cannot
 * move the window. Commit checks again: two CPUs may have opened copies
 * of one packet at once, and only one may pass.
 */

#include "replay.h"

void gem_replay_init(struct gem_replay *r)
{
	spin_lock_init(&r->lock);
	r->next = 0;
	bitmap_zero(r->bitmap, GEM_REPLAY_BITS);
}

static bool gem_replay_fresh(u64 next, const unsigned long *bitmap, u64 pn)
{
	if (pn == GEM_PN_INVALID)
		return false;
	if (pn >= next)
		return true;
	/* next - 1 is the newest; accept pn only within the window below it. */
	if (next - 1 - pn >= GEM_REPLAY_WINDOW)
		return false;
	return !test_bit(pn & (GEM_REPLAY_BITS - 1), bitmap);
}

bool gem_replay_check(const struct gem_replay *r, u64 pn)
{
	return gem_replay_fresh(READ_ONCE(r->next), r->bitmap, pn);
}

bool gem_replay_commit(struct gem_replay *r, u64 pn)
{
	u64 word, steps;
	bool fresh;

	spin_lock_bh(&r->lock);
	fresh = gem_replay_fresh(r->next, r->bitmap, pn);
	if (!fresh)
		goto out;
	if (pn >= r->next) {
		/* Slide: clear the words between the old newest and pn. */
		word = pn / BITS_PER_LONG;
		if (r->next)
			steps = min_t(u64, word - (r->next - 1) / BITS_PER_LONG,
				      GEM_REPLAY_WORDS);
		else
			steps = GEM_REPLAY_WORDS;
		while (steps--)
			r->bitmap[(word - steps) & (GEM_REPLAY_WORDS - 1)] = 0;
		WRITE_ONCE(r->next, pn + 1);
	}
	__set_bit(pn & (GEM_REPLAY_BITS - 1), r->bitmap);
out:
	spin_unlock_bh(&r->lock);
	return fresh;
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/replay_test.c"
#endif
