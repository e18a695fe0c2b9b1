/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The GEM items gemd makes, hears, keeps and floods: its Public Key, and
 * an SEK Announce for each local stream; and what follows from them:
 * transmit keys installed for local sources, receive keys installed from
 * announcements of groups this node holds a GAK for.
 */
#ifndef GEM_GEMD_ITEMS_H
#define GEM_GEMD_ITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../babel-plugin/gem_state.h"
#include "gak.h"
#include "gem_nl.h"
#include "gemd_conf.h"
#include "identity.h"

#define GEMD_TX_MAX	256

struct gemd_tx {
	bool used;
	struct gem_ip source, group;
	uint8_t key_id;
	uint8_t sek[32];		/* secret: kept to renew the announcement, then wiped */
	uint64_t renew_ms;		/* when its announcement is made anew */
	int group_index;
};

/* A receive key gemd installed: a renewed announcement of it is not reinstalled. */
struct gemd_rx {
	bool used;
	struct gem_ip source, group;
	uint8_t key_id;
	uint8_t fingerprint[16];	/* BLAKE2b of the key, never the key */
};

#define GEMD_RX_MAX	1024

struct gemd_items {
	const struct gem_identity *id;
	struct gem_gak gaks[GEMD_CONF_GROUPS_MAX];
	struct gem_addr prefixes[GEMD_CONF_GROUPS_MAX];
	unsigned int n_groups;
	unsigned int ifindex[GEMD_CONF_DEVICES_MAX];	/* the gem devices */
	unsigned int n_devices;
	struct gem_state state;
	struct gem_nl nl;		/* requests to gem.ko */
	struct gem_nl events;		/* gem.ko's events */
	bool have_nl, have_events;
	uint32_t seqno;			/* for the items this node makes */
	uint16_t lifetime;
	struct gemd_tx tx[GEMD_TX_MAX];
	struct gemd_rx rx[GEMD_RX_MAX];
	/* counters, for status and tests */
	uint64_t refused_signature, refused_mac, rx_keys, tx_keys, unknown_origin;
	uint64_t stale;			/* older than the version held */
};

int gemd_items_init(struct gemd_items *it, const struct gemd_conf *c,
		    const struct gem_identity *id, uint64_t now_ms, char *err, size_t errlen);
void gemd_items_destroy(struct gemd_items *it);

/* The events socket to poll, or -1. */
int gemd_items_event_fd(const struct gemd_items *it);
/* Handles gem.ko's events; true if an item changed (flood now). */
bool gemd_items_events(struct gemd_items *it, uint64_t now_ms);

/*
 * An item reassembled from a neighbour: checked, kept if fresher, acted
 * on. True if it should be flooded on.
 */
bool gemd_items_heard(struct gemd_items *it, const uint8_t *enc, size_t len, uint64_t now_ms);

/* Every item held, for flooding: fn(encoded, len, tag, arg). */
void gemd_items_each(struct gemd_items *it,
		     void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg), void *arg);
/*
 * Drops items whose lifetime ran out, and renews this node's own at half
 * their lifetime; true if an item was renewed (flood now).
 */
bool gemd_items_expire(struct gemd_items *it, uint64_t now_ms);

#endif /* GEM_GEMD_ITEMS_H */
