// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane's SA from the BK: the same BK gives every node the
 * same SPI and key; another BK gives others; the SPI is never a
 * reserved one (below 256), and the key is not the BK.
 */
#include <sodium.h>

#include "lib/esp.h"
#include "test.h"

static void test_derive(void)
{
	uint8_t bk[GEM_BK_LEN], other[GEM_BK_LEN];
	struct gem_esp_key a, b, c;
	int i, low = 0;

	randombytes_buf(bk, sizeof(bk));
	randombytes_buf(other, sizeof(other));
	memset(&a, 0xa5, sizeof(a));
	memset(&b, 0x5a, sizeof(b));	/* nothing left from before may show */
	gem_esp_derive(bk, &a);
	gem_esp_derive(bk, &b);
	gem_esp_derive(other, &c);
	EXPECT(a.spi == b.spi && !memcmp(a.auth, b.auth, sizeof(a.auth)));
	EXPECT(a.spi != c.spi && memcmp(a.auth, c.auth, sizeof(a.auth)));
	EXPECT(memcmp(a.auth, bk, sizeof(a.auth)));
	for (i = 0; i < 1000; i++) {
		randombytes_buf(bk, sizeof(bk));
		gem_esp_derive(bk, &a);
		low += a.spi < 256;
	}
	EXPECT(low == 0);
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	RUN(test_derive);
	return TEST_EXIT();
}
