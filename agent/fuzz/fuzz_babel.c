// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the Babel packet parser. Whatever it accepts,
 * written back uncompressed, must parse again to the same TLVs.
 */
#include <stdlib.h>
#include <string.h>

#include "babel_packet.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000];
	static struct pass p;
	const char *why;
	size_t len;

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
