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

int gem_state_init(struct gem_state *s, unsigned int max_items, unsigned int max_per_origin)
{
	memset(s, 0, sizeof(*s));
	/* At most half full, so probes stay short. */
	for (s->mask = 1; s->mask < 2 * max_items; s->mask <<= 1)
		;
	s->e = calloc(max_items, sizeof(*s->e));
	s->index = calloc(s->mask, sizeof(*s->index));
	if (!s->e || !s->index) {
		free(s->e);
		free(s->index);
		return -1;
	}
	s->mask--;
	s->max_items = max_items;
	s->max_per_origin = max_per_origin;
	return 0;
}

void gem_state_destroy(struct gem_state *s)
{
	free(s->e);
	free(s->index);
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

static void state_put(struct gem_state_entry *e, const uint8_t *key, size_t keylen,
		      const uint8_t *enc, size_t len, const struct gem_item *it, uint64_t now_ms)
{
	memcpy(e->key, key, keylen);
	e->keylen = (uint8_t)keylen;
	memcpy(e->enc, enc, len);
	e->enclen = (uint16_t)len;
	e->item = *it;
	e->expires_ms = now_ms + (uint64_t)it->lifetime * 1000;
}

enum gem_state_verdict gem_state_offer(struct gem_state *s, const uint8_t *enc, size_t len,
				       uint64_t now_ms)
{
	uint8_t key[GEM_ITEM_KEY_MAX];
	struct gem_state_entry *e;
	struct gem_item it;
	const char *why;
	size_t keylen;
	unsigned int i;

	if (len > GEM_ITEM_MAX_LEN || gem_item_decode(enc, len, &it, &why) || !it.lifetime)
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
		state_put(e, key, keylen, enc, len, &it, now_ms);
		e->gen = ++s->gen;
		return GEM_STATE_NEWER;
	}
	if (s->count >= s->max_items || state_of_origin(s, it.origin) >= s->max_per_origin) {
		s->refused_full++;
		return GEM_STATE_FULL;
	}
	for (i = 0; i < s->max_items; i++)
		if (!s->e[i].keylen)
			break;
	state_put(&s->e[i], key, keylen, enc, len, &it, now_ms);
	s->e[i].gen = ++s->gen;
	index_add(s, i);
	s->count++;
	return GEM_STATE_NEW;
}

static unsigned int state_drop(struct gem_state *s, uint64_t now_ms, const uint8_t *origin,
			       void (*gone)(const struct gem_state_entry *e, void *arg), void *arg)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->max_items; i++) {
		struct gem_state_entry *e = &s->e[i];

		if (!e->keylen)
			continue;
		if (origin ? memcmp(e->item.origin, origin, GEM_ROUTER_ID_LEN)
			   : now_ms < e->expires_ms)
			continue;
		if (gone)
			gone(e, arg);
		*index_find(s, e->key, e->keylen) = GONE;
		s->gone++;
		memset(e, 0, sizeof(*e));
		s->count--;
		n++;
	}
	if (s->gone > (s->mask + 1) / 4)
		index_rebuild(s);
	return n;
}

unsigned int gem_state_expire(struct gem_state *s, uint64_t now_ms,
			      void (*gone)(const struct gem_state_entry *e, void *arg), void *arg)
{
	return state_drop(s, now_ms, NULL, gone, arg);
}

unsigned int gem_state_forget_origin(struct gem_state *s, const uint8_t *origin,
				     void (*gone)(const struct gem_state_entry *e, void *arg),
				     void *arg)
{
	return state_drop(s, 0, origin, gone, arg);
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
