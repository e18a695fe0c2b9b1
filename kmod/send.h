/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: packets sent out of a gem device.
 */
#ifndef _GEM_SEND_H
#define _GEM_SEND_H

#include <linux/netdevice.h>

#include "keys.h"

struct gem_dev;

netdev_tx_t gem_send_xmit(struct sk_buff *skb, struct net_device *dev);
int gem_send_guard_register(struct gem_dev *gem);
void gem_send_guard_unregister(struct gem_dev *gem);
int gem_send_link_header(struct sk_buff *skb, struct net_device *dev, u8 family,
			 const union gem_addr *group);

#endif /* _GEM_SEND_H */
