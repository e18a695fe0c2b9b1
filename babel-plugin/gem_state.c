// SPDX-License-Identifier: GPL-2.0
/*
 * The replicated state: a fixed table, searched linearly. A node holds a
 * few thousand items at most (streams times groups); the table is sized
 * once, so nothing a neighbour sends makes it allocate.
 */
#include <stdlib.h>
#include <string.h>

#include "gem_state.h"

int gem_state_init(struct gem_state *s, unsigned int max_items, unsigned int max_per_origin)
{
	memset(s, 0, sizeof(*s));
	s->e = calloc(max_items, sizeof(*s->e));
	if (!s->e)
		return -1;
	s->max_items = max_items;
	s->max_per_origin = max_per_origin;
	return 0;
}

void gem_state_destroy(struct gem_state *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static struct gem_state_entry *state_find(const struct gem_state *s, const uint8_t *key,
					  size_t keylen)
{
	unsigned int i;

	for (i = 0; i < s->max_items; i++)
		if (s->e[i].keylen == keylen && !memcmp(s->e[i].key, key, keylen))
			return &s->e[i];
	return NULL;
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
		memset(e, 0, sizeof(*e));
		s->count--;
		n++;
	}
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
