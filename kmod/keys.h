/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: a device's protected groups and its transmit and receive streams,
 * each with its key, ready for the packet path.
 */
#ifndef _GEM_KEYS_H
#define _GEM_KEYS_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>

#include "addr.h"
#include "crypto.h"
#include "replay.h"

#define GEM_STREAM_HASH_BITS	10

/*
 * Transmit keys' packet numbers start at the time of day in nanoseconds,
 * so the same key set again (after del and set, a module reload, a
 * reboot) continues above every number it sealed with before. A clock
 * before this (2024-01-01) has not been set.
 */
#define GEM_CLOCK_MIN_SECONDS	1704067200LL

struct gem_group {
	struct list_head list;
	struct rcu_head rcu;
	u8 family;
	u8 prefixlen;
	u8 alg;
	union gem_addr prefix;
	struct gem_tagkey tk;
};

struct gem_stream_stats {
	atomic64_t packets;
	atomic64_t bytes;
};

/*
 * Streams are counted: the table holds one reference, and a packet whose
 * AEAD runs asynchronously one more while in flight. The last reference
 * frees the stream after a grace period.
 */
struct gem_tx_stream {
	struct hlist_node node;
	struct gem_stream_id id;
	struct gem_sek sek;
	struct rcu_head rcu;
	refcount_t ref;
	atomic64_t next_pn;
	struct gem_stream_stats stats;
};

struct gem_rx_stream {
	struct hlist_node node;
	struct gem_stream_id id;
	struct gem_sek sek;
	struct rcu_head rcu;
	refcount_t ref;
	struct gem_replay replay;
	struct gem_stream_stats stats;
};

/**
 * struct gem_stream_opts - what a SET of a stream asks for besides its key
 * @floor: receive streams: the lowest packet number to take (what was
 *	accepted under an earlier window of this key); 0 for none
 * @rate: receive streams: how fast the window may move ahead, packets a
 *	second (0: no bound)
 * @has_rate: @rate was given (a key installed again keeps its own
 *	otherwise)
 */
struct gem_stream_opts {
	u64 floor;
	u32 rate;
	bool has_rate;
};

/**
 * struct gem_keys - a device's configuration for the packet path
 * @lock: serialises changes; readers use RCU
 * @groups: protected group prefixes, longest first
 * @tx: transmit streams by (source, group)
 * @rx: receive streams by (source, group, key id)
 * @n_groups: entries in @groups
 * @n_tx: entries in @tx
 * @n_rx: entries in @rx
 * @seed: hash seed
 * @gen: bumped on every change, so a dump can tell it raced
 * @aead_drivers: the AEAD implementations of the streams in @tx and @rx
 * @tag_drivers: the tag MAC implementations of the groups in @groups
 */
struct gem_keys {
	struct mutex lock;	/* serialises changes; readers use RCU */
	struct list_head groups;
	struct hlist_head *tx;
	struct hlist_head *rx;
	unsigned int n_groups, n_tx, n_rx;
	u32 seed;
	unsigned int gen;
	struct gem_crypto_drivers aead_drivers;
	struct gem_crypto_drivers tag_drivers;
};

int gem_keys_init(struct gem_keys *k);
void gem_keys_destroy(struct gem_keys *k);
void gem_keys_free(struct gem_keys *k);

struct gem_group *gem_keys_group_find(struct gem_keys *k, u8 family, const union gem_addr *group);
struct gem_group *gem_keys_group_of(struct gem_keys *k, const struct sk_buff *skb,
				    unsigned int nhoff, bool *udp);
int gem_keys_group_set(struct gem_keys *k, u8 family, const union gem_addr *prefix, u8 prefixlen,
		       u8 alg, const u8 *key, unsigned int keylen, struct netlink_ext_ack *extack);
int gem_keys_group_del(struct gem_keys *k, u8 family, const union gem_addr *prefix, u8 prefixlen);
void gem_keys_group_flush(struct gem_keys *k);

struct gem_tx_stream *gem_keys_tx_find(struct gem_keys *k, const struct gem_stream_id *id);
struct gem_rx_stream *gem_keys_rx_find(struct gem_keys *k, const struct gem_stream_id *id);
int gem_keys_stream_set(struct gem_keys *k, bool tx, const struct gem_stream_id *id,
			const u8 *key, unsigned int keylen, const struct gem_stream_opts *opts,
		   struct netlink_ext_ack *extack);
int gem_keys_stream_del(struct gem_keys *k, bool tx, const struct gem_stream_id *id);
void gem_keys_stream_flush(struct gem_keys *k, bool tx);
bool gem_keys_stream_hold(void *stream);
void gem_keys_stream_put(void *stream);

static inline struct hlist_head *gem_stream_table(struct gem_keys *k, bool tx)
{
	return tx ? k->tx : k->rx;
}

#endif /* _GEM_KEYS_H */
