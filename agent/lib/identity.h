/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node's identity: an Ed25519 key pair, kept as its 32-byte seed in a
 * key file, and the Babel router-id derived from the public key, so no
 * node can claim another's id without its private key.
 */
#ifndef GEM_IDENTITY_H
#define GEM_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#define GEM_IDENTITY_SEED_LEN	32
#define GEM_IDENTITY_PK_LEN	32
#define GEM_IDENTITY_SK_LEN	64
#define GEM_IDENTITY_SIG_LEN	64
#define GEM_IDENTITY_ID_LEN	8

struct gem_identity {
	uint8_t pk[GEM_IDENTITY_PK_LEN];
	uint8_t sk[GEM_IDENTITY_SK_LEN];	/* secret: wiped by gem_identity_wipe */
	uint8_t router_id[GEM_IDENTITY_ID_LEN];
};

/* A new identity, written to path (mode 0600, never over a file). */
int gem_identity_generate(const char *path, struct gem_identity *id, char *err, size_t errlen);
/* The identity in path: refused if group- or world-readable. */
int gem_identity_load(const char *path, struct gem_identity *id, char *err, size_t errlen);
void gem_identity_wipe(struct gem_identity *id);

/* The router-id of a public key. */
void gem_identity_router_id(const uint8_t *pk, uint8_t *router_id);

/* Signs msg; sig gets GEM_IDENTITY_SIG_LEN bytes. */
void gem_identity_sign(const struct gem_identity *id, const uint8_t *msg, size_t len,
		       uint8_t *sig);
/* 0 if sig is pk's signature of msg. */
int gem_identity_verify(const uint8_t *pk, const uint8_t *msg, size_t len, const uint8_t *sig);

#endif /* GEM_IDENTITY_H */
