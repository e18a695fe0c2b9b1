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
	/* protected groups: set (add or replace), delete (or flush), get (dump) */
	GEM_CMD_GROUP_SET,
	GEM_CMD_GROUP_DEL,
	GEM_CMD_GROUP_GET,
	/* transmit streams: (source, group) -> key */
	GEM_CMD_TX_SET,
	GEM_CMD_TX_DEL,
	GEM_CMD_TX_GET,
	/* receive streams: (source, group, key id) -> key */
	GEM_CMD_RX_SET,
	GEM_CMD_RX_DEL,
	GEM_CMD_RX_GET,
	/*
	 * Notifications, at most 10 a second a device: a packet was dropped for
	 * want of a key (source, group; key id for receive).
	 */
	GEM_CMD_TX_KEY_MISSING_NTF,
	GEM_CMD_RX_KEY_MISSING_NTF,
	/*
	 * Normalizer rules of the namespace: set (add or replace), delete
	 * (or flush), get (dump). Attribute set "norm".
	 */
	GEM_CMD_NORM_SET,
	GEM_CMD_NORM_DEL,
	GEM_CMD_NORM_GET,
	/* normalized streams: get (dump); a stream began; a stream ended */
	GEM_CMD_NORM_STREAM_GET,
	GEM_CMD_NORM_STREAM_NEW_NTF,
	GEM_CMD_NORM_STREAM_END_NTF,

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

/* MACs for the GAK tag, chosen per group. */
enum gem_tag_alg {
	GEM_TAG_HMAC_SHA256,	/* HMAC-SHA256 truncated to 16 bytes: the default */
	GEM_TAG_CMAC_AES,	/* AES-CMAC: cheaper where AES is in hardware */

	__GEM_TAG_ALG_MAX,
	GEM_TAG_ALG_MAX = __GEM_TAG_ALG_MAX - 1
};

#define GEM_SEK_LEN		32	/* AES-256-GCM */
#define GEM_TAG_KEY_MAX		64

/*
 * Attribute set "conf": groups and streams of one device. Keys are
 * write-only: no reply or dump ever carries GEM_A_CONF_KEY.
 */
enum gem_a_conf {
	GEM_A_CONF_UNSPEC,
	GEM_A_CONF_PAD,
	GEM_A_CONF_IFINDEX,		/* u32: the gem device */
	GEM_A_CONF_SOURCE,		/* binary: IPv4 (4) or IPv6 (16) address */
	GEM_A_CONF_GROUP,		/* binary: IPv4 (4) or IPv6 (16) group */
	GEM_A_CONF_PREFIXLEN,		/* u8: of the group prefix */
	GEM_A_CONF_KEY_ID,		/* u8 */
	GEM_A_CONF_KEY,			/* binary, write-only */
	GEM_A_CONF_TAG_ALG,		/* u8, enum gem_tag_alg */
	/*
	 * u64: tx, in dumps: the next packet number (they start at the time
	 * of day in ns); rx, in dumps: the newest taken plus one; rx, on
	 * set: the lowest packet number to take (a floor)
	 */
	GEM_A_CONF_PN,
	GEM_A_CONF_PACKETS,		/* u64 */
	GEM_A_CONF_BYTES,		/* u64 */
	/*
	 * u32, rx: packets a second the replay window may move ahead by, at
	 * most; a further jump is dropped (rx-pn-jump). 0: no bound
	 */
	GEM_A_CONF_RATE,

	__GEM_A_CONF_MAX,
	GEM_A_CONF_MAX = __GEM_A_CONF_MAX - 1
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
	/* why received packets to protected groups were dropped */
	GEM_A_STATS_RX_MALFORMED,	/* u64: not a well-formed sealed packet */
	GEM_A_STATS_RX_BAD_TAG,		/* u64: GAK tag or AEAD tag wrong */
	GEM_A_STATS_RX_UNKNOWN_KEY,	/* u64: no receive key for it */
	GEM_A_STATS_RX_REPLAY,		/* u64: seen before, or too old */
	/* why sent packets were dropped */
	GEM_A_STATS_TX_NOT_PROTECTED,	/* u64: not UDP to a protected group */
	GEM_A_STATS_TX_NO_KEY,		/* u64: no transmit key for the stream */
	/* u64: to a protected group, further ahead than the stream's rate allows */
	GEM_A_STATS_RX_PN_JUMP,
	/*
	 * u64: to a protected group, reaching the underlay's IP layer past
	 * its ingress hook (an IFB or a tc redirect): taken there instead
	 */
	GEM_A_STATS_RX_BACKSTOP,
	/* u64: to a protected group and not sealed by GEM, leaving the underlay */
	GEM_A_STATS_TX_UNSEALED,

	__GEM_A_STATS_MAX,
	GEM_A_STATS_MAX = __GEM_A_STATS_MAX - 1
};

/* Why a normalized stream ended. */
enum gem_norm_end {
	GEM_NORM_END_IDLE,	/* no packet for the rule's idle timeout */
	GEM_NORM_END_RULE,	/* its rule was replaced or deleted */

	__GEM_NORM_END_MAX,
	GEM_NORM_END_MAX = __GEM_NORM_END_MAX - 1
};

#define GEM_NORM_IDLE_DEFAULT	30	/* seconds */
#define GEM_NORM_IDLE_MAX	86400

/*
 * Attribute set "norm": a normalizer rule,
 *	(in device, source prefix, group prefix) -> (new source, out device),
 * or one stream it normalizes. In a stream, SOURCE and GROUP are the
 * stream's own addresses, without prefix lengths.
 */
enum gem_a_norm {
	GEM_A_NORM_UNSPEC,
	GEM_A_NORM_PAD,
	GEM_A_NORM_IN_IFINDEX,		/* u32 */
	GEM_A_NORM_SOURCE,		/* binary: IPv4 (4) or IPv6 (16) address */
	GEM_A_NORM_SOURCE_PREFIXLEN,	/* u8 */
	GEM_A_NORM_GROUP,		/* binary: IPv4 (4) or IPv6 (16) group */
	GEM_A_NORM_GROUP_PREFIXLEN,	/* u8 */
	GEM_A_NORM_NEW_SOURCE,		/* binary: an address of the namespace */
	GEM_A_NORM_OUT_IFINDEX,		/* u32 */
	GEM_A_NORM_TTL,			/* u8: TTL or hop limit to send with; 0: decrement */
	GEM_A_NORM_IDLE_TIMEOUT,	/* u32: seconds without a packet before a stream ends */
	GEM_A_NORM_PACKETS,		/* u64: packets normalized */
	GEM_A_NORM_BYTES,		/* u64 */
	GEM_A_NORM_TTL_EXPIRED,		/* u64: dropped, TTL would reach zero */
	GEM_A_NORM_TOO_BIG,		/* u64: dropped, larger than the out device's MTU */
	GEM_A_NORM_ERRORS,		/* u64: dropped: a fragment, no memory, or the out
					 * device refused it
					 */
	GEM_A_NORM_STREAMS,		/* u32: streams the rule normalizes now */
	GEM_A_NORM_END_REASON,		/* u8, enum gem_norm_end */

	__GEM_A_NORM_MAX,
	GEM_A_NORM_MAX = __GEM_A_NORM_MAX - 1
};

#endif /* _UAPI_LINUX_GEM_H */
