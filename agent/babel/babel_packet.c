// SPDX-License-Identifier: GPL-2.0
/*
 * Babel (RFC 8966) packet codec. Strict: a TLV whose fixed part does not
 * fit its length, an address encoding a TLV may not use, a prefix longer
 * than its family, an Omitted count without a default prefix to take it
 * from, all end the parse with a reason; the caller drops the packet.
 */
#include <string.h>

#include "babel_packet.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

int babel_ae_len(uint8_t ae, unsigned int plen)
{
	switch (ae) {
	case BABEL_AE_WILDCARD:
		return plen ? -1 : 0;
	case BABEL_AE_IPV4:
	case BABEL_AE_V4V6:
		return plen > 32 ? -1 : (int)((plen + 7) / 8);
	case BABEL_AE_IPV6:
		return plen > 128 ? -1 : (int)((plen + 7) / 8);
	}
	return -1;	/* link-local addresses name hosts, never prefixes */
}

/* A whole address (IHU, Next Hop): its length on the wire, or -1. */
static int addr_len(uint8_t ae, bool wildcard_ok)
{
	switch (ae) {
	case BABEL_AE_WILDCARD:
		return wildcard_ok ? 0 : -1;
	case BABEL_AE_IPV4:
		return 4;
	case BABEL_AE_IPV6:
		return 16;
	case BABEL_AE_LL:
		return 8;
	}
	return -1;
}

static void addr_get(uint8_t ae, const uint8_t *p, uint8_t *out)
{
	memset(out, 0, 16);
	if (ae == BABEL_AE_LL) {
		out[0] = 0xfe;
		out[1] = 0x80;
		memcpy(out + 8, p, 8);
	} else if (addr_len(ae, true) > 0) {
		/* Callers checked the encoding; the test bounds the copy for
		 * _FORTIFY_SOURCE, which otherwise sees a (size_t)-1.
		 */
		memcpy(out, p, (size_t)addr_len(ae, true));
	}
}

struct parser {
	/* The default prefix of each address encoding, for Omitted bytes. */
	uint8_t dflt[BABEL_AE_MAX + 1][16];
	uint8_t dflt_len[BABEL_AE_MAX + 1];	/* bytes known; 0: none yet */
};

/*
 * Sub-TLVs after a TLV's fixed part: well-formed, and whether an unknown
 * mandatory one makes the TLV to be ignored.
 */
static int sub_tlvs(const uint8_t *p, size_t len, bool *ignore, const char **why)
{
	size_t off = 0;

	while (off < len) {
		uint8_t type = p[off];

		if (type == BABEL_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + p[off + 1] > len) {
			*why = "sub-TLV overruns its TLV";
			return -1;
		}
		/* GEM defines no sub-TLV yet: every mandatory one is unknown. */
		if (type != BABEL_PADN && (type & 0x80))
			*ignore = true;
		off += 2 + (size_t)p[off + 1];
	}
	return 0;
}

static int prefix_get(struct parser *ps, uint8_t ae, uint8_t plen, uint8_t omitted,
		      const uint8_t *p, size_t avail, uint8_t *out, size_t *used, const char **why)
{
	int total = babel_ae_len(ae, plen);

	if (total < 0) {
		*why = "prefix length or address encoding not valid here";
		return -1;
	}
	if (omitted > total || (omitted && omitted > ps->dflt_len[ae])) {
		*why = "omitted bytes with no default prefix to take them from";
		return -1;
	}
	if ((size_t)(total - omitted) > avail) {
		*why = "prefix overruns its TLV";
		return -1;
	}
	memset(out, 0, 16);
	memcpy(out, ps->dflt[ae], omitted);
	memcpy(out + omitted, p, (size_t)(total - omitted));
	*used = (size_t)(total - omitted);
	return 0;
}

static const char short_tlv[] = "TLV shorter than its fixed part";

/*
 * A prefix of the encoding in b[0] and plen bits at b + off (Update,
 * Route and Seqno Requests): where it ends, or -1 with a reason.
 */
static int prefix_field(struct parser *ps, const uint8_t *b, uint8_t len, size_t off,
			uint8_t plen, uint8_t omitted, uint8_t *out, const char **why)
{
	size_t used;

	if (prefix_get(ps, b[0], plen, omitted, b + off, len - off, out, &used, why))
		return -1;
	return (int)(off + used);
}

/*
 * An address of the encoding in b[0] at b + off (IHU, Next Hop): where
 * it ends, or -1 with a reason (bad_ae if the TLV may not use it).
 */
static int addr_field(const uint8_t *b, uint8_t len, size_t off, bool wildcard_ok,
		      uint8_t *out, const char *bad_ae, const char **why)
{
	int alen = addr_len(b[0], wildcard_ok);

	if (alen < 0) {
		*why = bad_ae;
		return -1;
	}
	if (len < off + (size_t)alen) {
		*why = short_tlv;
		return -1;
	}
	addr_get(b[0], b + off, out);
	return (int)off + alen;
}

/*
 * One decoder a TLV type: b holds at least the type's minimum length
 * (len bytes in all); returns the length of the fixed part, before any
 * sub-TLVs, or -1 with a reason.
 */
static int dec_hello(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
		     const char **why)
{
	(void)ps, (void)len, (void)why;
	t->u.hello.flags = rd16(b);
	t->u.hello.seqno = rd16(b + 2);
	t->u.hello.interval = rd16(b + 4);
	return 6;
}

static int dec_ihu(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
		   const char **why)
{
	(void)ps;
	t->u.ihu.ae = b[0];
	t->u.ihu.rxcost = rd16(b + 2);
	t->u.ihu.interval = rd16(b + 4);
	return addr_field(b, len, 6, true, t->u.ihu.addr,
			  "IHU with an address encoding it may not use", why);
}

static int dec_router_id(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
			 const char **why)
{
	(void)ps, (void)len;
	memcpy(t->u.router_id.id, b + 2, 8);
	if (!memcmp(t->u.router_id.id, "\0\0\0\0\0\0\0\0", 8) ||
	    !memcmp(t->u.router_id.id, "\xff\xff\xff\xff\xff\xff\xff\xff", 8)) {
		*why = "router-id all zeros or all ones";
		return -1;
	}
	return 10;
}

static int dec_next_hop(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
			const char **why)
{
	(void)ps;
	t->u.next_hop.ae = b[0];
	return addr_field(b, len, 2, false, t->u.next_hop.addr,
			  "Next Hop with an address encoding it may not use", why);
}

static int dec_update(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
		      const char **why)
{
	int end;

	t->u.update.ae = b[0];
	t->u.update.flags = b[1];
	t->u.update.plen = b[2];
	t->u.update.interval = rd16(b + 4);
	t->u.update.seqno = rd16(b + 6);
	t->u.update.metric = rd16(b + 8);
	if (b[0] > BABEL_AE_MAX) {
		*why = "Update with an unknown address encoding";
		return -1;
	}
	end = prefix_field(ps, b, len, 10, b[2], b[3], t->u.update.prefix, why);
	if (end < 0)
		return -1;
	if (b[0] == BABEL_AE_WILDCARD && t->u.update.metric != BABEL_INFINITY) {
		*why = "a wildcard Update that is not a retraction";
		return -1;
	}
	if (b[1] & BABEL_UPDATE_DEFAULT_PREFIX) {
		memcpy(ps->dflt[b[0]], t->u.update.prefix, 16);
		ps->dflt_len[b[0]] = (uint8_t)babel_ae_len(b[0], b[2]);
	}
	return end;
}

static int dec_route_req(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
			 const char **why)
{
	t->u.route_req.ae = b[0];
	t->u.route_req.plen = b[1];
	return prefix_field(ps, b, len, 2, b[1], 0, t->u.route_req.prefix, why);
}

static int dec_seqno_req(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
			 const char **why)
{
	t->u.seqno_req.ae = b[0];
	t->u.seqno_req.plen = b[1];
	t->u.seqno_req.seqno = rd16(b + 2);
	t->u.seqno_req.hop_count = b[4];
	memcpy(t->u.seqno_req.router_id, b + 6, 8);
	if (b[0] == BABEL_AE_WILDCARD) {
		*why = "a wildcard Seqno Request";
		return -1;
	}
	return prefix_field(ps, b, len, 14, b[1], 0, t->u.seqno_req.prefix, why);
}

/* The TLVs gemd decodes, with the least length of each; any other is raw. */
static const struct {
	uint8_t min_len;
	int (*decode)(struct parser *ps, const uint8_t *b, uint8_t len, struct babel_tlv *t,
		      const char **why);
} decoders[] = {
	[BABEL_HELLO] = { 6, dec_hello },
	[BABEL_IHU] = { 6, dec_ihu },
	[BABEL_ROUTER_ID] = { 10, dec_router_id },
	[BABEL_NEXT_HOP] = { 2, dec_next_hop },
	[BABEL_UPDATE] = { 10, dec_update },
	[BABEL_ROUTE_REQ] = { 2, dec_route_req },
	[BABEL_SEQNO_REQ] = { 14, dec_seqno_req },
};

static int tlv_decode(struct parser *ps, uint8_t type, const uint8_t *b, uint8_t len,
		      bool trailer, struct babel_tlv *t, const char **why)
{
	int fixed;

	memset(t, 0, sizeof(*t));
	t->type = type;
	if (trailer || type >= sizeof(decoders) / sizeof(decoders[0]) || !decoders[type].decode) {
		t->u.raw.body = b;
		t->u.raw.len = len;
		return 0;
	}
	if (len < decoders[type].min_len) {
		*why = short_tlv;
		return -1;
	}
	fixed = decoders[type].decode(ps, b, len, t, why);
	if (fixed < 0)
		return -1;
	return sub_tlvs(b + fixed, len - (size_t)fixed, &t->ignore, why);
}

static int tlvs(struct parser *ps, const uint8_t *p, size_t len, bool trailer, babel_tlv_cb cb,
		void *arg, const char **why)
{
	struct babel_tlv t;
	size_t off = 0;

	while (off < len) {
		uint8_t type = p[off], tlen;

		if (type == BABEL_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + p[off + 1] > len) {
			*why = "TLV overruns the packet";
			return -1;
		}
		tlen = p[off + 1];
		if (tlv_decode(ps, type, p + off + 2, tlen, trailer, &t, why))
			return -1;
		off += 2 + (size_t)tlen;
		if (type == BABEL_PADN)
			continue;
		if (cb(&t, trailer, arg)) {
			*why = "refused by the receiver";
			return -1;
		}
	}
	return 0;
}

int babel_packet_parse(const uint8_t *pkt, size_t len, babel_tlv_cb cb, void *arg,
		       const char **why)
{
	struct parser ps;
	size_t body;

	if (len < BABEL_HDR_LEN || pkt[0] != BABEL_MAGIC || pkt[1] != BABEL_VERSION) {
		*why = "not a Babel version 2 packet";
		return -1;
	}
	body = rd16(pkt + 2);
	if (BABEL_HDR_LEN + body > len) {
		*why = "body length beyond the packet";
		return -1;
	}
	memset(&ps, 0, sizeof(ps));
	if (tlvs(&ps, pkt + BABEL_HDR_LEN, body, false, cb, arg, why))
		return -1;
	return tlvs(&ps, pkt + BABEL_HDR_LEN + body, len - BABEL_HDR_LEN - body, true, cb, arg,
		    why);
}

void babel_writer_init(struct babel_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = cap >= BABEL_HDR_LEN ? BABEL_HDR_LEN : cap;
	if (cap >= BABEL_HDR_LEN) {
		buf[0] = BABEL_MAGIC;
		buf[1] = BABEL_VERSION;
		wr16(buf + 2, 0);
	}
}

int babel_write_raw(struct babel_writer *w, uint8_t type, const uint8_t *body, size_t len)
{
	if (len > 255 || w->len + 2 + len > w->cap || w->len + 2 + len - BABEL_HDR_LEN > 0xffff)
		return -1;
	w->buf[w->len] = type;
	w->buf[w->len + 1] = (uint8_t)len;
	memcpy(w->buf + w->len + 2, body, len);
	w->len += 2 + len;
	return 0;
}

static size_t addr_put(uint8_t ae, const uint8_t *addr, uint8_t *p)
{
	int n;

	if (ae == BABEL_AE_LL) {
		memcpy(p, addr + 8, 8);
		return 8;
	}
	n = addr_len(ae, true);
	if (n <= 0)	/* callers checked the encoding: only a wildcard */
		return 0;
	memcpy(p, addr, (size_t)n);
	return (size_t)n;
}

int babel_write_tlv(struct babel_writer *w, const struct babel_tlv *t)
{
	uint8_t b[255] = { 0 };
	size_t n;
	int plen;

	switch (t->type) {
	case BABEL_HELLO:
		wr16(b, t->u.hello.flags);
		wr16(b + 2, t->u.hello.seqno);
		wr16(b + 4, t->u.hello.interval);
		n = 6;
		break;
	case BABEL_IHU:
		if (addr_len(t->u.ihu.ae, true) < 0)
			return -1;
		b[0] = t->u.ihu.ae;
		wr16(b + 2, t->u.ihu.rxcost);
		wr16(b + 4, t->u.ihu.interval);
		n = 6 + addr_put(t->u.ihu.ae, t->u.ihu.addr, b + 6);
		break;
	case BABEL_ROUTER_ID:
		memcpy(b + 2, t->u.router_id.id, 8);
		n = 10;
		break;
	case BABEL_NEXT_HOP:
		if (addr_len(t->u.next_hop.ae, false) < 0)
			return -1;
		b[0] = t->u.next_hop.ae;
		n = 2 + addr_put(t->u.next_hop.ae, t->u.next_hop.addr, b + 2);
		break;
	case BABEL_UPDATE:
		plen = babel_ae_len(t->u.update.ae, t->u.update.plen);
		if (plen < 0)
			return -1;
		b[0] = t->u.update.ae;
		b[1] = t->u.update.flags & ~BABEL_UPDATE_DEFAULT_PREFIX;	/* never compressed */
		b[2] = t->u.update.plen;
		wr16(b + 4, t->u.update.interval);
		wr16(b + 6, t->u.update.seqno);
		wr16(b + 8, t->u.update.metric);
		memcpy(b + 10, t->u.update.prefix, (size_t)plen);
		n = 10 + (size_t)plen;
		break;
	case BABEL_ROUTE_REQ:
		plen = babel_ae_len(t->u.route_req.ae, t->u.route_req.plen);
		if (plen < 0)
			return -1;
		b[0] = t->u.route_req.ae;
		b[1] = t->u.route_req.plen;
		memcpy(b + 2, t->u.route_req.prefix, (size_t)plen);
		n = 2 + (size_t)plen;
		break;
	case BABEL_SEQNO_REQ:
		plen = babel_ae_len(t->u.seqno_req.ae, t->u.seqno_req.plen);
		if (plen < 0 || t->u.seqno_req.ae == BABEL_AE_WILDCARD)
			return -1;
		b[0] = t->u.seqno_req.ae;
		b[1] = t->u.seqno_req.plen;
		wr16(b + 2, t->u.seqno_req.seqno);
		b[4] = t->u.seqno_req.hop_count;
		memcpy(b + 6, t->u.seqno_req.router_id, 8);
		memcpy(b + 14, t->u.seqno_req.prefix, (size_t)plen);
		n = 14 + (size_t)plen;
		break;
	default:
		return babel_write_raw(w, t->type, t->u.raw.body, t->u.raw.len);
	}
	return babel_write_raw(w, t->type, b, n);
}

size_t babel_writer_finish(struct babel_writer *w)
{
	if (w->cap >= BABEL_HDR_LEN)
		wr16(w->buf + 2, (uint16_t)(w->len - BABEL_HDR_LEN));
	return w->len;
}
