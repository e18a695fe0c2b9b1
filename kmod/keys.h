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
#include <linux/percpu-refcount.h>
#include <linux/rculist.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/u64_stats_sync.h>

#include "addr.h"
#include "crypto.h"
#include "replay.h"

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

/* A stream's counters on one CPU: streams sent from several CPUs share none. */
struct gem_stream_pcpu_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

/*
 * Streams are counted: the table holds one reference, and a packet whose
 * AEAD may run asynchronously one more while in flight. The count is per
 * CPU until the table lets go, so the packet path writes no shared line
 * for it; the last reference, a grace period after that at the soonest,
 * frees the stream. A transmit stream's packet number is the one shared
 * write per packet.
 */
struct gem_tx_stream {
	struct rhash_head node;
	struct list_head list;
	struct gem_stream_id id;
	struct gem_sek sek;
	struct percpu_ref ref;
	struct gem_stream_pcpu_stats __percpu *stats;
	atomic64_t next_pn;
};

struct gem_rx_stream {
	struct rhash_head node;
	struct list_head list;
	struct gem_stream_id id;
	struct gem_sek sek;
	struct percpu_ref ref;
	struct gem_stream_pcpu_stats __percpu *stats;
	struct gem_replay replay;
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
 * @tx: transmit streams by (source, group), resized as they come and go
 * @rx: receive streams by (source, group, key id), likewise
 * @tx_list: the transmit streams in the order they came, for dumps
 * @rx_list: the receive streams, likewise
 * @n_groups: entries in @groups
 * @n_tx: entries in @tx
 * @n_rx: entries in @rx
 * @gen: bumped on every change, so a dump can tell it raced
 * @aead_drivers: the AEAD implementations of the streams in @tx and @rx
 * @tag_drivers: the tag MAC implementations of the groups in @groups
 */
struct gem_keys {
	struct mutex lock;	/* serialises changes; readers use RCU */
	struct list_head groups;
	struct rhashtable tx;
	struct rhashtable rx;
	struct list_head tx_list;
	struct list_head rx_list;
	unsigned int n_groups, n_tx, n_rx;
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
void gem_keys_stream_count(void *stream, unsigned int len);
void gem_keys_stream_stats(const void *stream, u64 *packets, u64 *bytes);

static_assert(offsetof(struct gem_tx_stream, list) == offsetof(struct gem_rx_stream, list));

/* The stream, of either kind, on a direction's list at @pos. */
static inline void *gem_stream_of(struct list_head *pos)
{
	return list_entry(pos, struct gem_tx_stream, list);
}

/* The list entry of a stream of either kind. */
static inline struct list_head *gem_stream_list_of(void *stream)
{
	return &((struct gem_tx_stream *)stream)->list;
}

/* A direction's streams, in the order they came; RCU or the key lock. */
static inline struct list_head *gem_stream_list(struct gem_keys *k, bool tx)
{
	return tx ? &k->tx_list : &k->rx_list;
}

#endif /* _GEM_KEYS_H */
