// SPDX-License-Identifier: GPL-2.0
/*
 * A gem device as the module reports it.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "devinfo.h"

static const struct nla_policy gem_devinfo_policy[GEM_A_DEV_MAX + 1] = {
	[GEM_A_DEV_IFINDEX]		= { .type = NLA_U32 },
	[GEM_A_DEV_IFNAME]		= { .type = NLA_STRING, .maxlen = IF_NAMESIZE },
	[GEM_A_DEV_UNDERLAY_IFINDEX]	= { .type = NLA_U32 },
	[GEM_A_DEV_UNDERLAY_IFNAME]	= { .type = NLA_STRING, .maxlen = IF_NAMESIZE },
	[GEM_A_DEV_MTU]			= { .type = NLA_U32 },
	[GEM_A_DEV_STATS]		= { .type = NLA_NESTED },
	[GEM_A_DEV_AEAD_DRIVER]		= { .type = NLA_STRING, .maxlen = GEM_DEVINFO_DRIVER_LEN },
	[GEM_A_DEV_TAG_DRIVER]		= { .type = NLA_STRING, .maxlen = GEM_DEVINFO_DRIVER_LEN },
	[GEM_A_DEV_DRIVERS_UNLISTED]	= { .type = NLA_U32 },
};

static const struct nla_policy gem_stats_policy[GEM_A_STATS_MAX + 1] = {
	[GEM_A_STATS_RX_PACKETS]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_BYTES]		= { .type = NLA_U64 },
	[GEM_A_STATS_RX_DROPPED]	= { .type = NLA_U64 },
	[GEM_A_STATS_TX_PACKETS]	= { .type = NLA_U64 },
	[GEM_A_STATS_TX_BYTES]		= { .type = NLA_U64 },
	[GEM_A_STATS_TX_DROPPED]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_MALFORMED]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_BAD_TAG]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_UNKNOWN_KEY]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_REPLAY]		= { .type = NLA_U64 },
	[GEM_A_STATS_TX_NOT_PROTECTED]	= { .type = NLA_U64 },
	[GEM_A_STATS_TX_NO_KEY]		= { .type = NLA_U64 },
	[GEM_A_STATS_RX_PN_JUMP]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_BACKSTOP]	= { .type = NLA_U64 },
	[GEM_A_STATS_TX_UNSEALED]	= { .type = NLA_U64 },
	[GEM_A_STATS_TX_AEAD_BUSY]	= { .type = NLA_U64 },
	[GEM_A_STATS_RX_AEAD_BUSY]	= { .type = NLA_U64 },
};

static uint64_t gem_u64_or_0(struct nlattr *nla)
{
	return nla ? nla_get_u64(nla) : 0;
}

/* Adds one driver name to a list: no more than the kernel lists, none empty. */
static int gem_driver_add(char list[][GEM_DEVINFO_DRIVER_LEN], unsigned int *n,
			  const struct nlattr *nla)
{
	/* The policy saw to the NUL and the length. */
	const char *name = nla_data(nla);

	if (*n >= GEM_CRYPTO_DRIVERS_MAX || !name[0])
		return -EINVAL;
	snprintf(list[(*n)++], GEM_DEVINFO_DRIVER_LEN, "%s", name);
	return 0;
}

/* The repeated driver attributes, which a parse into tb[] keeps one of. */
static int gem_devinfo_drivers(struct nl_msg *msg, struct gem_devinfo *d)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *nla;
	int rem, err = 0;

	nla_for_each_attr(nla, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		if (nla_type(nla) == GEM_A_DEV_AEAD_DRIVER)
			err = gem_driver_add(d->aead_drivers, &d->n_aead_drivers, nla);
		else if (nla_type(nla) == GEM_A_DEV_TAG_DRIVER)
			err = gem_driver_add(d->tag_drivers, &d->n_tag_drivers, nla);
		if (err)
			return err;
	}
	return 0;
}

int gem_devinfo_parse(struct nl_msg *msg, struct gem_devinfo *d)
{
	struct nlattr *tb[GEM_A_DEV_MAX + 1], *st[GEM_A_STATS_MAX + 1];
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));

	memset(d, 0, sizeof(*d));
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_DEV_MAX, (struct nla_policy *)gem_devinfo_policy))
		return -EINVAL;
	if (!tb[GEM_A_DEV_IFINDEX] || !tb[GEM_A_DEV_IFNAME])
		return -EINVAL;
	d->cmd = gh->cmd;
	d->ifindex = nla_get_u32(tb[GEM_A_DEV_IFINDEX]);
	nla_strlcpy(d->ifname, tb[GEM_A_DEV_IFNAME], sizeof(d->ifname));
	if (tb[GEM_A_DEV_UNDERLAY_IFINDEX])
		d->underlay_ifindex = nla_get_u32(tb[GEM_A_DEV_UNDERLAY_IFINDEX]);
	if (tb[GEM_A_DEV_UNDERLAY_IFNAME])
		nla_strlcpy(d->underlay_ifname, tb[GEM_A_DEV_UNDERLAY_IFNAME],
			    sizeof(d->underlay_ifname));
	if (tb[GEM_A_DEV_MTU])
		d->mtu = nla_get_u32(tb[GEM_A_DEV_MTU]);
	if (tb[GEM_A_DEV_DRIVERS_UNLISTED])
		d->drivers_unlisted = nla_get_u32(tb[GEM_A_DEV_DRIVERS_UNLISTED]);
	if (gem_devinfo_drivers(msg, d))
		return -EINVAL;
	if (tb[GEM_A_DEV_STATS]) {
		if (nla_parse_nested(st, GEM_A_STATS_MAX, tb[GEM_A_DEV_STATS],
				     (struct nla_policy *)gem_stats_policy))
			return -EINVAL;
		d->rx_packets = gem_u64_or_0(st[GEM_A_STATS_RX_PACKETS]);
		d->rx_bytes = gem_u64_or_0(st[GEM_A_STATS_RX_BYTES]);
		d->rx_dropped = gem_u64_or_0(st[GEM_A_STATS_RX_DROPPED]);
		d->tx_packets = gem_u64_or_0(st[GEM_A_STATS_TX_PACKETS]);
		d->tx_bytes = gem_u64_or_0(st[GEM_A_STATS_TX_BYTES]);
		d->tx_dropped = gem_u64_or_0(st[GEM_A_STATS_TX_DROPPED]);
		d->rx_malformed = gem_u64_or_0(st[GEM_A_STATS_RX_MALFORMED]);
		d->rx_bad_tag = gem_u64_or_0(st[GEM_A_STATS_RX_BAD_TAG]);
		d->rx_unknown_key = gem_u64_or_0(st[GEM_A_STATS_RX_UNKNOWN_KEY]);
		d->rx_replay = gem_u64_or_0(st[GEM_A_STATS_RX_REPLAY]);
		d->tx_not_protected = gem_u64_or_0(st[GEM_A_STATS_TX_NOT_PROTECTED]);
		d->tx_no_key = gem_u64_or_0(st[GEM_A_STATS_TX_NO_KEY]);
		d->rx_pn_jump = gem_u64_or_0(st[GEM_A_STATS_RX_PN_JUMP]);
		d->rx_backstop = gem_u64_or_0(st[GEM_A_STATS_RX_BACKSTOP]);
		d->tx_unsealed = gem_u64_or_0(st[GEM_A_STATS_TX_UNSEALED]);
		d->tx_aead_busy = gem_u64_or_0(st[GEM_A_STATS_TX_AEAD_BUSY]);
		d->rx_aead_busy = gem_u64_or_0(st[GEM_A_STATS_RX_AEAD_BUSY]);
	}
	return 0;
}

/* A line of names, only when there are any: a device without keys has none. */
static void gem_drivers_print(const char *what, const char list[][GEM_DEVINFO_DRIVER_LEN],
			      unsigned int n, FILE *out)
{
	unsigned int i;

	if (!n)
		return;
	fprintf(out, "    %s:", what);
	for (i = 0; i < n; i++)
		fprintf(out, " %s", list[i]);
	fputc('\n', out);
}

void gem_devinfo_print(const struct gem_devinfo *d, FILE *out)
{
	fprintf(out, "%s: ifindex %" PRIu32 " underlay %s (ifindex %" PRIu32 ") mtu %" PRIu32 "\n",
		d->ifname, d->ifindex, d->underlay_ifname, d->underlay_ifindex, d->mtu);
	fprintf(out, "    rx: %" PRIu64 " packets %" PRIu64 " bytes %" PRIu64 " dropped\n",
		d->rx_packets, d->rx_bytes, d->rx_dropped);
	fprintf(out, "    tx: %" PRIu64 " packets %" PRIu64 " bytes %" PRIu64 " dropped\n",
		d->tx_packets, d->tx_bytes, d->tx_dropped);
	fprintf(out, "    rx drops: %" PRIu64 " malformed %" PRIu64 " bad-tag %" PRIu64
		" unknown-key %" PRIu64 " replay %" PRIu64 " pn-jump %" PRIu64 " aead-busy\n",
		d->rx_malformed, d->rx_bad_tag, d->rx_unknown_key, d->rx_replay, d->rx_pn_jump,
		d->rx_aead_busy);
	fprintf(out, "    tx drops: %" PRIu64 " not-protected %" PRIu64 " no-key %" PRIu64
		" unsealed %" PRIu64 " aead-busy\n", d->tx_not_protected, d->tx_no_key,
		d->tx_unsealed, d->tx_aead_busy);
	fprintf(out, "    rx past the ingress hook: %" PRIu64 " (taken in prerouting)\n",
		d->rx_backstop);
	gem_drivers_print("aead drivers", d->aead_drivers, d->n_aead_drivers, out);
	gem_drivers_print("tag drivers", d->tag_drivers, d->n_tag_drivers, out);
	if (d->drivers_unlisted)
		fprintf(out, "    drivers unlisted: %" PRIu32 " transforms\n", d->drivers_unlisted);
}

static void json_drivers(struct json *j, const char *key,
			 const char list[][GEM_DEVINFO_DRIVER_LEN], unsigned int n)
{
	unsigned int i;

	json_key(j, key);
	json_array_begin(j);
	for (i = 0; i < n; i++)
		json_string(j, list[i]);
	json_array_end(j);
}

static void json_counter(struct json *j, const char *name, uint64_t v)
{
	json_key(j, name);
	json_u64(j, v);
}

void gem_devinfo_json(const struct gem_devinfo *d, struct json *j)
{
	json_object_begin(j);
	json_key(j, "ifname");
	json_string(j, d->ifname);
	json_key(j, "ifindex");
	json_u64(j, d->ifindex);
	json_key(j, "underlay");
	json_object_begin(j);
	json_key(j, "ifname");
	json_string(j, d->underlay_ifname);
	json_key(j, "ifindex");
	json_u64(j, d->underlay_ifindex);
	json_object_end(j);
	json_key(j, "mtu");
	json_u64(j, d->mtu);
	json_key(j, "stats");
	json_object_begin(j);
	json_counter(j, "rx_packets", d->rx_packets);
	json_counter(j, "rx_bytes", d->rx_bytes);
	json_counter(j, "rx_dropped", d->rx_dropped);
	json_counter(j, "tx_packets", d->tx_packets);
	json_counter(j, "tx_bytes", d->tx_bytes);
	json_counter(j, "tx_dropped", d->tx_dropped);
	json_counter(j, "rx_malformed", d->rx_malformed);
	json_counter(j, "rx_bad_tag", d->rx_bad_tag);
	json_counter(j, "rx_unknown_key", d->rx_unknown_key);
	json_counter(j, "rx_replay", d->rx_replay);
	json_counter(j, "tx_not_protected", d->tx_not_protected);
	json_counter(j, "tx_no_key", d->tx_no_key);
	json_counter(j, "rx_pn_jump", d->rx_pn_jump);
	json_counter(j, "rx_backstop", d->rx_backstop);
	json_counter(j, "tx_unsealed", d->tx_unsealed);
	json_counter(j, "tx_aead_busy", d->tx_aead_busy);
	json_counter(j, "rx_aead_busy", d->rx_aead_busy);
	json_object_end(j);
	json_key(j, "crypto");
	json_object_begin(j);
	json_drivers(j, "aead", d->aead_drivers, d->n_aead_drivers);
	json_drivers(j, "tag", d->tag_drivers, d->n_tag_drivers);
	json_member_u64(j, "unlisted", d->drivers_unlisted);
	json_object_end(j);
	json_object_end(j);
}
