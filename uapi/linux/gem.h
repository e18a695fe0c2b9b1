/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * GEM (Group Encrypted Multicast): generic-netlink ABI of gem.ko.
 *
 * Kept consistent with Documentation/netlink/specs/gem.yaml by
 * tools/testing/spec/check-spec.py; change both together.
 */
#ifndef _UAPI_LINUX_GEM_H
#define _UAPI_LINUX_GEM_H

#include <linux/types.h>

#define GEM_GENL_NAME		"gem"
#define GEM_GENL_VERSION	1

#define GEM_MCGRP_EVENTS	"events"

/* Link kind registered with rtnetlink: ip link add gem0 link eth1 type gem */
#define GEM_LINK_KIND		"gem"

/*
 * Data-plane wire format. The IP header and UDP ports of a packet to a
 * protected group stay as they are; its UDP payload becomes
 *
 *	struct gem_wire_hdr | ciphertext | AEAD tag | GAK tag
 *
 * See Documentation/gem/wire-format.rst for the byte layout and what each
 * tag covers.
 */
#define GEM_WIRE_VERSION	1
#define GEM_AEAD_TAG_LEN	16
#define GEM_GAK_TAG_LEN		16

struct gem_wire_hdr {
	__u8	ver_flags;	/* version in the high nibble; no flags yet */
	__u8	key_id;		/* which of the stream's keys sealed it */
	__u8	pn[8];		/* packet number, big endian: nonce and replay position */
};

#define GEM_WIRE_HDR_LEN	10

/*
 * Bytes a sealed packet adds to the UDP payload; gem0's MTU is the
 * underlay's minus this.
 */
#define GEM_OVERHEAD		(GEM_WIRE_HDR_LEN + GEM_AEAD_TAG_LEN + GEM_GAK_TAG_LEN)

enum gem_cmd {
	GEM_CMD_UNSPEC,
	/* do: one device by ifindex or ifname; dump: every gem device */
	GEM_CMD_DEV_GET,
	/* notifications on the events group */
	GEM_CMD_DEV_ADD_NTF,
	GEM_CMD_DEV_DEL_NTF,

	__GEM_CMD_MAX,
	GEM_CMD_MAX = __GEM_CMD_MAX - 1
};

/* Attribute set "dev": a gem device. */
enum gem_a_dev {
	GEM_A_DEV_UNSPEC,
	GEM_A_DEV_IFINDEX,		/* u32 */
	GEM_A_DEV_IFNAME,		/* string */
	GEM_A_DEV_UNDERLAY_IFINDEX,	/* u32 */
	GEM_A_DEV_UNDERLAY_IFNAME,	/* string */
	GEM_A_DEV_MTU,			/* u32 */
	GEM_A_DEV_STATS,		/* nest, attribute set "stats" */

	__GEM_A_DEV_MAX,
	GEM_A_DEV_MAX = __GEM_A_DEV_MAX - 1
};

/* Attribute set "stats": a device's counters. */
enum gem_a_stats {
	GEM_A_STATS_UNSPEC,
	GEM_A_STATS_PAD,
	GEM_A_STATS_RX_PACKETS,		/* u64 */
	GEM_A_STATS_RX_BYTES,		/* u64 */
	GEM_A_STATS_RX_DROPPED,		/* u64 */
	GEM_A_STATS_TX_PACKETS,		/* u64 */
	GEM_A_STATS_TX_BYTES,		/* u64 */
	GEM_A_STATS_TX_DROPPED,		/* u64 */

	__GEM_A_STATS_MAX,
	GEM_A_STATS_MAX = __GEM_A_STATS_MAX - 1
};

#endif /* _UAPI_LINUX_GEM_H */
