/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routes gemd learned over Babel, in the kernel's table, as babeld puts
 * them: protocol "babel" (42), so ip route show proto babel lists them.
 */
#ifndef GEM_RTNL_ROUTE_H
#define GEM_RTNL_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#define GEM_RTPROT_BABEL	42

/*
 * Adds or replaces (add true) or deletes a route to prefix/plen (v4: the
 * first 4 bytes) through a link-local IPv6 next hop on ifindex; IPv4
 * routes take it as an RTA_VIA. 0 or -errno.
 */
int rtnl_route(bool add, bool v4, const uint8_t *prefix, uint8_t plen, const uint8_t *via6,
	       unsigned int ifindex, uint32_t metric);

#endif /* GEM_RTNL_ROUTE_H */
