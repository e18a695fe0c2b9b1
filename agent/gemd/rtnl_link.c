// SPDX-License-Identifier: GPL-2.0
/*
 * One RTM_NEWLINK request, on a short-lived socket: devices are made when
 * gemd starts or gem.ko comes back, not often.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include "lib/netlink_talk.h"
#include "rtnl_link.h"

struct req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[256];
};

static struct rtattr *put(struct req *r, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

int rtnl_link_gem_add(const char *name, const char *underlay)
{
	unsigned int link = if_nametoindex(underlay);
	struct rtattr *info;
	struct req r;

	if (!link)
		return -ENODEV;
	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifi));
	r.nh.nlmsg_type = RTM_NEWLINK;
	r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	r.ifi.ifi_family = AF_UNSPEC;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	put(&r, IFLA_LINK, &link, sizeof(link));
	info = put(&r, IFLA_LINKINFO, NULL, 0);
	put(&r, IFLA_INFO_KIND, "gem", 4);
	info->rta_len = (unsigned short)((char *)&r + r.nh.nlmsg_len - (char *)info);

	return netlink_talk(NETLINK_ROUTE, &r, r.nh.nlmsg_len);
}
