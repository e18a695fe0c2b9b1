/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kernel_*.c share, and only they: the session behind kernel.h's
 * opaque struct gemd_kernel, over lib/gem_nl.h.
 */
#ifndef GEM_GEMD_KERNEL_NL_H
#define GEM_GEMD_KERNEL_NL_H

#include <stdbool.h>

#include "lib/gem_nl.h"
#include "kernel.h"

struct gemd_kernel {
	struct gem_nl nl;		/* requests to gem.ko */
	struct gem_nl events;		/* gem.ko's events */
	bool have_events;
};

/*
 * A dump of cmd on ifindex (0: none), read whole (gem_nl_dump: one that a
 * change overtook is read again), then each reply to cb. 0 or -errno.
 */
int kernel_nl_dump(struct gemd_kernel *kn, uint8_t cmd, unsigned int ifindex,
		   gem_nl_msg_cb cb, void *arg);

#endif /* GEM_GEMD_KERNEL_NL_H */
