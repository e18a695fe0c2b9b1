/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd's Babel speaker (RFC 8966) on its interfaces: one IPv6 UDP socket
 * on port 6696, multicast Hellos and IHUs to ff02::1:6 from each
 * interface's link-local address, and the neighbours they make; Updates
 * and routes, and GEM's items flooded in its packets. This is what gemd
 * calls and reads; which file owns what is in babel_int.h.
 */
#ifndef GEM_BABEL_H
#define GEM_BABEL_H

#include <stdbool.h>
#include <stdint.h>

#include "items/gem_frag.h"
#include "babel_neigh.h"
#include "babel_mac.h"
#include "babel_table.h"
#include "lib/addr.h"

#define BABEL_PEERS_MAX		64
#define BABEL_IFACES_MAX	32
#define BABEL_ANNOUNCE_MAX	16
/* The longest packet gemd builds: with a MAC, IPv6, UDP and ESP, within 1500. */
#define BABEL_PACKET_MAX	1400
/*
 * What a neighbour's GEM Requests may make gemd send: answers cost their
 * bytes from a budget of BABEL_ANSWER_BURST, topped up at
 * BABEL_ANSWER_RATE a second, and are refused (counted) while it is
 * spent: one small packet of Requests cannot have gemd send megabytes. A dump of
 * everything at a neighbour's call (a new neighbour, a Request for
 * everything, a wildcard route request) goes out at most once a
 * BABEL_FULL_MIN_MS per interface however many ask.
 */
#define BABEL_ANSWER_BURST	(64 * 1024)
#define BABEL_ANSWER_RATE	(64 * 1024)
/* All neighbours of an interface together. */
#define BABEL_IFACE_ANSWER_BURST	(256 * 1024)
#define BABEL_IFACE_ANSWER_RATE		(256 * 1024)
#define BABEL_FULL_MIN_MS	1000
/* A neighbour with no Hello heard yet keeps its slot this long after its last packet. */
#define BABEL_PEER_GRACE_MS	5000

/* What the speaker is configured with: gemd fills it from gemd.conf. */
struct babel_conf {
	struct {
		char name[16];			/* a babel-interface */
		unsigned int hello_ms;		/* 0: hello_ms below */
		unsigned int update_ms;		/* 0: update_ms below */
	} ifaces[BABEL_IFACES_MAX];
	unsigned int n_ifaces;
	struct gem_addr announce[BABEL_ANNOUNCE_MAX];	/* our prefixes */
	unsigned int n_announce;
	unsigned int hello_ms, update_ms;
	bool install_routes;		/* selected routes go in the kernel's table */
};

struct babel_iface {
	char name[16];
	unsigned int ifindex;
	uint8_t ll[16];			/* our link-local address on it */
	unsigned int hello_ms;
	uint16_t hello_seqno;
	uint64_t next_hello_ms;
	unsigned int hellos;		/* sent; every third carries IHUs */
	unsigned int update_ms;
	uint64_t next_update_ms;	/* the next full dump of our routes */
	uint64_t next_items_ms;		/* the next dump of every item (0: the next update) */
	uint64_t items_gen;		/* items up to this generation were sent here */
	uint64_t full_ms;		/* when everything was last sent here at a neighbour's call */
	bool full_called;		/* the next dump of everything is at a neighbour's call */
	int64_t answer_bytes;		/* what answers to Requests may still cost here */
	uint64_t answer_ms;
	bool up;			/* exists, joined, has a usable link-local address */
	bool joined;			/* ff02::1:6 on ifindex */
	const char *down_why;		/* why it is not up, as last logged */
	struct babel_mac_sender mac;	/* our packet counter and index here */
};

/* A route gemd put in the kernel. */
struct babel_installed {
	bool used;
	struct babel_prefix prefix;
	uint8_t via[16];
	unsigned int ifindex;
};

struct babel_peer {
	bool used;
	unsigned int iface;		/* index into ifaces */
	uint8_t addr[16];		/* its link-local address */
	uint8_t router_id[8];
	bool have_router_id;
	struct babel_neigh n;
	uint16_t logged_cost;		/* the cost last logged, to log changes only */
	struct gem_reasm reasm;		/* GEM items arriving in fragments */
	struct babel_mac_peer mac;	/* its packet counters, our challenge to it */
	uint64_t heard_ms;		/* when a packet of it was last taken */
	uint64_t made_ms;		/* when it got its slot */
	int64_t answer_bytes;		/* what answers to its Requests may still cost */
	uint64_t answer_ms;		/* when that was last topped up */
};

struct babel {
	int fd;
	uint8_t router_id[8];
	struct babel_iface ifaces[BABEL_IFACES_MAX];
	unsigned int n_ifaces;
	struct babel_peer peers[BABEL_PEERS_MAX];
	struct babel_table *table;	/* routes learned from neighbours */
	struct babel_installed installed[BABEL_ROUTES_MAX];
	struct babel_prefix announce[BABEL_ANNOUNCE_MAX];
	unsigned int n_announce;
	uint16_t seqno;			/* of our own routes */
	bool install;			/* put selected routes in the kernel */
	bool silent;			/* sends and takes nothing: its ESP is not in place */
	bool mac;			/* RFC 8967 MACs on every packet, required of all */
	bool mac_multicast;		/* challenges go multicast: ESP carries no unicast */
	uint8_t mac_key[BABEL_MAC_KEY_LEN];
	/* GEM's items: heard (true: flood it on), and all of them to flood. */
	bool (*item_heard)(void *arg, const uint8_t *item, size_t len, uint64_t now_ms);
	/* The items changed after generation since (0: all); returns the generation now. */
	uint64_t (*items_each)(void *arg, uint64_t since,
			       void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *c),
			       void *c);
	uint64_t items_ms;		/* every item is sent again this often */
	/* Requests for items missing here; and the items a specific Request asks for. */
	unsigned int (*items_wanted)(void *arg, struct gem_request *out, unsigned int max);
	void (*items_of)(void *arg, uint8_t kind, const uint8_t *origin,
			 void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *c), void *c);
	void *items_arg;
	uint64_t next_check_ms;		/* the interfaces are looked at again */
	uint64_t rx_packets, rx_dropped, tx_packets, tx_errors;
	uint64_t requests_refused;	/* GEM Requests past their sender's budget */
	uint64_t rx_bad_mac;		/* packets without a good MAC */
	uint64_t rx_replayed;		/* packets with a counter not above the last */
	uint64_t rx_challenged;		/* from a neighbour not yet through a challenge */
	uint64_t full_dumps;		/* updates that carried every item */
};

/*
 * Opens the socket; -1 with a message in err. The configured interfaces
 * are taken up as they become usable (babel_run_timers looks each second).
 */
int babel_open(struct babel *b, const struct babel_conf *c, const uint8_t *router_id, char *err,
	       size_t errlen);
void babel_close(struct babel *b);

/* Sends what is due; returns when next something is. */
uint64_t babel_run_timers(struct babel *b, uint64_t now_ms);
/* Reads and handles every packet waiting on the socket. */
/*
 * Drops what the socket holds: what arrived before its ESP policies were
 * set was queued unchecked (the kernel checks a policy as it queues).
 */
void babel_drain(struct babel *b);
void babel_receive(struct babel *b, uint64_t now_ms);
/*
 * One packet as it came from the socket: on the interface ifindex, from
 * src (port sport) to dst (16 bytes each). What babel_receive does with
 * each; apart, for the fuzzer.
 */
void babel_input(struct babel *b, unsigned int ifindex, const uint8_t *src, uint16_t sport,
		 const uint8_t *dst, const uint8_t *pkt, size_t n, uint64_t now_ms);
/* Something changed: a full dump on every interface now. */
void babel_trigger(struct babel *b, uint64_t now_ms);

#endif /* GEM_BABEL_H */
