// SPDX-License-Identifier: GPL-2.0
/*
 * The session with gem.ko: opened, closed, its reload seen as a new
 * family id, and the dumps every kernel_*.c reads with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "kernel_nl.h"
#include "lib/log.h"

struct gemd_kernel *kernel_open(bool events, char *err, size_t errlen)
{
	struct gemd_kernel *kn = calloc(1, sizeof(*kn));

	if (!kn) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	if (gem_nl_open(&kn->nl)) {
		snprintf(err, errlen, "%s", kn->nl.errmsg);
		free(kn);
		return NULL;
	}
	if (!events)
		return kn;
	kn->have_events = !gem_nl_open(&kn->events) && !gem_nl_subscribe(&kn->events);
	if (kn->have_events)
		nl_socket_set_nonblocking(kn->events.sk);
	else
		gem_log(GEM_LOG_WARNING, "gem.ko events: %s", kn->events.errmsg);
	return kn;
}

void kernel_close(struct gemd_kernel *kn)
{
	if (!kn)
		return;
	gem_nl_close(&kn->nl);
	if (kn->have_events)
		gem_nl_close(&kn->events);
	free(kn);
}

/*
 * A module reloaded registers its family anew; asked on a socket of its
 * own, as the request socket carries callbacks a control query must not meet.
 */
bool kernel_reloaded(const struct gemd_kernel *kn)
{
	return gem_nl_family_now() != kn->nl.family;
}

const char *kernel_errmsg(const struct gemd_kernel *kn)
{
	return kn->nl.errmsg;
}

int kernel_nl_dump(struct gemd_kernel *kn, uint8_t cmd, unsigned int ifindex,
		   gem_nl_msg_cb cb, void *arg)
{
	struct nl_msg *msg = gem_nl_msg(&kn->nl, cmd, NLM_F_DUMP);

	if (!msg || (ifindex && nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex))) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	return gem_nl_dump(&kn->nl, msg, cb, arg);
}
