// SPDX-License-Identifier: GPL-2.0
/*
 * GEM items in Babel TLVs: splitting, reassembly with per-neighbour
 * bounds, and the request TLV.
 */
#include <string.h>

#include "gem_frag.h"

uint32_t gem_frag_tag(const uint8_t *key, size_t keylen)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < keylen; i++) {
		h ^= key[i];
		h *= 16777619u;
	}
	return h;
}

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) << 32 | rd32(p + 4);
}

int gem_frag_split(const uint8_t *item, size_t len, uint32_t tag,
		   int (*emit)(const uint8_t *body, size_t blen, void *arg), void *arg)
{
	uint8_t body[GEM_TLV_BODY_MAX];
	size_t off, chunk;
	int count, i;

	if (len < GEM_ITEM_HDR_LEN || len > GEM_ITEM_MAX_LEN)
		return -1;
	count = (int)((len + GEM_FRAG_CHUNK_MAX - 1) / GEM_FRAG_CHUNK_MAX);
	for (i = 0, off = 0; i < count; i++, off += chunk) {
		chunk = len - off < GEM_FRAG_CHUNK_MAX ? len - off : GEM_FRAG_CHUNK_MAX;
		body[0] = item[0];			/* kind */
		body[1] = (uint8_t)(i << 4 | count);
		memcpy(body + 2, item + 2, GEM_ROUTER_ID_LEN);	/* origin */
		memcpy(body + 10, item + 10, 8);		/* seqno */
		be32(body + 18, tag);
		memcpy(body + GEM_FRAG_HDR_LEN, item + off, chunk);
		if (emit(body, GEM_FRAG_HDR_LEN + chunk, arg))
			return -1;
	}
	return count;
}

static struct gem_reasm_slot *reasm_slot(struct gem_reasm *r, const uint8_t *body,
					 uint64_t now_ms)
{
	struct gem_reasm_slot *s, *free_slot = NULL, *oldest = NULL;
	int i;

	for (i = 0; i < GEM_REASM_SLOTS; i++) {
		s = &r->slot[i];
		if (s->used && now_ms - s->started_ms > GEM_REASM_TIMEOUT_MS) {
			s->used = 0;
			r->evicted++;
		}
		if (!s->used) {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (s->kind == body[0] && s->count == (body[1] & 0x0f) &&
		    !memcmp(s->origin, body + 2, GEM_ROUTER_ID_LEN) &&
		    s->seqno == rd64(body + 10) && s->tag == rd32(body + 18))
			return s;
		if (!oldest || s->started_ms < oldest->started_ms)
			oldest = s;
	}
	s = free_slot;
	if (!s) {
		/* Full: the oldest incomplete item makes way. */
		s = oldest;
		r->evicted++;
	}
	memset(s, 0, sizeof(*s));
	s->used = 1;
	s->kind = body[0];
	s->count = body[1] & 0x0f;
	memcpy(s->origin, body + 2, GEM_ROUTER_ID_LEN);
	s->seqno = rd64(body + 10);
	s->tag = rd32(body + 18);
	s->started_ms = now_ms;
	return s;
}

int gem_reasm_add(struct gem_reasm *r, const uint8_t *body, size_t blen, uint64_t now_ms,
		  uint8_t *item, size_t *ilen, const char **why)
{
	unsigned int index, count;
	struct gem_reasm_slot *s;
	size_t chunk, len;

	if (blen < GEM_FRAG_HDR_LEN + 1 || blen > GEM_TLV_BODY_MAX) {
		*why = "fragment length out of range";
		return -1;
	}
	index = body[1] >> 4;
	count = body[1] & 0x0f;
	chunk = blen - GEM_FRAG_HDR_LEN;
	if (!count || count > GEM_FRAG_COUNT_MAX || index >= count) {
		*why = "fragment index or count out of range";
		return -1;
	}
	if (index < count - 1 && chunk != GEM_FRAG_CHUNK_MAX) {
		*why = "a fragment before the last is not full";
		return -1;
	}
	if (index == count - 1 &&
	    (size_t)index * GEM_FRAG_CHUNK_MAX + chunk > GEM_ITEM_MAX_LEN) {
		*why = "item longer than the maximum";
		return -1;
	}
	s = reasm_slot(r, body, now_ms);
	if (s->have & (1u << index)) {
		/* A repeat must say the same; else the item is not to be trusted. */
		if (memcmp(s->data + index * GEM_FRAG_CHUNK_MAX, body + GEM_FRAG_HDR_LEN, chunk) ||
		    (index == count - 1 && s->last_len != chunk)) {
			s->used = 0;
			*why = "a repeated fragment differs";
			return -1;
		}
		return 0;
	}
	memcpy(s->data + index * GEM_FRAG_CHUNK_MAX, body + GEM_FRAG_HDR_LEN, chunk);
	s->have |= 1u << index;
	if (index == count - 1)
		s->last_len = (uint16_t)chunk;
	if (s->have != (1u << count) - 1)
		return 0;

	len = (count - 1) * GEM_FRAG_CHUNK_MAX + s->last_len;
	s->used = 0;
	/* The header the fragments repeat must be the item's own. */
	if (len < GEM_ITEM_HDR_LEN || s->data[0] != s->kind ||
	    memcmp(s->data + 2, s->origin, GEM_ROUTER_ID_LEN) || rd64(s->data + 10) != s->seqno) {
		*why = "fragments disagree with the item they carry";
		return -1;
	}
	memcpy(item, s->data, len);
	*ilen = len;
	return 1;
}

int gem_request_encode(const struct gem_request *q, uint8_t *body, size_t len)
{
	size_t need = !q->kind ? 0 : 1 + GEM_ROUTER_ID_LEN + (q->has_tag ? 4 : 0);

	if (len < need)
		return -1;
	if (!q->kind)
		return 0;
	body[0] = q->kind;
	memcpy(body + 1, q->origin, GEM_ROUTER_ID_LEN);
	if (q->has_tag)
		be32(body + 1 + GEM_ROUTER_ID_LEN, q->tag);
	return (int)need;
}

int gem_request_decode(const uint8_t *body, size_t blen, struct gem_request *q, const char **why)
{
	memset(q, 0, sizeof(*q));
	if (!blen)
		return 0;
	if (blen != 1 + GEM_ROUTER_ID_LEN && blen != 1 + GEM_ROUTER_ID_LEN + 4) {
		*why = "request length is neither 0, 9 nor 13";
		return -1;
	}
	if (!body[0] || body[0] > GEM_ITEM_KIND_MAX) {
		*why = "request for an unknown item kind";
		return -1;
	}
	q->kind = body[0];
	memcpy(q->origin, body + 1, GEM_ROUTER_ID_LEN);
	if (blen == 1 + GEM_ROUTER_ID_LEN + 4) {
		q->has_tag = 1;
		q->tag = rd32(body + 1 + GEM_ROUTER_ID_LEN);
	}
	return 0;
}
