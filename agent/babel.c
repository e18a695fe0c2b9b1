// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's Babel speaker: Hellos and IHUs, and the neighbours they make.
 * Packets come from our link-local address on each interface, to
 * ff02::1:6 port 6696, hop limit 1; only link-local sources are heard, as
 * babeld does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "babel.h"
#include "babel_packet.h"
#include "log.h"

static const struct in6_addr babel_group = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x06 }
};

static int link_local(const char *ifname, uint8_t *out)
{
	struct ifaddrs *ifa, *i;
	int ret = -1;

	if (getifaddrs(&ifa))
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)i->ifa_addr;

		if (!s || s->sin6_family != AF_INET6 || strcmp(i->ifa_name, ifname) ||
		    !IN6_IS_ADDR_LINKLOCAL(&s->sin6_addr))
			continue;
		memcpy(out, &s->sin6_addr, 16);
		ret = 0;
		break;
	}
	freeifaddrs(ifa);
	return ret;
}

int babel_open(struct babel *b, const struct gemd_conf *c, const uint8_t *router_id, char *err,
	       size_t errlen)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT) };
	int one = 1, zero = 0, hops = 1;
	unsigned int i;

	memset(b, 0, sizeof(*b));
	memcpy(b->router_id, router_id, 8);
	b->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (b->fd < 0 ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(b->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
	    bind(b->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "babel socket on port %d: %s", BABEL_PORT, strerror(errno));
		babel_close(b);
		return -1;
	}
	for (i = 0; i < c->n_ifaces; i++) {
		struct babel_iface *f = &b->ifaces[i];
		struct ipv6_mreq mr = { .ipv6mr_multiaddr = babel_group };

		snprintf(f->name, sizeof(f->name), "%s", c->ifaces[i].name);
		f->ifindex = if_nametoindex(f->name);
		if (!f->ifindex || link_local(f->name, f->ll)) {
			snprintf(err, errlen, "babel-interface %s: %s", f->name,
				 f->ifindex ? "no IPv6 link-local address" : "no such interface");
			babel_close(b);
			return -1;
		}
		mr.ipv6mr_interface = f->ifindex;
		if (setsockopt(b->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr))) {
			snprintf(err, errlen, "babel-interface %s: joining ff02::1:6: %s", f->name,
				 strerror(errno));
			babel_close(b);
			return -1;
		}
		f->hello_ms = c->ifaces[i].hello_ms ? c->ifaces[i].hello_ms : c->hello_ms;
		f->hello_seqno = (uint16_t)(router_id[0] << 8 | router_id[1]);
		b->n_ifaces++;
	}
	return 0;
}

void babel_close(struct babel *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
}

static void send_packet(struct babel *b, struct babel_iface *f, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = babel_group, .sin6_scope_id = f->ifindex };
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	struct in6_pktinfo pi = { .ipi6_ifindex = f->ifindex };

	memcpy(&pi.ipi6_addr, f->ll, 16);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	if (sendmsg(b->fd, &m, 0) < 0)
		gem_log(GEM_LOG_DEBUG, "%s: send: %s", f->name, strerror(errno));
	else
		b->tx_packets++;
}

/* A Hello, and on every third one an IHU for each neighbour of the interface. */
static void send_hello(struct babel *b, unsigned int fi)
{
	struct babel_iface *f = &b->ifaces[fi];
	struct babel_tlv t = { .type = BABEL_HELLO };
	struct babel_writer w;
	uint8_t pkt[1400];
	unsigned int i;

	babel_writer_init(&w, pkt, sizeof(pkt));
	t.u.hello.seqno = f->hello_seqno++;
	t.u.hello.interval = (uint16_t)((f->hello_ms + 9) / 10);
	babel_write_tlv(&w, &t);
	if (f->hellos++ % 3 == 0) {
		for (i = 0; i < BABEL_PEERS_MAX; i++) {
			struct babel_peer *p = &b->peers[i];

			if (!p->used || p->iface != fi)
				continue;
			memset(&t, 0, sizeof(t));
			t.type = BABEL_IHU;
			t.u.ihu.ae = BABEL_AE_LL;
			t.u.ihu.rxcost = babel_neigh_rxcost(&p->n);
			t.u.ihu.interval = (uint16_t)((3 * f->hello_ms + 9) / 10);
			memcpy(t.u.ihu.addr, p->addr, 16);
			if (babel_write_tlv(&w, &t))
				break;
		}
	}
	send_packet(b, f, pkt, babel_writer_finish(&w));
}

static void log_peer(struct babel *b, struct babel_peer *p)
{
	char a[INET6_ADDRSTRLEN];
	uint16_t cost = babel_neigh_cost(&p->n);

	if (cost == p->logged_cost)
		return;
	p->logged_cost = cost;
	inet_ntop(AF_INET6, p->addr, a, sizeof(a));
	gem_log(GEM_LOG_INFO, "neighbour %s on %s: rxcost %u txcost %u cost %u", a,
		b->ifaces[p->iface].name, babel_neigh_rxcost(&p->n), p->n.txcost, cost);
}

uint64_t babel_run_timers(struct babel *b, uint64_t now_ms)
{
	uint64_t next = now_ms + 60000;
	unsigned int i;

	for (i = 0; i < b->n_ifaces; i++) {
		struct babel_iface *f = &b->ifaces[i];

		if (now_ms >= f->next_hello_ms) {
			send_hello(b, i);
			f->next_hello_ms = now_ms + f->hello_ms;
		}
		if (f->next_hello_ms < next)
			next = f->next_hello_ms;
	}
	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		struct babel_peer *p = &b->peers[i];
		char a[INET6_ADDRSTRLEN];

		if (!p->used)
			continue;
		babel_neigh_tick(&p->n, now_ms);
		log_peer(b, p);
		if (babel_neigh_gone(&p->n)) {
			inet_ntop(AF_INET6, p->addr, a, sizeof(a));
			gem_log(GEM_LOG_INFO, "neighbour %s on %s gone", a,
				b->ifaces[p->iface].name);
			p->used = false;
		}
	}
	return next;
}

struct rx {
	struct babel *b;
	struct babel_peer *peer;
	uint64_t now_ms;
};

static int on_tlv(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	struct rx *r = arg;
	struct babel_iface *f = &r->b->ifaces[r->peer->iface];

	if (in_trailer || t->ignore)
		return 0;
	switch (t->type) {
	case BABEL_HELLO:
		/* Unicast Hellos are not part of the 2-out-of-3 history. */
		if (!(t->u.hello.flags & BABEL_HELLO_UNICAST))
			babel_neigh_hello(&r->peer->n, t->u.hello.seqno, t->u.hello.interval,
					  r->now_ms);
		break;
	case BABEL_IHU:
		/* Only an IHU about us: our address, or any (wildcard). */
		if (t->u.ihu.ae == BABEL_AE_WILDCARD || !memcmp(t->u.ihu.addr, f->ll, 16))
			babel_neigh_ihu(&r->peer->n, t->u.ihu.rxcost, t->u.ihu.interval, r->now_ms);
		break;
	case BABEL_ROUTER_ID:
		memcpy(r->peer->router_id, t->u.router_id.id, 8);
		r->peer->have_router_id = true;
		break;
	}
	return 0;
}

static struct babel_peer *peer_of(struct babel *b, unsigned int fi, const uint8_t *addr)
{
	struct babel_peer *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		struct babel_peer *p = &b->peers[i];

		if (p->used && p->iface == fi && !memcmp(p->addr, addr, 16))
			return p;
		if (!p->used && !free_slot)
			free_slot = p;
	}
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->used = true;
		free_slot->iface = fi;
		memcpy(free_slot->addr, addr, 16);
		babel_neigh_init(&free_slot->n, BABEL_WIRED_RXCOST);
		free_slot->logged_cost = BABEL_COST_INFINITY;
	}
	return free_slot;
}

void babel_receive(struct babel *b, uint64_t now_ms)
{
	uint8_t pkt[4096], cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct sockaddr_in6 from;
	const char *why;

	for (;;) {
		struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
		struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;
		unsigned int ifindex = 0, fi;
		struct rx r = { .b = b, .now_ms = now_ms };
		ssize_t n = recvmsg(b->fd, &m, 0);

		if (n < 0)
			return;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
			if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO)
				ifindex = ((struct in6_pktinfo *)CMSG_DATA(cm))->ipi6_ifindex;
		for (fi = 0; fi < b->n_ifaces && b->ifaces[fi].ifindex != ifindex; fi++)
			;
		if (fi == b->n_ifaces || !IN6_IS_ADDR_LINKLOCAL(&from.sin6_addr) ||
		    ntohs(from.sin6_port) != BABEL_PORT) {
			b->rx_dropped++;
			continue;
		}
		r.peer = peer_of(b, fi, from.sin6_addr.s6_addr);
		if (!r.peer) {
			b->rx_dropped++;
			continue;
		}
		if (babel_packet_parse(pkt, (size_t)n, on_tlv, &r, &why)) {
			gem_log(GEM_LOG_DEBUG, "%s: packet dropped: %s", b->ifaces[fi].name, why);
			b->rx_dropped++;
			continue;
		}
		b->rx_packets++;
		log_peer(b, r.peer);
	}
}
