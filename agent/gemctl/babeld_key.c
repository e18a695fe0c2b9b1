// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl babeld-key BKFILE: the key line that makes babeld a neighbour of
 * gemd with RFC 8967 MACs.
 */
#include <stdio.h>

#include <sodium.h>

#include "gemctl.h"
#include "lib/esp.h"
#include "lib/keyfile.h"

/*
 * babeld-key BKFILE: the line babeld.conf needs to be a neighbour of gemd
 * with MACs (RFC 8967), the key being the BK's MAC subkey; the interface
 * line then names it ("key gem"). It is a secret: print it only into a
 * file as protected as the BK.
 */
int gemctl_babeld_key(struct gemctl *g, const char *name, int argc, char **argv)
{
	struct gem_esp_key k;
	char err[512], hex[2 * sizeof(k.mac) + 1];
	uint8_t bk[GEM_BK_LEN];
	size_t len;

	(void)g;
	(void)name;
	if (argc != 1) {
		fprintf(stderr, "gemctl: usage: babeld-key BKFILE\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (gem_keyfile_read(argv[0], bk, GEM_BK_LEN, GEM_BK_LEN, &len, err, sizeof(err))) {
		fprintf(stderr, "gemctl: babeld-key: %s\n", err);
		return 1;
	}
	gem_esp_derive(bk, &k);
	sodium_bin2hex(hex, sizeof(hex), k.mac, sizeof(k.mac));
	printf("key id gem type hmac-sha256 value %s\n", hex);
	sodium_memzero(bk, sizeof(bk));
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(hex, sizeof(hex));
	return 0;
}
