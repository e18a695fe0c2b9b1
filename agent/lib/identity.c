// SPDX-License-Identifier: GPL-2.0
/*
 * A node's Ed25519 identity (libsodium) and its router-id.
 */
#include <string.h>

#include <sodium.h>

#include "identity.h"
#include "keyfile.h"

/* Domain-separated, so the id is not a prefix of any other hash of the key. */
void gem_identity_router_id(const uint8_t *pk, uint8_t *router_id)
{
	static const uint8_t label[] = "GEM router-id v1";
	uint8_t h[crypto_generichash_BYTES];
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, label, sizeof(label) - 1);
	crypto_generichash_update(&st, pk, GEM_IDENTITY_PK_LEN);
	crypto_generichash_final(&st, h, sizeof(h));
	memcpy(router_id, h, GEM_IDENTITY_ID_LEN);
}

static void from_seed(const uint8_t *seed, struct gem_identity *id)
{
	crypto_sign_seed_keypair(id->pk, id->sk, seed);
	gem_identity_router_id(id->pk, id->router_id);
}

int gem_identity_generate(const char *path, struct gem_identity *id, char *err, size_t errlen)
{
	uint8_t seed[GEM_IDENTITY_SEED_LEN];
	int ret;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	randombytes_buf(seed, sizeof(seed));
	ret = gem_keyfile_write(path, seed, sizeof(seed), err, errlen);
	if (!ret)
		from_seed(seed, id);
	sodium_memzero(seed, sizeof(seed));
	return ret;
}

int gem_identity_load(const char *path, struct gem_identity *id, char *err, size_t errlen)
{
	uint8_t seed[GEM_IDENTITY_SEED_LEN];
	size_t len;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialise");
		return -1;
	}
	if (gem_keyfile_read(path, seed, sizeof(seed), sizeof(seed), &len, err, errlen))
		return -1;
	from_seed(seed, id);
	sodium_memzero(seed, sizeof(seed));
	return 0;
}

void gem_identity_wipe(struct gem_identity *id)
{
	sodium_memzero(id, sizeof(*id));
}

void gem_identity_sign(const struct gem_identity *id, const uint8_t *msg, size_t len,
		       uint8_t *sig)
{
	crypto_sign_detached(sig, NULL, msg, len, id->sk);
}

int gem_identity_verify(const uint8_t *pk, const uint8_t *msg, size_t len, const uint8_t *sig)
{
	return crypto_sign_verify_detached(sig, msg, len, pk) ? -1 : 0;
}
