// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz, requests as built: the arena, valid requests of each command, the
 * sweep, random ones, and the choice among them for request N.
 */

#include "nlfuzz.h"

const char *const kind_names[Q_KINDS] = { "sweep", "valid", "mutated", "random" };

uint16_t family_id;
uint32_t events_group;

/* Room in the arena, or NULL. */
uint8_t *q_alloc(struct req *q, size_t len)
{
	uint8_t *p;

	if (q->used + len > sizeof(q->arena))
		return NULL;
	p = q->arena + q->used;
	q->used += len;
	return p;
}

struct attr *q_put(struct req *q, uint16_t type, const void *data, uint32_t len)
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

const uint32_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 63, 64,
				 65, 128, 255, 256, 1000 };
const size_t nlens = ARRAY_SIZE(lens);

/* Nested attributes: counters, garbage, or nests within nests. */
void fill_nest(struct rng *r, uint8_t *p, uint32_t len, int depth)
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
void put_plausible(struct rng *r, struct req *q, int set, int type)
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

static void valid_dev_get(struct rng *r, struct req *q, int dump)
{
	uint32_t ifindex;

	if (dump)
		return;
	if (chance(r, 80)) {
		ifindex = pick_ifindex(r, R_GEMDEV);
		q_u32(q, GEM_A_DEV_IFINDEX, ifindex);
		q->filter = ifindex;
		q->filter_type = GEM_A_DEV_IFINDEX;
	}
	if (!q->nattrs || chance(r, 20))
		q_str(q, GEM_A_DEV_IFNAME, pick_name(r, R_GEMNAME));
}

static void valid_group_set(struct rng *r, struct req *q, const uint8_t *key)
{
	int alg;

	q_u32(q, GEM_A_CONF_IFINDEX, pick_ifindex(r, R_GEMDEV));
	valid_group_addr(r, q, GEM_A_CONF_GROUP, chance(r, 85) ? GEM_A_CONF_PREFIXLEN : 0, 0);
	alg = chance(r, 40) ? (int)below(r, GEM_TAG_ALG_MAX + 1) : -1;
	if (alg >= 0)
		q_u8(q, GEM_A_CONF_TAG_ALG, alg);
	q_put(q, GEM_A_CONF_KEY, key, alg == GEM_TAG_CMAC_AES ?
	      (uint32_t[]){ 16, 24, 32 }[below(r, 3)] : 16 + below(r, GEM_TAG_KEY_MAX - 15));
}

/* A stream of a transmit or receive command: its source, group and key id. */
static void valid_stream_names(struct rng *r, struct req *q, int set, int tx)
{
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
}

static void valid_stream(struct rng *r, struct req *q, int cmd, const uint8_t *key)
{
	int set = cmd == GEM_CMD_TX_SET || cmd == GEM_CMD_RX_SET;
	int tx = cmd == GEM_CMD_TX_SET || cmd == GEM_CMD_TX_DEL;

	q_u32(q, GEM_A_CONF_IFINDEX, pick_ifindex(r, R_GEMDEV));
	if (!set && chance(r, 4))
		return;	/* a flush */
	valid_stream_names(r, q, set, tx);
	if (set)
		q_put(q, GEM_A_CONF_KEY, key, GEM_SEK_LEN);
	/* A receive key's floor and rate now and then. */
	if (cmd == GEM_CMD_RX_SET && chance(r, 20))
		q_u64(q, GEM_A_CONF_PN, chance(r, 70) ? below(r, 1000) : rnd(r));
	if (cmd == GEM_CMD_RX_SET && chance(r, 20))
		q_u32(q, GEM_A_CONF_RATE, chance(r, 30) ? 0 : below(r, 100000));
}

static void valid_conf_get(struct rng *r, struct req *q)
{
	uint32_t ifindex;

	if (chance(r, 95)) {
		ifindex = pick_ifindex(r, R_GEMDEV);
		q_u32(q, GEM_A_CONF_IFINDEX, ifindex);
		q->filter = ifindex;
		q->filter_type = GEM_A_CONF_IFINDEX;
	}
}

static void valid_norm(struct rng *r, struct req *q, int cmd)
{
	const struct addr *s = pool_pick(r, &p_spfx, q->fam);

	if (cmd == GEM_CMD_NORM_DEL && chance(r, 4))
		return;	/* a flush */
	q_u32(q, GEM_A_NORM_IN_IFINDEX, chance(r, 70) && nlinks ?
	      dev_ifindex(r, links, 1) : pick_ifindex(r, R_LINK));
	q_addr(q, GEM_A_NORM_SOURCE, s);
	if (chance(r, 90))
		q_u8(q, GEM_A_NORM_SOURCE_PREFIXLEN, s->plen);
	valid_group_addr(r, q, GEM_A_NORM_GROUP, GEM_A_NORM_GROUP_PREFIXLEN, 0);
	if (cmd == GEM_CMD_NORM_DEL)
		return;
	q_addr(q, GEM_A_NORM_NEW_SOURCE, chance(r, 92) ? local_pick(r, q->fam)
						       : pool_pick(r, &p_remote, q->fam));
	q_u32(q, GEM_A_NORM_OUT_IFINDEX, pick_ifindex(r, chance(r, 60) ? R_GEMDEV : R_LINK));
	if (chance(r, 50))
		q_u8(q, GEM_A_NORM_TTL, chance(r, 50) ? 0 : below(r, 256));
	if (chance(r, 70))
		q_u32(q, GEM_A_NORM_IDLE_TIMEOUT, chance(r, 80) ? below(r, 5) + 1
							      : below(r, GEM_NORM_IDLE_MAX) + 1);
}

static void valid_norm_get(struct rng *r, struct req *q)
{
	uint32_t ifindex;

	if (chance(r, 40)) {
		ifindex = chance(r, 70) && nlinks ? dev_ifindex(r, links, 1)
						   : pick_ifindex(r, R_LINK);
		q_u32(q, GEM_A_NORM_IN_IFINDEX, ifindex);
		q->filter = ifindex;
		q->filter_type = GEM_A_NORM_IN_IFINDEX;
	}
}

/* Notifications and commands unknown here: plausible attributes. */
static void valid_other(struct rng *r, struct req *q, int cmd)
{
	int set = cmd_set(cmd), n = below(r, 6), i;

	if (set < 0)
		set = below(r, S_N);
	for (i = 0; i < n; i++)
		put_plausible(r, q, set, below(r, sets[set].max) + 1);
}

/* A request as the kernel expects it, for the commands this file knows. */
void build_valid(struct rng *r, struct req *q, int cmd, int dump)
{
	uint8_t key[GEM_TAG_KEY_MAX];

	q_init(q, cmd, dump);
	q->kind = Q_VALID;
	q->fam = chance(r, 70) ? 4 : 6;
	fill(r, key, sizeof(key));
	switch (cmd) {
	case GEM_CMD_DEV_GET:
		valid_dev_get(r, q, dump);
		break;
	case GEM_CMD_GROUP_SET:
		valid_group_set(r, q, key);
		break;
	case GEM_CMD_GROUP_DEL:
		q_u32(q, GEM_A_CONF_IFINDEX, pick_ifindex(r, R_GEMDEV));
		if (chance(r, 96))
			valid_group_addr(r, q, GEM_A_CONF_GROUP, chance(r, 85) ? GEM_A_CONF_PREFIXLEN : 0, 0);
		break;
	case GEM_CMD_TX_SET: case GEM_CMD_RX_SET:
	case GEM_CMD_TX_DEL: case GEM_CMD_RX_DEL:
		valid_stream(r, q, cmd, key);
		break;
	case GEM_CMD_GROUP_GET: case GEM_CMD_TX_GET: case GEM_CMD_RX_GET:
		valid_conf_get(r, q);
		break;
	case GEM_CMD_NORM_SET: case GEM_CMD_NORM_DEL:
		valid_norm(r, q, cmd);
		break;
	case GEM_CMD_NORM_GET: case GEM_CMD_NORM_STREAM_GET:
		valid_norm_get(r, q);
		break;
	default:
		valid_other(r, q, cmd);
	}
}

int pick_cmd(struct rng *r)
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

void build_sweep(struct rng *r, struct req *q, uint64_t k)
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

void build_random(struct rng *r, struct req *q)
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

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* The sweep's stride: the first from 7919 up coprime with its size. */
uint64_t sweep_stride(void)
{
	uint64_t stride = 7919;

	while (gcd(stride, SWEEP_SIZE) != 1)
		stride++;
	return stride;
}

/* A valid request of a random command, mutated 1 to 4 times. */
static void build_mutated(struct rng *r, struct req *q)
{
	int cmd = pick_cmd(r), k, nmut = below(r, 4) + 1;

	build_valid(r, q, cmd, is_dump(cmd) && chance(r, 60));
	q->kind = Q_MUTATED;
	q->filter_type = 0;
	for (k = 0; k < nmut; k++) {
		int what = below(r, 100);

		if (what < 60)
			mutate_attrs(r, q);
		else if (what < 80)
			mutate_header(r, q);
	}
}

/*
 * Request index, from r alone, in q and laid out in w (with extra, a
 * second request, when a mutation makes w a batch).
 */
void build_request(struct rng *r, struct req *q, struct req *extra, struct wire *w,
		   uint64_t index, uint64_t stride)
{
	int p = below(r, 100);

	/*
	 * Every other request sweeps, until the sweep is done; then one
	 * in eight. The sweep goes in a stride coprime with its size,
	 * so a short run still covers every command.
	 */
	if (index < 2 * SWEEP_SIZE ? index % 2 == 0 : index % 8 == 0) {
		uint64_t k = index < 2 * SWEEP_SIZE ? index / 2 : index / 8;

		build_sweep(r, q, (k % SWEEP_SIZE) * stride % SWEEP_SIZE);
	} else if (p < 40) {
		int cmd = pick_cmd(r);

		build_valid(r, q, cmd, is_dump(cmd) && (cmd != GEM_CMD_DEV_GET || chance(r, 50)));
	} else if (p < 85) {
		build_mutated(r, q);
	} else {
		build_random(r, q);
	}
	w->batch = 0;
	w->len = lay_out(q, w->buf, sizeof(w->buf), (uint32_t)index);
	if (q->kind == Q_MUTATED && chance(r, 30)) {
		int cmd = pick_cmd(r);

		build_valid(r, extra, cmd, is_dump(cmd) && chance(r, 50));
		mutate_wire(r, w, extra, (uint32_t)index);
	}
}
