// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the gem link kind.
 *
 * A gem device is a layer-3 device bound to one underlay. Multicast sent
 * out of it leaves the underlay sealed (send.c); sealed multicast arriving
 * on the underlay appears, opened, as received on it (receive.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rculist.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include <linux/gem.h>

#include "compat.h"
#include "device.h"
#include "netlink.h"
#include "receive.h"
#include "send.h"

static unsigned int gem_net_id __read_mostly;

/**
 * gem_net() - the gem state of a namespace
 * @net: the namespace
 *
 * Return: its struct gem_net.
 */
struct gem_net *gem_net(const struct net *net)
{
	return net_generic(net, gem_net_id);
}

/* A dump's sequence of 0 means "none", so the generation skips it. */
static void gem_net_changed(struct gem_net *gn)
{
	WRITE_ONCE(gn->gen, gn->gen + 1 ?: 1);
}

/**
 * gem_dev_max_mtu() - the largest MTU a gem device over an underlay may have
 * @underlay_mtu: the underlay's MTU
 *
 * Return: the underlay's MTU less GEM_OVERHEAD, or 0 if that is too small.
 */
unsigned int gem_dev_max_mtu(unsigned int underlay_mtu)
{
	if (underlay_mtu < ETH_MIN_MTU + GEM_OVERHEAD)
		return 0;
	return underlay_mtu - GEM_OVERHEAD;
}

static int gem_get_iflink(const struct net_device *dev)
{
	const struct gem_dev *gem = netdev_priv(dev);

	return gem->underlay->ifindex;
}

static int gem_init(struct net_device *dev)
{
	struct gem_net *gn = gem_net(dev_net(dev));
	struct gem_dev *gem = netdev_priv(dev);
	int err;

	gem->drops = alloc_percpu(struct gem_pcpu_drops);
	if (!gem->drops)
		return -ENOMEM;
	err = gem_keys_init(&gem->keys);
	if (err)
		goto err_drops;
	gem_mirror_init(&gem->mirror);
	ratelimit_state_init(&gem->key_ntf, HZ, 10);
	/*
	 * Local senders starting many streams at once (an encoder farm
	 * booting) are keyed at this rate: a higher one than remote traffic gets.
	 */
	ratelimit_state_init(&gem->tx_key_ntf, HZ, 200);
	/* Silent: the counters say how many went unreported. */
	ratelimit_set_flags(&gem->key_ntf, RATELIMIT_MSG_ON_RELEASE);
	ratelimit_set_flags(&gem->tx_key_ntf, RATELIMIT_MSG_ON_RELEASE);
	if (!gn->n_devices) {
		err = gem_receive_backstop_register(dev_net(dev));
		if (err)
			goto err_keys;
	}
	gn->n_devices++;
	/* Paired with gem_destruct, which register_netdevice's error path runs. */
	netdev_hold(gem->underlay, &gem->underlay_tracker, GFP_KERNEL);
	/* Counted against "destroyed" by the unload selftest's leak check. */
	pr_debug("%s: created on %s\n", dev->name, gem->underlay->name);
	return 0;

err_keys:
	gem_keys_destroy(&gem->keys);
	gem_keys_free(&gem->keys);
err_drops:
	free_percpu(gem->drops);
	return err;
}

static void gem_uninit(struct net_device *dev)
{
	struct gem_net *gn = gem_net(dev_net(dev));
	struct gem_dev *gem = netdev_priv(dev);

	gem_mirror_destroy(gem);
	if (!--gn->n_devices)
		gem_receive_backstop_unregister(dev_net(dev));
	/*
	 * Unhooking does not wait for a hook running on another CPU, which
	 * may still read the keys' tables, the drop counters and the
	 * underlay: those go in gem_destruct, after unregistering waited for
	 * a grace period.
	 */
	if (gem->hooked) {
		gem_send_guard_unregister(gem);
		gem_receive_hook_unregister(gem);
	}
	gem_keys_destroy(&gem->keys);
}

static const struct net_device_ops gem_netdev_ops = {
	.ndo_init		= gem_init,
	.ndo_uninit		= gem_uninit,
	.ndo_start_xmit		= gem_send_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_get_iflink		= gem_get_iflink,
};

/**
 * gem_dev_is_gem() - whether a net_device is a gem device
 * @dev: any net_device
 *
 * Return: true if it is.
 */
bool gem_dev_is_gem(const struct net_device *dev)
{
	return dev->netdev_ops == &gem_netdev_ops;
}

/* After the last reference: register_netdevice's error path, or unregister's. */
static void gem_destruct(struct net_device *dev)
{
	struct gem_dev *gem = netdev_priv(dev);

	gem_keys_free(&gem->keys);
	free_percpu(gem->drops);
	netdev_put(gem->underlay, &gem->underlay_tracker);
	pr_debug("%s: destroyed\n", dev->name);
}

static unsigned int max_inflight = 4096;
module_param(max_inflight, uint, 0644);
MODULE_PARM_DESC(max_inflight,
		 "Packets a gem device has at most in an asynchronous AEAD at a time");

/**
 * gem_dev_op_hold() - keeps what a packet's asynchronous AEAD needs after it
 * @op: the op, its device and stream set
 * @err: why not, when it returns false
 *
 * The stream and the device (which holds its underlay and tables) then
 * outlive the gap between submitting and completing the request; the
 * device's unregistering waits for them. The device's packets in flight
 * are bounded: not every asynchronous AEAD bounds its queue. Only a
 * request that went asynchronous writes the count, so the synchronous
 * return, the common case, only reads it.
 *
 * Return: false, nothing held, if the stream is on its way out or the
 * device has the most packets in flight it may (-ENOSPC in @err).
 */
bool gem_dev_op_hold(struct gem_crypto_op *op, int *err)
{
	*err = -ENOSPC;
	if (atomic_read(&op->gem->inflight) >= READ_ONCE(max_inflight))
		return false;
	*err = -ENOENT;
	if (!gem_keys_stream_hold(op->stream))
		return false;
	netdev_hold(op->gem->dev, &op->dev_tracker, GFP_ATOMIC);
	op->inflight = &op->gem->inflight;
	op->held = true;
	return true;
}

/**
 * gem_dev_op_done() - frees an op and lets go of what it held, the device last
 * @op: the op; its skb sent, delivered or freed
 */
void gem_dev_op_done(struct gem_crypto_op *op)
{
	netdevice_tracker tracker = op->dev_tracker;
	struct gem_dev *gem = op->gem;
	void *stream = op->stream;
	bool held = op->held;

	if (op->async)
		atomic_dec(&gem->inflight);
	gem_crypto_op_free(op);
	if (held) {
		gem_keys_stream_put(stream);
		netdev_put(gem->dev, &tracker);
	}
}

/**
 * gem_dev_setup() - rtnl_link_ops setup of a new gem device
 * @dev: the new device
 */
void gem_dev_setup(struct net_device *dev)
{
	struct gem_dev *gem = netdev_priv(dev);

	gem->dev = dev;
	INIT_LIST_HEAD(&gem->list);

	dev->netdev_ops = &gem_netdev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_NOARP | IFF_MULTICAST;
	dev->priv_flags |= IFF_NO_QUEUE;
	/* Moving it would leave the underlay in another namespace. */
	gem_dev_set_lltx_netns_local(dev);
	/*
	 * Sealing rewrites the UDP checksum anyway, so let the stack skip
	 * computing it (and allow UDP GSO, which needs checksum offload). No
	 * segmentation offload: GSO packets are segmented before they reach
	 * gem_send_xmit and sealed one by one.
	 */
	dev->features |= NETIF_F_HW_CSUM | NETIF_F_SG;
	dev->hw_features |= NETIF_F_HW_CSUM | NETIF_F_SG;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU - GEM_OVERHEAD;
	dev->mtu = ETH_DATA_LEN - GEM_OVERHEAD;
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	dev->needs_free_netdev = true;
	dev->priv_destructor = gem_destruct;
}

static bool gem_linkinfo_has_data(const struct nlattr *linkinfo)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_nested(nla, linkinfo, rem)
		if (nla_type(nla) == IFLA_INFO_DATA)
			return true;
	return false;
}

static int gem_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	if (!tb[IFLA_LINK]) {
		NL_SET_ERR_MSG(extack,
			       "gem: an underlay is required: ip link add NAME link DEV type gem");
		return -EINVAL;
	}
	/* The underlay lives where the device does; see gem_check_underlay. */
	if (tb[IFLA_LINK_NETNSID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK_NETNSID],
				    "gem: the underlay must be in the gem device's network namespace");
		return -EINVAL;
	}
	if (tb[IFLA_ADDRESS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
				    "gem: a gem device has no link-layer address");
		return -EINVAL;
	}
	/*
	 * rtnetlink ignores IFLA_INFO_DATA of a kind without attributes;
	 * refuse it so a newer tool's options are not silently dropped.
	 */
	if (tb[IFLA_LINKINFO] && gem_linkinfo_has_data(tb[IFLA_LINKINFO])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINKINFO],
				    "gem: no link attributes are supported; configure the device with gemctl");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* Checks that need only the two devices; the caller holds RTNL. */
static int gem_check_underlay(const struct net_device *dev,
			      const struct net_device *underlay,
			      struct netlink_ext_ack *extack)
{
	if (!net_eq(dev_net(dev), dev_net(underlay))) {
		NL_SET_ERR_MSG(extack,
			       "gem: the underlay must be in the gem device's network namespace");
		return -EINVAL;
	}
	if (gem_dev_is_gem(underlay)) {
		NL_SET_ERR_MSG(extack, "gem: a gem device cannot be an underlay");
		return -EINVAL;
	}
	if (underlay->flags & IFF_LOOPBACK) {
		NL_SET_ERR_MSG(extack, "gem: loopback cannot be an underlay");
		return -EINVAL;
	}
	if (!(underlay->flags & IFF_MULTICAST)) {
		NL_SET_ERR_MSG(extack, "gem: the underlay does not support multicast");
		return -EINVAL;
	}
	if (underlay->header_ops && underlay->type != ARPHRD_ETHER) {
		NL_SET_ERR_MSG(extack, "gem: the underlay's link layer is not supported");
		return -EINVAL;
	}
	if (!gem_dev_max_mtu(underlay->mtu)) {
		NL_SET_ERR_MSG(extack, "gem: the underlay's MTU is too small for GEM's overhead");
		return -EINVAL;
	}
	return 0;
}

/**
 * gem_dev_by_underlay_rcu() - the gem device over an underlay
 * @net: the underlay's namespace
 * @underlay: the underlay
 *
 * The gem device over @underlay in @net, or NULL; under RCU.
 *
 * Return: the gem device, or NULL.
 */
struct gem_dev *gem_dev_by_underlay_rcu(struct net *net, const struct net_device *underlay)
{
	struct gem_net *gn = gem_net(net);
	struct gem_dev *gem;

	list_for_each_entry_rcu(gem, &gn->devices, list)
		if (gem->underlay == underlay)
			return gem;
	return NULL;
}

static struct gem_dev *gem_find_by_underlay(struct gem_net *gn,
					    const struct net_device *underlay)
{
	struct gem_dev *gem;

	list_for_each_entry(gem, &gn->devices, list)
		if (gem->underlay == underlay)
			return gem;
	return NULL;
}

int gem_newlink(struct net_device *dev, struct rtnl_newlink_params *params,
		struct netlink_ext_ack *extack)
{
	struct gem_dev *gem = netdev_priv(dev);
	struct gem_net *gn = gem_net(dev_net(dev));
	struct nlattr **tb = params->tb;
	struct net_device *underlay;
	int err;

	underlay = __dev_get_by_index(rtnl_newlink_link_net(params), nla_get_u32(tb[IFLA_LINK]));
	if (!underlay) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_LINK], "gem: underlay device not found");
		return -ENODEV;
	}
	err = gem_check_underlay(dev, underlay, extack);
	if (err)
		return err;
	/* The underlay's receive hook must know which device a packet is for. */
	if (gem_find_by_underlay(gn, underlay)) {
		NL_SET_ERR_MSG(extack, "gem: the underlay already carries a gem device");
		return -EBUSY;
	}

	dev->max_mtu = gem_dev_max_mtu(underlay->mtu);
	if (!tb[IFLA_MTU]) {
		dev->mtu = dev->max_mtu;
	} else if (dev->mtu > dev->max_mtu) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
				    "gem: MTU above the underlay's MTU less GEM's overhead");
		return -EINVAL;
	}

	gem->underlay = underlay;
	/* Room to seal in place without reallocating. */
	dev->needed_headroom = LL_RESERVED_SPACE(underlay) + GEM_WIRE_HDR_LEN;
	dev->needed_tailroom = underlay->needed_tailroom + GEM_AEAD_TAG_LEN + GEM_GAK_TAG_LEN;
	err = register_netdevice(dev);
	if (err)
		return err;
	err = netdev_upper_dev_link(underlay, dev, extack);
	if (err)
		goto err_unregister;
	/*
	 * Hooked only now: a device that fails to register is freed at once,
	 * with no grace period for a hook running on another CPU. RTNL keeps
	 * every group out until this returns, so nothing is unguarded.
	 */
	err = gem_receive_hook_register(gem);
	if (err)
		goto err_unlink;
	err = gem_send_guard_register(gem);
	if (err) {
		gem_receive_hook_unregister(gem);
		goto err_unlink;
	}
	gem->hooked = true;

	list_add_tail_rcu(&gem->list, &gn->devices);
	gem_net_changed(gn);
	gem_nl_dev_notify(dev, GEM_CMD_DEV_ADD_NTF);
	return 0;

err_unlink:
	netdev_upper_dev_unlink(underlay, dev);
err_unregister:
	unregister_netdevice(dev);
	return err;
}

static void gem_dellink(struct net_device *dev, struct list_head *head)
{
	struct gem_dev *gem = netdev_priv(dev);

	gem_nl_dev_notify(dev, GEM_CMD_DEV_DEL_NTF);
	list_del_rcu(&gem->list);
	gem_net_changed(gem_net(dev_net(dev)));
	netdev_upper_dev_unlink(gem->underlay, dev);
	unregister_netdevice_queue(dev, head);
}

static struct rtnl_link_ops gem_link_ops __read_mostly = {
	.kind		= GEM_LINK_KIND,
	.priv_size	= sizeof(struct gem_dev),
	.setup		= gem_dev_setup,
	.validate	= gem_validate,
	.newlink	= gem_rtnl_newlink,
	.dellink	= gem_dellink,
};

static void gem_underlay_changed_mtu(struct gem_dev *gem)
{
	unsigned int max = gem_dev_max_mtu(gem->underlay->mtu);

	/* Below GEM's minimum nothing fits: keep the minimum, packets drop. */
	gem->dev->max_mtu = max ? max : gem->dev->min_mtu;
	if (gem->dev->mtu > gem->dev->max_mtu)
		dev_set_mtu(gem->dev, gem->dev->max_mtu);
}

static int gem_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct gem_net *gn;
	struct gem_dev *gem;
	LIST_HEAD(kill);

	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGEMTU)
		return NOTIFY_DONE;
	gn = gem_net(dev_net(dev));
	/* NULL while a namespace that failed to set up is undone. */
	if (!gn)
		return NOTIFY_DONE;
	/* Gone, or moving to another namespace: so are its normalizer rules. */
	if (event == NETDEV_UNREGISTER)
		gem_norm_rule_dev_gone(&gn->norm, dev);
	if (gem_dev_is_gem(dev))
		return NOTIFY_DONE;

	gem = gem_find_by_underlay(gn, dev);
	if (!gem)
		return NOTIFY_DONE;

	if (event == NETDEV_CHANGEMTU) {
		gem_underlay_changed_mtu(gem);
	} else {
		/* The underlay is going away, or moving to another namespace. */
		gem_dellink(gem->dev, &kill);
		unregister_netdevice_many(&kill);
	}
	return NOTIFY_OK;
}

static struct notifier_block gem_notifier = {
	.notifier_call = gem_netdev_event,
};

static int __net_init gem_net_init(struct net *net)
{
	struct gem_net *gn = gem_net(net);

	INIT_LIST_HEAD(&gn->devices);
	gn->gen = 1;
	gem_norm_init(&gn->norm, net);
	return 0;
}

static void __net_exit gem_net_exit_batch(struct list_head *net_list)
{
	struct gem_dev *gem, *tmp;
	struct net *net;
	LIST_HEAD(kill);

	/* The normalizer first, while the devices its rules hold are there. */
	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		gem_norm_hook_exit(&gem_net(net)->norm);
	rtnl_unlock();
	list_for_each_entry(net, net_list, exit_list)
		gem_norm_streams_exit(&gem_net(net)->norm);
	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		gem_norm_rule_exit(&gem_net(net)->norm);
	list_for_each_entry(net, net_list, exit_list)
		list_for_each_entry_safe(gem, tmp, &gem_net(net)->devices, list)
			gem_dellink(gem->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations gem_net_ops = {
	.init		= gem_net_init,
	.exit_batch	= gem_net_exit_batch,
	.id		= &gem_net_id,
	.size		= sizeof(struct gem_net),
};

/**
 * gem_dev_net_init() - registers the per-namespace state
 *
 * Per-namespace state: there before netlink can ask for it, gone after.
 *
 * Return: 0 or a negative errno.
 */
int gem_dev_net_init(void)
{
	return register_pernet_device(&gem_net_ops);
}

/**
 * gem_dev_net_uninit() - unregisters the per-namespace state
 */
void gem_dev_net_uninit(void)
{
	unregister_pernet_device(&gem_net_ops);
	/* Deleted normalizer rules are freed by callbacks in this module. */
	rcu_barrier();
}

/**
 * gem_dev_init() - registers the gem link kind
 *
 * Return: 0 or a negative errno.
 */
int gem_dev_init(void)
{
	int err;

	err = register_netdevice_notifier(&gem_notifier);
	if (err)
		return err;
	err = rtnl_link_register(&gem_link_ops);
	if (err)
		unregister_netdevice_notifier(&gem_notifier);
	return err;
}

/**
 * gem_dev_uninit() - unregisters the gem link kind
 */
void gem_dev_uninit(void)
{
	/* Deletes every gem device of every namespace, under RTNL. */
	rtnl_link_unregister(&gem_link_ops);
	/* Replays NETDEV_UNREGISTER for every device: every rule goes. */
	unregister_netdevice_notifier(&gem_notifier);
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/device_test.c"
#endif
