// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/gem.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/gem.h>
#include <compat.h>

/* Integer value ranges */
static const struct netlink_range_validation gem_a_norm_idle_timeout_range = {
	.min	= 1ULL,
	.max	= 86400ULL,
};

/* GEM_CMD_DEV_GET - do */
static const struct nla_policy gem_dev_get_do_nl_policy[GEM_A_DEV_IFNAME + 1] = {
	[GEM_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* GEM_CMD_DEV_GET - dump */
static const struct nla_policy gem_dev_get_dump_nl_policy[GEM_A_DEV_IFNAME + 1] = {
	[GEM_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* GEM_CMD_GROUP_SET - do */
static const struct nla_policy gem_group_set_nl_policy[GEM_A_CONF_TAG_ALG + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_CONF_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_CONF_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[GEM_A_CONF_KEY] = { .type = NLA_BINARY, },
	[GEM_A_CONF_TAG_ALG] = NLA_POLICY_MAX(NLA_U8, 1),
};

/* GEM_CMD_GROUP_DEL - do */
static const struct nla_policy gem_group_del_nl_policy[GEM_A_CONF_PREFIXLEN + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_CONF_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_CONF_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

/* GEM_CMD_GROUP_GET - dump */
static const struct nla_policy gem_group_get_nl_policy[GEM_A_CONF_IFINDEX + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* GEM_CMD_TX_SET - do */
static const struct nla_policy gem_tx_set_nl_policy[GEM_A_CONF_KEY + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_CONF_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_CONF_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_CONF_KEY_ID] = { .type = NLA_U8, },
	[GEM_A_CONF_KEY] = { .type = NLA_BINARY, },
};

/* GEM_CMD_TX_DEL - do */
static const struct nla_policy gem_tx_del_nl_policy[GEM_A_CONF_KEY_ID + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_CONF_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_CONF_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_CONF_KEY_ID] = { .type = NLA_U8, },
};

/* GEM_CMD_TX_GET - dump */
static const struct nla_policy gem_tx_get_nl_policy[GEM_A_CONF_IFINDEX + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* GEM_CMD_RX_SET - do */
static const struct nla_policy gem_rx_set_nl_policy[GEM_A_CONF_RATE + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_CONF_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_CONF_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_CONF_KEY_ID] = { .type = NLA_U8, },
	[GEM_A_CONF_KEY] = { .type = NLA_BINARY, },
	[GEM_A_CONF_PN] = { .type = NLA_U64, },
	[GEM_A_CONF_RATE] = { .type = NLA_U32, },
};

/* GEM_CMD_RX_DEL - do */
static const struct nla_policy gem_rx_del_nl_policy[GEM_A_CONF_KEY_ID + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_CONF_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_CONF_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_CONF_KEY_ID] = { .type = NLA_U8, },
};

/* GEM_CMD_RX_GET - dump */
static const struct nla_policy gem_rx_get_nl_policy[GEM_A_CONF_IFINDEX + 1] = {
	[GEM_A_CONF_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* GEM_CMD_NORM_SET - do */
static const struct nla_policy gem_norm_set_nl_policy[GEM_A_NORM_IDLE_TIMEOUT + 1] = {
	[GEM_A_NORM_IN_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_NORM_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_NORM_SOURCE_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[GEM_A_NORM_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_NORM_GROUP_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[GEM_A_NORM_NEW_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_NORM_OUT_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_NORM_TTL] = { .type = NLA_U8, },
	[GEM_A_NORM_IDLE_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &gem_a_norm_idle_timeout_range),
};

/* GEM_CMD_NORM_DEL - do */
static const struct nla_policy gem_norm_del_nl_policy[GEM_A_NORM_GROUP_PREFIXLEN + 1] = {
	[GEM_A_NORM_IN_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[GEM_A_NORM_SOURCE] = { .type = NLA_BINARY, },
	[GEM_A_NORM_SOURCE_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[GEM_A_NORM_GROUP] = { .type = NLA_BINARY, },
	[GEM_A_NORM_GROUP_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

/* GEM_CMD_NORM_GET - dump */
static const struct nla_policy gem_norm_get_nl_policy[GEM_A_NORM_IN_IFINDEX + 1] = {
	[GEM_A_NORM_IN_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* GEM_CMD_NORM_STREAM_GET - dump */
static const struct nla_policy gem_norm_stream_get_nl_policy[GEM_A_NORM_IN_IFINDEX + 1] = {
	[GEM_A_NORM_IN_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* Ops table for gem */
const struct genl_split_ops gem_nl_ops[15] = {
	{
		.cmd		= GEM_CMD_DEV_GET,
		.doit		= gem_nl_dev_get_doit,
		.policy		= gem_dev_get_do_nl_policy,
		.maxattr	= GEM_A_DEV_IFNAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_DEV_GET,
		.dumpit		= gem_nl_dev_get_dumpit,
		.policy		= gem_dev_get_dump_nl_policy,
		.maxattr	= GEM_A_DEV_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= GEM_CMD_GROUP_SET,
		.doit		= gem_nl_group_set_doit,
		.policy		= gem_group_set_nl_policy,
		.maxattr	= GEM_A_CONF_TAG_ALG,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_GROUP_DEL,
		.doit		= gem_nl_group_del_doit,
		.policy		= gem_group_del_nl_policy,
		.maxattr	= GEM_A_CONF_PREFIXLEN,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_GROUP_GET,
		.dumpit		= gem_nl_group_get_dumpit,
		.policy		= gem_group_get_nl_policy,
		.maxattr	= GEM_A_CONF_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= GEM_CMD_TX_SET,
		.doit		= gem_nl_tx_set_doit,
		.policy		= gem_tx_set_nl_policy,
		.maxattr	= GEM_A_CONF_KEY,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_TX_DEL,
		.doit		= gem_nl_tx_del_doit,
		.policy		= gem_tx_del_nl_policy,
		.maxattr	= GEM_A_CONF_KEY_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_TX_GET,
		.dumpit		= gem_nl_tx_get_dumpit,
		.policy		= gem_tx_get_nl_policy,
		.maxattr	= GEM_A_CONF_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= GEM_CMD_RX_SET,
		.doit		= gem_nl_rx_set_doit,
		.policy		= gem_rx_set_nl_policy,
		.maxattr	= GEM_A_CONF_RATE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_RX_DEL,
		.doit		= gem_nl_rx_del_doit,
		.policy		= gem_rx_del_nl_policy,
		.maxattr	= GEM_A_CONF_KEY_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_RX_GET,
		.dumpit		= gem_nl_rx_get_dumpit,
		.policy		= gem_rx_get_nl_policy,
		.maxattr	= GEM_A_CONF_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= GEM_CMD_NORM_SET,
		.doit		= gem_nl_norm_set_doit,
		.policy		= gem_norm_set_nl_policy,
		.maxattr	= GEM_A_NORM_IDLE_TIMEOUT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_NORM_DEL,
		.doit		= gem_nl_norm_del_doit,
		.policy		= gem_norm_del_nl_policy,
		.maxattr	= GEM_A_NORM_GROUP_PREFIXLEN,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= GEM_CMD_NORM_GET,
		.dumpit		= gem_nl_norm_get_dumpit,
		.policy		= gem_norm_get_nl_policy,
		.maxattr	= GEM_A_NORM_IN_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= GEM_CMD_NORM_STREAM_GET,
		.dumpit		= gem_nl_norm_stream_get_dumpit,
		.policy		= gem_norm_stream_get_nl_policy,
		.maxattr	= GEM_A_NORM_IN_IFINDEX,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
};

static const struct genl_multicast_group gem_nl_mcgrps[] = {
	[GEM_NLGRP_EVENTS] = { "events", },
};
