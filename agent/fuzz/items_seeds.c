// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a seed corpus for fuzz_tlv into the folder named: every item
 * kind, IPv4 and IPv6, fragmented into TLVs as a neighbour would send it,
 * and a request.
 */
#include <stdio.h>
#include <string.h>

#include "items/gem_frag.h"

struct stream {
	uint8_t buf[4096];
	size_t len;
};

static int emit(const uint8_t *body, size_t blen, void *arg)
{
	struct stream *s = arg;

	s->buf[s->len++] = GEM_TLV_FRAGMENT;
	s->buf[s->len++] = (uint8_t)blen;
	memcpy(s->buf + s->len, body, blen);
	s->len += blen;
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t enc[GEM_ITEM_MAX_LEN], key[GEM_ITEM_KEY_MAX];
	char path[512];
	int kind, fam;

	if (argc != 2)
		return 2;
	for (kind = 1; kind <= GEM_ITEM_KIND_MAX; kind++)
		for (fam = 4; fam <= 16; fam += 12) {
			struct stream s = { .len = 0 };
			struct gem_item it;
			FILE *f;
			int len;

			memset(&it, 0, sizeof(it));
			it.kind = (uint8_t)kind;
			memset(it.origin, kind, sizeof(it.origin));
			it.seqno = 1800000000000ULL;	/* the fuzzer's time of day */
			it.lifetime = 60;
			it.u.sa.source.len = it.u.sa.group.len = (uint8_t)fam;
			it.u.sa.group.addr[0] = fam == 4 ? 239 : 0xff;
			if (kind == GEM_ITEM_SUBSCRIPTION)
				it.u.sub.plen = 8;
			/* One key, and a rotation's two. */
			if (kind == GEM_ITEM_SEK_ANNOUNCE) {
				it.u.sek.n_keys = fam == 4 ? 1 : 2;
				it.u.sek.keys[1].key_id = 1;
			}
			len = gem_item_encode(&it, enc, sizeof(enc));
			if (len < 0 || gem_frag_split(enc, (size_t)len,
						      gem_frag_tag(key, gem_item_key(&it, key, sizeof(key))),
						      emit, &s) < 0)
				return 1;
			s.buf[s.len++] = GEM_TLV_REQUEST;
			s.buf[s.len++] = 0;
			snprintf(path, sizeof(path), "%s/seed-%d-%d", argv[1], kind, fam);
			f = fopen(path, "wb");
			if (!f || fwrite(s.buf, 1, s.len, f) != s.len || fclose(f))
				return 1;
		}
	return 0;
}
