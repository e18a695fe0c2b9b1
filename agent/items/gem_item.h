/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM's replicated items: what the Babel extension carries between nodes.
 *
 * Every item has an origin (the 8-byte Babel router-id of the node that
 * made it), a sequence number, which is the time of day in milliseconds
 * when the origin made that version (64 bits: they only grow, and a
 * higher one is newer), and a lifetime from then, and ends with the
 * origin's Ed25519 signature over everything before it. Group-scoped items (Source Active, Subscription, SEK
 * Announce) also carry a MAC keyed from the group's GAK, before the
 * signature: a node without the GAK can relay them but not make them.
 * Byte layouts: Documentation/gem/control-plane.rst.
 *
 * This file only encodes and decodes; signatures and MACs are computed
 * and checked by the agent, over the ranges gem_item_signed() names.
 */
#ifndef GEM_ITEM_H
#define GEM_ITEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEM_ROUTER_ID_LEN	8
#define GEM_PUBKEY_LEN		32
#define GEM_SIG_LEN		64
#define GEM_MAC_LEN		32
#define GEM_NONCE_LEN		24
#define GEM_WRAPPED_SEK_LEN	48	/* 32-byte key and a 16-byte AEAD tag */
#define GEM_ITEM_HDR_LEN	20
#define GEM_SEK_KEYS_MAX	2	/* keys in one SEK Announce */
#define GEM_ITEM_MAX_LEN	512	/* no item is longer; fragments carry it */

enum gem_item_kind {
	GEM_ITEM_PUBLIC_KEY = 1,	/* the origin's node key */
	GEM_ITEM_SOURCE_ACTIVE,		/* the origin sends (source, group) */
	GEM_ITEM_SUBSCRIPTION,		/* the origin wants a group prefix */
	GEM_ITEM_SEK_ANNOUNCE,		/* a stream key, wrapped for the group */
	GEM_ITEM_KIND_MAX = GEM_ITEM_SEK_ANNOUNCE
};

/* An IPv4 or IPv6 address: len 4 or 16. */
struct gem_ip {
	uint8_t len;
	uint8_t addr[16];
};

struct gem_item {
	uint8_t kind;
	uint8_t origin[GEM_ROUTER_ID_LEN];
	uint64_t seqno;			/* when made: ms since 1970, UTC */
	uint16_t lifetime;		/* seconds from then */
	union {
		struct {
			uint8_t key[GEM_PUBKEY_LEN];
		} pubkey;
		struct {
			struct gem_ip source, group;
		} sa;
		struct {
			struct gem_ip group;
			uint8_t plen;
		} sub;
		struct {
			struct gem_ip source, group;
			/*
			 * 1, or 2 while a rotation is pending: the next key
			 * first, then the one still sent with, so a node
			 * that hears only this version has both.
			 */
			uint8_t n_keys;
			struct gem_sek_entry {
				uint8_t key_id;
				uint8_t nonce[GEM_NONCE_LEN];
				uint8_t wrapped[GEM_WRAPPED_SEK_LEN];
			} keys[GEM_SEK_KEYS_MAX];
		} sek;
	} u;
	uint8_t mac[GEM_MAC_LEN];	/* group-scoped kinds only */
	uint8_t sig[GEM_SIG_LEN];
};

/* Whether a kind carries a group MAC. */
bool gem_item_group_scoped(uint8_t kind);

/*
 * Encodes it into buf; returns the length, or -1 if buf is too small or
 * the item is not well-formed (addresses of two families, a bad prefix).
 */
int gem_item_encode(const struct gem_item *it, uint8_t *buf, size_t len);

/*
 * Decodes an item; 0, or -1 with *why saying what is wrong (a static
 * string). Refuses trailing bytes, unknown kinds, bad address families and
 * prefix lengths, and host bits past a subscription's prefix.
 */
int gem_item_decode(const uint8_t *buf, size_t len, struct gem_item *it, const char **why);

/*
 * The bytes the signature covers (all but the signature) and, for a
 * group-scoped item, those the MAC covers (all but MAC and signature).
 */
size_t gem_item_signed_len(size_t encoded_len);
size_t gem_item_mac_len(size_t encoded_len);

/*
 * What identifies an item apart from its version: kind, origin and, for
 * all but Public Key, its subject (the stream, the prefix). Two items with
 * equal keys are versions of one; the newer replaces the older.
 */
size_t gem_item_key(const struct gem_item *it, uint8_t *key, size_t len);
#define GEM_ITEM_KEY_MAX	(1 + GEM_ROUTER_ID_LEN + 2 * 17 + 1)

/* A version numbered a is newer than one numbered b. */
bool gem_seqno_newer(uint64_t a, uint64_t b);

#endif /* GEM_ITEM_H */
