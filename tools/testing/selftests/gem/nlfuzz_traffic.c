// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz, "gem_nlfuzz traffic", multicast through the devices while the
 * fuzzer runs.
 */

#include "nlfuzz.h"

/*
 * Traffic: UDP multicast out of the given devices, to protected and
 * unprotected groups, of all sizes (some fragmented, some GSO), with
 * TTLs the normalizer must decrement to nothing; joins and leaves groups
 * on others, so their memberships are mirrored onto the underlays.
 */
static const char *const tgroups[] = {
	"239.1.2.3", "239.1.2.4", "239.1.9.9", "239.2.0.1", "239.1.7.7", "239.200.0.1",
	"224.0.0.251", "ff3e::4321", "ff3e::1", "ff3e::1:5", "ff0e::9",
};

/* The traffic's devices, groups and sockets, and what it counted. */
struct traffic {
	struct dev outs[DEVS_MAX], joins[DEVS_MAX];
	int nouts, njoins, pps;
	double seconds;
	uint64_t seed;
	struct addr ga[ARRAY_SIZE(tgroups)];
	int s4, s6, r4, r6;	/* senders, and receivers that join */
	unsigned long sent, failed, received, joined;
};

static uint8_t payload[9000];

static void traffic_options(int argc, char **argv, struct traffic *t)
{
	char *list[DEVS_MAX];
	int c, i, n;

	while ((c = getopt(argc, argv, "s:t:o:j:r:")) != -1) {
		switch (c) {
		case 's':
			t->seed = parse_u64(optarg);
			break;
		case 't':
			t->seconds = atof(optarg);
			break;
		case 'o':
			n = split(optarg, list, DEVS_MAX);
			for (i = 0; i < n; i++)
				t->outs[t->nouts++].name = list[i];
			break;
		case 'j':
			n = split(optarg, list, DEVS_MAX);
			for (i = 0; i < n; i++)
				t->joins[t->njoins++].name = list[i];
			break;
		case 'r':
			t->pps = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!t->nouts || t->pps <= 0)
		usage();
}

/* UDP sockets to send from, and to receive on port 5000 with. */
static void traffic_sockets(struct traffic *t)
{
	struct sockaddr_in6 b6 = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
	struct sockaddr_in b4 = { .sin_family = AF_INET, .sin_port = htons(5000) };
	int one = 1;

	t->s4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	t->s6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	t->r4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	t->r6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (t->s4 < 0 || t->s6 < 0 || t->r4 < 0 || t->r6 < 0)
		die("udp sockets: %s", strerror(errno));
	setsockopt(t->r4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(t->r6, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(t->r6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(t->r4, (struct sockaddr *)&b4, sizeof(b4)) ||
	    bind(t->r6, (struct sockaddr *)&b6, sizeof(b6)))
		die("bind: %s", strerror(errno));
}

/* len bytes of the payload to group g out of o, with ttl and loop; sendto's result. */
static int send_to(const struct traffic *t, const struct addr *g, const struct dev *o, int ttl,
		   int loop, int len, int gso)
{
	if (g->fam == 4) {
		struct ip_mreqn mr = { .imr_ifindex = o->ifindex };
		struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(5000) };

		memcpy(&to.sin_addr, g->a, 4);
		setsockopt(t->s4, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr));
		setsockopt(t->s4, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
		setsockopt(t->s4, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop));
		setsockopt(t->s4, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso));
		return sendto(t->s4, payload, len, 0, (struct sockaddr *)&to, sizeof(to));
	} else {
		struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
		int ifindex = o->ifindex;

		memcpy(&to.sin6_addr, g->a, 16);
		setsockopt(t->s6, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex));
		setsockopt(t->s6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl));
		setsockopt(t->s6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop, sizeof(loop));
		return sendto(t->s6, payload, len, 0, (struct sockaddr *)&to, sizeof(to));
	}
}

/* A join or leave of a random group on one of the joining devices. */
static void join_one(struct rng *r, struct traffic *t)
{
	struct dev *j = &t->joins[below(r, t->njoins)];
	const struct addr *jg = &t->ga[below(r, ARRAY_SIZE(t->ga))];
	int add = chance(r, 60);

	if (jg->fam == 4) {
		struct ip_mreqn mr = { .imr_ifindex = j->ifindex };

		memcpy(&mr.imr_multiaddr, jg->a, 4);
		if (!setsockopt(t->r4, IPPROTO_IP, add ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
				&mr, sizeof(mr)))
			t->joined += add;
	} else {
		struct ipv6_mreq mr = { .ipv6mr_interface = j->ifindex };

		memcpy(&mr.ipv6mr_multiaddr, jg->a, 16);
		if (!setsockopt(t->r6, IPPROTO_IPV6, add ? IPV6_ADD_MEMBERSHIP
							 : IPV6_DROP_MEMBERSHIP,
				&mr, sizeof(mr)))
			t->joined += add;
	}
}

int traffic_main(int argc, char **argv)
{
	static struct traffic t = { .pps = 1000, .seconds = 60, .seed = 1 };
	double deadline, next_refresh = 0;
	uint64_t k;
	int i;

	traffic_options(argc, argv, &t);
	for (i = 0; i < (int)ARRAY_SIZE(tgroups); i++)
		parse_addr(tgroups[i], &t.ga[i]);
	traffic_sockets(&t);
	deadline = now() + t.seconds;
	for (k = 0; now() < deadline; k++) {
		struct rng r = rng_for(t.seed, k, 2);
		const struct addr *g = &t.ga[below(&r, ARRAY_SIZE(t.ga))];
		struct dev *o = &t.outs[below(&r, t.nouts)];
		int ttl = chance(&r, 20) ? (int)below(&r, 3) : chance(&r, 50) ? 8 : 64;
		int loop = chance(&r, 10), len, gso = 0;

		if (now() >= next_refresh) {
			refresh_devs(t.outs, t.nouts);
			refresh_devs(t.joins, t.njoins);
			next_refresh = now() + 0.1;
		}
		len = chance(&r, 85) ? (int)below(&r, 1400) : (int)below(&r, 4000);
		if (g->fam == 4 && chance(&r, 4)) {
			gso = 200 + below(&r, 1000);
			len = gso * (below(&r, 6) + 2);
		}
		if (len > (int)sizeof(payload))
			len = sizeof(payload);
		snprintf((char *)payload, sizeof(payload), "gem_nlfuzz traffic %" PRIu64 " ", k);
		if (send_to(&t, g, o, ttl, loop, len, gso) < 0)
			t.failed++;
		else
			t.sent++;
		if (t.njoins && chance(&r, 3))
			join_one(&r, &t);
		while (recv(t.r4, payload, sizeof(payload), 0) >= 0)
			t.received++;
		while (recv(t.r6, payload, sizeof(payload), 0) >= 0)
			t.received++;
		if (k % 16 == 15)
			usleep(16 * 1000000 / t.pps);
	}
	printf("# nlfuzz traffic: seed %" PRIu64 ", %lu datagrams sent, %lu refused, %lu received, "
	       "%lu joins\n", t.seed, t.sent, t.failed, t.received, t.joined);
	return 0;
}
