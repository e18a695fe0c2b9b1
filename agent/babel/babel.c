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
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "babel.h"
#include "gemd/events.h"
#include "babel_packet.h"
#include "lib/log.h"
#include "rtnl_route.h"

static const struct in6_addr babel_group = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x06 }
};

/*
 * Our link-local address on ifindex that can be a source now: one still
 * in duplicate address detection (tentative) or that failed it cannot, and
 * the kernel refuses to send from it. /proc/net/if_inet6 has the flags
 * (getifaddrs does not): address, ifindex, prefix length, scope, flags,
 * name. The address in use is kept while it stays usable.
 */
static int link_local(unsigned int ifindex, const uint8_t *now, uint8_t *out)
{
	unsigned int idx, plen, scope, flags;
	bool found = false;
	char hex[33], line[160];
	FILE *f = fopen("/proc/net/if_inet6", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		uint8_t a[16];
		unsigned int i, byte;

		if (sscanf(line, "%32s %x %x %x %x", hex, &idx, &plen, &scope, &flags) != 5 ||
		    strlen(hex) != 32 || idx != ifindex || scope != 0x20 ||
		    (flags & (0x40 | 0x08)))	/* IFA_F_TENTATIVE, IFA_F_DADFAILED */
			continue;
		for (i = 0; i < 16 && sscanf(hex + 2 * i, "%2x", &byte) == 1; i++)
			a[i] = (uint8_t)byte;
		if (i < 16)
			continue;
		if (!found || !memcmp(a, now, 16))
			memcpy(out, a, 16);
		found = true;
	}
	fclose(f);
	return found ? 0 : -1;
}

/*
 * Whether an interface can carry Babel now: it exists, we joined
 * ff02::1:6 on it, and it has a usable link-local address. gemd may start
 * before any of that (at boot, or while the address is tentative), and an
 * interface can go and come back: each time it comes up, our first Hello
 * asks for everything again and the neighbours hear everything at once.
 */
static void iface_check(struct babel *b, struct babel_iface *f, uint64_t now_ms)
{
	struct ipv6_mreq mr = { .ipv6mr_multiaddr = babel_group };
	unsigned int ifindex = if_nametoindex(f->name);
	const char *why = NULL;
	uint8_t ll[16] = { 0 };

	if (ifindex != f->ifindex) {
		if (f->joined) {
			mr.ipv6mr_interface = f->ifindex;
			setsockopt(b->fd, IPPROTO_IPV6, IPV6_LEAVE_GROUP, &mr, sizeof(mr));
		}
		/* Another interface by that name: it comes up afresh, asking for everything. */
		f->joined = false;
		f->up = false;
		f->ifindex = ifindex;
	}
	if (!ifindex) {
		why = "no such interface";
	} else if (link_local(ifindex, f->ll, ll)) {
		why = "no usable IPv6 link-local address (none yet, or still tentative)";
	} else if (!f->joined) {
		mr.ipv6mr_interface = ifindex;
		f->joined = !setsockopt(b->fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr));
		if (!f->joined)
			why = "cannot join ff02::1:6";
	}
	if (why) {
		if (f->up || f->down_why != why)
			gem_log(GEM_LOG_WARNING, "babel-interface %s: %s; not speaking Babel on it",
				f->name, why);
		f->up = false;
		f->down_why = why;
		return;
	}
	memcpy(f->ll, ll, 16);
	if (f->up)
		return;
	gem_log(GEM_LOG_INFO, "babel-interface %s: up", f->name);
	f->up = true;
	f->down_why = NULL;
	f->hellos = 0;
	f->next_hello_ms = now_ms;
	f->next_update_ms = now_ms;
	f->next_items_ms = 0;
}

int babel_open(struct babel *b, const struct gemd_conf *c, const uint8_t *router_id, char *err,
	       size_t errlen)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT) };
	int one = 1, zero = 0, hops = 1, bufsize = 4 << 20;
	unsigned int i;

	memset(b, 0, sizeof(*b));
	memcpy(b->router_id, router_id, 8);
	b->table = calloc(1, sizeof(*b->table));
	if (!b->table) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	b->install = c->install_routes;
	for (i = 0; i < c->n_announce; i++) {
		b->announce[i].v4 = c->announce[i].len == 4;
		b->announce[i].plen = (uint8_t)c->announce[i].prefixlen;
		memcpy(b->announce[i].addr, c->announce[i].bytes, (size_t)c->announce[i].len);
	}
	b->n_announce = c->n_announce;
	/*
	 * No SO_REUSEADDR: with it, any local user could bind port 6696
	 * beside gemd (UDP shares a port between sockets that both set it,
	 * whoever owns them) and take unicast Babel meant for gemd.
	 */
	b->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (b->fd < 0 ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) ||
	    setsockopt(b->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) ||
	    bind(b->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		snprintf(err, errlen, "babel socket on port %d: %s", BABEL_PORT, strerror(errno));
		babel_close(b);
		return -1;
	}
	/*
	 * A dump to a new neighbour is every item at once: with 1000
	 * streams, 2000 items in some 400 packets, more than the default
	 * buffers hold at either end. gemd runs as root and may pass
	 * {r,w}mem_max.
	 */
	if (setsockopt(b->fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize, sizeof(bufsize)))
		setsockopt(b->fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof(bufsize));
	if (setsockopt(b->fd, SOL_SOCKET, SO_SNDBUFFORCE, &bufsize, sizeof(bufsize)))
		setsockopt(b->fd, SOL_SOCKET, SO_SNDBUF, &bufsize, sizeof(bufsize));
	for (i = 0; i < c->n_ifaces; i++) {
		struct babel_iface *f = &b->ifaces[i];

		snprintf(f->name, sizeof(f->name), "%s", c->ifaces[i].name);
		f->hello_ms = c->ifaces[i].hello_ms ? c->ifaces[i].hello_ms : c->hello_ms;
		f->update_ms = c->ifaces[i].update_ms ? c->ifaces[i].update_ms : c->update_ms;
		f->hello_seqno = (uint16_t)(router_id[0] << 8 | router_id[1]);
		b->n_ifaces++;
	}
	return 0;
}

void babel_close(struct babel *b)
{
	unsigned int i;

	/* What we put in the kernel goes with us. */
	for (i = 0; i < BABEL_ROUTES_MAX; i++)
		if (b->installed[i].used)
			rtnl_route(false, b->installed[i].prefix.v4, b->installed[i].prefix.addr,
				   b->installed[i].prefix.plen, b->installed[i].via,
				   b->installed[i].ifindex, 0);
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	sodium_memzero(b->mac_key, sizeof(b->mac_key));
	free(b->table);
	b->table = NULL;
}

/*
 * pkt to dst (NULL: ff02::1:6) on f, sealed with a MAC when MACs are on;
 * every packet is built with BABEL_MAC_ROOM to spare.
 */
static void send_packet_to(struct babel *b, struct babel_iface *f, const uint8_t *dst,
			   const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
				   .sin6_addr = babel_group, .sin6_scope_id = f->ifindex };
	char cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))] = { 0 };
	uint8_t sealed[BABEL_PACKET_MAX + BABEL_MAC_ROOM];
	struct iovec iov = { .iov_base = (void *)pkt, .iov_len = len };
	struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	struct in6_pktinfo pi = { .ipi6_ifindex = f->ifindex };

	if (!f->up || b->silent)
		return;
	if (dst)
		memcpy(&to.sin6_addr, dst, 16);
	if (b->mac) {
		if (len > BABEL_PACKET_MAX)
			return;
		memcpy(sealed, pkt, len);
		len = babel_mac_seal(b->mac_key, &f->mac, f->ll, to.sin6_addr.s6_addr, sealed, len,
				     sizeof(sealed));
		if (!len)
			return;
		iov.iov_base = sealed;
		iov.iov_len = len;
	}
	memcpy(&pi.ipi6_addr, f->ll, 16);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	if (sendmsg(b->fd, &m, 0) >= 0) {
		b->tx_packets++;
		return;
	}
	/*
	 * Lost: the address may have gone (EINVAL, EADDRNOTAVAIL), so look
	 * again now; and every item goes out with the next update.
	 */
	gem_log(GEM_LOG_DEBUG, "%s: send: %s", f->name, strerror(errno));
	b->tx_errors++;
	b->next_check_ms = 0;
	f->next_items_ms = 0;
}

static void send_packet(struct babel *b, struct babel_iface *f, const uint8_t *pkt, size_t len)
{
	send_packet_to(b, f, NULL, pkt, len);
}

/*
 * A Challenge Request (our nonce for p) or Reply (echoing nonce) to p:
 * unicast, as RFC 8967 has it, or to ff02::1:6 where gemd's ESP carries
 * no unicast (the nonce binds it to its requester, the MAC and source to
 * its sender).
 */
static void send_challenge(struct babel *b, struct babel_peer *p, uint8_t type,
			   const uint8_t *nonce, size_t len)
{
	uint8_t pkt[512];
	struct babel_writer w;

	babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
	if (babel_write_raw(&w, type, nonce, len))
		return;
	send_packet_to(b, &b->ifaces[p->iface], b->mac_multicast ? NULL : p->addr, pkt,
		       babel_writer_finish(&w));
}

/* A Hello, and on every third one an IHU for each neighbour of the interface. */
static void send_hello(struct babel *b, unsigned int fi)
{
	struct babel_iface *f = &b->ifaces[fi];
	struct babel_tlv t = { .type = BABEL_HELLO };
	struct babel_writer w;
	uint8_t pkt[BABEL_PACKET_MAX];
	unsigned int i;

	babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
	t.u.hello.seqno = f->hello_seqno++;
	t.u.hello.interval = (uint16_t)((f->hello_ms + 9) / 10);
	babel_write_tlv(&w, &t);
	if (!f->hellos) {
		/*
		 * Just started: ask the neighbours for everything at once (a
		 * wildcard Route Request, which babeld answers too, and a GEM
		 * Request for every item) rather than wait for their next dump.
		 */
		struct gem_request q = { .kind = 0 };
		uint8_t body[32];
		int blen = gem_request_encode(&q, body, sizeof(body));

		memset(&t, 0, sizeof(t));
		t.type = BABEL_ROUTE_REQ;
		t.u.route_req.ae = BABEL_AE_WILDCARD;
		babel_write_tlv(&w, &t);
		/* "Everything" is a Request with an empty body. */
		if (blen >= 0)
			babel_write_raw(&w, GEM_TLV_REQUEST, body, (size_t)blen);
	}
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

/* A full dump of our routes on one interface, in as many packets as it takes. */
struct dump {
	struct babel *b;
	unsigned int fi;
	struct babel_writer w;
	uint8_t pkt[BABEL_PACKET_MAX];
	const uint8_t *rid;		/* the router-id the packet speaks for now */
	unsigned int items;		/* written, for the debug log */
	size_t bytes;			/* sent */
};

static void dump_flush(struct dump *d)
{
	if (d->w.len > BABEL_HDR_LEN) {
		size_t len = babel_writer_finish(&d->w);

		send_packet(d->b, &d->b->ifaces[d->fi], d->pkt, len);
		d->bytes += len;
	}
	babel_writer_init(&d->w, d->pkt, sizeof(d->pkt) - BABEL_MAC_ROOM);
	d->rid = NULL;
}

static void dump_route(struct dump *d, const uint8_t *rid, const struct babel_prefix *p,
		       uint16_t seqno, uint16_t metric)
{
	struct babel_tlv id = { .type = BABEL_ROUTER_ID }, u = { .type = BABEL_UPDATE };
	int tries;

	memcpy(id.u.router_id.id, rid, 8);
	u.u.update.ae = p->v4 ? BABEL_AE_V4V6 : BABEL_AE_IPV6;
	u.u.update.plen = p->plen;
	u.u.update.interval = (uint16_t)((d->b->ifaces[d->fi].update_ms + 9) / 10);
	u.u.update.seqno = seqno;
	u.u.update.metric = metric;
	memcpy(u.u.update.prefix, p->addr, 16);
	for (tries = 0; tries < 2; tries++) {
		size_t mark = d->w.len;

		if ((!d->rid || memcmp(d->rid, rid, 8)) && babel_write_tlv(&d->w, &id)) {
			dump_flush(d);
			continue;
		}
		if (babel_write_tlv(&d->w, &u)) {
			d->w.len = mark;
			dump_flush(d);
			continue;
		}
		d->rid = rid;
		return;
	}
}

/* One item in GEM Fragment TLVs, in the dump's packets. */
static int dump_fragment(const uint8_t *body, size_t blen, void *arg)
{
	struct dump *d = arg;

	if (babel_write_raw(&d->w, GEM_TLV_FRAGMENT, body, blen)) {
		dump_flush(d);
		return babel_write_raw(&d->w, GEM_TLV_FRAGMENT, body, blen);
	}
	return 0;
}

static void dump_item(const uint8_t *enc, size_t len, uint32_t tag, void *arg)
{
	struct dump *d = arg;

	d->items++;
	gem_frag_split(enc, len, tag, dump_fragment, arg);
}

/* The answer to a specific GEM Request: the items it names, now. */
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
static void send_items_of(struct babel *b, struct babel_peer *p, const struct gem_request *q,
			  uint64_t now_ms)
{
	struct babel_iface *f = &b->ifaces[p->iface];
	struct dump *d;

	if (!b->items_of)
		return;
	if (!budget_left(&p->answer_bytes, &p->answer_ms, BABEL_ANSWER_RATE, BABEL_ANSWER_BURST,
			 now_ms) ||
	    !budget_left(&f->answer_bytes, &f->answer_ms, BABEL_IFACE_ANSWER_RATE,
			 BABEL_IFACE_ANSWER_BURST, now_ms)) {
		b->requests_refused++;
		return;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return;
	d->b = b;
	d->fi = p->iface;
	babel_writer_init(&d->w, d->pkt, sizeof(d->pkt) - BABEL_MAC_ROOM);
	b->items_of(b->items_arg, q->kind, q->origin, dump_item, d);
	dump_flush(d);
	p->answer_bytes -= (int64_t)d->bytes;
	f->answer_bytes -= (int64_t)d->bytes;
	free(d);
}

/*
 * Everything (routes, and items with them) to fi's neighbours, as soon
 * as BABEL_FULL_MIN_MS since the last such dump allows: however many
 * neighbours appear or ask, one dump a BABEL_FULL_MIN_MS.
 */
static void full_dump_soon(struct babel *b, unsigned int fi, uint64_t now_ms)
{
	struct babel_iface *f = &b->ifaces[fi];
	uint64_t at = f->full_ms + BABEL_FULL_MIN_MS;

	if (at < now_ms)
		at = now_ms;
	f->full_called = true;
	/* At, not 0: an update another cause sends before it carries changes only. */
	if (f->next_items_ms > at)
		f->next_items_ms = at;
	if (f->next_hello_ms > at)
		f->next_hello_ms = at;
	if (f->next_update_ms > at)
		f->next_update_ms = at;
}

/* Asks the neighbours on fi for what arrived before its origin's Public Key. */
static void send_requests(struct babel *b, unsigned int fi)
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
	send_packet(b, &b->ifaces[fi], pkt, babel_writer_finish(&w));
}

static void send_update(struct babel *b, unsigned int fi, uint64_t now_ms)
{
	struct babel_iface *f = &b->ifaces[fi];
	struct dump *d = calloc(1, sizeof(*d));
	unsigned int i;

	if (!d)
		return;
	d->b = b;
	d->fi = fi;
	babel_writer_init(&d->w, d->pkt, sizeof(d->pkt) - BABEL_MAC_ROOM);
	for (i = 0; i < b->n_announce; i++)
		dump_route(d, b->router_id, &b->announce[i], b->seqno, 0);
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		const struct babel_route *r = &b->table->routes[i];

		if (r->used && r->selected)
			dump_route(d, r->router_id, &r->prefix, r->seqno,
				   babel_metric_add(r->metric, r->cost));
	}
	/*
	 * GEM's items ride along (babeld ignores the TLVs, unharmed): those
	 * changed since this interface last heard of them, and every one now
	 * and then. Items live for minutes, so resending all of them each
	 * update interval would only cost bytes.
	 */
	if (b->items_each) {
		bool all = now_ms >= f->next_items_ms;
		uint64_t errors = b->tx_errors;

		if (all) {
			/* Only dumps at a neighbour's call count against its gate. */
			if (f->full_called)
				f->full_ms = now_ms;
			f->full_called = false;
			b->full_dumps++;
		}
		f->items_gen = b->items_each(b->items_arg, all ? 0 : f->items_gen, dump_item, d);
		/* A packet of this dump lost (send_packet said so): all again next time. */
		if (all && b->tx_errors == errors)
			f->next_items_ms = now_ms + (b->items_ms > f->update_ms ? b->items_ms
										 : f->update_ms);
		if (d->items)
			gem_log(GEM_LOG_DEBUG, "%s: update with %u items (%s)", f->name, d->items,
				all ? "all" : "changed");
	}
	dump_flush(d);
	free(d);
}

static bool prefix_same(const struct babel_prefix *a, const struct babel_prefix *b)
{
	return a->v4 == b->v4 && a->plen == b->plen && !memcmp(a->addr, b->addr, 16);
}

/* The kernel's routes follow the selection: added, moved, removed. */
static void reconcile(struct babel *b)
{
	unsigned int i, k;
	char a[INET6_ADDRSTRLEN];

	if (!b->install)
		return;
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		struct babel_installed *in = &b->installed[i];
		const struct babel_route *r;

		if (!in->used)
			continue;
		r = babel_table_selected(b->table, &in->prefix);
		if (r && !memcmp(r->next_hop, in->via, 16) &&
		    b->ifaces[b->peers[r->neigh].iface].ifindex == in->ifindex)
			continue;
		rtnl_route(false, in->prefix.v4, in->prefix.addr, in->prefix.plen, in->via,
			   in->ifindex, 0);
		in->used = false;
	}
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		const struct babel_route *r = &b->table->routes[i];
		struct babel_installed *slot = NULL;
		unsigned int ifindex;
		int err;

		if (!r->used || !r->selected)
			continue;
		for (k = 0; k < BABEL_ROUTES_MAX; k++) {
			if (b->installed[k].used && prefix_same(&b->installed[k].prefix, &r->prefix))
				break;
			if (!b->installed[k].used && !slot)
				slot = &b->installed[k];
		}
		if (k < BABEL_ROUTES_MAX || !slot)
			continue;
		ifindex = b->ifaces[b->peers[r->neigh].iface].ifindex;
		err = rtnl_route(true, r->prefix.v4, r->prefix.addr, r->prefix.plen, r->next_hop,
				 ifindex, babel_metric_add(r->metric, r->cost));
		inet_ntop(r->prefix.v4 ? AF_INET : AF_INET6, r->prefix.addr, a, sizeof(a));
		if (err) {
			gem_log(GEM_LOG_WARNING, "route %s/%u: %s", a, r->prefix.plen, strerror(-err));
			continue;
		}
		gem_log(GEM_LOG_INFO, "route %s/%u installed, metric %u", a, r->prefix.plen,
			babel_metric_add(r->metric, r->cost));
		slot->used = true;
		slot->prefix = r->prefix;
		memcpy(slot->via, r->next_hop, 16);
		slot->ifindex = ifindex;
	}
}

static void log_peer(struct babel *b, struct babel_peer *p)
{
	char a[INET6_ADDRSTRLEN], c[8];
	uint16_t cost = babel_neigh_cost(&p->n);

	if (cost == p->logged_cost)
		return;
	p->logged_cost = cost;
	if (babel_table_neigh_cost(b->table, (unsigned int)(p - b->peers), cost))
		reconcile(b);
	inet_ntop(AF_INET6, p->addr, a, sizeof(a));
	gem_log(GEM_LOG_INFO, "neighbour %s on %s: rxcost %u txcost %u cost %u", a,
		b->ifaces[p->iface].name, babel_neigh_rxcost(&p->n), p->n.txcost, cost);
	snprintf(c, sizeof(c), "%u", cost);
	gemd_event("neighbour", "address", a, "dev", b->ifaces[p->iface].name, "cost", c, NULL);
}

uint64_t babel_run_timers(struct babel *b, uint64_t now_ms)
{
	uint64_t next = now_ms + 60000;
	unsigned int i;

	if (now_ms >= b->next_check_ms) {
		b->next_check_ms = now_ms + 1000;
		for (i = 0; i < b->n_ifaces; i++)
			iface_check(b, &b->ifaces[i], now_ms);
	}
	if (b->next_check_ms < next)
		next = b->next_check_ms;
	for (i = 0; i < b->n_ifaces; i++) {
		struct babel_iface *f = &b->ifaces[i];

		if (!f->up)
			continue;
		if (now_ms >= f->next_hello_ms) {
			send_hello(b, i);
			f->next_hello_ms = now_ms + f->hello_ms;
		}
		if (now_ms >= f->next_update_ms) {
			send_update(b, i, now_ms);
			f->next_update_ms = now_ms + f->update_ms;
		}
		if (f->next_hello_ms < next)
			next = f->next_hello_ms;
		if (f->next_update_ms < next)
			next = f->next_update_ms;
	}
	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		struct babel_peer *p = &b->peers[i];
		char a[INET6_ADDRSTRLEN];

		if (!p->used)
			continue;
		babel_neigh_tick(&p->n, now_ms);
		log_peer(b, p);
		/*
		 * One we challenged stays to hear the answer, and one that
		 * answered to say Hello: under MACs its first packets, Hellos
		 * among them, were refused until it answered.
		 */
		if (babel_neigh_gone(&p->n) && !(b->mac && p->mac.deadline_ms > now_ms) &&
		    now_ms >= p->heard_ms + BABEL_PEER_GRACE_MS) {
			inet_ntop(AF_INET6, p->addr, a, sizeof(a));
			gem_log(GEM_LOG_INFO, "neighbour %s on %s gone", a,
				b->ifaces[p->iface].name);
			gemd_event("neighbour-gone", "address", a, "dev", b->ifaces[p->iface].name,
				   NULL);
			if (babel_table_neigh_cost(b->table, i, BABEL_COST_INFINITY))
				reconcile(b);
			p->used = false;
		}
	}
	if (babel_table_expire(b->table, now_ms))
		reconcile(b);
	return next;
}

void babel_trigger(struct babel *b, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < b->n_ifaces; i++)
		b->ifaces[i].next_update_ms = now_ms;
}

struct rx {
	struct babel *b;
	struct babel_peer *peer;
	uint64_t now_ms;
	uint8_t src[16];		/* the packet's source: the default next hop */
	uint8_t rid[8];			/* whose routes the Updates that follow are */
	bool have_rid;
	uint8_t nh6[16];
	bool changed;
	bool flood;			/* a GEM item is new: tell the neighbours now */
};

static void on_update(struct rx *r, const struct babel_tlv *t)
{
	struct babel *b = r->b;
	unsigned int neigh = (unsigned int)(r->peer - b->peers);
	struct babel_prefix p = { 0 };
	uint64_t hold;

	if (t->u.update.flags & BABEL_UPDATE_DEFAULT_RID) {
		memset(r->rid, 0, 8);
		if (t->u.update.ae == BABEL_AE_IPV6)
			memcpy(r->rid, t->u.update.prefix + 8, 8);
		else
			memcpy(r->rid + 4, t->u.update.prefix, 4);
		r->have_rid = true;
	}
	if (t->u.update.ae == BABEL_AE_WILDCARD) {
		/* Everything this neighbour told us is retracted. */
		r->changed |= babel_table_neigh_cost(b->table, neigh, BABEL_COST_INFINITY) > 0;
		return;
	}
	/* IPv4 via an IPv4 next hop needs an IPv4 address on the link: not kept. */
	if (!r->have_rid || t->u.update.ae == BABEL_AE_IPV4 || !memcmp(r->rid, b->router_id, 8))
		return;
	p.v4 = t->u.update.ae == BABEL_AE_V4V6;
	p.plen = t->u.update.plen;
	memcpy(p.addr, t->u.update.prefix, 16);
	/* RFC 8966: a route holds for 3.5 of its update intervals. */
	hold = (uint64_t)t->u.update.interval * 35;
	if (babel_table_update(b->table, &p, neigh, babel_neigh_cost(&r->peer->n), r->rid,
			       t->u.update.seqno, t->u.update.metric, r->nh6,
			       r->now_ms + (hold ? hold : 60000)) == BABEL_UPDATE_SELECTED)
		r->changed = true;
}

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
		memcpy(r->rid, t->u.router_id.id, 8);
		r->have_rid = true;
		break;
	case BABEL_NEXT_HOP:
		if (t->u.next_hop.ae == BABEL_AE_IPV6 || t->u.next_hop.ae == BABEL_AE_LL)
			memcpy(r->nh6, t->u.next_hop.addr, 16);
		break;
	case BABEL_UPDATE:
		on_update(r, t);
		break;
	case BABEL_SEQNO_REQ:
		/* Asked for a newer version of our own routes: make one, send it. */
		if (!memcmp(t->u.seqno_req.router_id, r->b->router_id, 8) &&
		    !babel_seqno_newer(r->b->seqno, t->u.seqno_req.seqno)) {
			r->b->seqno = (uint16_t)(t->u.seqno_req.seqno + 1);
			for (unsigned int k = 0; k < r->b->n_ifaces; k++)
				r->b->ifaces[k].next_update_ms = r->now_ms;
		}
		break;
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
			/* Everything: a full dump, items and all, after a Hello (above). */
			full_dump_soon(r->b, r->peer->iface, r->now_ms);
		} else {
			send_items_of(r->b, r->peer, &q, r->now_ms);
		}
		break;
	}
	case BABEL_ROUTE_REQ:
		/* A wildcard request: a full dump, soon. */
		if (t->u.route_req.ae == BABEL_AE_WILDCARD)
			full_dump_soon(r->b, r->peer->iface, r->now_ms);
		break;
	}
	return 0;
}

/*
 * The neighbour a packet came from. Only a packet with a Hello makes a
 * new one (under MACs, any packet with a good MAC: it may answer our
 * challenge); when all slots are taken, one that never became a
 * neighbour (no two-way link yet) gives its slot up, so senders of bare
 * Hellos cannot crowd real neighbours out. Under MACs only one that has
 * not answered a challenge gives way, the one made longest ago: replays
 * of recorded packets, which cannot answer, cannot evict a neighbour
 * that did, nor one that is answering now.
 */
static struct babel_peer *peer_of(struct babel *b, unsigned int fi, const uint8_t *addr,
				  bool hello, uint64_t now_ms)
{
	struct babel_peer *free_slot = NULL, *stranger = NULL;
	unsigned int i;

	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		struct babel_peer *p = &b->peers[i];

		if (p->used && p->iface == fi && !memcmp(p->addr, addr, 16))
			return p;
		if (!p->used && !free_slot)
			free_slot = p;
		if (!p->used || babel_neigh_cost(&p->n) != BABEL_COST_INFINITY ||
		    (b->mac && p->mac.index_len >= 0))
			continue;
		if (!stranger || p->made_ms < stranger->made_ms)
			stranger = p;
	}
	if (!hello)
		return NULL;
	if (!free_slot)
		free_slot = stranger;
	if (free_slot) {
		memset(free_slot, 0, sizeof(*free_slot));
		free_slot->used = true;
		free_slot->iface = fi;
		memcpy(free_slot->addr, addr, 16);
		babel_neigh_init(&free_slot->n, BABEL_WIRED_RXCOST);
		babel_mac_peer_init(&free_slot->mac);
		free_slot->logged_cost = BABEL_COST_INFINITY;
		free_slot->made_ms = now_ms;
		/*
		 * A new neighbour (a node restarted, say) hears everything
		 * soon, after a Hello of ours: it takes packets only from nodes
		 * that said Hello, and ours might not have reached it yet. Made
		 * up neighbours by the hundred still cause one dump a second.
		 * Under MACs, once it answered our challenge (mac_fresh): a
		 * replay never does.
		 */
		if (!b->mac)
			full_dump_soon(b, fi, now_ms);
		free_slot->answer_bytes = BABEL_ANSWER_BURST;
		free_slot->answer_ms = now_ms;
	}
	return free_slot;
}

/* The first pass over a packet: is it whole, and does it say Hello. */
static int check_tlv(const struct babel_tlv *t, bool in_trailer, void *arg)
{
	if (!in_trailer && t->type == BABEL_HELLO)
		*(bool *)arg = true;
	return 0;
}

/*
 * The packet counters' verdict on a packet of p with a good MAC, and the
 * challenges it calls for sent: true if it is to be processed.
 */
static bool mac_fresh(struct babel *b, struct babel_peer *p, const uint8_t *pkt, size_t len,
		      bool multicast, uint64_t now_ms)
{
	struct babel_mac_verdict v;
	char a[INET6_ADDRSTRLEN];

	babel_mac_check(&p->mac, pkt, len, multicast,
			b->mac_multicast ? b->ifaces[p->iface].ll : NULL, now_ms, &v);
	if (v.request) {
		uint8_t nonce[BABEL_MAC_NONCE_TO_LEN];
		size_t nlen = 0;

		/*
		 * To all, under ESP: the nonce names whom it challenges, so
		 * that only it answers; random, and good for one answer.
		 */
		if (b->mac_multicast) {
			memcpy(nonce, p->addr, 16);
			nlen = 16;
		}
		randombytes_buf(nonce + nlen, BABEL_MAC_NONCE_LEN);
		nlen += BABEL_MAC_NONCE_LEN;
		babel_mac_challenged(&p->mac, nonce, nlen, now_ms + BABEL_MAC_DEADLINE_MS);
		send_challenge(b, p, BABEL_TLV_CHALLENGE_REQ, nonce, nlen);
	}
	if (v.reply)
		send_challenge(b, p, BABEL_TLV_CHALLENGE_REPLY, v.reply, v.reply_len);
	/*
	 * A neighbour through a challenge is new or restarted: what it sent
	 * before (a restarted node's Requests for everything) was refused,
	 * so it hears everything now, as a new neighbour does.
	 */
	if (v.answered)
		full_dump_soon(b, p->iface, now_ms);
	if (v.accept)
		return true;
	if (v.replay)
		b->rx_replayed++;
	else
		b->rx_challenged++;
	inet_ntop(AF_INET6, p->addr, a, sizeof(a));
	gem_log(GEM_LOG_DEBUG, "%s: packet from %s dropped: %s", b->ifaces[p->iface].name, a,
		v.why);
	return false;
}

void babel_input(struct babel *b, unsigned int ifindex, const uint8_t *src, uint16_t sport,
		 const uint8_t *dst, const uint8_t *pkt, size_t n, uint64_t now_ms)
{
	struct rx r = { .b = b, .now_ms = now_ms };
	const char *why;
	bool hello = false;
	unsigned int fi;

	if (b->silent) {
		b->rx_dropped++;
		return;
	}
	for (fi = 0; fi < b->n_ifaces && b->ifaces[fi].ifindex != ifindex; fi++)
		;
	/* Our own packets, put back on the wire by someone, are no neighbour's. */
	if (fi == b->n_ifaces || src[0] != 0xfe || (src[1] & 0xc0) != 0x80 ||
	    sport != BABEL_PORT || !memcmp(src, b->ifaces[fi].ll, 16)) {
		b->rx_dropped++;
		return;
	}
	/* Without a good MAC, nothing: not even a neighbour slot. */
	if (b->mac && babel_mac_verify(b->mac_key, src, dst, pkt, n)) {
		b->rx_bad_mac++;
		return;
	}
	/* A malformed packet is dropped whole: nothing in it takes effect. */
	if (babel_packet_parse(pkt, n, check_tlv, &hello, &why)) {
		gem_log(GEM_LOG_DEBUG, "%s: packet dropped: %s", b->ifaces[fi].name, why);
		b->rx_dropped++;
		return;
	}
	/* Under MACs any packet may make a neighbour: it may be a challenge's answer. */
	r.peer = peer_of(b, fi, src, hello || b->mac, now_ms);
	memcpy(r.src, src, 16);
	memcpy(r.nh6, r.src, 16);
	if (!r.peer) {
		b->rx_dropped++;
		return;
	}
	if (b->mac && !mac_fresh(b, r.peer, pkt, n, dst[0] == 0xff, now_ms))
		return;
	r.peer->heard_ms = now_ms;
	babel_packet_parse(pkt, n, on_tlv, &r, &why);
	b->rx_packets++;
	log_peer(b, r.peer);
	if (r.flood)
		babel_trigger(b, now_ms);
	send_requests(b, fi);
	if (r.changed) {
		reconcile(b);
		/* A triggered update: neighbours hear of the change now. */
		for (fi = 0; fi < b->n_ifaces; fi++)
			b->ifaces[fi].next_update_ms = r.now_ms;
	}
}

void babel_drain(struct babel *b)
{
	uint8_t pkt[64];
	unsigned int n = 0;

	while (recv(b->fd, pkt, sizeof(pkt), MSG_DONTWAIT) >= 0)
		n++;
	b->rx_dropped += n;
}

void babel_receive(struct babel *b, uint64_t now_ms)
{
	uint8_t pkt[4096], cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct sockaddr_in6 from;

	for (;;) {
		struct iovec iov = { .iov_base = pkt, .iov_len = sizeof(pkt) };
		struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
		struct in6_addr dst = IN6ADDR_ANY_INIT;
		unsigned int ifindex = 0;
		struct cmsghdr *cm;
		ssize_t n = recvmsg(b->fd, &m, 0);

		if (n < 0)
			return;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
			if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;

				memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
				ifindex = pi.ipi6_ifindex;
				dst = pi.ipi6_addr;
			}
		babel_input(b, ifindex, from.sin6_addr.s6_addr, ntohs(from.sin6_port),
			    dst.s6_addr, pkt, (size_t)n, now_ms);
	}
}
