/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: addresses, and what a stream is known by.
 */
#ifndef _GEM_ADDR_H
#define _GEM_ADDR_H

#include <linux/in6.h>
#include <linux/inetdevice.h>
#include <linux/types.h>
#include <net/ipv6.h>

union gem_addr {
	__be32 v4;
	struct in6_addr v6;
};

/* What a stream is looked up by; zero-padded so it hashes as bytes. */
struct gem_stream_id {
	u8 family;
	u8 key_id;		/* receive streams only */
	u8 pad[2];
	union gem_addr src;
	union gem_addr group;
};

static inline unsigned int gem_addr_len(u8 family)
{
	return family == AF_INET ? 4 : 16;
}

/* Whether @addr lies in @prefix/@plen; the normalizer's rules and the groups share it. */
static inline bool gem_prefix_match(u8 family, const union gem_addr *addr,
				    const union gem_addr *prefix, u8 plen)
{
	if (family == AF_INET)
		return !((addr->v4 ^ prefix->v4) & inet_make_mask(plen));
	return ipv6_prefix_equal(&addr->v6, &prefix->v6, plen);
}

/*
 * Whether @plen fits @family and @a has no bit set past it: a prefix the
 * group table and the normalizer's rules both take.
 */
static inline bool gem_prefix_ok(u8 family, const union gem_addr *a, u8 plen)
{
	union gem_addr masked;

	if (family == AF_INET)
		return plen <= 32 && !(a->v4 & ~inet_make_mask(plen));
	if (plen > 128)
		return false;
	ipv6_addr_prefix(&masked.v6, &a->v6, plen);
	return ipv6_addr_equal(&masked.v6, &a->v6);
}

#endif /* _GEM_ADDR_H */
