// SPDX-License-Identifier: GPL-2.0
/*
 * Making and checking GEM items: MAC, signature, sealed stream keys.
 */
#include <string.h>

#include <sodium.h>

#include "announce.h"

/*
 * What a wrapped stream key is bound to: the item's header, its subject
 * and key count (the bytes before the first key), and the key's own id.
 * Returns the length written to ad.
 */
static size_t sek_ad(const uint8_t *enc, const struct gem_item *it, uint8_t key_id,
		     uint8_t *ad)
{
	size_t n = GEM_ITEM_HDR_LEN + 2 * (1 + (size_t)it->u.sek.source.len) + 1;

	memcpy(ad, enc, n);
	ad[n] = key_id;
	return n + 1;
}

#define SEK_AD_MAX	(GEM_ITEM_HDR_LEN + 2 * 17 + 2)

int gem_announce_seal(const struct gem_identity *id, const struct gem_gak *g,
		      struct gem_item *it, uint8_t *buf, size_t len)
{
	int n;

	memcpy(it->origin, id->router_id, GEM_ROUTER_ID_LEN);
	memset(it->mac, 0, sizeof(it->mac));
	memset(it->sig, 0, sizeof(it->sig));
	n = gem_item_encode(it, buf, len);
	if (n < 0 || (gem_item_group_scoped(it->kind) && !g))
		return -1;
	if (gem_item_group_scoped(it->kind)) {
		gem_gak_mac(g, buf, gem_item_mac_len((size_t)n), it->mac);
		memcpy(buf + gem_item_mac_len((size_t)n), it->mac, GEM_MAC_LEN);
	}
	gem_identity_sign(id, buf, gem_item_signed_len((size_t)n), it->sig);
	memcpy(buf + gem_item_signed_len((size_t)n), it->sig, GEM_SIG_LEN);
	return n;
}

int gem_announce_sek(const struct gem_identity *id, const struct gem_gak *g,
		     const struct gem_ip *source, const struct gem_ip *group,
		     const struct gem_announce_key *keys, unsigned int n_keys, uint64_t seqno,
		     uint16_t lifetime, uint8_t *buf, size_t len)
{
	uint8_t ad[SEK_AD_MAX];
	unsigned long long wlen;
	struct gem_item it;
	unsigned int i;
	int n;

	if (!n_keys || n_keys > GEM_SEK_KEYS_MAX)
		return -1;
	memset(&it, 0, sizeof(it));
	it.kind = GEM_ITEM_SEK_ANNOUNCE;
	memcpy(it.origin, id->router_id, GEM_ROUTER_ID_LEN);
	it.seqno = seqno;
	it.lifetime = lifetime;
	it.u.sek.source = *source;
	it.u.sek.group = *group;
	it.u.sek.n_keys = (uint8_t)n_keys;
	for (i = 0; i < n_keys; i++)
		it.u.sek.keys[i].key_id = keys[i].key_id;
	/* Encoded once to have the bytes the AEAD binds: header and subject. */
	n = gem_item_encode(&it, buf, len);
	if (n < 0)
		return -1;
	for (i = 0; i < n_keys; i++) {
		struct gem_sek_entry *e = &it.u.sek.keys[i];

		randombytes_buf(e->nonce, GEM_NONCE_LEN);
		crypto_aead_xchacha20poly1305_ietf_encrypt(e->wrapped, &wlen, keys[i].sek,
							   GEM_SEK_BYTES, ad,
							   sek_ad(buf, &it, e->key_id, ad),
							   NULL, e->nonce, g->wrap);
	}
	return gem_announce_seal(id, g, &it, buf, len);
}

int gem_announce_check(const uint8_t *enc, size_t len, const uint8_t *pk,
		       const struct gem_gak *g, struct gem_item *it, const char **why)
{
	uint8_t rid[GEM_ROUTER_ID_LEN];

	if (gem_item_decode(enc, len, it, why))
		return -1;
	gem_identity_router_id(pk, rid);
	if (memcmp(rid, it->origin, GEM_ROUTER_ID_LEN)) {
		*why = "the key is not the origin's";
		return -1;
	}
	if (gem_identity_verify(pk, enc, gem_item_signed_len(len), it->sig)) {
		*why = "bad signature";
		return -1;
	}
	if (g && gem_item_group_scoped(it->kind) &&
	    gem_gak_mac_verify(g, enc, gem_item_mac_len(len), it->mac)) {
		*why = "bad group MAC";
		return -1;
	}
	return 0;
}

int gem_announce_open_sek(const uint8_t *enc, size_t len, const uint8_t *pk,
			  const struct gem_gak *g, struct gem_item *it,
			  uint8_t sek[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES], const char **why)
{
	uint8_t ad[SEK_AD_MAX];
	unsigned long long klen;
	unsigned int i;

	if (!g) {
		*why = "no group key";
		return -1;
	}
	if (gem_announce_check(enc, len, pk, g, it, why))
		return -1;
	if (it->kind != GEM_ITEM_SEK_ANNOUNCE) {
		*why = "not an SEK Announce";
		return -1;
	}
	for (i = 0; i < it->u.sek.n_keys; i++) {
		const struct gem_sek_entry *e = &it->u.sek.keys[i];

		if (crypto_aead_xchacha20poly1305_ietf_decrypt(sek[i], &klen, NULL, e->wrapped,
							       GEM_WRAPPED_SEK_LEN, ad,
							       sek_ad(enc, it, e->key_id, ad),
							       e->nonce, g->wrap) ||
		    klen != GEM_SEK_BYTES) {
			sodium_memzero(sek, GEM_SEK_KEYS_MAX * GEM_SEK_BYTES);
			*why = "the stream key does not open";
			return -1;
		}
	}
	return 0;
}
