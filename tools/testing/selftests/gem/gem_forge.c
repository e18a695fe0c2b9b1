// SPDX-License-Identifier: GPL-2.0
/*
 * gem_forge: an attacker on a Babel segment, for gemd_forged.sh. It makes
 * GEM items with keys it is given and puts them on the wire the way a
 * Babel speaker would (link-local source, port 6696, to ff02::1:6), or
 * captures a genuine announcement to replay it later.
 *
 *   gem_forge [-s SEQNO] IFACE pubkey IDFILE [ORIGIN]
 *	a Public Key item of IDFILE's key, in ORIGIN's name (its own by
 *	default)
 *   gem_forge [-s SEQNO] IFACE sek IDFILE GAKFILE SOURCE GROUP [ORIGIN]
 *	an SEK Announce of a random stream key (key id 1) sealed for GROUP
 *	under GAKFILE, MACed with it, signed with IDFILE, in ORIGIN's name
 *   gem_forge IFACE capture FILE ORIGIN [TIMEOUT]
 *	saves the fragments of the first SEK Announce of ORIGIN heard, then
 *	waits (TIMEOUT seconds, 60 by default) until a newer version of it
 *	is heard
 *   gem_forge IFACE replay FILE
 *	sends the captured fragments again, byte for byte
 *   gem_forge IFACE speak ROUTER-ID PREFIX SECONDS
 *	speaks Babel as a router would for SECONDS: every 300 ms a Hello,
 *	an IHU to anyone (wildcard), its ROUTER-ID and a route to the IPv6
 *	PREFIX, to become a neighbour and have its route installed
 *
 *   gem_forge IFACE ask ORIGIN|all COUNT PPS SECONDS
 *	PPS packets a second, each a Hello and COUNT GEM Requests: for
 *	ORIGIN's items (its kinds in turn), or for everything
 *   gem_forge IFACE crowd COUNT SECONDS
 *	neighbours made up by the dozen: a Hello and an IHU every 300 ms
 *	from each of fe80::6:1 to fe80::6:COUNT (the test puts them on IFACE)
 *
 * -b BKFILE speaks as a node of the domain does under that Bootstrap Key:
 * inside the control plane's ESP (it installs the SA in its network
 * namespace, and its sockets' policies, with gemd's own code) and with
 * RFC 8967 MACs, answering the challenges gemd sends a new neighbour.
 * -m BKFILE the MACs alone, for a domain with control-esp no.
 * -d DEST sends to DEST (an IPv6 address on IFACE: a gemd's link-local
 * address, ff02::1) instead of ff02::1:6, as RFC 8966 lets a Babel
 * speaker send unicast; what gemd takes must be protected whatever the
 * destination.
 * ORIGIN is a router-id as gemd prints it (xxxx:xxxx:xxxx:xxxx). With
 * -s, a forged item has sequence number SEQNO; a test forging in another
 * node's name gives one newer than that node's, so that only the keys,
 * never the item's age, can make a receiver refuse it. Without, it is
 * the wall clock in milliseconds, as gemd numbers its own.
 */

#include "forge.h"
#include <arpa/inet.h>
#define FORGED_LIFETIME	60

const struct in6_addr babel_group = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x06 }
};

unsigned int ifindex;
static uint64_t forged_seqno;
struct in6_addr dest = babel_group;
bool esp_on, mac_on;
struct gem_esp_key esp;	/* the BK's subkeys: the SA's, and the MAC key */

/*
 * The signer's identity, speaking in origin's name when one is given:
 * gem_announce_seal takes the origin from the identity's router-id and
 * signs with its secret key, so the item claims origin and is signed by
 * a key whose hash is not origin.
 */
static void load_signer(const char *idfile, const char *origin, struct gem_identity *id)
{
	char err[256];

	if (gem_identity_load(idfile, id, err, sizeof(err)))
		die("%s", err);
	if (origin)
		parse_router_id(origin, id->router_id);
}

static void cmd_pubkey(int argc, char **argv)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_identity id;
	struct gem_item it;

	if (argc < 1 || argc > 2)
		die("usage: IFACE pubkey IDFILE [ORIGIN]");
	load_signer(argv[0], argc > 1 ? argv[1] : NULL, &id);
	memset(&it, 0, sizeof(it));
	it.kind = GEM_ITEM_PUBLIC_KEY;
	it.seqno = forged_seqno;
	it.lifetime = FORGED_LIFETIME;
	memcpy(it.u.pubkey.key, id.pk, GEM_PUBKEY_LEN);
	send_item(buf, gem_announce_seal(&id, NULL, &it, buf, sizeof(buf)));
	gem_identity_wipe(&id);
}

static void cmd_sek(int argc, char **argv)
{
	uint8_t buf[GEM_ITEM_MAX_LEN], sek[GEM_SEK_BYTES];
	struct gem_announce_key key = { .key_id = 1 };
	struct gem_ip source, group;
	struct gem_identity id;
	struct gem_gak g;
	char err[256];

	if (argc < 4 || argc > 5)
		die("usage: IFACE sek IDFILE GAKFILE SOURCE GROUP [ORIGIN]");
	load_signer(argv[0], argc > 4 ? argv[4] : NULL, &id);
	if (gem_gak_load(argv[1], &g, err, sizeof(err)))
		die("%s", err);
	parse_ip(argv[2], &source);
	parse_ip(argv[3], &group);
	if (source.len != group.len)
		die("source and group must be of one family");
	/* Key id 1, as gemd's own: accepted, it would replace the genuine key. */
	randombytes_buf(sek, sizeof(sek));
	key.sek = sek;
	send_item(buf, gem_announce_sek(&id, &g, &source, &group, &key, 1,
					forged_seqno, FORGED_LIFETIME,
					buf, sizeof(buf)));
	sodium_memzero(sek, sizeof(sek));
	gem_identity_wipe(&id);
	gem_gak_wipe(&g);
}

/*
 * A router that wants to be a neighbour: Hellos, an IHU that claims a
 * good link to everyone, and one route. A gemd that takes this lists it
 * among its neighbours and installs the route (install-routes).
 */
static void cmd_speak(int argc, char **argv)
{
	struct babel_tlv t;
	struct babel_writer w;
	struct in6_addr prefix;
	unsigned int plen, n, sent = 0;
	char *slash, *end;
	uint8_t pkt[512];
	double secs;
	struct voice v;
	size_t len;

	if (argc != 3)
		die("usage: IFACE speak ROUTER-ID PREFIX SECONDS");
	slash = strchr(argv[1], '/');
	if (!slash)
		die("not a prefix: %s", argv[1]);
	*slash = 0;
	plen = (unsigned int)strtoul(slash + 1, &end, 10);
	if (*end || plen > 128 || inet_pton(AF_INET6, argv[1], &prefix) != 1)
		die("not an IPv6 prefix: %s/%s", argv[1], slash + 1);
	secs = atof(argv[2]);
	voice_open(&v);
	for (n = 0; n < secs / 0.3; n++) {
		babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_HELLO;
		t.u.hello.seqno = (uint16_t)n;
		t.u.hello.interval = 30;
		babel_write_tlv(&w, &t);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_IHU;
		t.u.ihu.ae = BABEL_AE_WILDCARD;
		t.u.ihu.rxcost = 96;
		t.u.ihu.interval = 90;
		babel_write_tlv(&w, &t);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_ROUTER_ID;
		parse_router_id(argv[0], t.u.router_id.id);
		babel_write_tlv(&w, &t);
		memset(&t, 0, sizeof(t));
		t.type = BABEL_UPDATE;
		t.u.update.ae = BABEL_AE_IPV6;
		t.u.update.plen = (uint8_t)plen;
		t.u.update.interval = 100;
		t.u.update.seqno = 1;
		t.u.update.metric = 0;
		memcpy(t.u.update.prefix, &prefix, 16);
		if (babel_write_tlv(&w, &t))
			die("the update does not fit");
		len = babel_writer_finish(&w);
		if (voice_send(&v, &dest, pkt, len))
			sent++;
		usleep(300000);
	}
	close(v.fd);
	printf("sent %u of %u packets\n", sent, n);
}

/* Requests by the packetful: what one small packet makes a gemd send. */
static void cmd_ask(int argc, char **argv)
{
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.interval = 400 };
	struct gem_request q = { .kind = 0 };
	unsigned int count, pps, i = 0, sent = 0, n = 0;
	struct babel_writer w;
	uint8_t pkt[1400], body[32];
	double secs, end;
	struct voice v;
	size_t len;
	int blen;

	if (argc != 4)
		die("usage: IFACE ask ORIGIN|all COUNT PPS SECONDS");
	if (strcmp(argv[0], "all"))
		parse_router_id(argv[0], q.origin);
	count = (unsigned int)atoi(argv[1]);
	pps = (unsigned int)atoi(argv[2]);
	secs = atof(argv[3]);
	if (!count || !pps)
		die("COUNT and PPS must be positive");
	voice_open(&v);
	for (end = now_s() + secs; now_s() < end; n++) {
		babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
		hello.u.hello.seqno = (uint16_t)n;
		babel_write_tlv(&w, &hello);
		for (i = 0; i < count; i++) {
			/* An origin's items, one kind after another (1 to 4). */
			if (strcmp(argv[0], "all"))
				q.kind = (uint8_t)(i % 4 + 1);
			blen = gem_request_encode(&q, body, sizeof(body));
			if (blen < 0 || babel_write_raw(&w, GEM_TLV_REQUEST, body, (size_t)blen))
				break;
		}
		len = babel_writer_finish(&w);
		if (voice_send(&v, &dest, pkt, len))
			sent++;
		usleep(1000000 / pps);
	}
	close(v.fd);
	printf("sent %u packets of %u requests\n", sent, i);
}

/* Neighbours made up by the dozen, each from an address of its own. */
static void cmd_crowd(int argc, char **argv)
{
	struct babel_tlv hello = { .type = BABEL_HELLO, .u.hello.interval = 30 };
	struct babel_tlv ihu = { .type = BABEL_IHU, .u.ihu.ae = BABEL_AE_WILDCARD,
				 .u.ihu.rxcost = 96, .u.ihu.interval = 90 };
	unsigned int count, i, n;
	static struct voice vs[1024];
	int one = 1, listen;
	struct babel_writer w;
	uint8_t pkt[64 + BABEL_MAC_ROOM];
	double secs;
	size_t len;

	if (argc != 2)
		die("usage: IFACE crowd COUNT SECONDS");
	count = (unsigned int)atoi(argv[0]);
	secs = atof(argv[1]);
	if (!count || count > 1024)
		die("COUNT is 1 to 1024");
	for (i = 0; i < count; i++) {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(BABEL_PORT),
					   .sin6_scope_id = ifindex };

		sa.sin6_addr.s6_addr[0] = 0xfe;
		sa.sin6_addr.s6_addr[1] = 0x80;
		sa.sin6_addr.s6_addr[13] = 6;
		sa.sin6_addr.s6_addr[14] = (uint8_t)((i + 1) >> 8);
		sa.sin6_addr.s6_addr[15] = (uint8_t)(i + 1);
		vs[i].fd = socket(AF_INET6, SOCK_DGRAM, 0);
		if (vs[i].fd < 0 ||
		    setsockopt(vs[i].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    bind(vs[i].fd, (struct sockaddr *)&sa, sizeof(sa)))
			die("socket %u: %s", i + 1, strerror(errno));
		memcpy(vs[i].src, &sa.sin6_addr, 16);
		esp_socket(vs[i].fd);
	}
	listen = babel_socket(true);
	handshake(vs, count, listen);
	for (n = 0; n < secs / 0.3; n++) {
		babel_writer_init(&w, pkt, sizeof(pkt) - BABEL_MAC_ROOM);
		hello.u.hello.seqno = (uint16_t)n;
		babel_write_tlv(&w, &hello);
		babel_write_tlv(&w, &ihu);
		len = babel_writer_finish(&w);
		for (i = 0; i < count; i++)
			voice_send(&vs[i], &dest, pkt, len);
		usleep(300000);
	}
	for (i = 0; i < count; i++)
		close(vs[i].fd);
	close(listen);
	printf("%u neighbours made up for %u rounds\n", count, n);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(int argc, char **argv);
	} cmds[] = {
		{ "pubkey", cmd_pubkey }, { "sek", cmd_sek }, { "capture", cmd_capture },
		{ "replay", cmd_replay }, { "speak", cmd_speak }, { "ask", cmd_ask },
		{ "crowd", cmd_crowd },
	};
	struct timespec now;
	unsigned int i;
	char *end;
	int opt;

	clock_gettime(CLOCK_REALTIME, &now);
	forged_seqno = (uint64_t)now.tv_sec * 1000 + (uint64_t)now.tv_nsec / 1000000;
	while ((opt = getopt(argc, argv, "+s:d:b:m:")) != -1) {
		unsigned long long v;

		if (opt == 'b' || opt == 'm') {
			uint8_t bk[GEM_BK_LEN];
			char err[256];
			size_t len;

			if (gem_keyfile_read(optarg, bk, GEM_BK_LEN, GEM_BK_LEN, &len, err,
					     sizeof(err)))
				die("%s", err);
			gem_esp_derive(bk, &esp);
			sodium_memzero(bk, sizeof(bk));
			mac_on = true;
			if (opt == 'm')
				continue;
			if (gem_esp_install(&esp, err, sizeof(err)))
				die("%s", err);
			esp_on = true;
			continue;
		}

		if (opt == 'd') {
			if (inet_pton(AF_INET6, optarg, &dest) != 1)
				die("-d: not an IPv6 address: %s", optarg);
			continue;
		}
		if (opt != 's')
			return 2;
		errno = 0;
		v = strtoull(optarg, &end, 0);
		if (errno || *end || !*optarg)
			die("-s: not a sequence number: %s", optarg);
		forged_seqno = v;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 3) {
		fprintf(stderr, "usage: gem_forge [-s SEQNO] [-d DEST] [-b|-m BKFILE] IFACE "
			"pubkey|sek|capture|replay|speak ARGS...\n");
		return 2;
	}
	if (sodium_init() < 0)
		die("libsodium failed to initialise");
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		die("no interface %s", argv[1]);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[2], cmds[i].name)) {
			cmds[i].run(argc - 3, argv + 3);
			return 0;
		}
	die("unknown command %s", argv[2]);
}
