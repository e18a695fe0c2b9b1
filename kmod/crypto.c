// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: sealing and opening packets, and the keys that do it.
 *
 * Packets are sealed and opened in place, in the skb, with the layout of
 * Documentation/gem/wire-format.rst. Transforms are allocated and keyed
 * when a key is installed, never per packet.
 *
 * The AEAD is the kernel's best gcm(aes), the one xfrm ESP gets too: on
 * x86 before 6.16 the fused AES-NI code is registered only behind the
 * SIMD helper, which is asynchronous (it hands a request to cryptd when
 * the FPU is in use), and a synchronous allocation would get the generic
 * template at a fraction of its speed. So a packet's AEAD request may
 * complete later, from another context. Each packet has one allocation,
 * struct gem_crypto_op with its request, scatterlist and nonce, made once
 * the skb's layout is known; its post function does the rest of the send
 * or receive on either return. The request is submitted without
 * CRYPTO_TFM_REQ_MAY_BACKLOG: a full queue (cryptd's is per CPU and
 * bounded) refuses it with -ENOSPC, and the packet is dropped and
 * counted, never queued without bound; the device also bounds its own
 * packets in flight (device.c), as not every asynchronous AEAD's queue
 * is bounded (pcrypt's is not).
 */

#include <crypto/aead.h>
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>

#include "compat.h"
#include "crypto.h"

#define GEM_AEAD_ALG	"gcm(aes)"
#define GEM_AAD_LEN	(sizeof(struct udphdr) + GEM_WIRE_HDR_LEN)
#define GEM_TAGS_LEN	(GEM_AEAD_TAG_LEN + GEM_GAK_TAG_LEN)
/* source, group, ports, GEM header, AEAD tag */
#define GEM_MAC_IN_MAX	(2 * sizeof(struct in6_addr) + 4 + GEM_WIRE_HDR_LEN + GEM_AEAD_TAG_LEN)
#define GEM_MAX_SG	(MAX_SKB_FRAGS + 4)

/* Only for tests that need an asynchronous AEAD, such as pcrypt(...). */
static char *aead_alg = GEM_AEAD_ALG;
module_param(aead_alg, charp, 0444);
MODULE_PARM_DESC(aead_alg, "The gcm(aes) implementation to use (default: the kernel's best)");

/**
 * gem_crypto_init() - checks that the AEAD the streams will use exists
 *
 * Return: 0 or a negative errno.
 */
int gem_crypto_init(void)
{
	struct crypto_aead *probe;
	int err = 0;

	probe = crypto_alloc_aead(aead_alg, 0, 0);
	if (IS_ERR(probe))
		return PTR_ERR(probe);
	/*
	 * A name of another algorithm would seal packets no peer can open.
	 * (cryptd's and pcrypt's instances take their child's name.)
	 */
	if (strcmp(crypto_tfm_alg_name(crypto_aead_tfm(probe)), GEM_AEAD_ALG))
		err = -EINVAL;
	crypto_free_aead(probe);
	return err;
}

/**
 * gem_crypto_uninit() - the reverse of gem_crypto_init(); nothing to free
 */
void gem_crypto_uninit(void)
{
}

static int gem_hmac_sha256(const u8 *key, unsigned int keylen, const u8 *in, unsigned int len,
			   u8 out[SHA256_DIGEST_SIZE])
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_shash_setkey(tfm, key, keylen);
	if (!err)
		err = crypto_shash_tfm_digest(tfm, in, len, out);
	crypto_free_shash(tfm);
	return err;
}

/**
 * gem_crypto_sek_derive - the AEAD key of one stream, from the key it is given
 * @key: the stream key as installed (32 bytes)
 * @len: its length
 * @id: the stream (family, source, group)
 * @key_id: the key id it is installed under
 * @out: the stream's own AES-256-GCM key
 * @fp: a fingerprint of @key, to know it again
 *
 * HKDF-Expand (RFC 5869) with @key as the pseudorandom key and the
 * stream as info: one key file given to two streams, or under two key
 * ids, never seals two packets under one (key, nonce) pair. The
 * fingerprint is another HMAC of the key, which reveals nothing of it.
 *
 * Return: 0, or a negative errno.
 */
int gem_crypto_sek_derive(const u8 *key, unsigned int len, const struct gem_stream_id *id,
			  u8 key_id, u8 out[GEM_SEK_LEN], u8 fp[GEM_SEK_FP_LEN])
{
	static const char label[] = "GEM stream key v1";
	static const char fp_label[] = "GEM key fingerprint v1";
	u8 info[sizeof(label) - 1 + 1 + 2 * sizeof(struct in6_addr) + 1 + 1];
	u8 digest[SHA256_DIGEST_SIZE];
	unsigned int alen = gem_addr_len(id->family), n = 0;
	int err;

	BUILD_BUG_ON(GEM_SEK_LEN != SHA256_DIGEST_SIZE);
	if (len != GEM_SEK_LEN)
		return -EINVAL;
	memcpy(info, label, sizeof(label) - 1);
	n = sizeof(label) - 1;
	info[n++] = id->family == AF_INET ? 4 : 6;
	memcpy(info + n, &id->src, alen);
	n += alen;
	memcpy(info + n, &id->group, alen);
	n += alen;
	info[n++] = key_id;
	info[n++] = 1;		/* HKDF's block counter: one block is the whole key */
	err = gem_hmac_sha256(key, len, info, n, out);
	if (!err)
		err = gem_hmac_sha256(key, len, fp_label, sizeof(fp_label) - 1, digest);
	if (!err)
		memcpy(fp, digest, GEM_SEK_FP_LEN);
	memzero_explicit(digest, sizeof(digest));
	if (err)
		memzero_explicit(out, GEM_SEK_LEN);
	return err;
}

static int gem_crypto_sek_init_alg(struct gem_sek *sek, const char *alg,
				   const u8 key[GEM_SEK_LEN], u8 key_id,
				   const u8 fp[GEM_SEK_FP_LEN])
{
	struct crypto_aead *tfm;
	int err;

	tfm = crypto_alloc_aead(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = crypto_aead_setkey(tfm, key, GEM_SEK_LEN);
	if (err)
		goto err;
	err = crypto_aead_setauthsize(tfm, GEM_AEAD_TAG_LEN);
	if (err)
		goto err;
	sek->tfm = tfm;
	sek->async = crypto_aead_alg(tfm)->base.cra_flags & CRYPTO_ALG_ASYNC;
	sek->key_id = key_id;
	memcpy(sek->fp, fp, GEM_SEK_FP_LEN);
	return 0;
err:
	crypto_free_aead(tfm);
	return err;
}

/**
 * gem_crypto_sek_init() - sets up a stream's AEAD with a derived key
 * @sek: the stream key to set up
 * @key: the derived key, GEM_SEK_LEN bytes
 * @key_id: the key id
 * @fp: the key's fingerprint
 *
 * Sets up the AEAD of a stream with the key gem_crypto_sek_derive gave.
 *
 * Return: 0 or a negative errno.
 */
int gem_crypto_sek_init(struct gem_sek *sek, const u8 key[GEM_SEK_LEN], u8 key_id,
			const u8 fp[GEM_SEK_FP_LEN])
{
	return gem_crypto_sek_init_alg(sek, aead_alg, key, key_id, fp);
}

/**
 * gem_crypto_sek_destroy() - frees a stream key's transform
 * @sek: the stream key
 */
void gem_crypto_sek_destroy(struct gem_sek *sek)
{
	/* crypto_free_aead wipes the expanded key with the transform. */
	crypto_free_aead(sek->tfm);
	sek->tfm = NULL;
}

/**
 * gem_crypto_tagkey_init() - sets up a group's tag MAC with its key
 * @tk: the tag key to set up
 * @alg: the MAC, as the crypto API names it
 * @key: the group's tag key
 * @len: its length
 *
 * Return: 0 or a negative errno.
 */
int gem_crypto_tagkey_init(struct gem_tagkey *tk, const char *alg, const u8 *key,
			   unsigned int len)
{
	struct crypto_shash *tfm;
	int err;

	tfm = crypto_alloc_shash(alg, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	err = -EINVAL;
	if (crypto_shash_digestsize(tfm) < GEM_GAK_TAG_LEN)
		goto err;
	err = crypto_shash_setkey(tfm, key, len);
	if (err)
		goto err;
	tk->tfm = tfm;
	return 0;
err:
	crypto_free_shash(tfm);
	return err;
}

/**
 * gem_crypto_tagkey_destroy() - frees a tag key's transform
 * @tk: the tag key
 */
void gem_crypto_tagkey_destroy(struct gem_tagkey *tk)
{
	crypto_free_shash(tk->tfm);
	tk->tfm = NULL;
}

/**
 * gem_crypto_sek_driver() - the implementation a stream key's AEAD runs on
 * @sek: a stream key set up by gem_crypto_sek_init()
 *
 * Return: its cra_driver_name, valid while the transform lives.
 */
const char *gem_crypto_sek_driver(const struct gem_sek *sek)
{
	return crypto_aead_driver_name(sek->tfm);
}

/**
 * gem_crypto_tagkey_driver() - the implementation a tag key's MAC runs on
 * @tk: a tag key set up by gem_crypto_tagkey_init()
 *
 * Return: its cra_driver_name, valid while the transform lives.
 */
const char *gem_crypto_tagkey_driver(const struct gem_tagkey *tk)
{
	return crypto_shash_driver_name(tk->tfm);
}

/**
 * gem_crypto_drivers_init() - an empty record of implementations in use
 * @d: the record
 */
void gem_crypto_drivers_init(struct gem_crypto_drivers *d)
{
	memset(d, 0, sizeof(*d));
	spin_lock_init(&d->lock);
}

/**
 * gem_crypto_drivers_get() - counts one more transform on an implementation
 * @d: the record of the transform's kind
 * @name: the implementation's cra_driver_name
 *
 * A name new to @d takes the first free slot; with none free the
 * transform is counted as unlisted, so the reply says its list is short.
 */
void gem_crypto_drivers_get(struct gem_crypto_drivers *d, const char *name)
{
	struct gem_crypto_driver *free = NULL;
	int i;

	spin_lock(&d->lock);
	for (i = 0; i < GEM_CRYPTO_DRIVERS_MAX; i++) {
		struct gem_crypto_driver *s = &d->slot[i];

		if (s->users && !strcmp(s->name, name)) {
			s->users++;
			goto out;
		}
		if (!s->users && !free)
			free = s;
	}
	if (free) {
		strscpy(free->name, name, sizeof(free->name));
		free->users = 1;
	} else {
		d->unlisted++;
	}
out:
	spin_unlock(&d->lock);
}

/**
 * gem_crypto_drivers_put() - counts one transform fewer on an implementation
 * @d: the record the transform was counted in
 * @name: its implementation's cra_driver_name
 *
 * The slot of a name no transform uses any more is free again. A transform
 * counted as unlisted may come off a slot its name took later: the counts
 * stay right, only which of them is named shifts.
 */
void gem_crypto_drivers_put(struct gem_crypto_drivers *d, const char *name)
{
	int i;

	spin_lock(&d->lock);
	for (i = 0; i < GEM_CRYPTO_DRIVERS_MAX; i++) {
		struct gem_crypto_driver *s = &d->slot[i];

		if (s->users && !strcmp(s->name, name)) {
			s->users--;
			goto out;
		}
	}
	/* Counted as unlisted when it came. */
	if (!WARN_ON_ONCE(!d->unlisted))
		d->unlisted--;
out:
	spin_unlock(&d->lock);
}

/* After a length change: the IP length fields, and IPv4's checksum. */
static void gem_fix_l3_len(struct sk_buff *skb)
{
	if (ip_hdr(skb)->version == 4) {
		ip_hdr(skb)->tot_len = htons(skb->len);
		ip_send_check(ip_hdr(skb));
	} else {
		ipv6_hdr(skb)->payload_len = htons(skb->len - sizeof(struct ipv6hdr));
	}
}

/* The GAK tag's input: source, group, ports, GEM header, AEAD tag. */
static unsigned int gem_mac_input(u8 *buf, u8 family, const void *src,
				  const void *dst, const void *ports,
				  const void *gemh, const void *aead_tag)
{
	unsigned int alen = family == AF_INET ? 4 : 16;
	u8 *p = buf;

	memcpy(p, src, alen);
	p += alen;
	memcpy(p, dst, alen);
	p += alen;
	memcpy(p, ports, 4);
	p += 4;
	memcpy(p, gemh, GEM_WIRE_HDR_LEN);
	p += GEM_WIRE_HDR_LEN;
	memcpy(p, aead_tag, GEM_AEAD_TAG_LEN);
	p += GEM_AEAD_TAG_LEN;
	return p - buf;
}

#ifdef GEM_BENCH_NO_TAG
/*
 * Only in the module tools/testing/bench builds to measure what the GAK
 * tag costs: every tag is zero. Never part of a module that is installed.
 */
static int gem_mac(const struct gem_tagkey *tk, const u8 *in, unsigned int len,
		   u8 out[HASH_MAX_DIGESTSIZE])
{
	memset(out, 0, GEM_GAK_TAG_LEN);
	return 0;
}
#else
static int gem_mac(const struct gem_tagkey *tk, const u8 *in, unsigned int len,
		   u8 out[HASH_MAX_DIGESTSIZE])
{
	SHASH_DESC_ON_STACK(desc, tk->tfm);
	int err;

	desc->tfm = tk->tfm;
	err = crypto_shash_digest(desc, in, len, out);
	shash_desc_zero(desc);
	return err;
}
#endif

static void gem_crypto_done(GEM_CRYPTO_DONE_ARG, int err)
{
	struct gem_crypto_op *op = gem_crypto_done_data(data);

	/* Only a backlogged request says so, and none is: not the end. */
	if (err == -EINPROGRESS)
		return;
	op->async = true;
	local_bh_disable();
	op->post(op, err);
	local_bh_enable();
}

/*
 * The op of a packet whose data the AEAD will cover from @nhlen on, in
 * @nfrags pieces: the request, its scatterlist and the nonce in one
 * allocation, wiped when freed (the request's context holds key stream
 * state).
 */
static struct gem_crypto_op *gem_crypto_op_alloc(struct sk_buff *skb, const struct gem_sek *sek,
						 int nfrags, unsigned int nhlen, unsigned int text,
						 u64 pn, bool encrypt)
{
	unsigned int reqoff, sgoff, size;
	struct gem_crypto_op *op;
	int err;

	reqoff = ALIGN(sizeof(*op), crypto_tfm_ctx_alignment());
	sgoff = ALIGN(reqoff + sizeof(struct aead_request) + crypto_aead_reqsize(sek->tfm),
		      __alignof__(struct scatterlist));
	size = sgoff + nfrags * sizeof(struct scatterlist);
	op = kmalloc(size, GFP_ATOMIC);
	if (!op)
		return ERR_PTR(-ENOMEM);
	memset(op, 0, sizeof(*op));
	op->skb = skb;
	op->encrypt = encrypt;
	op->nhlen = nhlen;
	op->text = text;
	op->req = (void *)op + reqoff;
	op->sg = (void *)op + sgoff;

	sg_init_table(op->sg, nfrags);
	err = skb_to_sgvec(skb, op->sg, nhlen, GEM_AAD_LEN + text + GEM_AEAD_TAG_LEN);
	if (err < 0) {
		kfree_sensitive(op);
		return ERR_PTR(err);
	}
	gem_wire_nonce(op->iv, sek->key_id, pn);
	aead_request_set_tfm(op->req, sek->tfm);
	aead_request_set_callback(op->req, 0, gem_crypto_done, op);
	aead_request_set_ad(op->req, GEM_AAD_LEN);
	aead_request_set_crypt(op->req, op->sg, op->sg, encrypt ? text : text + GEM_AEAD_TAG_LEN,
			       op->iv);
	return op;
}

/**
 * gem_crypto_op_free() - frees an op, not its skb
 * @op: the op
 */
void gem_crypto_op_free(struct gem_crypto_op *op)
{
	kfree_sensitive(op);
}

/**
 * gem_crypto_submit() - runs an op's AEAD request
 * @op: the op, its post function and what that needs set
 *
 * The post function runs now, if the AEAD finished or failed at once, or
 * later from its completion; in both cases with bottom halves disabled.
 * Either way the op is no longer the caller's.
 */
void gem_crypto_submit(struct gem_crypto_op *op)
{
	atomic_t *inflight = op->inflight;
	int err;

	err = op->encrypt ? crypto_aead_encrypt(op->req) : crypto_aead_decrypt(op->req);
	if (err == -EINPROGRESS) {
		/*
		 * The op may be done and freed already; the counter is the
		 * device's, which outlives the caller's RCU read side.
		 */
		if (inflight)
			atomic_inc(inflight);
		return;
	}
	local_bh_disable();
	op->post(op, err);
	local_bh_enable();
}

/**
 * gem_crypto_seal_prepare - lay out the UDP datagram at skb->data for sealing
 * @skb: an IPv4 or IPv6 packet carrying one whole UDP datagram
 * @sek: the stream's key
 * @pn: the packet number to use, never used before with @sek
 *
 * Inserts the GEM header, makes room for the tags and fixes the UDP and
 * IP lengths; the op's request, once submitted, encrypts the payload and
 * puts the AEAD tag. The UDP checksum is left zero: the caller sets it
 * for the device the packet leaves on.
 *
 * Return: the op, or an ERR_PTR with the packet unusable.
 */
struct gem_crypto_op *gem_crypto_seal_prepare(struct sk_buff *skb, const struct gem_sek *sek,
					      u64 pn)
{
	unsigned int nhlen, text;
	struct sk_buff *trailer;
	struct udphdr *uh;
	int nfrags, err;

	err = gem_wire_udp_locate(skb, 0, &nhlen);
	if (err)
		return ERR_PTR(err);
	text = skb->len - nhlen - sizeof(*uh);

	if (skb_cow_head(skb, GEM_WIRE_HDR_LEN))
		return ERR_PTR(-ENOMEM);
	nfrags = skb_cow_data(skb, GEM_TAGS_LEN, &trailer);
	if (nfrags < 0)
		return ERR_PTR(nfrags);
	if (nfrags > GEM_MAX_SG)
		return ERR_PTR(-EMSGSIZE);
	pskb_put(skb, trailer, GEM_TAGS_LEN);

	/* Open a gap for the GEM header between the UDP header and payload. */
	skb_push(skb, GEM_WIRE_HDR_LEN);
	memmove(skb->data, skb->data + GEM_WIRE_HDR_LEN, nhlen + sizeof(*uh));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, nhlen);
	uh = udp_hdr(skb);
	uh->len = htons(skb->len - nhlen);
	uh->check = 0;
	gem_fix_l3_len(skb);
	gem_wire_put_hdr(uh + 1, sek->key_id, pn);

	return gem_crypto_op_alloc(skb, sek, nfrags, nhlen, text, pn, true);
}

/**
 * gem_crypto_seal_finish - the GAK tag of a packet its AEAD sealed
 * @op: the op of gem_crypto_seal_prepare, its AEAD done
 * @tk: the group's data-tag key
 *
 * Return: 0, or a negative errno with the packet unusable.
 */
int gem_crypto_seal_finish(struct gem_crypto_op *op, const struct gem_tagkey *tk)
{
	u8 mac_in[GEM_MAC_IN_MAX], mac[HASH_MAX_DIGESTSIZE], aead_tag[GEM_AEAD_TAG_LEN];
	struct sk_buff *skb = op->skb;
	struct udphdr *uh = udp_hdr(skb);
	unsigned int len;
	int err;

	err = skb_copy_bits(skb, op->nhlen + GEM_AAD_LEN + op->text, aead_tag, sizeof(aead_tag));
	if (err)
		return err;
	if (ip_hdr(skb)->version == 4)
		len = gem_mac_input(mac_in, AF_INET, &ip_hdr(skb)->saddr,
				    &ip_hdr(skb)->daddr, uh, uh + 1, aead_tag);
	else
		len = gem_mac_input(mac_in, AF_INET6, &ipv6_hdr(skb)->saddr,
				    &ipv6_hdr(skb)->daddr, uh, uh + 1, aead_tag);
	err = gem_mac(tk, mac_in, len, mac);
	if (!err)
		err = skb_store_bits(skb, skb->len - GEM_GAK_TAG_LEN, mac, GEM_GAK_TAG_LEN);
	memzero_explicit(mac, sizeof(mac));
	return err;
}

/**
 * gem_crypto_tag_ok - check a sealed packet's GAK tag
 * @skb: the packet, as gem_wire_parse_sealed left it
 * @p: what gem_wire_parse_sealed read
 * @tk: the group's data-tag key
 *
 * Costs one MAC over at most 62 bytes, whatever the packet's size.
 *
 * Return: true if the tag is right.
 */
bool gem_crypto_tag_ok(const struct sk_buff *skb, const struct gem_pkt *p,
		       const struct gem_tagkey *tk)
{
	u8 mac_in[GEM_MAC_IN_MAX], mac[HASH_MAX_DIGESTSIZE], tags[GEM_TAGS_LEN];
	u8 gemh[GEM_WIRE_HDR_LEN];
	unsigned int off = p->nhlen + sizeof(struct udphdr), len;
	bool ok;

	if (skb_copy_bits(skb, off, gemh, sizeof(gemh)) ||
	    skb_copy_bits(skb, off + GEM_WIRE_HDR_LEN + p->w.text_len, tags, sizeof(tags)))
		return false;
	len = gem_mac_input(mac_in, p->family, &p->src, &p->dst, p->ports, gemh, tags);
	if (gem_mac(tk, mac_in, len, mac))
		return false;
	ok = !crypto_memneq(mac, tags + GEM_AEAD_TAG_LEN, GEM_GAK_TAG_LEN);
	memzero_explicit(mac, sizeof(mac));
	return ok;
}

/**
 * gem_crypto_open_prepare - make a sealed packet ready to be opened in place
 * @skb: the packet, as gem_wire_parse_sealed left it
 * @p: what gem_wire_parse_sealed read
 * @sek: the receive key for (source, group, key id)
 *
 * Return: the op, its request to decrypt and authenticate the packet, or
 * an ERR_PTR.
 */
struct gem_crypto_op *gem_crypto_open_prepare(struct sk_buff *skb, const struct gem_pkt *p,
					      const struct gem_sek *sek)
{
	struct gem_crypto_op *op;
	struct sk_buff *trailer;
	int nfrags;

	/*
	 * A packet that is its own is opened where it lies, its page
	 * fragments included, as ESP opens: no clone shares its data (a
	 * packet socket's, for tcpdump, would see the plaintext), no frag
	 * list, no fragment a sender may still write. Anything else is made
	 * private first, which copies it.
	 */
	if (!skb_cloned(skb) && !skb_has_frag_list(skb) && !skb_has_shared_frag(skb))
		nfrags = skb_shinfo(skb)->nr_frags + 1;
	else
		nfrags = skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		return ERR_PTR(nfrags);
	if (nfrags > GEM_MAX_SG)
		return ERR_PTR(-EMSGSIZE);
	udp_hdr(skb)->check = 0;	/* as it was when sealed */
	op = gem_crypto_op_alloc(skb, sek, nfrags, p->nhlen, p->w.text_len, p->w.pn, false);
	if (!IS_ERR(op))
		op->p = *p;
	return op;
}

/**
 * gem_crypto_open_finish - restore the original of a packet its AEAD opened
 * @op: the op of gem_crypto_open_prepare, its AEAD done
 *
 * The packet is the sender's original datagram, with a UDP checksum left
 * for the stack to complete (CHECKSUM_PARTIAL): the AEAD has already
 * proven it intact.
 *
 * Return: 0, or a negative errno with the packet unusable.
 */
int gem_crypto_open_finish(struct gem_crypto_op *op)
{
	struct sk_buff *skb = op->skb;
	const struct gem_pkt *p = &op->p;
	unsigned int nhlen = op->nhlen;
	struct udphdr *uh;
	int err;

	memmove(skb->data + GEM_WIRE_HDR_LEN, skb->data, nhlen + sizeof(*uh));
	skb_pull(skb, GEM_WIRE_HDR_LEN);
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, nhlen);
	err = pskb_trim(skb, skb->len - GEM_TAGS_LEN);
	if (err)
		return err;
	uh = udp_hdr(skb);
	uh->len = htons(skb->len - nhlen);
	gem_fix_l3_len(skb);

	if (p->family == AF_INET)
		uh->check = ~csum_tcpudp_magic(p->src.v4, p->dst.v4, skb->len - nhlen,
					       IPPROTO_UDP, 0);
	else
		uh->check = ~csum_ipv6_magic(&p->src.v6, &p->dst.v6, skb->len - nhlen,
					     IPPROTO_UDP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct udphdr, check);
	return 0;
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/crypto_test.c"
#endif
