// SPDX-License-Identifier: GPL-2.0
/*
 * gem_forge, capture and replay: the fragments of an origin's SEK Announce
 * as heard, saved, and sent again byte for byte.
 */

#include "forge.h"

struct capture {
	uint8_t origin[GEM_ROUTER_ID_LEN];
	struct frags f;			/* the announcement being gathered, by index */
	uint64_t seqno;
	uint32_t tag;
	uint8_t count;
	uint16_t have;
	bool saved, renewed;
	uint64_t renewed_seqno;
};

/* Fragments of the origin's SEK Announces: the first one whole, then a newer one. */
static int capture_tlv(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	struct capture *c = arg;
	const uint8_t *b = t->u.raw.body;
	uint8_t index, count;
	uint64_t seqno;
	uint32_t tag;

	if (in_trailer || t->type != GEM_TLV_FRAGMENT || t->u.raw.len <= GEM_FRAG_HDR_LEN ||
	    b[0] != GEM_ITEM_SEK_ANNOUNCE || memcmp(b + 2, c->origin, GEM_ROUTER_ID_LEN))
		return 0;
	index = b[1] >> 4;
	count = b[1] & 0x0f;
	seqno = (uint64_t)rd32(b + 10) << 32 | rd32(b + 14);
	tag = rd32(b + 18);
	if (!count || count > GEM_FRAG_COUNT_MAX || index >= count)
		return 0;
	if (c->saved) {
		if (tag == c->tag && gem_seqno_newer(seqno, c->seqno)) {
			c->renewed = true;
			c->renewed_seqno = seqno;
		}
		return 0;
	}
	if (!c->have || seqno != c->seqno || tag != c->tag || count != c->count) {
		c->have = 0;
		c->seqno = seqno;
		c->tag = tag;
		c->count = count;
	}
	memcpy(c->f.body[index], b, t->u.raw.len);
	c->f.len[index] = t->u.raw.len;
	c->have |= (uint16_t)(1u << index);
	return 0;
}

/* The gathered chunks make a well-formed SEK Announce: write its fragments. */
static void save_capture(struct capture *c, const char *path)
{
	uint8_t item[GEM_ITEM_MAX_LEN];
	char src[INET6_ADDRSTRLEN], grp[INET6_ADDRSTRLEN];
	struct gem_item it;
	size_t len = 0, i;
	const char *why;
	FILE *out;

	for (i = 0; i < c->count; i++) {
		size_t chunk = c->f.len[i] - GEM_FRAG_HDR_LEN;

		if (len + chunk > sizeof(item))
			return;
		memcpy(item + len, c->f.body[i] + GEM_FRAG_HDR_LEN, chunk);
		len += chunk;
	}
	if (gem_item_decode(item, len, &it, &why) || it.seqno != c->seqno) {
		c->have = 0;
		return;
	}
	out = fopen(path, "w");
	if (!out)
		die("%s: cannot write", path);
	/* Each fragment as its length byte and its TLV body. */
	for (i = 0; i < c->count; i++) {
		fputc((int)c->f.len[i], out);
		fwrite(c->f.body[i], 1, c->f.len[i], out);
	}
	if (fclose(out))
		die("%s: cannot write", path);
	c->f.n = c->count;
	c->saved = true;
	inet_ntop(it.u.sek.source.len == 4 ? AF_INET : AF_INET6, it.u.sek.source.addr, src,
		  sizeof(src));
	inet_ntop(it.u.sek.group.len == 4 ? AF_INET : AF_INET6, it.u.sek.group.addr, grp,
		  sizeof(grp));
	printf("captured %s -> %s key id %u seqno %llu in %u fragment(s)\n", src, grp,
	       it.u.sek.keys[0].key_id, (unsigned long long)it.seqno, c->count);
	fflush(stdout);
}

void cmd_capture(int argc, char **argv)
{
	struct capture c;
	uint8_t pkt[4096];
	time_t deadline;
	const char *why;
	int fd;

	if (argc < 2 || argc > 3)
		die("usage: IFACE capture FILE ORIGIN [TIMEOUT]");
	memset(&c, 0, sizeof(c));
	parse_router_id(argv[1], c.origin);
	deadline = time(NULL) + (argc > 2 ? atoi(argv[2]) : 60);
	fd = babel_socket(true);
	/* Tell a script waiting on us that what is sent now will be heard. */
	fprintf(stderr, "gem_forge: listening\n");
	while (!c.renewed) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (time(NULL) >= deadline)
			die("%s", c.saved ? "no newer version heard" : "no announcement heard");
		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = recv(fd, pkt, sizeof(pkt), 0);
		if (n <= 0)
			continue;
		/* A malformed packet may have delivered fragments before failing: fine here. */
		babel_packet_parse(pkt, (size_t)n, capture_tlv, &c, &why);
		if (!c.saved && c.count && c.have == (1u << c.count) - 1)
			save_capture(&c, argv[0]);
	}
	printf("renewed: seqno %llu\n", (unsigned long long)c.renewed_seqno);
	close(fd);
}

void cmd_replay(int argc, char **argv)
{
	struct frags f = { .n = 0 };
	FILE *in;
	int l;

	if (argc != 1)
		die("usage: IFACE replay FILE");
	in = fopen(argv[0], "r");
	if (!in)
		die("%s: cannot read", argv[0]);
	while ((l = fgetc(in)) != EOF) {
		if (f.n == GEM_FRAG_COUNT_MAX || !l || fread(f.body[f.n], 1, (size_t)l, in) != (size_t)l)
			die("%s: not a capture", argv[0]);
		f.len[f.n++] = (size_t)l;
	}
	fclose(in);
	if (!f.n)
		die("%s: empty", argv[0]);
	send_fragments(f.body, f.len, f.n);
	printf("replayed %zu fragment(s)\n", f.n);
}
