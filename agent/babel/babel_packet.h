/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Babel (RFC 8966) packets: the header, the TLVs gemd speaks (Hello, IHU,
 * Router-Id, Next Hop, Update, Route Request, Seqno Request) and any other
 * TLV as raw bytes (GEM's own, and what gemd does not know), decoded with
 * every length and field checked. Updates may compress their prefix
 * against the packet's default prefix (the Omitted field), which the
 * parser keeps per address encoding, as RFC 8966 section 4.6.9 says.
 */
#ifndef GEM_BABEL_PACKET_H
#define GEM_BABEL_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BABEL_PORT		6696
#define BABEL_MAGIC		42
#define BABEL_VERSION		2
#define BABEL_HDR_LEN		4

enum babel_tlv_type {
	BABEL_PAD1 = 0,
	BABEL_PADN = 1,
	BABEL_ACK_REQ = 2,
	BABEL_ACK = 3,
	BABEL_HELLO = 4,
	BABEL_IHU = 5,
	BABEL_ROUTER_ID = 6,
	BABEL_NEXT_HOP = 7,
	BABEL_UPDATE = 8,
	BABEL_ROUTE_REQ = 9,
	BABEL_SEQNO_REQ = 10,
};

/* Address encodings. */
enum babel_ae {
	BABEL_AE_WILDCARD = 0,
	BABEL_AE_IPV4 = 1,
	BABEL_AE_IPV6 = 2,
	BABEL_AE_LL = 3,		/* link-local IPv6, 8 bytes on the wire */
	BABEL_AE_V4V6 = 4,		/* IPv4 prefix, IPv6 next hop (RFC 9229) */
	BABEL_AE_MAX = BABEL_AE_V4V6
};

#define BABEL_UPDATE_DEFAULT_PREFIX	0x80
#define BABEL_UPDATE_DEFAULT_RID	0x40
#define BABEL_HELLO_UNICAST		0x8000
#define BABEL_INFINITY			0xffff

struct babel_tlv {
	uint8_t type;
	bool ignore;			/* carries a mandatory sub-TLV we do not know */
	union {
		struct {
			uint16_t flags, seqno, interval;	/* interval in centiseconds */
		} hello;
		struct {
			uint8_t ae;
			uint16_t rxcost, interval;
			uint8_t addr[16];
		} ihu;
		struct {
			uint8_t id[8];
		} router_id;
		struct {
			uint8_t ae;
			uint8_t addr[16];
		} next_hop;
		struct {
			uint8_t ae, flags, plen;
			uint16_t interval, seqno, metric;
			uint8_t prefix[16];	/* whole, after decompression */
		} update;
		struct {
			uint8_t ae, plen;
			uint8_t prefix[16];
		} route_req;
		struct {
			uint8_t ae, plen, hop_count;
			uint16_t seqno;
			uint8_t router_id[8];
			uint8_t prefix[16];
		} seqno_req;
		struct {
			const uint8_t *body;	/* points into the packet */
			uint8_t len;
		} raw;
	} u;
};

/*
 * Parses a packet: calls cb for every TLV of its body, then for every
 * TLV of its trailer with in_trailer set (where RFC 8967 MACs live).
 * Returns 0, or -1 with *why at the first malformed byte (TLVs before it
 * have been delivered: a receiver discards the whole packet) or when cb
 * returns non-zero.
 */
typedef int (*babel_tlv_cb)(const struct babel_tlv *t, bool in_trailer, void *arg);
int babel_packet_parse(const uint8_t *pkt, size_t len, babel_tlv_cb cb, void *arg,
		       const char **why);

/* Building a packet: the header, then TLVs, each refused if it won't fit. */
struct babel_writer {
	uint8_t *buf;
	size_t cap, len;
};

void babel_writer_init(struct babel_writer *w, uint8_t *buf, size_t cap);
/* Writes any TLV of the union above, uncompressed; -1 if it does not fit. */
int babel_write_tlv(struct babel_writer *w, const struct babel_tlv *t);
/* A TLV of any type from its body (GEM's TLVs). */
int babel_write_raw(struct babel_writer *w, uint8_t type, const uint8_t *body, size_t len);
/* Sets the header's body length; returns the packet's length. */
size_t babel_writer_finish(struct babel_writer *w);

/* Bytes an address of this encoding takes for a prefix of plen bits. */
int babel_ae_len(uint8_t ae, unsigned int plen);

#endif /* GEM_BABEL_PACKET_H */
