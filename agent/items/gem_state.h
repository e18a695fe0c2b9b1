/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replicated state: the freshest copy of every item a node has heard,
 * whose signature the caller has checked.
 *
 * Rules:
 *  - an item is known by its key (gem_item_key); of two versions the one
 *    with the higher sequence number wins, and an equal one is a
 *    duplicate;
 *  - a sequence number is when the origin made the version (ms since
 *    1970): an item lives for its lifetime from then, and never longer
 *    than that from when it was accepted. One whose life is over is
 *    refused (a copy replayed after its origin stopped renewing it is
 *    dead); so is one made further in the future than the clocks may
 *    disagree (max_skew_ms);
 *  - a node holds at most max_items items, and at most max_per_origin of
 *    any one origin. When full, a newcomer may take the place of an item
 *    trusted less (see enum gem_state_rank), or of one of the same trust
 *    whose origin holds more than the newcomer's, so no origin and no
 *    made-up identity crowds the others out.
 * What to re-flood, what to answer, and what to request are the caller's:
 * the verdicts below tell it.
 */
#ifndef GEM_STATE_H
#define GEM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gem_item.h"

/* How much the caller trusts an item: a lower rank is never evicted for a higher one. */
enum gem_state_rank {
	GEM_RANK_OWN,		/* made by this node */
	GEM_RANK_CHECKED,	/* its group MAC checked (this node holds the GAK), or
				 * the Public Key of an origin that made such items */
	GEM_RANK_RELAYED,	/* only its signature checked: relayed, not understood */
	GEM_RANK_MAX = GEM_RANK_RELAYED
};

struct gem_state_entry {
	uint8_t key[GEM_ITEM_KEY_MAX];
	uint8_t keylen;
	uint8_t rank;			/* enum gem_state_rank */
	uint8_t enc[GEM_ITEM_MAX_LEN];	/* the item as received, to re-flood */
	uint16_t enclen;
	struct gem_item item;
	uint64_t expires_ms;
	uint64_t gen;			/* the state's generation when this version came */
};

struct gem_state {
	struct gem_state_entry *e;	/* max_items slots; keylen 0 is free */
	uint32_t *index;		/* by key: open addressing, mask + 1 cells */
	uint32_t mask;
	unsigned int gone;		/* deleted cells in the index */
	uint8_t (*scratch_origin)[GEM_ROUTER_ID_LEN];	/* for counting origins, mask + 1 */
	uint32_t *scratch_count;
	uint64_t gen;			/* bumped by every new or newer item */
	unsigned int max_items;
	unsigned int max_per_origin;
	uint64_t max_skew_ms;
	unsigned int count;
	uint64_t refused_full;		/* items refused for a limit */
	uint64_t evicted;		/* items that made way for one trusted more, or fairer */
	uint64_t refused_expired;	/* a life already over by its sequence number */
	uint64_t refused_future;	/* made further ahead than the clocks may disagree */
};

enum gem_state_verdict {
	GEM_STATE_NEW,		/* stored: re-flood it */
	GEM_STATE_NEWER,	/* replaced an older version: re-flood it */
	GEM_STATE_DUPLICATE,	/* the version held: nothing to do */
	GEM_STATE_OLDER,	/* older than the version held: send ours back */
	GEM_STATE_FULL,		/* refused: a limit was reached */
	GEM_STATE_INVALID,	/* refused: not an item */
	GEM_STATE_EXPIRED,	/* refused: its life, counted from its making, is over */
	GEM_STATE_FUTURE,	/* refused: made later than now and the clocks' skew */
};

int gem_state_init(struct gem_state *s, unsigned int max_items, unsigned int max_per_origin,
		   uint64_t max_skew_ms);
void gem_state_destroy(struct gem_state *s);

/*
 * Offers an encoded, signature-checked item heard at now_ms (a monotonic
 * clock) and wall_ms (the time of day, ms since 1970), trusted as rank.
 */
enum gem_state_verdict gem_state_offer(struct gem_state *s, const uint8_t *enc, size_t len,
				       uint8_t rank, uint64_t now_ms, uint64_t wall_ms);

/* The entry with this key, or NULL. */
const struct gem_state_entry *gem_state_find(const struct gem_state *s, const uint8_t *key,
					     size_t keylen);
/* The entry with this key is trusted as rank, if that is more than it was. */
void gem_state_promote(struct gem_state *s, const uint8_t *key, size_t keylen, uint8_t rank);

/*
 * Drops entries whose lifetime ran out, calling gone(entry, arg) for each
 * before it goes; returns how many went.
 */
unsigned int gem_state_expire(struct gem_state *s, uint64_t now_ms,
			      void (*gone)(const struct gem_state_entry *e, void *arg), void *arg);

/* Calls fn for each entry; stops and returns fn's value when it is not 0. */
int gem_state_each(const struct gem_state *s,
		   int (*fn)(const struct gem_state_entry *e, void *arg), void *arg);

#endif /* GEM_STATE_H */
