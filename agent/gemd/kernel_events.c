// SPDX-License-Identifier: GPL-2.0
/*
 * gem.ko's events, and its normalizer's rules, parsed into struct
 * kernel_event: which of them matter is for the caller to decide.
 */
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "kernel_nl.h"
#include "lib/confinfo.h"
#include "lib/norminfo.h"

struct event_ctx {
	kernel_event_fn fn;
	void *arg;
};

/* A normalizer rule or stream into a device, with its new source and group. */
static bool norm_parse(struct nl_msg *msg, struct kernel_event *e)
{
	struct gem_norminfo n;

	if (gem_norminfo_parse(nlmsg_hdr(msg), &n) || n.group_len != n.new_source_len)
		return false;
	e->ifindex = n.out_ifindex;
	e->src.len = e->grp.len = n.group_len;
	memcpy(e->src.addr, n.new_source_addr, n.group_len);
	memcpy(e->grp.addr, n.group_addr, n.group_len);
	if (n.group_plen >= 0)
		e->prefixlen = (uint8_t)n.group_plen;
	return true;
}

/* A local stream gem.ko has no transmit key for. */
static bool missing_parse(struct nl_msg *msg, struct kernel_event *e)
{
	struct gem_confinfo c;

	if (gem_confinfo_parse(nlmsg_hdr(msg), &c) || !c.ifindex || !c.has_source ||
	    !c.has_group)
		return false;
	e->ifindex = c.ifindex;
	e->src.len = e->grp.len = c.len;
	memcpy(e->src.addr, c.source, c.len);
	memcpy(e->grp.addr, c.group, c.len);
	return true;
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct event_ctx *c = arg;
	struct kernel_event e;
	bool ok = false;

	memset(&e, 0, sizeof(e));
	switch (gh->cmd) {
	case GEM_CMD_NORM_SET:
		e.kind = KERNEL_NORM_RULE;
		ok = norm_parse(msg, &e);
		break;
	case GEM_CMD_NORM_STREAM_NEW_NTF:
		e.kind = KERNEL_NORM_STREAM;
		ok = norm_parse(msg, &e);
		break;
	case GEM_CMD_TX_KEY_MISSING_NTF:
		e.kind = KERNEL_TX_KEY_MISSING;
		ok = missing_parse(msg, &e);
		break;
	}
	if (ok)
		c->fn(c->arg, &e);
	return NL_OK;
}

int kernel_event_fd(const struct gemd_kernel *kn)
{
	return kn->have_events ? nl_socket_get_fd(kn->events.sk) : -1;
}

void kernel_events(struct gemd_kernel *kn, kernel_event_fn fn, void *arg)
{
	struct event_ctx c = { .fn = fn, .arg = arg };
	int i;

	/* Non-blocking: read what is there, then stop. */
	for (i = 0; i < 64 && kn->have_events && !gem_nl_recv(&kn->events, event_cb, &c); i++)
		;
}

static int norm_dump_cb(struct nl_msg *msg, void *arg)
{
	struct event_ctx *c = arg;
	struct kernel_event e;

	memset(&e, 0, sizeof(e));
	e.kind = KERNEL_NORM_RULE;
	if (norm_parse(msg, &e))
		c->fn(c->arg, &e);
	return NL_OK;
}

void kernel_norm_rules(struct gemd_kernel *kn, kernel_event_fn fn, void *arg)
{
	struct event_ctx c = { .fn = fn, .arg = arg };

	kernel_nl_dump(kn, GEM_CMD_NORM_GET, 0, norm_dump_cb, &c);
}
