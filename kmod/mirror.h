/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: a gem device's multicast memberships, mirrored onto its underlay.
 */
#ifndef _GEM_MIRROR_H
#define _GEM_MIRROR_H

#include <linux/list.h>
#include <linux/workqueue.h>

struct gem_dev;

/**
 * struct gem_mirror - memberships the gem device holds on its underlay
 * @work: runs a sync, soon after the device sent an IGMP or MLD report
 * @groups: what the underlay joined for it (RTNL)
 */
struct gem_mirror {
	struct delayed_work work;
	struct list_head groups;
};

void gem_mirror_init(struct gem_mirror *m);
void gem_mirror_kick(struct gem_mirror *m);
void gem_mirror_destroy(struct gem_dev *gem);

#endif /* _GEM_MIRROR_H */
