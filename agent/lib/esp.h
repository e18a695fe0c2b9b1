/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control plane's own ESP: a transport-mode SA keyed from the
 * Bootstrap Key, required by the Babel socket's own policies of every
 * packet it sends and takes, as OSPFv3 does with RFC 4552. A node without
 * the BK can neither speak Babel to gemd, to whatever destination, nor
 * be heard by it: the kernel drops its packets before gemd sees them,
 * and no other socket of the node sends with the BK's authority.
 *
 * The SA is shared by every node of the domain, so it authenticates
 * (HMAC-SHA256, ESP with NULL encryption) and does not encrypt: an AEAD
 * such as AES-GCM under one key used by many senders, each counting its
 * sequence numbers from 1 again after a restart, would repeat nonces.
 * Nothing secret rides in Babel: stream keys are sealed for their group.
 */
#ifndef GEM_ESP_H
#define GEM_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GEM_BK_LEN	32

/* The BK's subkeys (KDF context GEM-BK-1): the SA's SPI and key, Babel's MAC key. */
struct gem_esp_key {
	uint32_t spi;			/* id 2 */
	uint8_t auth[32];		/* id 1: HMAC-SHA256, truncated to 128 bits */
	uint8_t mac[64];		/* id 3: RFC 8967 HMAC-SHA256 (babel_mac.h) */
};

void gem_esp_derive(const uint8_t *bk, struct gem_esp_key *k);

/*
 * Installs the SA in this network namespace, replacing one of the same
 * BK a gemd that died left; 0, or -errno with why in err.
 */
int gem_esp_install(const struct gem_esp_key *k, char *err, size_t errlen);
/* Removes it (at exit, when turned off, or for another BK). */
void gem_esp_remove(const struct gem_esp_key *k);
/*
 * With on, every packet the socket fd sends or takes must ride in the
 * SA: without one installed it sends nothing and takes nothing (fail
 * closed). With off, its policies go.
 */
int gem_esp_socket(int fd, bool on, char *err, size_t errlen);

#endif /* GEM_ESP_H */
