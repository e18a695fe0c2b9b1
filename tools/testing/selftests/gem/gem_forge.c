// SPDX-License-Identifier: GPL-2.0
/*
 * gem_forge: an attacker on a Babel segment, for gemd_forged.sh. It makes
 * GEM items with keys it is given and puts them on the wire the way a
 * Babel speaker would (link-local source, port 6696, to ff02::1:6), or
 * captures a genuine announcement to replay it later.
 *
 *   gem_forge [-s SEQNO] IFACE pubkey IDFILE [ORIGIN]
 *	a Public Key item of IDFILE's key, in ORIGIN's name (its own by
 *	default)
 *   gem_forge [-s SEQNO] IFACE sek IDFILE GAKFILE SOURCE GROUP [ORIGIN]
 *	an SEK Announce of a random stream key (key id 1) sealed for GROUP
 *	under GAKFILE, MACed with it, signed with IDFILE, in ORIGIN's name
 *   gem_forge IFACE capture FILE ORIGIN [TIMEOUT]
 *	saves the fragments of the first SEK Announce of ORIGIN heard, then
 *	waits (TIMEOUT seconds, 60 by default) until a newer version of it
 *	is heard
 *   gem_forge IFACE replay FILE
 *	sends the captured fragments again, byte for byte
 *   gem_forge IFACE speak ROUTER-ID PREFIX SECONDS
 *	speaks Babel as a router would for SECONDS: every 300 ms a Hello,
 *	an IHU to anyone (wildcard), its ROUTER-ID and a route to the IPv6
 *	PREFIX, to become a neighbour and have its route installed
 *
 *   gem_forge IFACE ask ORIGIN|all COUNT PPS SECONDS
 *	PPS packets a second, each a Hello and COUNT GEM Requests: for
 *	ORIGIN's items (its kinds in turn), or for everything
 *   gem_forge IFACE crowd COUNT SECONDS
 *	neighbours made up by the dozen: a Hello and an IHU every 300 ms
 *	from each of fe80::6:1 to fe80::6:COUNT (the test puts them on IFACE)
 *
 * -b BKFILE speaks as a node of the domain does under that Bootstrap Key:
 * inside the control plane's ESP (it installs the SA in its network
 * namespace, and its sockets' policies, with gemd's own code) and with
 * RFC 8967 MACs, answering the challenges gemd sends a new neighbour.
 * -m BKFILE the MACs alone, for a domain with control-esp no.
 * -d DEST sends to DEST (an IPv6 address on IFACE: a gemd's link-local
 * address, ff02::1) instead of ff02::1:6, as RFC 8966 lets a Babel
 * speaker send unicast; what gemd takes must be protected whatever the
 * destination.
 * ORIGIN is a router-id as gemd prints it (xxxx:xxxx:xxxx:xxxx). With
 * -s, a forged item has sequence number SEQNO; a test forging in another
 * node's name gives one newer than that node's, so that only the keys,
 * never the item's age, can make a receiver refuse it. Without, it is
 * the wall clock in milliseconds, as gemd numbers its own.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <ifaddrs.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "gemd/announce.h"
#include "babel/babel_mac.h"
#include "babel/babel_packet.h"
#include "lib/esp.h"
#include "lib/keyfile.h"
#include "items/gem_frag.h"

#define FORGED_LIFETIME	60

static const struct in6_addr babel_group = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x06 }
};

static unsigned int ifindex;
static uint64_t forged_seqno;
static struct in6_addr dest = babel_group;
static bool esp_on, mac_on;
static struct gem_esp_key esp;	/* the BK's subkeys: the SA's, and the MAC key */


static void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gem_forge: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

/* The socket's packets inside the BK's ESP, with -b. */
static void esp_socket(int fd)
{
	char err[256];

	if (esp_on && gem_esp_socket(fd, true, err, sizeof(err)))
		die("%s", err);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void parse_router_id(const char *s, uint8_t *rid)
{
	char hex[2 * GEM_ROUTER_ID_LEN + 1];
	size_t n = 0, binlen;
	const char *p;

	for (p = s; *p; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || n == sizeof(hex) - 1)
			die("not a router-id: %s", s);
		hex[n++] = *p;
	}
	hex[n] = 0;
	if (sodium_hex2bin(rid, GEM_ROUTER_ID_LEN, hex, n, NULL, &binlen, NULL) ||
	    binlen != GEM_ROUTER_ID_LEN)
		die("not a router-id: %s", s);
}

static void parse_ip(const char *s, struct gem_ip *ip)
{
	if (inet_pton(AF_INET, s, ip->addr) == 1)
		ip->len = 4;
	else if (inet_pton(AF_INET6, s, ip->addr) == 1)
		ip->len = 16;
	else
		die("not an address: %s", s);
}

/* A socket speaking from port 6696 on the interface, as gemd's does. */
static int babel_socket(bool listen)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT) };
	struct ipv6_mreq mr = { .ipv6mr_multiaddr = babel_group, .ipv6mr_interface = ifindex };
	int one = 1, hops = 1, fd;

	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("socket on port 6696: %s", strerror(errno));
	esp_socket(fd);
	if (listen && setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)))
		die("joining ff02::1:6: %s", strerror(errno));
	return fd;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One of our voices: a socket, its source address, its packet counter. */
struct voice {
	int fd;
	uint8_t src[16];
	struct babel_mac_sender mac;
};

/* The first link-local address of the interface: what the kernel sends from. */
static void our_linklocal(uint8_t *src)
{
	struct ifaddrs *all, *a;

	if (getifaddrs(&all))
		die("getifaddrs: %s", strerror(errno));
	for (a = all; a; a = a->ifa_next) {
		const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *)a->ifa_addr;

		if (sa && sa->sin6_family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&sa->sin6_addr) &&
		    if_nametoindex(a->ifa_name) == ifindex) {
			memcpy(src, &sa->sin6_addr, 16);
			freeifaddrs(all);
			return;
		}
	}
	die("no link-local address on the interface");
}

/* pkt (a finished packet) from v to addr, sealed with a MAC with -b or -m. */
static bool voice_send(struct voice *v, const struct in6_addr *addr, const uint8_t *pkt,
		       size_t len)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = *addr, .sin6_scope_id = ifindex };
	uint8_t buf[1600];

	if (len + BABEL_MAC_ROOM > sizeof(buf))
		die("a packet of %zu bytes is too long", len);
	memcpy(buf, pkt, len);
	if (mac_on && !(len = babel_mac_seal(esp.mac, &v->mac, v->src, to.sin6_addr.s6_addr, buf,
					     len, sizeof(buf))))
		die("cannot seal a packet");
	return sendto(v->fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len;
}

/* The nonce of a Challenge Request in pkt, if it carries one. */
static const uint8_t *challenge_of(const uint8_t *pkt, size_t len, uint8_t *nlen)
{
	size_t i, end;

	if (len < BABEL_HDR_LEN || pkt[0] != BABEL_MAGIC)
		return NULL;
	end = BABEL_HDR_LEN + (size_t)(pkt[2] << 8 | pkt[3]);
	for (i = BABEL_HDR_LEN; i + 2 <= end && end <= len;) {
		if (pkt[i] == BABEL_PAD1) {
			i++;
			continue;
		}
		if (pkt[i] == BABEL_TLV_CHALLENGE_REQ && i + 2 + pkt[i + 1] <= end) {
			*nlen = pkt[i + 1];
			return pkt + i + 2;
		}
		i += 2 + (size_t)pkt[i + 1];
	}
	return NULL;
}

/*
 * With MACs a gemd takes nothing of a new neighbour until it echoed a
 * Challenge Request: each voice says Hello, and every request heard
 * within 3 s (until 0.5 s after the last) is answered: unicast from the
 * voice it came to, or under ESP to all from the voice whose address
 * begins its nonce, as gemd does. listen is
 * a socket joined to ff02::1:6 on Babel's port (it may be a voice's).
 */
static void handshake(struct voice *vs, unsigned int n, int listen)
{
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.interval = 400 };
	struct pollfd pf[1025];
	struct babel_writer w;
	uint8_t pkt[1500], reply[256];
	double end = 0, last = 0;
	unsigned int i, k, answered = 0;
	unsigned int w_i = 0;
	size_t len;

	if (!mac_on)
		return;
	babel_writer_init(&w, pkt, 64);
	babel_write_tlv(&w, &hello);
	len = babel_writer_finish(&w);
	for (i = 0; i < n; i++)
		voice_send(&vs[i], &babel_group, pkt, len);
	pf[0].fd = listen;
	pf[0].events = POLLIN;
	for (i = 0; i < n && i < 1024; i++) {
		pf[i + 1].fd = vs[i].fd == listen ? -1 : vs[i].fd;
		pf[i + 1].events = POLLIN;
	}
	for (end = now_s() + 3; now_s() < end && (!answered || now_s() < last + 0.5);) {
		if (poll(pf, i + 1, 100) <= 0)
			continue;
		for (k = 0; k <= i; k++) {
			struct sockaddr_in6 from;
			socklen_t fl = sizeof(from);
			const uint8_t *nonce;
			uint8_t nlen = 0;
			ssize_t got;

			if (pf[k].fd < 0 || !(pf[k].revents & POLLIN))
				continue;
			got = recvfrom(pf[k].fd, pkt, sizeof(pkt), MSG_DONTWAIT,
				       (struct sockaddr *)&from, &fl);
			if (got <= 0 || !(nonce = challenge_of(pkt, (size_t)got, &nlen)))
				continue;
			/* Under ESP a challenge to all names whom it challenges. */
			if (esp_on) {
				for (w_i = 0; w_i < n; w_i++)
					if (nlen >= 16 && !memcmp(nonce, vs[w_i].src, 16))
						break;
				if (w_i == n)
					continue;
			}
			babel_writer_init(&w, reply, sizeof(reply) - BABEL_MAC_ROOM);
			if (babel_write_raw(&w, BABEL_TLV_CHALLENGE_REPLY, nonce, nlen))
				continue;
			len = babel_writer_finish(&w);
			if (esp_on) {
				voice_send(&vs[w_i], &babel_group, reply, len);
			} else {
				voice_send(&vs[k ? k - 1 : 0], &from.sin6_addr, reply, len);
			}
			answered++;
			last = now_s();
		}
	}
	if (!answered)
		fprintf(stderr, "gem_forge: no challenge heard: does anyone listen?\n");
}

/* A voice on Babel's port from the interface's own address, challenges answered. */
static void voice_open(struct voice *v)
{
	memset(v, 0, sizeof(*v));
	v->fd = babel_socket(true);
	our_linklocal(v->src);
	handshake(v, 1, v->fd);
}

/* One Babel packet of GEM Fragment TLVs; the kernel picks the link-local source. */
static void send_fragments(const uint8_t (*bodies)[GEM_TLV_BODY_MAX], const size_t *lens,
			   size_t n)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = dest, .sin6_scope_id = ifindex };
	uint8_t pkt[1500];
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.interval = 400 };
	struct babel_writer w;
	struct voice v;
	size_t i, len;

	babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
	/* gemd hears packets only from senders that say Hello, as any node would. */
	babel_write_tlv(&w, &hello);
	for (i = 0; i < n; i++)
		if (babel_write_raw(&w, GEM_TLV_FRAGMENT, bodies[i], lens[i]))
			die("the fragments do not fit one packet");
	len = babel_writer_finish(&w);
	voice_open(&v);
	if (!voice_send(&v, &to.sin6_addr, pkt, len))
		die("send: %s", strerror(errno));
	close(v.fd);
}

struct frags {
	uint8_t body[GEM_FRAG_COUNT_MAX][GEM_TLV_BODY_MAX];
	size_t len[GEM_FRAG_COUNT_MAX];
	size_t n;
};

static int collect(const uint8_t *body, size_t blen, void *arg)
{
	struct frags *f = arg;

	if (f->n == GEM_FRAG_COUNT_MAX)
		return -1;
	memcpy(f->body[f->n], body, blen);
	f->len[f->n++] = blen;
	return 0;
}

/* An encoded item into fragments, as gemd floods it, and onto the wire. */
static void send_item(const uint8_t *enc, int len)
{
	struct frags f = { .n = 0 };
	uint8_t key[GEM_ITEM_KEY_MAX];
	struct gem_item it;
	const char *why;
	size_t klen;

	if (len < 0 || gem_item_decode(enc, (size_t)len, &it, &why))
		die("could not make the item");
	klen = gem_item_key(&it, key, sizeof(key));
	if (gem_frag_split(enc, (size_t)len, gem_frag_tag(key, klen), collect, &f) < 0)
		die("could not fragment the item");
	send_fragments(f.body, f.len, f.n);
	printf("sent kind %u seqno %llu in %zu fragment(s)\n", it.kind,
	       (unsigned long long)it.seqno, f.n);
}

/*
 * The signer's identity, speaking in origin's name when one is given:
 * gem_announce_seal takes the origin from the identity's router-id and
 * signs with its secret key, so the item claims origin and is signed by
 * a key whose hash is not origin.
 */
static void load_signer(const char *idfile, const char *origin, struct gem_identity *id)
{
	char err[256];

	if (gem_identity_load(idfile, id, err, sizeof(err)))
		die("%s", err);
	if (origin)
		parse_router_id(origin, id->router_id);
}

static void cmd_pubkey(int argc, char **argv)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_identity id;
	struct gem_item it;

	if (argc < 1 || argc > 2)
		die("usage: IFACE pubkey IDFILE [ORIGIN]");
	load_signer(argv[0], argc > 1 ? argv[1] : NULL, &id);
	memset(&it, 0, sizeof(it));
	it.kind = GEM_ITEM_PUBLIC_KEY;
	it.seqno = forged_seqno;
	it.lifetime = FORGED_LIFETIME;
	memcpy(it.u.pubkey.key, id.pk, GEM_PUBKEY_LEN);
	send_item(buf, gem_announce_seal(&id, NULL, &it, buf, sizeof(buf)));
	gem_identity_wipe(&id);
}

static void cmd_sek(int argc, char **argv)
{
	uint8_t buf[GEM_ITEM_MAX_LEN], sek[GEM_SEK_BYTES];
	struct gem_announce_key key = { .key_id = 1 };
	struct gem_ip source, group;
	struct gem_identity id;
	struct gem_gak g;
	char err[256];

	if (argc < 4 || argc > 5)
		die("usage: IFACE sek IDFILE GAKFILE SOURCE GROUP [ORIGIN]");
	load_signer(argv[0], argc > 4 ? argv[4] : NULL, &id);
	if (gem_gak_load(argv[1], &g, err, sizeof(err)))
		die("%s", err);
	parse_ip(argv[2], &source);
	parse_ip(argv[3], &group);
	if (source.len != group.len)
		die("source and group must be of one family");
	/* Key id 1, as gemd's own: accepted, it would replace the genuine key. */
	randombytes_buf(sek, sizeof(sek));
	key.sek = sek;
	send_item(buf, gem_announce_sek(&id, &g, &source, &group, &key, 1,
					forged_seqno, FORGED_LIFETIME,
					buf, sizeof(buf)));
	sodium_memzero(sek, sizeof(sek));
	gem_identity_wipe(&id);
	gem_gak_wipe(&g);
}

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

static void cmd_capture(int argc, char **argv)
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

static void cmd_replay(int argc, char **argv)
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

/*
 * A router that wants to be a neighbour: Hellos, an IHU that claims a
 * good link to everyone, and one route. A gemd that takes this lists it
 * among its neighbours and installs the route (install-routes).
 */
static void cmd_speak(int argc, char **argv)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = dest, .sin6_scope_id = ifindex };
	struct babel_tlv t;
	struct babel_writer w;
	struct in6_addr prefix;
	unsigned int plen, n, sent = 0;
	char *slash, *end;
	uint8_t pkt[512];
	double secs;
	struct voice v;
	size_t len;

	if (argc != 3)
		die("usage: IFACE speak ROUTER-ID PREFIX SECONDS");
	slash = strchr(argv[1], '/');
	if (!slash)
		die("not a prefix: %s", argv[1]);
	*slash = 0;
	plen = (unsigned int)strtoul(slash + 1, &end, 10);
	if (*end || plen > 128 || inet_pton(AF_INET6, argv[1], &prefix) != 1)
		die("not an IPv6 prefix: %s/%s", argv[1], slash + 1);
	secs = atof(argv[2]);
	voice_open(&v);
	for (n = 0; n < secs / 0.3; n++) {
		babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_HELLO;
		t.u.hello.seqno = (uint16_t)n;
		t.u.hello.interval = 30;
		babel_write_tlv(&w, &t);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_IHU;
		t.u.ihu.ae = BABEL_AE_WILDCARD;
		t.u.ihu.rxcost = 96;
		t.u.ihu.interval = 90;
		babel_write_tlv(&w, &t);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_ROUTER_ID;
		parse_router_id(argv[0], t.u.router_id.id);
		babel_write_tlv(&w, &t);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_UPDATE;
		t.u.update.ae = BABEL_AE_IPV6;
		t.u.update.plen = (uint8_t)plen;
		t.u.update.interval = 100;
		t.u.update.seqno = 1;
		t.u.update.metric = 0;
		memcpy(t.u.update.prefix, &prefix, 16);
		if (babel_write_tlv(&w, &t))
			die("the update does not fit");
		len = babel_writer_finish(&w);
		if (voice_send(&v, &to.sin6_addr, pkt, len))
			sent++;
		usleep(300000);
	}
	close(v.fd);
	printf("sent %u of %u packets\n", sent, n);
}


/* Requests by the packetful: what one small packet makes a gemd send. */
static void cmd_ask(int argc, char **argv)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = dest, .sin6_scope_id = ifindex };
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.interval = 400 };
	struct gem_request q = { .kind = 0 };
	unsigned int count, pps, i = 0, sent = 0, n = 0;
	struct babel_writer w;
	uint8_t pkt[1400], body[32];
	double secs, end;
	struct voice v;
	size_t len;
	int blen;

	if (argc != 4)
		die("usage: IFACE ask ORIGIN|all COUNT PPS SECONDS");
	if (strcmp(argv[0], "all"))
		parse_router_id(argv[0], q.origin);
	count = (unsigned int)atoi(argv[1]);
	pps = (unsigned int)atoi(argv[2]);
	secs = atof(argv[3]);
	if (!count || !pps)
		die("COUNT and PPS must be positive");
	voice_open(&v);
	for (end = now_s() + secs; now_s() < end; n++) {
		babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
		hello.u.hello.seqno = (uint16_t)n;
		babel_write_tlv(&w, &hello);
		for (i = 0; i < count; i++) {
			/* An origin's items, one kind after another (1 to 4). */
			if (strcmp(argv[0], "all"))
				q.kind = (uint8_t)(i % 4 + 1);
			blen = gem_request_encode(&q, body, sizeof(body));
			if (blen < 0 || babel_write_raw(&w, GEM_TLV_REQUEST, body, (size_t)blen))
				break;
		}
		len = babel_writer_finish(&w);
		if (voice_send(&v, &to.sin6_addr, pkt, len))
			sent++;
		usleep(1000000 / pps);
	}
	close(v.fd);
	printf("sent %u packets of %u requests\n", sent, i);
}

/* Neighbours made up by the dozen, each from an address of its own. */
static void cmd_crowd(int argc, char **argv)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = dest, .sin6_scope_id = ifindex };
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.interval = 30 };
	struct babel_tlv ihu = { .type = BABEL_IHU, .u.ihu.ae = BABEL_AE_WILDCARD,
				 .u.ihu.rxcost = 96, .u.ihu.interval = 90 };
	unsigned int count, i, n;
	static struct voice vs[1024];
	int one = 1, listen;
	struct babel_writer w;
	uint8_t pkt[64 + BABEL_MAC_ROOM];
	double secs;
	size_t len;

	if (argc != 2)
		die("usage: IFACE crowd COUNT SECONDS");
	count = (unsigned int)atoi(argv[0]);
	secs = atof(argv[1]);
	if (!count || count > 1024)
		die("COUNT is 1 to 1024");
	for (i = 0; i < count; i++) {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
					   .sin6_scope_id = ifindex };

		sa.sin6_addr.s6_addr[0] = 0xfe;
		sa.sin6_addr.s6_addr[1] = 0x80;
		sa.sin6_addr.s6_addr[13] = 6;
		sa.sin6_addr.s6_addr[14] = (uint8_t)((i + 1) >> 8);
		sa.sin6_addr.s6_addr[15] = (uint8_t)(i + 1);
		vs[i].fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (vs[i].fd < 0 ||
		    setsockopt(vs[i].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    bind(vs[i].fd, (struct sockaddr *)&sa, sizeof(sa)))
			die("socket %u: %s", i + 1, strerror(errno));
		memcpy(vs[i].src, &sa.sin6_addr, 16);
		esp_socket(vs[i].fd);
	}
	listen = babel_socket(true);
	handshake(vs, count, listen);
	for (n = 0; n < secs / 0.3; n++) {
		babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
		hello.u.hello.seqno = (uint16_t)n;
		babel_write_tlv(&w, &hello);
		babel_write_tlv(&w, &ihu);
		len = babel_writer_finish(&w);
		for (i = 0; i < count; i++)
			voice_send(&vs[i], &to.sin6_addr, pkt, len);
		usleep(300000);
	}
	for (i = 0; i < count; i++)
		close(vs[i].fd);
	close(listen);
	printf("%u neighbours made up for %u rounds\n", count, n);
}

int main(int argc, char **argv)
{
	struct timespec now;
	char *end;
	int opt;

	clock_gettime(CLOCK_REALTIME, &now);
	forged_seqno = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
	while ((opt = getopt(argc, argv, "+s:d:b:m:")) != -1) {
		unsigned long long v;

		if (opt == 'b' || opt == 'm') {
			uint8_t bk[GEM_BK_LEN];
			char err[256];
			size_t len;

			if (gem_keyfile_read(optarg, bk, GEM_BK_LEN, GEM_BK_LEN, &len, err,
					     sizeof(err)))
				die("%s", err);
			gem_esp_derive(bk, &esp);
			sodium_memzero(bk, sizeof(bk));
			mac_on = true;
			if (opt == 'm')
				continue;
			if (gem_esp_install(&esp, err, sizeof(err)))
				die("%s", err);
			esp_on = true;
			continue;
		}

		if (opt == 'd') {
			if (inet_pton(AF_INET6, optarg, &dest) != 1)
				die("-d: not an IPv6 address: %s", optarg);
			continue;
		}
		if (opt != 's')
			return 2;
		errno = 0;
		v = strtoull(optarg, &end, 0);
		if (errno || *end || !*optarg)
			die("-s: not a sequence number: %s", optarg);
		forged_seqno = v;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3) {
		fprintf(stderr, "usage: gem_forge [-s SEQNO] [-d DEST] [-b|-m BKFILE] IFACE "
			"pubkey|sek|capture|replay|speak ARGS...\n");
		return 2;
	}
	if (sodium_init() < 0)
		die("libsodium failed to initialise");
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		die("no interface %s", argv[1]);
	if (!strcmp(argv[2], "pubkey"))
		cmd_pubkey(argc - 3, argv + 3);
	else if (!strcmp(argv[2], "sek"))
		cmd_sek(argc - 3, argv + 3);
	else if (!strcmp(argv[2], "capture"))
		cmd_capture(argc - 3, argv + 3);
	else if (!strcmp(argv[2], "replay"))
		cmd_replay(argc - 3, argv + 3);
	else if (!strcmp(argv[2], "speak"))
		cmd_speak(argc - 3, argv + 3);
	else if (!strcmp(argv[2], "ask"))
		cmd_ask(argc - 3, argv + 3);
	else if (!strcmp(argv[2], "crowd"))
		cmd_crowd(argc - 3, argv + 3);
	else
		die("unknown command %s", argv[2]);
	return 0;
}
