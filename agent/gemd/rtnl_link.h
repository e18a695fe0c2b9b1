/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd creating a gem device, as "ip link add NAME link UNDERLAY type gem"
 * and "ip link set NAME up" would.
 */
#ifndef GEM_RTNL_LINK_H
#define GEM_RTNL_LINK_H

/* 0, or -errno (-ENODEV: no such underlay). */
int rtnl_link_gem_add(const char *name, const char *underlay);

#endif /* GEM_RTNL_LINK_H */
