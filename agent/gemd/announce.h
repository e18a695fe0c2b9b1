/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The items this node makes, and the checks on items it hears: group MAC
 * (GAK holders only), origin signature, and for SEK Announces the stream
 * key sealed under the GAK's wrapping key.
 *
 * What each key gives its holder:
 *  - a node without the GAK can check an item's signature and relay it,
 *    but cannot read a stream key or make a group-scoped item that GAK
 *    holders accept (the MAC);
 *  - a GAK holder cannot make an item in another node's name (the
 *    signature, by a key whose hash is the origin's router-id).
 */
#ifndef GEM_ANNOUNCE_H
#define GEM_ANNOUNCE_H

#include <stddef.h>
#include <stdint.h>

#include "items/gem_item.h"
#include "lib/gak.h"
#include "lib/identity.h"

#define GEM_SEK_BYTES	32

/*
 * Completes it (origin from id; MAC with g for group-scoped kinds; the
 * signature) and encodes it into buf; returns the length or -1.
 */
int gem_announce_seal(const struct gem_identity *id, const struct gem_gak *g,
		      struct gem_item *it, uint8_t *buf, size_t len);

/* A stream key to announce: its id and the key. */
struct gem_announce_key {
	uint8_t key_id;
	const uint8_t *sek;
};

/*
 * An SEK Announce of (source, group) carrying n_keys keys (1, or 2 while
 * a rotation is pending: the next, then the current): each sealed under
 * g's wrapping key with a nonce of its own, bound to the item's header,
 * subject and its key id, then the item sealed as above.
 */
int gem_announce_sek(const struct gem_identity *id, const struct gem_gak *g,
		     const struct gem_ip *source, const struct gem_ip *group,
		     const struct gem_announce_key *keys, unsigned int n_keys, uint64_t seqno,
		     uint16_t lifetime, uint8_t *buf, size_t len);

/*
 * Checks an encoded item: pk must be the origin's (its hash is the
 * router-id) and have signed it; with g, a group-scoped item's MAC must
 * hold. 0, or -1 with *why.
 */
int gem_announce_check(const uint8_t *enc, size_t len, const uint8_t *pk,
		       const struct gem_gak *g, struct gem_item *it, const char **why);

/*
 * Checks an SEK Announce as above and opens its keys into sek, in the
 * item's order (it->u.sek.n_keys of them); all or none.
 */
int gem_announce_open_sek(const uint8_t *enc, size_t len, const uint8_t *pk,
			  const struct gem_gak *g, struct gem_item *it,
			  uint8_t sek[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES], const char **why);

#endif /* GEM_ANNOUNCE_H */
