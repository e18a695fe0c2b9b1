// SPDX-License-Identifier: GPL-2.0
/*
 * The debug kernel's own test: loaded with fault=uaf it reads memory it
 * freed, with fault=leak it drops the only pointer to a buffer, so that
 * canary-check can see KASAN and kmemleak report them. Never built for a
 * real kernel, and its load always fails once the fault is made.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *fault = "";
module_param(fault, charp, 0400);
MODULE_PARM_DESC(fault, "uaf or leak");

static int __init canary_init(void)
{
	char *p;

	p = kmalloc(64, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (!strcmp(fault, "uaf")) {
		kfree(p);
		pr_info("canary: read %d after free\n", READ_ONCE(p[8]));
	} else if (!strcmp(fault, "leak")) {
		memset(p, 0x5a, 64);	/* and the only pointer goes out of scope */
	} else {
		kfree(p);
	}
	return -EAGAIN;
}
module_init(canary_init);

MODULE_DESCRIPTION("GEM test VM: a fault for KASAN and kmemleak to report");
MODULE_LICENSE("GPL");
