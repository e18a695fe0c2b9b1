// SPDX-License-Identifier: GPL-2.0
/*
 * Receive keys from announcements: installed once per key on every
 * device, the older id of a stream retired two overlaps after a newer one
 * arrives, all of a stream's removed when its announcement lapses, one
 * origin per stream; and those adopted from gem.ko across a restart.
 */
#include <string.h>

#include <sodium.h>

#include "keys_internal.h"
#include "lib/log.h"

static struct gemd_rx *rx_find(struct gemd_keys *k, const struct gem_ip *src,
			       const struct gem_ip *grp, uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &k->rx[i];

		if (r->used && r->key_id == key_id &&
		    keys_same_stream(&r->source, &r->group, src, grp))
			return r;
	}
	return NULL;
}

static struct gemd_rx *rx_new(struct gemd_keys *k, const struct gem_ip *src,
			      const struct gem_ip *grp, uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &k->rx[i];

		if (!r->used) {
			memset(r, 0, sizeof(*r));
			r->used = true;
			r->source = *src;
			r->group = *grp;
			r->key_id = key_id;
			return r;
		}
	}
	return NULL;
}

/* Adopted keys have no origin yet: the first announcement claims them. */
static const uint8_t no_origin[GEM_ROUTER_ID_LEN];

/* Installs one announced key unless it is held already. */
static struct gemd_rx *rx_install(struct gemd_keys *k, struct gemd_rx *r, const uint8_t *origin,
				  const struct gem_ip *src, const struct gem_ip *grp,
				  const struct gem_announce_key *key)
{
	uint8_t fp[16];
	unsigned int d;
	bool ok = false;

	crypto_generichash(fp, sizeof(fp), key->sek, GEMD_SEK_LEN, NULL, 0);
	/* A renewed announcement of a key held: reinstalling would reset its replay window. */
	if (r && r->known && !sodium_memcmp(r->fingerprint, fp, sizeof(fp)))
		return r;
	if (!r) {
		r = rx_new(k, src, grp, key->key_id);
		/* Whose it is, installed or not: so it lapses with its origin's announcement. */
		if (r)
			memcpy(r->origin, origin, GEM_ROUTER_ID_LEN);
	}
	for (d = 0; d < k->n_devices; d++)
		if (!keys_kernel_set(k, k->ifindex[d], false, src, grp, key->key_id, key->sek, 0))
			ok = true;
	if (!r || !ok)
		return r;
	k->installed++;
	r->known = true;
	memcpy(r->origin, origin, GEM_ROUTER_ID_LEN);
	memcpy(r->fingerprint, fp, sizeof(fp));
	gem_log(GEM_LOG_INFO, "installed a receive key (key id %u)", key->key_id);
	keys_stream_event("key-installed", src, grp, key->key_id);
	return r;
}

/*
 * One origin per stream: a GAK holder announcing a key for another node's
 * stream must not replace the keys receivers use for it. False if another
 * origin's are held; else held[j] is the key held for keys[j], or NULL.
 */
static bool rx_held(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		    const struct gem_ip *grp, const struct gem_announce_key *keys,
		    unsigned int n_keys, struct gemd_rx **held)
{
	unsigned int i, j;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *o = &k->rx[i];

		if (!o->used || !keys_same_stream(&o->source, &o->group, src, grp))
			continue;
		if (memcmp(o->origin, origin, GEM_ROUTER_ID_LEN) &&
		    memcmp(o->origin, no_origin, GEM_ROUTER_ID_LEN))
			return false;
		for (j = 0; j < n_keys; j++)
			if (o->key_id == keys[j].key_id)
				held[j] = o;
	}
	return true;
}

int gemd_keys_heard(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		    const struct gem_ip *grp, const struct gem_announce_key *keys,
		    unsigned int n_keys, uint64_t now_ms)
{
	struct gemd_rx *held[GEM_SEK_KEYS_MAX] = { NULL };
	unsigned int i, j;

	if (!rx_held(k, origin, src, grp, keys, n_keys, held)) {
		keys_stream_event("key-refused-other-origin", src, grp, keys[0].key_id);
		return -1;
	}
	for (j = 0; j < n_keys; j++) {
		held[j] = rx_install(k, held[j], origin, src, grp, &keys[j]);
		if (held[j])
			held[j]->retire_ms = 0;
	}
	/* The stream's ids the announcement no longer names are the past. */
	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *o = &k->rx[i];
		uint64_t when = now_ms + 2 * k->overlap_ms;

		if (!o->used || !keys_same_stream(&o->source, &o->group, src, grp))
			continue;
		for (j = 0; j < n_keys && o != held[j]; j++)
			;
		if (j < n_keys)
			continue;
		memcpy(o->origin, origin, GEM_ROUTER_ID_LEN);
		if (!o->retire_ms || o->retire_ms > when)
			o->retire_ms = when;
	}
	return 0;
}

/*
 * Into a device that is new (gem.ko reloaded, say): its window starts at
 * what gem.ko took with this key before, as last read (every second), so
 * a replay of what it took then is not taken again.
 */
void gemd_keys_reinstall(struct gemd_keys *k, unsigned int ifindex, const struct gem_ip *src,
			 const struct gem_ip *grp, uint8_t key_id, const uint8_t *sek)
{
	const struct gemd_rx *r = rx_find(k, src, grp, key_id);

	keys_kernel_set(k, ifindex, false, src, grp, key_id, sek, r ? r->floor : 0);
}

void gemd_keys_lapsed(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		      const struct gem_ip *grp, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &k->rx[i];

		if (r->used && keys_same_stream(&r->source, &r->group, src, grp) &&
		    !memcmp(r->origin, origin, GEM_ROUTER_ID_LEN))
			r->retire_ms = now_ms;
	}
}

void keys_rx_retire(struct gemd_keys *k, struct gemd_rx *r)
{
	unsigned int d;

	for (d = 0; d < k->n_devices; d++)
		keys_kernel_set(k, k->ifindex[d], false, &r->source, &r->group, r->key_id, NULL, 0);
	gem_log(GEM_LOG_INFO, "retired a receive key (key id %u)", r->key_id);
	keys_stream_event("key-retired", &r->source, &r->group, r->key_id);
	r->used = false;
	k->retired++;
}

/*
 * A device's receive keys from before this gemd: kept, and gone if no
 * announcement claims them within an item lifetime.
 */
void keys_rx_adopt(struct gemd_keys *k, const struct kernel_stream *s, int n, uint64_t now_ms)
{
	int i;

	for (i = 0; i < n; i++) {
		struct gemd_rx *r;

		if (rx_find(k, &s[i].src, &s[i].grp, s[i].key_id))
			continue;
		r = rx_new(k, &s[i].src, &s[i].grp, s[i].key_id);
		if (!r)
			break;
		r->retire_ms = now_ms + k->lifetime_ms;
		k->adopted_rx++;
	}
}
