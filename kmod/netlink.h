/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: the "gem" generic-netlink family: what its files share, and the
 * events the rest of gem.ko sends on it.
 */
#ifndef _GEM_NETLINK_H
#define _GEM_NETLINK_H

#include <linux/netdevice.h>
#include <net/genetlink.h>

#include "addr.h"

extern struct genl_family gem_nl_family;

int gem_nl_init(void);
void gem_nl_uninit(void);

/* netlink.c: helpers of the commands */
int gem_nl_addr(struct genl_info *info, int type, u8 *family, union gem_addr *addr);
int gem_nl_put_addr(struct sk_buff *skb, int type, u8 family, const union gem_addr *a);
int gem_nl_maxattr(u8 cmd);
void *gem_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd);
int gem_nl_dump_end(struct sk_buff *skb, struct netlink_callback *cb, void *hdr,
		    int fill_err);
int gem_nl_dump_done(struct sk_buff *skb, int err);

/* netlink_dev.c */
int gem_nl_dev_fill(struct sk_buff *skb, struct net_device *dev, u32 portid, u32 seq,
		    int flags, u8 cmd, struct netlink_callback *cb);
void gem_nl_dev_notify(struct net_device *dev, u8 cmd);

/* netlink_keys.c */
struct gem_dev;
struct gem_stream_id;
void gem_nl_keys_notify_missing(struct gem_dev *gem, bool tx, const struct gem_stream_id *id);

/* norm_netlink.c */
struct gem_norm_conf;
struct gem_norm_rule;
struct gem_norm_stream;
int gem_nl_norm_conf(struct genl_info *info, struct gem_norm_conf *c);
void gem_nl_norm_notify_rule(struct net *net, const struct gem_norm_rule *r, u8 cmd);
void gem_nl_norm_notify_stream(struct net *net, const struct gem_norm_stream *s, u8 cmd,
			       u8 reason, gfp_t gfp);

#endif /* _GEM_NETLINK_H */
