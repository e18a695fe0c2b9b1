// SPDX-License-Identifier: GPL-2.0
/*
 * The Babel speaker's interfaces: its one socket on port 6696, ff02::1:6
 * joined on each interface, our link-local address there, packets sent
 * from it (to ff02::1:6, hop limit 1), and each interface's timers
 * (Hellos, Updates, everything at a neighbour's call).
 */
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "babel_int.h"
#include "lib/log.h"

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

int babel_iface_socket(struct babel *b, char *err, size_t errlen)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT) };
	int one = 1, zero = 0, hops = 1, bufsize = 4 << 20;

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
	return 0;
}

/*
 * pkt to dst (NULL: ff02::1:6) on f, sealed with a MAC when MACs are on;
 * every packet is built with BABEL_MAC_ROOM to spare.
 */
void babel_iface_send_to(struct babel *b, struct babel_iface *f, const uint8_t *dst,
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

void babel_iface_send(struct babel *b, struct babel_iface *f, const uint8_t *pkt, size_t len)
{
	babel_iface_send_to(b, f, NULL, pkt, len);
}

/*
 * Everything (routes, and items with them) to fi's neighbours, as soon
 * as BABEL_FULL_MIN_MS since the last such dump allows: however many
 * neighbours appear or ask, one dump a BABEL_FULL_MIN_MS.
 */
void babel_iface_full_dump_soon(struct babel *b, unsigned int fi, uint64_t now_ms)
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

uint64_t babel_iface_timers(struct babel *b, uint64_t now_ms)
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
			babel_peer_send_hello(b, i);
			f->next_hello_ms = now_ms + f->hello_ms;
		}
		if (now_ms >= f->next_update_ms) {
			babel_update_send(b, i, now_ms);
			f->next_update_ms = now_ms + f->update_ms;
		}
		if (f->next_hello_ms < next)
			next = f->next_hello_ms;
		if (f->next_update_ms < next)
			next = f->next_update_ms;
	}
	return next;
}
