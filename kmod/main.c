// SPDX-License-Identifier: GPL-2.0
/*
 * GEM (Group Encrypted Multicast): module entry points.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <linux/gem.h>

#include "crypto.h"
#include "device.h"
#include "netlink.h"

static int __init gem_mod_init(void)
{
	int err;

	err = gem_crypto_init();
	if (err)
		return err;
	/* Requests find each namespace's state: it comes first. */
	err = gem_dev_net_init();
	if (err)
		goto err_crypto;
	/* The family before devices: creating one sends a notification on it. */
	err = gem_nl_init();
	if (err)
		goto err_net;
	err = gem_dev_init();
	if (err)
		goto err_nl;
	pr_info("Group Encrypted Multicast loaded\n");
	return 0;

err_nl:
	gem_nl_uninit();
err_net:
	gem_dev_net_uninit();
err_crypto:
	gem_crypto_uninit();
	return err;
}

/*
 * The reverse: devices and rules go while their notifications can still be
 * sent; then the family, which waits for requests running; only then the
 * namespaces' state those requests used.
 */
static void __exit gem_mod_exit(void)
{
	gem_dev_uninit();
	gem_nl_uninit();
	gem_dev_net_uninit();
	gem_crypto_uninit();
}

module_init(gem_mod_init);
module_exit(gem_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Group Encrypted Multicast");
MODULE_AUTHOR("The GEM developers");
MODULE_ALIAS_RTNL_LINK(GEM_LINK_KIND);
MODULE_ALIAS_GENL_FAMILY(GEM_GENL_NAME);
