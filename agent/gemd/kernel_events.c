// SPDX-License-Identifier: GPL-2.0
/*
 * gem.ko's events, and its normalizer's rules, parsed into struct
 * kernel_event: which of them matter is for the caller to decide.
 */
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "kernel_nl.h"

struct event_ctx {
	kernel_event_fn fn;
	void *arg;
};

/* An address attribute of 4 or 16 bytes, of the family len says (0: any). */
static bool get_ip(const struct nlattr *a, struct gem_ip *ip, uint8_t len)
{
	if (!a || (nla_len(a) != 4 && nla_len(a) != 16) || (len && nla_len(a) != len))
		return false;
	memset(ip, 0, sizeof(*ip));
	ip->len = (uint8_t)nla_len(a);
	memcpy(ip->addr, nla_data(a), ip->len);
	return true;
}

/*
 * A stream gem.ko names: its device, source and group attributes (of one
 * family) read into tb, of max + 1 entries.
 */
static bool stream_parse(struct nl_msg *msg, int max, int a_ifindex, int a_src, int a_grp,
			 struct nlattr **tb, struct kernel_event *e)
{
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, max, NULL) || !tb[a_ifindex] ||
	    !get_ip(tb[a_src], &e->src, 0) || !get_ip(tb[a_grp], &e->grp, e->src.len))
		return false;
	e->ifindex = nla_get_u32(tb[a_ifindex]);
	return true;
}

/* A normalizer rule or stream into a device, with its new source and group. */
static bool norm_parse(struct nl_msg *msg, struct kernel_event *e)
{
	struct nlattr *tb[GEM_A_NORM_MAX + 1];

	if (!stream_parse(msg, GEM_A_NORM_MAX, GEM_A_NORM_OUT_IFINDEX, GEM_A_NORM_NEW_SOURCE,
			  GEM_A_NORM_GROUP, tb, e))
		return false;
	if (tb[GEM_A_NORM_GROUP_PREFIXLEN])
		e->prefixlen = nla_get_u8(tb[GEM_A_NORM_GROUP_PREFIXLEN]);
	return true;
}

/* A local stream gem.ko has no transmit key for. */
static bool missing_parse(struct nl_msg *msg, struct kernel_event *e)
{
	struct nlattr *tb[GEM_A_CONF_MAX + 1];

	return stream_parse(msg, GEM_A_CONF_MAX, GEM_A_CONF_IFINDEX, GEM_A_CONF_SOURCE,
			    GEM_A_CONF_GROUP, tb, e);
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
