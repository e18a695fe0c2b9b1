// SPDX-License-Identifier: GPL-2.0
/*
 * The configured groups onto gem.ko's devices, each with its GAK's data
 * tag: the kernel holds only this subkey, never the GAK.
 */
#include <stdio.h>

#include "groups.h"
#include "kernel.h"
#include "lib/gak.h"
#include "lib/log.h"

/* One group onto one device; 0, or -1 (logged). */
static int group_install(struct gemd_kernel *kn, unsigned int ifindex, const char *dev,
			 const struct gemd_conf_group *g, char *err, size_t errlen)
{
	struct gem_gak k;
	int ret;

	if (gem_gak_load(g->gak, &k, err, errlen)) {
		gem_log(GEM_LOG_ERR, "%s", err);
		return -1;
	}
	ret = kernel_group_set(kn, ifindex, &g->prefix, g->tag_alg, k.tag, sizeof(k.tag));
	gem_gak_wipe(&k);
	if (ret) {
		gem_log(GEM_LOG_ERR, "device %s: group %s: %s", dev, g->gak, kernel_errmsg(kn));
		return -1;
	}
	return 0;
}

int gemd_groups_install(const struct gemd_conf *c, char *err, size_t errlen)
{
	unsigned int d, i, ifindex;
	struct gemd_kernel *kn;
	char why[256];
	int installed = 0;

	kn = kernel_open(false, why, sizeof(why));
	if (!kn) {
		snprintf(err, errlen, "gem.ko: %s", why);
		return -1;
	}
	for (d = 0; d < c->n_devices; d++) {
		ifindex = kernel_dev_ifindex(kn, c->devices[d].name);
		if (!ifindex) {
			gem_log(GEM_LOG_WARNING, "device %s: %s; its groups are not installed",
				c->devices[d].name, kernel_errmsg(kn));
			continue;
		}
		for (i = 0; i < c->n_groups; i++)
			if (!group_install(kn, ifindex, c->devices[d].name, &c->groups[i], err,
					   errlen))
				installed++;
	}
	kernel_close(kn);
	return installed;
}
