// SPDX-License-Identifier: GPL-2.0
/*
 * A Group Authorization Key and its purpose-separated subkeys.
 */
#include <string.h>

#include <sodium.h>

#include "gak.h"
#include "keyfile.h"

/* libsodium's KDF context: 8 bytes naming the key's family. */
static const char gem_gak_ctx[crypto_kdf_CONTEXTBYTES] = "GEM-GAK1";

enum { GEM_GAK_SUB_TAG = 1, GEM_GAK_SUB_MAC, GEM_GAK_SUB_WRAP };

void gem_gak_derive(const uint8_t *gak, struct gem_gak *g)
{
	crypto_kdf_derive_from_key(g->tag, sizeof(g->tag), GEM_GAK_SUB_TAG, gem_gak_ctx, gak);
	crypto_kdf_derive_from_key(g->mac, sizeof(g->mac), GEM_GAK_SUB_MAC, gem_gak_ctx, gak);
	crypto_kdf_derive_from_key(g->wrap, sizeof(g->wrap), GEM_GAK_SUB_WRAP, gem_gak_ctx, gak);
}

int gem_gak_load(const char *path, struct gem_gak *g, char *err, size_t errlen)
{
	uint8_t gak[GEM_GAK_LEN];
	size_t len;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	if (gem_keyfile_read(path, gak, sizeof(gak), sizeof(gak), &len, err, errlen))
		return -1;
	gem_gak_derive(gak, g);
	sodium_memzero(gak, sizeof(gak));
	return 0;
}

void gem_gak_wipe(struct gem_gak *g)
{
	sodium_memzero(g, sizeof(*g));
}

void gem_gak_mac(const struct gem_gak *g, const uint8_t *msg, size_t len, uint8_t *mac)
{
	crypto_generichash(mac, 32, msg, len, g->mac, sizeof(g->mac));
}

int gem_gak_mac_verify(const struct gem_gak *g, const uint8_t *msg, size_t len,
		       const uint8_t *mac)
{
	uint8_t want[32];
	int ret;

	gem_gak_mac(g, msg, len, want);
	ret = sodium_memcmp(want, mac, sizeof(want)) ? -1 : 0;
	sodium_memzero(want, sizeof(want));
	return ret;
}
