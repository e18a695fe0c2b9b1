// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's Babel speaker (RFC 8966), its public face: what gemd calls to
 * open and close it, run its timers and hand it what the socket holds.
 * The protocol's parts are in files of their own (babel_int.h lists
 * them): interfaces, neighbours, updates, installed routes, GEM's items,
 * and a packet's way in.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "babel_int.h"

int babel_open(struct babel *b, const struct babel_conf *c, const uint8_t *router_id, char *err,
	       size_t errlen)
{
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
	if (babel_iface_socket(b, err, errlen)) {
		babel_close(b);
		return -1;
	}
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
	babel_install_remove_all(b);
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	sodium_memzero(b->mac_key, sizeof(b->mac_key));
	free(b->table);
	b->table = NULL;
}

uint64_t babel_run_timers(struct babel *b, uint64_t now_ms)
{
	uint64_t next = babel_iface_timers(b, now_ms);

	babel_peer_timers(b, now_ms);
	if (babel_table_expire(b->table, now_ms))
		babel_install_reconcile(b);
	return next;
}

void babel_trigger(struct babel *b, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < b->n_ifaces; i++)
		b->ifaces[i].next_update_ms = now_ms;
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
