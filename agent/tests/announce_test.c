// SPDX-License-Identifier: GPL-2.0
/*
 * The key hierarchy at work: identities, GAK subkeys, and SEK Announces
 * that GAK holders open, that nodes without the GAK can neither read nor
 * forge, and that no GAK holder can make in another node's name.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "gemd/announce.h"
#include "lib/keyfile.h"
#include "test.h"

static char dir[] = "/tmp/gem-announce-XXXXXX";

static void path(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

static struct gem_identity node(const char *name)
{
	struct gem_identity id;
	char p[256], err[256];

	path(p, sizeof(p), name);
	EXPECT(gem_identity_generate(p, &id, err, sizeof(err)) == 0);
	return id;
}

static struct gem_gak group_key(uint8_t fill)
{
	uint8_t raw[GEM_GAK_LEN];
	struct gem_gak g;

	memset(raw, fill, sizeof(raw));
	gem_gak_derive(raw, &g);
	return g;
}

static void test_identity_file(void)
{
	struct gem_identity a, back;
	char p[256], err[256];
	struct stat st;

	path(p, sizeof(p), "id-file");
	EXPECT(gem_identity_generate(p, &a, err, sizeof(err)) == 0);
	EXPECT(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	EXPECT(gem_identity_load(p, &back, err, sizeof(err)) == 0);
	EXPECT(!memcmp(a.pk, back.pk, sizeof(a.pk)));
	EXPECT(!memcmp(a.router_id, back.router_id, sizeof(a.router_id)));
	/* Never over an existing file. */
	EXPECT(gem_identity_generate(p, &back, err, sizeof(err)) == -1);
	EXPECT(strstr(err, "File exists") != NULL);
	/* Never from a file others may read. */
	chmod(p, 0644);
	EXPECT(gem_identity_load(p, &back, err, sizeof(err)) == -1);
	EXPECT(strstr(err, p) != NULL);
	gem_identity_wipe(&back);
	EXPECT(sodium_is_zero(back.sk, sizeof(back.sk)));
}

static void test_gak_subkeys(void)
{
	struct gem_gak g = group_key(7), again = group_key(7), other = group_key(8);
	uint8_t raw[GEM_GAK_LEN];

	memset(raw, 7, sizeof(raw));
	EXPECT(!memcmp(&g, &again, sizeof(g)));
	EXPECT(memcmp(g.tag, g.mac, sizeof(g.tag)) && memcmp(g.mac, g.wrap, sizeof(g.mac)) &&
	       memcmp(g.tag, g.wrap, sizeof(g.tag)));
	EXPECT(memcmp(g.tag, raw, sizeof(raw)) && memcmp(g.wrap, raw, sizeof(raw)));
	EXPECT(memcmp(g.tag, other.tag, sizeof(g.tag)));
}

static void sek_item(const struct gem_identity *src, const struct gem_gak *g, uint8_t *sek,
		     uint8_t *buf, int *len)
{
	struct gem_ip s = { .len = 4, .addr = { 192, 0, 2, 1 } };
	struct gem_ip grp = { .len = 4, .addr = { 239, 1, 2, 3 } };

	struct gem_announce_key key = { .key_id = 3, .sek = sek };

	randombytes_buf(sek, GEM_SEK_BYTES);
	*len = gem_announce_sek(src, g, &s, &grp, &key, 1, 17, 120, buf, GEM_ITEM_MAX_LEN);
	EXPECT(*len > 0);
}

static void test_members_open(void)
{
	struct gem_identity a = node("a1");
	struct gem_gak g = group_key(1);
	uint8_t buf[GEM_ITEM_MAX_LEN], sek[GEM_SEK_BYTES], got[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	struct gem_item it;
	const char *why = NULL;
	int len;

	sek_item(&a, &g, sek, buf, &len);
	EXPECT(gem_announce_open_sek(buf, (size_t)len, a.pk, &g, &it, got, &why) == 0);
	EXPECT(!memcmp(sek, got[0], sizeof(sek)));
	EXPECT(it.u.sek.n_keys == 1 && it.u.sek.keys[0].key_id == 3);
	EXPECT(it.seqno == 17 && it.lifetime == 120);
	/* The key travels sealed: its bytes are nowhere in the item. */
	EXPECT(!memmem(buf, (size_t)len, sek, sizeof(sek)));
}

/* A pending rotation: the next key and the current one, both opened, in order. */
static void test_two_keys(void)
{
	struct gem_identity a = node("a5");
	struct gem_gak g = group_key(1);
	struct gem_ip s = { .len = 16, .addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
	struct gem_ip grp = { .len = 16, .addr = { 0xff, 0x3e, [15] = 0x42 } };
	uint8_t buf[GEM_ITEM_MAX_LEN], next[GEM_SEK_BYTES], cur[GEM_SEK_BYTES];
	uint8_t got[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	struct gem_announce_key keys[3] = { { .key_id = 4, .sek = next }, { .key_id = 3, .sek = cur },
					    { .key_id = 2, .sek = cur } };
	struct gem_item it;
	const char *why = NULL;
	int len;

	randombytes_buf(next, sizeof(next));
	randombytes_buf(cur, sizeof(cur));
	len = gem_announce_sek(&a, &g, &s, &grp, keys, 2, 18, 120, buf, sizeof(buf));
	EXPECT(len > 0);
	EXPECT(gem_announce_open_sek(buf, (size_t)len, a.pk, &g, &it, got, &why) == 0);
	EXPECT(it.u.sek.n_keys == 2 && it.u.sek.keys[0].key_id == 4 &&
	       it.u.sek.keys[1].key_id == 3);
	EXPECT(!memcmp(got[0], next, sizeof(next)) && !memcmp(got[1], cur, sizeof(cur)));
	EXPECT(!memmem(buf, (size_t)len, next, sizeof(next)) &&
	       !memmem(buf, (size_t)len, cur, sizeof(cur)));
	/* Three keys, or none, or one id twice: not an announcement. */
	EXPECT(gem_announce_sek(&a, &g, &s, &grp, keys, 3, 18, 120, buf, sizeof(buf)) == -1);
	EXPECT(gem_announce_sek(&a, &g, &s, &grp, keys, 0, 18, 120, buf, sizeof(buf)) == -1);
	keys[1].key_id = 4;
	EXPECT(gem_announce_sek(&a, &g, &s, &grp, keys, 2, 18, 120, buf, sizeof(buf)) == -1);
}

static void test_outsiders(void)
{
	struct gem_identity a = node("a2");
	struct gem_gak g = group_key(1), wrong = group_key(2);
	uint8_t buf[GEM_ITEM_MAX_LEN], sek[GEM_SEK_BYTES], got[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	struct gem_item it;
	const char *why = NULL;
	int len;

	sek_item(&a, &g, sek, buf, &len);
	/* Without the GAK: the signature checks, so it can be relayed... */
	EXPECT(gem_announce_check(buf, (size_t)len, a.pk, NULL, &it, &why) == 0);
	/* ...but the key does not open, and a wrong GAK fails the MAC. */
	EXPECT(gem_announce_open_sek(buf, (size_t)len, a.pk, NULL, &it, got, &why) == -1);
	EXPECT_STR(why, "no group key");
	EXPECT(gem_announce_open_sek(buf, (size_t)len, a.pk, &wrong, &it, got, &why) == -1);
	EXPECT_STR(why, "bad group MAC");

	/* An outsider with its own identity cannot make one members accept. */
	{
		struct gem_identity x = node("x2");

		sek_item(&x, &wrong, sek, buf, &len);
		EXPECT(gem_announce_check(buf, (size_t)len, x.pk, &g, &it, &why) == -1);
		EXPECT_STR(why, "bad group MAC");
	}
}

/* A member cannot announce in another node's name. */
static void test_impersonation(void)
{
	struct gem_identity a = node("a3"), c = node("c3");
	struct gem_gak g = group_key(1);
	uint8_t buf[GEM_ITEM_MAX_LEN], sek[GEM_SEK_BYTES], got[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	struct gem_item it;
	const char *why = NULL;
	int len;

	sek_item(&c, &g, sek, buf, &len);
	/* C's item relabelled with A's origin, MAC and signature redone by C. */
	memcpy(buf + 2, a.router_id, GEM_ROUTER_ID_LEN);
	gem_gak_mac(&g, buf, gem_item_mac_len((size_t)len), buf + gem_item_mac_len((size_t)len));
	gem_identity_sign(&c, buf, gem_item_signed_len((size_t)len),
			  buf + gem_item_signed_len((size_t)len));
	EXPECT(gem_announce_open_sek(buf, (size_t)len, a.pk, &g, &it, got, &why) == -1);
	EXPECT_STR(why, "bad signature");
	EXPECT(gem_announce_open_sek(buf, (size_t)len, c.pk, &g, &it, got, &why) == -1);
	EXPECT_STR(why, "the key is not the origin's");
}

/* Any changed byte is caught. */
static void test_tamper(void)
{
	struct gem_identity a = node("a4");
	struct gem_gak g = group_key(1);
	uint8_t buf[GEM_ITEM_MAX_LEN], sek[GEM_SEK_BYTES], got[GEM_SEK_KEYS_MAX][GEM_SEK_BYTES];
	struct gem_item it;
	const char *why = NULL;
	int len, i, caught = 0;

	sek_item(&a, &g, sek, buf, &len);
	for (i = 0; i < len; i++) {
		buf[i] ^= 0x20;
		caught += gem_announce_open_sek(buf, (size_t)len, a.pk, &g, &it, got, &why) == -1;
		buf[i] ^= 0x20;
	}
	EXPECT(caught == len);
	EXPECT(gem_announce_open_sek(buf, (size_t)len, a.pk, &g, &it, got, &why) == 0);
}

int main(void)
{
	char cmd[64];
	int rc;

	if (sodium_init() < 0 || !mkdtemp(dir))
		return 2;
	RUN(test_identity_file);
	RUN(test_gak_subkeys);
	RUN(test_members_open);
	RUN(test_two_keys);
	RUN(test_outsiders);
	RUN(test_impersonation);
	RUN(test_tamper);
	rc = TEST_EXIT();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		rc = 1;
	return rc;
}
