// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the sealed packet's header, written and read.
 *
 * The header is version and flags, the key id, and a 64-bit packet
 * number (see Documentation/gem/wire-format.rst). A receiver must refuse
 * anything it cannot account for before spending crypto on it: a short
 * payload, another version, a flag it does not know.
 */

#include <asm/unaligned.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "replay.h"
#include "wire.h"

static_assert(sizeof(struct gem_wire_hdr) == GEM_WIRE_HDR_LEN);

void gem_wire_put_hdr(void *buf, u8 key_id, u64 pn)
{
	struct gem_wire_hdr *h = buf;

	h->ver_flags = GEM_WIRE_VERSION << 4;
	h->key_id = key_id;
	put_unaligned_be64(pn, h->pn);
}

int gem_wire_parse(const void *payload, unsigned int len, struct gem_wire *w)
{
	const struct gem_wire_hdr *h = payload;

	if (len < GEM_OVERHEAD)
		return -EBADMSG;
	if (h->ver_flags != GEM_WIRE_VERSION << 4)
		return -EPROTONOSUPPORT;
	w->key_id = h->key_id;
	w->pn = get_unaligned_be64(h->pn);
	if (w->pn == GEM_PN_INVALID)
		return -EBADMSG;
	w->text_len = len - GEM_OVERHEAD;
	return 0;
}

/*
 * The AEAD nonce: the key id, three zero bytes, the packet number. One
 * sender per key and a packet number that only grows make it unique.
 */
void gem_wire_nonce(u8 nonce[GEM_NONCE_LEN], u8 key_id, u64 pn)
{
	nonce[0] = key_id;
	memset(nonce + 1, 0, 3);
	put_unaligned_be64(pn, nonce + 4);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/wire_test.c"
#endif
