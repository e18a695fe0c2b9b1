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

#include "lib/netlink_talk.h"
#include "rtnl_route.h"

struct req {
	struct nlmsghdr nh;
	struct rtmsg rt;
	char attrs[128];
};

static void put(struct req *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

int rtnl_route(bool add, bool v4, const uint8_t *prefix, uint8_t plen, const uint8_t *via6,
	       unsigned int ifindex, uint32_t metric)
{
	struct req r;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.rt));
	r.nh.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	r.rt.rtm_family = v4 ? AF_INET : AF_INET6;
	r.rt.rtm_dst_len = plen;
	r.rt.rtm_table = RT_TABLE_MAIN;
	r.rt.rtm_protocol = GEM_RTPROT_BABEL;
	r.rt.rtm_scope = RT_SCOPE_UNIVERSE;
	r.rt.rtm_type = RTN_UNICAST;
	put(&r, RTA_DST, prefix, v4 ? 4 : 16);
	put(&r, RTA_OIF, &ifindex, sizeof(ifindex));
	put(&r, RTA_PRIORITY, &metric, sizeof(metric));
	if (v4) {
		struct {
			unsigned short family;
			uint8_t addr[16];
		} __attribute__((packed)) via = { .family = AF_INET6 };

		memcpy(via.addr, via6, 16);
		put(&r, RTA_VIA, &via, sizeof(via));
	} else {
		put(&r, RTA_GATEWAY, via6, 16);
	}
	return netlink_talk(NETLINK_ROUTE, &r, r.nh.nlmsg_len);
}
