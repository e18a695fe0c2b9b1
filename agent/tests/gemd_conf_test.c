// SPDX-License-Identifier: GPL-2.0
/*
 * gemd.conf: a file using every directive parses to what it says; every
 * mistake is refused with the file, line and field named.
 */
#include <string.h>

#include <linux/gem.h>

#include "gemd/gemd_conf.h"
#include "test.h"

static const char good[] =
	"# a studio gateway\n"
	"identity /etc/gem/identity.key\n"
	"bootstrap-key /etc/gem/bk.key   # the domain's\n"
	"socket /run/gem/test.sock\n"
	"device gem0 underlay eth1\n"
	"device gem1 underlay eth2\n"
	"babel-interface eth1\n"
	"babel-interface eth3 hello-interval 0.5 update-interval 2\n"
	"\n"
	"group 239.1.0.0/16 gak /etc/gem/studio.gak\n"
	"group ff3e::/16 gak /etc/gem/v6.gak tag cmac-aes max-rate 200000\n"
	"source 192.0.2.1 239.1.2.3\n"
	"announce 192.0.2.1/32\n"
	"announce fd00:1::/64\n"
	"hello-interval 1\n"
	"update-interval 4\n"
	"rotate-interval 600\n"
	"rotate-packets 1000000\n"
	"key-overlap 20\n"
	"item-lifetime 120\n"
	"max-items 2048\n"
	"max-items-per-origin 64\n"
	"max-clock-skew 5\n"
	"stream-max-rate 0\n"
	"max-new-streams 7\n"
	"install-routes no\n"
	"control-esp no\n"
	"control-mac no\n";

static void test_good(void)
{
	struct gemd_conf c;
	char err[512] = "";

	EXPECT(gemd_conf_parse("gemd.conf", good, &c, err, sizeof(err)) == 0);
	EXPECT_STR(err, "");
	EXPECT_STR(c.identity, "/etc/gem/identity.key");
	EXPECT_STR(c.bootstrap_key, "/etc/gem/bk.key");
	EXPECT_STR(c.socket, "/run/gem/test.sock");
	EXPECT(c.n_devices == 2 && !strcmp(c.devices[1].underlay, "eth2"));
	EXPECT(c.n_ifaces == 2 && c.ifaces[0].hello_ms == 0);
	EXPECT(c.ifaces[1].hello_ms == 500 && c.ifaces[1].update_ms == 2000);
	EXPECT(c.n_groups == 2 && c.groups[0].prefix.prefixlen == 16);
	EXPECT(c.groups[1].tag_alg == GEM_TAG_CMAC_AES && c.groups[0].tag_alg == GEM_TAG_HMAC_SHA256);
	EXPECT_STR(c.groups[1].gak, "/etc/gem/v6.gak");
	EXPECT(c.n_sources == 1 && c.sources[0].group.bytes[3] == 3);
	EXPECT(c.n_announce == 2 && c.announce[1].len == 16 && c.announce[1].prefixlen == 64);
	EXPECT(c.hello_ms == 1000 && c.update_ms == 4000);
	EXPECT(c.rotate_s == 600 && c.rotate_packets == 1000000 && c.overlap_s == 20);
	EXPECT(c.item_lifetime_s == 120 && c.max_items == 2048 && c.max_items_per_origin == 64);
	EXPECT(!c.install_routes && !c.control_esp && !c.control_mac);
	EXPECT(c.max_clock_skew_s == 5 && c.stream_max_rate == 0 && c.max_new_streams == 7);
	EXPECT(c.groups[1].max_rate == 200000 && c.groups[0].max_rate == 0);
}

static void test_defaults(void)
{
	struct gemd_conf c;
	char err[512];

	EXPECT(gemd_conf_parse("min.conf",
			       "identity /i\nbootstrap-key /b\ndevice gem0 underlay eth1\n",
			       &c, err, sizeof(err)) == 0);
	EXPECT_STR(c.socket, "/run/gem/gemd.sock");
	EXPECT(c.hello_ms == 4000 && c.update_ms == 16000 && c.rotate_s == 3600);
	EXPECT(c.install_routes && c.control_esp && c.control_mac && c.max_items == 16384 &&
	       c.max_items_per_origin == 4096);
	EXPECT(c.max_clock_skew_s == 60 && c.stream_max_rate == 1000000 && c.max_new_streams == 50);
}

static void test_refused(void)
{
	static const char base[] = "identity /i\nbootstrap-key /b\ndevice gem0 underlay eth1\n";
	static const struct {
		const char *line, *err;
	} bad[] = {
		{ "colour blue", "t.conf:4: colour: unknown directive" },
		{ "identity etc/id", "t.conf:4: identity: \"etc/id\" is not an absolute path" },
		{ "identity /a /b", "t.conf:4: identity: takes one path" },
		{ "device gem1 eth2", "t.conf:4: device: the form is: device NAME underlay DEV" },
		{ "device gem1 underlay eth1", "t.conf:4: device: gem1 or eth1 is already configured" },
		{ "device averyveryverylongname underlay eth2",
		  "t.conf:4: device: \"averyveryverylongname\" is not an interface name" },
		{ "babel-interface eth1 hello-interval 0",
		  "t.conf:4: hello-interval: \"0\" is not a number of seconds from 0.05 to 600" },
		{ "babel-interface eth1 hello-interval",
		  "t.conf:4: hello-interval: a value is missing" },
		{ "babel-interface eth1 colour red",
		  "t.conf:4: babel-interface: unknown option \"colour\"" },
		{ "group 10.0.0.0/8 gak /g", "t.conf:4: group: 10.0.0.0/8 is not within 224.0.0.0/4 or ff00::/8" },
		{ "group 239.1.2.3/16 gak /g", "t.conf:4: group: 239.1.2.3/16 has bits set beyond its prefix length" },
		{ "group 239.1.0.0/16", "t.conf:4: group: 239.1.0.0/16: a gak file is required" },
		{ "group 239.1.0.0/16 gak /g tag md5", "t.conf:4: tag: \"md5\" is neither hmac-sha256 nor cmac-aes" },
		{ "group 239.1.0.0/33 gak /g", "t.conf:4: group: \"239.1.0.0/33\" is not an address or prefix" },
		{ "source 192.0.2.1 ff3e::1", "t.conf:4: source: source and group must be of one family" },
		{ "source 192.0.2.1 10.1.2.3", "t.conf:4: source: \"10.1.2.3\" is not a multicast group" },
		{ "source 192.0.2.1 239.9.9.9", "t.conf: source: source 1: its group is in no configured group prefix" },
		{ "rotate-packets 0", "t.conf:4: rotate-packets: \"0\" is not a number from 1000 to 281474976710656" },
		{ "rotate-packets -5", "t.conf:4: rotate-packets: \"-5\" is not a number from 1000 to 281474976710656" },
		{ "rotate-interval 10x", "t.conf:4: rotate-interval: \"10x\" is not a number from 10 to 604800" },
		{ "key-overlap 3600\nrotate-interval 60", "t.conf: key-overlap: must be shorter than rotate-interval" },
		{ "install-routes maybe", "t.conf:4: install-routes: yes or no" },
		{ "control-esp on", "t.conf:4: control-esp: yes or no" },
		{ "control-mac maybe", "t.conf:4: control-mac: yes or no" },
		{ "announce 239.1.0.0/16", "t.conf:4: announce: 239.1.0.0/16 is not a unicast prefix without host bits" },
		{ "announce fd00::1/64", "t.conf:4: announce: fd00::1/64 is not a unicast prefix without host bits" },
		{ "hello-interval nan", "t.conf:4: hello-interval: \"nan\" is not a number of seconds from 0.05 to 600" },
		{ "max-clock-skew 0", "t.conf:4: max-clock-skew: \"0\" is not a number from 1 to 86400" },
		{ "stream-max-rate 4294967296",
		  "t.conf:4: stream-max-rate: \"4294967296\" is not a number from 0 to 4294967295" },
		{ "max-new-streams 0", "t.conf:4: max-new-streams: \"0\" is not a number from 1 to 100000" },
		{ "group 239.1.0.0/16 gak /g max-rate 0",
		  "t.conf:4: max-rate: \"0\" is not a number from 1 to 4294967295" },
	};
	struct gemd_conf c;
	char text[1024], err[512];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "%s%s\n", base, bad[i].line);
		err[0] = '\0';
		EXPECT(gemd_conf_parse("t.conf", text, &c, err, sizeof(err)) == -1);
		EXPECT_STR(err, bad[i].err);
	}
	EXPECT(gemd_conf_parse("t.conf", "bootstrap-key /b\ndevice gem0 underlay eth1\n", &c, err,
			       sizeof(err)) == -1);
	EXPECT_STR(err, "t.conf: identity: required: the node's identity file");
	/* Without a device gemd is a relay; a source then has nowhere to send from. */
	EXPECT(gemd_conf_parse("t.conf", "identity /i\nbootstrap-key /b\n", &c, err,
			       sizeof(err)) == 0);
	EXPECT(gemd_conf_parse("t.conf",
			       "identity /i\nbootstrap-key /b\ngroup 239.1.0.0/16 gak /g\n"
			       "source 192.0.2.1 239.1.2.3\n", &c, err, sizeof(err)) == -1);
	EXPECT_STR(err, "t.conf: source: a configured source needs a gem device to send from");
	EXPECT(gemd_conf_load("/nonexistent/gemd.conf", &c, err, sizeof(err)) == -1);
	EXPECT_STR(err, "/nonexistent/gemd.conf: No such file or directory");
}

/* A reload applies groups, rotation and keys; devices, interfaces and the like wait. */
static void test_reload(void)
{
	static const char rotated[] =
		"identity /etc/gem/identity.key\n"
		"bootstrap-key /etc/gem/bk2.key\n"
		"device gem0 underlay eth1\n"
		"babel-interface eth1\n"
		"group 239.2.0.0/16 gak /etc/gem/new.gak\n"
		"rotate-interval 60\n";
	static const char moved[] =
		"identity /etc/gem/identity.key\n"
		"bootstrap-key /etc/gem/bk.key\n"
		"device gem0 underlay eth2\n"
		"babel-interface eth1\n";
	static const char base[] =
		"identity /etc/gem/identity.key\n"
		"bootstrap-key /etc/gem/bk.key\n"
		"device gem0 underlay eth1\n"
		"babel-interface eth1\n";
	struct gemd_conf run, next;
	char err[256];

	EXPECT(gemd_conf_parse("a", base, &run, err, sizeof(err)) == 0);
	EXPECT(gemd_conf_parse("b", rotated, &next, err, sizeof(err)) == 0);
	EXPECT(gemd_conf_restart_needed(&run, &next) == NULL);
	EXPECT(gemd_conf_parse("b", moved, &next, err, sizeof(err)) == 0);
	EXPECT_STR(gemd_conf_restart_needed(&run, &next), "device");
	gemd_conf_keep_start_only(&run, &next);
	EXPECT(gemd_conf_restart_needed(&run, &next) == NULL);
	EXPECT_STR(next.devices[0].underlay, "eth1");
	EXPECT(gemd_conf_parse("b", good, &next, err, sizeof(err)) == 0);
	EXPECT_STR(gemd_conf_restart_needed(&run, &next), "socket");
	gemd_conf_keep_start_only(&run, &next);
	EXPECT(gemd_conf_restart_needed(&run, &next) == NULL);
	/* What a reload applies is left as the new file says. */
	EXPECT(next.n_groups == 2 && next.rotate_s == 600 && !next.control_esp);
}

int main(void)
{
	RUN(test_good);
	RUN(test_defaults);
	RUN(test_refused);
	RUN(test_reload);
	return TEST_EXIT();
}
