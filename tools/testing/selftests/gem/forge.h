/* SPDX-License-Identifier: GPL-2.0 */
/* gem_forge: what its files share. */
#ifndef FORGE_H
#define FORGE_H
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

/* One of our voices: a socket, its source address, its packet counter. */
struct voice {
	int fd;
	uint8_t src[16];
	struct babel_mac_sender mac;
};
/* The fragments of one item, as captured or as sent. */
struct frags {
	uint8_t body[GEM_FRAG_COUNT_MAX][GEM_TLV_BODY_MAX];
	size_t len[GEM_FRAG_COUNT_MAX];
	size_t n;
};

/* Where and how it speaks, from the command line (gem_forge.c). */
extern const struct in6_addr babel_group;
extern unsigned int ifindex;
extern struct in6_addr dest;
extern bool esp_on, mac_on;
extern struct gem_esp_key esp;

/* Babel on the wire, with ESP and MACs as the domain has them (forge_voice.c). */
void __attribute__((format(printf, 1, 2), noreturn)) die(const char *fmt, ...);
void esp_socket(int fd);
uint32_t rd32(const uint8_t *p);
void parse_router_id(const char *s, uint8_t *rid);
void parse_ip(const char *s, struct gem_ip *ip);
int babel_socket(bool listen);
double now_s(void);
bool voice_send(struct voice *v, const struct in6_addr *addr, const uint8_t *pkt,
		       size_t len);
void handshake(struct voice *vs, unsigned int n, int listen);
void voice_open(struct voice *v);
void send_fragments(const uint8_t (*bodies)[GEM_TLV_BODY_MAX], const size_t *lens,
			   size_t n);
void send_item(const uint8_t *enc, int len);

/* Capture and replay (forge_capture.c). */
void cmd_capture(int argc, char **argv);
void cmd_replay(int argc, char **argv);

#endif
