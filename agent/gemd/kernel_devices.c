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

/* As "ip link add NAME link UNDERLAY type gem" and "ip link set NAME up". */
static int link_add(const char *name, const char *underlay)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	unsigned int link = if_nametoindex(underlay);
	struct nlattr *info;
	struct nl_msg *m;

	if (!link)
		return -ENODEV;
	m = nlmsg_alloc_simple(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	if (!m || nlmsg_append(m, &ifi, sizeof(ifi), NLMSG_ALIGNTO) ||
	    nla_put_string(m, IFLA_IFNAME, name) || nla_put_u32(m, IFLA_LINK, link) ||
	    !(info = nla_nest_start(m, IFLA_LINKINFO)) ||
	    nla_put_string(m, IFLA_INFO_KIND, "gem")) {
		nlmsg_free(m);
		return -ENOMEM;
	}
	nla_nest_end(m, info);
	return gem_nl_talk(NETLINK_ROUTE, m);
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
