// SPDX-License-Identifier: GPL-2.0
/*
 * One rtnetlink request per route change, on a short-lived socket: routes
 * change when the network does, not per packet.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/msg.h>

#include "lib/gem_nl.h"
#include "rtnl_route.h"

int rtnl_route(bool add, bool v4, const uint8_t *prefix, uint8_t plen, const uint8_t *via6,
	       unsigned int ifindex, uint32_t metric)
{
	struct rtmsg rt = {
		.rtm_family = v4 ? AF_INET : AF_INET6,
		.rtm_dst_len = plen,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = GEM_RTPROT_BABEL,
		.rtm_scope = RT_SCOPE_UNIVERSE,
		.rtm_type = RTN_UNICAST,
	};
	struct {
		unsigned short family;
		uint8_t addr[16];
	} __attribute__((packed)) via = { .family = AF_INET6 };
	struct nl_msg *m;

	m = nlmsg_alloc_simple(add ? RTM_NEWROUTE : RTM_DELROUTE,
			       add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	memcpy(via.addr, via6, 16);
	if (m && (nlmsg_append(m, &rt, sizeof(rt), NLMSG_ALIGNTO) ||
		  nla_put(m, RTA_DST, v4 ? 4 : 16, prefix) ||
		  nla_put_u32(m, RTA_OIF, ifindex) || nla_put_u32(m, RTA_PRIORITY, metric) ||
		  (v4 ? nla_put(m, RTA_VIA, sizeof(via), &via)
		      : nla_put(m, RTA_GATEWAY, 16, via6)))) {
		nlmsg_free(m);
		m = NULL;
	}
	return gem_nl_talk(NETLINK_ROUTE, m);
}
