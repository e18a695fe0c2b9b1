// SPDX-License-Identifier: GPL-2.0
/*
 * The replicated state: a fixed table, sized once so that nothing a
 * neighbour sends makes it allocate, found by key through an open-
 * addressing index (every item heard in every dump is looked up, and a
 * node with a thousand streams holds thousands of items).
 */
#include <stdlib.h>
#include <string.h>

#include "gem_state.h"

/* Index cells: 0 is empty, GONE a deleted entry's, else the slot plus one. */
#define GONE	UINT32_MAX

int gem_state_init(struct gem_state *s, unsigned int max_items, unsigned int max_per_origin,
		   uint64_t max_skew_ms)
{
	memset(s, 0, sizeof(*s));
	/* At most half full, so probes stay short. */
	for (s->mask = 1; s->mask < 2 * max_items; s->mask <<= 1)
		;
	s->e = calloc(max_items, sizeof(*s->e));
	s->index = calloc(s->mask, sizeof(*s->index));
	s->scratch_origin = calloc(s->mask, sizeof(*s->scratch_origin));
	s->scratch_count = calloc(s->mask, sizeof(*s->scratch_count));
	if (!s->e || !s->index || !s->scratch_origin || !s->scratch_count) {
		gem_state_destroy(s);
		return -1;
	}
	s->mask--;
	s->max_items = max_items;
	s->max_per_origin = max_per_origin;
	s->max_skew_ms = max_skew_ms;
	return 0;
}

void gem_state_destroy(struct gem_state *s)
{
	free(s->e);
	free(s->index);
	free(s->scratch_origin);
	free(s->scratch_count);
	memset(s, 0, sizeof(*s));
}

/* FNV-1a: keys are made by the origin, but a bad spread only costs time. */
static uint32_t key_hash(const uint8_t *key, size_t keylen)
{
	uint32_t h = 2166136261u;

	while (keylen--)
		h = (h ^ *key++) * 16777619u;
	return h;
}

/* The index cell holding key, or NULL. */
static uint32_t *index_find(const struct gem_state *s, const uint8_t *key, size_t keylen)
{
	uint32_t i, n;

	for (i = key_hash(key, keylen) & s->mask, n = 0; n <= s->mask; i = (i + 1) & s->mask, n++) {
		uint32_t c = s->index[i];
		const struct gem_state_entry *e;

		if (!c)
			return NULL;
		if (c == GONE)
			continue;
		e = &s->e[c - 1];
		if (e->keylen == keylen && !memcmp(e->key, key, keylen))
			return &s->index[i];
	}
	return NULL;
}

static void index_add(struct gem_state *s, unsigned int slot)
{
	const struct gem_state_entry *e = &s->e[slot];
	uint32_t i = key_hash(e->key, e->keylen) & s->mask;

	while (s->index[i] && s->index[i] != GONE)
		i = (i + 1) & s->mask;
	if (s->index[i] == GONE)
		s->gone--;
	s->index[i] = slot + 1;
}

/* Deleted cells lengthen probes: past a quarter of the index, start afresh. */
static void index_rebuild(struct gem_state *s)
{
	unsigned int i;

	memset(s->index, 0, (s->mask + 1) * sizeof(*s->index));
	s->gone = 0;
	for (i = 0; i < s->max_items; i++)
		if (s->e[i].keylen)
			index_add(s, i);
}

static struct gem_state_entry *state_find(const struct gem_state *s, const uint8_t *key,
					  size_t keylen)
{
	uint32_t *c = index_find(s, key, keylen);

	return c ? &s->e[*c - 1] : NULL;
}

const struct gem_state_entry *gem_state_find(const struct gem_state *s, const uint8_t *key,
					     size_t keylen)
{
	return keylen ? state_find(s, key, keylen) : NULL;
}

static unsigned int state_of_origin(const struct gem_state *s, const uint8_t *origin)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->max_items; i++)
		n += s->e[i].keylen &&
		     !memcmp(s->e[i].item.origin, origin, GEM_ROUTER_ID_LEN);
	return n;
}

/*
 * When the item's life is over, on the monotonic clock: its lifetime from
 * now, cut short to its lifetime from when its origin made it.
 */
static uint64_t state_expiry(const struct gem_item *it, uint64_t now_ms, uint64_t wall_ms)
{
	uint64_t life = (uint64_t)it->lifetime * 1000, end = it->seqno + life;

	if (end - wall_ms < life)
		life = end - wall_ms;
	return now_ms + life;
}

static void state_put(struct gem_state_entry *e, const uint8_t *key, size_t keylen,
		      const uint8_t *enc, size_t len, const struct gem_item *it, uint8_t rank,
		      uint64_t now_ms, uint64_t wall_ms)
{
	memcpy(e->key, key, keylen);
	e->keylen = (uint8_t)keylen;
	e->rank = rank;
	memcpy(e->enc, enc, len);
	e->enclen = (uint16_t)len;
	e->item = *it;
	e->expires_ms = state_expiry(it, now_ms, wall_ms);
}

static void state_remove(struct gem_state *s, struct gem_state_entry *e)
{
	*index_find(s, e->key, e->keylen) = GONE;
	s->gone++;
	memset(e, 0, sizeof(*e));
	s->count--;
}

/* The scratch counter of an origin (added at 0 if new). */
static uint32_t *origin_count(struct gem_state *s, const uint8_t *origin)
{
	uint32_t i = key_hash(origin, GEM_ROUTER_ID_LEN) & s->mask;

	while (s->scratch_count[i] &&
	       memcmp(s->scratch_origin[i], origin, GEM_ROUTER_ID_LEN))
		i = (i + 1) & s->mask;
	memcpy(s->scratch_origin[i], origin, GEM_ROUTER_ID_LEN);
	return &s->scratch_count[i];
}

/*
 * Which item makes way for a newcomer of origin and rank when the table
 * is full, or NULL (the newcomer is refused). The least trusted class
 * present goes first; within the newcomer's own class, only an origin
 * that would still hold more than the newcomer's origin gives one up,
 * its item closest to expiry.
 */
static struct gem_state_entry *state_victim(struct gem_state *s, const uint8_t *origin,
					    uint8_t rank)
{
	struct gem_state_entry *victim = NULL;
	const uint8_t *most = NULL;
	uint32_t most_n = 0, mine;
	unsigned int i;
	uint8_t worst = 0;

	for (i = 0; i < s->max_items; i++)
		if (s->e[i].keylen && s->e[i].rank > worst)
			worst = s->e[i].rank;
	if (worst < rank || worst == GEM_RANK_OWN)
		return NULL;
	memset(s->scratch_count, 0, (s->mask + 1) * sizeof(*s->scratch_count));
	for (i = 0; i < s->max_items; i++) {
		uint32_t *n;

		if (!s->e[i].keylen || s->e[i].rank != worst)
			continue;
		n = origin_count(s, s->e[i].item.origin);
		if (++*n > most_n) {
			most_n = *n;
			most = s->e[i].item.origin;
		}
	}
	mine = *origin_count(s, origin);
	if (worst == rank && most_n <= mine + 1)
		return NULL;
	for (i = 0; i < s->max_items; i++) {
		struct gem_state_entry *e = &s->e[i];

		if (e->keylen && e->rank == worst &&
		    !memcmp(e->item.origin, most, GEM_ROUTER_ID_LEN) &&
		    (!victim || e->expires_ms < victim->expires_ms))
			victim = e;
	}
	return victim;
}

enum gem_state_verdict gem_state_offer(struct gem_state *s, const uint8_t *enc, size_t len,
				       uint8_t rank, uint64_t now_ms, uint64_t wall_ms)
{
	uint8_t key[GEM_ITEM_KEY_MAX];
	struct gem_state_entry *e;
	struct gem_item it;
	const char *why;
	size_t keylen;
	unsigned int i;

	if (len > GEM_ITEM_MAX_LEN || gem_item_decode(enc, len, &it, &why) || !it.lifetime ||
	    rank > GEM_RANK_MAX)
		return GEM_STATE_INVALID;
	keylen = gem_item_key(&it, key, sizeof(key));
	if (!keylen)
		return GEM_STATE_INVALID;
	e = state_find(s, key, keylen);
	if (e) {
		if (e->item.seqno == it.seqno)
			return GEM_STATE_DUPLICATE;
		if (!gem_seqno_newer(it.seqno, e->item.seqno))
			return GEM_STATE_OLDER;
	}
	if (it.seqno > wall_ms + s->max_skew_ms) {
		s->refused_future++;
		return GEM_STATE_FUTURE;
	}
	if (it.seqno + (uint64_t)it.lifetime * 1000 <= wall_ms) {
		s->refused_expired++;
		return GEM_STATE_EXPIRED;
	}
	if (e) {
		state_put(e, key, keylen, enc, len, &it, rank, now_ms, wall_ms);
		e->gen = ++s->gen;
		return GEM_STATE_NEWER;
	}
	if (rank != GEM_RANK_OWN && state_of_origin(s, it.origin) >= s->max_per_origin) {
		s->refused_full++;
		return GEM_STATE_FULL;
	}
	if (s->count >= s->max_items) {
		e = state_victim(s, it.origin, rank);
		if (!e) {
			s->refused_full++;
			return GEM_STATE_FULL;
		}
		state_remove(s, e);
		s->evicted++;
	}
	for (i = 0; i < s->max_items; i++)
		if (!s->e[i].keylen)
			break;
	state_put(&s->e[i], key, keylen, enc, len, &it, rank, now_ms, wall_ms);
	s->e[i].gen = ++s->gen;
	index_add(s, i);
	s->count++;
	if (s->gone > (s->mask + 1) / 4)
		index_rebuild(s);
	return GEM_STATE_NEW;
}

void gem_state_promote(struct gem_state *s, const uint8_t *key, size_t keylen, uint8_t rank)
{
	struct gem_state_entry *e = keylen ? state_find(s, key, keylen) : NULL;

	if (e && rank < e->rank)
		e->rank = rank;
}

unsigned int gem_state_expire(struct gem_state *s, uint64_t now_ms,
			      void (*gone)(const struct gem_state_entry *e, void *arg), void *arg)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->max_items; i++) {
		struct gem_state_entry *e = &s->e[i];

		if (!e->keylen || now_ms < e->expires_ms)
			continue;
		if (gone)
			gone(e, arg);
		state_remove(s, e);
		n++;
	}
	if (s->gone > (s->mask + 1) / 4)
		index_rebuild(s);
	return n;
}

int gem_state_each(const struct gem_state *s,
		   int (*fn)(const struct gem_state_entry *e, void *arg), void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < s->max_items; i++) {
		if (!s->e[i].keylen)
			continue;
		ret = fn(&s->e[i], arg);
		if (ret)
			return ret;
	}
	return 0;
}
