// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl gen and genkey: new keys, into files gemd reads or onto
 * standard output for gemctl's own commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <sodium.h>

#include "gemctl.h"
#include "lib/identity.h"
#include "lib/keyfile.h"

/*
 * gen identity|bk|gak FILE: a key file for gemd, never over an existing
 * file. For an identity, prints what other operators may know of it.
 */
int gemctl_gen(struct gemctl *g, const char *name, int argc, char **argv)
{
	char err[512], pk[sodium_base64_ENCODED_LEN(GEM_IDENTITY_PK_LEN,
						   sodium_base64_VARIANT_ORIGINAL)];
	uint8_t key[32];
	int i, ret;

	(void)g;
	(void)name;
	if (argc != 2 || (strcmp(argv[0], "identity") && strcmp(argv[0], "bk") &&
			  strcmp(argv[0], "gak"))) {
		fprintf(stderr, "gemctl: usage: gen identity|bk|gak FILE\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (!strcmp(argv[0], "identity")) {
		struct gem_identity id;

		if (gem_identity_generate(argv[1], &id, err, sizeof(err))) {
			fprintf(stderr, "gemctl: gen identity: %s\n", err);
			return 1;
		}
		sodium_bin2base64(pk, sizeof(pk), id.pk, sizeof(id.pk),
				  sodium_base64_VARIANT_ORIGINAL);
		printf("public-key %s router-id ", pk);
		for (i = 0; i < GEM_IDENTITY_ID_LEN; i++)
			printf("%02x%s", id.router_id[i], i % 2 && i < 7 ? ":" : "");
		printf("\n");
		gem_identity_wipe(&id);
		return 0;
	}
	randombytes_buf(key, sizeof(key));
	ret = gem_keyfile_write(argv[1], key, sizeof(key), err, sizeof(err));
	sodium_memzero(key, sizeof(key));
	if (ret) {
		fprintf(stderr, "gemctl: gen %s: %s\n", argv[0], err);
		return 1;
	}
	return 0;
}

/* genkey [BYTES]: a random key in base64 on standard output. */
int gemctl_genkey(struct gemctl *g, const char *name, int argc, char **argv)
{
	long n = argc ? strtol(argv[0], NULL, 10) : 32;

	(void)g;
	(void)name;
	if (argc > 1 || n < 16 || n > GEM_KEY_MAX) {
		fprintf(stderr, "gemctl: genkey: from 16 to %d bytes\n", GEM_KEY_MAX);
		return 2;
	}
	return gem_keyfile_generate(n) ? 1 : 0;
}
