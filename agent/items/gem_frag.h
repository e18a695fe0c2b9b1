/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM items in Babel TLVs. A Babel TLV body holds at most 255 bytes and
 * an item up to GEM_ITEM_MAX_LEN, so items travel in fragments:
 *
 *	TLV 224, GEM Fragment:
 *	kind (1) | index << 4 | count (1) | origin (8) | seqno (8) | tag (4)
 *	| chunk
 *
 * Every chunk but the last is GEM_FRAG_CHUNK_MAX bytes, so a chunk's place
 * follows from its index. The tag tells apart items of one origin, kind
 * and sequence number (a hash of the item's key). A receiver reassembles
 * in a few slots per neighbour, so no neighbour can make it hold more.
 *
 *	TLV 225, GEM Request:
 *	(empty: every item) | kind (1) | origin (8) [| tag (4)]
 */
#ifndef GEM_FRAG_H
#define GEM_FRAG_H

#include <stdint.h>
#include <stddef.h>

#include "gem_item.h"

#define GEM_TLV_FRAGMENT	224	/* Babel's experimental range */
#define GEM_TLV_REQUEST		225
#define GEM_TLV_BODY_MAX	255
#define GEM_FRAG_HDR_LEN	22
#define GEM_FRAG_CHUNK_MAX	(GEM_TLV_BODY_MAX - GEM_FRAG_HDR_LEN)
#define GEM_FRAG_COUNT_MAX	((GEM_ITEM_MAX_LEN + GEM_FRAG_CHUNK_MAX - 1) / GEM_FRAG_CHUNK_MAX)
#define GEM_REASM_SLOTS		8	/* per neighbour */
#define GEM_REASM_TIMEOUT_MS	10000

/* The tag of an item: FNV-1a over its key (gem_item_key). */
uint32_t gem_frag_tag(const uint8_t *key, size_t keylen);

/*
 * Splits an encoded item into fragment TLV bodies, calling emit for each
 * in order; returns the number of fragments, or -1 (an item too long or
 * too short to have a header, or emit failing).
 */
int gem_frag_split(const uint8_t *item, size_t len, uint32_t tag,
		   int (*emit)(const uint8_t *body, size_t blen, void *arg), void *arg);

struct gem_reasm_slot {
	uint8_t used;
	uint8_t kind;
	uint8_t count;
	uint16_t have;			/* bit i: chunk i arrived */
	uint8_t origin[GEM_ROUTER_ID_LEN];
	uint64_t seqno;
	uint32_t tag;
	uint16_t last_len;		/* length of the last chunk, once seen */
	uint64_t started_ms;
	uint8_t data[GEM_FRAG_COUNT_MAX * GEM_FRAG_CHUNK_MAX];
};

/* A neighbour's reassembly buffers; zero-initialised is empty. */
struct gem_reasm {
	struct gem_reasm_slot slot[GEM_REASM_SLOTS];
	uint64_t evicted;		/* slots reclaimed before completion */
};

/*
 * Takes one fragment TLV body. Returns 1 with the whole item in item
 * (room for GEM_ITEM_MAX_LEN) and its length in *ilen, 0 while chunks are
 * missing, -1 with *why for a malformed fragment, which is dropped.
 */
int gem_reasm_add(struct gem_reasm *r, const uint8_t *body, size_t blen, uint64_t now_ms,
		  uint8_t *item, size_t *ilen, const char **why);

/* A request: everything (kind 0), a kind of an origin, or one item. */
struct gem_request {
	uint8_t kind;			/* 0: every item */
	uint8_t origin[GEM_ROUTER_ID_LEN];
	uint8_t has_tag;
	uint32_t tag;
};

int gem_request_encode(const struct gem_request *q, uint8_t *body, size_t len);
int gem_request_decode(const uint8_t *body, size_t blen, struct gem_request *q, const char **why);

#endif /* GEM_FRAG_H */
