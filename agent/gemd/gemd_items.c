// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's items: made, checked, kept, acted on.
 *
 * A local stream's first packet without a key makes gem.ko ask
 * (tx-key-missing); keys_tx.c makes a random key and installs it for
 * sending, and here it is announced, sealed for the group. Every node
 * that holds the group's GAK and hears the announcement installs the key
 * for receiving; every other node keeps and relays it, unable to read it.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "items/gem_frag.h"
#include "announce.h"
#include "events.h"
#include "gemd_items.h"
#include "lib/log.h"

/* The time of day in ms: what a version's sequence number is. */
static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * The sequence number for a new version of one of our items: the time of
 * day in milliseconds (64 bits: it never wraps), or one past the version
 * held, or past one of ours heard from a neighbour (made before a restart,
 * or before our clock stepped back), if that is later. So our newest
 * version always outbids every copy of an older one still around.
 */
static uint64_t next_seqno(const struct gemd_items *it, const struct gem_item *item)
{
	uint8_t key[GEM_ITEM_KEY_MAX];
	const struct gem_state_entry *e;
	uint64_t s = wall_ms();

	e = gem_state_find(&it->state, key, gem_item_key(item, key, sizeof(key)));
	if (e && !gem_seqno_newer(s, e->item.seqno))
		s = e->item.seqno + 1;
	if (!gem_seqno_newer(s, it->own_heard))
		s = it->own_heard + 1;
	return s;
}

static void originate_pubkey(struct gemd_items *it, uint64_t now_ms)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_item item;
	int len;

	memset(&item, 0, sizeof(item));
	item.kind = GEM_ITEM_PUBLIC_KEY;
	memcpy(item.origin, it->id->router_id, GEM_ROUTER_ID_LEN);
	item.seqno = next_seqno(it, &item);
	item.lifetime = it->lifetime;
	memcpy(item.u.pubkey.key, it->id->pk, GEM_PUBKEY_LEN);
	len = gem_announce_seal(it->id, NULL, &item, buf, sizeof(buf));
	if (len > 0)
		gem_state_offer(&it->state, buf, (size_t)len, GEM_RANK_OWN, now_ms, wall_ms());
}

/* Seals one of our group-scoped items with its group's GAK, and keeps it. */
static void originate(struct gemd_items *it, struct gem_item *item, int gi, uint64_t now_ms)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	int len;

	memcpy(item->origin, it->id->router_id, GEM_ROUTER_ID_LEN);
	item->seqno = next_seqno(it, item);
	item->lifetime = it->lifetime;
	len = gem_announce_seal(it->id, &it->gaks[gi], item, buf, sizeof(buf));
	if (len > 0 && gem_state_offer(&it->state, buf, (size_t)len, GEM_RANK_OWN, now_ms,
				       wall_ms()) <= GEM_STATE_NEWER)
		it->flood = true;
}

/*
 * A Subscription for each group prefix this node receives (it holds the
 * GAK and has a gem device), made again at half its lifetime: the
 * gateways behind which a group has members, for sources to know.
 */
static void originate_subscriptions(struct gemd_items *it, const bool *anew, uint64_t now_ms)
{
	unsigned int i;

	if (!it->keys.n_devices)
		return;
	for (i = 0; i < it->n_groups; i++) {
		struct gem_item item = { .kind = GEM_ITEM_SUBSCRIPTION };
		uint8_t key[GEM_ITEM_KEY_MAX];
		const struct gem_state_entry *e;

		memcpy(item.origin, it->id->router_id, GEM_ROUTER_ID_LEN);
		item.u.sub.group.len = (uint8_t)it->keys.prefixes[i].len;
		memcpy(item.u.sub.group.addr, it->keys.prefixes[i].bytes, item.u.sub.group.len);
		item.u.sub.plen = (uint8_t)it->keys.prefixes[i].prefixlen;
		e = gem_state_find(&it->state, key, gem_item_key(&item, key, sizeof(key)));
		if (!e || e->expires_ms - now_ms < (uint64_t)it->lifetime * 500 || (anew && anew[i]))
			originate(it, &item, (int)i, now_ms);
	}
}

/*
 * The announcement of a local stream's keys: the current one; while a
 * rotation is pending, the next one (receivers install it before it is
 * sent with) and the current one still sent with, so a node that hears
 * of the stream only now can read it at once. A key adopted from gem.ko
 * is unknown to us: its stream is rotating, and only the next is told.
 */
static void announce_tx(void *arg, struct gemd_tx *tx, uint64_t now_ms)
{
	struct gemd_items *it = arg;
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_item item = { .kind = GEM_ITEM_SEK_ANNOUNCE };
	struct gem_announce_key keys[GEM_SEK_KEYS_MAX];
	unsigned int n = 0;
	int len;

	memcpy(item.origin, it->id->router_id, GEM_ROUTER_ID_LEN);
	item.u.sek.source = tx->source;
	item.u.sek.group = tx->group;
	if (tx->pending)
		keys[n++] = (struct gem_announce_key){ .key_id = tx->next_id, .sek = tx->next_sek };
	if (tx->known && !tx->current_revoked)
		keys[n++] = (struct gem_announce_key){ .key_id = tx->key_id, .sek = tx->sek };
	len = gem_announce_sek(it->id, &it->gaks[tx->group_index], &tx->source, &tx->group,
			       keys, n, next_seqno(it, &item), it->lifetime, buf, sizeof(buf));
	tx->renew_ms = now_ms + (uint64_t)it->lifetime * 500;
	if (len > 0 && gem_state_offer(&it->state, buf, (size_t)len, GEM_RANK_OWN, now_ms,
				       wall_ms()) <= GEM_STATE_NEWER)
		it->flood = true;
	/* The stream's Source Active goes with it: who sends what, for all to see. */
	memset(&item, 0, sizeof(item));
	item.kind = GEM_ITEM_SOURCE_ACTIVE;
	item.u.sa.source = tx->source;
	item.u.sa.group = tx->group;
	originate(it, &item, tx->group_index, now_ms);
}

int gemd_items_init(struct gemd_items *it, const struct gemd_conf *c,
		    const struct gem_identity *id, uint64_t now_ms, char *err, size_t errlen)
{
	unsigned int i;

	memset(it, 0, sizeof(*it));
	it->id = id;
	for (i = 0; i < c->n_groups; i++)
		if (gem_gak_load(c->groups[i].gak, &it->gaks[i], err, errlen))
			return -1;
	it->n_groups = c->n_groups;
	memcpy(it->sources, c->sources, sizeof(it->sources));
	it->n_sources = c->n_sources;
	if (gem_state_init(&it->state, c->max_items, c->max_items_per_origin,
			   (uint64_t)c->max_clock_skew_s * 1000) ||
	    gemd_keys_init(&it->keys, c)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	it->keys.announce = announce_tx;
	it->keys.arg = it;
	it->lifetime = (uint16_t)c->item_lifetime_s;
	originate_pubkey(it, now_ms);
	return 0;
}

static void key_sources(struct gemd_items *it, unsigned int ifindex, uint64_t now_ms);

int gemd_items_reload(struct gemd_items *it, const struct gemd_conf *c, uint64_t now_ms,
		      char *err, size_t errlen)
{
	struct gem_gak *gaks = sodium_malloc(sizeof(it->gaks));
	bool changed[GEMD_CONF_GROUPS_MAX];
	unsigned int i, j;

	if (!gaks) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (i = 0; i < c->n_groups; i++)
		if (gem_gak_load(c->groups[i].gak, &gaks[i], err, errlen)) {
			sodium_free(gaks);
			return -1;
		}
	/* A prefix that is new, or holds another GAK, has its items made anew. */
	for (i = 0; i < c->n_groups; i++) {
		changed[i] = true;
		for (j = 0; j < it->n_groups; j++)
			if (!memcmp(&c->groups[i].prefix, &it->keys.prefixes[j],
				    sizeof(c->groups[i].prefix)) &&
			    !sodium_memcmp(&gaks[i], &it->gaks[j], sizeof(gaks[i])))
				changed[i] = false;
	}
	for (i = 0; i < it->n_groups; i++)
		gem_gak_wipe(&it->gaks[i]);
	memcpy(it->gaks, gaks, c->n_groups * sizeof(gaks[0]));
	sodium_free(gaks);
	it->n_groups = c->n_groups;
	memcpy(it->sources, c->sources, sizeof(it->sources));
	it->n_sources = c->n_sources;
	it->lifetime = (uint16_t)c->item_lifetime_s;
	it->state.max_skew_ms = (uint64_t)c->max_clock_skew_s * 1000;
	gemd_keys_reconfigure(&it->keys, c, now_ms);
	/*
	 * A group's GAK changed (a member was evicted, say): its streams get
	 * new keys at once, announced only under the new GAK, so a holder of
	 * the old one reads nothing sent after the grace.
	 */
	for (i = 0; i < GEMD_TX_MAX; i++)
		if (it->keys.tx[i].used && changed[it->keys.tx[i].group_index])
			gemd_keys_rekey(&it->keys, &it->keys.tx[i], now_ms);
	originate_subscriptions(it, changed, now_ms);
	/* A source added is keyed now, on every device there. */
	for (i = 0; i < it->keys.n_devices; i++)
		if (it->keys.ifindex[i])
			key_sources(it, it->keys.ifindex[i], now_ms);
	return 0;
}

void gemd_items_destroy(struct gemd_items *it)
{
	unsigned int i;

	for (i = 0; i < it->n_groups; i++)
		gem_gak_wipe(&it->gaks[i]);
	gemd_keys_destroy(&it->keys);
	gem_state_destroy(&it->state);
}

int gemd_items_event_fd(const struct gemd_items *it)
{
	return gemd_keys_event_fd(&it->keys);
}

bool gemd_items_events(struct gemd_items *it, uint64_t now_ms)
{
	bool flood;

	gemd_keys_events(&it->keys, now_ms);
	flood = it->flood;
	it->flood = false;
	return flood;
}

/* The origin's public key, from its Public Key item; NULL if not heard yet. */
static const uint8_t *origin_key(const struct gemd_items *it, const uint8_t *origin)
{
	uint8_t key[1 + GEM_ROUTER_ID_LEN];
	const struct gem_state_entry *e;

	key[0] = GEM_ITEM_PUBLIC_KEY;
	memcpy(key + 1, origin, GEM_ROUTER_ID_LEN);
	e = gem_state_find(&it->state, key, sizeof(key));
	return e ? e->item.u.pubkey.key : NULL;
}

/* The GAK of the group an announcement is for, if this node holds it. */
static const struct gem_gak *gak_of(const struct gemd_items *it, const struct gem_item *item)
{
	int gi = -1;

	if (item->kind == GEM_ITEM_SEK_ANNOUNCE)
		gi = gemd_keys_group_of(&it->keys, &item->u.sek.group);
	else if (item->kind == GEM_ITEM_SOURCE_ACTIVE)
		gi = gemd_keys_group_of(&it->keys, &item->u.sa.group);
	else if (item->kind == GEM_ITEM_SUBSCRIPTION)
		gi = gemd_keys_group_of(&it->keys, &item->u.sub.group);
	return gi >= 0 ? &it->gaks[gi] : NULL;
}

/* Opens a held announcement's keys; 0 with them in sek. */
static int open_held(const struct gemd_items *it, const struct gem_state_entry *e,
		     uint8_t sek[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES])
{
	const struct gem_gak *g = gak_of(it, &e->item);
	const uint8_t *pk = origin_key(it, e->item.origin);
	struct gem_item item = e->item;
	const char *why;

	if (item.kind != GEM_ITEM_SEK_ANNOUNCE || !g || !pk ||
	    !memcmp(item.origin, it->id->router_id, GEM_ROUTER_ID_LEN))
		return -1;
	return gem_announce_open_sek(e->enc, e->enclen, pk, g, &item, sek, &why);
}

/*
 * One of our own items, back from a neighbour. A copy of a version we do
 * not know of (made before we restarted, or before our clock stepped
 * back) that outbids what we hold would win over our current items
 * everywhere: we note its number, and make every item of ours anew
 * above it. The signature is checked first: only we could have made it.
 */
static bool own_heard(struct gemd_items *it, const uint8_t *enc, size_t len,
		      const struct gem_item *item)
{
	uint8_t key[GEM_ITEM_KEY_MAX];
	const struct gem_state_entry *held;
	struct gem_item checked;
	const char *why;

	/*
	 * One made further ahead than the clocks' skew wins nowhere (every
	 * node refuses it): outbidding it would only make ours refused too.
	 */
	held = gem_state_find(&it->state, key, gem_item_key(item, key, sizeof(key)));
	if ((held && !gem_seqno_newer(item->seqno, held->item.seqno)) ||
	    !gem_seqno_newer(item->seqno, it->own_heard) ||
	    item->seqno > wall_ms() + it->state.max_skew_ms ||
	    gem_announce_check(enc, len, it->id->pk, NULL, &checked, &why))
		return false;
	it->own_heard = item->seqno;
	it->reclaim = true;
	it->reclaimed++;
	gem_log(GEM_LOG_WARNING, "a version of one of our items newer than ours came back "
		"(made before a restart, or our clock stepped back): making ours anew above it");
	return false;
}

/* An item of an origin whose Public Key is missing: asked for (gemd_items_wanted). */
static void want_origin(struct gemd_items *it, const struct gem_item *item)
{
	unsigned int i;

	it->unknown_origin++;
	for (i = 0; i < it->n_want; i++)
		if (!memcmp(it->want[i].origin, item->origin, GEM_ROUTER_ID_LEN))
			break;
	if (i == it->n_want && it->n_want < GEMD_WANT_MAX) {
		memcpy(it->want[i].origin, item->origin, GEM_ROUTER_ID_LEN);
		it->want[i].kinds = 0;
		it->n_want++;
	}
	if (i < it->n_want)
		it->want[i].kinds |= (uint8_t)(1u << item->kind);
}

/* Into the replicated state; true if it is new or newer there. */
static bool offer(struct gemd_items *it, const uint8_t *enc, size_t len, uint8_t rank,
		  uint64_t now_ms)
{
	enum gem_state_verdict v = gem_state_offer(&it->state, enc, len, rank, now_ms, wall_ms());

	if (v == GEM_STATE_OLDER)
		it->stale++;	/* a replay, or a relay that is behind */
	if (v == GEM_STATE_EXPIRED || v == GEM_STATE_FUTURE) {
		it->refused_time++;
		gem_log(GEM_LOG_INFO, "item refused: %s", v == GEM_STATE_EXPIRED ?
			"its lifetime from its making is over (a replay?)" :
			"made later than now and the clocks' skew (max-clock-skew)");
		gemd_event("item-refused", "reason", v == GEM_STATE_EXPIRED ? "expired" : "future",
			   NULL);
	}
	return v == GEM_STATE_NEW || v == GEM_STATE_NEWER;
}

/* A new announcement of a group whose GAK is here: its keys, for receiving. */
static void sek_heard(struct gemd_items *it, const uint8_t *enc, size_t len, const uint8_t *pk,
		      const struct gem_gak *g, struct gem_item *item, uint64_t now_ms)
{
	uint8_t sek[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	struct gem_announce_key keys[GEM_SEK_KEYS_MAX];
	const char *why;
	unsigned int i;

	if (!gem_announce_open_sek(enc, len, pk, g, item, sek, &why)) {
		for (i = 0; i < item->u.sek.n_keys; i++) {
			keys[i].key_id = item->u.sek.keys[i].key_id;
			keys[i].sek = sek[i];
		}
		if (gemd_keys_heard(&it->keys, item->origin, &item->u.sek.source,
				    &item->u.sek.group, keys, item->u.sek.n_keys, now_ms)) {
			it->refused_conflict++;
			gem_log(GEM_LOG_WARNING, "a key for a stream another node announces "
				"was not installed: two origins claim one source");
		}
	}
	sodium_memzero(sek, sizeof(sek));
}

bool gemd_items_heard(struct gemd_items *it, const uint8_t *enc, size_t len, uint64_t now_ms)
{
	struct gem_item item;
	const uint8_t *pk;
	const struct gem_state_entry *held;
	uint8_t key[GEM_ITEM_KEY_MAX];
	const struct gem_gak *g;
	const char *why;
	uint8_t rank;

	if (gem_item_decode(enc, len, &item, &why))
		return false;
	if (!memcmp(item.origin, it->id->router_id, GEM_ROUTER_ID_LEN))
		return own_heard(it, enc, len, &item);
	/* The very copy held, heard again: checked before, nothing to do. */
	held = gem_state_find(&it->state, key, gem_item_key(&item, key, sizeof(key)));
	if (held && held->enclen == len && !memcmp(held->enc, enc, len))
		return false;
	pk = item.kind == GEM_ITEM_PUBLIC_KEY ? item.u.pubkey.key : origin_key(it, item.origin);
	if (!pk) {
		want_origin(it, &item);
		return false;
	}
	g = gak_of(it, &item);
	if (gem_announce_check(enc, len, pk, g, &item, &why)) {
		if (!strcmp(why, "bad group MAC"))
			it->refused_mac++;
		else
			it->refused_signature++;
		gem_log(GEM_LOG_INFO, "item refused: %s", why);
		gemd_event("item-refused", "reason", why, NULL);
		return false;
	}
	/*
	 * What a GAK here vouched for is kept before what only relays carry;
	 * so is the Public Key of an origin that made such an item.
	 */
	rank = g && gem_item_group_scoped(item.kind) ? GEM_RANK_CHECKED : GEM_RANK_RELAYED;
	if (!offer(it, enc, len, rank, now_ms))
		return false;
	if (rank == GEM_RANK_CHECKED) {
		key[0] = GEM_ITEM_PUBLIC_KEY;
		memcpy(key + 1, item.origin, GEM_ROUTER_ID_LEN);
		gem_state_promote(&it->state, key, 1 + GEM_ROUTER_ID_LEN, GEM_RANK_CHECKED);
	}
	if (item.kind == GEM_ITEM_SEK_ANNOUNCE && g)
		sek_heard(it, enc, len, pk, g, &item, now_ms);
	return true;
}

unsigned int gemd_items_wanted(struct gemd_items *it, struct gem_request *out, unsigned int max)
{
	unsigned int n = 0, done = 0, k;

	for (; done < it->n_want; done++) {
		const struct gemd_want *w = &it->want[done];
		unsigned int need = 1;

		for (k = GEM_ITEM_PUBLIC_KEY + 1; k <= GEM_ITEM_KIND_MAX; k++)
			need += !!(w->kinds & (1u << k));
		if (n + need > max)
			break;
		for (k = GEM_ITEM_PUBLIC_KEY; k <= GEM_ITEM_KIND_MAX; k++) {
			if (k != GEM_ITEM_PUBLIC_KEY && !(w->kinds & (1u << k)))
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			out[n].kind = (uint8_t)k;
			memcpy(out[n++].origin, w->origin, GEM_ROUTER_ID_LEN);
		}
	}
	memmove(it->want, it->want + done, (it->n_want - done) * sizeof(it->want[0]));
	it->n_want -= done;
	return n;
}

struct each_ctx {
	void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg);
	void *arg;
	uint8_t kind;
	const uint8_t *origin;
	uint64_t since;
};

static int each_cb(const struct gem_state_entry *e, void *arg)
{
	struct each_ctx *c = arg;

	c->fn(e->enc, e->enclen, gem_frag_tag(e->key, e->keylen), c->arg);
	return 0;
}

static int each_key_cb(const struct gem_state_entry *e, void *arg)
{
	const struct each_ctx *c = arg;

	return e->item.kind == GEM_ITEM_PUBLIC_KEY && e->gen > c->since ? each_cb(e, arg) : 0;
}

static int each_other_cb(const struct gem_state_entry *e, void *arg)
{
	const struct each_ctx *c = arg;

	return e->item.kind != GEM_ITEM_PUBLIC_KEY && e->gen > c->since ? each_cb(e, arg) : 0;
}

static int each_of_cb(const struct gem_state_entry *e, void *arg)
{
	struct each_ctx *c = arg;

	if (e->item.kind != c->kind || memcmp(e->item.origin, c->origin, GEM_ROUTER_ID_LEN))
		return 0;
	return each_cb(e, arg);
}

void gemd_items_each_of(struct gemd_items *it, uint8_t kind, const uint8_t *origin,
			void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg),
			void *arg)
{
	struct each_ctx c = { .fn = fn, .arg = arg, .kind = kind, .origin = origin };

	gem_state_each(&it->state, each_of_cb, &c);
}

uint64_t gemd_items_each(struct gemd_items *it, uint64_t since,
			 void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg),
			 void *arg)
{
	struct each_ctx c = { .fn = fn, .arg = arg, .since = since };

	/* Public Keys first: a node that lacks one can check what follows. */
	gem_state_each(&it->state, each_key_cb, &c);
	gem_state_each(&it->state, each_other_cb, &c);
	return it->state.gen;
}

struct lapse_ctx {
	struct gemd_items *it;
	uint64_t now_ms;
};

/* An announcement that lapsed takes its stream's receive keys with it. */
static void lapsed(const struct gem_state_entry *e, void *arg)
{
	struct lapse_ctx *l = arg;

	if (e->item.kind == GEM_ITEM_SEK_ANNOUNCE)
		gemd_keys_lapsed(&l->it->keys, e->item.origin, &e->item.u.sek.source,
				 &e->item.u.sek.group, l->now_ms);
}

struct reinstall_ctx {
	struct gemd_items *it;
	unsigned int ifindex;
};

static int reinstall_cb(const struct gem_state_entry *e, void *arg)
{
	struct reinstall_ctx *r = arg;
	uint8_t sek[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	unsigned int i;

	if (!open_held(r->it, e, sek))
		for (i = 0; i < e->item.u.sek.n_keys; i++)
			gemd_keys_reinstall(&r->it->keys, r->ifindex, &e->item.u.sek.source,
					    &e->item.u.sek.group, e->item.u.sek.keys[i].key_id,
					    sek[i]);
	sodium_memzero(sek, sizeof(sek));
	return 0;
}

/* The configured sources keyed on a device, ahead of their first packet; once each. */
static void key_sources(struct gemd_items *it, unsigned int ifindex, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < it->n_sources; i++) {
		struct gem_ip src = { .len = (uint8_t)it->sources[i].source.len };
		struct gem_ip grp = { .len = (uint8_t)it->sources[i].group.len };

		memcpy(src.addr, it->sources[i].source.bytes, src.len);
		memcpy(grp.addr, it->sources[i].group.bytes, grp.len);
		gemd_keys_local(&it->keys, ifindex, &src, &grp, now_ms);
	}
}

/* A gem device appeared: the receive keys held, and the configured sources. */
static void device_fresh(struct gemd_items *it, unsigned int d, uint64_t now_ms)
{
	struct reinstall_ctx r = { .it = it, .ifindex = it->keys.ifindex[d] };

	gem_state_each(&it->state, reinstall_cb, &r);
	key_sources(it, r.ifindex, now_ms);
}

bool gemd_items_tick(struct gemd_items *it, uint64_t now_ms, unsigned int *fresh)
{
	uint8_t key[1 + GEM_ROUTER_ID_LEN];
	const struct gem_state_entry *own;
	struct lapse_ctx l = { .it = it, .now_ms = now_ms };
	unsigned int i, d;
	bool flood;

	gem_state_expire(&it->state, now_ms, lapsed, &l);
	/* A newer version of ours came back: every item of ours is made anew above it. */
	if (it->reclaim) {
		it->reclaim = false;
		originate_pubkey(it, now_ms);
		for (i = 0; i < GEMD_TX_MAX; i++)
			if (it->keys.tx[i].used)
				announce_tx(it, &it->keys.tx[i], now_ms);
		it->reclaim_subs = true;
		it->flood = true;
	}
	/* Our own items are renewed at half their lifetime, so none lapses. */
	key[0] = GEM_ITEM_PUBLIC_KEY;
	memcpy(key + 1, it->id->router_id, GEM_ROUTER_ID_LEN);
	own = gem_state_find(&it->state, key, sizeof(key));
	if (!own || own->expires_ms - now_ms < (uint64_t)it->lifetime * 500) {
		originate_pubkey(it, now_ms);
		it->flood = true;
	}
	if (it->reclaim_subs) {
		bool all[GEMD_CONF_GROUPS_MAX];

		memset(all, 1, sizeof(all));
		originate_subscriptions(it, all, now_ms);
		it->reclaim_subs = false;
	} else {
		originate_subscriptions(it, NULL, now_ms);
	}
	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *tx = &it->keys.tx[i];

		if (tx->used && now_ms >= tx->renew_ms) {
			announce_tx(it, tx, now_ms);
			gem_log(GEM_LOG_INFO, "renewed a stream key's announcement");
		}
	}
	*fresh = gemd_keys_tick(&it->keys, now_ms);
	for (d = 0; d < it->keys.n_devices; d++)
		if (*fresh & (1u << d))
			device_fresh(it, d, now_ms);
	flood = it->flood;
	it->flood = false;
	return flood;
}

unsigned int gemd_items_rekey(struct gemd_items *it, const struct gem_addr *prefix, uint64_t now_ms)
{
	unsigned int i, n = 0;

	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &it->keys.tx[i];

		if (!t->used || (prefix && memcmp(&it->keys.prefixes[t->group_index], prefix,
						  sizeof(*prefix))))
			continue;
		gemd_keys_rekey(&it->keys, t, now_ms);
		n++;
	}
	return n;
}
