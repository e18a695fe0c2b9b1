// SPDX-License-Identifier: GPL-2.0
/*
 * Babel MAC authentication (RFC 8967, RFC 9467): sealing, checking, and
 * the counters and challenges that refuse replays. See babel_mac.h.
 */
#include <string.h>

#include <sodium.h>

#include "babel_mac.h"
#include "babel_packet.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void babel_mac_peer_init(struct babel_mac_peer *p)
{
	memset(p, 0, sizeof(*p));
	p->index_len = -1;
}

void babel_mac_compute(const uint8_t *key, const uint8_t *src, const uint8_t *dst,
		       const uint8_t *pkt, uint8_t *mac)
{
	const uint8_t port[2] = { BABEL_PORT >> 8, BABEL_PORT & 0xff };
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, BABEL_MAC_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, src, 16);
	crypto_auth_hmacsha256_update(&st, port, 2);
	crypto_auth_hmacsha256_update(&st, dst, 16);
	crypto_auth_hmacsha256_update(&st, port, 2);
	crypto_auth_hmacsha256_update(&st, pkt, BABEL_HDR_LEN + rd16(pkt + 2));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

size_t babel_mac_seal(const uint8_t *key, struct babel_mac_sender *s, const uint8_t *src,
		      const uint8_t *dst, uint8_t *pkt, size_t len, size_t cap)
{
	size_t body = len - BABEL_HDR_LEN;

	if (len < BABEL_HDR_LEN || rd16(pkt + 2) != body || len + BABEL_MAC_ROOM > cap ||
	    body + 2 + 4 + BABEL_MAC_INDEX_LEN > 0xffff)
		return 0;
	/* A counter that starts again (at start, or wrapped) comes with a new index. */
	if (!s->pc)
		randombytes_buf(s->index, sizeof(s->index));
	pkt[len++] = BABEL_TLV_PC;
	pkt[len++] = 4 + BABEL_MAC_INDEX_LEN;
	wr32(pkt + len, s->pc++);
	len += 4;
	memcpy(pkt + len, s->index, BABEL_MAC_INDEX_LEN);
	len += BABEL_MAC_INDEX_LEN;
	body = len - BABEL_HDR_LEN;
	pkt[2] = (uint8_t)(body >> 8);
	pkt[3] = (uint8_t)body;
	pkt[len++] = BABEL_TLV_MAC;
	pkt[len++] = BABEL_MAC_LEN;
	babel_mac_compute(key, src, dst, pkt, pkt + len);
	return len + BABEL_MAC_LEN;
}

int babel_mac_verify(const uint8_t *key, const uint8_t *src, const uint8_t *dst,
		     const uint8_t *pkt, size_t len)
{
	uint8_t mac[BABEL_MAC_LEN];
	bool computed = false;
	int ret = -1;
	size_t i;

	if (len < BABEL_HDR_LEN || BABEL_HDR_LEN + (size_t)rd16(pkt + 2) > len)
		return -1;
	for (i = BABEL_HDR_LEN + rd16(pkt + 2); i < len;) {
		if (pkt[i] == BABEL_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + pkt[i + 1] > len)
			break;
		if (pkt[i] == BABEL_TLV_MAC && pkt[i + 1] == BABEL_MAC_LEN) {
			if (!computed)
				babel_mac_compute(key, src, dst, pkt, mac);
			computed = true;
			if (!sodium_memcmp(mac, pkt + i + 2, BABEL_MAC_LEN)) {
				ret = 0;
				break;
			}
		}
		i += 2 + (size_t)pkt[i + 1];
	}
	sodium_memzero(mac, sizeof(mac));
	return ret;
}

void babel_mac_check(struct babel_mac_peer *p, const uint8_t *pkt, size_t len, bool multicast,
		     const uint8_t *self, uint64_t now_ms, struct babel_mac_verdict *v)
{
	const uint8_t *pc = NULL, *index = NULL, *nonce = NULL;
	size_t i, end, index_len = 0, nonce_len = 0;
	bool answered = false;
	uint32_t *last;

	memset(v, 0, sizeof(*v));
	end = BABEL_HDR_LEN + (size_t)rd16(pkt + 2);
	if (end > len)
		end = len;
	for (i = BABEL_HDR_LEN; i < end;) {
		const uint8_t *t = pkt + i;

		if (t[0] == BABEL_PAD1) {
			i++;
			continue;
		}
		if (i + 2 > end || i + 2 + t[1] > end)
			break;
		switch (t[0]) {
		case BABEL_TLV_PC:
			/* The first PC counts; a packet has one. */
			if (!pc && t[1] >= 4 && t[1] <= 4 + BABEL_MAC_INDEX_MAX) {
				pc = t + 2;
				index = t + 6;
				index_len = t[1] - 4u;
			}
			break;
		case BABEL_TLV_CHALLENGE_REQ:
			if (t[1] > BABEL_MAC_NONCE_MAX)
				break;
			if (multicast && (!self || t[1] < 16 || memcmp(t + 2, self, 16)))
				break;
			nonce = t + 2;
			nonce_len = t[1];
			break;
		case BABEL_TLV_CHALLENGE_REPLY:
			if (p->deadline_ms && now_ms <= p->deadline_ms && t[1] == p->nonce_len &&
			    !sodium_memcmp(t + 2, p->nonce, p->nonce_len)) {
				answered = true;
				p->deadline_ms = 0;
			}
			break;
		}
		i += 2 + (size_t)t[1];
	}
	if (!pc) {
		v->why = "no packet counter";
	} else if (answered) {
		/* It echoed our nonce: its index and counter are what it uses now. */
		p->index_len = (int)index_len;
		memcpy(p->index, index, index_len);
		p->pc_m = p->pc_u = rd32(pc);
		v->accept = true;
		v->answered = true;
	} else if (p->index_len != (int)index_len || memcmp(p->index, index, index_len)) {
		v->why = "a new index: challenged";
		if (!p->request_ms || now_ms >= p->request_ms + BABEL_MAC_CHALLENGE_MS) {
			p->request_ms = now_ms;
			v->request = true;
		}
	} else {
		last = multicast ? &p->pc_m : &p->pc_u;
		if (rd32(pc) <= *last) {
			/* A replay, or reordered: and no reply for it either. */
			v->why = "an old packet counter (a replay?)";
			v->replay = true;
			nonce = NULL;
		} else {
			*last = rd32(pc);
			v->accept = true;
		}
	}
	if (nonce && (!p->reply_ms || now_ms >= p->reply_ms + BABEL_MAC_CHALLENGE_MS)) {
		p->reply_ms = now_ms;
		v->reply = nonce;
		v->reply_len = nonce_len;
	}
}

void babel_mac_challenged(struct babel_mac_peer *p, const uint8_t *nonce, size_t len,
			  uint64_t deadline_ms)
{
	if (len > sizeof(p->nonce))
		len = sizeof(p->nonce);
	memcpy(p->nonce, nonce, len);
	p->nonce_len = (uint8_t)len;
	p->deadline_ms = deadline_ms;
}
