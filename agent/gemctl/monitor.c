// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl monitor [-c COUNT]: gem.ko's events as they happen: devices,
 * configuration changes, missing keys, normalizer rules and streams.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "gemctl.h"
#include "lib/confinfo.h"
#include "lib/devinfo.h"
#include "lib/norminfo.h"

struct monitor_ctx {
	struct gemctl *g;
	int count;		/* events seen */
	int limit;		/* stop after this many events, 0 = never */
	int bad;		/* events that did not parse */
};

/*
 * A configuration change or a missing key: the device and whichever of
 * source, group, prefix length and key id the event names.
 */
static int monitor_conf_event(struct monitor_ctx *m, struct nl_msg *msg, const char *what)
{
	char src[INET6_ADDRSTRLEN] = "", grp[INET6_ADDRSTRLEN] = "", dev[IF_NAMESIZE] = "?";
	struct json *j = &m->g->j;
	struct gem_confinfo c;
	int key_id, plen;

	if (gem_confinfo_parse(nlmsg_hdr(msg), &c) || !c.ifindex) {
		m->bad++;
		return NL_SKIP;
	}
	if_indextoname(c.ifindex, dev);
	if (c.has_source)
		inet_ntop(c.len == 4 ? AF_INET : AF_INET6, c.source, src, sizeof(src));
	if (c.has_group)
		inet_ntop(c.len == 4 ? AF_INET : AF_INET6, c.group, grp, sizeof(grp));
	key_id = c.key_id;
	plen = c.prefixlen;
	m->count++;
	if (!m->g->json) {
		printf("%s dev %s", what, dev);
		if (src[0])
			printf(" %s ->", src);
		if (grp[0])
			printf(" %s", grp);
		if (plen >= 0)
			printf("/%d", plen);
		if (key_id >= 0)
			printf(" key %d", key_id);
		if (!src[0] && !grp[0])
			printf(" all");
		printf("\n");
	} else {
		json_init(j, stdout);
		json_object_begin(j);
		json_member_string(j, "event", what);
		json_member_string(j, "dev", dev);
		if (src[0]) {
			json_member_string(j, "source", src);
		}
		if (grp[0]) {
			json_member_string(j, "group", grp);
		}
		if (plen >= 0) {
			json_member_u64(j, "prefixlen", plen);
		}
		if (key_id >= 0) {
			json_member_u64(j, "key_id", key_id);
		}
		json_object_end(j);
		json_finish(j);
	}
	fflush(stdout);
	return NL_OK;
}

/* A normalizer rule set or deleted, or a normalized stream begun or ended. */
static int monitor_norm_event(struct monitor_ctx *m, struct nl_msg *msg, const char *what)
{
	struct gem_norminfo n;

	if (gem_norminfo_parse(nlmsg_hdr(msg), &n)) {
		m->bad++;
		return NL_SKIP;
	}
	m->count++;
	if (m->g->json) {
		json_init(&m->g->j, stdout);
		gem_norminfo_json(&n, what, &m->g->j);
		json_finish(&m->g->j);
	} else {
		gem_norminfo_print(&n, what, stdout);
	}
	fflush(stdout);
	return NL_OK;
}

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct monitor_ctx *m = arg;
	struct gem_devinfo d;
	const char *what;

	static const char *const conf_events[] = {
		[GEM_CMD_GROUP_SET] = "group-set",
		[GEM_CMD_GROUP_DEL] = "group-del",
		[GEM_CMD_TX_SET] = "tx-set",
		[GEM_CMD_TX_DEL] = "tx-del",
		[GEM_CMD_RX_SET] = "rx-set",
		[GEM_CMD_RX_DEL] = "rx-del",
		[GEM_CMD_TX_KEY_MISSING_NTF] = "tx-key-missing",
		[GEM_CMD_RX_KEY_MISSING_NTF] = "rx-key-missing",
	};

	static const char *const norm_events[] = {
		[GEM_CMD_NORM_SET] = "norm-set",
		[GEM_CMD_NORM_DEL] = "norm-del",
		[GEM_CMD_NORM_STREAM_NEW_NTF] = "norm-stream-new",
		[GEM_CMD_NORM_STREAM_END_NTF] = "norm-stream-end",
	};

	if (gh->cmd < sizeof(conf_events) / sizeof(conf_events[0]) && conf_events[gh->cmd])
		return monitor_conf_event(m, msg, conf_events[gh->cmd]);
	if (gh->cmd < sizeof(norm_events) / sizeof(norm_events[0]) && norm_events[gh->cmd])
		return monitor_norm_event(m, msg, norm_events[gh->cmd]);
	if (gh->cmd != GEM_CMD_DEV_ADD_NTF && gh->cmd != GEM_CMD_DEV_DEL_NTF)
		return NL_SKIP;
	if (gem_devinfo_parse(msg, &d)) {
		m->bad++;
		return NL_SKIP;
	}
	switch (d.cmd) {
	case GEM_CMD_DEV_ADD_NTF:
		what = "add";
		break;
	case GEM_CMD_DEV_DEL_NTF:
		what = "del";
		break;
	default:
		return NL_SKIP;
	}
	m->count++;
	if (m->g->json) {
		json_init(&m->g->j, stdout);
		json_object_begin(&m->g->j);
		json_member_string(&m->g->j, "event", what);
		json_key(&m->g->j, "dev");
		gem_devinfo_json(&d, &m->g->j);
		json_object_end(&m->g->j);
		json_finish(&m->g->j);
	} else {
		printf("%s dev %s underlay %s\n", what, d.ifname, d.underlay_ifname);
	}
	fflush(stdout);
	return NL_OK;
}

int gemctl_monitor(struct gemctl *g, const char *name, int argc, char **argv)
{
	struct monitor_ctx c = { .g = g }, *m = &c;
	char *end;

	(void)name;

	if (argc == 2 && !strcmp(argv[0], "-c")) {
		m->limit = strtol(argv[1], &end, 10);
		if (*end || m->limit <= 0) {
			fprintf(stderr, "gemctl: monitor -c: not a positive count: %s\n", argv[1]);
			return 2;
		}
	} else if (argc) {
		fprintf(stderr, "gemctl: usage: monitor [-c COUNT]\n");
		return 2;
	}
	if (gem_nl_subscribe(&m->g->nl)) {
		fprintf(stderr, "gemctl: monitor: %s\n", m->g->nl.errmsg);
		return 1;
	}
	/* Tell a script waiting on us that events will now be seen. */
	fprintf(stderr, "gemctl: monitoring\n");
	while (!m->limit || m->count < m->limit) {
		if (gem_nl_recv(&m->g->nl, monitor_cb, m)) {
			fprintf(stderr, "gemctl: monitor: %s\n", m->g->nl.errmsg);
			return 1;
		}
	}
	return 0;
}
