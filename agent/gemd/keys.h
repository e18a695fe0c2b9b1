/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stream keys gemd keeps in gem.ko, and their life:
 *  - a local stream's transmit key: made on demand, rotated on schedule
 *    (time or packets) by announcing the next key first and switching to
 *    it only after the overlap, so receivers already hold it;
 *  - receive keys from announcements: installed once per key, the older
 *    id of a stream retired two overlaps after a newer one arrives, all of
 *    a stream's removed when its announcement lapses.
 * On start it adopts what gem.ko already has, so a restart of gemd loses
 * no packet; when a gem device (re)appears, after a module reload say, it
 * says so, and the caller reinstalls what the device needs.
 *
 * Here is what decides; what it says to gem.ko goes through kernel.h:
 *   keys.c          configuration, the timers (gemd_keys_tick)
 *   keys_tx.c       local streams' transmit keys: made, rotated, rekeyed
 *   keys_rx.c       receive keys from announcements: installed, retired
 *   keys_devices.c  gem.ko's session and devices: reload seen, adoption
 *   keys_streams.c  streams gem.ko and its normalizer report: keyed or refused
 *   keys_poll.c     packet numbers and floors, read every second
 */
#ifndef GEM_GEMD_KEYS_H
#define GEM_GEMD_KEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "items/gem_item.h"
#include "announce.h"
#include "gemd_conf.h"
#include "kernel.h"

#define GEMD_TX_MAX	4096
#define GEMD_RX_MAX	8192
#define GEMD_SEK_LEN	KERNEL_SEK_LEN

struct gemd_tx {
	bool used;
	bool known;			/* false: adopted from gem.ko, key unknown */
	bool pending;			/* next announced, not yet sent with */
	bool current_revoked;		/* the key sent with is not to be announced again */
	unsigned int ifindex;
	int group_index;
	struct gem_ip source, group;
	uint8_t key_id;			/* the key gem.ko sends with */
	uint8_t next_id;
	uint8_t sek[GEMD_SEK_LEN];	/* secret: kept to renew the announcement */
	uint8_t next_sek[GEMD_SEK_LEN];
	uint64_t switch_ms;		/* pending: when gem.ko sends with next */
	uint64_t rotate_ms;		/* when the next key is made */
	uint64_t renew_ms;		/* when its announcement is made anew */
	uint64_t packets;		/* sent with the current key */
	uint64_t rotations;
};

struct gemd_rx {
	bool used;
	bool known;			/* false: adopted from gem.ko, key unknown */
	uint8_t origin[GEM_ROUTER_ID_LEN];	/* the node that announced it */
	struct gem_ip source, group;
	uint8_t key_id;
	uint8_t fingerprint[16];	/* BLAKE2b of the key, never the key */
	uint64_t retire_ms;		/* 0: in use; else removed then */
	uint64_t floor;			/* what gem.ko took with it: newest + 1, as last read */
};

#define GEMD_SRC_RATES	256

/* How many streams a local source may still have keyed now. */
struct gemd_src_rate {
	struct gem_ip src;
	uint64_t tokens;		/* thousandths of a stream */
	uint64_t last_ms;
};

struct gemd_keys {
	struct gemd_kernel *kn;		/* the session with gem.ko; NULL: not there */
	char names[GEMD_CONF_DEVICES_MAX][16];
	char underlays[GEMD_CONF_DEVICES_MAX][16];
	unsigned int ifindex[GEMD_CONF_DEVICES_MAX];	/* 0: not there now */
	unsigned int n_devices;
	struct gem_addr prefixes[GEMD_CONF_GROUPS_MAX];
	uint32_t group_rate[GEMD_CONF_GROUPS_MAX];	/* 0: stream_max_rate */
	unsigned int n_groups;
	uint64_t rotate_ms, overlap_ms, rotate_packets, lifetime_ms;
	uint32_t stream_max_rate;	/* given to receive keys */
	unsigned int max_new_streams;	/* a second, per local source */
	uint64_t next_poll_ms;
	/* The key to announce changed: the caller makes and floods the item. */
	void (*announce)(void *arg, struct gemd_tx *tx, uint64_t now_ms);
	void *arg;
	struct gemd_tx *tx;		/* GEMD_TX_MAX */
	struct gemd_rx *rx;		/* GEMD_RX_MAX */
	struct gemd_src_rate src_rate[GEMD_SRC_RATES];
	/* counters */
	uint64_t made, rotated, installed, retired, adopted_tx, adopted_rx;
	uint64_t refused_foreign;	/* streams from an address not this node's */
	uint64_t refused_rate;		/* streams over a source's max-new-streams */
};

int gemd_keys_init(struct gemd_keys *k, const struct gemd_conf *c);
/*
 * A configuration reloaded: groups, rotation and lifetimes take effect;
 * a local stream whose group is no longer configured loses its key.
 * Devices stay as gemd started with them.
 */
void gemd_keys_reconfigure(struct gemd_keys *k, const struct gemd_conf *c, uint64_t now_ms);
void gemd_keys_destroy(struct gemd_keys *k);

/* The longest configured group prefix holding group (as gem.ko matches), or -1. */
int gemd_keys_group_of(const struct gemd_keys *k, const struct gem_ip *group);
/* The configured group with exactly this prefix, or -1. */
int gemd_keys_group_of_prefix(const struct gemd_keys *k, const struct gem_addr *prefix);

/*
 * A local stream needs a key (gem.ko asked, or it is configured): makes
 * one, installs it and announces it; NULL if not (not a configured
 * group, made already, no room, or gem.ko refused).
 */
struct gemd_tx *gemd_keys_local(struct gemd_keys *k, unsigned int ifindex,
				const struct gem_ip *src, const struct gem_ip *grp, uint64_t now_ms);

/*
 * A stream's announcement opened: the keys it carries (1, or 2 while a
 * rotation is pending) are installed for receiving unless they are
 * already, and the stream's other key ids retire two overlaps on. A
 * stream's keys come from one origin, the first heard: -1 (nothing
 * installed) if another origin's keys for it are held.
 */
int gemd_keys_heard(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		    const struct gem_ip *grp, const struct gem_announce_key *keys,
		    unsigned int n_keys, uint64_t now_ms);
/* The same key into one device only: one that (re)appeared. */
void gemd_keys_reinstall(struct gemd_keys *k, unsigned int ifindex, const struct gem_ip *src,
			 const struct gem_ip *grp, uint8_t key_id, const uint8_t *sek);
/* A stream's announcement by origin lapsed: the keys it gave go. */
void gemd_keys_lapsed(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		      const struct gem_ip *grp, uint64_t now_ms);

/*
 * Whether an address is this node's: what gem.ko's and the normalizer's
 * streams are keyed for. A pointer, so unit tests can say.
 */
extern bool (*gemd_keys_is_local)(const struct gem_ip *a);

/* gem.ko's events socket to poll, or -1; and its events handled. */
int gemd_keys_event_fd(const struct gemd_keys *k);
void gemd_keys_events(struct gemd_keys *k, uint64_t now_ms);

/*
 * Rotations, switches, retirements and device checks that are due.
 * Returns a bitmask of devices (by index) that appeared or came back
 * since the last call: they need their groups and receive keys.
 */
unsigned int gemd_keys_tick(struct gemd_keys *k, uint64_t now_ms);

/* A stream's key is replaced at once, the new one announced alone. */
void gemd_keys_rekey(struct gemd_keys *k, struct gemd_tx *tx, uint64_t now_ms);

/* The key id after id: 1..255, never 0. */
static inline uint8_t gemd_key_id_next(uint8_t id)
{
	return (uint8_t)(id % 255 + 1);
}

#endif /* GEM_GEMD_KEYS_H */
