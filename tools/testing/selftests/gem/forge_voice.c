// SPDX-License-Identifier: GPL-2.0
/*
 * gem_forge, its voice: sockets on Babel's port inside the domain's ESP,
 * RFC 8967 MACs and the challenge handshake, items sent in fragments.
 */

#include "forge.h"

void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...)
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
void esp_socket(int fd)
{
	char err[256];

	if (esp_on && gem_esp_socket(fd, true, err, sizeof(err)))
		die("%s", err);
}

uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void parse_router_id(const char *s, uint8_t *rid)
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

void parse_ip(const char *s, struct gem_ip *ip)
{
	if (inet_pton(AF_INET, s, ip->addr) == 1)
		ip->len = 4;
	else if (inet_pton(AF_INET6, s, ip->addr) == 1)
		ip->len = 16;
	else
		die("not an address: %s", s);
}

/* A socket speaking from port 6696 on the interface, as gemd's does. */
int babel_socket(bool listen)
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

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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
bool voice_send(struct voice *v, const struct in6_addr *addr, const uint8_t *pkt,
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
void handshake(struct voice *vs, unsigned int n, int listen)
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
void voice_open(struct voice *v)
{
	memset(v, 0, sizeof(*v));
	v->fd = babel_socket(true);
	our_linklocal(v->src);
	handshake(v, 1, v->fd);
}

/* One Babel packet of GEM Fragment TLVs; the kernel picks the link-local source. */
void send_fragments(const uint8_t (*bodies)[GEM_TLV_BODY_MAX], const size_t *lens,
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
void send_item(const uint8_t *enc, int len)
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
