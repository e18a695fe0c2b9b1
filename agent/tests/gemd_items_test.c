// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's handling of items it hears, as a neighbour would send them: an
 * announcement before its origin's key is held back; a genuine one is
 * kept and flooded on; a forged MAC, a forged signature and a replayed
 * older version are refused and counted, and nothing of them is kept.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "gemd/announce.h"
#include "gemd/gemd_items.h"
#include "lib/keyfile.h"
#include "lib/log.h"
#include "test.h"

static char dir[] = "/tmp/gem-items-XXXXXX";

static void key_file(const char *name, uint8_t fill)
{
	uint8_t k[32];
	char p[256], err[256];

	memset(k, fill, sizeof(k));
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	EXPECT(gem_keyfile_write(p, k, sizeof(k), err, sizeof(err)) == 0);
}

static void conf_for(struct gemd_conf *c, const char *gak)
{
	char text[1024], err[256];

	snprintf(text, sizeof(text),
		 "identity %s/unused\nbootstrap-key %s/bk\ndevice gem0 underlay eth1\n"
		 "group 239.1.0.0/16 gak %s/%s\n", dir, dir, dir, gak);
	EXPECT(gemd_conf_parse("t.conf", text, c, err, sizeof(err)) == 0);
}

static struct gem_identity node(const char *name)
{
	struct gem_identity id;
	char p[256], err[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	EXPECT(gem_identity_generate(p, &id, err, sizeof(err)) == 0);
	return id;
}

/* The time of day when the tests begin, in ms: versions are numbered by it. */
static uint64_t t0;

/* A's Public Key item, as A's gemd makes it. */
static int pubkey_item(const struct gem_identity *id, uint64_t seqno, uint8_t *buf)
{
	struct gem_item it;

	memset(&it, 0, sizeof(it));
	it.kind = GEM_ITEM_PUBLIC_KEY;
	it.seqno = seqno;
	it.lifetime = 600;
	memcpy(it.u.pubkey.key, id->pk, GEM_PUBKEY_LEN);
	return gem_announce_seal(id, NULL, &it, buf, GEM_ITEM_MAX_LEN);
}

static int sek_item_of(const struct gem_identity *id, const struct gem_gak *g, uint64_t seqno,
		       uint8_t group, uint8_t *buf)
{
	struct gem_ip s = { .len = 4, .addr = { 192, 0, 2, 1 } };
	struct gem_ip grp = { .len = 4, .addr = { 239, 1, 2, group } };
	uint8_t sek[GEM_SEK_BYTES];
	struct gem_announce_key key = { .key_id = 1, .sek = sek };

	randombytes_buf(sek, sizeof(sek));
	return gem_announce_sek(id, g, &s, &grp, &key, 1, seqno, 600, buf, GEM_ITEM_MAX_LEN);
}

/* A's announcement for (192.0.2.1, 239.1.2.3). */
static int sek_item(const struct gem_identity *id, const struct gem_gak *g, uint64_t seqno,
		    uint8_t *buf)
{
	return sek_item_of(id, g, seqno, 3, buf);
}

struct seen {
	unsigned int n;
	size_t len;
	uint8_t enc[GEM_ITEM_MAX_LEN];
};

static void collect(const uint8_t *enc, size_t len, uint32_t tag, void *arg)
{
	struct seen *s = arg;

	(void)tag;
	s->n++;
	s->len = len;
	memcpy(s->enc, enc, len);
}

/* What test_heard's steps share: A announces, C hears, X forges. */
struct heard {
	struct gem_identity a, c, x;
	struct gemd_conf conf;
	struct gemd_items *it;
	struct gem_gak g, wrong;
	uint8_t pk[GEM_ITEM_MAX_LEN], sek[GEM_ITEM_MAX_LEN], old[GEM_ITEM_MAX_LEN];
	int plen, slen, olen;
};

/* Before A's key is known, its announcement cannot be checked; A's key is asked for. */
static void heard_unknown_origin(struct heard *h)
{
	struct gemd_items *it = h->it;
	struct gem_request want[4];

	EXPECT(!gemd_items_heard(it, h->sek, (size_t)h->slen, 1000));
	EXPECT(it->unknown_origin == 1);
	/* ... and A's key is asked for, once, then A's announcements again. */
	EXPECT(!gemd_items_heard(it, h->sek, (size_t)h->slen, 1000));
	EXPECT(it->unknown_origin == 2);
	EXPECT(gemd_items_wanted(it, want, 1) == 0);	/* no room for both: kept */
	EXPECT(gemd_items_wanted(it, want, 4) == 2);
	EXPECT(want[0].kind == GEM_ITEM_PUBLIC_KEY && !memcmp(want[0].origin, h->a.router_id, 8));
	EXPECT(want[1].kind == GEM_ITEM_SEK_ANNOUNCE && !memcmp(want[1].origin, h->a.router_id, 8));
	EXPECT(gemd_items_wanted(it, want, 4) == 0);
}

/* A's key, then its announcement: kept and flooded once; an older version refused. */
static void heard_genuine(struct heard *h)
{
	struct gemd_items *it = h->it;
	struct seen seen;
	uint64_t gen;

	EXPECT(gemd_items_heard(it, h->pk, (size_t)h->plen, 1000));
	/* A Request for A's Public Key is answered with exactly that item. */
	seen.n = 0;
	gemd_items_each_of(it, GEM_ITEM_PUBLIC_KEY, h->a.router_id, collect, &seen);
	EXPECT(seen.n == 1 && seen.len == (size_t)h->plen &&
	       !memcmp(seen.enc, h->pk, (size_t)h->plen));
	/* A duplicate: not flooded. */
	EXPECT(!gemd_items_heard(it, h->pk, (size_t)h->plen, 1000));
	EXPECT(gemd_items_heard(it, h->sek, (size_t)h->slen, 1000));
	/* Flooding sends what changed since an interface last heard: nothing now. */
	seen.n = 0;
	gen = gemd_items_each(it, 0, collect, &seen);
	EXPECT(seen.n == 3);		/* C's and A's Public Keys, A's announcement */
	seen.n = 0;
	EXPECT(gemd_items_each(it, gen, collect, &seen) == gen && seen.n == 0);
	/* The older version, replayed: not kept, not flooded. */
	EXPECT(!gemd_items_heard(it, h->old, (size_t)h->olen, 1000));
	seen.n = 0;
	EXPECT(gemd_items_each(it, gen, collect, &seen) == gen && seen.n == 0);
	EXPECT(it->stale == 1);
}

/* Another GAK's MAC, and X signing in A's name: refused and counted. */
static void heard_forged(struct heard *h)
{
	struct gemd_items *it = h->it;
	uint8_t *sek = h->sek;
	int slen;

	/* Made with another GAK: the MAC fails. */
	slen = sek_item(&h->a, &h->wrong, t0 + 12, sek);
	EXPECT(!gemd_items_heard(it, sek, (size_t)slen, 1000));
	EXPECT(it->refused_mac == 1);
	/* X, holding the GAK, signs in A's name: the signature fails. */
	slen = sek_item(&h->x, &h->g, t0 + 13, sek);
	memcpy(sek + 2, h->a.router_id, GEM_ROUTER_ID_LEN);
	gem_gak_mac(&h->g, sek, gem_item_mac_len((size_t)slen),
		    sek + gem_item_mac_len((size_t)slen));
	gem_identity_sign(&h->x, sek, gem_item_signed_len((size_t)slen),
			  sek + gem_item_signed_len((size_t)slen));
	EXPECT(!gemd_items_heard(it, sek, (size_t)slen, 1000));
	EXPECT(it->refused_signature == 1);
	/* Held: C's own Public Key, A's, and A's genuine announcement (seqno 11). */
	EXPECT(it->state.count == 3);
}

/*
 * Genuine, but dead by its making: an announcement A made 601 s ago with
 * a 600 s lifetime, replayed after it lapsed. Another made more than the
 * clocks' skew ahead.
 */
static void heard_out_of_time(struct heard *h)
{
	uint8_t key[1 + GEM_ROUTER_ID_LEN] = { GEM_ITEM_PUBLIC_KEY };
	struct gemd_items *it = h->it;
	const struct gem_state_entry *e;
	int slen;

	slen = sek_item_of(&h->a, &h->g, t0 - 601000, 4, h->sek);
	EXPECT(!gemd_items_heard(it, h->sek, (size_t)slen, 2000));
	slen = sek_item(&h->a, &h->g, t0 + (uint64_t)h->conf.max_clock_skew_s * 1000 + 60000,
			h->sek);
	EXPECT(!gemd_items_heard(it, h->sek, (size_t)slen, 2000));
	EXPECT(it->refused_time == 2 && it->state.count == 3);
	/* A's Public Key is kept before relayed items: A's announcement was checked. */
	memcpy(key + 1, h->a.router_id, GEM_ROUTER_ID_LEN);
	e = gem_state_find(&it->state, key, sizeof(key));
	EXPECT(e && e->rank == GEM_RANK_CHECKED);
}

static void test_heard(void)
{
	struct heard *h = calloc(1, sizeof(*h));
	uint8_t raw[32];
	char err[256];

	EXPECT(h != NULL);
	if (!h)
		return;
	h->a = node("a");
	h->c = node("c");
	h->x = node("x");
	h->it = calloc(1, sizeof(*h->it));
	memset(raw, 1, sizeof(raw));
	gem_gak_derive(raw, &h->g);
	memset(raw, 2, sizeof(raw));
	gem_gak_derive(raw, &h->wrong);
	conf_for(&h->conf, "gak");
	EXPECT(h->it && gemd_items_init(h->it, &h->conf, &h->c, 0, err, sizeof(err)) == 0);

	h->olen = sek_item(&h->a, &h->g, t0 + 10, h->old);
	h->slen = sek_item(&h->a, &h->g, t0 + 11, h->sek);
	h->plen = pubkey_item(&h->a, t0 + 5, h->pk);
	heard_unknown_origin(h);
	heard_genuine(h);
	heard_forged(h);
	heard_out_of_time(h);
	gemd_items_destroy(h->it);
	free(h->it);
	free(h);
}

struct own {
	const struct gem_identity *id;
	const struct gem_gak *g;
	unsigned int pubkeys, subs, bad;
	uint64_t sub_seqno, pk_seqno;
};

static int own_cb(const struct gem_state_entry *e, void *arg)
{
	struct own *o = arg;
	struct gem_item item;
	const char *why;

	if (gem_announce_check(e->enc, e->enclen, o->id->pk, o->g, &item, &why)) {
		o->bad++;
		return 0;
	}
	o->pubkeys += item.kind == GEM_ITEM_PUBLIC_KEY;
	if (item.kind == GEM_ITEM_PUBLIC_KEY)
		o->pk_seqno = item.seqno;
	if (item.kind == GEM_ITEM_SUBSCRIPTION && item.u.sub.plen == 16 &&
	    item.u.sub.group.addr[0] == 239 && item.u.sub.group.addr[1] == 1) {
		o->subs++;
		o->sub_seqno = item.seqno;
	}
	return 0;
}

/*
 * What a node with a gem device makes on its own: its Public Key and a
 * Subscription for its group prefix, MACed with the GAK and signed;
 * renewed (a newer sequence number) at half their lifetime.
 */
static void test_own_items(void)
{
	struct gem_identity c = node("own");
	struct gemd_conf conf;
	struct gemd_items *it = calloc(1, sizeof(*it));
	struct gem_gak g;
	struct own o = { .id = &c, .g = &g };
	uint8_t raw[32];
	unsigned int fresh;
	uint64_t first;
	char err[256];

	memset(raw, 1, sizeof(raw));
	gem_gak_derive(raw, &g);
	conf_for(&conf, "gak");
	conf.item_lifetime_s = 10;
	EXPECT(it && gemd_items_init(it, &conf, &c, 0, err, sizeof(err)) == 0);
	EXPECT(gemd_items_tick(it, 1000, &fresh));
	gem_state_each(&it->state, own_cb, &o);
	EXPECT(o.pubkeys == 1 && o.subs == 1 && o.bad == 0 && it->state.count == 2);
	first = o.sub_seqno;
	/* Not yet half its life: nothing new. */
	EXPECT(!gemd_items_tick(it, 4000, &fresh));
	memset(&o, 0, sizeof(o));
	o.id = &c;
	o.g = &g;
	EXPECT(gemd_items_tick(it, 7000, &fresh));
	gem_state_each(&it->state, own_cb, &o);
	EXPECT(o.subs == 1 && gem_seqno_newer(o.sub_seqno, first) && it->state.count == 2);
	gemd_items_destroy(it);
	free(it);
}

/*
 * A newer version of one of our own items comes back (made before a
 * restart, or before our clock stepped back): we make all of ours anew
 * above it, so ours win again everywhere. A forged one in our name
 * (not our signature) changes nothing.
 */
static void test_reclaim(void)
{
	struct gem_identity c = node("reclaiming"), x = node("x2");
	struct gemd_conf conf;
	struct gemd_items *it = calloc(1, sizeof(*it));
	uint8_t raw[32], pk[GEM_ITEM_MAX_LEN];
	struct gem_gak g;
	struct own o = { .id = &c, .g = &g };
	unsigned int fresh;
	uint64_t ahead = t0 + 30000;
	char err[256];
	int plen;

	memset(raw, 1, sizeof(raw));
	gem_gak_derive(raw, &g);
	conf_for(&conf, "gak");
	EXPECT(it && gemd_items_init(it, &conf, &c, 0, err, sizeof(err)) == 0);
	gemd_items_tick(it, 1000, &fresh);
	/* A forgery in our name: X's signature over our router-id. */
	plen = pubkey_item(&x, ahead, pk);
	memcpy(pk + 2, c.router_id, GEM_ROUTER_ID_LEN);
	gem_identity_sign(&x, pk, gem_item_signed_len((size_t)plen),
			  pk + gem_item_signed_len((size_t)plen));
	EXPECT(!gemd_items_heard(it, pk, (size_t)plen, 1000));
	EXPECT(it->reclaimed == 0);
	/* Ours, but made beyond the clocks' skew: no node takes it, nothing to outbid. */
	plen = pubkey_item(&c, t0 + (uint64_t)conf.max_clock_skew_s * 1000 + 60000, pk);
	EXPECT(!gemd_items_heard(it, pk, (size_t)plen, 1000));
	EXPECT(it->reclaimed == 0);
	/* Our own, made "30 s from now" by an earlier run of ours. */
	plen = pubkey_item(&c, ahead, pk);
	EXPECT(!gemd_items_heard(it, pk, (size_t)plen, 1000));
	EXPECT(it->reclaimed == 1);
	EXPECT(gemd_items_tick(it, 2000, &fresh));
	gem_state_each(&it->state, own_cb, &o);
	EXPECT(o.pubkeys == 1 && o.subs == 1 && o.bad == 0);
	EXPECT(o.pk_seqno > ahead && o.sub_seqno > ahead);
	gemd_items_destroy(it);
	free(it);
}

int main(void)
{
	char cmd[64];
	int rc;

	if (sodium_init() < 0 || !mkdtemp(dir))
		return 2;
	gem_log_max = 0;	/* quiet: gem.ko is not here, and that is expected */
	key_file("gak", 1);
	key_file("bk", 3);
	t0 = (uint64_t)time(NULL) * 1000;
	RUN(test_heard);
	RUN(test_own_items);
	RUN(test_reclaim);
	rc = TEST_EXIT();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		rc = 1;
	return rc;
}
