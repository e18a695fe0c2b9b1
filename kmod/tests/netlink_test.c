// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the gem family's policies and messages: included by
 * netlink.c so they reach its static functions (the device and
 * normalizer commands' are exported from their files).
 */

#include <kunit/test.h>
#include <linux/etherdevice.h>

#include "device.h"
#include "norm.h"

/* Appends one attribute to a flat buffer; returns the new length. */
static int gem_test_put(u8 *buf, int off, int type, const void *data, int len)
{
	struct nlattr *nla = (struct nlattr *)(buf + off);

	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), data, len);
	return off + nla_total_size(len);
}

/* The generated policies are static to netlink-gen.c: they are in its ops. */
static const struct genl_split_ops *gem_test_op(u8 cmd)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(gem_nl_ops); i++)
		if (gem_nl_ops[i].cmd == cmd)
			return &gem_nl_ops[i];
	return NULL;
}

static int gem_test_parse(u8 cmd, struct nlattr **tb, const u8 *buf, int len,
			  struct netlink_ext_ack *extack)
{
	const struct genl_split_ops *op = gem_test_op(cmd);

	return nla_parse(tb, op->maxattr, (const struct nlattr *)buf, len, op->policy, extack);
}

static int gem_test_parse_get(const u8 *buf, int len, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[GEM_A_DEV_MAX + 1];

	return gem_test_parse(GEM_CMD_DEV_GET, tb, buf, len, extack);
}

static void gem_test_policy_accepts(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	u8 buf[64] = {};
	u32 ifindex = 7;
	int len;

	len = gem_test_put(buf, 0, GEM_A_DEV_IFINDEX, &ifindex, sizeof(ifindex));
	len = gem_test_put(buf, len, GEM_A_DEV_IFNAME, "gem0", 5);
	KUNIT_EXPECT_EQ(test, gem_test_parse_get(buf, len, &extack), 0);
}

static void gem_test_policy_rejects(struct kunit *test)
{
	char name[IFNAMSIZ + 1];
	u32 zero = 0, big = 7;
	u16 shorty = 7;
	u8 buf[64];
	struct {
		const char *what;
		int type;
		const void *data;
		int len;
	} bad[] = {
		{ "unknown attribute", GEM_A_DEV_MAX + 1, &big, sizeof(big) },
		{ "unspec attribute", GEM_A_DEV_UNSPEC, &big, sizeof(big) },
		{ "reply-only attribute", GEM_A_DEV_MTU, &big, sizeof(big) },
		{ "short ifindex", GEM_A_DEV_IFINDEX, &shorty, sizeof(shorty) },
		{ "ifindex 0", GEM_A_DEV_IFINDEX, &zero, sizeof(zero) },
		{ "name without NUL", GEM_A_DEV_IFNAME, "gem0", 4 },
		{ "name too long", GEM_A_DEV_IFNAME, name, sizeof(name) },
	};
	int i, len;

	memset(name, 'a', IFNAMSIZ);
	name[IFNAMSIZ] = '\0';
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct netlink_ext_ack extack = {};

		memset(buf, 0, sizeof(buf));
		len = gem_test_put(buf, 0, bad[i].type, bad[i].data, bad[i].len);
		KUNIT_EXPECT_LT_MSG(test, gem_test_parse_get(buf, len, &extack), 0,
				    "%s accepted", bad[i].what);
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "%s: no message", bad[i].what);
	}
}

/*
 * As the family checks a rule: its policy, then the attribute checks of
 * the doit that YNL's policies cannot express (an address's length).
 */
static int gem_test_parse_norm_set(const u8 *buf, int len, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[GEM_A_NORM_MAX + 1] = {};
	struct genl_info info = { .attrs = tb, .extack = extack };
	struct gem_norm_conf c = {};
	int err;

	err = gem_test_parse(GEM_CMD_NORM_SET, tb, buf, len, extack);
	return err ?: gem_nl_norm_conf(&info, &c);
}

/* A whole rule passes; each bad attribute in it is refused with a reason. */
static void gem_test_norm_policy(struct kunit *test)
{
	static const u8 src[4] = { 10, 99, 0, 0 }, grp[4] = { 239, 1, 0, 0 };
	static const u8 nsrc[4] = { 192, 0, 2, 1 }, long_addr[17] = {};
	u32 ifindex = 3, zero = 0, idle_ok = GEM_NORM_IDLE_MAX, idle_big = GEM_NORM_IDLE_MAX + 1;
	u8 plen = 24, plen_big = 129, ttl = 16;
	u64 packets = 1;
	struct {
		const char *what;
		int type;
		const void *data;
		int len;
	} bad[] = {
		{ "in ifindex 0", GEM_A_NORM_IN_IFINDEX, &zero, sizeof(zero) },
		{ "out ifindex 0", GEM_A_NORM_OUT_IFINDEX, &zero, sizeof(zero) },
		{ "idle 0", GEM_A_NORM_IDLE_TIMEOUT, &zero, sizeof(zero) },
		{ "idle past the maximum", GEM_A_NORM_IDLE_TIMEOUT, &idle_big, sizeof(idle_big) },
		{ "prefix length 129", GEM_A_NORM_SOURCE_PREFIXLEN, &plen_big, sizeof(plen_big) },
		{ "17-byte address", GEM_A_NORM_NEW_SOURCE, long_addr, sizeof(long_addr) },
		{ "reply-only counter", GEM_A_NORM_PACKETS, &packets, sizeof(packets) },
		{ "unknown attribute", GEM_A_NORM_MAX + 1, &zero, sizeof(zero) },
	};
	struct netlink_ext_ack extack = {};
	u8 buf[256];
	int i, len, base;

	memset(buf, 0, sizeof(buf));
	len = gem_test_put(buf, 0, GEM_A_NORM_IN_IFINDEX, &ifindex, sizeof(ifindex));
	len = gem_test_put(buf, len, GEM_A_NORM_SOURCE, src, sizeof(src));
	len = gem_test_put(buf, len, GEM_A_NORM_SOURCE_PREFIXLEN, &plen, sizeof(plen));
	len = gem_test_put(buf, len, GEM_A_NORM_GROUP, grp, sizeof(grp));
	len = gem_test_put(buf, len, GEM_A_NORM_NEW_SOURCE, nsrc, sizeof(nsrc));
	len = gem_test_put(buf, len, GEM_A_NORM_OUT_IFINDEX, &ifindex, sizeof(ifindex));
	len = gem_test_put(buf, len, GEM_A_NORM_TTL, &ttl, sizeof(ttl));
	len = gem_test_put(buf, len, GEM_A_NORM_IDLE_TIMEOUT, &idle_ok, sizeof(idle_ok));
	KUNIT_EXPECT_EQ(test, gem_test_parse_norm_set(buf, len, &extack), 0);

	base = len;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&extack, 0, sizeof(extack));
		memset(buf + base, 0, sizeof(buf) - base);
		len = gem_test_put(buf, base, bad[i].type, bad[i].data, bad[i].len);
		KUNIT_EXPECT_LT_MSG(test, gem_test_parse_norm_set(buf, len, &extack), 0,
				    "%s accepted", bad[i].what);
		KUNIT_EXPECT_NOT_NULL_MSG(test, extack._msg, "%s: no message", bad[i].what);
	}
}

/* A device message carries what gemctl prints, counters included. */
static void gem_test_fill_dev(struct kunit *test)
{
	struct nlattr *tb[GEM_A_DEV_MAX + 1], *st[GEM_A_STATS_MAX + 1];
	struct net_device *dev, *underlay;
	struct sk_buff *skb;
	struct gem_dev *gem;

	underlay = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, underlay);
	strscpy(underlay->name, "under0", IFNAMSIZ);
	underlay->ifindex = 3;
	dev = alloc_netdev(sizeof(struct gem_dev), "gem0", NET_NAME_USER, gem_dev_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->ifindex = 7;
	dev->mtu = 1456;
	/* register_netdevice would allocate these */
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	KUNIT_ASSERT_NOT_NULL(test, dev->tstats);
	gem = netdev_priv(dev);
	gem->underlay = underlay;
	gem_crypto_drivers_init(&gem->keys.aead_drivers);
	gem_crypto_drivers_init(&gem->keys.tag_drivers);

	dev_sw_netstats_tx_add(dev, 2, 300);
	dev_sw_netstats_rx_add(dev, 100);
	dev_core_stats_tx_dropped_inc(dev);

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, gem_nl_dev_fill(skb, dev, 0, 0, 0, GEM_CMD_DEV_GET, NULL), 0);
	KUNIT_ASSERT_EQ(test, nlmsg_parse_deprecated(nlmsg_hdr(skb), GENL_HDRLEN, tb,
						     GEM_A_DEV_MAX, NULL, NULL), 0);

	KUNIT_EXPECT_EQ(test, ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(skb)))->cmd,
			GEM_CMD_DEV_GET);
	KUNIT_ASSERT_NOT_NULL(test, tb[GEM_A_DEV_IFINDEX]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[GEM_A_DEV_IFINDEX]), 7);
	KUNIT_ASSERT_NOT_NULL(test, tb[GEM_A_DEV_IFNAME]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[GEM_A_DEV_IFNAME]), "gem0");
	KUNIT_ASSERT_NOT_NULL(test, tb[GEM_A_DEV_UNDERLAY_IFINDEX]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[GEM_A_DEV_UNDERLAY_IFINDEX]), 3);
	KUNIT_ASSERT_NOT_NULL(test, tb[GEM_A_DEV_UNDERLAY_IFNAME]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[GEM_A_DEV_UNDERLAY_IFNAME]), "under0");
	KUNIT_ASSERT_NOT_NULL(test, tb[GEM_A_DEV_MTU]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[GEM_A_DEV_MTU]), 1456);

	KUNIT_ASSERT_NOT_NULL(test, tb[GEM_A_DEV_STATS]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested_deprecated(st, GEM_A_STATS_MAX,
							  tb[GEM_A_DEV_STATS], NULL, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, st[GEM_A_STATS_TX_PACKETS]);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[GEM_A_STATS_TX_PACKETS]), 2);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[GEM_A_STATS_TX_BYTES]), 300);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[GEM_A_STATS_TX_DROPPED]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[GEM_A_STATS_RX_PACKETS]), 1);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[GEM_A_STATS_RX_BYTES]), 100);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[GEM_A_STATS_RX_DROPPED]), 0);
	/* No key yet: no implementation to name. */
	KUNIT_EXPECT_NULL(test, tb[GEM_A_DEV_AEAD_DRIVER]);
	KUNIT_EXPECT_NULL(test, tb[GEM_A_DEV_TAG_DRIVER]);
	KUNIT_EXPECT_NULL(test, tb[GEM_A_DEV_DRIVERS_UNLISTED]);

	kfree_skb(skb);
	free_percpu(dev->tstats);
	free_netdev(dev);
	free_netdev(underlay);
}

/*
 * The implementations in use, one attribute a name in slot order, and the
 * count of those left unnamed; with every slot holding the longest name
 * the crypto API allows, a device still fits the message a get allocates.
 */
static void gem_test_fill_dev_drivers(struct kunit *test)
{
	struct net_device *dev, *underlay;
	char got[2][96] = {}, *longest;
	struct nlattr *nla, *unlisted = NULL;
	struct sk_buff *skb;
	struct gem_dev *gem;
	int rem, i, names = 0;

	underlay = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, underlay);
	dev = alloc_netdev(sizeof(struct gem_dev), "gem0", NET_NAME_USER, gem_dev_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	KUNIT_ASSERT_NOT_NULL(test, dev->tstats);
	gem = netdev_priv(dev);
	gem->underlay = underlay;
	gem_crypto_drivers_init(&gem->keys.aead_drivers);
	gem_crypto_drivers_init(&gem->keys.tag_drivers);
	gem_crypto_drivers_get(&gem->keys.aead_drivers, "gcm-b");
	gem_crypto_drivers_get(&gem->keys.aead_drivers, "gcm-a");
	gem_crypto_drivers_get(&gem->keys.aead_drivers, "gcm-b");
	gem_crypto_drivers_get(&gem->keys.tag_drivers, "hmac-x");

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, gem_nl_dev_fill(skb, dev, 0, 0, 0, GEM_CMD_DEV_GET, NULL), 0);
	nla_for_each_attr(nla, genlmsg_data(nlmsg_data(nlmsg_hdr(skb))),
			  genlmsg_len(nlmsg_data(nlmsg_hdr(skb))), rem) {
		i = nla_type(nla) == GEM_A_DEV_AEAD_DRIVER ? 0 :
		    nla_type(nla) == GEM_A_DEV_TAG_DRIVER ? 1 : -1;
		if (nla_type(nla) == GEM_A_DEV_DRIVERS_UNLISTED)
			unlisted = nla;
		if (i < 0)
			continue;
		strlcat(got[i], nla_data(nla), sizeof(got[i]));
		strlcat(got[i], ",", sizeof(got[i]));
	}
	KUNIT_EXPECT_STREQ(test, got[0], "gcm-b,gcm-a,");
	KUNIT_EXPECT_STREQ(test, got[1], "hmac-x,");
	KUNIT_EXPECT_NULL(test, unlisted);
	kfree_skb(skb);

	/* Full, and two more: the largest reply a device gives. */
	longest = kunit_kzalloc(test, CRYPTO_MAX_ALG_NAME, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longest);
	gem_crypto_drivers_init(&gem->keys.aead_drivers);
	gem_crypto_drivers_init(&gem->keys.tag_drivers);
	for (i = 0; i <= GEM_CRYPTO_DRIVERS_MAX; i++) {
		memset(longest, 'a' + i, CRYPTO_MAX_ALG_NAME - 1);
		gem_crypto_drivers_get(&gem->keys.aead_drivers, longest);
		gem_crypto_drivers_get(&gem->keys.tag_drivers, longest);
	}
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, gem_nl_dev_fill(skb, dev, 0, 0, 0, GEM_CMD_DEV_GET, NULL), 0);
	nla_for_each_attr(nla, genlmsg_data(nlmsg_data(nlmsg_hdr(skb))),
			  genlmsg_len(nlmsg_data(nlmsg_hdr(skb))), rem) {
		if (nla_type(nla) == GEM_A_DEV_AEAD_DRIVER ||
		    nla_type(nla) == GEM_A_DEV_TAG_DRIVER) {
			KUNIT_EXPECT_EQ(test, nla_len(nla), CRYPTO_MAX_ALG_NAME);
			names++;
		}
		if (nla_type(nla) == GEM_A_DEV_DRIVERS_UNLISTED)
			unlisted = nla;
	}
	KUNIT_EXPECT_EQ(test, names, 2 * GEM_CRYPTO_DRIVERS_MAX);
	KUNIT_ASSERT_NOT_NULL(test, unlisted);
	KUNIT_EXPECT_EQ(test, nla_get_u32(unlisted), 2);
	kfree_skb(skb);

	free_percpu(dev->tstats);
	free_netdev(dev);
	free_netdev(underlay);
}

/* A message too small for one device fails cleanly and leaves it empty. */
static void gem_test_fill_dev_no_room(struct kunit *test)
{
	struct net_device *dev, *underlay;
	struct sk_buff *skb;
	unsigned int used;

	underlay = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, underlay);
	dev = alloc_netdev(sizeof(struct gem_dev), "gem0", NET_NAME_USER, gem_dev_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	KUNIT_ASSERT_NOT_NULL(test, dev->tstats);
	((struct gem_dev *)netdev_priv(dev))->underlay = underlay;
	gem_crypto_drivers_init(&((struct gem_dev *)netdev_priv(dev))->keys.aead_drivers);
	gem_crypto_drivers_init(&((struct gem_dev *)netdev_priv(dev))->keys.tag_drivers);

	/* Room for the headers and a few attributes, not the counters. */
	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, skb_tailroom(skb) - (NLMSG_HDRLEN + GENL_HDRLEN + 64));
	used = skb->len;
	KUNIT_EXPECT_EQ(test, gem_nl_dev_fill(skb, dev, 0, 0, 0, GEM_CMD_DEV_GET, NULL),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, used);

	kfree_skb(skb);
	free_percpu(dev->tstats);
	free_netdev(dev);
	free_netdev(underlay);
}

/*
 * A request that set a key, installed or refused, has the key's bytes
 * wiped from its skb before netlink frees it; other attributes stay, and
 * a command that carries no key is left alone.
 */
static void gem_test_key_wiped(struct kunit *test)
{
	static const u8 cmds[] = { GEM_CMD_GROUP_SET, GEM_CMD_TX_SET, GEM_CMD_RX_SET };
	struct nlattr *attrs[GEM_A_CONF_MAX + 1];
	struct genl_info info = { .attrs = attrs };
	struct genl_ops ops = {};
	u8 buf[128], key[GEM_SEK_LEN], zero[GEM_SEK_LEN] = {};
	u32 ifindex = 9;
	unsigned int i;
	int len;

	memset(key, 0xa5, sizeof(key));
	for (i = 0; i <= ARRAY_SIZE(cmds); i++) {
		memset(attrs, 0, sizeof(attrs));
		len = gem_test_put(buf, 0, GEM_A_CONF_IFINDEX, &ifindex, sizeof(ifindex));
		attrs[GEM_A_CONF_IFINDEX] = (struct nlattr *)buf;
		attrs[GEM_A_CONF_KEY] = (struct nlattr *)(buf + len);
		gem_test_put(buf, len, GEM_A_CONF_KEY, key, sizeof(key));
		ops.cmd = i < ARRAY_SIZE(cmds) ? cmds[i] : GEM_CMD_NORM_SET;
		gem_nl_post_doit(&ops, NULL, &info);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(nla_data(attrs[GEM_A_CONF_KEY]),
						 i < ARRAY_SIZE(cmds) ? zero : key, sizeof(key)), 0,
				    "command %u", ops.cmd);
		KUNIT_EXPECT_EQ(test, nla_get_u32(attrs[GEM_A_CONF_IFINDEX]), ifindex);
	}
}

/*
 * Every registered command runs exactly the handlers its split ops name,
 * a do's as its doit and a dump's as its dumpit, and nothing else: a
 * split op's doit and dumpit are one pointer, so a merge that read both
 * would hand a request of one kind the other kind's handler.
 */
static void gem_test_ops_wired(struct kunit *test)
{
	int i, j;

	KUNIT_ASSERT_GT(test, gem_nl_family.n_ops, 0);
	for (i = 0; i < gem_nl_family.n_ops; i++) {
		const struct genl_ops *o = &gem_nl_full_ops[i];
		bool has_do = false, has_dump = false;

		for (j = 0; j < ARRAY_SIZE(gem_nl_ops); j++) {
			const struct genl_split_ops *s = &gem_nl_ops[j];

			if (s->cmd != o->cmd)
				continue;
			if (s->flags & GENL_CMD_CAP_DO) {
				has_do = true;
				KUNIT_EXPECT_PTR_EQ_MSG(test, o->doit, s->doit,
							"command %u", o->cmd);
			}
			if (s->flags & GENL_CMD_CAP_DUMP) {
				has_dump = true;
				KUNIT_EXPECT_PTR_EQ_MSG(test, o->dumpit, s->dumpit,
							"command %u", o->cmd);
			}
		}
		if (!has_do)
			KUNIT_EXPECT_NULL_MSG(test, o->doit, "command %u has no do", o->cmd);
		if (!has_dump)
			KUNIT_EXPECT_NULL_MSG(test, o->dumpit, "command %u has no dump", o->cmd);
	}
	/* The one command that is both, by name. */
	for (i = 0; i < gem_nl_family.n_ops; i++) {
		if (gem_nl_full_ops[i].cmd != GEM_CMD_DEV_GET)
			continue;
		KUNIT_EXPECT_PTR_EQ(test, gem_nl_full_ops[i].doit, &gem_nl_dev_get_doit);
		KUNIT_EXPECT_PTR_EQ(test, gem_nl_full_ops[i].dumpit, &gem_nl_dev_get_dumpit);
	}
}

static struct kunit_case gem_netlink_test_cases[] = {
	KUNIT_CASE(gem_test_ops_wired),
	KUNIT_CASE(gem_test_policy_accepts),
	KUNIT_CASE(gem_test_key_wiped),
	KUNIT_CASE(gem_test_policy_rejects),
	KUNIT_CASE(gem_test_norm_policy),
	KUNIT_CASE(gem_test_fill_dev),
	KUNIT_CASE(gem_test_fill_dev_drivers),
	KUNIT_CASE(gem_test_fill_dev_no_room),
	{}
};

static struct kunit_suite gem_netlink_test_suite = {
	.name = "gem-netlink",
	.test_cases = gem_netlink_test_cases,
};

kunit_test_suite(gem_netlink_test_suite);
