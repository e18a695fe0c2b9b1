/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GEM items gemd makes, hears, keeps and floods: its Public Key, and
 * an SEK Announce for each local stream; and what follows from them:
 * receive keys (keys.h) from announcements of groups this node holds
 * a GAK for.
 */
#ifndef GEM_GEMD_ITEMS_H
#define GEM_GEMD_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "items/gem_frag.h"
#include "items/gem_state.h"
#include "lib/gak.h"
#include "gemd_conf.h"
#include "keys.h"
#include "lib/identity.h"

#define GEMD_WANT_MAX	16

/* An origin whose Public Key is missing, and the kinds of its items dropped for it. */
struct gemd_want {
	uint8_t origin[GEM_ROUTER_ID_LEN];
	uint8_t kinds;			/* bit k: an item of kind k */
};

struct gemd_items {
	const struct gem_identity *id;
	struct gem_gak gaks[GEMD_CONF_GROUPS_MAX];
	unsigned int n_groups;
	struct gemd_conf_source sources[GEMD_CONF_SOURCES_MAX];	/* keyed ahead */
	unsigned int n_sources;
	struct gem_state state;
	struct gemd_keys keys;		/* the stream keys in gem.ko */
	uint16_t lifetime;
	bool flood;			/* an item of ours changed: flood now */
	/* origins heard of whose Public Key is missing, to ask neighbours for */
	struct gemd_want want[GEMD_WANT_MAX];
	unsigned int n_want;
	/* the newest version of one of ours heard back: ours are made above it */
	uint64_t own_heard;
	bool reclaim, reclaim_subs;
	/* counters, for status and tests */
	uint64_t refused_signature, refused_mac, unknown_origin;
	uint64_t refused_time;		/* dead by their making, or from the future */
	uint64_t reclaimed;		/* newer copies of ours outbid */
	uint64_t stale;			/* older than the version held */
	uint64_t refused_conflict;	/* a stream another origin keys */
};

int gemd_items_init(struct gemd_items *it, const struct gemd_conf *c,
		    const struct gem_identity *id, uint64_t now_ms, char *err, size_t errlen);
void gemd_items_destroy(struct gemd_items *it);
/*
 * A configuration reloaded: groups and their GAKs, sources, rotation and
 * lifetimes take effect. Local streams and Subscriptions of a group whose
 * GAK is new are announced again under it. -1 with err (a GAK file that
 * does not load) changes nothing.
 */
int gemd_items_reload(struct gemd_items *it, const struct gemd_conf *c, uint64_t now_ms,
		      char *err, size_t errlen);

/* The events socket to poll, or -1. */
int gemd_items_event_fd(const struct gemd_items *it);
/* Handles gem.ko's events; true if an item changed (flood now). */
bool gemd_items_events(struct gemd_items *it, uint64_t now_ms);

/*
 * An item reassembled from a neighbour: checked, kept if fresher, acted
 * on. True if it should be flooded on.
 */
bool gemd_items_heard(struct gemd_items *it, const uint8_t *enc, size_t len, uint64_t now_ms);

/*
 * GEM Requests for what arrived before its origin's Public Key: that key,
 * then again the kinds of that origin's items that were dropped for want
 * of it (a neighbour answers in order, so the key comes first). Each
 * origin is asked for once; returns how many requests are in out.
 */
unsigned int gemd_items_wanted(struct gemd_items *it, struct gem_request *out, unsigned int max);
/* The items of one kind and origin, as a GEM Request asks: fn as below. */
void gemd_items_each_of(struct gemd_items *it, uint8_t kind, const uint8_t *origin,
			void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg),
			void *arg);
/*
 * The items held that changed after generation since (0: every one), for
 * flooding: fn(encoded, len, tag, arg). Returns the generation now.
 */
uint64_t gemd_items_each(struct gemd_items *it, uint64_t since,
			 void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg),
			 void *arg);
/*
 * Drops items whose lifetime ran out (and the receive keys they gave),
 * renews this node's own at half their lifetime, and runs the stream
 * keys' timers. True if an item of ours changed (flood now). *fresh gets
 * the gem devices (by index) that appeared: they need their groups.
 */
bool gemd_items_tick(struct gemd_items *it, uint64_t now_ms, unsigned int *fresh);

/*
 * Every local stream of the group prefix (every one, prefix NULL) gets a
 * new key at once, announced alone (gemctl rotate); returns how many.
 */
unsigned int gemd_items_rekey(struct gemd_items *it, const struct gem_addr *prefix,
			      uint64_t now_ms);

#endif /* GEM_GEMD_ITEMS_H */
