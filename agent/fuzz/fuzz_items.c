// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: a stream of GEM TLVs as a neighbour might send them
 * (type, length, body), through reassembly, item decoding, the state
 * store and requests. A decoded item must encode back to the same bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "items/gem_frag.h"
#include "items/gem_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct gem_reasm r;
	static struct gem_state s;
	uint8_t item[GEM_ITEM_MAX_LEN], again[GEM_ITEM_MAX_LEN];
	struct gem_request q;
	struct gem_item it;
	const char *why;
	size_t off = 0, ilen;
	uint64_t now = 0;

	if (!s.e && gem_state_init(&s, 64, 8, 60000))
		abort();
	memset(&r, 0, sizeof(r));
	while (off + 2 <= size) {
		uint8_t type = data[off], len = data[off + 1];
		const uint8_t *body = data + off + 2;

		if (off + 2 + len > size)
			break;
		off += 2 + (size_t)len;
		now += 100;
		if (type == GEM_TLV_REQUEST) {
			gem_request_decode(body, len, &q, &why);
			continue;
		}
		if (type != GEM_TLV_FRAGMENT)
			continue;
		if (gem_reasm_add(&r, body, len, now, item, &ilen, &why) != 1)
			continue;
		if (ilen > GEM_ITEM_MAX_LEN)
			abort();
		if (!gem_item_decode(item, ilen, &it, &why)) {
			int elen = gem_item_encode(&it, again, sizeof(again));

			if (elen != (int)ilen || memcmp(item, again, ilen))
				abort();
		}
		/* Made at any time: old, current or future, relayed or checked. */
		gem_state_offer(&s, item, ilen, (uint8_t)(ilen % 3), now, 1800000000000ULL + now);
	}
	gem_state_expire(&s, now + 100000000, NULL, NULL);
	return 0;
}
