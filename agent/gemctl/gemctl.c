// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl: the operator's command line for GEM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <sodium.h>

#include "conf.h"
#include "lib/devinfo.h"
#include "lib/esp.h"
#include "lib/identity.h"
#include "lib/keyfile.h"
#include "lib/gem_nl.h"
#include "lib/json.h"
#include "norm.h"

struct gemctl {
	struct gemctl_env env;
	int count;		/* devices or events seen */
	int limit;		/* monitor: stop after this many events, 0 = never */
	int bad;		/* replies that did not parse */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: gemctl [-j] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n"
		"  show [DEV]                        gem devices: underlay, MTU, counters\n"
		"  group DEV set GROUP[/LEN] key|gak FILE [tag hmac-sha256|cmac-aes]\n"
		"  group DEV del GROUP[/LEN] | flush | show\n"
		"                                    protected groups and their tag keys\n"
		"  tx DEV set SOURCE GROUP id N key FILE\n"
		"  tx DEV del SOURCE GROUP | flush | show\n"
		"                                    transmit streams and their keys\n"
		"  rx DEV set SOURCE GROUP id N key FILE [rate PPS] [floor PN]\n"
		"  rx DEV del SOURCE GROUP id N | flush | show\n"
		"                                    receive streams and their keys\n"
		"  norm set in DEV source PREFIX group PREFIX new-source ADDR out DEV\n"
		"           [ttl N] [idle SECONDS]\n"
		"  norm del in DEV source PREFIX group PREFIX | flush | show | streams\n"
		"                                    normalizer rules, and the streams they\n"
		"                                    re-source\n"
		"  status | neighbours | routes | streams | items | events\n"
		"                                    gemd's state, through its socket\n"
		"  rotate [GROUP/LEN]                gemd gives its local streams (of one\n"
		"                                    group prefix) new keys now\n"
		"  genkey [BYTES]                    a random key in base64 (32 bytes)\n"
		"  gen identity|bk|gak FILE          a new node identity, Bootstrap Key or\n"
		"                                    Group Authorization Key file (mode 0600)\n"
		"  babeld-key BKFILE                 babeld.conf's key line for gemd's\n"
		"                                    RFC 8967 MACs under that BK\n"
		"  monitor [-c COUNT]                print events as they happen\n"
		"  help                              this text\n"
		"\n"
		"FILE holds one base64 key and must not be readable by group or others;\n"
		"\"-\" reads it from standard input. Keys never go on the command line.\n"
		"\n"
		"Options:\n"
		"  -j, --json           print JSON\n"
		"  -S, --socket PATH    gemd's socket (default /run/gem/gemd.sock)\n");
}

static int show_cb(struct nl_msg *msg, void *arg)
{
	struct gemctl *g = arg;
	struct gem_devinfo d;

	if (gem_devinfo_parse(msg, &d)) {
		g->bad++;
		return NL_SKIP;
	}
	g->count++;
	if (g->env.json)
		gem_devinfo_json(&d, &g->env.j);
	else
		gem_devinfo_print(&d, stdout);
	return NL_OK;
}

static int cmd_show(struct gemctl *g, int argc, char **argv)
{
	struct nl_msg *msg;
	int err;

	if (argc > 1) {
		fprintf(stderr, "gemctl: show takes at most one device\n");
		return 2;
	}
	msg = gem_nl_msg(&g->env.nl, GEM_CMD_DEV_GET, argc ? 0 : NLM_F_DUMP);
	if (!msg || (argc && nla_put_string(msg, GEM_A_DEV_IFNAME, argv[0]))) {
		fprintf(stderr, "gemctl: out of memory\n");
		return 1;
	}
	if (g->env.json)
		json_array_begin(&g->env.j);
	err = gem_nl_send(&g->env.nl, msg, show_cb, g);
	if (err) {
		fprintf(stderr, "gemctl: show%s%s: %s\n", argc ? " " : "",
			argc ? argv[0] : "", g->env.nl.errmsg);
		return 1;
	}
	if (g->env.json) {
		json_array_end(&g->env.j);
		json_finish(&g->env.j);
	}
	if (g->bad) {
		fprintf(stderr, "gemctl: %d malformed replies from the module\n", g->bad);
		return 1;
	}
	return 0;
}

static int run_once(struct gemctl *g, const char *cmd, int argc, char **argv)
{
	g->count = g->bad = 0;
	if (!strcmp(cmd, "show"))
		return cmd_show(g, argc, argv);
	if (!strcmp(cmd, "norm"))
		return gemctl_norm(&g->env, argc, argv);
	return gemctl_conf(&g->env, cmd, argc, argv);
}

/* Copies what f holds to fd. */
static void replay(FILE *f, int fd)
{
	char buf[4096];
	size_t n;

	rewind(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (write(fd, buf, n) < 0)
			break;
}

/*
 * A dump that met a change in the table it read (keys come and go all the
 * time) is not one state of it, and JSON cut short is no JSON: the
 * command runs again, up to 5 times, each run's output held back, and
 * only the last run's is written.
 */
static int run_whole(struct gemctl *g, const char *cmd, int argc, char **argv)
{
	/* Saved above 2, so a closed stdout or stderr cannot be handed out again. */
	int tries, ret = 1, out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3),
		       err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);

	if (out < 0 || err < 0) {
		if (out >= 0)
			close(out);
		if (err >= 0)
			close(err);
		return run_once(g, cmd, argc, argv);
	}
	for (tries = 0; tries < 5; tries++) {
		FILE *o = tmpfile(), *e = tmpfile();
		bool again;

		if (!o || !e || fileno(o) <= STDERR_FILENO || fileno(e) <= STDERR_FILENO) {
			if (o)
				fclose(o);
			if (e)
				fclose(e);
			ret = run_once(g, cmd, argc, argv);
			break;
		}
		fflush(stdout);
		fflush(stderr);
		dup2(fileno(o), STDOUT_FILENO);
		dup2(fileno(e), STDERR_FILENO);
		json_init(&g->env.j, stdout);
		ret = run_once(g, cmd, argc, argv);
		fflush(stdout);
		fflush(stderr);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		again = g->env.nl.interrupted && tries < 4;
		if (!again) {
			replay(o, STDOUT_FILENO);
			replay(e, STDERR_FILENO);
		}
		fclose(o);
		fclose(e);
		if (!again)
			break;
	}
	close(out);
	close(err);
	return ret;
}

static void monitor_addr(struct nlattr *a, char *out, size_t len)
{
	out[0] = '\0';
	if (a)
		inet_ntop(nla_len(a) == 4 ? AF_INET : AF_INET6, nla_data(a), out, len);
}

/*
 * A configuration change or a missing key: the device and whichever of
 * source, group, prefix length and key id the event names.
 */
static int monitor_conf_event(struct gemctl *g, struct nl_msg *msg, const char *what)
{
	struct nlattr *tb[GEM_A_CONF_MAX + 1];
	char src[INET6_ADDRSTRLEN], grp[INET6_ADDRSTRLEN], dev[IF_NAMESIZE] = "?";
	struct json *j = &g->env.j;
	int key_id = -1, plen = -1;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_CONF_MAX, NULL) ||
	    !tb[GEM_A_CONF_IFINDEX]) {
		g->bad++;
		return NL_SKIP;
	}
	if_indextoname(nla_get_u32(tb[GEM_A_CONF_IFINDEX]), dev);
	monitor_addr(tb[GEM_A_CONF_SOURCE], src, sizeof(src));
	monitor_addr(tb[GEM_A_CONF_GROUP], grp, sizeof(grp));
	if (tb[GEM_A_CONF_KEY_ID])
		key_id = nla_get_u8(tb[GEM_A_CONF_KEY_ID]);
	if (tb[GEM_A_CONF_PREFIXLEN])
		plen = nla_get_u8(tb[GEM_A_CONF_PREFIXLEN]);
	g->count++;
	if (!g->env.json) {
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
		json_key(j, "event");
		json_string(j, what);
		json_key(j, "dev");
		json_string(j, dev);
		if (src[0]) {
			json_key(j, "source");
			json_string(j, src);
		}
		if (grp[0]) {
			json_key(j, "group");
			json_string(j, grp);
		}
		if (plen >= 0) {
			json_key(j, "prefixlen");
			json_u64(j, plen);
		}
		if (key_id >= 0) {
			json_key(j, "key_id");
			json_u64(j, key_id);
		}
		json_object_end(j);
		json_finish(j);
	}
	fflush(stdout);
	return NL_OK;
}

/* A normalizer rule set or deleted, or a normalized stream begun or ended. */
static int monitor_norm_event(struct gemctl *g, struct nl_msg *msg, const char *what)
{
	struct gem_norminfo n;

	if (gem_norminfo_parse(nlmsg_hdr(msg), &n)) {
		g->bad++;
		return NL_SKIP;
	}
	g->count++;
	if (g->env.json) {
		json_init(&g->env.j, stdout);
		gem_norminfo_json(&n, what, &g->env.j);
		json_finish(&g->env.j);
	} else {
		gem_norminfo_print(&n, what, stdout);
	}
	fflush(stdout);
	return NL_OK;
}

static int monitor_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct gemctl *g = arg;
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
		return monitor_conf_event(g, msg, conf_events[gh->cmd]);
	if (gh->cmd < sizeof(norm_events) / sizeof(norm_events[0]) && norm_events[gh->cmd])
		return monitor_norm_event(g, msg, norm_events[gh->cmd]);
	if (gh->cmd != GEM_CMD_DEV_ADD_NTF && gh->cmd != GEM_CMD_DEV_DEL_NTF)
		return NL_SKIP;
	if (gem_devinfo_parse(msg, &d)) {
		g->bad++;
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
	g->count++;
	if (g->env.json) {
		json_init(&g->env.j, stdout);
		json_object_begin(&g->env.j);
		json_key(&g->env.j, "event");
		json_string(&g->env.j, what);
		json_key(&g->env.j, "dev");
		gem_devinfo_json(&d, &g->env.j);
		json_object_end(&g->env.j);
		json_finish(&g->env.j);
	} else {
		printf("%s dev %s underlay %s\n", what, d.ifname, d.underlay_ifname);
	}
	fflush(stdout);
	return NL_OK;
}

static int cmd_monitor(struct gemctl *g, int argc, char **argv)
{
	char *end;

	if (argc == 2 && !strcmp(argv[0], "-c")) {
		g->limit = strtol(argv[1], &end, 10);
		if (*end || g->limit <= 0) {
			fprintf(stderr, "gemctl: monitor -c: not a positive count: %s\n", argv[1]);
			return 2;
		}
	} else if (argc) {
		fprintf(stderr, "gemctl: usage: monitor [-c COUNT]\n");
		return 2;
	}
	if (gem_nl_subscribe(&g->env.nl)) {
		fprintf(stderr, "gemctl: monitor: %s\n", g->env.nl.errmsg);
		return 1;
	}
	/* Tell a script waiting on us that events will now be seen. */
	fprintf(stderr, "gemctl: monitoring\n");
	while (!g->limit || g->count < g->limit) {
		if (gem_nl_recv(&g->env.nl, monitor_cb, g)) {
			fprintf(stderr, "gemctl: monitor: %s\n", g->env.nl.errmsg);
			return 1;
		}
	}
	return 0;
}

/*
 * gen identity|bk|gak FILE: a key file for gemd, never over an existing
 * file. For an identity, prints what other operators may know of it.
 */
static int cmd_gen(int argc, char **argv)
{
	char err[512], pk[sodium_base64_ENCODED_LEN(GEM_IDENTITY_PK_LEN,
						   sodium_base64_VARIANT_ORIGINAL)];
	uint8_t key[32];
	int i, ret;

	if (argc != 2 || (strcmp(argv[0], "identity") && strcmp(argv[0], "bk") &&
			  strcmp(argv[0], "gak"))) {
		fprintf(stderr, "gemctl: usage: gen identity|bk|gak FILE\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (!strcmp(argv[0], "identity")) {
		struct gem_identity id;

		if (gem_identity_generate(argv[1], &id, err, sizeof(err))) {
			fprintf(stderr, "gemctl: gen identity: %s\n", err);
			return 1;
		}
		sodium_bin2base64(pk, sizeof(pk), id.pk, sizeof(id.pk),
				  sodium_base64_VARIANT_ORIGINAL);
		printf("public-key %s router-id ", pk);
		for (i = 0; i < GEM_IDENTITY_ID_LEN; i++)
			printf("%02x%s", id.router_id[i], i % 2 && i < 7 ? ":" : "");
		printf("\n");
		gem_identity_wipe(&id);
		return 0;
	}
	randombytes_buf(key, sizeof(key));
	ret = gem_keyfile_write(argv[1], key, sizeof(key), err, sizeof(err));
	sodium_memzero(key, sizeof(key));
	if (ret) {
		fprintf(stderr, "gemctl: gen %s: %s\n", argv[0], err);
		return 1;
	}
	return 0;
}

/*
 * babeld-key BKFILE: the line babeld.conf needs to be a neighbour of gemd
 * with MACs (RFC 8967), the key being the BK's MAC subkey; the interface
 * line then names it ("key gem"). It is a secret: print it only into a
 * file as protected as the BK.
 */
static int cmd_babeld_key(int argc, char **argv)
{
	struct gem_esp_key k;
	char err[512], hex[2 * sizeof(k.mac) + 1];
	uint8_t bk[GEM_BK_LEN];
	size_t len;

	if (argc != 1) {
		fprintf(stderr, "gemctl: usage: babeld-key BKFILE\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (gem_keyfile_read(argv[0], bk, GEM_BK_LEN, GEM_BK_LEN, &len, err, sizeof(err))) {
		fprintf(stderr, "gemctl: babeld-key: %s\n", err);
		return 1;
	}
	gem_esp_derive(bk, &k);
	sodium_bin2hex(hex, sizeof(hex), k.mac, sizeof(k.mac));
	printf("key id gem type hmac-sha256 value %s\n", hex);
	sodium_memzero(bk, sizeof(bk));
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(hex, sizeof(hex));
	return 0;
}

/*
 * status|neighbours|routes|streams|items|events: asks gemd over its
 * socket, prints the answer (events: until gemd or the user ends it).
 */
static int cmd_gemd(const char *socket_path, const char *what, int argc, char **argv, bool json)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	bool first = true;
	ssize_t n;
	int fd;

	/* rotate takes a group prefix, or none; the others nothing. */
	if (argc > (strcmp(what, "rotate") ? 0 : 1) || (argc && strlen(argv[0]) > 63)) {
		fprintf(stderr, "gemctl: %s %s\n", what,
			strcmp(what, "rotate") ? "takes no arguments" : "takes one group prefix, or none");
		return 2;
	}
	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "gemctl: socket path too long: %s\n", socket_path);
		return 2;
	}
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "gemctl: cannot reach gemd at %s: %s\n", socket_path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	n = snprintf(buf, sizeof(buf), "%s %s %s\n", what, json ? "json" : "text",
		     argc ? argv[0] : "");
	if (write(fd, buf, (size_t)n) != n) {
		fprintf(stderr, "gemctl: %s: %s\n", socket_path, strerror(errno));
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 6 && !memcmp(buf, "error:", 6)) {
			fprintf(stderr, "gemctl: gemd: %.*s", (int)n, buf + 7);
			close(fd);
			return 1;
		}
		first = false;
		fwrite(buf, 1, (size_t)n, stdout);
		/* Events come one at a time: each is seen when it happens. */
		fflush(stdout);
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "socket", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gemctl g = { 0 };
	const char *cmd, *socket_path = "/run/gem/gemd.sock";
	int c, ret;

	while ((c = getopt_long(argc, argv, "+jhS:", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			g.env.json = true;
			break;
		case 'S':
			socket_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	cmd = argc ? argv[0] : "show";
	if (argc) {
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "babeld-key"))
		return cmd_babeld_key(argc, argv);
	if (!strcmp(cmd, "gen"))
		return cmd_gen(argc, argv);
	if (!strcmp(cmd, "status") || !strcmp(cmd, "neighbours") || !strcmp(cmd, "routes") ||
	    !strcmp(cmd, "streams") || !strcmp(cmd, "items") || !strcmp(cmd, "events") ||
	    !strcmp(cmd, "rotate"))
		return cmd_gemd(socket_path, cmd, argc, argv, g.env.json);
	if (!strcmp(cmd, "genkey")) {
		long n = argc ? strtol(argv[0], NULL, 10) : 32;

		if (argc > 1 || n < 16 || n > GEM_KEY_MAX) {
			fprintf(stderr, "gemctl: genkey: from 16 to %d bytes\n", GEM_KEY_MAX);
			return 2;
		}
		return gem_keyfile_generate(n) ? 1 : 0;
	}
	if (strcmp(cmd, "show") && strcmp(cmd, "monitor") && strcmp(cmd, "group") &&
	    strcmp(cmd, "tx") && strcmp(cmd, "rx") && strcmp(cmd, "norm")) {
		fprintf(stderr, "gemctl: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return 2;
	}

	if (gem_nl_open(&g.env.nl)) {
		fprintf(stderr, "gemctl: %s\n", g.env.nl.errmsg);
		return 1;
	}
	json_init(&g.env.j, stdout);
	if (!strcmp(cmd, "monitor"))
		ret = cmd_monitor(&g, argc, argv);
	else
		ret = run_whole(&g, cmd, argc, argv);
	gem_nl_close(&g.env.nl);
	return ret;
}
