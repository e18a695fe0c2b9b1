// SPDX-License-Identifier: GPL-2.0
/*
 * A dump: TLVs for one interface in as many packets as it takes (a full
 * dump of our routes, GEM's items with them, the answer to a Request),
 * each packet built with BABEL_MAC_ROOM to spare and sent when full.
 */
#include <stdlib.h>

#include "babel_int.h"

struct babel_dump *babel_dump_new(struct babel *b, unsigned int fi)
{
	struct babel_dump *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->b = b;
	d->fi = fi;
	babel_writer_init(&d->w, d->pkt, sizeof(d->pkt) - BABEL_MAC_ROOM);
	return d;
}

void babel_dump_flush(struct babel_dump *d)
{
	if (d->w.len > BABEL_HDR_LEN) {
		size_t len = babel_writer_finish(&d->w);

		babel_iface_send(d->b, &d->b->ifaces[d->fi], d->pkt, len);
		d->bytes += len;
	}
	babel_writer_init(&d->w, d->pkt, sizeof(d->pkt) - BABEL_MAC_ROOM);
	d->rid = NULL;
}

int babel_dump_raw(struct babel_dump *d, uint8_t type, const uint8_t *body, size_t len)
{
	if (babel_write_raw(&d->w, type, body, len)) {
		babel_dump_flush(d);
		return babel_write_raw(&d->w, type, body, len);
	}
	return 0;
}
