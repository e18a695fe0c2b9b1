// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: a device's protected groups and its transmit and receive streams.
 *
 * The packet path looks everything up under RCU. Changes come from
 * netlink, in process context, under the device's key lock; a replaced or
 * deleted entry is freed only after a grace period, its transform freed
 * and its memory wiped.
 */

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "keys.h"

static const char *const gem_tag_algs[] = {
	[GEM_TAG_HMAC_SHA256]	= "hmac(sha256)",
	[GEM_TAG_CMAC_AES]	= "cmac(aes)",
};

int gem_keys_init(struct gem_keys *k)
{
	mutex_init(&k->lock);
	INIT_LIST_HEAD(&k->groups);
	k->tx = kvcalloc(1 << GEM_STREAM_HASH_BITS, sizeof(*k->tx), GFP_KERNEL);
	k->rx = kvcalloc(1 << GEM_STREAM_HASH_BITS, sizeof(*k->rx), GFP_KERNEL);
	if (!k->tx || !k->rx) {
		kvfree(k->tx);
		kvfree(k->rx);
		return -ENOMEM;
	}
	k->seed = get_random_u32();
	k->gen = 1;
	return 0;
}

/* The device is gone from every reader's reach: no grace period needed. */
void gem_keys_destroy(struct gem_keys *k)
{
	gem_group_flush(k);
	gem_stream_flush(k, true);
	gem_stream_flush(k, false);
	kvfree(k->tx);
	kvfree(k->rx);
}

static void gem_keys_changed(struct gem_keys *k)
{
	WRITE_ONCE(k->gen, k->gen + 1 ?: 1);
}

static bool gem_prefix_match(u8 family, const union gem_addr *addr,
			     const union gem_addr *prefix, u8 prefixlen)
{
	if (family == AF_INET)
		return !((addr->v4 ^ prefix->v4) & inet_make_mask(prefixlen));
	return ipv6_prefix_equal(&addr->v6, &prefix->v6, prefixlen);
}

/* The longest protected prefix holding group; called under RCU. */
struct gem_group *gem_group_find(struct gem_keys *k, u8 family, const union gem_addr *group)
{
	struct gem_group *g;

	list_for_each_entry_rcu(g, &k->groups, list)
		if (g->family == family &&
		    gem_prefix_match(family, group, &g->prefix, g->prefixlen))
			return g;
	return NULL;
}

static void gem_group_free(struct gem_group *g)
{
	gem_tagkey_destroy(&g->tk);
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

int gem_group_set(struct gem_keys *k, u8 family, const union gem_addr *prefix, u8 prefixlen,
		  u8 alg, const u8 *key, unsigned int keylen, struct netlink_ext_ack *extack)
{
	struct gem_group *g, *old, *pos;
	union gem_addr masked;
	int err;

	if (family == AF_INET ? prefixlen < 4 || prefixlen > 32 || !ipv4_is_multicast(prefix->v4)
			      : prefixlen < 8 || prefixlen > 128 ||
				!ipv6_addr_is_multicast(&prefix->v6)) {
		NL_SET_ERR_MSG(extack,
			       "gem: the group prefix must lie within 224.0.0.0/4 or ff00::/8");
		return -EINVAL;
	}
	if (family == AF_INET) {
		masked.v4 = prefix->v4 & inet_make_mask(prefixlen);
	} else {
		memset(&masked, 0, sizeof(masked));
		ipv6_addr_prefix(&masked.v6, &prefix->v6, prefixlen);
	}
	if (memcmp(&masked, prefix, family == AF_INET ? 4 : 16)) {
		NL_SET_ERR_MSG(extack, "gem: the group prefix has bits set past its length");
		return -EINVAL;
	}
	if (alg >= ARRAY_SIZE(gem_tag_algs)) {
		NL_SET_ERR_MSG(extack, "gem: unknown tag algorithm");
		return -EINVAL;
	}

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return -ENOMEM;
	g->family = family;
	g->prefixlen = prefixlen;
	g->prefix = *prefix;
	g->alg = alg;
	err = gem_tagkey_init(&g->tk, gem_tag_algs[alg], key, keylen);
	if (err) {
		NL_SET_ERR_MSG(extack, "gem: the tag key was refused by its algorithm");
		kfree_sensitive(g);
		return err;
	}

	mutex_lock(&k->lock);
	old = gem_group_exact(k, family, prefix, prefixlen);
	if (old) {
		list_replace_rcu(&old->list, &g->list);
	} else {
		/* Longest prefix first, so the first match is the best. */
		list_for_each_entry(pos, &k->groups, list)
			if (pos->prefixlen < prefixlen)
				break;
		list_add_tail_rcu(&g->list, &pos->list);
	}
	gem_keys_changed(k);
	mutex_unlock(&k->lock);

	if (old) {
		synchronize_rcu();
		gem_group_free(old);
	}
	return 0;
}

int gem_group_del(struct gem_keys *k, u8 family, const union gem_addr *prefix, u8 prefixlen)
{
	struct gem_group *g;

	mutex_lock(&k->lock);
	g = gem_group_exact(k, family, prefix, prefixlen);
	if (g) {
		list_del_rcu(&g->list);
		gem_keys_changed(k);
	}
	mutex_unlock(&k->lock);
	if (!g)
		return -ENOENT;
	synchronize_rcu();
	gem_group_free(g);
	return 0;
}

void gem_group_flush(struct gem_keys *k)
{
	struct gem_group *g, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&k->lock);
	list_splice_init_rcu(&k->groups, &dead, synchronize_rcu);
	gem_keys_changed(k);
	mutex_unlock(&k->lock);
	list_for_each_entry_safe(g, tmp, &dead, list)
		gem_group_free(g);
}

static struct hlist_head *gem_stream_bucket(struct gem_keys *k, bool tx,
					    const struct gem_stream_id *id)
{
	u32 h = jhash(id, sizeof(*id), k->seed);

	return &gem_stream_table(k, tx)[h & ((1 << GEM_STREAM_HASH_BITS) - 1)];
}

/* Called under RCU. */
struct gem_tx_stream *gem_tx_find(struct gem_keys *k, const struct gem_stream_id *id)
{
	struct gem_tx_stream *s;

	hlist_for_each_entry_rcu(s, gem_stream_bucket(k, true, id), node)
		if (!memcmp(&s->id, id, sizeof(*id)))
			return s;
	return NULL;
}

/* Called under RCU. */
struct gem_rx_stream *gem_rx_find(struct gem_keys *k, const struct gem_stream_id *id)
{
	struct gem_rx_stream *s;

	hlist_for_each_entry_rcu(s, gem_stream_bucket(k, false, id), node)
		if (!memcmp(&s->id, id, sizeof(*id)))
			return s;
	return NULL;
}

/* tx and rx streams both begin with their node, id and key. */
struct gem_stream {
	struct hlist_node node;
	struct gem_stream_id id;
	struct gem_sek sek;
};

static_assert(offsetof(struct gem_tx_stream, node) == offsetof(struct gem_stream, node));
static_assert(offsetof(struct gem_tx_stream, id) == offsetof(struct gem_stream, id));
static_assert(offsetof(struct gem_tx_stream, sek) == offsetof(struct gem_stream, sek));
static_assert(offsetof(struct gem_rx_stream, node) == offsetof(struct gem_stream, node));
static_assert(offsetof(struct gem_rx_stream, id) == offsetof(struct gem_stream, id));
static_assert(offsetof(struct gem_rx_stream, sek) == offsetof(struct gem_stream, sek));

static struct gem_stream *gem_stream_exact(struct gem_keys *k, bool tx,
					   const struct gem_stream_id *id)
{
	struct gem_stream *s;

	hlist_for_each_entry(s, gem_stream_bucket(k, tx, id), node)
		if (!memcmp(&s->id, id, sizeof(*id)))
			return s;
	return NULL;
}

static void gem_stream_free(struct gem_stream *s)
{
	gem_sek_destroy(&s->sek);
	kfree_sensitive(s);
}

/*
 * Installs a stream's key, replacing the stream's previous one. A
 * transmit stream keeps one key: the new one takes over with packet
 * number 0, and its id must differ from the one it replaces so receivers
 * hold both during the switch. Receive streams are per key id.
 */
int gem_stream_set(struct gem_keys *k, bool tx, const struct gem_stream_id *id,
		   const u8 *key, unsigned int keylen, struct netlink_ext_ack *extack)
{
	struct gem_stream *s, *old;
	int err;

	s = kzalloc(tx ? sizeof(struct gem_tx_stream) : sizeof(struct gem_rx_stream),
		    GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->id = *id;
	err = gem_sek_init(&s->sek, key, keylen, id->key_id);
	if (err) {
		NL_SET_ERR_MSG(extack, "gem: a stream key is 32 bytes (AES-256-GCM)");
		kfree_sensitive(s);
		return err;
	}
	if (tx) {
		s->id.key_id = 0;	/* not part of a transmit stream's identity */
		atomic64_set(&((struct gem_tx_stream *)s)->next_pn, 0);
	} else {
		gem_replay_init(&((struct gem_rx_stream *)s)->replay);
	}

	mutex_lock(&k->lock);
	old = gem_stream_exact(k, tx, &s->id);
	if (old && tx && old->sek.key_id == id->key_id) {
		mutex_unlock(&k->lock);
		NL_SET_ERR_MSG(extack, "gem: a new transmit key needs a new key id");
		gem_stream_free(s);
		return -EEXIST;
	}
	if (old)
		hlist_replace_rcu(&old->node, &s->node);
	else
		hlist_add_head_rcu(&s->node, gem_stream_bucket(k, tx, &s->id));
	gem_keys_changed(k);
	mutex_unlock(&k->lock);

	if (old) {
		synchronize_rcu();
		gem_stream_free(old);
	}
	return 0;
}

int gem_stream_del(struct gem_keys *k, bool tx, const struct gem_stream_id *id)
{
	struct gem_stream_id key = *id;
	struct gem_stream *s;

	if (tx)
		key.key_id = 0;
	mutex_lock(&k->lock);
	s = gem_stream_exact(k, tx, &key);
	if (s) {
		hlist_del_rcu(&s->node);
		gem_keys_changed(k);
	}
	mutex_unlock(&k->lock);
	if (!s)
		return -ENOENT;
	synchronize_rcu();
	gem_stream_free(s);
	return 0;
}

void gem_stream_flush(struct gem_keys *k, bool tx)
{
	struct hlist_head *table = gem_stream_table(k, tx), *dead;
	struct gem_stream *s;
	struct hlist_node *tmp;
	int i, n = 1 << GEM_STREAM_HASH_BITS;

	/*
	 * Move whole chains aside: a reader inside one still reaches its end,
	 * as the streams' own links are left alone until the grace period.
	 */
	dead = kvcalloc(n, sizeof(*dead), GFP_KERNEL);
	if (!dead) {
		for (i = 0; i < n; i++)
			while ((s = hlist_entry_safe(table[i].first, struct gem_stream, node)))
				gem_stream_del(k, tx, &s->id);
		return;
	}
	mutex_lock(&k->lock);
	for (i = 0; i < n; i++)
		hlist_move_list(&table[i], &dead[i]);
	gem_keys_changed(k);
	mutex_unlock(&k->lock);
	synchronize_rcu();
	for (i = 0; i < n; i++)
		hlist_for_each_entry_safe(s, tmp, &dead[i], node)
			gem_stream_free(s);
	kvfree(dead);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/keys_test.c"
#endif
