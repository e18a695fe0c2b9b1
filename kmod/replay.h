/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: replay protection for a received stream, a sliding bitmap window
 * over 64-bit packet numbers in the manner of RFC 6479, with a floor
 * below which nothing is taken and a bound on how fast the window may
 * move ahead.
 */
#ifndef _GEM_REPLAY_H
#define _GEM_REPLAY_H

#include <linux/bitops.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* A power of two, so positions are masks, not divisions. */
#define GEM_REPLAY_BITS		2048
#define GEM_REPLAY_WORDS	(GEM_REPLAY_BITS / BITS_PER_LONG)
/*
 * Packets this far behind the newest one are still accepted once. One
 * word short of the bitmap, so sliding never clears a bit still inside.
 */
#define GEM_REPLAY_WINDOW	(GEM_REPLAY_BITS - BITS_PER_LONG)

/* No sender may use it: next = pn + 1 must not wrap. */
#define GEM_PN_INVALID		U64_MAX

enum gem_replay_verdict {
	GEM_REPLAY_FRESH,	/* taken */
	GEM_REPLAY_SEEN,	/* seen before, too old, or below the floor */
	GEM_REPLAY_JUMP,	/* further ahead than the stream's rate allows */
};

/**
 * struct gem_replay - replay window of one received stream
 * @lock: serialises commits
 * @next: newest accepted packet number plus one; before the first, the
 *	floor (0: none)
 * @started: a packet was taken; the rate bound applies from then on
 * @rate: packet numbers per second the window may move ahead by, at most
 *	(0: no bound)
 * @credit: how far it may move now, in packet numbers times NSEC_PER_SEC
 * @credit_ns: when @credit was last refilled (ktime_get_ns)
 * @bitmap: packets accepted within the window, by packet number modulo
 *	GEM_REPLAY_BITS
 */
struct gem_replay {
	spinlock_t lock;	/* serialises commits; checks go without */
	u64 next;
	bool started;
	u32 rate;
	u64 credit;
	u64 credit_ns;
	unsigned long bitmap[GEM_REPLAY_WORDS];
};

void gem_replay_init(struct gem_replay *r, u64 floor, u32 rate);
void gem_replay_set_rate(struct gem_replay *r, u32 rate);
u64 gem_replay_next(const struct gem_replay *r);
bool gem_replay_check(const struct gem_replay *r, u64 pn);
enum gem_replay_verdict gem_replay_commit(struct gem_replay *r, u64 pn, u64 now_ns);

#endif /* _GEM_REPLAY_H */
