// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: a device's protected groups and its transmit and receive streams.
 *
 * The packet path looks everything up under RCU. Changes come from
 * netlink, in process context, under the device's key lock; a replaced or
 * deleted entry is freed once readers are done (a grace period) and the
 * last packet in flight with it let go, its transform freed and its
 * memory wiped. Nothing here waits for a grace period: changes hold
 * RTNL, and a user namespace's root, who may make them, could otherwise
 * stall RTNL for the whole host in a loop.
 *
 * Every table is bounded per device (module parameters). What a change
 * allocates itself is charged to the memory cgroup of whoever made it;
 * what the kernel allocates for it is not: the stream tables' buckets
 * (the rhashtable's, 10 to 21 bytes a stream) and the crypto transforms.
 */

#include <crypto/algapi.h>
#include <linux/inetdevice.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ipv6.h>

#include "keys.h"

static unsigned int max_groups = 1024;
module_param(max_groups, uint, 0644);
MODULE_PARM_DESC(max_groups, "Protected group prefixes a gem device holds at most");

static unsigned int max_tx_streams = 65536;
module_param(max_tx_streams, uint, 0644);
MODULE_PARM_DESC(max_tx_streams, "Transmit streams a gem device holds at most");

static unsigned int max_rx_streams = 262144;
module_param(max_rx_streams, uint, 0644);
MODULE_PARM_DESC(max_rx_streams, "Receive keys a gem device holds at most");

static const char *const gem_tag_algs[] = {
	[GEM_TAG_HMAC_SHA256]	= "hmac(sha256)",
	[GEM_TAG_CMAC_AES]	= "cmac(aes)",
};

/*
 * tx and rx streams both begin with their node, list, id, key, count and
 * counters.
 */
struct gem_stream {
	struct rhash_head node;
	struct list_head list;
	struct gem_stream_id id;
	struct gem_sek sek;
	struct percpu_ref ref;
	struct gem_stream_pcpu_stats __percpu *stats;
};

/*
 * Stream tables grow and shrink with what they hold, so a lookup stays
 * O(1) at any number of streams; the hash is keyed at random per table.
 */
static const struct rhashtable_params gem_stream_params = {
	.head_offset		= offsetof(struct gem_stream, node),
	.key_offset		= offsetof(struct gem_stream, id),
	.key_len		= sizeof(struct gem_stream_id),
	.automatic_shrinking	= true,
};

/**
 * gem_keys_init() - sets up a device's empty tables
 * @k: the device's tables
 *
 * Return: 0 or a negative errno.
 */
int gem_keys_init(struct gem_keys *k)
{
	int err;

	mutex_init(&k->lock);
	INIT_LIST_HEAD(&k->groups);
	INIT_LIST_HEAD(&k->tx_list);
	INIT_LIST_HEAD(&k->rx_list);
	err = rhashtable_init(&k->tx, &gem_stream_params);
	if (err)
		return err;
	err = rhashtable_init(&k->rx, &gem_stream_params);
	if (err) {
		rhashtable_destroy(&k->tx);
		return err;
	}
	k->gen = 1;
	gem_crypto_drivers_init(&k->aead_drivers);
	gem_crypto_drivers_init(&k->tag_drivers);
	return 0;
}

/**
 * gem_keys_destroy() - empties a device's tables
 * @k: the device's tables
 *
 * Readers under RCU may still walk them: the entries are freed after a
 * grace period, the tables by gem_keys_free().
 */
void gem_keys_destroy(struct gem_keys *k)
{
	gem_keys_group_flush(k);
	gem_keys_stream_flush(k, true);
	gem_keys_stream_flush(k, false);
}

/**
 * gem_keys_free() - frees a device's emptied tables
 * @k: the device's tables, emptied by gem_keys_destroy()
 *
 * Once no reader can reach them any more.
 */
void gem_keys_free(struct gem_keys *k)
{
	rhashtable_destroy(&k->tx);
	rhashtable_destroy(&k->rx);
}

static void gem_keys_changed(struct gem_keys *k)
{
	WRITE_ONCE(k->gen, k->gen + 1 ?: 1);
}

/*
 * A transform of driver @name enters (@in) or leaves a table; under
 * k->lock. The transform outlives the call: it is freed after a grace
 * period.
 */
static void gem_drivers_counted(struct gem_crypto_drivers *d, const char *name, bool in)
{
	if (in)
		gem_crypto_drivers_get(d, name);
	else
		gem_crypto_drivers_put(d, name);
}

/* A group's tag key enters or leaves. */
static void gem_group_counted(struct gem_keys *k, const struct gem_group *g, bool in)
{
	gem_drivers_counted(&k->tag_drivers, gem_crypto_tagkey_driver(&g->tk), in);
}

/**
 * gem_keys_group_find() - the protected group of a group address
 * @k: the device's tables
 * @family: AF_INET or AF_INET6
 * @group: the group address
 *
 * The longest protected prefix holding group; called under RCU.
 *
 * Return: the longest protected prefix holding @group, or NULL.
 */
struct gem_group *gem_keys_group_find(struct gem_keys *k, u8 family, const union gem_addr *group)
{
	struct gem_group *g;

	list_for_each_entry_rcu(g, &k->groups, list)
		if (g->family == family &&
		    gem_prefix_match(family, group, &g->prefix, g->prefixlen))
			return g;
	return NULL;
}

/**
 * gem_keys_group_of - the protected group an IP packet is addressed to
 * @k: the device's tables
 * @skb: an IPv4 or IPv6 packet (skb->protocol says which)
 * @nhoff: the offset of its IP header in @skb
 * @udp: set to whether it is UDP right after the IP header, the only
 *	kind GEM seals
 *
 * IGMP and MLD (ICMPv6) are the group's own signalling, not its
 * traffic: they are never GEM's. Called under RCU; reads @skb without
 * changing it.
 *
 * Return: the group, or NULL if the packet is not to a protected group.
 */
struct gem_group *gem_keys_group_of(struct gem_keys *k, const struct sk_buff *skb,
				    unsigned int nhoff, bool *udp)
{
	union gem_addr group = {};
	struct gem_group *g;

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph;
		struct iphdr _iph;

		iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
		if (!iph || iph->version != 4 || !ipv4_is_multicast(iph->daddr) ||
		    iph->protocol == IPPROTO_IGMP)
			return NULL;
		group.v4 = iph->daddr;
		*udp = iph->protocol == IPPROTO_UDP;
		return gem_keys_group_find(k, AF_INET, &group);
	}
	case htons(ETH_P_IPV6): {
		const struct ipv6hdr *ip6h;
		struct ipv6hdr _ip6h;
		__be16 frag_off;
		u8 nexthdr;

		ip6h = skb_header_pointer(skb, nhoff, sizeof(_ip6h), &_ip6h);
		if (!ip6h || ip6h->version != 6 || !ipv6_addr_is_multicast(&ip6h->daddr))
			return NULL;
		group.v6 = ip6h->daddr;
		g = gem_keys_group_find(k, AF_INET6, &group);
		if (!g)
			return NULL;
		nexthdr = ip6h->nexthdr;
		*udp = nexthdr == IPPROTO_UDP;
		if (!*udp &&
		    ipv6_skip_exthdr(skb, nhoff + sizeof(*ip6h), &nexthdr, &frag_off) >= 0 &&
		    nexthdr == IPPROTO_ICMPV6)
			return NULL;
		return g;
	}
	}
	return NULL;
}

static void gem_group_free_rcu(struct rcu_head *head)
{
	struct gem_group *g = container_of(head, struct gem_group, rcu);

	gem_crypto_tagkey_destroy(&g->tk);
	kfree_sensitive(g);
}

static struct gem_group *gem_group_exact(struct gem_keys *k, u8 family,
					 const union gem_addr *prefix, u8 prefixlen)
{
	struct gem_group *g;

	list_for_each_entry(g, &k->groups, list)
		if (g->family == family && g->prefixlen == prefixlen &&
		    !memcmp(&g->prefix, prefix, sizeof(*prefix)))
			return g;
	return NULL;
}

/**
 * gem_keys_group_set() - protects a group prefix with a tag key, or replaces its key
 * @k: the device's tables
 * @family: AF_INET or AF_INET6
 * @prefix: the group prefix
 * @prefixlen: its length
 * @alg: enum gem_tag_alg
 * @key: the tag key
 * @keylen: the key's length
 * @extack: says why not
 *
 * Return: 0, or a negative errno with an extack message and nothing changed.
 */
int gem_keys_group_set(struct gem_keys *k, u8 family, const union gem_addr *prefix, u8 prefixlen,
		       u8 alg, const u8 *key, unsigned int keylen, struct netlink_ext_ack *extack)
{
	struct gem_group *g, *old, *pos;
	int err;

	if (family == AF_INET ? prefixlen < 4 || prefixlen > 32 || !ipv4_is_multicast(prefix->v4)
			      : prefixlen < 8 || prefixlen > 128 ||
				!ipv6_addr_is_multicast(&prefix->v6)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the group prefix must lie within 224.0.0.0/4 or ff00::/8");
		return -EINVAL;
	}
	if (!gem_prefix_ok(family, prefix, prefixlen)) {
		NL_SET_ERR_MSG(extack, "gem: the group prefix has bits set past its length");
		return -EINVAL;
	}
	if (alg >= ARRAY_SIZE(gem_tag_algs)) {
		NL_SET_ERR_MSG(extack, "gem: unknown tag algorithm");
		return -EINVAL;
	}

	g = kzalloc(sizeof(*g), GFP_KERNEL_ACCOUNT);
	if (!g)
		return -ENOMEM;
	g->family = family;
	g->prefixlen = prefixlen;
	g->prefix = *prefix;
	g->alg = alg;
	err = gem_crypto_tagkey_init(&g->tk, gem_tag_algs[alg], key, keylen);
	if (err) {
		NL_SET_ERR_MSG(extack, "gem: the tag key was refused by its algorithm");
		kfree_sensitive(g);
		return err;
	}

	mutex_lock(&k->lock);
	old = gem_group_exact(k, family, prefix, prefixlen);
	if (!old && k->n_groups >= READ_ONCE(max_groups)) {
		mutex_unlock(&k->lock);
		NL_SET_ERR_MSG(extack,
			       "gem: the device holds the most groups it may (module parameter gem.max_groups)");
		gem_group_free_rcu(&g->rcu);
		return -ENOSPC;
	}
	if (old) {
		list_replace_rcu(&old->list, &g->list);
		gem_group_counted(k, old, false);
	} else {
		/* Longest prefix first, so the first match is the best. */
		list_for_each_entry(pos, &k->groups, list)
			if (pos->prefixlen < prefixlen)
				break;
		list_add_tail_rcu(&g->list, &pos->list);
		k->n_groups++;
	}
	gem_group_counted(k, g, true);
	gem_keys_changed(k);
	mutex_unlock(&k->lock);

	if (old)
		call_rcu(&old->rcu, gem_group_free_rcu);
	return 0;
}

/**
 * gem_keys_group_del() - deletes a protected group
 * @k: the device's tables
 * @family: AF_INET or AF_INET6
 * @prefix: the group prefix
 * @prefixlen: its length
 *
 * Return: 0, or -ENOENT if there is no such group.
 */
int gem_keys_group_del(struct gem_keys *k, u8 family, const union gem_addr *prefix, u8 prefixlen)
{
	struct gem_group *g;

	mutex_lock(&k->lock);
	g = gem_group_exact(k, family, prefix, prefixlen);
	if (g) {
		list_del_rcu(&g->list);
		gem_group_counted(k, g, false);
		k->n_groups--;
		gem_keys_changed(k);
	}
	mutex_unlock(&k->lock);
	if (!g)
		return -ENOENT;
	call_rcu(&g->rcu, gem_group_free_rcu);
	return 0;
}

/**
 * gem_keys_group_flush() - deletes every protected group
 * @k: the device's tables
 */
void gem_keys_group_flush(struct gem_keys *k)
{
	struct gem_group *g, *tmp;

	mutex_lock(&k->lock);
	list_for_each_entry_safe(g, tmp, &k->groups, list) {
		list_del_rcu(&g->list);
		gem_group_counted(k, g, false);
		call_rcu(&g->rcu, gem_group_free_rcu);
	}
	k->n_groups = 0;
	gem_keys_changed(k);
	mutex_unlock(&k->lock);
}

/**
 * gem_keys_tx_find() - the transmit stream of a (source, group)
 * @k: the device's tables
 * @id: the stream
 *
 * Called under RCU.
 *
 * Return: the stream, or NULL.
 */
struct gem_tx_stream *gem_keys_tx_find(struct gem_keys *k, const struct gem_stream_id *id)
{
	return rhashtable_lookup(&k->tx, id, gem_stream_params);
}

/**
 * gem_keys_rx_find() - the receive stream of a (source, group, key id)
 * @k: the device's tables
 * @id: the stream, with its key id
 *
 * Called under RCU.
 *
 * Return: the stream, or NULL.
 */
struct gem_rx_stream *gem_keys_rx_find(struct gem_keys *k, const struct gem_stream_id *id)
{
	return rhashtable_lookup(&k->rx, id, gem_stream_params);
}

static_assert(offsetof(struct gem_tx_stream, node) == offsetof(struct gem_stream, node));
static_assert(offsetof(struct gem_tx_stream, list) == offsetof(struct gem_stream, list));
static_assert(offsetof(struct gem_tx_stream, id) == offsetof(struct gem_stream, id));
static_assert(offsetof(struct gem_tx_stream, sek) == offsetof(struct gem_stream, sek));
static_assert(offsetof(struct gem_tx_stream, ref) == offsetof(struct gem_stream, ref));
static_assert(offsetof(struct gem_tx_stream, stats) == offsetof(struct gem_stream, stats));
static_assert(offsetof(struct gem_rx_stream, node) == offsetof(struct gem_stream, node));
static_assert(offsetof(struct gem_rx_stream, list) == offsetof(struct gem_stream, list));
static_assert(offsetof(struct gem_rx_stream, id) == offsetof(struct gem_stream, id));
static_assert(offsetof(struct gem_rx_stream, sek) == offsetof(struct gem_stream, sek));
static_assert(offsetof(struct gem_rx_stream, ref) == offsetof(struct gem_stream, ref));
static_assert(offsetof(struct gem_rx_stream, stats) == offsetof(struct gem_stream, stats));

static struct rhashtable *gem_stream_table(struct gem_keys *k, bool tx)
{
	return tx ? &k->tx : &k->rx;
}

/* Under the key lock. */
static struct gem_stream *gem_stream_exact(struct gem_keys *k, bool tx,
					   const struct gem_stream_id *id)
{
	return rhashtable_lookup_fast(gem_stream_table(k, tx), id, gem_stream_params);
}

static void gem_stream_free(struct gem_stream *s)
{
	percpu_ref_exit(&s->ref);
	free_percpu(s->stats);
	gem_crypto_sek_destroy(&s->sek);
	kfree_sensitive(s);
}

/*
 * The last reference gone, in any context. No reader can see the stream
 * any more: the count reached zero only after switching from per CPU,
 * which waits a grace period after the table let go, and a reader holds
 * a reference past its read side. So it is freed here, with no callback
 * of its own that module removal's rcu_barrier() would not wait for.
 */
static void gem_stream_release(struct percpu_ref *ref)
{
	gem_stream_free(container_of(ref, struct gem_stream, ref));
}

/* The table lets go: no new hold succeeds, the last one frees it. */
static void gem_stream_put(struct gem_stream *s)
{
	percpu_ref_kill(&s->ref);
}

/**
 * gem_keys_stream_hold() - keeps a stream found under RCU past the read side
 * @stream: a struct gem_tx_stream or gem_rx_stream
 *
 * Return: false if it is on its way out.
 */
bool gem_keys_stream_hold(void *stream)
{
	return percpu_ref_tryget_live(&((struct gem_stream *)stream)->ref);
}

/**
 * gem_keys_stream_put() - lets go of a stream held
 * @stream: a struct gem_tx_stream or gem_rx_stream
 */
void gem_keys_stream_put(void *stream)
{
	percpu_ref_put(&((struct gem_stream *)stream)->ref);
}

/**
 * gem_keys_stream_count() - counts a packet sealed or opened on this CPU
 * @stream: a struct gem_tx_stream or gem_rx_stream
 * @len: its length before sealing or after opening
 *
 * Called with bottom halves off.
 */
void gem_keys_stream_count(void *stream, unsigned int len)
{
	struct gem_stream_pcpu_stats *st = this_cpu_ptr(((struct gem_stream *)stream)->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_inc(&st->packets);
	u64_stats_add(&st->bytes, len);
	u64_stats_update_end(&st->syncp);
}

/**
 * gem_keys_stream_stats() - a stream's packets and bytes, summed over CPUs
 * @stream: a struct gem_tx_stream or gem_rx_stream
 * @packets: set to its packets
 * @bytes: set to their bytes
 */
void gem_keys_stream_stats(const void *stream, u64 *packets, u64 *bytes)
{
	const struct gem_stream *s = stream;
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct gem_stream_pcpu_stats *st = per_cpu_ptr(s->stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			p = u64_stats_read(&st->packets);
			b = u64_stats_read(&st->bytes);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		*packets += p;
		*bytes += b;
	}
}

static unsigned int *gem_stream_count(struct gem_keys *k, bool tx)
{
	return tx ? &k->n_tx : &k->n_rx;
}

/* A stream's AEAD enters or leaves. */
static void gem_stream_counted(struct gem_keys *k, const struct gem_stream *s, bool in)
{
	gem_drivers_counted(&k->aead_drivers, gem_crypto_sek_driver(&s->sek), in);
}

/* The key installed again: the stream keeps its window and counters. */
static void gem_stream_keep(struct gem_stream *s, bool tx, const struct gem_stream_opts *opts)
{
	if (!tx && opts->has_rate)
		gem_replay_set_rate(&((struct gem_rx_stream *)s)->replay, opts->rate);
}

/*
 * A stream with its key set up and its packet numbers started: the time
 * of day in nanoseconds for transmit, the window's floor for receive.
 * @key_id is the key's; a transmit stream's @sid has none.
 */
static struct gem_stream *gem_stream_new(bool tx, const struct gem_stream_id *sid, u8 key_id,
					 const u8 derived[GEM_SEK_LEN],
					 const u8 fp[GEM_SEK_FP_LEN],
					 const struct gem_stream_opts *opts,
					 struct netlink_ext_ack *extack)
{
	struct gem_stream *s;
	int cpu, err;

	s = kzalloc(tx ? sizeof(struct gem_tx_stream) : sizeof(struct gem_rx_stream),
		    GFP_KERNEL_ACCOUNT);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->id = *sid;
	s->stats = alloc_percpu_gfp(struct gem_stream_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!s->stats || percpu_ref_init(&s->ref, gem_stream_release, 0, GFP_KERNEL_ACCOUNT)) {
		free_percpu(s->stats);
		kfree(s);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(s->stats, cpu)->syncp);
	err = gem_crypto_sek_init(&s->sek, derived, key_id, fp);
	if (err) {
		NL_SET_ERR_MSG(extack, "gem: the stream key was refused by AES-GCM");
		percpu_ref_exit(&s->ref);
		free_percpu(s->stats);
		kfree_sensitive(s);
		return ERR_PTR(err);
	}
	if (tx)
		atomic64_set(&((struct gem_tx_stream *)s)->next_pn, ktime_get_real_ns());
	else
		gem_replay_init(&((struct gem_rx_stream *)s)->replay, opts->floor,
				opts->has_rate ? opts->rate : 0);
	return s;
}

/* Puts @s in its table, in place of the stream it replaces; frees it if not. */
static int gem_stream_insert(struct gem_keys *k, bool tx, struct gem_stream *s,
			     struct netlink_ext_ack *extack)
{
	unsigned int *count = gem_stream_count(k, tx);
	struct gem_stream *old;
	int err = 0;

	mutex_lock(&k->lock);
	old = gem_stream_exact(k, tx, &s->id);
	if (old && tx && old->sek.key_id == s->sek.key_id) {
		NL_SET_ERR_MSG(extack, "gem: a new transmit key needs a new key id");
		err = -EEXIST;
	} else if (!old && *count >= (tx ? READ_ONCE(max_tx_streams) : READ_ONCE(max_rx_streams))) {
		if (tx)
			NL_SET_ERR_MSG(extack,
				       "gem: the device holds the most transmit streams it may (module parameter gem.max_tx_streams)");
		else
			NL_SET_ERR_MSG(extack,
				       "gem: the device holds the most receive keys it may (module parameter gem.max_rx_streams)");
		err = -ENOSPC;
	}
	if (err) {
		mutex_unlock(&k->lock);
		gem_stream_free(s);
		return err;
	}
	if (old)
		err = rhashtable_replace_fast(gem_stream_table(k, tx), &old->node, &s->node,
					      gem_stream_params);
	else
		err = rhashtable_insert_fast(gem_stream_table(k, tx), &s->node,
					     gem_stream_params);
	if (err) {
		mutex_unlock(&k->lock);
		NL_SET_ERR_MSG(extack, "gem: the stream table could not take the stream");
		gem_stream_free(s);
		return err;
	}
	if (old) {
		list_replace_rcu(&old->list, &s->list);
		gem_stream_counted(k, old, false);
	} else {
		list_add_tail_rcu(&s->list, gem_stream_list(k, tx));
		(*count)++;
	}
	gem_stream_counted(k, s, true);
	gem_keys_changed(k);
	mutex_unlock(&k->lock);

	if (old)
		gem_stream_put(old);
	return 0;
}

/**
 * gem_keys_stream_set - install a stream's key
 * @k: the device's tables
 * @tx: a transmit stream (else a receive stream)
 * @id: the stream, with the key id
 * @key: its key, 32 bytes
 * @keylen: the key's length
 * @opts: the receive window's floor and rate; NULL for none
 * @extack: says why not
 *
 * A transmit stream keeps one key: a new one takes over, and its id must
 * differ from the one it replaces so receivers hold both during the
 * switch. Its packet numbers start at the time of day in nanoseconds,
 * never below: the same key set again, now or after a reboot, seals no
 * packet number twice, as long as the clock does not step back (a sender
 * seals fewer than one packet a nanosecond). Receive streams are per key
 * id; installing the key a receive stream already has changes nothing
 * but its rate: its window stays, so what it took is never taken again.
 *
 * Return: 0, or a negative errno with nothing changed.
 */
int gem_keys_stream_set(struct gem_keys *k, bool tx, const struct gem_stream_id *id,
			const u8 *key, unsigned int keylen, const struct gem_stream_opts *opts,
		   struct netlink_ext_ack *extack)
{
	static const struct gem_stream_opts defaults;
	u8 derived[GEM_SEK_LEN], fp[GEM_SEK_FP_LEN];
	struct gem_stream_id sid = *id;
	struct gem_stream *s, *old;
	int err;

	if (!opts)
		opts = &defaults;
	if (tx) {
		sid.key_id = 0;		/* not part of a transmit stream's identity */
		if (ktime_get_real_seconds() < GEM_CLOCK_MIN_SECONDS) {
			NL_SET_ERR_MSG(extack,
				       "gem: the system clock is not set: transmit packet numbers start at the time of day");
			return -EINVAL;
		}
	}
	err = gem_crypto_sek_derive(key, keylen, id, id->key_id, derived, fp);
	if (err) {
		NL_SET_ERR_MSG(extack, "gem: a stream key is 32 bytes (AES-256-GCM)");
		return err;
	}

	/* The key a stream already has, installed again: nothing to replace. */
	mutex_lock(&k->lock);
	old = gem_stream_exact(k, tx, &sid);
	if (old && old->sek.key_id == id->key_id && !crypto_memneq(old->sek.fp, fp, sizeof(fp))) {
		gem_stream_keep(old, tx, opts);
		mutex_unlock(&k->lock);
		memzero_explicit(derived, sizeof(derived));
		return 0;
	}
	mutex_unlock(&k->lock);

	s = gem_stream_new(tx, &sid, id->key_id, derived, fp, opts, extack);
	memzero_explicit(derived, sizeof(derived));
	if (IS_ERR(s))
		return PTR_ERR(s);
	return gem_stream_insert(k, tx, s, extack);
}

/**
 * gem_keys_stream_del() - deletes a stream (a receive stream: one key id)
 * @k: the device's tables
 * @tx: the transmit direction (else receive)
 * @id: the stream, with the key id for receive
 *
 * Return: 0, or -ENOENT if there is no such stream.
 */
int gem_keys_stream_del(struct gem_keys *k, bool tx, const struct gem_stream_id *id)
{
	struct gem_stream_id key = *id;
	struct gem_stream *s;

	if (tx)
		key.key_id = 0;
	mutex_lock(&k->lock);
	s = gem_stream_exact(k, tx, &key);
	if (s) {
		rhashtable_remove_fast(gem_stream_table(k, tx), &s->node, gem_stream_params);
		list_del_rcu(&s->list);
		gem_stream_counted(k, s, false);
		(*gem_stream_count(k, tx))--;
		gem_keys_changed(k);
	}
	mutex_unlock(&k->lock);
	if (!s)
		return -ENOENT;
	gem_stream_put(s);
	return 0;
}

/**
 * gem_keys_stream_flush() - deletes every stream of one direction
 * @k: the device's tables
 * @tx: the transmit direction (else receive)
 *
 * Every stream goes. A reader on the table or the list still reaches its
 * end: each stream's own links are left as they are until its callback runs.
 */
void gem_keys_stream_flush(struct gem_keys *k, bool tx)
{
	struct gem_stream *s, *tmp;
	unsigned int n = 0;

	mutex_lock(&k->lock);
	list_for_each_entry_safe(s, tmp, gem_stream_list(k, tx), list) {
		rhashtable_remove_fast(gem_stream_table(k, tx), &s->node, gem_stream_params);
		list_del_rcu(&s->list);
		gem_stream_counted(k, s, false);
		gem_stream_put(s);
		if (!(++n % 1024))
			cond_resched();
	}
	*gem_stream_count(k, tx) = 0;
	gem_keys_changed(k);
	mutex_unlock(&k->lock);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/keys_test.c"
#endif
