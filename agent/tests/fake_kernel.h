/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake gem.ko of unit tests (fake_kernel.c, in place of the real
 * kernel_*.c behind gemd/kernel.h): its key table, to look at.
 */
#ifndef GEM_FAKE_KERNEL_H
#define GEM_FAKE_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "gemd/kernel.h"

#define FAKE_IFINDEX	7
#define FAKE_KEYS_MAX	64

struct fake_key {
	bool used, tx;
	uint8_t len;			/* 4 or 16 */
	uint8_t src[16], grp[16];
	uint8_t key_id;
	uint8_t key[KERNEL_SEK_LEN];
	uint64_t pn;			/* as gem.ko: tx keys start at the time of day in ns */
	uint64_t packets;
	uint32_t rate;			/* rx: as installed */
};

extern struct fake_key fake_keys[FAKE_KEYS_MAX];
extern unsigned int fake_sets, fake_dels;

/* An empty gem.ko: every key it held wiped, the counts at 0. */
void fake_kernel_reset(void);

/* A transmit stream's key, or a receive key by id; NULL if gem.ko has none. */
struct fake_key *fake_find(bool tx, const uint8_t *src, const uint8_t *grp, uint8_t len,
			   uint8_t key_id);

#endif /* GEM_FAKE_KERNEL_H */
