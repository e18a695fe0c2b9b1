/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: sealing and opening packets, and the keys that do it.
 */
#ifndef _GEM_CRYPTO_H
#define _GEM_CRYPTO_H

#include <linux/crypto.h>
#include <linux/in6.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/gem.h>

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

/**
 * struct gem_crypto_driver - one implementation a device's transforms use
 * @name: its cra_driver_name
 * @users: the device's installed keys whose transform it is; 0: a free slot
 */
struct gem_crypto_driver {
	char name[CRYPTO_MAX_ALG_NAME];
	unsigned int users;
};

/**
 * struct gem_crypto_drivers - the implementations of one kind of transform
 *	(AEAD or tag MAC) a device's installed keys use, for its netlink reply
 * @lock: taken by readers, which run under RCU and cannot take the keys'
 *	mutex; writers hold that mutex too
 * @slot: distinct names, each with its count
 * @unlisted: transforms whose implementation found every slot taken
 *
 * Counted as keys enter and leave the device's tables, so a reply costs
 * no walk of the tables and its size is bounded.
 */
struct gem_crypto_drivers {
	spinlock_t lock;	/* see above */
	struct gem_crypto_driver slot[GEM_CRYPTO_DRIVERS_MAX];
	unsigned int unlisted;
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
const char *gem_crypto_sek_driver(const struct gem_sek *sek);
const char *gem_crypto_tagkey_driver(const struct gem_tagkey *tk);

void gem_crypto_drivers_init(struct gem_crypto_drivers *d);
void gem_crypto_drivers_get(struct gem_crypto_drivers *d, const char *name);
void gem_crypto_drivers_put(struct gem_crypto_drivers *d, const char *name);

int gem_crypto_seal(struct sk_buff *skb, const struct gem_sek *sek,
		    const struct gem_tagkey *tk, u64 pn);
bool gem_crypto_tag_ok(const struct sk_buff *skb, const struct gem_pkt *p,
		       const struct gem_tagkey *tk);
int gem_crypto_open(struct sk_buff *skb, const struct gem_pkt *p, const struct gem_sek *sek);

#endif /* _GEM_CRYPTO_H */
