// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses and prefixes as gemctl reads them.
 */
#include "lib/addr.h"
#include "test.h"

static void test_ipv4(void)
{
	struct gem_addr a;

	EXPECT(gem_parse_addr("239.1.2.3", &a) == 0);
	EXPECT(a.len == 4 && a.prefixlen == 32);
	EXPECT(a.bytes[0] == 239 && a.bytes[3] == 3);
	EXPECT(gem_parse_addr("239.1.0.0/16", &a) == 0);
	EXPECT(a.len == 4 && a.prefixlen == 16);
}

static void test_ipv6(void)
{
	struct gem_addr a;

	EXPECT(gem_parse_addr("ff3e::4321", &a) == 0);
	EXPECT(a.len == 16 && a.prefixlen == 128);
	EXPECT(a.bytes[0] == 0xff && a.bytes[15] == 0x21);
	EXPECT(gem_parse_addr("ff3e::/16", &a) == 0);
	EXPECT(a.prefixlen == 16);
}

static void test_refused(void)
{
	const char *bad[] = { "", "239.1.2", "239.1.2.3/33", "239.1.2.3/", "ff3e::/129",
			      "239.1.2.3/-1", "example.com", "239.1.2.3/8x",
			      "1111:2222:3333:4444:5555:6666:7777:8888:9999" };
	struct gem_addr a;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT(gem_parse_addr(bad[i], &a) == -1);
}

int main(void)
{
	RUN(test_ipv4);
	RUN(test_ipv6);
	RUN(test_refused);
	return TEST_EXIT();
}
