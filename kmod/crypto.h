/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: sealing and opening packets, and the keys that do it.
 */
#ifndef _GEM_CRYPTO_H
#define _GEM_CRYPTO_H

#include <linux/crypto.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/gem.h>

#include "addr.h"
#include "wire.h"

struct aead_request;
struct crypto_aead;
struct crypto_shash;
struct gem_dev;
struct gem_group;

#define GEM_SEK_FP_LEN	16

/**
 * struct gem_sek - a stream's encryption key, transform ready
 * @tfm: gcm(aes), keyed with the stream's own key (gem_crypto_sek_derive); set
 *	up when the key is installed, never per packet
 * @key_id: the id packets sealed with it carry
 * @fp: a fingerprint of the key it was installed with, so the same key
 *	installed again is known without keeping the key
 * @async: @tfm may complete a request later, from another context
 */
struct gem_sek {
	struct crypto_aead *tfm;
	bool async;
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

/**
 * struct gem_crypto_op - one packet from its AEAD request to what follows it
 * @skb: the packet, the op's own until @post
 * @post: the rest of the send or receive, with 0 or the AEAD's error; called
 *	once, with bottom halves disabled, on the submitter's return or from
 *	the AEAD's completion; it frees the op and the skb or passes it on
 * @gem: the device, for @post (held while in flight when @held)
 * @stream: the stream, for @post (likewise)
 * @group: the group, for @post (synchronous only: under the submitter's RCU)
 * @dev_tracker: tracks the device's reference
 * @held: @gem and @stream are held, the AEAD being asynchronous
 * @inflight: when @held, the device's count of packets in flight, which
 *	gem_crypto_submit() raises when the request goes asynchronous
 * @async: the request completed asynchronously (counted in @inflight)
 * @len: the packet's length as the gem device counts it
 * @id: transmit: the stream
 * @p: receive: what gem_wire_parse_sealed read
 * @encrypt: a seal (else an open)
 * @nhlen: the network header's length
 * @text: the payload's length, without tags
 * @iv: the nonce
 * @req: the AEAD request, in the same allocation
 * @sg: the packet's scatterlist, likewise
 */
struct gem_crypto_op {
	struct sk_buff *skb;
	void (*post)(struct gem_crypto_op *op, int err);
	struct gem_dev *gem;
	void *stream;
	struct gem_group *group;
	netdevice_tracker dev_tracker;
	bool held;
	atomic_t *inflight;
	bool async;
	unsigned int len;
	struct gem_stream_id id;
	struct gem_pkt p;
	bool encrypt;
	unsigned int nhlen;
	unsigned int text;
	u8 iv[GEM_NONCE_LEN];
	struct aead_request *req;
	struct scatterlist *sg;
};

/*
 * The AEAD refused the request for now, its queue full: a request without
 * CRYPTO_TFM_REQ_MAY_BACKLOG gets -ENOSPC from crypto_enqueue_request()
 * (cryptd's queue); some drivers say -EBUSY.
 */
static inline bool gem_crypto_busy(int err)
{
	return err == -ENOSPC || err == -EBUSY;
}

struct gem_crypto_op *gem_crypto_seal_prepare(struct sk_buff *skb, const struct gem_sek *sek,
					      u64 pn);
int gem_crypto_seal_finish(struct gem_crypto_op *op, const struct gem_tagkey *tk);
bool gem_crypto_tag_ok(const struct sk_buff *skb, const struct gem_pkt *p,
		       const struct gem_tagkey *tk);
struct gem_crypto_op *gem_crypto_open_prepare(struct sk_buff *skb, const struct gem_pkt *p,
					      const struct gem_sek *sek);
int gem_crypto_open_finish(struct gem_crypto_op *op);
void gem_crypto_submit(struct gem_crypto_op *op);
void gem_crypto_op_free(struct gem_crypto_op *op);

#endif /* _GEM_CRYPTO_H */
