// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: a gem device's multicast memberships, mirrored onto its underlay.
 *
 * Sealed packets travel to the group itself, so the underlay must be a
 * member for snooping switches and upstream routers to deliver them. The
 * gem device has no link-layer address and no multicast filter to hook;
 * what it does have is IGMP and MLD reports, which the stack sends on it
 * whenever its memberships change. gem_send_xmit drops those (they are not
 * sealed traffic) and kicks a sync that, under RTNL, makes the underlay's
 * memberships on the gem device's behalf equal the gem device's own.
 * Link-local groups (224.0.0.0/24, ff02::/16) are the link's own business
 * and are not mirrored.
 */

#include <linux/igmp.h>
#include <linux/inetdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/ipv6.h>

#include "compat.h"
#include "device.h"
#include "mirror.h"

#define GEM_MIRROR_MAX	1024

struct gem_mirrored {
	struct list_head list;
	u8 family;
	union gem_addr group;
	bool wanted;
};

static bool gem_mirror_has(struct gem_mirror *m, u8 family, const union gem_addr *g,
			   bool mark)
{
	struct gem_mirrored *e;

	list_for_each_entry(e, &m->groups, list)
		if (e->family == family && !memcmp(&e->group, g, sizeof(*g))) {
			e->wanted |= mark;
			return true;
		}
	return false;
}

static void gem_mirror_join(struct gem_dev *gem, u8 family, const union gem_addr *g)
{
	struct gem_mirrored *e;
	struct in_device *in;

	if (gem_mirror_has(&gem->mirror, family, g, true))
		return;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return;		/* retried at the next report */
	if (family == AF_INET) {
		in = __in_dev_get_rtnl(gem->underlay);
		if (!in) {
			kfree(e);
			return;
		}
		ip_mc_inc_group(in, g->v4);
	} else if (ipv6_dev_mc_inc(gem->underlay, &g->v6)) {
		kfree(e);
		return;
	}
	e->family = family;
	e->group = *g;
	e->wanted = true;
	list_add(&e->list, &gem->mirror.groups);
}

static void gem_mirror_leave(struct gem_dev *gem, struct gem_mirrored *e)
{
	struct in_device *in;

	if (e->family == AF_INET) {
		in = __in_dev_get_rtnl(gem->underlay);
		if (in)
			ip_mc_dec_group(in, e->group.v4);
	} else {
		ipv6_dev_mc_dec(gem->underlay, &e->group.v6);
	}
	list_del(&e->list);
	kfree(e);
}

/* The gem device's own groups; link-local ones are left out. */
static int gem_mirror_wanted(struct gem_dev *gem, u8 *family, union gem_addr *groups, int max)
{
	struct in_device *in = __in_dev_get_rtnl(gem->dev);
	struct inet6_dev *in6;
	struct ip_mc_list *im;
	struct ifmcaddr6 *ma;
	int n = 0;

	if (in)
		for (im = rtnl_dereference(in->mc_list); im && n < max;
		     im = rtnl_dereference(im->next_rcu)) {
			if (ipv4_is_local_multicast(im->multiaddr))
				continue;
			family[n] = AF_INET;
			memset(&groups[n], 0, sizeof(groups[n]));
			groups[n++].v4 = im->multiaddr;
		}
	rcu_read_lock();
	in6 = __in6_dev_get(gem->dev);
	if (in6)
		for (ma = rcu_dereference(in6->mc_list); ma && n < max;
		     ma = rcu_dereference(ma->next)) {
			if (ipv6_addr_type(&ma->mca_addr) & IPV6_ADDR_LINKLOCAL ||
			    ipv6_addr_is_ll_all_nodes(&ma->mca_addr) ||
			    IPV6_ADDR_MC_SCOPE(&ma->mca_addr) <= IPV6_ADDR_SCOPE_LINKLOCAL)
				continue;
			family[n] = AF_INET6;
			groups[n++].v6 = ma->mca_addr;
		}
	rcu_read_unlock();
	return n;
}

static void gem_mirror_sync(struct gem_dev *gem)
{
	struct gem_mirrored *e, *tmp;
	union gem_addr *groups;
	u8 *family;
	int i, n;

	groups = kcalloc(GEM_MIRROR_MAX, sizeof(*groups), GFP_KERNEL);
	family = kcalloc(GEM_MIRROR_MAX, sizeof(*family), GFP_KERNEL);
	if (!groups || !family)
		goto out;
	n = gem_mirror_wanted(gem, family, groups, GEM_MIRROR_MAX);
	list_for_each_entry(e, &gem->mirror.groups, list)
		e->wanted = false;
	for (i = 0; i < n; i++)
		gem_mirror_join(gem, family[i], &groups[i]);
	list_for_each_entry_safe(e, tmp, &gem->mirror.groups, list)
		if (!e->wanted)
			gem_mirror_leave(gem, e);
out:
	kfree(groups);
	kfree(family);
}

static void gem_mirror_work(struct work_struct *work)
{
	struct gem_mirror *m = container_of(to_delayed_work(work), struct gem_mirror, work);
	struct gem_dev *gem = container_of(m, struct gem_dev, mirror);

	/* The device's teardown holds RTNL while it cancels this work. */
	if (!rtnl_trylock()) {
		schedule_delayed_work(&m->work, HZ / 10);
		return;
	}
	if (gem->dev->reg_state == NETREG_REGISTERED)
		gem_mirror_sync(gem);
	rtnl_unlock();
}

/**
 * gem_mirror_init() - sets up a gem device's membership mirror
 * @m: the mirror
 */
void gem_mirror_init(struct gem_mirror *m)
{
	INIT_DELAYED_WORK(&m->work, gem_mirror_work);
	INIT_LIST_HEAD(&m->groups);
}

/**
 * gem_mirror_kick() - schedules a sync of the mirrored memberships
 *
 * From the packet path: a report went out, memberships may have changed.
 * @m: the mirror
 */
void gem_mirror_kick(struct gem_mirror *m)
{
	mod_delayed_work(system_percpu_wq, &m->work, HZ / 20);
}

/**
 * gem_mirror_destroy() - drops every membership mirrored onto the underlay
 *
 * Under RTNL, as the device goes: the underlay leaves what it joined.
 * @gem: the gem device, going
 */
void gem_mirror_destroy(struct gem_dev *gem)
{
	struct gem_mirrored *e, *tmp;

	cancel_delayed_work_sync(&gem->mirror.work);
	list_for_each_entry_safe(e, tmp, &gem->mirror.groups, list)
		gem_mirror_leave(gem, e);
}
