// SPDX-License-Identifier: GPL-2.0
/*
 * GEM's items flooded inside Babel packets (babeld ignores the TLVs,
 * unharmed): each item cut into GEM Fragment TLVs (items/gem_frag.h) in
 * our Updates, those heard put back together and handed to gemd, GEM
 * Requests for missing items sent, and those of neighbours answered
 * within their budgets.
 */
#include <stdlib.h>

#include "babel_int.h"
#include "lib/log.h"

/* One item in GEM Fragment TLVs, in the dump's packets. */
static int dump_fragment(const uint8_t *body, size_t blen, void *arg)
{
	return babel_dump_raw(arg, GEM_TLV_FRAGMENT, body, blen);
}

static void dump_item(const uint8_t *enc, size_t len, uint32_t tag, void *arg)
{
	struct babel_dump *d = arg;

	d->items++;
	gem_frag_split(enc, len, tag, dump_fragment, arg);
}

void babel_items_ask_all(struct babel_writer *w)
{
	struct gem_request q = { .kind = 0 };
	uint8_t body[32];
	int blen = gem_request_encode(&q, body, sizeof(body));

	/* "Everything" is a Request with an empty body. */
	if (blen >= 0)
		babel_write_raw(w, GEM_TLV_REQUEST, body, (size_t)blen);
}

/*
 * Those changed since this interface last heard of them, and every one
 * now and then. Items live for minutes, so resending all of them each
 * update interval would only cost bytes.
 */
void babel_items_update(struct babel_dump *d, uint64_t now_ms)
{
	struct babel *b = d->b;
	struct babel_iface *f = &b->ifaces[d->fi];
	uint64_t errors = b->tx_errors;
	bool all = now_ms >= f->next_items_ms;

	if (!b->items_each)
		return;
	if (all) {
		/* Only dumps at a neighbour's call count against its gate. */
		if (f->full_called)
			f->full_ms = now_ms;
		f->full_called = false;
		b->full_dumps++;
	}
	f->items_gen = b->items_each(b->items_arg, all ? 0 : f->items_gen, dump_item, d);
	/* A packet of this dump lost (babel_iface_send said so): all again next time. */
	if (all && b->tx_errors == errors)
		f->next_items_ms = now_ms + (b->items_ms > f->update_ms ? b->items_ms : f->update_ms);
	if (d->items)
		gem_log(GEM_LOG_DEBUG, "%s: update with %u items (%s)", f->name, d->items,
			all ? "all" : "changed");
}

/* A budget topped up at rate bytes a second, to burst at most; false if spent. */
static bool budget_left(int64_t *bytes, uint64_t *at_ms, int64_t rate, int64_t burst,
			uint64_t now_ms)
{
	*bytes += (int64_t)(now_ms - *at_ms) * rate / 1000;
	if (*bytes > burst)
		*bytes = burst;
	*at_ms = now_ms;
	return *bytes > 0;
}

/*
 * The answer to one GEM Request of peer p, from its budget and its
 * interface's (made-up neighbours, each with a budget of its own, share
 * the interface's). A budget may go into debt by one answer (an origin's
 * items, bounded by max-items-per-origin), which later top-ups repay
 * before the next.
 */
static void answer(struct babel *b, struct babel_peer *p, const struct gem_request *q,
		   uint64_t now_ms)
{
	struct babel_iface *f = &b->ifaces[p->iface];
	struct babel_dump *d;

	if (!b->items_of)
		return;
	if (!budget_left(&p->answer_bytes, &p->answer_ms, BABEL_ANSWER_RATE, BABEL_ANSWER_BURST,
			 now_ms) ||
	    !budget_left(&f->answer_bytes, &f->answer_ms, BABEL_IFACE_ANSWER_RATE,
			 BABEL_IFACE_ANSWER_BURST, now_ms)) {
		b->requests_refused++;
		return;
	}
	d = babel_dump_new(b, p->iface);
	if (!d)
		return;
	b->items_of(b->items_arg, q->kind, q->origin, dump_item, d);
	babel_dump_flush(d);
	p->answer_bytes -= (int64_t)d->bytes;
	f->answer_bytes -= (int64_t)d->bytes;
	free(d);
}

void babel_items_send_requests(struct babel *b, unsigned int fi)
{
	struct gem_request q[16];
	uint8_t body[32], pkt[512];
	struct babel_writer w;
	unsigned int i, n;

	/* Not now: the requests wait for an interface that can send. */
	if (!b->items_wanted || !b->ifaces[fi].up)
		return;
	n = b->items_wanted(b->items_arg, q, 16);
	if (!n)
		return;
	babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
	for (i = 0; i < n; i++) {
		int blen = gem_request_encode(&q[i], body, sizeof(body));

		if (blen > 0)
			babel_write_raw(&w, GEM_TLV_REQUEST, body, (size_t)blen);
	}
	babel_iface_send(b, &b->ifaces[fi], pkt, babel_writer_finish(&w));
}

void babel_items_tlv(struct babel_rx *r, const struct babel_tlv *t)
{
	switch (t->type) {
	case GEM_TLV_FRAGMENT: {
		uint8_t item[GEM_ITEM_MAX_LEN];
		const char *why;
		size_t ilen;

		if (gem_reasm_add(&r->peer->reasm, t->u.raw.body, t->u.raw.len, r->now_ms, item,
				  &ilen, &why) == 1 && r->b->item_heard &&
		    r->b->item_heard(r->b->items_arg, item, ilen, r->now_ms))
			r->flood = true;
		break;
	}
	case GEM_TLV_REQUEST: {
		struct gem_request q;
		const char *why;

		if (gem_request_decode(t->u.raw.body, t->u.raw.len, &q, &why))
			break;
		if (!q.kind) {
			/* Everything: a full dump, items and all, after a Hello. */
			babel_iface_full_dump_soon(r->b, r->peer->iface, r->now_ms);
		} else {
			answer(r->b, r->peer, &q, r->now_ms);
		}
		break;
	}
	}
}
