/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: replay protection for a received stream, a sliding bitmap window
 * over 64-bit packet numbers in the manner of RFC 6479.
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

/**
 * struct gem_replay - replay window of one received stream
 * @lock: serialises commits
 * @next: newest accepted packet number plus one; 0 before the first
 * @bitmap: packets accepted within the window, by packet number modulo
 *	GEM_REPLAY_BITS
 */
struct gem_replay {
	spinlock_t lock;	/* serialises commits; checks go without */
	u64 next;
	unsigned long bitmap[GEM_REPLAY_WORDS];
};

void gem_replay_init(struct gem_replay *r);
bool gem_replay_check(const struct gem_replay *r, u64 pn);
bool gem_replay_commit(struct gem_replay *r, u64 pn);

#endif /* _GEM_REPLAY_H */
