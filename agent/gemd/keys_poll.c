// SPDX-License-Identifier: GPL-2.0
/*
 * What gemd reads from gem.ko every second: packets sent with each local
 * stream's key (a stream that sent its share rotates early), and the
 * newest packet number taken with each receive key (its floor, should it
 * be installed again). A dump is indexed (open addressing) so each key is
 * looked up once: linear in the streams, not quadratic.
 */
#include <stdlib.h>
#include <string.h>

#include "items/gem_frag.h"
#include "keys_internal.h"

#define INDEX_SIZE	(2 * GEMD_RX_MAX)	/* a power of two, at most half full */

/* A device's dump of n streams, and where each sits. */
struct index {
	const struct kernel_stream *s;
	int n;
	bool by_id;			/* receive keys: a stream's ids sit apart */
	int32_t slot[INDEX_SIZE];
};

/* Where a stream sits: the items' FNV-1a over its addresses (and key id). */
static uint32_t stream_hash(const struct index *x, const struct gem_ip *src,
			    const struct gem_ip *grp, uint8_t key_id)
{
	uint8_t key[32];

	memcpy(key, src->addr, src->len);
	memcpy(key + src->len, grp->addr, grp->len);
	return gem_frag_tag(key, (size_t)src->len + grp->len) + (x->by_id ? key_id : 0);
}

static void index_build(struct index *x, const struct kernel_stream *s, int n)
{
	unsigned int j;
	int i;

	x->s = s;
	x->n = n;
	memset(x->slot, 0xff, sizeof(x->slot));
	for (i = 0; i < n; i++) {
		for (j = stream_hash(x, &s[i].src, &s[i].grp, s[i].key_id);
		     x->slot[j % INDEX_SIZE] >= 0; j++)
			;
		x->slot[j % INDEX_SIZE] = i;
	}
}

/* The stream (with this key id, when by_id) as dumped, or NULL. */
static const struct kernel_stream *index_find(const struct index *x, const struct gem_ip *src,
					      const struct gem_ip *grp, uint8_t key_id)
{
	unsigned int h;

	for (h = stream_hash(x, src, grp, key_id); x->slot[h % INDEX_SIZE] >= 0; h++) {
		const struct kernel_stream *e = &x->s[x->slot[h % INDEX_SIZE]];

		if ((!x->by_id || e->key_id == key_id) &&
		    keys_same_stream(&e->src, &e->grp, src, grp))
			return e;
	}
	return NULL;
}

/* An index, and room for a dump of max streams; NULL when memory is short. */
static struct index *index_new(bool by_id, unsigned int max, struct kernel_stream **s)
{
	struct index *x = malloc(sizeof(*x));

	*s = calloc(max, sizeof(**s));
	if (!x || !*s) {
		free(x);
		free(*s);
		return NULL;
	}
	x->by_id = by_id;
	return x;
}

static void index_free(struct index *x, struct kernel_stream *s)
{
	free(x);
	free(s);
}

/* Packet numbers from gem.ko: a stream that sent its share rotates early. */
static void packets_read(struct gemd_keys *k, const struct index *x, unsigned int ifindex,
			 uint64_t now_ms)
{
	unsigned int j;

	for (j = 0; j < GEMD_TX_MAX; j++) {
		struct gemd_tx *t = &k->tx[j];
		const struct kernel_stream *e;

		if (!t->used || t->ifindex != ifindex)
			continue;
		e = index_find(x, &t->source, &t->group, 0);
		if (!e || e->key_id != t->key_id)
			continue;
		t->packets = e->packets;
		/* Its packet numbers began at the time of day: counted, not read. */
		if (!t->pending && t->packets >= k->rotate_packets)
			keys_tx_rotate_begin(k, t, now_ms);
	}
}

/*
 * What gem.ko took with each receive key: if the module is reloaded, a
 * key installed again starts its window there, so what it took before is
 * not taken again (a replay of at most the last second before the reload
 * could be). The highest a device reports wins.
 */
static void floors_read(struct gemd_keys *k, const struct index *x)
{
	unsigned int j;

	for (j = 0; j < GEMD_RX_MAX; j++) {
		struct gemd_rx *r = &k->rx[j];
		const struct kernel_stream *e;

		if (!r->used)
			continue;
		e = index_find(x, &r->source, &r->group, r->key_id);
		if (e && e->pn > r->floor)
			r->floor = e->pn;
	}
}

static bool any_used(const struct gemd_keys *k, bool tx)
{
	unsigned int i;

	for (i = 0; i < (tx ? GEMD_TX_MAX : GEMD_RX_MAX); i++)
		if (tx ? k->tx[i].used : k->rx[i].used)
			return true;
	return false;
}

void keys_poll(struct gemd_keys *k, bool tx, uint64_t now_ms)
{
	unsigned int d, max = tx ? GEMD_TX_MAX : GEMD_RX_MAX;
	struct kernel_stream *s;
	struct index *x;

	if (!k->kn || !any_used(k, tx) || !(x = index_new(!tx, max, &s)))
		return;
	for (d = 0; d < k->n_devices; d++) {
		if (!k->ifindex[d])
			continue;
		index_build(x, s, kernel_keys_dump(k->kn, k->ifindex[d], tx, s, max));
		if (x->n <= 0)
			continue;
		if (tx)
			packets_read(k, x, k->ifindex[d], now_ms);
		else
			floors_read(k, x);
	}
	index_free(x, s);
}
