// SPDX-License-Identifier: GPL-2.0
/*
 * Device replies: parsed from netlink, printed as text and JSON; replies
 * missing what identifies a device are refused.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "lib/devinfo.h"
#include "test.h"

static struct nl_msg *dev_msg(int with_ifindex, int with_stats)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *st;

	genlmsg_put(msg, 0, 0, 0x20, 0, 0, GEM_CMD_DEV_ADD_NTF, GEM_GENL_VERSION);
	if (with_ifindex)
		nla_put_u32(msg, GEM_A_DEV_IFINDEX, 7);
	nla_put_string(msg, GEM_A_DEV_IFNAME, "gem0");
	nla_put_u32(msg, GEM_A_DEV_UNDERLAY_IFINDEX, 3);
	nla_put_string(msg, GEM_A_DEV_UNDERLAY_IFNAME, "eth\"1");
	nla_put_u32(msg, GEM_A_DEV_MTU, 1456);
	if (with_stats) {
		st = nla_nest_start(msg, GEM_A_DEV_STATS);
		nla_put_u64(msg, GEM_A_STATS_RX_PACKETS, 1);
		nla_put_u64(msg, GEM_A_STATS_RX_BYTES, 2);
		nla_put_u64(msg, GEM_A_STATS_RX_DROPPED, 3);
		nla_put_u64(msg, GEM_A_STATS_TX_PACKETS, 4);
		nla_put_u64(msg, GEM_A_STATS_TX_BYTES, 5000000000ULL);
		nla_put_u64(msg, GEM_A_STATS_TX_DROPPED, 6);
		nla_put_u64(msg, GEM_A_STATS_RX_BAD_TAG, 7);
		nla_put_u64(msg, GEM_A_STATS_TX_NO_KEY, 8);
		nla_put_u64(msg, GEM_A_STATS_RX_AEAD_BUSY, 9);
		nla_nest_end(msg, st);
	}
	return msg;
}

static void test_parse_full(void)
{
	struct nl_msg *msg = dev_msg(1, 1);
	struct gem_devinfo d;

	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	EXPECT(d.cmd == GEM_CMD_DEV_ADD_NTF);
	EXPECT(d.ifindex == 7);
	EXPECT_STR(d.ifname, "gem0");
	EXPECT(d.underlay_ifindex == 3);
	EXPECT_STR(d.underlay_ifname, "eth\"1");
	EXPECT(d.mtu == 1456);
	EXPECT(d.rx_packets == 1 && d.rx_bytes == 2 && d.rx_dropped == 3);
	EXPECT(d.tx_packets == 4 && d.tx_bytes == 5000000000ULL && d.tx_dropped == 6);
	EXPECT(d.rx_bad_tag == 7 && d.tx_no_key == 8 && d.rx_replay == 0);
	EXPECT(d.rx_aead_busy == 9 && d.tx_aead_busy == 0);
	EXPECT(d.n_aead_drivers == 0 && d.n_tag_drivers == 0 && d.drivers_unlisted == 0);
	nlmsg_free(msg);
}

/* Driver names repeat, one attribute each, in the kernel's order. */
static void test_parse_drivers(void)
{
	struct nl_msg *msg = dev_msg(1, 0);
	struct gem_devinfo d;

	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, "gcm_base(ctr(aes-aesni),ghash-generic)");
	nla_put_string(msg, GEM_A_DEV_TAG_DRIVER, "hmac(sha256-generic)");
	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, "generic-gcm-aesni");
	nla_put_u32(msg, GEM_A_DEV_DRIVERS_UNLISTED, 2);
	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	EXPECT(d.n_aead_drivers == 2);
	EXPECT_STR(d.aead_drivers[0], "gcm_base(ctr(aes-aesni),ghash-generic)");
	EXPECT_STR(d.aead_drivers[1], "generic-gcm-aesni");
	EXPECT(d.n_tag_drivers == 1);
	EXPECT_STR(d.tag_drivers[0], "hmac(sha256-generic)");
	EXPECT(d.drivers_unlisted == 2);
	nlmsg_free(msg);
}

/*
 * A driver list longer than the kernel gives, an empty name, a name
 * longer than the crypto API allows or without its NUL: refused.
 */
static void test_parse_drivers_refused(void)
{
	char longest[GEM_DEVINFO_DRIVER_LEN + 1];
	struct gem_devinfo d;
	struct nl_msg *msg;
	int i;

	msg = dev_msg(1, 0);
	for (i = 0; i <= GEM_CRYPTO_DRIVERS_MAX; i++)
		nla_put_string(msg, GEM_A_DEV_TAG_DRIVER, i ? "x" : "y");
	EXPECT(gem_devinfo_parse(msg, &d) == -EINVAL);
	nlmsg_free(msg);

	msg = dev_msg(1, 0);
	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, "");
	EXPECT(gem_devinfo_parse(msg, &d) == -EINVAL);
	nlmsg_free(msg);

	/* 127 characters and the NUL fit; 128 do not. */
	memset(longest, 'z', sizeof(longest));
	longest[GEM_DEVINFO_DRIVER_LEN - 1] = 0;
	msg = dev_msg(1, 0);
	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, longest);
	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	EXPECT(strlen(d.aead_drivers[0]) == GEM_DEVINFO_DRIVER_LEN - 1);
	nlmsg_free(msg);
	longest[GEM_DEVINFO_DRIVER_LEN - 1] = 'z';
	longest[GEM_DEVINFO_DRIVER_LEN] = 0;
	msg = dev_msg(1, 0);
	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, longest);
	EXPECT(gem_devinfo_parse(msg, &d) == -EINVAL);
	nlmsg_free(msg);

	msg = dev_msg(1, 0);
	nla_put(msg, GEM_A_DEV_TAG_DRIVER, 4, "abcd");
	EXPECT(gem_devinfo_parse(msg, &d) == -EINVAL);
	nlmsg_free(msg);
}

static void test_parse_refuses_anonymous(void)
{
	struct nl_msg *msg = dev_msg(0, 1);
	struct gem_devinfo d;

	EXPECT(gem_devinfo_parse(msg, &d) != 0);
	nlmsg_free(msg);
}

static void test_print_text(void)
{
	struct nl_msg *msg = dev_msg(1, 0);
	struct gem_devinfo d;
	size_t len;
	char *buf;
	FILE *f = open_memstream(&buf, &len);

	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	gem_devinfo_print(&d, f);
	fclose(f);
	EXPECT_STR(buf, "gem0: ifindex 7 underlay eth\"1 (ifindex 3) mtu 1456\n"
			"    rx: 0 packets 0 bytes 0 dropped\n"
			"    tx: 0 packets 0 bytes 0 dropped\n"
			"    rx drops: 0 malformed 0 bad-tag 0 unknown-key 0 replay 0 pn-jump"
			" 0 aead-busy\n"
			"    tx drops: 0 not-protected 0 no-key 0 unsealed 0 aead-busy\n"
			"    rx past the ingress hook: 0 (taken in prerouting)\n");
	free(buf);
	nlmsg_free(msg);
}

/* With keys, the implementations they use, each kind on a line. */
static void test_print_text_drivers(void)
{
	struct nl_msg *msg = dev_msg(1, 0);
	struct gem_devinfo d;
	size_t len;
	char *buf;
	FILE *f = open_memstream(&buf, &len);

	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, "gcm-a");
	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, "gcm-b");
	nla_put_string(msg, GEM_A_DEV_TAG_DRIVER, "cmac(aes-aesni)");
	nla_put_u32(msg, GEM_A_DEV_DRIVERS_UNLISTED, 3);
	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	gem_devinfo_print(&d, f);
	fclose(f);
	EXPECT(strstr(buf, "    rx past the ingress hook: 0 (taken in prerouting)\n"
			   "    aead drivers: gcm-a gcm-b\n"
			   "    tag drivers: cmac(aes-aesni)\n"
			   "    drivers unlisted: 3 transforms\n") != NULL);
	free(buf);
	nlmsg_free(msg);
}

static void test_print_json(void)
{
	struct nl_msg *msg = dev_msg(1, 1);
	struct gem_devinfo d;
	struct json j;
	size_t len;
	char *buf;
	FILE *f = open_memstream(&buf, &len);

	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	json_init(&j, f);
	gem_devinfo_json(&d, &j);
	EXPECT(json_finish(&j));
	fclose(f);
	EXPECT_STR(buf, "{\"ifname\":\"gem0\",\"ifindex\":7,"
			"\"underlay\":{\"ifname\":\"eth\\\"1\",\"ifindex\":3},\"mtu\":1456,"
			"\"stats\":{\"rx_packets\":1,\"rx_bytes\":2,\"rx_dropped\":3,"
			"\"tx_packets\":4,\"tx_bytes\":5000000000,\"tx_dropped\":6,"
			"\"rx_malformed\":0,\"rx_bad_tag\":7,\"rx_unknown_key\":0,\"rx_replay\":0,"
			"\"tx_not_protected\":0,\"tx_no_key\":8,\"rx_pn_jump\":0,"
			"\"rx_backstop\":0,\"tx_unsealed\":0,\"tx_aead_busy\":0,"
			"\"rx_aead_busy\":9},"
			"\"crypto\":{\"aead\":[],\"tag\":[],\"unlisted\":0}}\n");
	free(buf);
	nlmsg_free(msg);
}

static void test_print_json_drivers(void)
{
	struct nl_msg *msg = dev_msg(1, 0);
	struct gem_devinfo d;
	struct json j;
	size_t len;
	char *buf;
	FILE *f = open_memstream(&buf, &len);

	nla_put_string(msg, GEM_A_DEV_AEAD_DRIVER, "gcm_base(ctr(aes-aesni),ghash-generic)");
	nla_put_string(msg, GEM_A_DEV_TAG_DRIVER, "hmac(sha256-generic)");
	nla_put_string(msg, GEM_A_DEV_TAG_DRIVER, "cmac(aes-\"q\")");
	EXPECT(gem_devinfo_parse(msg, &d) == 0);
	json_init(&j, f);
	gem_devinfo_json(&d, &j);
	EXPECT(json_finish(&j));
	fclose(f);
	EXPECT(strstr(buf, ",\"crypto\":{\"aead\":[\"gcm_base(ctr(aes-aesni),ghash-generic)\"],"
			   "\"tag\":[\"hmac(sha256-generic)\",\"cmac(aes-\\\"q\\\")\"],"
			   "\"unlisted\":0}}\n") != NULL);
	free(buf);
	nlmsg_free(msg);
}

int main(void)
{
	RUN(test_parse_full);
	RUN(test_parse_refuses_anonymous);
	RUN(test_parse_drivers);
	RUN(test_parse_drivers_refused);
	RUN(test_print_text);
	RUN(test_print_text_drivers);
	RUN(test_print_json);
	RUN(test_print_json_drivers);
	return TEST_EXIT();
}
