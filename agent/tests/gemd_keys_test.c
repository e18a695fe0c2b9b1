// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's stream keys against a fake gem.ko (fake_kernel.c): what is
 * installed, kept and removed as announcements come, as time passes and
 * as local streams rotate, without a kernel.
 */
#include <string.h>

#include <sodium.h>

#include "fake_kernel.h"
#include "gemd/gemd_conf.h"
#include "gemd/keys.h"
#include "test.h"

static const char conf_text[] =
	"identity /x/id\n"
	"bootstrap-key /x/bk\n"
	"device gem0 underlay eth1\n"
	"babel-interface eth1\n"
	"group 239.1.0.0/16 gak /x/gak\n"
	"rotate-interval 60\n"
	"key-overlap 5\n"
	"item-lifetime 100\n";

static const uint8_t node_a[GEM_ROUTER_ID_LEN] = { 0xa };
static const uint8_t node_b[GEM_ROUTER_ID_LEN] = { 0xb };
static const struct gem_ip src = { .len = 4, .addr = { 192, 0, 2, 1 } };
static const struct gem_ip grp = { .len = 4, .addr = { 239, 1, 2, 3 } };
static const struct gem_ip grp2 = { .len = 4, .addr = { 239, 1, 2, 4 } };

static struct {
	unsigned int n;
	uint8_t key_id, next_id;
	bool pending, revoked;
} said;

static void announce(void *arg, struct gemd_tx *tx, uint64_t now_ms)
{
	(void)arg;
	(void)now_ms;
	said.n++;
	said.key_id = tx->key_id;
	said.next_id = tx->next_id;
	said.pending = tx->pending;
	said.revoked = tx->current_revoked;
}

static bool rx_has(const struct gem_ip *g, uint8_t id, const uint8_t *key)
{
	const struct fake_key *f = fake_find(false, src.addr, g->addr, 4, id);

	return f && (!key || !memcmp(f->key, key, sizeof(f->key)));
}

static int heard(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *g,
		 uint8_t id0, const uint8_t *k0, uint8_t id1, const uint8_t *k1, uint64_t now)
{
	struct gem_announce_key keys[2] = { { id0, k0 }, { id1, k1 } };

	return gemd_keys_heard(k, origin, &src, g, keys, k1 ? 2 : 1, now);
}

static void setup(struct gemd_keys *k)
{
	struct gemd_conf c;
	char err[256];

	fake_kernel_reset();
	memset(&said, 0, sizeof(said));
	EXPECT(gemd_conf_parse("t.conf", conf_text, &c, err, sizeof(err)) == 0);
	EXPECT(gemd_keys_init(k, &c) == 0);
	k->announce = announce;
	/* The first look finds gem0 (the fake's ifindex) and adopts nothing. */
	EXPECT(gemd_keys_tick(k, 1000) == 1);
}

/* Receive keys: installed once, kept while named, retired two overlaps after. */
static void test_receive(void)
{
	uint8_t k1[32], k2[32], k3[32];
	struct gemd_keys k;

	randombytes_buf(k1, sizeof(k1));
	randombytes_buf(k2, sizeof(k2));
	randombytes_buf(k3, sizeof(k3));
	setup(&k);
	EXPECT(heard(&k, node_a, &grp, 1, k1, 0, NULL, 2000) == 0);
	EXPECT(rx_has(&grp, 1, k1) && k.installed == 1);
	/* Renewed: the same key is not installed again (its replay window stays). */
	EXPECT(heard(&k, node_a, &grp, 1, k1, 0, NULL, 3000) == 0);
	EXPECT(fake_sets == 1);
	/* A rotation begins: the next key beside the current, both named. */
	EXPECT(heard(&k, node_a, &grp, 2, k2, 1, k1, 4000) == 0);
	EXPECT(rx_has(&grp, 2, k2) && rx_has(&grp, 1, k1) && fake_sets == 2);
	gemd_keys_tick(&k, 60000);
	EXPECT(rx_has(&grp, 1, k1));		/* still named: kept, however long */
	/* The source switched: id 1 is no longer named, and goes 2 overlaps on. */
	EXPECT(heard(&k, node_a, &grp, 2, k2, 0, NULL, 61000) == 0);
	gemd_keys_tick(&k, 61000 + 2 * 5000 - 1);
	EXPECT(rx_has(&grp, 1, NULL));
	gemd_keys_tick(&k, 61000 + 2 * 5000);
	EXPECT(!rx_has(&grp, 1, NULL) && rx_has(&grp, 2, k2));
	EXPECT(k.retired == 1 && fake_dels == 1);

	/* Another origin's key for this stream: refused, nothing installed. */
	EXPECT(heard(&k, node_b, &grp, 3, k3, 0, NULL, 72000) == -1);
	EXPECT(!rx_has(&grp, 3, NULL) && rx_has(&grp, 2, k2));

	/* A node that hears a stream first mid-rotation gets both keys at once. */
	EXPECT(heard(&k, node_b, &grp2, 9, k3, 8, k1, 73000) == 0);
	EXPECT(rx_has(&grp2, 9, k3) && rx_has(&grp2, 8, k1));
	/* Its announcement lapsed: all of its keys go. */
	gemd_keys_lapsed(&k, node_b, &src, &grp2, 74000);
	gemd_keys_tick(&k, 74000);
	EXPECT(!rx_has(&grp2, 9, NULL) && !rx_has(&grp2, 8, NULL));
	gemd_keys_destroy(&k);
}

/* A local stream: keyed, rotated with an overlap, ids continuing. */
static void test_transmit(void)
{
	const struct fake_key *f;
	struct gemd_keys k;

	setup(&k);
	EXPECT(gemd_keys_local(&k, FAKE_IFINDEX, &src, &grp, 2000) != NULL);
	f = fake_find(true, src.addr, grp.addr, 4, 0);
	EXPECT(f && f->key_id == 1);
	EXPECT(said.n == 1 && said.key_id == 1 && !said.pending);
	/* Not a configured group: not keyed. */
	EXPECT(gemd_keys_local(&k, FAKE_IFINDEX, &src, &(struct gem_ip){ .len = 4,
		.addr = { 239, 9, 9, 9 } }, 2000) == NULL);
	/* The interval ends: the next key is announced; gem.ko still sends with 1. */
	gemd_keys_tick(&k, 2000 + 60000);
	EXPECT(said.n == 2 && said.pending && said.next_id == 2 && said.key_id == 1);
	EXPECT(f->key_id == 1);
	/* An overlap later gem.ko sends with 2, and 2 is announced alone. */
	gemd_keys_tick(&k, 2000 + 60000 + 5000);
	EXPECT(f->key_id == 2 && k.rotated == 1);
	EXPECT(said.n == 3 && !said.pending && said.key_id == 2);
	/* A packet number that starts at the time of day is no count of packets. */
	((struct fake_key *)f)->pn = 1ULL << 62;
	gemd_keys_tick(&k, 2000 + 60000 + 5000 + 1000);
	EXPECT(!said.pending);
	/* So many packets on one key: rotated early, at the next look. */
	((struct fake_key *)f)->packets = 1ULL << 40;
	gemd_keys_tick(&k, 2000 + 60000 + 5000 + 2000);
	EXPECT(said.pending && said.next_id == 3);
	gemd_keys_destroy(&k);
}

/*
 * Receive keys carry the window's rate bound; a key installed again into
 * a device that came back (gem.ko reloaded) starts at the newest packet
 * number gem.ko had taken with it, as read every second.
 */
static void test_rx_rate_and_floor(void)
{
	struct fake_key *f;
	struct gemd_keys k;
	uint8_t k1[32];

	randombytes_buf(k1, sizeof(k1));
	setup(&k);
	EXPECT(heard(&k, node_a, &grp, 1, k1, 0, NULL, 2000) == 0);
	f = (struct fake_key *)fake_find(false, src.addr, grp.addr, 4, 1);
	EXPECT(f && f->rate == 1000000 && f->pn == 0);
	/* gem.ko took up to 4999 with it; gemd reads that at its next look. */
	f->pn = 5000;
	gemd_keys_tick(&k, 3000);
	/* The module reloaded: the device is new, the key goes in again. */
	memset(f, 0, sizeof(*f));
	gemd_keys_reinstall(&k, FAKE_IFINDEX, &src, &grp, 1, k1);
	f = (struct fake_key *)fake_find(false, src.addr, grp.addr, 4, 1);
	EXPECT(f && f->pn == 5000);
	gemd_keys_destroy(&k);
}

/* A group is the longest configured prefix holding it, whatever the order. */
static void test_longest_prefix(void)
{
	struct gemd_conf c;
	struct gemd_keys k;
	char err[256];

	EXPECT(gemd_conf_parse("t.conf", "identity /x/id\nbootstrap-key /x/bk\n"
			       "group 239.0.0.0/8 gak /x/a\ngroup 239.1.0.0/16 gak /x/b\n"
			       "group 239.1.2.0/24 gak /x/c\n", &c, err, sizeof(err)) == 0);
	EXPECT(gemd_keys_init(&k, &c) == 0);
	EXPECT(gemd_keys_group_of(&k, &grp) == 2);
	EXPECT(gemd_keys_group_of(&k, &(struct gem_ip){ .len = 4, .addr = { 239, 1, 9, 9 } }) == 1);
	EXPECT(gemd_keys_group_of(&k, &(struct gem_ip){ .len = 4, .addr = { 239, 9, 9, 9 } }) == 0);
	EXPECT(gemd_keys_group_of(&k, &(struct gem_ip){ .len = 4, .addr = { 238, 1, 2, 3 } }) == -1);
	gemd_keys_destroy(&k);
}

/*
 * A stream's key must go at once (a new GAK, gemctl rotate): the next key
 * is announced alone and sent with after the grace, min(overlap, 2 s).
 */
static void test_rekey(void)
{
	const struct fake_key *f;
	struct gemd_keys k;
	struct gemd_tx *t;

	setup(&k);
	t = gemd_keys_local(&k, FAKE_IFINDEX, &src, &grp, 2000);
	EXPECT(t && said.key_id == 1 && !said.revoked);
	gemd_keys_rekey(&k, t, 3000);
	EXPECT(said.pending && said.revoked && said.next_id == 2);
	gemd_keys_tick(&k, 4999);
	f = fake_find(true, src.addr, grp.addr, 4, 0);
	EXPECT(f && f->key_id == 1);
	gemd_keys_tick(&k, 5000);
	f = fake_find(true, src.addr, grp.addr, 4, 0);
	EXPECT(f && f->key_id == 2 && !said.pending && !said.revoked);
	/* Asked again while a next key is pending: that one is dropped too. */
	gemd_keys_rekey(&k, t, 6000);
	gemd_keys_rekey(&k, t, 6100);
	EXPECT(said.next_id == 4);
	gemd_keys_destroy(&k);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(test_receive);
	RUN(test_transmit);
	RUN(test_rx_rate_and_floor);
	RUN(test_longest_prefix);
	RUN(test_rekey);
	return TEST_EXIT();
}
