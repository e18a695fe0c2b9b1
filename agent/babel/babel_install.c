// SPDX-License-Identifier: GPL-2.0
/*
 * The routes Babel selected, in the kernel's table (through
 * rtnl_route.c) when install-routes is on: added, moved and removed as
 * the selection changes, and all removed when the speaker closes.
 */
#include <arpa/inet.h>
#include <string.h>

#include "babel_int.h"
#include "lib/log.h"
#include "rtnl_route.h"

static bool prefix_same(const struct babel_prefix *a, const struct babel_prefix *b)
{
	return a->v4 == b->v4 && a->plen == b->plen && !memcmp(a->addr, b->addr, 16);
}

/* The kernel's routes follow the selection: added, moved, removed. */
void babel_install_reconcile(struct babel *b)
{
	unsigned int i, k;
	char a[INET6_ADDRSTRLEN];

	if (!b->install)
		return;
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		struct babel_installed *in = &b->installed[i];
		const struct babel_route *r;

		if (!in->used)
			continue;
		r = babel_table_selected(b->table, &in->prefix);
		if (r && !memcmp(r->next_hop, in->via, 16) &&
		    b->ifaces[b->peers[r->neigh].iface].ifindex == in->ifindex)
			continue;
		rtnl_route(false, in->prefix.v4, in->prefix.addr, in->prefix.plen, in->via,
			   in->ifindex, 0);
		in->used = false;
	}
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		const struct babel_route *r = &b->table->routes[i];
		struct babel_installed *slot = NULL;
		unsigned int ifindex;
		int err;

		if (!r->used || !r->selected)
			continue;
		for (k = 0; k < BABEL_ROUTES_MAX; k++) {
			if (b->installed[k].used && prefix_same(&b->installed[k].prefix, &r->prefix))
				break;
			if (!b->installed[k].used && !slot)
				slot = &b->installed[k];
		}
		if (k < BABEL_ROUTES_MAX || !slot)
			continue;
		ifindex = b->ifaces[b->peers[r->neigh].iface].ifindex;
		err = rtnl_route(true, r->prefix.v4, r->prefix.addr, r->prefix.plen, r->next_hop,
				 ifindex, babel_metric_add(r->metric, r->cost));
		inet_ntop(r->prefix.v4 ? AF_INET : AF_INET6, r->prefix.addr, a, sizeof(a));
		if (err) {
			gem_log(GEM_LOG_WARNING, "route %s/%u: %s", a, r->prefix.plen, strerror(-err));
			continue;
		}
		gem_log(GEM_LOG_INFO, "route %s/%u installed, metric %u", a, r->prefix.plen,
			babel_metric_add(r->metric, r->cost));
		slot->used = true;
		slot->prefix = r->prefix;
		memcpy(slot->via, r->next_hop, 16);
		slot->ifindex = ifindex;
	}
}

/* What we put in the kernel goes with us. */
void babel_install_remove_all(struct babel *b)
{
	unsigned int i;

	for (i = 0; i < BABEL_ROUTES_MAX; i++)
		if (b->installed[i].used)
			rtnl_route(false, b->installed[i].prefix.v4, b->installed[i].prefix.addr,
				   b->installed[i].prefix.plen, b->installed[i].via,
				   b->installed[i].ifindex, 0);
}
