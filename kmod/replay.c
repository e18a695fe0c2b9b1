// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: replay protection for a received stream.
 *
 * A receiver checks a packet number before it spends a decryption on it
 * (gem_replay_check, lockless) and commits it only once the packet has
 * opened (gem_replay_commit, under the lock), so forged packets cannot
 * move the window. Commit checks again: two CPUs may have opened copies
 * of one packet at once, and only one may pass.
 *
 * Every member of a group can seal packets of any of its streams (it
 * holds the group's stream keys), so one could push a stream's window
 * to a packet number near 2^64 and the real source's packets would all
 * look old until the next key. Where a stream's rate is known, the
 * window moves ahead by at most that many packet numbers a second (a
 * token bucket holding one second's worth): such a jump is refused and
 * counted, and the damage of an insider is bounded by its rate.
 */

#include <linux/math64.h>
#include <linux/time64.h>

#include "replay.h"

/**
 * gem_replay_init - an empty window
 * @r: the window
 * @floor: the lowest packet number it will take: packets a receiver
 *	accepted before, with this key, under an earlier window; 0 for none
 * @rate: the bound on how fast the window moves ahead, packets a second;
 *	0 for none
 */
void gem_replay_init(struct gem_replay *r, u64 floor, u32 rate)
{
	u64 pn;

	spin_lock_init(&r->lock);
	r->next = min(floor, GEM_PN_INVALID - 1);
	r->started = false;
	gem_replay_set_rate(r, rate);
	if (!r->next) {
		bitmap_zero(r->bitmap, GEM_REPLAY_BITS);
		return;
	}
	/*
	 * Everything below the floor counts as seen. Sliding clears whole
	 * words above the newest (next - 1), so the rest of the floor's own
	 * word is cleared here.
	 */
	bitmap_fill(r->bitmap, GEM_REPLAY_BITS);
	for (pn = r->next; pn <= (r->next | (BITS_PER_LONG - 1)); pn++)
		__clear_bit(pn & (GEM_REPLAY_BITS - 1), r->bitmap);
}

/**
 * gem_replay_set_rate() - changes a window's bound on how fast it moves ahead
 * @r: the window
 *
 * A new bound takes effect with a full second's credit.
 * @rate: packets a second, 0 for no bound
 */
void gem_replay_set_rate(struct gem_replay *r, u32 rate)
{
	spin_lock_bh(&r->lock);
	r->rate = rate;
	r->credit = (u64)rate * NSEC_PER_SEC;
	r->credit_ns = 0;
	spin_unlock_bh(&r->lock);
}

/**
 * gem_replay_next() - the next packet number a window expects
 * @r: the window
 *
 * The newest accepted packet number plus one (or the floor).
 *
 * Return: the newest accepted packet number plus one, or the floor.
 */
u64 gem_replay_next(const struct gem_replay *r)
{
	return READ_ONCE(r->next);
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

/**
 * gem_replay_check() - whether a packet number may be taken, before any crypto
 * @r: the window
 * @pn: the packet number
 *
 * Return: true if @pn is new to the window.
 */
bool gem_replay_check(const struct gem_replay *r, u64 pn)
{
	return gem_replay_fresh(READ_ONCE(r->next), r->bitmap, pn);
}

/* May the window move ahead by @ahead now? Takes the credit if so. */
static bool gem_replay_rate_ok(struct gem_replay *r, u64 ahead, u64 now_ns)
{
	u64 cap = (u64)r->rate * NSEC_PER_SEC, elapsed;

	/* The first packet sets where the window starts: nothing to bound. */
	if (!r->rate || !r->started)
		goto take;
	elapsed = now_ns - r->credit_ns;
	if (!r->credit_ns || elapsed >= NSEC_PER_SEC)
		r->credit = cap;
	else
		r->credit = min(cap, r->credit + elapsed * r->rate);
	r->credit_ns = now_ns;
	if (ahead > div64_u64(r->credit, NSEC_PER_SEC))
		return false;
	r->credit -= ahead * NSEC_PER_SEC;
	return true;
take:
	r->credit_ns = now_ns;
	return true;
}

/**
 * gem_replay_commit - take a packet number, once
 * @r: the window
 * @pn: the number of a packet that opened
 * @now_ns: ktime_get_ns(), for the rate bound
 *
 * Return: GEM_REPLAY_FRESH if it was taken, GEM_REPLAY_SEEN if it is a
 * replay (or too old), GEM_REPLAY_JUMP if it is further ahead than the
 * stream's rate allows.
 */
enum gem_replay_verdict gem_replay_commit(struct gem_replay *r, u64 pn, u64 now_ns)
{
	enum gem_replay_verdict v = GEM_REPLAY_SEEN;
	u64 word, steps;

	spin_lock_bh(&r->lock);
	if (!gem_replay_fresh(r->next, r->bitmap, pn))
		goto out;
	if (pn >= r->next) {
		v = GEM_REPLAY_JUMP;
		if (!gem_replay_rate_ok(r, pn + 1 - r->next, now_ns))
			goto out;
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
	r->started = true;
	__set_bit(pn & (GEM_REPLAY_BITS - 1), r->bitmap);
	v = GEM_REPLAY_FRESH;
out:
	spin_unlock_bh(&r->lock);
	return v;
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/replay_test.c"
#endif
