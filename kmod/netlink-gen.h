/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/gem.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_GEM_GEN_H
#define _LINUX_GEM_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/gem.h>
#include <compat.h>

/* Ops table for gem */
extern const struct genl_split_ops gem_nl_ops[15];

int gem_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gem_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gem_nl_tx_set_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_tx_del_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_tx_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gem_nl_rx_set_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_rx_del_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_rx_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gem_nl_norm_set_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_norm_del_doit(struct sk_buff *skb, struct genl_info *info);
int gem_nl_norm_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int gem_nl_norm_stream_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb);

enum {
	GEM_NLGRP_EVENTS,
};

#endif /* _LINUX_GEM_GEN_H */
