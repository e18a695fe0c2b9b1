// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz: a bounded, seed-driven fuzzer of gem.ko's "gem"
 * generic-netlink family, run in the test VM by nlfuzz.sh.
 *
 *   gem_nlfuzz fuzz [OPTION...]     random and mutated requests
 *   gem_nlfuzz traffic [OPTION...]  multicast through the devices meanwhile
 *
 * Request N is made from the seed and N alone, never from what the kernel
 * answered before, so "-s SEED --only N" sends request N again (and
 * prints the answer), "-s SEED --upto N" the first N. Requests are of
 * four kinds: a sweep that puts every attribute type of the command's
 * attribute set, and a few beyond its maximum, at a dozen lengths into an
 * otherwise valid request, for every command number up to GEM_CMD_MAX and
 * beyond, done and dumped; valid requests, built from the devices and
 * addresses of the namespace, that reach deep into gem.ko; mutations of
 * valid ones (attributes deleted, duplicated, inserted, retyped,
 * truncated, grown, nested garbage, header fields, flipped bits, cut or
 * over-long messages, several in one send); and wholly random ones.
 * Command numbers and attribute maxima come from uapi/linux/gem.h, so new
 * ones are fuzzed without a change here.
 *
 * Meanwhile it joins and leaves multicast groups, keeps a few dumps
 * open on small sockets and reads them slowly while things change (or
 * abandons them), and listens to the events group. Every answer is
 * checked: no reply, dump or notification carries a key; every message is
 * well-formed; dumps keep to the device they were asked for; with -U
 * (unprivileged) no change is ever accepted and no events group joined.
 * With -k it watches /dev/kmsg and stops at the first oops, WARN, KASAN or
 * UBSAN report, printing the requests just sent. At the end a summary
 * counts what the kernel answered, command by command.
 *
 * Exit status: 0, 1 if a check failed, 2 on a usage or setup problem.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/gem.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* Requests, answers and the kernel's log. */
#define WIRE_MAX	(80 * 1024)
#define ARENA_MAX	(72 * 1024)
#define ATTRS_MAX	48
#define RECV_MAX	(64 * 1024)
#define ERRNO_MAX	256
#define CMDS		256
#define RING		16
#define RING_BYTES	512
#define SLOW_DUMPS	3
#define MSGS_MAX	96

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gem_nlfuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* splitmix64: one independent stream per request, from (seed, index). */
struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct rng rng_for(uint64_t seed, uint64_t index, uint64_t stream)
{
	struct rng r = { seed ^ (index * 0xd1b54a32d192ed03ULL) ^ (stream << 56) };

	rnd(&r);
	return r;
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

static int chance(struct rng *r, int percent)
{
	return (int)below(r, 100) < percent;
}

static void fill(struct rng *r, uint8_t *p, size_t len)
{
	while (len--)
		*p++ = rnd(r);
}

/* Comma-separated lists from the command line. */
static int split(char *s, char **out, int max)
{
	int n = 0;
	char *tok;

	for (tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

/*
 * Devices, known by name: gem devices are deleted and made again while
 * this runs, so a name's ifindex is looked up again every 50 ms. A
 * request picks a device by its place in the list (from the seed) and
 * gets its ifindex of the moment, or one it had before.
 */
#define DEVS_MAX	16
#define STALE		4

struct dev {
	const char *name;
	uint32_t ifindex;
	uint32_t stale[STALE];
	int nstale;
};

static struct dev gems[DEVS_MAX], links[DEVS_MAX];
static int ngems, nlinks;

/*
 * By a dump of the namespace's links (glibc's if_nameindex): the ioctl
 * that if_nametoindex uses runs modprobe for every name that is missing,
 * as a device the churner deleted is.
 */
static void refresh_devs(struct dev *d, int n)
{
	struct if_nameindex *all = n ? if_nameindex() : NULL, *e;
	int i;

	if (!all)
		return;
	for (i = 0; i < n; i++) {
		uint32_t idx = 0;

		for (e = all; e->if_index; e++)
			if (!strcmp(e->if_name, d[i].name))
				idx = e->if_index;
		if (!idx || idx == d[i].ifindex)
			continue;
		if (d[i].ifindex) {
			d[i].stale[d[i].nstale % STALE] = d[i].ifindex;
			d[i].nstale++;
		}
		d[i].ifindex = idx;
	}
	if_freenameindex(all);
}

static uint32_t dev_ifindex(struct rng *r, struct dev *pool, int n)
{
	struct dev *d;

	if (!n)
		return below(r, 64) + 1;
	d = &pool[below(r, n)];
	if (d->nstale && chance(r, 10))
		return d->stale[below(r, d->nstale < STALE ? d->nstale : STALE)];
	return d->ifindex ? d->ifindex : below(r, 64) + 1;
}

enum role {
	R_NONE,
	R_GEMDEV,	/* ifindex of a gem device */
	R_GEMNAME,	/* its name */
	R_LINK,		/* ifindex of another device */
	R_LINKNAME,
	R_ADDR,		/* a source address */
	R_GROUP,	/* a group address or prefix */
	R_PLEN,		/* a prefix length */
	R_KEYID,
	R_KEY,
	R_ALG,
	R_TTL,
	R_IDLE,
	R_STATS,	/* the nest of counters */
	R_COUNTER,	/* something only the kernel says */
};

static uint32_t pick_ifindex(struct rng *r, int role)
{
	int p = below(r, 100);

	if (p < 82)
		return role == R_GEMDEV ? dev_ifindex(r, gems, ngems) : dev_ifindex(r, links, nlinks);
	if (p < 90)
		return role == R_GEMDEV ? dev_ifindex(r, links, nlinks) : dev_ifindex(r, gems, ngems);
	if (p < 94)
		return 0;
	if (p < 97)
		return (uint32_t[]){ 0xffffffff, 0x7fffffff, 0x80000000, 1 }[below(r, 4)];
	return below(r, 200) + 1;
}

static const char *pick_name(struct rng *r, int role)
{
	static char junk[24];
	int p = below(r, 100);

	if (p < 80 && ngems && role == R_GEMNAME)
		return gems[below(r, ngems)].name;
	if (p < 90 && nlinks)
		return links[below(r, nlinks)].name;
	if (p < 95)
		return "nosuch0";
	snprintf(junk, sizeof(junk), "%.*s", (int)below(r, 20), "gem0gem1gem2gem3xxxxxxxxx");
	return junk;
}

/* Addresses and prefixes: local ones from -a, the rest fixed here. */
struct addr {
	uint8_t fam;	/* 4 or 6 */
	uint8_t plen;
	uint8_t a[16];
};

#define ADDRS_MAX	32

static struct addr local4[ADDRS_MAX], local6[ADDRS_MAX];
static int nlocal4, nlocal6;

static int parse_addr(const char *s, struct addr *out)
{
	char buf[64], *slash;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->a) == 1)
		out->fam = 4;
	else if (inet_pton(AF_INET6, buf, out->a) == 1)
		out->fam = 6;
	else
		return -1;
	out->plen = slash ? atoi(slash) : (out->fam == 4 ? 32 : 128);
	return 0;
}

static const char *const remote_src[] = {
	"10.99.0.2", "192.0.2.9", "10.10.1.1", "10.99.0.77", "0.0.0.0", "255.255.255.255",
	"239.1.2.3", "127.0.0.1", "169.254.1.1",
	"fd99::2", "2001:db8::9", "fd10:1::1", "::", "::1", "fe80::1", "ff3e::1",
};
static const char *const groups[] = {
	"239.1.2.3", "239.1.2.4", "239.1.9.9", "239.2.0.1", "239.1.0.1", "224.0.0.251",
	"10.0.0.1",
	"ff3e::4321", "ff3e::1", "ff3e::1:5", "ff0e::9", "ff02::1", "2001:db8::1",
};
static const char *const group_prefixes[] = {
	"239.1.0.0/16", "239.0.0.0/8", "224.0.0.0/4", "239.1.2.0/24", "239.1.2.3/32",
	"239.2.0.0/16", "232.0.0.0/8", "239.1.2.3/16", "10.0.0.0/8", "224.0.0.0/3",
	"ff3e::/16", "ff00::/8", "ff3e::4321/128", "ff0e::/16", "ff3e::1:0/112", "fe00::/7",
	"ff3e::/8",
};
static const char *const source_prefixes[] = {
	"10.99.0.0/24", "0.0.0.0/0", "10.99.0.2/32", "10.0.0.0/8", "10.99.0.2/24", "10.10.0.0/16",
	"fd99::/64", "::/0", "fd99::2/128", "fd00::/8", "fd99::2/64",
};

#define POOL_MAX	32

struct pool {
	struct addr v[POOL_MAX];
	int n;
};

static struct pool p_remote, p_groups, p_gpfx, p_spfx;

static void pool_init(struct pool *p, const char *const *s, int n)
{
	int i;

	for (i = 0; i < n && p->n < POOL_MAX; i++)
		if (!parse_addr(s[i], &p->v[p->n]))
			p->n++;
}

/* An address of family fam (4 or 6; 0: either) from pool p. */
static const struct addr *pool_pick(struct rng *r, const struct pool *p, int fam)
{
	const struct addr *cand[POOL_MAX];
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		if (!fam || p->v[i].fam == fam)
			cand[n++] = &p->v[i];
	return n ? cand[below(r, n)] : &p->v[0];
}

static const struct addr *pool_first(const struct pool *p, int fam)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].fam == fam)
			return &p->v[i];
	return &p->v[0];
}

static const struct addr *local_pick(struct rng *r, int fam)
{
	if (fam == 6 ? nlocal6 : nlocal4)
		return fam == 6 ? &local6[below(r, nlocal6)] : &local4[below(r, nlocal4)];
	return pool_pick(r, &p_remote, fam);
}

/*
 * The attribute sets of uapi/linux/gem.h. Each table is sized by its
 * GEM_A_*_MAX: an attribute added to the header and not here is fuzzed
 * as unknown bytes of any length.
 */
enum kind { K_UNKNOWN, K_U8, K_U32, K_U64, K_BIN, K_STR, K_NEST, K_PAD };

struct akind {
	uint8_t kind;
	uint8_t role;
};

static const struct akind dev_attrs[GEM_A_DEV_MAX + 1] = {
	[GEM_A_DEV_IFINDEX]		= { K_U32, R_GEMDEV },
	[GEM_A_DEV_IFNAME]		= { K_STR, R_GEMNAME },
	[GEM_A_DEV_UNDERLAY_IFINDEX]	= { K_U32, R_LINK },
	[GEM_A_DEV_UNDERLAY_IFNAME]	= { K_STR, R_LINKNAME },
	[GEM_A_DEV_MTU]			= { K_U32, R_COUNTER },
	[GEM_A_DEV_STATS]		= { K_NEST, R_STATS },
};

static const struct akind conf_attrs[GEM_A_CONF_MAX + 1] = {
	[GEM_A_CONF_PAD]	= { K_PAD, R_NONE },
	[GEM_A_CONF_IFINDEX]	= { K_U32, R_GEMDEV },
	[GEM_A_CONF_SOURCE]	= { K_BIN, R_ADDR },
	[GEM_A_CONF_GROUP]	= { K_BIN, R_GROUP },
	[GEM_A_CONF_PREFIXLEN]	= { K_U8, R_PLEN },
	[GEM_A_CONF_KEY_ID]	= { K_U8, R_KEYID },
	[GEM_A_CONF_KEY]	= { K_BIN, R_KEY },
	[GEM_A_CONF_TAG_ALG]	= { K_U8, R_ALG },
	[GEM_A_CONF_PN]		= { K_U64, R_COUNTER },
	[GEM_A_CONF_PACKETS]	= { K_U64, R_COUNTER },
	[GEM_A_CONF_BYTES]	= { K_U64, R_COUNTER },
	[GEM_A_CONF_RATE]	= { K_U32, R_COUNTER },
};

static const struct akind stats_attrs[GEM_A_STATS_MAX + 1] = {
	[GEM_A_STATS_PAD] = { K_PAD, R_NONE },
	/* The rest are counters; a kind of 0 is fuzzed as a u64 below. */
};

static const struct akind norm_attrs[GEM_A_NORM_MAX + 1] = {
	[GEM_A_NORM_PAD]		= { K_PAD, R_NONE },
	[GEM_A_NORM_IN_IFINDEX]		= { K_U32, R_LINK },
	[GEM_A_NORM_SOURCE]		= { K_BIN, R_ADDR },
	[GEM_A_NORM_SOURCE_PREFIXLEN]	= { K_U8, R_PLEN },
	[GEM_A_NORM_GROUP]		= { K_BIN, R_GROUP },
	[GEM_A_NORM_GROUP_PREFIXLEN]	= { K_U8, R_PLEN },
	[GEM_A_NORM_NEW_SOURCE]		= { K_BIN, R_ADDR },
	[GEM_A_NORM_OUT_IFINDEX]	= { K_U32, R_LINK },
	[GEM_A_NORM_TTL]		= { K_U8, R_TTL },
	[GEM_A_NORM_IDLE_TIMEOUT]	= { K_U32, R_IDLE },
	[GEM_A_NORM_PACKETS]		= { K_U64, R_COUNTER },
	[GEM_A_NORM_BYTES]		= { K_U64, R_COUNTER },
	[GEM_A_NORM_TTL_EXPIRED]	= { K_U64, R_COUNTER },
	[GEM_A_NORM_TOO_BIG]		= { K_U64, R_COUNTER },
	[GEM_A_NORM_ERRORS]		= { K_U64, R_COUNTER },
	[GEM_A_NORM_STREAMS]		= { K_U32, R_COUNTER },
	[GEM_A_NORM_END_REASON]		= { K_U8, R_COUNTER },
};

enum { S_DEV, S_CONF, S_STATS, S_NORM, S_N };

static const struct aset {
	const char *name;
	int max;
	const struct akind *attrs;
} sets[S_N] = {
	[S_DEV]		= { "dev", GEM_A_DEV_MAX, dev_attrs },
	[S_CONF]	= { "conf", GEM_A_CONF_MAX, conf_attrs },
	[S_STATS]	= { "stats", GEM_A_STATS_MAX, stats_attrs },
	[S_NORM]	= { "norm", GEM_A_NORM_MAX, norm_attrs },
};

#define ATTR_MAX_ANY	MAX(MAX((int)GEM_A_DEV_MAX, (int)GEM_A_CONF_MAX), \
			    MAX((int)GEM_A_STATS_MAX, (int)GEM_A_NORM_MAX))

static struct akind attr_kind(int set, int type)
{
	struct akind k = { K_UNKNOWN, R_NONE };

	if (type > 0 && type <= sets[set].max) {
		k = sets[set].attrs[type];
		if (set == S_STATS && k.kind == K_UNKNOWN)
			k.kind = K_U64;
	}
	return k;
}

/* The attribute set of a command; -1 for one this file does not know. */
static int cmd_set(int cmd)
{
	if (cmd >= GEM_CMD_DEV_GET && cmd <= GEM_CMD_DEV_DEL_NTF)
		return S_DEV;
	if (cmd >= GEM_CMD_GROUP_SET && cmd <= GEM_CMD_RX_KEY_MISSING_NTF)
		return S_CONF;
	if (cmd >= GEM_CMD_NORM_SET && cmd <= GEM_CMD_NORM_STREAM_END_NTF)
		return S_NORM;
	return -1;
}

/*
 * The commands that need CAP_NET_ADMIN in the namespace: those with
 * flags [uns-admin-perm] in Documentation/netlink/specs/gem.yaml, every
 * change and every read but what a device is.
 */
static int needs_admin(int cmd)
{
	switch (cmd) {
	case GEM_CMD_GROUP_SET: case GEM_CMD_GROUP_DEL: case GEM_CMD_GROUP_GET:
	case GEM_CMD_TX_SET: case GEM_CMD_TX_DEL: case GEM_CMD_TX_GET:
	case GEM_CMD_RX_SET: case GEM_CMD_RX_DEL: case GEM_CMD_RX_GET:
	case GEM_CMD_NORM_SET: case GEM_CMD_NORM_DEL: case GEM_CMD_NORM_GET:
	case GEM_CMD_NORM_STREAM_GET:
		return 1;
	}
	return 0;
}

static int is_dump(int cmd)
{
	switch (cmd) {
	case GEM_CMD_DEV_GET: case GEM_CMD_GROUP_GET: case GEM_CMD_TX_GET:
	case GEM_CMD_RX_GET: case GEM_CMD_NORM_GET: case GEM_CMD_NORM_STREAM_GET:
		return 1;
	}
	return 0;
}

static const char *cmd_name(int cmd)
{
	static const char *const names[] = {
		[GEM_CMD_UNSPEC]		= "unspec",
		[GEM_CMD_DEV_GET]		= "dev-get",
		[GEM_CMD_DEV_ADD_NTF]		= "dev-add-ntf",
		[GEM_CMD_DEV_DEL_NTF]		= "dev-del-ntf",
		[GEM_CMD_GROUP_SET]		= "group-set",
		[GEM_CMD_GROUP_DEL]		= "group-del",
		[GEM_CMD_GROUP_GET]		= "group-get",
		[GEM_CMD_TX_SET]		= "tx-set",
		[GEM_CMD_TX_DEL]		= "tx-del",
		[GEM_CMD_TX_GET]		= "tx-get",
		[GEM_CMD_RX_SET]		= "rx-set",
		[GEM_CMD_RX_DEL]		= "rx-del",
		[GEM_CMD_RX_GET]		= "rx-get",
		[GEM_CMD_TX_KEY_MISSING_NTF]	= "tx-key-missing-ntf",
		[GEM_CMD_RX_KEY_MISSING_NTF]	= "rx-key-missing-ntf",
		[GEM_CMD_NORM_SET]		= "norm-set",
		[GEM_CMD_NORM_DEL]		= "norm-del",
		[GEM_CMD_NORM_GET]		= "norm-get",
		[GEM_CMD_NORM_STREAM_GET]	= "norm-stream-get",
		[GEM_CMD_NORM_STREAM_NEW_NTF]	= "norm-stream-new-ntf",
		[GEM_CMD_NORM_STREAM_END_NTF]	= "norm-stream-end-ntf",
	};
	static char buf[CMDS][12];

	if (cmd >= 0 && cmd < (int)ARRAY_SIZE(names) && names[cmd])
		return names[cmd];
	snprintf(buf[cmd & (CMDS - 1)], sizeof(buf[0]), "cmd-%d", cmd & (CMDS - 1));
	return buf[cmd & (CMDS - 1)];
}

static const char *errname(int e)
{
	const char *s = e ? strerrorname_np(e) : "0";
	static char buf[16];

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

/*
 * A request as built, before it is laid out: header fields and a list of
 * attributes whose payloads live in the arena.
 */
struct attr {
	uint16_t type;		/* with NLA_F_* bits */
	uint32_t len;		/* payload bytes; nla_len keeps the low 16 bits of len + 4 */
	uint8_t *data;
};

enum req_kind { Q_SWEEP, Q_VALID, Q_MUTATED, Q_RANDOM, Q_KINDS };

static const char *const kind_names[Q_KINDS] = { "sweep", "valid", "mutated", "random" };

struct req {
	uint16_t type;
	uint16_t flags;
	uint8_t cmd;
	uint8_t version;
	uint16_t reserved;
	int nattrs;
	struct attr a[ATTRS_MAX];
	uint8_t arena[ARENA_MAX];
	size_t used;
	enum req_kind kind;
	int dump;		/* NLM_F_DUMP as built */
	uint32_t filter;	/* replies must name this ifindex ... */
	int filter_type;	/* ... in this attribute (0: no check) */
	int fam;		/* address family of the request, 4 or 6 */
};

static uint16_t family_id;
static uint32_t events_group;

/* Room in the arena, or NULL. */
static uint8_t *q_alloc(struct req *q, size_t len)
{
	uint8_t *p;

	if (q->used + len > sizeof(q->arena))
		return NULL;
	p = q->arena + q->used;
	q->used += len;
	return p;
}

static struct attr *q_put(struct req *q, uint16_t type, const void *data, uint32_t len)
{
	struct attr *a;

	if (q->nattrs >= ATTRS_MAX)
		return NULL;
	if (q->used + len > sizeof(q->arena))
		len = sizeof(q->arena) - q->used;
	a = &q->a[q->nattrs++];
	a->type = type;
	a->len = len;
	a->data = q_alloc(q, len);
	if (data && len && a->data)
		memcpy(a->data, data, len);
	return a;
}

static void q_u8(struct req *q, int type, uint8_t v)
{
	q_put(q, type, &v, 1);
}

static void q_u32(struct req *q, int type, uint32_t v)
{
	q_put(q, type, &v, 4);
}

static void q_u64(struct req *q, int type, uint64_t v)
{
	q_put(q, type, &v, 8);
}

static void q_str(struct req *q, int type, const char *s)
{
	q_put(q, type, s, strlen(s) + 1);
}

static void q_addr(struct req *q, int type, const struct addr *a)
{
	q_put(q, type, a->a, a->fam == 4 ? 4 : 16);
}

static void q_del_type(struct req *q, int type)
{
	int i, j = 0;

	for (i = 0; i < q->nattrs; i++)
		if ((q->a[i].type & NLA_TYPE_MASK) != type)
			q->a[j++] = q->a[i];
	q->nattrs = j;
}

static void q_init(struct req *q, int cmd, int dump)
{
	q->type = family_id;
	q->flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	q->cmd = cmd;
	q->version = GEM_GENL_VERSION;
	q->reserved = 0;
	q->nattrs = 0;
	q->used = 0;
	q->dump = dump;
	q->filter = 0;
	q->filter_type = 0;
	q->fam = 4;
}

static const uint32_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64,
				 65, 128, 255, 256, 1000 };

/* Nested attributes: counters, garbage, or nests within nests. */
static void fill_nest(struct rng *r, uint8_t *p, uint32_t len, int depth)
{
	uint32_t off = 0;

	while (off + NLA_HDRLEN <= len) {
		struct nlattr *nla = (struct nlattr *)(p + off);
		uint32_t room = len - off - NLA_HDRLEN;
		uint32_t alen = below(r, 3) ? (below(r, 2) ? 8 : below(r, 17)) : below(r, room + 1);

		if (alen > room)
			alen = room;
		nla->nla_type = below(r, ATTR_MAX_ANY + 4);
		if (chance(r, 20))
			nla->nla_type |= NLA_F_NESTED;
		nla->nla_len = NLA_HDRLEN + alen;
		if (chance(r, 5))
			nla->nla_len = below(r, 0x10000);
		if (depth < 8 && alen >= NLA_HDRLEN && chance(r, 30)) {
			nla->nla_type |= NLA_F_NESTED;
			fill_nest(r, p + off + NLA_HDRLEN, alen, depth + 1);
		} else {
			fill(r, p + off + NLA_HDRLEN, alen);
		}
		off += NLA_ALIGN(NLA_HDRLEN + alen);
	}
	if (off < len)
		fill(r, p + off, len - off);
}

/* A plausible value for an attribute of a set, of its natural length. */
static void put_plausible(struct rng *r, struct req *q, int set, int type)
{
	struct akind k = attr_kind(set, type);
	struct attr *a;
	uint8_t buf[GEM_TAG_KEY_MAX + 2];

	switch (k.role) {
	case R_GEMDEV: case R_LINK:
		q_u32(q, type, pick_ifindex(r, k.role));
		return;
	case R_GEMNAME: case R_LINKNAME:
		q_str(q, type, pick_name(r, k.role));
		return;
	case R_ADDR:
		q_addr(q, type, chance(r, 50) ? local_pick(r, q->fam) : pool_pick(r, &p_remote, q->fam));
		return;
	case R_GROUP:
		q_addr(q, type, pool_pick(r, chance(r, 50) ? &p_groups : &p_gpfx, q->fam));
		return;
	case R_PLEN:
		q_u8(q, type, chance(r, 70) ? pool_pick(r, &p_gpfx, q->fam)->plen : below(r, 256));
		return;
	case R_KEYID:
		q_u8(q, type, below(r, 256));
		return;
	case R_KEY:
		fill(r, buf, sizeof(buf));
		q_put(q, type, buf, chance(r, 60) ? GEM_SEK_LEN : below(r, GEM_TAG_KEY_MAX + 2));
		return;
	case R_ALG:
		q_u8(q, type, below(r, GEM_TAG_ALG_MAX + 3));
		return;
	case R_TTL:
		q_u8(q, type, below(r, 256));
		return;
	case R_IDLE:
		q_u32(q, type, chance(r, 70) ? below(r, 4) + 1 : below(r, GEM_NORM_IDLE_MAX + 10));
		return;
	case R_STATS: {
		uint32_t len = below(r, 200);

		a = q_put(q, type | NLA_F_NESTED, NULL, len);
		if (a)
			fill_nest(r, a->data, a->len, 0);
		return;
	}
	}
	switch (k.kind) {
	case K_U8:
		q_u8(q, type, rnd(r));
		return;
	case K_U32:
		q_u32(q, type, rnd(r));
		return;
	case K_U64: case K_PAD:
		q_u64(q, type, rnd(r));
		return;
	default:
		a = q_put(q, type, NULL, lens[below(r, ARRAY_SIZE(lens) - 1)]);
		if (a)
			fill(r, a->data, a->len);
	}
}

static void valid_group_addr(struct rng *r, struct req *q, int type_addr, int type_plen,
			     int exact)
{
	const struct addr *g = pool_pick(r, exact ? &p_groups : &p_gpfx, q->fam);

	/* Pools hold some invalid prefixes too: most picks retry for a good one. */
	if (!exact && chance(r, 80)) {
		int tries;

		for (tries = 0; tries < 4; tries++) {
			if ((g->fam == 4 && g->a[0] >= 224 && g->a[0] < 240 && g->plen >= 4) ||
			    (g->fam == 6 && g->a[0] == 0xff && g->plen >= 8))
				break;
			g = pool_pick(r, &p_gpfx, q->fam);
		}
	}
	q_addr(q, type_addr, g);
	if (type_plen && (!exact || chance(r, 30)))
		q_u8(q, type_plen, exact ? (g->fam == 4 ? 32 : 128) : g->plen);
}

/* A request as the kernel expects it, for the commands this file knows. */
static void build_valid(struct rng *r, struct req *q, int cmd, int dump)
{
	uint8_t key[GEM_TAG_KEY_MAX];
	uint32_t ifindex;
	int alg;

	q_init(q, cmd, dump);
	q->kind = Q_VALID;
	q->fam = chance(r, 70) ? 4 : 6;
	fill(r, key, sizeof(key));
	switch (cmd) {
	case GEM_CMD_DEV_GET:
		if (dump)
			break;
		if (chance(r, 80)) {
			ifindex = pick_ifindex(r, R_GEMDEV);
			q_u32(q, GEM_A_DEV_IFINDEX, ifindex);
			q->filter = ifindex;
			q->filter_type = GEM_A_DEV_IFINDEX;
		}
		if (!q->nattrs || chance(r, 20))
			q_str(q, GEM_A_DEV_IFNAME, pick_name(r, R_GEMNAME));
		break;
	case GEM_CMD_GROUP_SET:
		q_u32(q, GEM_A_CONF_IFINDEX, pick_ifindex(r, R_GEMDEV));
		valid_group_addr(r, q, GEM_A_CONF_GROUP, chance(r, 85) ? GEM_A_CONF_PREFIXLEN : 0, 0);
		alg = chance(r, 40) ? (int)below(r, GEM_TAG_ALG_MAX + 1) : -1;
		if (alg >= 0)
			q_u8(q, GEM_A_CONF_TAG_ALG, alg);
		q_put(q, GEM_A_CONF_KEY, key, alg == GEM_TAG_CMAC_AES ?
		      (uint32_t[]){ 16, 24, 32 }[below(r, 3)] : 16 + below(r, GEM_TAG_KEY_MAX - 15));
		break;
	case GEM_CMD_GROUP_DEL:
		q_u32(q, GEM_A_CONF_IFINDEX, pick_ifindex(r, R_GEMDEV));
		if (chance(r, 96))
			valid_group_addr(r, q, GEM_A_CONF_GROUP, chance(r, 85) ? GEM_A_CONF_PREFIXLEN : 0, 0);
		break;
	case GEM_CMD_TX_SET: case GEM_CMD_RX_SET:
	case GEM_CMD_TX_DEL: case GEM_CMD_RX_DEL: {
		int set = cmd == GEM_CMD_TX_SET || cmd == GEM_CMD_RX_SET;
		int tx = cmd == GEM_CMD_TX_SET || cmd == GEM_CMD_TX_DEL;

		q_u32(q, GEM_A_CONF_IFINDEX, pick_ifindex(r, R_GEMDEV));
		if (!set && chance(r, 4))
			break;	/* a flush */
		if (chance(r, 50)) {
			/* One stream a family that sets and deletes both name often. */
			const struct addr *src = q->fam == 4 ? (nlocal4 ? &local4[0] : NULL)
							     : (nlocal6 ? &local6[0] : NULL);

			q_addr(q, GEM_A_CONF_SOURCE, src ? src : pool_first(&p_remote, q->fam));
			q_addr(q, GEM_A_CONF_GROUP, pool_first(&p_groups, q->fam));
			if (set || !tx || chance(r, 50))
				q_u8(q, GEM_A_CONF_KEY_ID, tx ? below(r, 256) : 1);
		} else {
			q_addr(q, GEM_A_CONF_SOURCE, tx || chance(r, 30) ? local_pick(r, q->fam)
								      : pool_pick(r, &p_remote, q->fam));
			valid_group_addr(r, q, GEM_A_CONF_GROUP, 0, 1);
			if (set || !tx || chance(r, 50))
				q_u8(q, GEM_A_CONF_KEY_ID, tx ? below(r, 256)
							     : (uint8_t[]){ 1, 2, 3, 7 }[below(r, 4)]);
		}
		if (set)
			q_put(q, GEM_A_CONF_KEY, key, GEM_SEK_LEN);
		/* A receive key's floor and rate now and then. */
		if (cmd == GEM_CMD_RX_SET && chance(r, 20))
			q_u64(q, GEM_A_CONF_PN, chance(r, 70) ? below(r, 1000) : rnd(r));
		if (cmd == GEM_CMD_RX_SET && chance(r, 20))
			q_u32(q, GEM_A_CONF_RATE, chance(r, 30) ? 0 : below(r, 100000));
		break;
	}
	case GEM_CMD_GROUP_GET: case GEM_CMD_TX_GET: case GEM_CMD_RX_GET:
		if (chance(r, 95)) {
			ifindex = pick_ifindex(r, R_GEMDEV);
			q_u32(q, GEM_A_CONF_IFINDEX, ifindex);
			q->filter = ifindex;
			q->filter_type = GEM_A_CONF_IFINDEX;
		}
		break;
	case GEM_CMD_NORM_SET: case GEM_CMD_NORM_DEL: {
		const struct addr *s = pool_pick(r, &p_spfx, q->fam);

		if (cmd == GEM_CMD_NORM_DEL && chance(r, 4))
			break;	/* a flush */
		q_u32(q, GEM_A_NORM_IN_IFINDEX, chance(r, 70) && nlinks ?
		      dev_ifindex(r, links, 1) : pick_ifindex(r, R_LINK));
		q_addr(q, GEM_A_NORM_SOURCE, s);
		if (chance(r, 90))
			q_u8(q, GEM_A_NORM_SOURCE_PREFIXLEN, s->plen);
		valid_group_addr(r, q, GEM_A_NORM_GROUP, GEM_A_NORM_GROUP_PREFIXLEN, 0);
		if (cmd == GEM_CMD_NORM_DEL)
			break;
		q_addr(q, GEM_A_NORM_NEW_SOURCE, chance(r, 92) ? local_pick(r, q->fam)
							       : pool_pick(r, &p_remote, q->fam));
		q_u32(q, GEM_A_NORM_OUT_IFINDEX, pick_ifindex(r, chance(r, 60) ? R_GEMDEV : R_LINK));
		if (chance(r, 50))
			q_u8(q, GEM_A_NORM_TTL, chance(r, 50) ? 0 : below(r, 256));
		if (chance(r, 70))
			q_u32(q, GEM_A_NORM_IDLE_TIMEOUT, chance(r, 80) ? below(r, 5) + 1
								      : below(r, GEM_NORM_IDLE_MAX) + 1);
		break;
	}
	case GEM_CMD_NORM_GET: case GEM_CMD_NORM_STREAM_GET:
		if (chance(r, 40)) {
			ifindex = chance(r, 70) && nlinks ? dev_ifindex(r, links, 1)
							   : pick_ifindex(r, R_LINK);
			q_u32(q, GEM_A_NORM_IN_IFINDEX, ifindex);
			q->filter = ifindex;
			q->filter_type = GEM_A_NORM_IN_IFINDEX;
		}
		break;
	default: {
		/* Notifications and commands unknown here: plausible attributes. */
		int set = cmd_set(cmd), n = below(r, 6), i;

		if (set < 0)
			set = below(r, S_N);
		for (i = 0; i < n; i++)
			put_plausible(r, q, set, below(r, sets[set].max) + 1);
	}
	}
}

static int pick_cmd(struct rng *r)
{
	int p = below(r, 100);

	if (p < 85)
		return below(r, GEM_CMD_MAX) + 1;
	if (p < 95)
		return below(r, GEM_CMD_MAX + 4);
	return below(r, 256);
}

/* The sweep: command x do/dump x attribute type x length. */
#define SWEEP_CMDS	(GEM_CMD_MAX + 3)
#define SWEEP_TYPES	(ATTR_MAX_ANY + 4)
#define SWEEP_LENS	(ARRAY_SIZE(lens) + 3)	/* natural, nested, byte-order flag */
#define SWEEP_SIZE	(SWEEP_CMDS * 2 * SWEEP_TYPES * SWEEP_LENS)

static void build_sweep(struct rng *r, struct req *q, uint64_t k)
{
	int lenclass = k % SWEEP_LENS, type, cmd, dump, set, max;
	struct attr *a;

	k /= SWEEP_LENS;
	type = k % SWEEP_TYPES;
	k /= SWEEP_TYPES;
	dump = k % 2;
	cmd = k / 2;
	set = cmd_set(cmd);
	max = set < 0 ? ATTR_MAX_ANY : sets[set].max;
	/* Types past the set's own maximum and three more repeat the last. */
	if (type > max + 3)
		type = max + 3;

	build_valid(r, q, cmd, dump);
	q->kind = Q_SWEEP;
	q->filter_type = 0;
	q_del_type(q, type);
	if (set < 0)
		set = S_CONF;
	if (lenclass == 0) {
		put_plausible(r, q, set, type);
	} else if (lenclass == 1) {
		uint32_t len = below(r, 64) + NLA_HDRLEN;

		a = q_put(q, type | NLA_F_NESTED, NULL, len);
		if (a)
			fill_nest(r, a->data, a->len, 0);
	} else if (lenclass == 2) {
		put_plausible(r, q, set, type);
		if (q->nattrs)
			q->a[q->nattrs - 1].type |= NLA_F_NET_BYTEORDER;
	} else {
		a = q_put(q, type, NULL, lens[lenclass - 3]);
		if (a)
			fill(r, a->data, a->len);
	}
	/* Attribute order must not matter: the swept one goes anywhere. */
	if (q->nattrs > 1 && chance(r, 50)) {
		struct attr t = q->a[q->nattrs - 1];
		int at = below(r, q->nattrs);

		memmove(&q->a[at + 1], &q->a[at], (q->nattrs - 1 - at) * sizeof(t));
		q->a[at] = t;
	}
}

static void build_random(struct rng *r, struct req *q)
{
	int i, n = below(r, 10);

	q_init(q, pick_cmd(r), chance(r, 30));
	q->kind = Q_RANDOM;
	q->fam = chance(r, 50) ? 4 : 6;
	if (chance(r, 10))
		q->version = rnd(r);
	if (chance(r, 5))
		q->reserved = rnd(r);
	if (chance(r, 10))
		q->flags = rnd(r);
	for (i = 0; i < n; i++) {
		int type = chance(r, 95) ? below(r, ATTR_MAX_ANY + 4) : (uint16_t)rnd(r);
		struct attr *a;

		if (chance(r, 40)) {
			int set = cmd_set(q->cmd);

			put_plausible(r, q, set < 0 ? (int)below(r, S_N) : set, type & NLA_TYPE_MASK);
			continue;
		}
		if (chance(r, 15)) {
			a = q_put(q, type | NLA_F_NESTED, NULL, below(r, 300));
			if (a)
				fill_nest(r, a->data, a->len, 0);
			continue;
		}
		a = q_put(q, type, NULL, chance(r, 90) ? lens[below(r, ARRAY_SIZE(lens))]
						       : below(r, 4096));
		if (a)
			fill(r, a->data, a->len);
	}
}

/* Changes to the request as built. */
static void mutate_attrs(struct rng *r, struct req *q)
{
	struct attr *a = q->nattrs ? &q->a[below(r, q->nattrs)] : NULL;
	int op = below(r, 12), i;

	if (!a && op < 9)
		op = 2;
	switch (op) {
	case 0:		/* delete one */
		i = a - q->a;
		memmove(a, a + 1, (q->nattrs - i - 1) * sizeof(*a));
		q->nattrs--;
		break;
	case 1:		/* duplicate one, maybe with other contents */
		if (q->nattrs < ATTRS_MAX) {
			struct attr *b = q_put(q, a->type, a->data, a->len);

			if (b && chance(r, 50))
				fill(r, b->data, b->len);
		}
		break;
	case 2: {	/* insert one */
		int set = cmd_set(q->cmd);

		put_plausible(r, q, set < 0 ? S_CONF : set, below(r, ATTR_MAX_ANY + 4));
		break;
	}
	case 3:		/* another type */
		a->type = (a->type & ~NLA_TYPE_MASK) | (chance(r, 80) ? below(r, ATTR_MAX_ANY + 4)
								      : (rnd(r) & NLA_TYPE_MASK));
		break;
	case 4:		/* shorter */
		a->len = a->len ? below(r, a->len) : 0;
		break;
	case 5: {	/* longer */
		uint32_t more = lens[below(r, ARRAY_SIZE(lens))];
		uint8_t *p = q_alloc(q, a->len + more);

		if (!p)
			break;
		memcpy(p, a->data, a->len);
		fill(r, p + a->len, more);
		a->data = p;
		a->len += more;
		break;
	}
	case 6:		/* the flag bits */
		a->type ^= chance(r, 50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		break;
	case 7:		/* boundary values */
		for (i = 0; i < (int)a->len; i++)
			a->data[i] = (uint8_t[]){ 0, 0xff, 0x80, 0x7f, 1 }[below(r, 5)];
		break;
	case 8:		/* IPv4 <-> IPv6, or a byte off */
		if (a->len == 4 || a->len == 16) {
			uint8_t *p = q_alloc(q, 16);

			if (!p)
				break;
			memcpy(p, a->data, a->len);
			if (a->len == 4)
				memset(p + 4, 0, 12);
			a->data = p;
			a->len = a->len == 4 ? 16 : 4;
		} else if (a->len) {
			a->len--;
		}
		break;
	case 9: {	/* nested garbage */
		struct attr *b = q_put(q, below(r, ATTR_MAX_ANY + 4) | NLA_F_NESTED, NULL,
				       below(r, 400) + NLA_HDRLEN);

		if (b)
			fill_nest(r, b->data, b->len, 0);
		break;
	}
	case 10: {	/* oversized */
		struct attr *b = q_put(q, chance(r, 70) ? below(r, ATTR_MAX_ANY + 4) : a ? a->type : 1,
				       NULL, chance(r, 50) ? 65535 - NLA_HDRLEN : 1000 + below(r, 8000));

		if (b)
			fill(r, b->data, b->len);
		break;
	}
	default:	/* shuffled */
		for (i = q->nattrs - 1; i > 0; i--) {
			int j = below(r, i + 1);
			struct attr t = q->a[i];

			q->a[i] = q->a[j];
			q->a[j] = t;
		}
	}
}

static void mutate_header(struct rng *r, struct req *q)
{
	static const uint16_t flag_sets[] = {
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ROOT,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_MATCH,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ATOMIC,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO,
		NLM_F_REQUEST,
		NLM_F_ACK,
		0,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_APPEND,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_MULTI,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP_INTR,
	};

	switch (below(r, 6)) {
	case 0:
		q->cmd = pick_cmd(r);
		break;
	case 1:
		q->version = chance(r, 50) ? 0 : rnd(r);
		break;
	case 2:
		q->reserved = chance(r, 50) ? 1 : rnd(r);
		break;
	case 3:
		q->flags = chance(r, 80) ? flag_sets[below(r, ARRAY_SIZE(flag_sets))] : rnd(r);
		break;
	case 4:
		/*
		 * Netlink's own types, or a family id no family has. Not
		 * another family's: the control family would take gem's
		 * attribute 2 for a family name and run modprobe for it.
		 */
		q->type = (uint16_t[]){ NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN, 0,
					 0xffff, 0x8000 + below(r, 0x7fff) }[below(r, 7)];
		break;
	default:	/* a dump of a command without one, or the other way */
		q->flags ^= NLM_F_DUMP;
	}
}

struct wire {
	uint8_t buf[WIRE_MAX];
	size_t len;		/* bytes sent */
	int batch;		/* more than one message */
};

static size_t lay_out(const struct req *q, uint8_t *buf, size_t max, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	int i;

	if (max < off)
		return 0;
	memset(buf, 0, off);
	nlh->nlmsg_type = q->type;
	nlh->nlmsg_flags = q->flags;
	nlh->nlmsg_seq = seq;
	g->cmd = q->cmd;
	g->version = q->version;
	g->reserved = q->reserved;
	for (i = 0; i < q->nattrs; i++) {
		const struct attr *a = &q->a[i];
		struct nlattr *nla = (struct nlattr *)(buf + off);
		size_t len = a->len;

		if (off + NLA_HDRLEN + NLA_ALIGN(len) > max)
			break;
		nla->nla_type = a->type;
		nla->nla_len = (uint16_t)(NLA_HDRLEN + len);
		memcpy(buf + off + NLA_HDRLEN, a->data, len);
		memset(buf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
		off += NLA_HDRLEN + NLA_ALIGN(len);
	}
	nlh->nlmsg_len = off;
	return off;
}

/* Changes to the bytes as laid out. */
static void mutate_wire(struct rng *r, struct wire *w, const struct req *extra, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)w->buf;
	size_t body = NLMSG_HDRLEN, i, n;

	switch (below(r, 6)) {
	case 0:		/* flipped bits past the netlink header */
		n = below(r, 8) + 1;
		for (i = 0; i < n && w->len > body; i++)
			w->buf[body + below(r, w->len - body)] ^= 1 << below(r, 8);
		break;
	case 1:		/* cut short, saying so or not */
		w->len = below(r, w->len + 1);
		if (w->len >= NLMSG_HDRLEN && chance(r, 60))
			nlh->nlmsg_len = w->len;
		break;
	case 2:		/* nlmsg_len says more, or less, than there is */
		if (w->len >= NLMSG_HDRLEN)
			nlh->nlmsg_len = chance(r, 50) ? w->len + 1 + below(r, 64) : below(r, w->len);
		break;
	case 3:		/* trailing garbage inside the message */
		n = below(r, 12) + 1;
		if (w->len + n <= sizeof(w->buf)) {
			fill(r, w->buf + w->len, n);
			w->len += n;
			if (w->len >= NLMSG_HDRLEN && chance(r, 80))
				nlh->nlmsg_len = w->len;
		}
		break;
	case 4: {	/* one attribute's nla_len lies */
		size_t off = NLMSG_HDRLEN + GENL_HDRLEN, k = 0, pick;
		size_t offs[ATTRS_MAX];

		while (off + NLA_HDRLEN <= w->len && k < ATTRS_MAX) {
			struct nlattr *nla = (struct nlattr *)(w->buf + off);

			offs[k++] = off;
			if (nla->nla_len < NLA_HDRLEN)
				break;
			off += NLA_ALIGN(nla->nla_len);
		}
		if (!k)
			break;
		pick = offs[below(r, k)];
		((struct nlattr *)(w->buf + pick))->nla_len =
			(uint16_t[]){ 0, 1, 3, 4, 5, 0xffff, 0x8000 }[below(r, 7)] +
			(chance(r, 30) ? below(r, 64) : 0);
		break;
	}
	default:	/* another message in the same send */
		n = lay_out(extra, w->buf + NLMSG_ALIGN(w->len), sizeof(w->buf) - NLMSG_ALIGN(w->len),
			    seq);
		if (n) {
			w->len = NLMSG_ALIGN(w->len) + n;
			w->batch = 1;
		}
	}
}

/* What the kernel answered, counted by command. */
struct cmdstat {
	unsigned long sent[2];		/* do, dump */
	unsigned long ok, none;
	unsigned long valid_sent, valid_ok;
	unsigned long replies, dump_msgs, dump_intr;
	unsigned long err[ERRNO_MAX];
	unsigned long err_nomsg[ERRNO_MAX];	/* gem's own refusals without a message */
	unsigned long err_withmsg[ERRNO_MAX];
	long first_nomsg[ERRNO_MAX];
};

static struct cmdstat cs[CMDS];
static unsigned long kinds_sent[Q_KINDS];
static unsigned long ntf[CMDS], ntf_overruns, truncated_reads;
static unsigned long mc_joined, mc_refused[ERRNO_MAX], mc_events_joined, mc_events_refused;
static unsigned long slow_started, slow_done, slow_intr, slow_abandoned, slow_msgs;
static unsigned long violations, stale_answers, core_acks;

struct msgstat {
	char text[160];
	unsigned long count;
};

static struct msgstat msgs[MSGS_MAX];
static int nmsgs;

static void count_msg(const char *m)
{
	int i;

	for (i = 0; i < nmsgs; i++)
		if (!strcmp(msgs[i].text, m)) {
			msgs[i].count++;
			return;
		}
	if (nmsgs < MSGS_MAX) {
		snprintf(msgs[nmsgs].text, sizeof(msgs[0].text), "%s", m);
		msgs[nmsgs++].count = 1;
	}
}

static struct {
	int unpriv;
	int verbose;
	const char *name;
	uint64_t seed;
} opt = { .name = "fuzz" };

static uint64_t cur_index;
static int ext_ack_on = 1;	/* on the main socket, which toggles it now and then */

static void hexdump(FILE *f, const char *prefix, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(f, "%s", prefix);
	for (i = 0; i < len && i < RING_BYTES; i++)
		fprintf(f, "%02x", p[i]);
	if (len > RING_BYTES)
		fprintf(f, "... (%zu bytes)", len);
	fprintf(f, "\n");
}

/* One line for a request as sent: header fields, then each attribute. */
static void describe(FILE *f, const char *prefix, const uint8_t *buf, size_t len, size_t sent)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, end;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN) {
		hexdump(f, prefix, buf, len);
		return;
	}
	end = nlh->nlmsg_len < len ? nlh->nlmsg_len : len;
	fprintf(f, "%stype %u%s flags 0x%x len %u (%zu bytes) cmd %u (%s) version %u reserved %u:",
		prefix, nlh->nlmsg_type, nlh->nlmsg_type == family_id ? " (gem)" : "",
		nlh->nlmsg_flags, nlh->nlmsg_len, sent, g->cmd, cmd_name(g->cmd), g->version,
		g->reserved);
	while (off + NLA_HDRLEN <= end) {
		const struct nlattr *nla = (const void *)(buf + off);
		size_t alen = nla->nla_len, i;

		fprintf(f, " [%u%s%s len %zu", nla->nla_type & NLA_TYPE_MASK,
			nla->nla_type & NLA_F_NESTED ? " nested" : "",
			nla->nla_type & NLA_F_NET_BYTEORDER ? " be" : "", alen);
		if (alen >= NLA_HDRLEN) {
			fprintf(f, ":");
			for (i = NLA_HDRLEN; i < alen && off + i < end && i < NLA_HDRLEN + 40; i++)
				fprintf(f, "%02x", buf[off + i]);
			if (alen > NLA_HDRLEN + 40)
				fprintf(f, "...");
		}
		fprintf(f, "]");
		if (alen < NLA_HDRLEN)
			break;
		off += NLA_ALIGN(alen);
	}
	if (off < end)
		fprintf(f, " +%zu bytes", end - off);
	fprintf(f, "\n");
}

/* The last requests sent, for a report of what came before a kernel complaint. */
struct ring_entry {
	uint64_t index;
	size_t len;
	uint8_t buf[RING_BYTES];
	size_t full;
};

static struct ring_entry ring[RING];
static unsigned int ring_pos;

static void ring_add(uint64_t index, const struct wire *w)
{
	struct ring_entry *e = &ring[ring_pos++ % RING];

	e->index = index;
	e->full = w->len;
	e->len = w->len < RING_BYTES ? w->len : RING_BYTES;
	memcpy(e->buf, w->buf, e->len);
}

static void ring_print(FILE *f)
{
	unsigned int i;
	char prefix[64];

	for (i = 0; i < RING; i++) {
		struct ring_entry *e = &ring[(ring_pos + i) % RING];

		if (!e->full)
			continue;
		snprintf(prefix, sizeof(prefix), "#   #%" PRIu64 ": ", e->index);
		describe(f, prefix, e->buf, e->len, e->full);
	}
}

static void violation(const char *what, const uint8_t *reply, size_t len)
{
	violations++;
	printf("# VIOLATION (%s, seed %" PRIu64 ", request #%" PRIu64 "): %s\n", opt.name, opt.seed,
	       cur_index, what);
	if (reply)
		hexdump(stdout, "#   answer: ", reply, len);
	ring_print(stdout);
	fflush(stdout);
}

/* The extack message of an error or a done message, if any. */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	size_t off = NLMSG_HDRLEN, len = nlh->nlmsg_len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		off += sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	} else {
		off += NLMSG_ALIGN(sizeof(int));
	}
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)((const uint8_t *)nlh + off);

		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > len)
			return NULL;
		if ((nla->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			return memchr((const char *)nla + NLA_HDRLEN, 0, nla->nla_len - NLA_HDRLEN) ?
			       (const char *)nla + NLA_HDRLEN : NULL;
		off += NLA_ALIGN(nla->nla_len);
	}
	return NULL;
}

/*
 * Checks one gem message from the kernel: well-formed, of a known set,
 * without a key; for a request that named a device, about that device.
 */
static void check_gem_msg(const struct nlmsghdr *nlh, const struct req *q, int notification)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, len = nlh->nlmsg_len;
	int set, saw_filter = 0;
	uint32_t filter_val = 0;
	char what[200];

	if (len < off) {
		violation("a gem message shorter than its headers", (const void *)nlh, len);
		return;
	}
	if (g->cmd == 0 || g->cmd > GEM_CMD_MAX) {
		snprintf(what, sizeof(what), "a gem message with command %u, past GEM_CMD_MAX", g->cmd);
		violation(what, (const void *)nlh, len);
		return;
	}
	set = cmd_set(g->cmd);
	if (set < 0)
		set = S_N;	/* a command newer than this file: structure only */
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)((const uint8_t *)nlh + off);
		int type = nla->nla_type & NLA_TYPE_MASK;

		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > len) {
			violation("an attribute runs past its message", (const void *)nlh, len);
			return;
		}
		if (set < S_N && type > sets[set].max) {
			snprintf(what, sizeof(what), "%s carries attribute %d, past its set's maximum",
				 cmd_name(g->cmd), type);
			violation(what, (const void *)nlh, len);
		}
		if (set == S_CONF && type == GEM_A_CONF_KEY) {
			snprintf(what, sizeof(what), "%s %s carries a key", cmd_name(g->cmd),
				 notification ? "notification" : "answer");
			violation(what, (const void *)nlh, len);
		}
		if (((set == S_CONF && (type == GEM_A_CONF_SOURCE || type == GEM_A_CONF_GROUP)) ||
		     (set == S_NORM && (type == GEM_A_NORM_SOURCE || type == GEM_A_NORM_GROUP ||
					type == GEM_A_NORM_NEW_SOURCE))) &&
		    nla->nla_len != NLA_HDRLEN + 4 && nla->nla_len != NLA_HDRLEN + 16) {
			snprintf(what, sizeof(what), "%s carries a %u-byte address", cmd_name(g->cmd),
				 nla->nla_len - NLA_HDRLEN);
			violation(what, (const void *)nlh, len);
		}
		if (set == S_DEV && type == GEM_A_DEV_STATS) {
			size_t o = NLA_HDRLEN;

			while (o + NLA_HDRLEN <= nla->nla_len) {
				const struct nlattr *s = (const void *)((const uint8_t *)nla + o);

				if (s->nla_len < NLA_HDRLEN || o + s->nla_len > nla->nla_len ||
				    (s->nla_type & NLA_TYPE_MASK) > GEM_A_STATS_MAX) {
					violation("a malformed stats nest", (const void *)nlh, len);
					break;
				}
				o += NLA_ALIGN(s->nla_len);
			}
		}
		if (q && q->filter_type == type && nla->nla_len == NLA_HDRLEN + 4) {
			saw_filter = 1;
			memcpy(&filter_val, (const uint8_t *)nla + NLA_HDRLEN, 4);
		}
		off += NLA_ALIGN(nla->nla_len);
	}
	if (q && q->filter_type && (!saw_filter || filter_val != q->filter)) {
		snprintf(what, sizeof(what), "asked %s about ifindex %u, answered about %u",
			 cmd_name(q->cmd), q->filter, filter_val);
		violation(what, (const void *)nlh, len);
	}
}

/* Whether the kernel should have taken request bytes as gem's own to answer. */
static int gem_would_parse(const uint8_t *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint16_t flags;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    nlh->nlmsg_len > len || nlh->nlmsg_type != family_id ||
	    !(nlh->nlmsg_flags & NLM_F_REQUEST) || g->reserved)
		return 0;
	flags = nlh->nlmsg_flags;
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
		return 0;
	return g->cmd >= 1 && g->cmd <= GEM_CMD_MAX;
}

struct outcome {
	int answered;	/* an error, a done or a reply came */
	int err;	/* the first errno, 0 for success */
};

/*
 * Takes in one datagram of answers to request q (laid out in w) and
 * counts them. Returns 1 when it held the end of a request: an error
 * or ack, or the end of a dump.
 */
static int take_answers(const uint8_t *buf, ssize_t n, const struct req *q, const struct wire *w,
			struct outcome *out, int slow)
{
	const struct nlmsghdr *nlh;
	int ended = 0;

	for (nlh = (const void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
		int cmd = q->cmd, err, own;
		const char *m;

		/* Every message of a send carries its sequence number; the rest is late. */
		if (!slow && nlh->nlmsg_seq != (uint32_t)cur_index) {
			stale_answers++;
			continue;
		}

		if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE) {
			const struct nlmsgerr *e = NLMSG_DATA(nlh);
			int dump_end = nlh->nlmsg_type == NLMSG_DONE;
			const uint8_t *sent = w ? w->buf : NULL;
			size_t sent_len = w ? w->len : 0;

			if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
				violation("an error or done message too short for its errno",
					  (const void *)nlh, nlh->nlmsg_len);
				continue;
			}
			err = dump_end ? *(const int *)NLMSG_DATA(nlh) : e->error;
			if (err > 0 || err < -4095) {
				violation("an errno out of range", (const void *)nlh, nlh->nlmsg_len);
				continue;
			}
			err = -err;
			/* The request an error answers is echoed: count it under its own command. */
			if (!dump_end && nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(*e) + GENL_HDRLEN &&
			    e->msg.nlmsg_type == family_id && !(nlh->nlmsg_flags & NLM_F_CAPPED) &&
			    e->msg.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
				cmd = ((const struct genlmsghdr *)(e + 1))->cmd;
			m = extack_msg(nlh);
			/* An error answers the first message of the send if it echoes its header. */
			own = !dump_end && sent && sent_len >= sizeof(e->msg) &&
			      !memcmp(&e->msg, sent, sizeof(e->msg));
			if (!out->answered) {
				out->answered = 1;
				out->err = err;
			}
			ended = 1;
			if (slow) {
				slow_done++;
				continue;
			}
			if (err == 0 && !dump_end && !(own && gem_would_parse(sent, sent_len))) {
				/* Netlink acks what it skips: no request, or a control type. */
				core_acks++;
				continue;
			}
			if (err == 0) {
				cs[cmd].ok++;
				if (opt.verbose)
					printf("#   -> %s\n", dump_end ? "done" : "ok");
				continue;
			}
			cs[cmd].err[err & (ERRNO_MAX - 1)]++;
			if (m) {
				count_msg(m);
				cs[cmd].err_withmsg[err & (ERRNO_MAX - 1)]++;
			} else if (err != EPERM && err != EOPNOTSUPP && ext_ack_on && !w->batch &&
				   (own || dump_end) && gem_would_parse(sent, sent_len) &&
				   ((const struct nlmsghdr *)sent)->nlmsg_len == sent_len) {
				if (!cs[cmd].err_nomsg[err & (ERRNO_MAX - 1)]++)
					cs[cmd].first_nomsg[err & (ERRNO_MAX - 1)] = cur_index;
			}
			if (opt.verbose)
				printf("#   -> %s%s%s\n", errname(err), m ? ": " : "", m ? m : "");
			continue;
		}
		if (nlh->nlmsg_type == family_id) {
			int rcmd = ((const struct genlmsghdr *)NLMSG_DATA(nlh))->cmd;

			check_gem_msg(nlh, w && !w->batch ? q : NULL, 0);
			if (opt.unpriv && needs_admin(rcmd)) {
				char what[96];

				snprintf(what, sizeof(what), "an unprivileged socket was answered %s",
					 cmd_name(rcmd));
				violation(what, (const void *)nlh, nlh->nlmsg_len);
			}
			if (!out->answered) {
				out->answered = 1;
				out->err = 0;
			}
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
				if (slow)
					slow_intr++;
				else
					cs[q->cmd].dump_intr++;
			}
			if (opt.verbose && !slow)
				describe(stdout, "#   -> ", (const uint8_t *)nlh, nlh->nlmsg_len,
					 nlh->nlmsg_len);
			if (slow)
				slow_msgs++;
			else if (nlh->nlmsg_flags & NLM_F_MULTI)
				cs[q->cmd].dump_msgs++;
			else
				cs[q->cmd].replies++;
			continue;
		}
		violation("an answer of an unexpected type", (const void *)nlh, nlh->nlmsg_len);
	}
	return ended;
}

static uint8_t rbuf[RECV_MAX];

/* Reads what is there for request q, without waiting: dumps run on each read. */
static void drain(int fd, const struct req *q, const struct wire *w, struct outcome *out)
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			die("recv: %s", strerror(errno));
		}
		if (n > (ssize_t)sizeof(rbuf)) {
			truncated_reads++;
			n = sizeof(rbuf);
		}
		take_answers(rbuf, n, q, w, out, 0);
	}
}

static int nl_socket(int rcvbuf)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC), one = 1;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (fd < 0)
		die("netlink socket: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("netlink bind: %s", strerror(errno));
	return fd;
}

/* The family's id and its events group, from the control family. */
static void resolve_family(void)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
		uint8_t attrs[64];
	} req = {
		.nlh = { .nlmsg_type = GENL_ID_CTRL, .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
		.g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
	};
	struct nlattr *nla = (struct nlattr *)req.attrs;
	const struct nlmsghdr *nlh = (const void *)rbuf;
	int fd = nl_socket(0);
	ssize_t n;
	size_t off;

	nla->nla_type = CTRL_ATTR_FAMILY_NAME;
	nla->nla_len = NLA_HDRLEN + sizeof(GEM_GENL_NAME);
	memcpy(nla + 1, GEM_GENL_NAME, sizeof(GEM_GENL_NAME));
	req.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(nla->nla_len);
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0 || (n = recv(fd, rbuf, sizeof(rbuf), 0)) < 0)
		die("resolving the gem family: %s", strerror(errno));
	close(fd);
	if (nlh->nlmsg_type != GENL_ID_CTRL)
		die("no gem family: is gem.ko loaded?");
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= nlh->nlmsg_len;) {
		const struct nlattr *a = (const void *)(rbuf + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family_id = *(const uint16_t *)(a + 1);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			size_t o = NLA_HDRLEN;

			while (o + NLA_HDRLEN <= a->nla_len) {
				const struct nlattr *grp = (const void *)((const uint8_t *)a + o);
				size_t p = NLA_HDRLEN;
				uint32_t id = 0;
				int events = 0;

				while (p + NLA_HDRLEN <= grp->nla_len) {
					const struct nlattr *f = (const void *)((const uint8_t *)grp + p);

					if (f->nla_len < NLA_HDRLEN)
						break;
					if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = *(const uint32_t *)(f + 1);
					if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
					    !strcmp((const char *)(f + 1), GEM_MCGRP_EVENTS))
						events = 1;
					p += NLA_ALIGN(f->nla_len);
				}
				if (events)
					events_group = id;
				if (grp->nla_len < NLA_HDRLEN)
					break;
				o += NLA_ALIGN(grp->nla_len);
			}
		}
		off += NLA_ALIGN(a->nla_len);
	}
	if (!family_id || !events_group)
		die("the control family did not give the gem family's id and events group");
}

/* Notifications: counted by command, and checked like answers. */
static void drain_events(int fd)
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == ENOBUFS) {
				ntf_overruns++;
				continue;
			}
			return;
		}
		for (nlh = (const void *)rbuf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type != family_id)
				continue;
			ntf[((const struct genlmsghdr *)NLMSG_DATA(nlh))->cmd]++;
			check_gem_msg(nlh, NULL, 1);
		}
	}
}

/* Joins and leaves: the events group, other groups, bind() with a mask. */
static void membership(struct rng *r, int fd)
{
	uint32_t group;
	int op = below(r, 4), err;

	group = chance(r, 60) ? events_group : (chance(r, 80) ? below(r, 40) : (uint32_t)rnd(r));
	if (op == 3) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		socklen_t salen = sizeof(sa);

		/* A bound socket binds again only to its own port id. */
		getsockname(fd, (struct sockaddr *)&sa, &salen);
		sa.nl_groups = 0;
		if (group >= 1 && group <= 32)
			sa.nl_groups = 1u << (group - 1);
		if (chance(r, 30))
			sa.nl_groups |= rnd(r);
		err = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0;
		if (events_group <= 32 && sa.nl_groups & (1u << (events_group - 1)))
			group = events_group;
		else
			group = 0;
	} else {
		err = setsockopt(fd, SOL_NETLINK, op == 2 ? NETLINK_DROP_MEMBERSHIP
							  : NETLINK_ADD_MEMBERSHIP,
				 &group, sizeof(group)) ? errno : 0;
		if (op == 2)
			return;
	}
	if (!err)
		mc_joined++;
	else
		mc_refused[err & (ERRNO_MAX - 1)]++;
	if (group == events_group && group) {
		if (err)
			mc_events_refused++;
		else
			mc_events_joined++;
		if (!err && opt.unpriv)
			violation("an unprivileged socket joined the events group", NULL, 0);
	}
}

/* Dumps read one skb at a time while things change, or left unfinished. */
struct slow {
	int fd;
	struct req q;
	struct wire w;
	struct outcome out;
};

static struct slow *slow[SLOW_DUMPS];

static void slow_step(struct rng *r)
{
	int i = below(r, SLOW_DUMPS);
	struct slow *s = slow[i];
	ssize_t n;

	if (!s) {
		static const int dumps[] = { GEM_CMD_DEV_GET, GEM_CMD_GROUP_GET, GEM_CMD_TX_GET,
					     GEM_CMD_RX_GET, GEM_CMD_NORM_GET,
					     GEM_CMD_NORM_STREAM_GET };

		s = calloc(1, sizeof(*s));
		if (!s)
			die("out of memory");
		s->fd = nl_socket(chance(r, 50) ? 1 : 8192);
		build_valid(r, &s->q, dumps[below(r, ARRAY_SIZE(dumps))], 1);
		s->w.len = lay_out(&s->q, s->w.buf, sizeof(s->w.buf), 1);
		if (send(s->fd, s->w.buf, s->w.len, 0) < 0) {
			close(s->fd);
			free(s);
			return;
		}
		slow[i] = s;
		slow_started++;
		return;
	}
	if (chance(r, 5)) {	/* abandoned in the middle */
		close(s->fd);
		free(s);
		slow[i] = NULL;
		slow_abandoned++;
		return;
	}
	n = recv(s->fd, rbuf, chance(r, 90) ? sizeof(rbuf) : 512, MSG_DONTWAIT);
	if (n < 0 && errno != EAGAIN && errno != ENOBUFS)
		die("recv: %s", strerror(errno));
	if (n > 0 && take_answers(rbuf, n, &s->q, &s->w, &s->out, 1)) {
		close(s->fd);
		free(s);
		slow[i] = NULL;
	}
}

/* Watches the kernel's log for what must never be there. */
static const char *const bad_words[] = {
	"WARNING:", "BUG:", "Oops", "general protection", "KASAN", "UBSAN", "refcount_t",
	"list_del corruption", "list_add corruption", "suspicious RCU", "kernel BUG",
	"unregister_netdevice: waiting", "Call Trace:",
};

static int kmsg_fd = -1;

static int kmsg_check(void)
{
	char line[1024];
	size_t i;
	ssize_t n;

	if (kmsg_fd < 0)
		return 0;
	for (;;) {
		n = read(kmsg_fd, line, sizeof(line) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			return 0;
		line[n] = '\0';
		if (strstr(line, "gem_nlfuzz"))
			continue;
		for (i = 0; i < ARRAY_SIZE(bad_words); i++)
			if (strstr(line, bad_words[i])) {
				printf("# KERNEL COMPLAINT after request #%" PRIu64 " (%s, seed %" PRIu64
				       "): %s", cur_index, opt.name, opt.seed, line);
				printf("# the requests just before it:\n");
				ring_print(stdout);
				violations++;
				fflush(stdout);
				return 1;
			}
	}
}

static void summary(double secs, uint64_t sent)
{
	unsigned long nomsg_classes = 0, total_ntf = 0;
	int c, e;

	printf("# nlfuzz %s: seed %" PRIu64 ", %.0f s, %" PRIu64 " requests (%.0f/s):", opt.name,
	       opt.seed, secs, sent, secs > 0 ? sent / secs : 0);
	for (c = 0; c < Q_KINDS; c++)
		printf(" %lu %s", kinds_sent[c], kind_names[c]);
	printf("\n# %-20s %7s %6s %7s %13s %7s %7s %5s  errors\n", "command", "do", "dump", "ok",
	       "valid ok/sent", "replies", "dumped", "intr");
	/* Commands far past GEM_CMD_MAX are one row. */
	for (c = GEM_CMD_MAX + 4; c < CMDS; c++) {
		struct cmdstat *s = &cs[c], *o = &cs[GEM_CMD_MAX + 4];

		if (c == GEM_CMD_MAX + 4)
			continue;
		o->sent[0] += s->sent[0];
		o->sent[1] += s->sent[1];
		o->ok += s->ok;
		o->valid_ok += s->valid_ok;
		o->valid_sent += s->valid_sent;
		o->replies += s->replies;
		o->dump_msgs += s->dump_msgs;
		o->dump_intr += s->dump_intr;
		for (e = 0; e < ERRNO_MAX; e++) {
			o->err[e] += s->err[e];
			if (s->err_nomsg[e] && !o->err_nomsg[e])
				o->first_nomsg[e] = s->first_nomsg[e];
			o->err_nomsg[e] += s->err_nomsg[e];
			o->err_withmsg[e] += s->err_withmsg[e];
		}
	}
	for (c = 0; c <= GEM_CMD_MAX + 4; c++) {
		struct cmdstat *s = &cs[c];
		char range[24];
		const char *name = cmd_name(c);

		if (!s->sent[0] && !s->sent[1] && !s->ok)
			continue;
		if (c == GEM_CMD_MAX + 4) {
			snprintf(range, sizeof(range), "cmd-%d..%d", c, CMDS - 1);
			name = range;
		}
		printf("# %-20s %7lu %6lu %7lu %6lu/%-6lu %7lu %7lu %5lu ", name, s->sent[0],
		       s->sent[1], s->ok, s->valid_ok, s->valid_sent, s->replies, s->dump_msgs,
		       s->dump_intr);
		for (e = 1; e < ERRNO_MAX; e++)
			if (s->err[e])
				printf(" %s:%lu", errname(e), s->err[e]);
		printf("\n");
	}
	for (c = 0; c < CMDS; c++)
		total_ntf += ntf[c];
	printf("# events: %lu notifications", total_ntf);
	for (c = 0; c < CMDS; c++)
		if (ntf[c])
			printf(" %s:%lu", cmd_name(c), ntf[c]);
	printf(", %lu overruns; group joins: %lu taken (events %lu), refused", ntf_overruns,
	       mc_joined, mc_events_joined);
	for (e = 1; e < ERRNO_MAX; e++)
		if (mc_refused[e])
			printf(" %s:%lu", errname(e), mc_refused[e]);
	printf(" (events %lu)\n", mc_events_refused);
	printf("# slow dumps: %lu started, %lu ended, %lu abandoned, %lu messages, %lu interrupted"
	       "; %lu reads truncated, %lu late answers, %lu acks from netlink itself\n",
	       slow_started, slow_done, slow_abandoned, slow_msgs, slow_intr, truncated_reads,
	       stale_answers, core_acks);
	printf("# %d distinct extack messages:", nmsgs);
	for (c = 0; c < nmsgs; c++)
		printf("%s \"%s\" x%lu", c ? "," : "", msgs[c].text, msgs[c].count);
	printf("\n");
	for (c = 0; c <= GEM_CMD_MAX + 4; c++)
		for (e = 1; e < ERRNO_MAX; e++)
			if (cs[c].err_nomsg[e]) {
				if (!nomsg_classes++)
					printf("# gem refusals without an extack message (a well-formed "
					       "header, not EPERM or EOPNOTSUPP):\n");
				printf("#   %s %s: %lu without, %lu with a message; first: -s %" PRIu64
				       " --only %ld\n", cmd_name(c), errname(e), cs[c].err_nomsg[e],
				       cs[c].err_withmsg[e], opt.seed, cs[c].first_nomsg[e]);
			}
	printf("# %lu violations\n", violations);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: gem_nlfuzz fuzz [-s SEED] [-t SECONDS] [-n NAME] [-U] [-k] [-R] [-v] [-r RATE]\n"
		"                       [-g GEMDEV,...] [-l DEV,...] [-a ADDR,...]\n"
		"                       [--only N | --upto N] [-T TRACEFILE]\n"
		"       gem_nlfuzz traffic [-s SEED] [-t SECONDS] -o DEV,... [-j DEV,...] [-r PPS]\n"
		"  -U  unprivileged: every change must be refused\n"
		"  -k  watch /dev/kmsg; stop at the first kernel complaint\n"
		"  -R  fail unless valid requests of every command succeeded at least once\n"
		"  -r  at most RATE requests a second\n"
		"  -g  gem devices, -l other devices, -a local addresses of the namespace\n"
		"  --only N  send request N of the seed (and print it and the answer)\n"
		"  --upto N  send requests 0 to N-1\n"
		"  -T  write each request, described, to TRACEFILE before sending it\n");
	exit(2);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static uint64_t parse_u64(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*end)
		usage();
	return v;
}

static int fuzz_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "only", required_argument, NULL, 'O' },
		{ "upto", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	char *list[ADDRS_MAX];
	double seconds = 60, start, deadline, next_refresh = 0;
	int64_t only = -1, upto = -1;
	int c, i, n, require = 0, fd, evfd, mcfd, seeded = 0, rate = 0;
	FILE *trace = NULL;
	struct req *q, *extra;
	struct wire *w;
	uint64_t index, sent = 0, stride = 7919;

	while ((c = getopt_long(argc, argv, "s:t:n:Ug:l:a:kRvT:r:", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = parse_u64(optarg);
			seeded = 1;
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'n':
			opt.name = optarg;
			break;
		case 'U':
			opt.unpriv = 1;
			break;
		case 'g':
			n = split(optarg, list, DEVS_MAX);
			for (i = 0; i < n; i++)
				gems[ngems++].name = list[i];
			break;
		case 'l':
			n = split(optarg, list, DEVS_MAX);
			for (i = 0; i < n; i++)
				links[nlinks++].name = list[i];
			break;
		case 'a':
			n = split(optarg, list, ADDRS_MAX);
			for (i = 0; i < n; i++) {
				struct addr a;

				if (parse_addr(list[i], &a))
					die("not an address: %s", list[i]);
				if (a.fam == 4)
					local4[nlocal4++] = a;
				else
					local6[nlocal6++] = a;
			}
			break;
		case 'k':
			kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
			if (kmsg_fd < 0)
				die("/dev/kmsg: %s", strerror(errno));
			lseek(kmsg_fd, 0, SEEK_END);
			break;
		case 'R':
			require = 1;
			break;
		case 'r':
			rate = atoi(optarg);
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'T':
			trace = fopen(optarg, "a");
			if (!trace)
				die("%s: %s", optarg, strerror(errno));
			setvbuf(trace, NULL, _IOLBF, 0);
			break;
		case 'O':
			only = parse_u64(optarg);
			opt.verbose = 1;
			break;
		case 'P':
			upto = parse_u64(optarg);
			break;
		default:
			usage();
		}
	}
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt.seed = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ ts.tv_nsec ^ getpid();
		opt.seed &= 0xffffffff;
	}
	pool_init(&p_remote, remote_src, ARRAY_SIZE(remote_src));
	pool_init(&p_groups, groups, ARRAY_SIZE(groups));
	pool_init(&p_gpfx, group_prefixes, ARRAY_SIZE(group_prefixes));
	pool_init(&p_spfx, source_prefixes, ARRAY_SIZE(source_prefixes));
	resolve_family();
	refresh_devs(gems, ngems);
	refresh_devs(links, nlinks);
	printf("# nlfuzz %s: seed %" PRIu64 " (gem family %u, events group %u)%s; replay with "
	       "gem_nlfuzz fuzz -s %" PRIu64 " and the same -g/-l/-a\n", opt.name, opt.seed,
	       family_id, events_group, opt.unpriv ? ", unprivileged" : "", opt.seed);
	fflush(stdout);

	q = malloc(sizeof(*q));
	extra = malloc(sizeof(*extra));
	w = malloc(sizeof(*w));
	if (!q || !extra || !w)
		die("out of memory");
	fd = nl_socket(256 * 1024);
	evfd = nl_socket(256 * 1024);
	mcfd = nl_socket(0);
	if (setsockopt(evfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &events_group,
		       sizeof(events_group))) {
		if (!opt.unpriv)
			die("joining the events group: %s", strerror(errno));
	} else if (opt.unpriv) {
		violation("an unprivileged socket joined the events group", NULL, 0);
	}

	while (gcd(stride, SWEEP_SIZE) != 1)
		stride++;
	start = now();
	deadline = start + seconds;
	for (index = only >= 0 ? (uint64_t)only : 0;; index++) {
		struct rng r = rng_for(opt.seed, index, 0), side = rng_for(opt.seed, index, 1);
		struct outcome out = { 0 };
		double t = now();
		int p;

		if (only >= 0 && index > (uint64_t)only)
			break;
		if (upto >= 0 && index >= (uint64_t)upto)
			break;
		if (only < 0 && upto < 0 && t >= deadline)
			break;
		if (t >= next_refresh) {
			refresh_devs(gems, ngems);
			refresh_devs(links, nlinks);
			next_refresh = t + 0.05;
		}
		cur_index = index;

		/*
		 * Every other request sweeps, until the sweep is done; then one
		 * in eight. The sweep goes in a stride coprime with its size,
		 * so a short run still covers every command.
		 */
		p = below(&r, 100);
		if (index < 2 * SWEEP_SIZE ? index % 2 == 0 : index % 8 == 0) {
			uint64_t k = index < 2 * SWEEP_SIZE ? index / 2 : index / 8;

			build_sweep(&r, q, (k % SWEEP_SIZE) * stride % SWEEP_SIZE);
		} else if (p < 40) {
			int cmd = pick_cmd(&r);

			build_valid(&r, q, cmd, is_dump(cmd) && (cmd != GEM_CMD_DEV_GET || chance(&r, 50)));
		} else if (p < 85) {
			int cmd = pick_cmd(&r), k, nmut = below(&r, 4) + 1;

			build_valid(&r, q, cmd, is_dump(cmd) && chance(&r, 60));
			q->kind = Q_MUTATED;
			q->filter_type = 0;
			for (k = 0; k < nmut; k++) {
				int what = below(&r, 100);

				if (what < 60)
					mutate_attrs(&r, q);
				else if (what < 80)
					mutate_header(&r, q);
			}
		} else {
			build_random(&r, q);
		}
		w->batch = 0;
		w->len = lay_out(q, w->buf, sizeof(w->buf), (uint32_t)index);
		if (q->kind == Q_MUTATED && chance(&r, 30)) {
			int cmd = pick_cmd(&r);

			build_valid(&r, extra, cmd, is_dump(cmd) && chance(&r, 50));
			mutate_wire(&r, w, extra, (uint32_t)index);
		}
		kinds_sent[q->kind]++;
		cs[q->cmd].sent[!!(q->flags & NLM_F_DUMP)]++;
		if (q->kind == Q_VALID)
			cs[q->cmd].valid_sent++;
		ring_add(index, w);
		if (trace) {
			char prefix[64];

			snprintf(prefix, sizeof(prefix), "<3>gem_nlfuzz %s #%" PRIu64 ": ", opt.name,
				 index);
			describe(trace, prefix, w->buf, w->len, w->len);
		}
		if (opt.verbose) {
			char prefix[64];

			snprintf(prefix, sizeof(prefix), "# #%" PRIu64 " %s: ", index,
				 kind_names[q->kind]);
			describe(stdout, prefix, w->buf, w->len, w->len);
			if (only >= 0)
				hexdump(stdout, "#   bytes: ", w->buf, w->len);
		}
		if (send(fd, w->buf, w->len, 0) < 0) {
			/* EMSGSIZE and the like: the socket refused it, not gem. */
			cs[q->cmd].err[errno & (ERRNO_MAX - 1)]++;
		} else {
			sent++;
			drain(fd, q, w, &out);
		}
		if (!out.answered)
			cs[q->cmd].none++;
		if (q->kind == Q_VALID && out.answered && !out.err)
			cs[q->cmd].valid_ok++;
		if (opt.unpriv && out.answered && !out.err && needs_admin(q->cmd) &&
		    gem_would_parse(w->buf, w->len) && !w->batch) {
			char what[96];

			snprintf(what, sizeof(what), "an unprivileged %s was accepted", cmd_name(q->cmd));
			violation(what, NULL, 0);
		}
		if (only >= 0 && !out.answered)
			printf("#   -> no answer\n");

		if (only < 0 && upto < 0) {
			if (chance(&side, 3))
				membership(&side, mcfd);
			if (chance(&side, 4))
				slow_step(&side);
			if (chance(&side, 1)) {
				int v = below(&side, 4) != 0, ext = below(&side, 2);

				if (!setsockopt(fd, SOL_NETLINK, ext ? NETLINK_EXT_ACK : NETLINK_CAP_ACK,
						&v, sizeof(v)) && ext)
					ext_ack_on = v;
			}
			drain_events(evfd);
			drain_events(mcfd);
		}
		if (kmsg_check())
			break;
		while (rate > 0 && sent > rate * (now() - start) && now() < deadline)
			usleep(2000);
	}
	summary(now() - start, sent);
	if (require && !opt.unpriv) {
		static const int needed[] = { GEM_CMD_DEV_GET, GEM_CMD_GROUP_SET, GEM_CMD_GROUP_DEL,
					      GEM_CMD_GROUP_GET, GEM_CMD_TX_SET, GEM_CMD_TX_DEL,
					      GEM_CMD_TX_GET, GEM_CMD_RX_SET, GEM_CMD_RX_DEL,
					      GEM_CMD_RX_GET, GEM_CMD_NORM_SET, GEM_CMD_NORM_DEL,
					      GEM_CMD_NORM_GET, GEM_CMD_NORM_STREAM_GET };

		/* Judged where enough were sent: a slow run sends few of some. */
		for (i = 0; i < (int)ARRAY_SIZE(needed); i++)
			if (cs[needed[i]].valid_sent >= 40 && !cs[needed[i]].valid_ok) {
				printf("# FAIL: no valid %s succeeded: the fuzzer did not reach gem.ko's "
				       "deep paths\n", cmd_name(needed[i]));
				violations++;
			}
	}
	fflush(stdout);
	return violations ? 1 : 0;
}

/*
 * Traffic: UDP multicast out of the given devices, to protected and
 * unprotected groups, of all sizes (some fragmented, some GSO), with
 * TTLs the normalizer must decrement to nothing; joins and leaves groups
 * on others, so their memberships are mirrored onto the underlays.
 */
static int traffic_main(int argc, char **argv)
{
	static const char *const tgroups[] = {
		"239.1.2.3", "239.1.2.4", "239.1.9.9", "239.2.0.1", "239.1.7.7", "239.200.0.1",
		"224.0.0.251", "ff3e::4321", "ff3e::1", "ff3e::1:5", "ff0e::9",
	};
	struct dev outs[DEVS_MAX] = { 0 }, joins[DEVS_MAX] = { 0 };
	int nouts = 0, njoins = 0, c, i, n, s4, s6, r4, r6, one = 1, pps = 1000;
	unsigned long sent = 0, failed = 0, received = 0, joined = 0;
	double seconds = 60, deadline, next_refresh = 0;
	struct sockaddr_in6 b6 = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
	struct sockaddr_in b4 = { .sin_family = AF_INET, .sin_port = htons(5000) };
	struct addr ga[ARRAY_SIZE(tgroups)];
	static uint8_t payload[9000];
	char *list[DEVS_MAX];
	uint64_t seed = 1, k;

	while ((c = getopt(argc, argv, "s:t:o:j:r:")) != -1) {
		switch (c) {
		case 's':
			seed = parse_u64(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		case 'o':
			n = split(optarg, list, DEVS_MAX);
			for (i = 0; i < n; i++)
				outs[nouts++].name = list[i];
			break;
		case 'j':
			n = split(optarg, list, DEVS_MAX);
			for (i = 0; i < n; i++)
				joins[njoins++].name = list[i];
			break;
		case 'r':
			pps = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (!nouts || pps <= 0)
		usage();
	for (i = 0; i < (int)ARRAY_SIZE(tgroups); i++)
		parse_addr(tgroups[i], &ga[i]);
	s4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	s6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	r4 = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	r6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s4 < 0 || s6 < 0 || r4 < 0 || r6 < 0)
		die("udp sockets: %s", strerror(errno));
	setsockopt(r4, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r6, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(r6, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(r4, (struct sockaddr *)&b4, sizeof(b4)) ||
	    bind(r6, (struct sockaddr *)&b6, sizeof(b6)))
		die("bind: %s", strerror(errno));
	deadline = now() + seconds;
	for (k = 0; now() < deadline; k++) {
		struct rng r = rng_for(seed, k, 2);
		const struct addr *g = &ga[below(&r, ARRAY_SIZE(ga))];
		struct dev *o = &outs[below(&r, nouts)];
		int ttl = chance(&r, 20) ? (int)below(&r, 3) : chance(&r, 50) ? 8 : 64;
		int loop = chance(&r, 10), len, gso = 0;

		if (now() >= next_refresh) {
			refresh_devs(outs, nouts);
			refresh_devs(joins, njoins);
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
		if (g->fam == 4) {
			struct ip_mreqn mr = { .imr_ifindex = o->ifindex };
			struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(5000) };

			memcpy(&to.sin_addr, g->a, 4);
			setsockopt(s4, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr));
			setsockopt(s4, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
			setsockopt(s4, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop));
			setsockopt(s4, SOL_UDP, UDP_SEGMENT, &gso, sizeof(gso));
			n = sendto(s4, payload, len, 0, (struct sockaddr *)&to, sizeof(to));
		} else {
			struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(5000) };
			int ifindex = o->ifindex;

			memcpy(&to.sin6_addr, g->a, 16);
			setsockopt(s6, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex));
			setsockopt(s6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl));
			setsockopt(s6, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &loop, sizeof(loop));
			n = sendto(s6, payload, len, 0, (struct sockaddr *)&to, sizeof(to));
		}
		if (n < 0)
			failed++;
		else
			sent++;
		if (njoins && chance(&r, 3)) {
			struct dev *j = &joins[below(&r, njoins)];
			const struct addr *jg = &ga[below(&r, ARRAY_SIZE(ga))];
			int add = chance(&r, 60);

			if (jg->fam == 4) {
				struct ip_mreqn mr = { .imr_ifindex = j->ifindex };

				memcpy(&mr.imr_multiaddr, jg->a, 4);
				if (!setsockopt(r4, IPPROTO_IP, add ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
						&mr, sizeof(mr)))
					joined += add;
			} else {
				struct ipv6_mreq mr = { .ipv6mr_interface = j->ifindex };

				memcpy(&mr.ipv6mr_multiaddr, jg->a, 16);
				if (!setsockopt(r6, IPPROTO_IPV6, add ? IPV6_ADD_MEMBERSHIP
								     : IPV6_DROP_MEMBERSHIP,
						&mr, sizeof(mr)))
					joined += add;
			}
		}
		while (recv(r4, payload, sizeof(payload), 0) >= 0)
			received++;
		while (recv(r6, payload, sizeof(payload), 0) >= 0)
			received++;
		if (k % 16 == 15)
			usleep(16 * 1000000 / pps);
	}
	printf("# nlfuzz traffic: seed %" PRIu64 ", %lu datagrams sent, %lu refused, %lu received, "
	       "%lu joins\n", seed, sent, failed, received, joined);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "fuzz"))
		return fuzz_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "traffic"))
		return traffic_main(argc - 1, argv + 1);
	usage();
	return 2;
}
