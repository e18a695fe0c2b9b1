/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: the "gem" generic-netlink family.
 */
#ifndef _GEM_NETLINK_H
#define _GEM_NETLINK_H

#include <linux/netdevice.h>

int gem_nl_init(void);
void gem_nl_uninit(void);
void gem_nl_notify_dev(struct net_device *dev, u8 cmd);

struct gem_dev;
struct gem_stream_id;
void gem_nl_notify_key_missing(struct gem_dev *gem, bool tx, const struct gem_stream_id *id);

struct gem_norm_rule;
struct gem_norm_stream;
void gem_nl_notify_norm_rule(struct net *net, const struct gem_norm_rule *r, u8 cmd);
void gem_nl_notify_norm_stream(struct net *net, const struct gem_norm_stream *s, u8 cmd,
			       u8 reason, gfp_t gfp);

#endif /* _GEM_NETLINK_H */
