/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Babel speaker's private declarations, between its files (not for
 * gemd: babel.h is what gemd calls). Who owns what:
 *
 *   babel.c          the speaker's public face: open, close, timers, socket reads
 *   babel_input.c    a packet heard: whether it is taken, each TLV to its owner
 *   babel_iface.c    interfaces: the socket, joining ff02::1:6, link-local
 *                    addresses, sending, the per-interface timers
 *   babel_peer.c     neighbours: their slots, Hellos and IHUs, MAC challenges
 *   babel_update.c   Updates sent and heard, Route and Seqno Requests
 *   babel_install.c  the kernel's routes following the selection
 *   babel_items.c    GEM's items in Babel packets: fragments, Requests, answers
 *   babel_dump.c     TLVs for one interface in as many packets as it takes
 *   babel_table.c    the route and source tables, route selection (pure)
 *   babel_neigh.c    a neighbour's Hello history and link cost (pure)
 *   babel_packet.c   the packet codec (pure)
 *   babel_mac.c      RFC 8967 MACs and packet counters (pure)
 *   rtnl_route.c     a route in the kernel's table over rtnetlink
 */
#ifndef GEM_BABEL_INT_H
#define GEM_BABEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "babel.h"
#include "babel_packet.h"

/* babel_dump.c: a dump on one interface, in as many packets as it takes. */
struct babel_dump {
	struct babel *b;
	unsigned int fi;
	struct babel_writer w;
	uint8_t pkt[BABEL_PACKET_MAX];
	const uint8_t *rid;		/* the router-id the packet speaks for now */
	unsigned int items;		/* written, for the debug log */
	size_t bytes;			/* sent */
};

/* A new dump to the interface fi (calloc'd: free() it), or NULL. */
struct babel_dump *babel_dump_new(struct babel *b, unsigned int fi);
/* Sends what the dump holds, if anything, and starts a new packet. */
void babel_dump_flush(struct babel_dump *d);
/* A raw TLV, in this packet or, when it is full, the next; -1 if it fits no packet. */
int babel_dump_raw(struct babel_dump *d, uint8_t type, const uint8_t *body, size_t len);

/* babel_input.c: one packet heard, as its TLVs are handed to their owners. */
struct babel_rx {
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

/* babel_iface.c */
int babel_iface_socket(struct babel *b, char *err, size_t errlen);
/* pkt to dst (NULL: ff02::1:6) on f, sealed with a MAC when MACs are on. */
void babel_iface_send_to(struct babel *b, struct babel_iface *f, const uint8_t *dst,
			 const uint8_t *pkt, size_t len);
void babel_iface_send(struct babel *b, struct babel_iface *f, const uint8_t *pkt, size_t len);
/* Interfaces looked at, Hellos and Updates sent when due; returns the next due time. */
uint64_t babel_iface_timers(struct babel *b, uint64_t now_ms);
void babel_iface_full_dump_soon(struct babel *b, unsigned int fi, uint64_t now_ms);

/* babel_peer.c */
void babel_peer_send_hello(struct babel *b, unsigned int fi);
struct babel_peer *babel_peer_of(struct babel *b, unsigned int fi, const uint8_t *addr,
				 bool hello, uint64_t now_ms);
bool babel_peer_mac_fresh(struct babel *b, struct babel_peer *p, const uint8_t *pkt, size_t len,
			  bool multicast, uint64_t now_ms);
/* A change of p's cost: logged, told (an event), its routes follow. */
void babel_peer_log(struct babel *b, struct babel_peer *p);
/* Time passes for every neighbour: costs, and those gone forgotten. */
void babel_peer_timers(struct babel *b, uint64_t now_ms);
/* A Hello or an IHU heard. */
void babel_peer_tlv(struct babel_rx *r, const struct babel_tlv *t);

/* babel_update.c */
void babel_update_send(struct babel *b, unsigned int fi, uint64_t now_ms);
/* A Router-Id, Next Hop, Update, Route Request or Seqno Request heard. */
void babel_update_tlv(struct babel_rx *r, const struct babel_tlv *t);

/* babel_install.c */
void babel_install_reconcile(struct babel *b);
void babel_install_remove_all(struct babel *b);

/* babel_items.c */
/* The GEM Request for every item, as a starting interface's first Hello carries. */
void babel_items_ask_all(struct babel_writer *w);
/* The items in the dump of an Update: those changed, or every one when due. */
void babel_items_update(struct babel_dump *d, uint64_t now_ms);
/* Asks the neighbours on fi for what arrived before its origin's Public Key. */
void babel_items_send_requests(struct babel *b, unsigned int fi);
/* A GEM Fragment or Request heard. */
void babel_items_tlv(struct babel_rx *r, const struct babel_tlv *t);

#endif /* GEM_BABEL_INT_H */
