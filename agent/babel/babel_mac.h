/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Babel MAC authentication (RFC 8967, with RFC 9467's counters kept apart
 * for multicast and unicast), as babeld does it, so babeld with the same
 * key is a neighbour. Every packet carries a Packet Counter (PC) TLV in
 * its body and an HMAC-SHA256 in its trailer over a pseudo-header (source
 * and destination address and port) and the packet. A neighbour's packet
 * is taken only with a PC above the last one taken from it; one whose
 * index (picked at random when a sender starts) is new must first echo a
 * Challenge Request's nonce. So a capture replayed later is refused, even
 * after the sender or the receiver restarted.
 *
 * Pure logic, no I/O: the caller sends what the verdict asks for.
 */
#ifndef GEM_BABEL_MAC_H
#define GEM_BABEL_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BABEL_TLV_MAC			16
#define BABEL_TLV_PC			17
#define BABEL_TLV_CHALLENGE_REQ		18
#define BABEL_TLV_CHALLENGE_REPLY	19

#define BABEL_MAC_KEY_LEN	64	/* HMAC-SHA256's block: babeld takes no other */
#define BABEL_MAC_LEN		32
#define BABEL_MAC_INDEX_LEN	8
#define BABEL_MAC_NONCE_LEN	8	/* random bytes in a nonce of ours */
/* Ours to all under ESP: the challenged neighbour's address, then the random bytes. */
#define BABEL_MAC_NONCE_TO_LEN	(16 + BABEL_MAC_NONCE_LEN)
#define BABEL_MAC_INDEX_MAX	32	/* the longest index taken from a neighbour */
#define BABEL_MAC_NONCE_MAX	192	/* the longest nonce echoed */
/* What sealing adds to a packet: the PC TLV, and the MAC TLV after the body. */
#define BABEL_MAC_ROOM		(2 + 4 + BABEL_MAC_INDEX_LEN + 2 + BABEL_MAC_LEN)
/* A neighbour gets a Challenge Request, and a Reply, at most this often. */
#define BABEL_MAC_CHALLENGE_MS	300
/* How long a Challenge Request's nonce stays answerable. */
#define BABEL_MAC_DEADLINE_MS	30000

/* This node's counter and index on one interface. */
struct babel_mac_sender {
	uint32_t pc;
	uint8_t index[BABEL_MAC_INDEX_LEN];
};

/* What this node knows of one neighbour's counters. */
struct babel_mac_peer {
	int index_len;			/* -1: none yet, challenge first */
	uint8_t index[BABEL_MAC_INDEX_MAX];
	uint32_t pc_m, pc_u;		/* the last taken, multicast and unicast */
	uint8_t nonce[BABEL_MAC_NONCE_TO_LEN];
	uint8_t nonce_len;
	uint64_t deadline_ms;		/* the nonce is answerable until then (0: spent) */
	uint64_t request_ms, reply_ms;	/* the last Challenge Request, Reply sent */
};

void babel_mac_peer_init(struct babel_mac_peer *p);

/*
 * The MAC of a packet (pkt: header and body, whose length the header
 * gives) from src to dst, both on Babel's port.
 */
void babel_mac_compute(const uint8_t *key, const uint8_t *src, const uint8_t *dst,
		       const uint8_t *pkt, uint8_t *mac);

/*
 * Seals the finished packet pkt of len bytes (cap in all) from src to
 * dst: a PC TLV at the end of its body, the MAC after it. Returns the new
 * length, or 0 if it does not fit.
 */
size_t babel_mac_seal(const uint8_t *key, struct babel_mac_sender *s, const uint8_t *src,
		      const uint8_t *dst, uint8_t *pkt, size_t len, size_t cap);

/*
 * 0 if a MAC TLV of pkt's trailer is good, -1 if none is (or the packet
 * has none, or is malformed).
 */
int babel_mac_verify(const uint8_t *key, const uint8_t *src, const uint8_t *dst,
		     const uint8_t *pkt, size_t len);

/* What to do with a packet whose MAC was good. */
struct babel_mac_verdict {
	bool accept;			/* its PC is fresh: process it */
	bool replay;			/* its PC was not above the last one taken */
	bool answered;			/* it echoed our challenge: new to us, or restarted */
	bool request;			/* challenge the neighbour (babel_mac_challenged) */
	const uint8_t *reply;		/* send a Challenge Reply echoing these bytes */
	size_t reply_len;
	const char *why;		/* why not accepted */
};

/*
 * The counters' verdict on packet pkt (len bytes, MAC checked) from the
 * neighbour p, received on a multicast address or not. Challenge
 * Requests are answered when they came unicast, as RFC 8967 asks; under
 * gemd's ESP, which carries no unicast, those sent to all are answered
 * too if their nonce begins with self, this node's address on the link
 * (NULL: none are). A verdict's reply points into pkt.
 */
void babel_mac_check(struct babel_mac_peer *p, const uint8_t *pkt, size_t len, bool multicast,
		     const uint8_t *self, uint64_t now_ms, struct babel_mac_verdict *v);

/*
 * p was sent a Challenge Request with nonce (len bytes, at most
 * BABEL_MAC_NONCE_TO_LEN), answerable once, until deadline_ms.
 */
void babel_mac_challenged(struct babel_mac_peer *p, const uint8_t *nonce, size_t len,
			  uint64_t deadline_ms);

#endif /* GEM_BABEL_MAC_H */
