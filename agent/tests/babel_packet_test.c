// SPDX-License-Identifier: GPL-2.0
/*
 * Babel packets: every TLV gemd speaks round-trips, babeld's compressed
 * Updates decompress, sub-TLVs are honoured, and malformed packets are
 * refused with a reason.
 */
#include <string.h>

#include "babel/babel_packet.h"
#include "test.h"

struct seen {
	struct babel_tlv t[32];
	bool trailer[32];
	int n;
};

static int collect(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	struct seen *s = arg;

	if (s->n == 32)
		return -1;
	s->trailer[s->n] = in_trailer;
	s->t[s->n++] = *t;
	return 0;
}

static void test_round_trip(void)
{
	static const uint8_t gem_body[] = { 1, 0x11, 2, 3, 4 };
	struct babel_tlv in[9];
	struct babel_writer w;
	struct seen s = { .n = 0 };
	uint8_t pkt[512];
	const char *why = NULL;
	size_t len;
	int i;

	memset(in, 0, sizeof(in));
	in[0].type = BABEL_HELLO;
	in[0].u.hello.seqno = 0xbeef;
	in[0].u.hello.interval = 400;
	in[1].type = BABEL_IHU;
	in[1].u.ihu.ae = BABEL_AE_LL;
	in[1].u.ihu.rxcost = 96;
	in[1].u.ihu.interval = 1200;
	in[1].u.ihu.addr[0] = 0xfe;
	in[1].u.ihu.addr[1] = 0x80;
	in[1].u.ihu.addr[15] = 7;
	in[2].type = BABEL_ROUTER_ID;
	memcpy(in[2].u.router_id.id, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	in[3].type = BABEL_NEXT_HOP;
	in[3].u.next_hop.ae = BABEL_AE_IPV4;
	memcpy(in[3].u.next_hop.addr, "\xc0\x00\x02\x01", 4);
	in[4].type = BABEL_UPDATE;
	in[4].u.update.ae = BABEL_AE_IPV6;
	in[4].u.update.plen = 64;
	in[4].u.update.interval = 1600;
	in[4].u.update.seqno = 9;
	in[4].u.update.metric = 256;
	memcpy(in[4].u.update.prefix, "\xfd\x00\x00\x01\x00\x02\x00\x03", 8);
	in[5].type = BABEL_UPDATE;
	in[5].u.update.ae = BABEL_AE_IPV4;
	in[5].u.update.plen = 24;
	memcpy(in[5].u.update.prefix, "\xc6\x33\x64", 3);
	in[6].type = BABEL_ROUTE_REQ;		/* wildcard: everything */
	in[7].type = BABEL_SEQNO_REQ;
	in[7].u.seqno_req.ae = BABEL_AE_IPV4;
	in[7].u.seqno_req.plen = 32;
	in[7].u.seqno_req.seqno = 10;
	in[7].u.seqno_req.hop_count = 64;
	memcpy(in[7].u.seqno_req.prefix, "\xc0\x00\x02\x01", 4);
	memcpy(in[7].u.seqno_req.router_id, "\x08\x07\x06\x05\x04\x03\x02\x01", 8);
	in[8].type = 224;			/* GEM's, as raw bytes */
	in[8].u.raw.body = gem_body;
	in[8].u.raw.len = sizeof(gem_body);

	babel_writer_init(&w, pkt, sizeof(pkt));
	for (i = 0; i < 9; i++)
		EXPECT(babel_write_tlv(&w, &in[i]) == 0);
	len = babel_writer_finish(&w);
	/* Pad1 and PadN in the body are skipped; a trailer TLV (a MAC) follows. */
	pkt[len++] = BABEL_PAD1;
	pkt[len - 1] = 0;
	pkt[2] = (uint8_t)((len - 4) >> 8);
	pkt[3] = (uint8_t)(len - 4);
	memcpy(pkt + len, "\x10\x04\xaa\xbb\xcc\xdd", 6);
	len += 6;
	EXPECT(babel_packet_parse(pkt, len, collect, &s, &why) == 0);
	EXPECT(s.n == 10);
	for (i = 0; i < 8; i++) {
		EXPECT(s.t[i].type == in[i].type && !s.t[i].ignore && !s.trailer[i]);
		EXPECT(!memcmp(&s.t[i].u, &in[i].u, sizeof(in[i].u)));
	}
	EXPECT(s.t[8].type == 224 && s.t[8].u.raw.len == sizeof(gem_body));
	EXPECT(!memcmp(s.t[8].u.raw.body, gem_body, sizeof(gem_body)));
	EXPECT(s.t[9].type == 16 && s.trailer[9] && s.t[9].u.raw.len == 4);
}

/* babeld compresses: a default prefix, then Updates that omit its bytes. */
static void test_compressed_updates(void)
{
	static const uint8_t pkt[] = {
		42, 2, 0, 34,
		/* Update AE 2, flags 0x80 (default prefix), /64, omitted 0 */
		8, 18, 2, 0x80, 64, 0, 0, 100, 0, 1, 0, 96,
		0xfd, 0, 0, 1, 0, 2, 0, 3,
		/* Update AE 2, /64 with 6 bytes omitted: fd00:0001:0002:0009 */
		8, 12, 2, 0, 64, 6, 0, 100, 0, 1, 0, 96, 0, 9,
	};
	struct seen s = { .n = 0 };
	const char *why = NULL;

	EXPECT(babel_packet_parse(pkt, sizeof(pkt), collect, &s, &why) == 0);
	EXPECT(s.n == 2);
	EXPECT(!memcmp(s.t[1].u.update.prefix, "\xfd\x00\x00\x01\x00\x02\x00\x09", 8));
	EXPECT(s.t[1].u.update.metric == 96);
}

static void test_sub_tlvs(void)
{
	/* A Hello with a PadN, an unknown optional and an unknown mandatory sub-TLV. */
	uint8_t pkt[] = { 42, 2, 0, 16, 4, 14, 0, 0, 0, 1, 1, 144,
			  1, 1, 0, 0x70, 0, 0xf0, 0, 0 };
	struct seen s = { .n = 0 };
	const char *why = NULL;

	EXPECT(babel_packet_parse(pkt, sizeof(pkt), collect, &s, &why) == 0);
	EXPECT(s.n == 1 && s.t[0].ignore);
	pkt[17] = 0x70;			/* the last one optional too */
	s.n = 0;
	EXPECT(babel_packet_parse(pkt, sizeof(pkt), collect, &s, &why) == 0);
	EXPECT(s.n == 1 && !s.t[0].ignore);
	pkt[18] = 9;			/* a sub-TLV past its TLV */
	EXPECT(babel_packet_parse(pkt, sizeof(pkt), collect, &s, &why) == -1);
	EXPECT_STR(why, "sub-TLV overruns its TLV");
}

static void test_refused(void)
{
	static const struct {
		uint8_t pkt[40];
		size_t len;
		const char *why;
	} bad[] = {
		{ { 43, 2, 0, 0 }, 4, "not a Babel version 2 packet" },
		{ { 42, 1, 0, 0 }, 4, "not a Babel version 2 packet" },
		{ { 42, 2, 0, 9 }, 4, "body length beyond the packet" },
		{ { 42, 2, 0, 3, 4, 6, 0 }, 7, "TLV overruns the packet" },
		{ { 42, 2, 0, 4, 4, 2, 0, 0 }, 8, "TLV shorter than its fixed part" },
		{ { 42, 2, 0, 8, 5, 6, 9, 0, 0, 96, 1, 144 }, 12,
		  "IHU with an address encoding it may not use" },
		{ { 42, 2, 0, 12, 6, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 16,
		  "router-id all zeros or all ones" },
		{ { 42, 2, 0, 12, 8, 10, 2, 0, 129, 0, 0, 1, 0, 1, 0, 96 }, 16,
		  "prefix length or address encoding not valid here" },
		{ { 42, 2, 0, 12, 8, 10, 3, 0, 64, 0, 0, 1, 0, 1, 0, 96 }, 16,
		  "prefix length or address encoding not valid here" },
		{ { 42, 2, 0, 12, 8, 10, 0, 0, 0, 0, 0, 1, 0, 1, 0, 96 }, 16,
		  "a wildcard Update that is not a retraction" },
		{ { 42, 2, 0, 14, 8, 12, 2, 0, 64, 6, 0, 1, 0, 1, 0, 96, 0, 9 }, 18,
		  "omitted bytes with no default prefix to take them from" },
		{ { 42, 2, 0, 12, 8, 10, 1, 0, 24, 0, 0, 1, 0, 1, 0, 96 }, 16,
		  "prefix overruns its TLV" },
		{ { 42, 2, 0, 16, 10, 14, 0, 0, 0, 1, 64, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, 20,
		  "a wildcard Seqno Request" },
		{ { 42, 2, 0, 4, 7, 2, 0, 0 }, 8,
		  "Next Hop with an address encoding it may not use" },
	};
	struct seen s;
	const char *why;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s.n = 0;
		why = NULL;
		EXPECT(babel_packet_parse(bad[i].pkt, bad[i].len, collect, &s, &why) == -1);
		EXPECT_STR(why, bad[i].why);
	}
}

static void test_writer_bounds(void)
{
	struct babel_tlv t = { .type = BABEL_UPDATE };
	struct babel_writer w;
	uint8_t pkt[16];

	babel_writer_init(&w, pkt, sizeof(pkt));
	t.u.update.ae = BABEL_AE_IPV6;
	t.u.update.plen = 128;
	EXPECT(babel_write_tlv(&w, &t) == -1);		/* 28 bytes do not fit in 16 */
	t.u.update.ae = BABEL_AE_LL;
	EXPECT(babel_write_tlv(&w, &t) == -1);		/* not an encoding for prefixes */
	EXPECT(babel_writer_finish(&w) == 4);
}

int main(void)
{
	RUN(test_round_trip);
	RUN(test_compressed_updates);
	RUN(test_sub_tlvs);
	RUN(test_refused);
	RUN(test_writer_bounds);
	return TEST_EXIT();
}
