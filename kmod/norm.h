/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: the normalizer, which re-sources multicast from sources no router
 * knows onto an address of this node, so reverse-path checks downstream
 * pass.
 */
#ifndef _GEM_NORM_H
#define _GEM_NORM_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>

#include "keys.h"

#define GEM_NORM_STREAM_HASH_BITS	8
/* Spoofed sources cannot make a namespace hold more than this. */
#define GEM_NORM_STREAMS_MAX		4096

enum gem_norm_drop {
	GEM_NORM_DROP_TTL,
	GEM_NORM_DROP_TOO_BIG,
	GEM_NORM_DROP_ERROR,
	GEM_NORM_DROP_MAX
};

struct gem_norm_pcpu_stats {
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drops[GEM_NORM_DROP_MAX];
	struct u64_stats_sync syncp;
};

struct gem_norm_stats {
	u64 packets;
	u64 bytes;
	u64 drops[GEM_NORM_DROP_MAX];
};

/* What a rule is known by: no two rules share one; changes name it. */
struct gem_norm_key {
	int in_ifindex;
	u8 family;
	u8 src_plen;
	u8 grp_plen;
	union gem_addr src;
	union gem_addr grp;
};

/* A rule as netlink asks for it, before it is checked. */
struct gem_norm_conf {
	struct gem_norm_key key;
	int out_ifindex;
	union gem_addr new_src;
	u8 ttl;
	u32 idle_timeout;
};

/**
 * struct gem_norm_rule - (in device, source prefix, group prefix) ->
 *	(new source, out device)
 * @list: entry in the namespace's rules, most specific first
 * @rcu: frees the rule, and drops its devices, after readers are done
 * @key: what the rule matches
 * @in: the device it takes packets from, held
 * @out: the device it sends them out of, held
 * @new_src: the source they leave with
 * @ttl: the TTL or hop limit they leave with; 0 to decrement
 * @idle: jiffies without a packet before a stream of the rule ends
 * @id: tells the rule's streams from those of the rule it replaced
 * @dead: its streams have ended; no new one may start (under the streams'
 *	lock)
 * @stats: counters
 */
struct gem_norm_rule {
	struct list_head list;
	struct rcu_head rcu;
	struct gem_norm_key key;
	struct net_device *in;
	netdevice_tracker in_tracker;
	struct net_device *out;
	netdevice_tracker out_tracker;
	union gem_addr new_src;
	u8 ttl;
	unsigned long idle;
	u64 id;
	bool dead;
	struct gem_norm_pcpu_stats __percpu *stats;
};

/* One (source, group) a rule normalizes, seen recently. */
struct gem_norm_stream {
	struct hlist_node node;
	struct list_head gone;		/* on the list of streams ending */
	struct rcu_head rcu;
	struct gem_stream_id id;	/* the original source and the group */
	int in_ifindex;
	int out_ifindex;
	union gem_addr new_src;
	u64 rule_id;
	unsigned long idle;
	unsigned long last;		/* jiffies of the latest packet */
	atomic64_t packets;
	atomic64_t bytes;
};

/**
 * struct gem_norm - a namespace's normalizer
 * @net: the namespace
 * @rules: most specific first (see gem_norm_rule_before); RTNL for writers,
 *	RCU for readers
 * @hooked: the prerouting hooks are registered (from the first rule on)
 * @n_rules: entries in @rules
 * @next_id: for the next rule
 * @gen: bumped on every rule change, so a dump can tell it raced
 * @lock: serialises changes to @streams; readers use RCU
 * @streams: the streams being normalized
 * @n_streams: how many
 * @stream_gen: bumped when a stream begins or ends
 * @seed: hash seed
 * @idle_work: ends idle streams, every second while there are any
 */
struct gem_norm {
	struct net *net;
	struct list_head rules;
	bool hooked;
	unsigned int n_rules;
	u64 next_id;
	unsigned int gen;
	spinlock_t lock;	/* serialises changes to streams */
	struct hlist_head streams[1 << GEM_NORM_STREAM_HASH_BITS];
	unsigned int n_streams;
	unsigned int stream_gen;
	u32 seed;
	struct delayed_work idle_work;
};

/* Rules (norm_rule.c); changes hold RTNL. */
void gem_norm_init(struct gem_norm *n, struct net *net);
void gem_norm_rule_exit(struct gem_norm *n);
int gem_norm_rule_set(struct gem_norm *n, const struct gem_norm_conf *c,
		      struct netlink_ext_ack *extack);
int gem_norm_rule_del(struct gem_norm *n, const struct gem_norm_key *key);
void gem_norm_rule_flush(struct gem_norm *n);
void gem_norm_rule_dev_gone(struct gem_norm *n, const struct net_device *dev);
void gem_norm_rule_stats(const struct gem_norm_rule *r, struct gem_norm_stats *st);
bool gem_norm_rule_before(const struct gem_norm_key *a, const struct gem_norm_key *b);
struct gem_norm_rule *gem_norm_rule_link(struct gem_norm *n, struct gem_norm_rule *r);

/* The packet path (norm_hook.c). */
int gem_norm_hook_register(struct gem_norm *n);
void gem_norm_hook_exit(struct gem_norm *n);
bool gem_norm_hook_is_local_rcu(struct net *net, u8 family, const union gem_addr *a);
int gem_norm_hook_rewrite(struct sk_buff *skb, u8 family, const union gem_addr *new_src, u8 ttl);

/* Streams (norm_stream.c). */
void gem_norm_streams_init(struct gem_norm *n);
void gem_norm_streams_exit(struct gem_norm *n);
void gem_norm_stream_seen(struct gem_norm *n, const struct gem_norm_rule *r,
			  const struct gem_stream_id *id, unsigned int len);
void gem_norm_streams_end_rule(struct gem_norm *n, struct gem_norm_rule *r);
unsigned int gem_norm_streams_of_rule(struct gem_norm *n, const struct gem_norm_rule *r);

#endif /* _GEM_NORM_H */
