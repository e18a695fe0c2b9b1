/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: sealing and opening packets, and the keys that do it.
 */
#ifndef _GEM_CRYPTO_H
#define _GEM_CRYPTO_H

#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/types.h>

#include "addr.h"
#include "wire.h"

struct crypto_aead;
struct crypto_shash;

#define GEM_SEK_FP_LEN	16

/**
 * struct gem_sek - a stream's encryption key, transform ready
 * @tfm: gcm(aes), keyed with the stream's own key (gem_crypto_sek_derive); set
 *	up when the key is installed, never per packet
 * @key_id: the id packets sealed with it carry
 * @fp: a fingerprint of the key it was installed with, so the same key
 *	installed again is known without keeping the key
 */
struct gem_sek {
	struct crypto_aead *tfm;
	u8 key_id;
	u8 fp[GEM_SEK_FP_LEN];
};

/**
 * struct gem_tagkey - a group's data-tag key, transform ready
 * @tfm: the MAC (hmac(sha256) by default), keyed
 */
struct gem_tagkey {
	struct crypto_shash *tfm;
};

int gem_crypto_init(void);
void gem_crypto_uninit(void);

int gem_crypto_sek_derive(const u8 *key, unsigned int len, const struct gem_stream_id *id,
			  u8 key_id, u8 out[GEM_SEK_LEN], u8 fp[GEM_SEK_FP_LEN]);
int gem_crypto_sek_init(struct gem_sek *sek, const u8 key[GEM_SEK_LEN], u8 key_id,
			const u8 fp[GEM_SEK_FP_LEN]);
void gem_crypto_sek_destroy(struct gem_sek *sek);
int gem_crypto_tagkey_init(struct gem_tagkey *tk, const char *alg, const u8 *key,
			   unsigned int len);
void gem_crypto_tagkey_destroy(struct gem_tagkey *tk);

int gem_crypto_seal(struct sk_buff *skb, const struct gem_sek *sek,
		    const struct gem_tagkey *tk, u64 pn);
bool gem_crypto_tag_ok(const struct sk_buff *skb, const struct gem_pkt *p,
		       const struct gem_tagkey *tk);
int gem_crypto_open(struct sk_buff *skb, const struct gem_pkt *p, const struct gem_sek *sek);

#endif /* _GEM_CRYPTO_H */
