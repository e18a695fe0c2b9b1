/* SPDX-License-Identifier: GPL-2.0 */
/* What keys_*.c share, and only they (keys.h says which owns what). */
#ifndef GEM_GEMD_KEYS_INTERNAL_H
#define GEM_GEMD_KEYS_INTERNAL_H

#include "keys.h"

/* An event about one stream and key id. */
void keys_stream_event(const char *name, const struct gem_ip *src, const struct gem_ip *grp,
		       uint8_t key_id);
bool keys_same_stream(const struct gem_ip *s1, const struct gem_ip *g1, const struct gem_ip *s2,
		      const struct gem_ip *g2);

/*
 * One stream key into gem.ko (sek) or out of it (NULL), on one device. A
 * receive key gets the group's rate bound, and the floor below which its
 * window takes nothing (0: none). 0, or -1/-errno (logged).
 */
int keys_kernel_set(struct gemd_keys *k, unsigned int ifindex, bool tx, const struct gem_ip *src,
		    const struct gem_ip *grp, uint8_t key_id, const uint8_t *sek, uint64_t floor);

/* keys_tx.c */
struct gemd_tx *keys_tx_find(struct gemd_keys *k, unsigned int ifindex, const struct gem_ip *src,
			     const struct gem_ip *grp, bool used);
void keys_tx_release(struct gemd_tx *t);
void keys_tx_rotate_begin(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms);
void keys_tx_switch(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms);
void keys_tx_adopt(struct gemd_keys *k, unsigned int ifindex, const struct kernel_stream *s,
		   int n, uint64_t now_ms);

/* keys_rx.c */
void keys_rx_retire(struct gemd_keys *k, struct gemd_rx *r);
void keys_rx_adopt(struct gemd_keys *k, const struct kernel_stream *s, int n, uint64_t now_ms);

/* keys_devices.c: the devices new since the last look (a bitmask by index). */
unsigned int keys_check_devices(struct gemd_keys *k);
void keys_adopt(struct gemd_keys *k, unsigned int fresh, uint64_t now_ms);

/* keys_streams.c: the normalizer's rules as they are now, keyed. */
void keys_norm_rules(struct gemd_keys *k, uint64_t now_ms);

/* keys_poll.c: the packets sent with local streams' keys (tx), or receive keys' floors. */
void keys_poll(struct gemd_keys *k, bool tx, uint64_t now_ms);

#endif /* GEM_GEMD_KEYS_INTERNAL_H */
