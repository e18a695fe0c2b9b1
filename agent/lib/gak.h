/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Group Authorization Key: pre-shared per group prefix, only on nodes
 * authorized for the group. The raw key is never used: each purpose gets
 * its own subkey from libsodium's KDF (BLAKE2b), so a key that leaks from
 * one use (the data tag is in the kernel) does not give the others.
 */
#ifndef GEM_GAK_H
#define GEM_GAK_H

#include <stddef.h>
#include <stdint.h>

#define GEM_GAK_LEN		32
#define GEM_GAK_SUBKEY_LEN	32

struct gem_gak {
	uint8_t tag[GEM_GAK_SUBKEY_LEN];	/* the data tag: gem.ko's group key */
	uint8_t mac[GEM_GAK_SUBKEY_LEN];	/* MACs of group-scoped control items */
	uint8_t wrap[GEM_GAK_SUBKEY_LEN];	/* seals stream keys in SEK Announces */
};

/* The subkeys of a GAK. */
void gem_gak_derive(const uint8_t *gak, struct gem_gak *g);
/* Reads a GAK file (refused if group- or world-readable) and derives. */
int gem_gak_load(const char *path, struct gem_gak *g, char *err, size_t errlen);
void gem_gak_wipe(struct gem_gak *g);

/* The control MAC of msg (32 bytes), and its constant-time check. */
void gem_gak_mac(const struct gem_gak *g, const uint8_t *msg, size_t len, uint8_t *mac);
int gem_gak_mac_verify(const struct gem_gak *g, const uint8_t *msg, size_t len,
		       const uint8_t *mac);

#endif /* GEM_GAK_H */
