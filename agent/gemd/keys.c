// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's stream keys in gem.ko: the configuration they follow, and the
 * timers that rotate, switch and retire them (keys.h says which file
 * owns the rest).
 *
 * Rotation never loses a packet: the next key is announced while gem.ko
 * still sends with the current one, and gem.ko switches only an overlap
 * later, when every receiver has had time to install it beside the old
 * one. Receivers retire the old id two overlaps after the new one came.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "events.h"
#include "keys_internal.h"
#include "lib/log.h"

void keys_stream_event(const char *name, const struct gem_ip *src, const struct gem_ip *grp,
		       uint8_t key_id)
{
	char s[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN], id[4];

	inet_ntop(src->len == 4 ? AF_INET : AF_INET6, src->addr, s, sizeof(s));
	inet_ntop(grp->len == 4 ? AF_INET : AF_INET6, grp->addr, g, sizeof(g));
	snprintf(id, sizeof(id), "%u", key_id);
	gemd_event(name, "source", s, "group", g, "id", id, NULL);
}

bool keys_same_stream(const struct gem_ip *s1, const struct gem_ip *g1, const struct gem_ip *s2,
		      const struct gem_ip *g2)
{
	return s1->len == s2->len && g1->len == g2->len &&
	       !memcmp(s1->addr, s2->addr, s1->len) && !memcmp(g1->addr, g2->addr, g1->len);
}

/* The longest configured prefix holding group, as gem.ko matches it; or -1. */
int gemd_keys_group_of(const struct gemd_keys *k, const struct gem_ip *group)
{
	unsigned int i;
	int b, best = -1;

	for (i = 0; i < k->n_groups; i++) {
		const struct gem_addr *p = &k->prefixes[i];

		if (p->len != group->len ||
		    (best >= 0 && p->prefixlen <= k->prefixes[best].prefixlen))
			continue;
		for (b = 0; b < p->prefixlen; b++)
			if ((p->bytes[b / 8] ^ group->addr[b / 8]) & (0x80 >> (b % 8)))
				break;
		if (b == p->prefixlen)
			best = (int)i;
	}
	return best;
}

/* How fast a receive window of the group may move ahead (gem.ko's rate bound). */
static uint32_t rx_rate(const struct gemd_keys *k, const struct gem_ip *grp)
{
	int gi = gemd_keys_group_of(k, grp);

	return gi >= 0 && k->group_rate[gi] ? k->group_rate[gi] : k->stream_max_rate;
}

/* The configured group with exactly this prefix, or -1. */
int gemd_keys_group_of_prefix(const struct gemd_keys *k, const struct gem_addr *prefix)
{
	unsigned int i;

	for (i = 0; i < k->n_groups; i++)
		if (!memcmp(&k->prefixes[i], prefix, sizeof(*prefix)))
			return (int)i;
	return -1;
}

int keys_kernel_set(struct gemd_keys *k, unsigned int ifindex, bool tx, const struct gem_ip *src,
		    const struct gem_ip *grp, uint8_t key_id, const uint8_t *sek, uint64_t floor)
{
	struct kernel_key key = {
		.tx = tx, .src = *src, .grp = *grp, .key_id = key_id, .sek = sek, .floor = floor,
	};
	int ret;

	if (!k->kn || !ifindex)
		return -1;
	if (sek && !tx)
		key.rate = rx_rate(k, grp);
	ret = sek ? kernel_key_set(k->kn, ifindex, &key) : kernel_key_del(k->kn, ifindex, &key);
	if (ret && !(ret == -ENOENT && !sek))
		gem_log(GEM_LOG_WARNING, "%s key %s: %s", tx ? "transmit" : "receive",
			sek ? "install" : "removal", kernel_errmsg(k->kn));
	return ret;
}

/* What a reload may change: groups, rotation, lifetimes. */
static void apply_conf(struct gemd_keys *k, const struct gemd_conf *c)
{
	unsigned int i;

	k->n_groups = c->n_groups;
	for (i = 0; i < c->n_groups; i++) {
		k->prefixes[i] = c->groups[i].prefix;
		k->group_rate[i] = c->groups[i].max_rate;
	}
	k->rotate_ms = (uint64_t)c->rotate_s * 1000;
	k->overlap_ms = (uint64_t)c->overlap_s * 1000;
	k->rotate_packets = c->rotate_packets;
	k->lifetime_ms = (uint64_t)c->item_lifetime_s * 1000;
	k->stream_max_rate = c->stream_max_rate;
	k->max_new_streams = c->max_new_streams;
}

int gemd_keys_init(struct gemd_keys *k, const struct gemd_conf *c)
{
	unsigned int d;
	char err[256];

	memset(k, 0, sizeof(*k));
	k->tx = calloc(GEMD_TX_MAX, sizeof(*k->tx));
	k->rx = calloc(GEMD_RX_MAX, sizeof(*k->rx));
	if (!k->tx || !k->rx)
		return -1;
	k->n_devices = c->n_devices;
	for (d = 0; d < c->n_devices; d++) {
		memcpy(k->names[d], c->devices[d].name, sizeof(k->names[d]));
		memcpy(k->underlays[d], c->devices[d].underlay, sizeof(k->underlays[d]));
	}
	apply_conf(k, c);
	k->kn = kernel_open(true, err, sizeof(err));
	if (!k->kn)
		gem_log(GEM_LOG_WARNING, "gem.ko: %s; keys are relayed, not installed", err);
	return 0;
}

void gemd_keys_reconfigure(struct gemd_keys *k, const struct gemd_conf *c, uint64_t now_ms)
{
	unsigned int i;

	apply_conf(k, c);
	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &k->tx[i];
		int gi;

		if (!t->used)
			continue;
		gi = gemd_keys_group_of(k, &t->group);
		if (gi < 0) {
			/* Its group is no longer ours: it is sent with no key, so not at all. */
			keys_kernel_set(k, t->ifindex, true, &t->source, &t->group, t->key_id, NULL, 0);
			keys_tx_release(t);
			gem_log(GEM_LOG_WARNING, "a local stream's group is no longer configured: "
				"its key is removed");
			continue;
		}
		t->group_index = gi;
		/* A shorter interval counts from now; the next rotation uses the new overlap. */
		if (!t->pending && t->rotate_ms > now_ms + k->rotate_ms)
			t->rotate_ms = now_ms + k->rotate_ms;
	}
}

void gemd_keys_destroy(struct gemd_keys *k)
{
	/* gem.ko keeps its keys: traffic flows while gemd restarts. */
	if (k->tx)
		sodium_memzero(k->tx, GEMD_TX_MAX * sizeof(*k->tx));
	free(k->tx);
	free(k->rx);
	kernel_close(k->kn);
	k->kn = NULL;
	k->tx = NULL;
	k->rx = NULL;
}

unsigned int gemd_keys_tick(struct gemd_keys *k, uint64_t now_ms)
{
	unsigned int i, fresh = 0;
	bool first = !k->next_poll_ms;

	if (now_ms >= k->next_poll_ms) {
		k->next_poll_ms = now_ms + 1000;
		fresh = keys_check_devices(k);
		/* On start, what gem.ko holds is adopted; later, a fresh device holds nothing. */
		if (first)
			keys_adopt(k, fresh, now_ms);
		if (fresh)
			keys_norm_rules(k, now_ms);
		keys_poll(k, true, now_ms);
		keys_poll(k, false, now_ms);
	}
	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &k->tx[i];

		if (!t->used)
			continue;
		if (t->pending && now_ms >= t->switch_ms)
			keys_tx_switch(k, t, now_ms);
		else if (!t->pending && now_ms >= t->rotate_ms)
			keys_tx_rotate_begin(k, t, now_ms);
	}
	for (i = 0; i < GEMD_RX_MAX; i++)
		if (k->rx[i].used && k->rx[i].retire_ms && now_ms >= k->rx[i].retire_ms)
			keys_rx_retire(k, &k->rx[i]);
	return fresh;
}
