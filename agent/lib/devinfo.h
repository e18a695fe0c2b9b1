/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A gem device as the module reports it: parsed from a GEM_CMD_DEV_*
 * message, printed for people or as JSON.
 */
#ifndef GEM_DEVINFO_H
#define GEM_DEVINFO_H

#include <net/if.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/gem.h>
#include <netlink/msg.h>

#include "json.h"

/* The kernel's CRYPTO_MAX_ALG_NAME: a driver name and its NUL. */
#define GEM_DEVINFO_DRIVER_LEN 128

struct gem_devinfo {
	uint8_t cmd;
	uint32_t ifindex;
	char ifname[IF_NAMESIZE];
	uint32_t underlay_ifindex;
	char underlay_ifname[IF_NAMESIZE];
	uint32_t mtu;
	uint64_t rx_packets, rx_bytes, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_dropped;
	/* why packets to protected groups were dropped */
	uint64_t rx_malformed, rx_bad_tag, rx_unknown_key, rx_replay;
	uint64_t tx_not_protected, tx_no_key;
	uint64_t rx_pn_jump, rx_backstop, tx_unsealed;
	uint64_t tx_aead_busy, rx_aead_busy;	/* an asynchronous AEAD's queue was full */
	/* the crypto implementations the installed keys' transforms use */
	char aead_drivers[GEM_CRYPTO_DRIVERS_MAX][GEM_DEVINFO_DRIVER_LEN];
	char tag_drivers[GEM_CRYPTO_DRIVERS_MAX][GEM_DEVINFO_DRIVER_LEN];
	unsigned int n_aead_drivers, n_tag_drivers;
	uint32_t drivers_unlisted;	/* transforms neither list names */
};

/*
 * 0, or -EINVAL when a required attribute is missing or an attribute is
 * malformed (a driver name empty or too long, more than
 * GEM_CRYPTO_DRIVERS_MAX of a kind).
 */
int gem_devinfo_parse(struct nl_msg *msg, struct gem_devinfo *d);
void gem_devinfo_print(const struct gem_devinfo *d, FILE *out);
void gem_devinfo_json(const struct gem_devinfo *d, struct json *j);

#endif /* GEM_DEVINFO_H */
