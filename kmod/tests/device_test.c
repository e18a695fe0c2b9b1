// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the gem link kind's validation: included by device.c so
 * they reach its static functions.
 */

#include <kunit/test.h>

static struct nlattr *gem_test_nla(struct kunit *test, int type,
				   const void *data, int len)
{
	struct nlattr *nla = kunit_kzalloc(test, nla_total_size(len), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, nla);
	nla->nla_type = type;
	nla->nla_len = nla_attr_size(len);
	memcpy(nla_data(nla), data, len);
	return nla;
}

static void gem_test_validate_needs_underlay(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, gem_validate(tb, NULL, &extack), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "underlay is required"));
}

static void gem_test_validate_accepts_link(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};
	u32 ifindex = 3;

	tb[IFLA_LINK] = gem_test_nla(test, IFLA_LINK, &ifindex, sizeof(ifindex));
	KUNIT_EXPECT_EQ(test, gem_validate(tb, NULL, &extack), 0);
	KUNIT_EXPECT_NULL(test, extack._msg);
}

static void gem_test_validate_refuses_address(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};
	u8 mac[ETH_ALEN] = { 2, 0, 0, 0, 0, 1 };
	u32 ifindex = 3;

	tb[IFLA_LINK] = gem_test_nla(test, IFLA_LINK, &ifindex, sizeof(ifindex));
	tb[IFLA_ADDRESS] = gem_test_nla(test, IFLA_ADDRESS, mac, sizeof(mac));
	KUNIT_EXPECT_EQ(test, gem_validate(tb, NULL, &extack), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, extack.bad_attr, (const struct nlattr *)tb[IFLA_ADDRESS]);
}

/* IFLA_LINKINFO { IFLA_INFO_KIND "gem", IFLA_INFO_DATA { } } */
static void gem_test_validate_refuses_info_data(struct kunit *test)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct netlink_ext_ack extack = {};
	u8 inner[NLA_HDRLEN + NLA_ALIGN(4) + NLA_HDRLEN] = {};
	struct nlattr *kind = (struct nlattr *)inner;
	struct nlattr *data = (struct nlattr *)(inner + NLA_HDRLEN + NLA_ALIGN(4));
	u32 ifindex = 3;

	kind->nla_type = IFLA_INFO_KIND;
	kind->nla_len = nla_attr_size(4);
	memcpy(nla_data(kind), "gem", 4);
	data->nla_type = NLA_F_NESTED | IFLA_INFO_DATA;
	data->nla_len = nla_attr_size(0);

	tb[IFLA_LINK] = gem_test_nla(test, IFLA_LINK, &ifindex, sizeof(ifindex));
	tb[IFLA_LINKINFO] = gem_test_nla(test, IFLA_LINKINFO, inner, sizeof(inner));
	KUNIT_EXPECT_EQ(test, gem_validate(tb, NULL, &extack), -EOPNOTSUPP);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, strstr(extack._msg, "no link attributes"));

	/* The kind alone is fine. */
	tb[IFLA_LINKINFO] = gem_test_nla(test, IFLA_LINKINFO, inner, nla_total_size(4));
	extack = (struct netlink_ext_ack){};
	KUNIT_EXPECT_EQ(test, gem_validate(tb, NULL, &extack), 0);
}

static void gem_test_max_mtu(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, gem_dev_max_mtu(1500), 1500 - GEM_OVERHEAD);
	KUNIT_EXPECT_EQ(test, gem_dev_max_mtu(9000), 9000 - GEM_OVERHEAD);
	KUNIT_EXPECT_EQ(test, gem_dev_max_mtu(ETH_MIN_MTU + GEM_OVERHEAD), ETH_MIN_MTU);
	KUNIT_EXPECT_EQ(test, gem_dev_max_mtu(ETH_MIN_MTU + GEM_OVERHEAD - 1), 0);
	KUNIT_EXPECT_EQ(test, gem_dev_max_mtu(0), 0);
}

static struct net_device *gem_test_alloc(struct kunit *test, bool gem)
{
	struct net_device *dev;

	if (gem)
		dev = alloc_netdev(sizeof(struct gem_dev), "gemt%d",
				   NET_NAME_UNKNOWN, gem_dev_setup);
	else
		dev = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	return dev;
}

static void gem_test_check_underlay_msg(struct kunit *test,
					const struct net_device *dev,
					const struct net_device *underlay,
					const char *want)
{
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, gem_check_underlay(dev, underlay, &extack), -EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, extack._msg);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(extack._msg, want), "got \"%s\"", extack._msg);
}

static void gem_test_check_underlay(struct kunit *test)
{
	struct net_device *dev = gem_test_alloc(test, true);
	struct net_device *eth = gem_test_alloc(test, false);
	struct net_device *other_gem = gem_test_alloc(test, true);
	struct netlink_ext_ack extack = {};

	KUNIT_EXPECT_EQ(test, gem_check_underlay(dev, eth, &extack), 0);

	gem_test_check_underlay_msg(test, dev, other_gem, "gem device cannot be an underlay");

	eth->flags |= IFF_LOOPBACK;
	gem_test_check_underlay_msg(test, dev, eth, "loopback");
	eth->flags &= ~IFF_LOOPBACK;

	eth->flags &= ~IFF_MULTICAST;
	gem_test_check_underlay_msg(test, dev, eth, "multicast");
	eth->flags |= IFF_MULTICAST;

	eth->mtu = ETH_MIN_MTU + GEM_OVERHEAD - 1;
	gem_test_check_underlay_msg(test, dev, eth, "MTU is too small");
	eth->mtu = ETH_MIN_MTU + GEM_OVERHEAD;
	extack = (struct netlink_ext_ack){};
	KUNIT_EXPECT_EQ(test, gem_check_underlay(dev, eth, &extack), 0);

	free_netdev(other_gem);
	free_netdev(eth);
	free_netdev(dev);
}

static void gem_test_setup_is_l3(struct kunit *test)
{
	struct net_device *dev = gem_test_alloc(test, true);
	struct net_device *eth = gem_test_alloc(test, false);

	KUNIT_EXPECT_TRUE(test, gem_dev_is_gem(dev));
	KUNIT_EXPECT_EQ(test, dev->type, ARPHRD_NONE);
	KUNIT_EXPECT_EQ(test, dev->addr_len, 0);
	KUNIT_EXPECT_TRUE(test, dev->flags & IFF_MULTICAST);
	KUNIT_EXPECT_TRUE(test, dev->features & NETIF_F_NETNS_LOCAL);
	KUNIT_EXPECT_FALSE(test, gem_dev_is_gem(eth));
	free_netdev(eth);
	free_netdev(dev);
}

static struct kunit_case gem_device_test_cases[] = {
	KUNIT_CASE(gem_test_validate_needs_underlay),
	KUNIT_CASE(gem_test_validate_accepts_link),
	KUNIT_CASE(gem_test_validate_refuses_address),
	KUNIT_CASE(gem_test_validate_refuses_info_data),
	KUNIT_CASE(gem_test_max_mtu),
	KUNIT_CASE(gem_test_check_underlay),
	KUNIT_CASE(gem_test_setup_is_l3),
	{}
};

static struct kunit_suite gem_device_test_suite = {
	.name = "gem-device",
	.test_cases = gem_device_test_cases,
};

kunit_test_suite(gem_device_test_suite);
