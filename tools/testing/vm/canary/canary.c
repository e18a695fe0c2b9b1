// SPDX-License-Identifier: GPL-2.0
/*
 * The debug kernel's own test: loaded with fault=uaf it reads memory it
 * freed, with fault=leak it drops the only pointer to a buffer, with
 * fault=lockorder it takes two mutexes in one order and then the other,
 * so that canary-check can see KASAN, kmemleak and lockdep report them.
 * Never built for a real kernel; its load always fails.
 */
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *fault = "";
module_param(fault, charp, 0400);
MODULE_PARM_DESC(fault, "uaf, leak or lockorder");

static DEFINE_MUTEX(canary_a);
static DEFINE_MUTEX(canary_b);

static int __init canary_init(void)
{
	char *p;

	if (!strcmp(fault, "lockorder")) {
		mutex_lock(&canary_a);
		mutex_lock(&canary_b);
		mutex_unlock(&canary_b);
		mutex_unlock(&canary_a);
		mutex_lock(&canary_b);
		mutex_lock(&canary_a);	/* lockdep: circular dependency */
		mutex_unlock(&canary_a);
		mutex_unlock(&canary_b);
		return -EAGAIN;
	}
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

MODULE_DESCRIPTION("GEM test VM: a fault for KASAN, kmemleak or lockdep to report");
MODULE_LICENSE("GPL");
