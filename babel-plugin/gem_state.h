/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replicated state: the freshest copy of every item a node has heard,
 * whose signature the caller has checked.
 *
 * Rules:
 *  - an item is known by its key (gem_item_key); of two versions the one
 *    with the newer sequence number wins, and an equal one is a duplicate;
 *  - an item lives for its lifetime from when it was accepted, and is
 *    dropped when it runs out, or at once when its origin is gone;
 *  - a node holds at most max_items items, and at most max_per_origin of
 *    any one origin, so no neighbour can make it store without bound.
 * What to re-flood, what to answer, and what to request are the caller's:
 * the verdicts below tell it.
 */
#ifndef GEM_STATE_H
#define GEM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gem_item.h"

struct gem_state_entry {
	uint8_t key[GEM_ITEM_KEY_MAX];
	uint8_t keylen;
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
	uint64_t gen;			/* bumped by every new or newer item */
	unsigned int max_items;
	unsigned int max_per_origin;
	unsigned int count;
	uint64_t refused_full;		/* items refused for a limit */
};

enum gem_state_verdict {
	GEM_STATE_NEW,		/* stored: re-flood it */
	GEM_STATE_NEWER,	/* replaced an older version: re-flood it */
	GEM_STATE_DUPLICATE,	/* the version held: nothing to do */
	GEM_STATE_OLDER,	/* older than the version held: send ours back */
	GEM_STATE_FULL,		/* refused: a limit was reached */
	GEM_STATE_INVALID,	/* refused: not an item */
};

int gem_state_init(struct gem_state *s, unsigned int max_items, unsigned int max_per_origin);
void gem_state_destroy(struct gem_state *s);

/* Offers an encoded, signature-checked item heard at now_ms. */
enum gem_state_verdict gem_state_offer(struct gem_state *s, const uint8_t *enc, size_t len,
				       uint64_t now_ms);

/* The entry with this key, or NULL. */
const struct gem_state_entry *gem_state_find(const struct gem_state *s, const uint8_t *key,
					     size_t keylen);

/*
 * Drops entries whose lifetime ran out (expired) or whose origin is
 * gone (origin non-NULL), calling gone(entry, arg) for each before it
 * goes; returns how many went.
 */
unsigned int gem_state_expire(struct gem_state *s, uint64_t now_ms,
			      void (*gone)(const struct gem_state_entry *e, void *arg), void *arg);
unsigned int gem_state_forget_origin(struct gem_state *s, const uint8_t *origin,
				     void (*gone)(const struct gem_state_entry *e, void *arg),
				     void *arg);

/* Calls fn for each entry; stops and returns fn's value when it is not 0. */
int gem_state_each(const struct gem_state *s,
		   int (*fn)(const struct gem_state_entry *e, void *arg), void *arg);

#endif /* GEM_STATE_H */
