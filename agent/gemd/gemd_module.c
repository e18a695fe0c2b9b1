// SPDX-License-Identifier: GPL-2.0
/*
 * Programming gem.ko from gemd, over the "gem" generic-netlink family.
 */
#include <stdio.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "lib/gak.h"
#include "lib/gem_nl.h"
#include "gemd_module.h"
#include "lib/log.h"

int gemd_module_groups(const struct gemd_conf *c, char *err, size_t errlen)
{
	unsigned int d, i, ifindex;
	struct gem_nl nl;
	int installed = 0;

	if (gem_nl_open(&nl)) {
		snprintf(err, errlen, "gem.ko: %s", nl.errmsg);
		return -1;
	}
	for (d = 0; d < c->n_devices; d++) {
		ifindex = gem_nl_dev_ifindex(&nl, c->devices[d].name);
		if (!ifindex) {
			gem_log(GEM_LOG_WARNING, "device %s: %s; its groups are not installed",
				c->devices[d].name, nl.errmsg);
			continue;
		}
		for (i = 0; i < c->n_groups; i++) {
			const struct gemd_conf_group *g = &c->groups[i];
			struct nl_msg *msg = gem_nl_msg(&nl, GEM_CMD_GROUP_SET, 0);
			struct gem_gak k;
			int ret;

			if (!msg)
				continue;
			if (gem_gak_load(g->gak, &k, err, errlen)) {
				nlmsg_free(msg);
				gem_log(GEM_LOG_ERR, "%s", err);
				continue;
			}
			/* The data tag, never the GAK: the kernel holds only this subkey. */
			ret = nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex) ||
			      nla_put(msg, GEM_A_CONF_GROUP, g->prefix.len, g->prefix.bytes) ||
			      nla_put_u8(msg, GEM_A_CONF_PREFIXLEN, (uint8_t)g->prefix.prefixlen) ||
			      nla_put_u8(msg, GEM_A_CONF_TAG_ALG, g->tag_alg) ||
			      nla_put(msg, GEM_A_CONF_KEY, sizeof(k.tag), k.tag);
			gem_gak_wipe(&k);
			if (ret) {
				nlmsg_free(msg);
				continue;
			}
			if (gem_nl_request(&nl, msg)) {
				gem_log(GEM_LOG_ERR, "device %s: group %s: %s", c->devices[d].name,
					g->gak, nl.errmsg);
				continue;
			}
			installed++;
		}
	}
	gem_nl_close(&nl);
	return installed;
}
