// SPDX-License-Identifier: GPL-2.0
/*
 * Making and checking GEM items: MAC, signature, sealed stream keys.
 */
#include <string.h>

#include <sodium.h>

#include "announce.h"

/* Where the nonce of an SEK Announce starts: what its AEAD binds. */
static size_t sek_ad_len(const struct gem_item *it)
{
	return GEM_ITEM_HDR_LEN + 2 * (1 + (size_t)it->u.sek.source.len) + 1;
}

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
		     const struct gem_ip *source, const struct gem_ip *group, uint8_t key_id,
		     const uint8_t *sek, uint32_t seqno, uint16_t lifetime,
		     uint8_t *buf, size_t len)
{
	unsigned long long wlen;
	struct gem_item it;
	int n;

	memset(&it, 0, sizeof(it));
	it.kind = GEM_ITEM_SEK_ANNOUNCE;
	memcpy(it.origin, id->router_id, GEM_ROUTER_ID_LEN);
	it.seqno = seqno;
	it.lifetime = lifetime;
	it.u.sek.source = *source;
	it.u.sek.group = *group;
	it.u.sek.key_id = key_id;
	randombytes_buf(it.u.sek.nonce, GEM_NONCE_LEN);
	/* Encoded once to have the bytes the AEAD binds: header and subject. */
	n = gem_item_encode(&it, buf, len);
	if (n < 0)
		return -1;
	crypto_aead_xchacha20poly1305_ietf_encrypt(it.u.sek.wrapped, &wlen, sek, GEM_SEK_BYTES,
						   buf, sek_ad_len(&it), NULL,
						   it.u.sek.nonce, g->wrap);
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
			  const struct gem_gak *g, struct gem_item *it, uint8_t *sek,
			  const char **why)
{
	unsigned long long klen;

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
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(sek, &klen, NULL, it->u.sek.wrapped,
						       GEM_WRAPPED_SEK_LEN, enc, sek_ad_len(it),
						       it->u.sek.nonce, g->wrap) ||
	    klen != GEM_SEK_BYTES) {
		sodium_memzero(sek, GEM_SEK_BYTES);
		*why = "the stream key does not open";
		return -1;
	}
	return 0;
}
