// SPDX-License-Identifier: GPL-2.0
/*
 * A local stream's transmit key: made on demand, rotated with an overlap
 * (the next key announced before it is sent with), replaced at once when
 * it must go, and adopted from gem.ko across a restart of gemd.
 */
#include <string.h>

#include <sodium.h>

#include "keys_internal.h"
#include "lib/log.h"

struct gemd_tx *keys_tx_find(struct gemd_keys *k, unsigned int ifindex, const struct gem_ip *src,
			     const struct gem_ip *grp, bool used)
{
	unsigned int i;

	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &k->tx[i];

		if (t->used == used && t->ifindex == ifindex &&
		    keys_same_stream(&t->source, &t->group, src, grp))
			return t;
	}
	return NULL;
}

static struct gemd_tx *tx_free_slot(struct gemd_keys *k)
{
	unsigned int i;

	/* Never-used slots first: a freed one remembers its stream's last id. */
	for (i = 0; i < GEMD_TX_MAX; i++)
		if (!k->tx[i].used && !k->tx[i].source.len)
			return &k->tx[i];
	for (i = 0; i < GEMD_TX_MAX; i++)
		if (!k->tx[i].used)
			return &k->tx[i];
	return NULL;
}

/* The stream keeps its slot's stream and last id; the keys go. */
void keys_tx_release(struct gemd_tx *t)
{
	sodium_memzero(t->sek, sizeof(t->sek));
	sodium_memzero(t->next_sek, sizeof(t->next_sek));
	t->used = t->pending = t->known = false;
}

/* Starts a rotation: the next key is announced now and sent with later. */
void keys_tx_rotate_begin(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms)
{
	randombytes_buf(t->next_sek, sizeof(t->next_sek));
	t->next_id = gemd_key_id_next(t->key_id);
	t->pending = true;
	t->switch_ms = now_ms + k->overlap_ms;
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "announced the next stream key (id %u), switching in %llu ms",
		t->next_id, (unsigned long long)k->overlap_ms);
	keys_stream_event("key-next", &t->source, &t->group, t->next_id);
}

/*
 * The key a stream is sent with must go now (its group's GAK changed, or
 * the operator asked): a new key is announced alone, never beside the
 * current one, and gem.ko switches to it after a short grace (the time an
 * announcement takes to reach the group, at most the overlap). A next key
 * already announced (under what may be the old GAK) is dropped as well.
 */
void gemd_keys_rekey(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms)
{
	uint64_t grace = k->overlap_ms < 2000 ? k->overlap_ms : 2000;

	if (!t->used)
		return;
	randombytes_buf(t->next_sek, sizeof(t->next_sek));
	t->next_id = gemd_key_id_next(t->pending ? t->next_id : t->key_id);
	t->pending = true;
	t->current_revoked = true;
	t->switch_ms = now_ms + grace;
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "a new stream key (id %u), announced alone; sent with in %llu ms",
		t->next_id, (unsigned long long)grace);
	keys_stream_event("key-rekeyed", &t->source, &t->group, t->next_id);
}

void keys_tx_switch(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms)
{
	if (keys_kernel_set(k, t->ifindex, true, &t->source, &t->group, t->next_id, t->next_sek,
			    0)) {
		/* Try again at the next tick; the old key still works. */
		t->switch_ms = now_ms + 1000;
		return;
	}
	memcpy(t->sek, t->next_sek, sizeof(t->sek));
	sodium_memzero(t->next_sek, sizeof(t->next_sek));
	t->key_id = t->next_id;
	t->known = true;
	t->pending = false;
	t->current_revoked = false;
	t->packets = 0;
	t->rotate_ms = now_ms + k->rotate_ms;
	t->rotations++;
	k->rotated++;
	/* The announcement names the new key alone now: receivers retire the old one. */
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "sending with stream key id %u; the old key is wiped", t->key_id);
	keys_stream_event("key-switched", &t->source, &t->group, t->key_id);
}

struct gemd_tx *gemd_keys_local(struct gemd_keys *k, unsigned int ifindex,
				const struct gem_ip *src, const struct gem_ip *grp, uint64_t now_ms)
{
	struct gemd_tx *t;
	uint8_t id = 1;
	int gi = gemd_keys_group_of(k, grp);

	if (gi < 0 || keys_tx_find(k, ifindex, src, grp, true))
		return NULL;	/* not ours to key, or made already: the event raced */
	/*
	 * A stream keyed before (its device may be another now, after a
	 * module reload) continues its ids, so receivers replace nothing in use.
	 */
	for (t = k->tx; t < k->tx + GEMD_TX_MAX; t++)
		if (!t->used && keys_same_stream(&t->source, &t->group, src, grp))
			break;
	if (t < k->tx + GEMD_TX_MAX)
		id = gemd_key_id_next(t->key_id);
	else
		t = tx_free_slot(k);
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	randombytes_buf(t->sek, sizeof(t->sek));
	if (keys_kernel_set(k, ifindex, true, src, grp, id, t->sek, 0)) {
		sodium_memzero(t->sek, sizeof(t->sek));
		return NULL;
	}
	t->used = t->known = true;
	t->ifindex = ifindex;
	t->group_index = gi;
	t->source = *src;
	t->group = *grp;
	t->key_id = id;
	t->rotate_ms = now_ms + k->rotate_ms;
	k->made++;
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "made and announced a stream key for a local source (id %u)", id);
	keys_stream_event("key-made", src, grp, id);
	return t;
}

/*
 * A device's transmit streams from before this gemd: rotated at once
 * (their key is not known here, and a new one must be announced before
 * it is sent with).
 */
void keys_tx_adopt(struct gemd_keys *k, unsigned int ifindex, const struct kernel_stream *s,
		   int n, uint64_t now_ms)
{
	int i;

	for (i = 0; i < n; i++) {
		struct gemd_tx *t;
		int gi = gemd_keys_group_of(k, &s[i].grp);

		if (gi < 0 || keys_tx_find(k, ifindex, &s[i].src, &s[i].grp, true))
			continue;
		t = tx_free_slot(k);
		if (!t)
			break;
		memset(t, 0, sizeof(*t));
		t->used = true;
		t->ifindex = ifindex;
		t->group_index = gi;
		t->source = s[i].src;
		t->group = s[i].grp;
		t->key_id = s[i].key_id;
		t->packets = s[i].packets;
		k->adopted_tx++;
		keys_tx_rotate_begin(k, t, now_ms);
	}
}
