// SPDX-License-Identifier: GPL-2.0
/*
 * Addresses and prefixes as operators write them, for gemctl's commands
 * and gemd.conf alike.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int gem_parse_addr(const char *s, struct gem_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long plen;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, a->bytes) == 1) {
		a->len = 4;
	} else if (inet_pton(AF_INET6, buf, a->bytes) == 1) {
		a->len = 16;
	} else {
		return -1;
	}
	a->prefixlen = a->len * 8;
	if (slash) {
		plen = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || plen < 0 || plen > a->len * 8)
			return -1;
		a->prefixlen = plen;
	}
	return 0;
}
