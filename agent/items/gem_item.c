// SPDX-License-Identifier: GPL-2.0
/*
 * GEM's replicated items: encoding and strict decoding.
 *
 *	kind (1) | version (1) = 1 | origin (8) | seqno (8) | lifetime (2)
 *	| body | [MAC (32), group-scoped kinds] | signature (64)
 *
 * An address is a family byte (4 or 6) and 4 or 16 bytes; the two
 * addresses of an item are of one family.
 */
#include <string.h>

#include "gem_item.h"

/*
 * Version 0 numbered versions with 32 bits of milliseconds compared by
 * serial arithmetic: a copy replayed 25 to 50 days later counted as newer.
 */
#define GEM_ITEM_VERSION	1

bool gem_item_group_scoped(uint8_t kind)
{
	return kind == GEM_ITEM_SOURCE_ACTIVE || kind == GEM_ITEM_SUBSCRIPTION ||
	       kind == GEM_ITEM_SEK_ANNOUNCE;
}

bool gem_seqno_newer(uint64_t a, uint64_t b)
{
	return a > b;
}

/* A cursor over a buffer; any overrun marks it bad and writes nothing. */
struct cur {
	uint8_t *w;		/* encoding */
	const uint8_t *r;	/* decoding */
	size_t len, off;
	bool bad;
};

static void put(struct cur *c, const void *p, size_t n)
{
	if (c->bad || c->len - c->off < n) {
		c->bad = true;
		return;
	}
	memcpy(c->w + c->off, p, n);
	c->off += n;
}

static void put8(struct cur *c, uint8_t v)
{
	put(c, &v, 1);
}

static void put32(struct cur *c, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put(c, b, 4);
}

static void put64(struct cur *c, uint64_t v)
{
	put32(c, (uint32_t)(v >> 32));
	put32(c, (uint32_t)v);
}

static void put16(struct cur *c, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v };

	put(c, b, 2);
}

static void put_ip(struct cur *c, const struct gem_ip *ip)
{
	if (ip->len != 4 && ip->len != 16) {
		c->bad = true;
		return;
	}
	put8(c, ip->len == 4 ? 4 : 6);
	put(c, ip->addr, ip->len);
}

static void get(struct cur *c, void *p, size_t n)
{
	if (c->bad || c->len - c->off < n) {
		c->bad = true;
		memset(p, 0, n);
		return;
	}
	memcpy(p, c->r + c->off, n);
	c->off += n;
}

static uint8_t get8(struct cur *c)
{
	uint8_t v;

	get(c, &v, 1);
	return v;
}

static uint16_t get16(struct cur *c)
{
	uint8_t b[2];

	get(c, b, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t get32(struct cur *c)
{
	uint8_t b[4];

	get(c, b, 4);
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t get64(struct cur *c)
{
	uint64_t hi = get32(c);

	return hi << 32 | get32(c);
}

static int get_ip(struct cur *c, struct gem_ip *ip)
{
	uint8_t fam = get8(c);

	memset(ip, 0, sizeof(*ip));
	if (fam != 4 && fam != 6)
		return -1;
	ip->len = fam == 4 ? 4 : 16;
	get(c, ip->addr, ip->len);
	return 0;
}

static bool prefix_clean(const struct gem_ip *ip, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < ip->len; i++) {
		unsigned int keep = plen > i * 8 ? plen - i * 8 : 0;
		uint8_t mask = keep >= 8 ? 0xff : (uint8_t)(0xff00 >> keep);

		if (ip->addr[i] & ~mask)
			return false;
	}
	return true;
}

/* One or two keys, and two are two key ids. */
static bool sek_keys_ok(const struct gem_item *it)
{
	return it->u.sek.n_keys >= 1 && it->u.sek.n_keys <= GEM_SEK_KEYS_MAX &&
	       (it->u.sek.n_keys == 1 || it->u.sek.keys[0].key_id != it->u.sek.keys[1].key_id);
}

int gem_item_encode(const struct gem_item *it, uint8_t *buf, size_t len)
{
	struct cur c = { .w = buf, .len = len };
	unsigned int i;

	put8(&c, it->kind);
	put8(&c, GEM_ITEM_VERSION);
	put(&c, it->origin, GEM_ROUTER_ID_LEN);
	put64(&c, it->seqno);
	put16(&c, it->lifetime);
	switch (it->kind) {
	case GEM_ITEM_PUBLIC_KEY:
		put(&c, it->u.pubkey.key, GEM_PUBKEY_LEN);
		break;
	case GEM_ITEM_SOURCE_ACTIVE:
		if (it->u.sa.source.len != it->u.sa.group.len)
			return -1;
		put_ip(&c, &it->u.sa.source);
		put_ip(&c, &it->u.sa.group);
		break;
	case GEM_ITEM_SUBSCRIPTION:
		if (it->u.sub.plen > it->u.sub.group.len * 8 ||
		    !prefix_clean(&it->u.sub.group, it->u.sub.plen))
			return -1;
		put_ip(&c, &it->u.sub.group);
		put8(&c, it->u.sub.plen);
		break;
	case GEM_ITEM_SEK_ANNOUNCE:
		if (it->u.sek.source.len != it->u.sek.group.len)
			return -1;
		if (!sek_keys_ok(it))
			return -1;
		put_ip(&c, &it->u.sek.source);
		put_ip(&c, &it->u.sek.group);
		put8(&c, it->u.sek.n_keys);
		for (i = 0; i < it->u.sek.n_keys; i++) {
			put8(&c, it->u.sek.keys[i].key_id);
			put(&c, it->u.sek.keys[i].nonce, GEM_NONCE_LEN);
			put(&c, it->u.sek.keys[i].wrapped, GEM_WRAPPED_SEK_LEN);
		}
		break;
	default:
		return -1;
	}
	if (gem_item_group_scoped(it->kind))
		put(&c, it->mac, GEM_MAC_LEN);
	put(&c, it->sig, GEM_SIG_LEN);
	return c.bad ? -1 : (int)c.off;
}

int gem_item_decode(const uint8_t *buf, size_t len, struct gem_item *it, const char **why)
{
	struct cur c = { .r = buf, .len = len };
	unsigned int i;

	memset(it, 0, sizeof(*it));
	it->kind = get8(&c);
	if (get8(&c) != GEM_ITEM_VERSION) {
		*why = "unknown item version";
		return -1;
	}
	get(&c, it->origin, GEM_ROUTER_ID_LEN);
	it->seqno = get64(&c);
	it->lifetime = get16(&c);
	switch (it->kind) {
	case GEM_ITEM_PUBLIC_KEY:
		get(&c, it->u.pubkey.key, GEM_PUBKEY_LEN);
		break;
	case GEM_ITEM_SOURCE_ACTIVE:
		if (get_ip(&c, &it->u.sa.source) || get_ip(&c, &it->u.sa.group))
			goto family;
		if (it->u.sa.source.len != it->u.sa.group.len)
			goto mixed;
		break;
	case GEM_ITEM_SUBSCRIPTION:
		if (get_ip(&c, &it->u.sub.group))
			goto family;
		it->u.sub.plen = get8(&c);
		if (it->u.sub.plen > it->u.sub.group.len * 8 ||
		    !prefix_clean(&it->u.sub.group, it->u.sub.plen)) {
			*why = "bad subscription prefix";
			return -1;
		}
		break;
	case GEM_ITEM_SEK_ANNOUNCE:
		if (get_ip(&c, &it->u.sek.source) || get_ip(&c, &it->u.sek.group))
			goto family;
		if (it->u.sek.source.len != it->u.sek.group.len)
			goto mixed;
		it->u.sek.n_keys = get8(&c);
		if (c.bad)
			break;
		if (it->u.sek.n_keys < 1 || it->u.sek.n_keys > GEM_SEK_KEYS_MAX) {
			*why = "an SEK Announce carries one or two keys";
			return -1;
		}
		for (i = 0; i < it->u.sek.n_keys; i++) {
			it->u.sek.keys[i].key_id = get8(&c);
			get(&c, it->u.sek.keys[i].nonce, GEM_NONCE_LEN);
			get(&c, it->u.sek.keys[i].wrapped, GEM_WRAPPED_SEK_LEN);
		}
		if (!c.bad && !sek_keys_ok(it)) {
			*why = "an SEK Announce's two keys have one key id";
			return -1;
		}
		break;
	default:
		*why = "unknown item kind";
		return -1;
	}
	if (gem_item_group_scoped(it->kind))
		get(&c, it->mac, GEM_MAC_LEN);
	get(&c, it->sig, GEM_SIG_LEN);
	if (c.bad) {
		*why = "item truncated";
		return -1;
	}
	if (c.off != len) {
		*why = "trailing bytes after the item";
		return -1;
	}
	return 0;
family:
	*why = "address family is neither 4 nor 6";
	return -1;
mixed:
	*why = "source and group of different families";
	return -1;
}

size_t gem_item_signed_len(size_t encoded_len)
{
	return encoded_len - GEM_SIG_LEN;
}

size_t gem_item_mac_len(size_t encoded_len)
{
	return encoded_len - GEM_SIG_LEN - GEM_MAC_LEN;
}

size_t gem_item_key(const struct gem_item *it, uint8_t *key, size_t len)
{
	struct cur c = { .w = key, .len = len };

	put8(&c, it->kind);
	put(&c, it->origin, GEM_ROUTER_ID_LEN);
	switch (it->kind) {
	case GEM_ITEM_SOURCE_ACTIVE:
		put_ip(&c, &it->u.sa.source);
		put_ip(&c, &it->u.sa.group);
		break;
	case GEM_ITEM_SUBSCRIPTION:
		put_ip(&c, &it->u.sub.group);
		put8(&c, it->u.sub.plen);
		break;
	case GEM_ITEM_SEK_ANNOUNCE:
		/* One announcement per stream: a new key id is a new version. */
		put_ip(&c, &it->u.sek.source);
		put_ip(&c, &it->u.sek.group);
		break;
	}
	return c.bad ? 0 : c.off;
}
