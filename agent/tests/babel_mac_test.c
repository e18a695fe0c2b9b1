// SPDX-License-Identifier: GPL-2.0
/*
 * Babel MAC authentication (RFC 8967): the MAC is babeld's (HMAC-SHA256
 * over the pseudo-header and packet, checked against Python's hmac), a
 * sealed packet verifies and a changed one does not; a neighbour's
 * packets are taken only after it echoed a challenge, then only with
 * fresher counters, multicast and unicast apart; a new index is
 * challenged again; challenges are rate-limited and expire.
 */
#include <sodium.h>

#include "babel/babel_mac.h"
#include "babel/babel_packet.h"
#include "test.h"

static uint8_t key[BABEL_MAC_KEY_LEN];
static const uint8_t src[16] = { 0xfe, 0x80, [15] = 1 };
static const uint8_t group[16] = { 0xff, 0x02, [13] = 1, [15] = 6 };
static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 2 };

/* A packet of one Hello, and a TLV of type (0: none) with body b. */
static size_t packet(uint8_t *pkt, size_t cap, uint8_t type, const uint8_t *b, size_t blen)
{
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.seqno = 0x102,
				   .u.hello.interval = 400 };
	struct babel_writer w;

	babel_writer_init(&w, pkt, cap);
	babel_write_tlv(&w, &hello);
	if (type)
		babel_write_raw(&w, type, b, blen);
	return babel_writer_finish(&w);
}

static size_t sealed(uint8_t *pkt, struct babel_mac_sender *s, const uint8_t *dst, uint8_t type,
		     const uint8_t *b, size_t blen)
{
	size_t len = packet(pkt, 512 - BABEL_MAC_ROOM, type, b, blen);

	return babel_mac_seal(key, s, src, dst, pkt, len, 512);
}

/* What the caller does on a verdict's request: a fresh nonce for p. */
static void challenge(struct babel_mac_peer *p, uint64_t now_ms)
{
	uint8_t nonce[BABEL_MAC_NONCE_LEN];

	randombytes_buf(nonce, sizeof(nonce));
	babel_mac_challenged(p, nonce, sizeof(nonce), now_ms + BABEL_MAC_DEADLINE_MS);
}

static void test_babeld_mac(void)
{
	static const char want[] = "401e2ea7c443c26174923a3265d6aa8280dd48cf33c2c4a30e82921febaa37ee";
	struct babel_mac_sender s = { .pc = 7 };
	uint8_t pkt[512], mac[BABEL_MAC_LEN], k[BABEL_MAC_KEY_LEN];
	char hex[2 * BABEL_MAC_LEN + 1];
	size_t len, i;

	for (i = 0; i < sizeof(k); i++)
		k[i] = (uint8_t)i;
	memset(s.index, 0xaa, sizeof(s.index));
	len = packet(pkt, 400, 0, NULL, 0);
	len = babel_mac_seal(k, &s, src, group, pkt, len, sizeof(pkt));
	EXPECT(len == 4 + 22 + 2 + BABEL_MAC_LEN);
	EXPECT(pkt[2] == 0 && pkt[3] == 22);		/* the PC is in the body */
	EXPECT(pkt[26] == BABEL_TLV_MAC && pkt[27] == BABEL_MAC_LEN);
	babel_mac_compute(k, src, group, pkt, mac);
	sodium_bin2hex(hex, sizeof(hex), pkt + 28, BABEL_MAC_LEN);
	EXPECT_STR(hex, want);
	EXPECT(!memcmp(mac, pkt + 28, BABEL_MAC_LEN));
	EXPECT(s.pc == 8);
}

static void test_verify(void)
{
	struct babel_mac_sender s = { .pc = 0 };
	uint8_t pkt[512], other[BABEL_MAC_KEY_LEN];
	size_t len = sealed(pkt, &s, group, 0, NULL, 0);

	EXPECT(len > 0);
	EXPECT(babel_mac_verify(key, src, group, pkt, len) == 0);
	/* Another destination, source, key: the pseudo-header is covered. */
	EXPECT(babel_mac_verify(key, src, ll, pkt, len) == -1);
	EXPECT(babel_mac_verify(key, ll, group, pkt, len) == -1);
	memset(other, 1, sizeof(other));
	EXPECT(babel_mac_verify(other, src, group, pkt, len) == -1);
	/* A bit of the body changed. */
	pkt[6] ^= 1;
	EXPECT(babel_mac_verify(key, src, group, pkt, len) == -1);
	pkt[6] ^= 1;
	/* No MAC at all, or a truncated trailer. */
	EXPECT(babel_mac_verify(key, src, group, pkt, len - BABEL_MAC_LEN - 2) == -1);
	EXPECT(babel_mac_verify(key, src, group, pkt, len - 1) == -1);
	/* No room to seal: refused, nothing written past cap. */
	len = packet(pkt, 512, 0, NULL, 0);
	EXPECT(babel_mac_seal(key, &s, src, group, pkt, len, len + BABEL_MAC_ROOM - 1) == 0);
}

static void test_challenge(void)
{
	struct babel_mac_sender s = { .pc = 0 };
	struct babel_mac_peer p;
	struct babel_mac_verdict v;
	uint8_t pkt[512], nonce[BABEL_MAC_NONCE_LEN];
	size_t len;

	babel_mac_peer_init(&p);
	/* A new neighbour: challenged, its packet not taken. */
	len = sealed(pkt, &s, group, 0, NULL, 0);
	babel_mac_check(&p, pkt, len, true, NULL, 1000, &v);
	EXPECT(!v.accept && v.request);
	challenge(&p, 1000);
	memcpy(nonce, p.nonce, sizeof(nonce));
	/* Another packet at once: no second request within 300 ms. */
	len = sealed(pkt, &s, group, 0, NULL, 0);
	babel_mac_check(&p, pkt, len, true, NULL, 1100, &v);
	EXPECT(!v.accept && !v.request);
	/* A wrong nonce is no answer. */
	nonce[0] ^= 1;
	len = sealed(pkt, &s, ll, BABEL_TLV_CHALLENGE_REPLY, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, false, NULL, 1200, &v);
	EXPECT(!v.accept);
	nonce[0] ^= 1;
	/* The echo: taken, and its counter is the one to beat. */
	len = sealed(pkt, &s, ll, BABEL_TLV_CHALLENGE_REPLY, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, false, NULL, 1300, &v);
	EXPECT(v.accept && v.answered);
	EXPECT(p.pc_m == s.pc - 1 && p.pc_u == s.pc - 1);
	/* The echo again (a replay of it): the nonce is spent. */
	babel_mac_check(&p, pkt, len, false, NULL, 1400, &v);
	EXPECT(!v.accept);
}

static void test_counters(void)
{
	struct babel_mac_sender s = { .pc = 0 };
	struct babel_mac_peer p;
	struct babel_mac_verdict v;
	uint8_t pkt[512], old[512], nonce[BABEL_MAC_NONCE_LEN];
	size_t len, oldlen;

	babel_mac_peer_init(&p);
	len = sealed(pkt, &s, group, 0, NULL, 0);
	babel_mac_check(&p, pkt, len, true, NULL, 0, &v);
	EXPECT(v.request);
	challenge(&p, 0);
	memcpy(nonce, p.nonce, sizeof(nonce));
	len = sealed(pkt, &s, ll, BABEL_TLV_CHALLENGE_REPLY, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, false, NULL, 10, &v);
	EXPECT(v.accept);

	oldlen = sealed(old, &s, group, 0, NULL, 0);
	babel_mac_check(&p, old, oldlen, true, NULL, 20, &v);
	EXPECT(v.accept);
	/* The same packet again, and an older one: replays. */
	babel_mac_check(&p, old, oldlen, true, NULL, 30, &v);
	EXPECT(!v.accept && !v.request);
	EXPECT_STR(v.why, "an old packet counter (a replay?)");
	len = sealed(pkt, &s, group, 0, NULL, 0);
	babel_mac_check(&p, pkt, len, true, NULL, 40, &v);
	EXPECT(v.accept);
	babel_mac_check(&p, old, oldlen, true, NULL, 50, &v);
	EXPECT(!v.accept);
	/* Unicast counts apart (RFC 9467): an older PC sent unicast is taken once. */
	babel_mac_check(&p, old, oldlen, false, NULL, 60, &v);
	EXPECT(v.accept);
	babel_mac_check(&p, old, oldlen, false, NULL, 70, &v);
	EXPECT(!v.accept);

	/* The sender restarted: a new index is challenged, not taken. */
	s.pc = 0;
	len = sealed(pkt, &s, group, 0, NULL, 0);
	babel_mac_check(&p, pkt, len, true, NULL, 1000, &v);
	EXPECT(!v.accept && v.request);
	challenge(&p, 1000);
	/* An answer too late: the nonce lives 30 s. */
	memcpy(nonce, p.nonce, sizeof(nonce));
	len = sealed(pkt, &s, ll, BABEL_TLV_CHALLENGE_REPLY, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, false, NULL, 1000 + BABEL_MAC_DEADLINE_MS + 1, &v);
	EXPECT(!v.accept);
}

static void test_no_pc(void)
{
	struct babel_mac_peer p;
	struct babel_mac_verdict v;
	uint8_t pkt[512];
	size_t len = packet(pkt, sizeof(pkt), 0, NULL, 0);

	babel_mac_peer_init(&p);
	babel_mac_check(&p, pkt, len, true, NULL, 0, &v);
	EXPECT(!v.accept && !v.request);
	EXPECT_STR(v.why, "no packet counter");
}

static void test_requests_answered(void)
{
	static const uint8_t nonce[5] = { 1, 2, 3, 4, 5 };
	uint8_t to[BABEL_MAC_NONCE_TO_LEN] = { 0 };
	struct babel_mac_sender s = { .pc = 0 };
	struct babel_mac_peer p;
	struct babel_mac_verdict v;
	uint8_t pkt[512];
	size_t len;

	babel_mac_peer_init(&p);
	/* Multicast: RFC 8967 answers only unicast requests. */
	len = sealed(pkt, &s, group, BABEL_TLV_CHALLENGE_REQ, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, true, NULL, 0, &v);
	EXPECT(!v.reply);
	/* Unicast, from an unknown neighbour too: answered, and challenged. */
	len = sealed(pkt, &s, ll, BABEL_TLV_CHALLENGE_REQ, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, false, NULL, 1000, &v);
	EXPECT(v.reply && v.reply_len == sizeof(nonce) && !memcmp(v.reply, nonce, sizeof(nonce)));
	EXPECT(v.request && !v.accept);
	/* Once in 300 ms. */
	len = sealed(pkt, &s, ll, BABEL_TLV_CHALLENGE_REQ, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, false, NULL, 1100, &v);
	EXPECT(!v.reply);
	/*
	 * To all under gemd's ESP, which carries no unicast: answered only
	 * by the node whose address the nonce begins with.
	 */
	len = sealed(pkt, &s, group, BABEL_TLV_CHALLENGE_REQ, nonce, sizeof(nonce));
	babel_mac_check(&p, pkt, len, true, ll, 1400, &v);
	EXPECT(!v.reply);
	memcpy(to, src, 16);
	len = sealed(pkt, &s, group, BABEL_TLV_CHALLENGE_REQ, to, sizeof(to));
	babel_mac_check(&p, pkt, len, true, ll, 1800, &v);
	EXPECT(!v.reply);
	memcpy(to, ll, 16);
	len = sealed(pkt, &s, group, BABEL_TLV_CHALLENGE_REQ, to, sizeof(to));
	babel_mac_check(&p, pkt, len, true, ll, 2200, &v);
	EXPECT(v.reply && v.reply_len == sizeof(to) && !memcmp(v.reply, to, sizeof(to)));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	randombytes_buf(key, sizeof(key));
	RUN(test_babeld_mac);
	RUN(test_verify);
	RUN(test_challenge);
	RUN(test_counters);
	RUN(test_no_pc);
	RUN(test_requests_answered);
	return TEST_EXIT();
}
