/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: the gem link kind, a virtual device bound to one underlay.
 */
#ifndef _GEM_DEVICE_H
#define _GEM_DEVICE_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/ratelimit.h>

#include "keys.h"
#include "mirror.h"
#include "norm.h"
#include "stats.h"

/**
 * struct gem_dev - private part of a gem net_device
 * @dev: the gem device itself
 * @underlay: the device sealed packets leave and arrive on; held for
 *	the gem device's whole life, it never changes
 * @underlay_tracker: reference tracker for @underlay
 * @list: entry in the namespace's device list (RTNL for writers, RCU for
 *	readers)
 * @keys: protected groups and streams
 * @drops: drops by reason
 * @rx_hook: the netfilter ingress hook on @underlay that takes sealed packets
 * @tx_guard: the netfilter egress hook on @underlay that lets nothing to a
 *	protected group leave unsealed
 * @hooked: @rx_hook and @tx_guard are registered (from gem_newlink, once
 *	the device is, so that only unregistering, which waits for hooks
 *	running, ever removes them)
 * @key_ntf: limits the notifications of missing receive keys, which anyone
 *	on the underlay can cause
 * @tx_key_ntf: limits those of missing transmit keys, caused by local senders
 * @mirror: the device's memberships, held on the underlay
 * @inflight: packets whose AEAD went asynchronous and has not completed
 */
struct gem_dev {
	struct net_device *dev;
	struct net_device *underlay;
	netdevice_tracker underlay_tracker;
	struct list_head list;
	struct gem_keys keys;
	struct gem_pcpu_drops __percpu *drops;
	struct nf_hook_ops rx_hook;
	struct nf_hook_ops tx_guard;
	bool hooked;
	struct ratelimit_state key_ntf;
	struct ratelimit_state tx_key_ntf;
	struct gem_mirror mirror;
	atomic_t inflight;
};

/**
 * struct gem_net - per network namespace state
 * @devices: gem devices of this namespace
 * @gen: bumped on every add and delete, so a dump can tell it raced
 * @n_devices: gem devices set up in the namespace; the prerouting
 *	backstop (receive.c) is hooked in while there are any (RTNL)
 * @norm: the namespace's normalizer rules and streams
 */
struct gem_net {
	struct list_head devices;
	unsigned int gen;
	unsigned int n_devices;
	struct gem_norm norm;
};

struct gem_net *gem_net(const struct net *net);
bool gem_dev_is_gem(const struct net_device *dev);
struct gem_dev *gem_dev_by_underlay_rcu(struct net *net, const struct net_device *underlay);
unsigned int gem_dev_max_mtu(unsigned int underlay_mtu);
void gem_dev_setup(struct net_device *dev);
bool gem_dev_op_hold(struct gem_crypto_op *op, int *err);
void gem_dev_op_done(struct gem_crypto_op *op);

int gem_dev_net_init(void);
void gem_dev_net_uninit(void);
int gem_dev_init(void);
void gem_dev_uninit(void);

#endif /* _GEM_DEVICE_H */
