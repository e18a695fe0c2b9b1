/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control plane's own ESP: transport-mode SAs and policies, keyed
 * from the Bootstrap Key, on every Babel packet (UDP port 6696 to
 * ff02::1:6), as OSPFv3 does with RFC 4552. A node without the BK can
 * neither speak Babel to gemd nor be heard by it: the kernel drops its
 * packets before gemd sees them.
 *
 * The SA is shared by every node of the domain, so it authenticates
 * (HMAC-SHA256, ESP with NULL encryption) and does not encrypt: an AEAD
 * such as AES-GCM under one key used by many senders, each counting its
 * sequence numbers from 1 again after a restart, would repeat nonces.
 * Nothing secret rides in Babel: stream keys are sealed for their group.
 */
#ifndef GEM_ESP_H
#define GEM_ESP_H

#include <stddef.h>
#include <stdint.h>

#define GEM_BK_LEN	32

/* The SA's SPI and key, from the BK (KDF context GEM-BK-1). */
struct gem_esp_key {
	uint32_t spi;
	uint8_t auth[32];		/* HMAC-SHA256, truncated to 128 bits */
};

void gem_esp_derive(const uint8_t *bk, struct gem_esp_key *k);

/*
 * Installs the SA and the in and out policies in this network namespace,
 * replacing any earlier ones of gemd's; 0, or -errno with why in err.
 */
int gem_esp_install(const struct gem_esp_key *k, char *err, size_t errlen);
/* Removes them (at exit, or when turned off). */
void gem_esp_remove(const struct gem_esp_key *k);

#endif /* GEM_ESP_H */
