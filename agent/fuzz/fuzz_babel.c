// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for gemd's Babel packet input: the parser, and RFC
 * 8967's MAC check and counters. Whatever the parser accepts, written
 * back uncompressed, must parse again to the same TLVs; whatever packet
 * is sealed must verify, and the counters of one neighbour (kept across
 * inputs) never crash on what arrives.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "babel/babel_mac.h"
#include "babel/babel_packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct pass {
	struct babel_writer w;
	struct babel_tlv t[256];
	int n, failed;
};

static int first(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	struct pass *p = arg;

	if (in_trailer || p->n == 256)
		return 0;
	p->t[p->n++] = *t;
	if (babel_write_tlv(&p->w, t))
		p->failed = 1;
	return 0;
}

static int second(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	struct pass *p = arg;
	const struct babel_tlv *want = &p->t[p->n++];

	(void)in_trailer;
	if (t->type != want->type)
		abort();
	switch (t->type) {
	case BABEL_HELLO: case BABEL_IHU: case BABEL_ROUTER_ID: case BABEL_NEXT_HOP:
	case BABEL_ROUTE_REQ: case BABEL_SEQNO_REQ:
		if (memcmp(&t->u, &want->u, sizeof(t->u)))
			abort();
		break;
	case BABEL_UPDATE:
		if (memcmp(t->u.update.prefix, want->u.update.prefix, 16) ||
		    t->u.update.plen != want->u.update.plen ||
		    t->u.update.metric != want->u.update.metric)
			abort();
		break;
	default:
		if (t->u.raw.len != want->u.raw.len ||
		    memcmp(t->u.raw.body, want->u.raw.body, t->u.raw.len))
			abort();
	}
	return 0;
}

/* The MAC and the counters, on the input as it came and sealed. */
static void mac(const uint8_t *data, size_t size)
{
	static const uint8_t src[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t dst[16] = { 0xff, 0x02, [13] = 1, [15] = 6 };
	static struct babel_mac_peer peer = { .index_len = -1 };
	static struct babel_mac_sender sender;
	static uint8_t key[BABEL_MAC_KEY_LEN], pkt[2048];
	static uint64_t now;
	struct babel_mac_verdict v;
	size_t len;

	if (sodium_init() < 0)
		abort();
	now += 100;
	babel_mac_verify(key, src, dst, data, size);
	if (size >= BABEL_HDR_LEN) {
		babel_mac_check(&peer, data, size, size & 1, size & 2 ? src : NULL, now, &v);
		if (v.request)
			babel_mac_challenged(&peer, data, size < BABEL_MAC_NONCE_TO_LEN ? size :
					     BABEL_MAC_NONCE_TO_LEN, now + BABEL_MAC_DEADLINE_MS);
		if (v.reply && (v.reply < data || v.reply + v.reply_len > data + size))
			abort();
	}
	/* A whole packet (header and body) sealed verifies. */
	if (size < BABEL_HDR_LEN || size + BABEL_MAC_ROOM > sizeof(pkt) ||
	    BABEL_HDR_LEN + (size_t)(data[2] << 8 | data[3]) != size)
		return;
	memcpy(pkt, data, size);
	len = babel_mac_seal(key, &sender, src, dst, pkt, size, sizeof(pkt));
	if (len && babel_mac_verify(key, src, dst, pkt, len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000];
	static struct pass p;
	const char *why;
	size_t len;

	mac(data, size);
	memset(&p, 0, sizeof(p));
	babel_writer_init(&p.w, out, sizeof(out));
	if (babel_packet_parse(data, size, first, &p, &why) || p.failed || p.n == 256)
		return 0;
	len = babel_writer_finish(&p.w);
	p.n = 0;
	if (babel_packet_parse(out, len, second, &p, &why))
		abort();
	return 0;
}
