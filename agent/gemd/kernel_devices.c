// SPDX-License-Identifier: GPL-2.0
/*
 * gem.ko's devices: found by name over the gem family, made when missing
 * with one RTM_NEWLINK request on a short-lived socket (devices are made
 * when gemd starts or gem.ko comes back, not often), and given groups.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "kernel_nl.h"
#include "lib/netlink_talk.h"

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

/* As "ip link add NAME link UNDERLAY type gem" and "ip link set NAME up". */
static int link_add(const char *name, const char *underlay)
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

unsigned int kernel_dev_ifindex(struct gemd_kernel *kn, const char *name)
{
	return gem_nl_dev_ifindex(&kn->nl, name);
}

int kernel_dev_create(const char *name, const char *underlay)
{
	/* A name taken (by a device that is no gem one, say) is not ours to replace. */
	if (if_nametoindex(name))
		return -EEXIST;
	return link_add(name, underlay);
}

int kernel_group_set(struct gemd_kernel *kn, unsigned int ifindex, const struct gem_addr *prefix,
		     uint8_t tag_alg, const uint8_t *tag, size_t tag_len)
{
	struct nl_msg *msg = gem_nl_msg(&kn->nl, GEM_CMD_GROUP_SET, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex) ||
	    nla_put(msg, GEM_A_CONF_GROUP, prefix->len, prefix->bytes) ||
	    nla_put_u8(msg, GEM_A_CONF_PREFIXLEN, (uint8_t)prefix->prefixlen) ||
	    nla_put_u8(msg, GEM_A_CONF_TAG_ALG, tag_alg) ||
	    nla_put(msg, GEM_A_CONF_KEY, (int)tag_len, tag)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	/* gem_nl_send wipes the request, the tag included. */
	return gem_nl_request(&kn->nl, msg);
}
