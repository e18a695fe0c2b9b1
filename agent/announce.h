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

#include "../babel-plugin/gem_item.h"
#include "gak.h"
#include "identity.h"

#define GEM_SEK_BYTES	32

/*
 * Completes it (origin from id; MAC with g for group-scoped kinds; the
 * signature) and encodes it into buf; returns the length or -1.
 */
int gem_announce_seal(const struct gem_identity *id, const struct gem_gak *g,
		      struct gem_item *it, uint8_t *buf, size_t len);

/*
 * An SEK Announce of sek for (source, group, key id): sealed under g's
 * wrapping key, bound to the item's header and subject, then sealed as
 * above.
 */
int gem_announce_sek(const struct gem_identity *id, const struct gem_gak *g,
		     const struct gem_ip *source, const struct gem_ip *group, uint8_t key_id,
		     const uint8_t *sek, uint32_t seqno, uint16_t lifetime,
		     uint8_t *buf, size_t len);

/*
 * Checks an encoded item: pk must be the origin's (its hash is the
 * router-id) and have signed it; with g, a group-scoped item's MAC must
 * hold. 0, or -1 with *why.
 */
int gem_announce_check(const uint8_t *enc, size_t len, const uint8_t *pk,
		       const struct gem_gak *g, struct gem_item *it, const char **why);

/* Checks an SEK Announce as above and opens its key into sek. */
int gem_announce_open_sek(const uint8_t *enc, size_t len, const uint8_t *pk,
			  const struct gem_gak *g, struct gem_item *it, uint8_t *sek,
			  const char **why);

#endif /* GEM_ANNOUNCE_H */
