// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz, the model: randomness, the namespace's devices and addresses, the
 * attribute sets and commands of uapi/linux/gem.h.
 */

#include "nlfuzz.h"

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gem_nlfuzz: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(2);
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct rng rng_for(uint64_t seed, uint64_t index, uint64_t stream)
{
	struct rng r = { seed ^ (index * 0xd1b54a32d192ed03ULL) ^ (stream << 56) };

	rnd(&r);
	return r;
}

uint32_t below(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

int chance(struct rng *r, int percent)
{
	return (int)below(r, 100) < percent;
}

void fill(struct rng *r, uint8_t *p, size_t len)
{
	while (len--)
		*p++ = rnd(r);
}

/* Comma-separated lists from the command line. */
int split(char *s, char **out, int max)
{
	int n = 0;
	char *tok;

	for (tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = tok;
	return n;
}

struct dev gems[DEVS_MAX], links[DEVS_MAX];
int ngems, nlinks;

/*
 * By a dump of the namespace's links (glibc's if_nameindex): the ioctl
 * that if_nametoindex uses runs modprobe for every name that is missing,
 * as a device the churner deleted is.
 */
void refresh_devs(struct dev *d, int n)
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

uint32_t dev_ifindex(struct rng *r, struct dev *pool, int n)
{
	struct dev *d;

	if (!n)
		return below(r, 64) + 1;
	d = &pool[below(r, n)];
	if (d->nstale && chance(r, 10))
		return d->stale[below(r, d->nstale < STALE ? d->nstale : STALE)];
	return d->ifindex ? d->ifindex : below(r, 64) + 1;
}

uint32_t pick_ifindex(struct rng *r, int role)
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

const char *pick_name(struct rng *r, int role)
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

struct addr local4[ADDRS_MAX], local6[ADDRS_MAX];
int nlocal4, nlocal6;

int parse_addr(const char *s, struct addr *out)
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

struct pool p_remote, p_groups, p_gpfx, p_spfx;

static void pool_init(struct pool *p, const char *const *s, int n)
{
	int i;

	for (i = 0; i < n && p->n < POOL_MAX; i++)
		if (!parse_addr(s[i], &p->v[p->n]))
			p->n++;
}

/* The pools of addresses and prefixes, from the lists above. */
void pools_init(void)
{
	pool_init(&p_remote, remote_src, ARRAY_SIZE(remote_src));
	pool_init(&p_groups, groups, ARRAY_SIZE(groups));
	pool_init(&p_gpfx, group_prefixes, ARRAY_SIZE(group_prefixes));
	pool_init(&p_spfx, source_prefixes, ARRAY_SIZE(source_prefixes));
}

/* An address of family fam (4 or 6; 0: either) from pool p. */
const struct addr *pool_pick(struct rng *r, const struct pool *p, int fam)
{
	const struct addr *cand[POOL_MAX];
	int i, n = 0;

	for (i = 0; i < p->n; i++)
		if (!fam || p->v[i].fam == fam)
			cand[n++] = &p->v[i];
	return n ? cand[below(r, n)] : &p->v[0];
}

const struct addr *pool_first(const struct pool *p, int fam)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].fam == fam)
			return &p->v[i];
	return &p->v[0];
}

const struct addr *local_pick(struct rng *r, int fam)
{
	if (fam == 6 ? nlocal6 : nlocal4)
		return fam == 6 ? &local6[below(r, nlocal6)] : &local4[below(r, nlocal4)];
	return pool_pick(r, &p_remote, fam);
}

static const struct akind dev_attrs[GEM_A_DEV_MAX + 1] = {
	[GEM_A_DEV_IFINDEX]		= { K_U32, R_GEMDEV },
	[GEM_A_DEV_IFNAME]		= { K_STR, R_GEMNAME },
	[GEM_A_DEV_UNDERLAY_IFINDEX]	= { K_U32, R_LINK },
	[GEM_A_DEV_UNDERLAY_IFNAME]	= { K_STR, R_LINKNAME },
	[GEM_A_DEV_MTU]			= { K_U32, R_COUNTER },
	[GEM_A_DEV_STATS]		= { K_NEST, R_STATS },
	[GEM_A_DEV_AEAD_DRIVER]		= { K_STR, R_COUNTER },
	[GEM_A_DEV_TAG_DRIVER]		= { K_STR, R_COUNTER },
	[GEM_A_DEV_DRIVERS_UNLISTED]	= { K_U32, R_COUNTER },
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

const struct aset sets[S_N] = {
	[S_DEV]		= { "dev", GEM_A_DEV_MAX, dev_attrs },
	[S_CONF]	= { "conf", GEM_A_CONF_MAX, conf_attrs },
	[S_STATS]	= { "stats", GEM_A_STATS_MAX, stats_attrs },
	[S_NORM]	= { "norm", GEM_A_NORM_MAX, norm_attrs },
};

struct akind attr_kind(int set, int type)
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
int cmd_set(int cmd)
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
int needs_admin(int cmd)
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

int is_dump(int cmd)
{
	switch (cmd) {
	case GEM_CMD_DEV_GET: case GEM_CMD_GROUP_GET: case GEM_CMD_TX_GET:
	case GEM_CMD_RX_GET: case GEM_CMD_NORM_GET: case GEM_CMD_NORM_STREAM_GET:
		return 1;
	}
	return 0;
}

const char *cmd_name(int cmd)
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

const char *errname(int e)
{
	const char *s = e ? strerrorname_np(e) : "0";
	static char buf[16];

	if (s)
		return s;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}
