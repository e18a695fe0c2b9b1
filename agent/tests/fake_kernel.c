// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for gemd's kernel_*.c in unit tests: a gem.ko that is a
 * table of stream keys, with one gem device (FAKE_IFINDEX, whatever its
 * name), no events and no normalizer rules. Dumps answer from the table.
 * Nothing reaches the kernel.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "fake_kernel.h"

struct fake_key fake_keys[FAKE_KEYS_MAX];
unsigned int fake_sets, fake_dels;

/* The one session: kernel.h's struct is opaque, so the fake has its own. */
struct gemd_kernel {
	int open;
};

static struct gemd_kernel session;

void fake_kernel_reset(void)
{
	sodium_memzero(fake_keys, sizeof(fake_keys));
	fake_sets = fake_dels = 0;
}

struct gemd_kernel *kernel_open(bool events, char *err, size_t errlen)
{
	(void)events;
	(void)err;
	(void)errlen;
	session.open++;
	return &session;
}

/* gem.ko would keep its keys; the fake wipes them with its last session: none outlives a test. */
void kernel_close(struct gemd_kernel *kn)
{
	if (kn && !--kn->open)
		fake_kernel_reset();
}

bool kernel_reloaded(const struct gemd_kernel *kn)
{
	(void)kn;
	return false;
}

const char *kernel_errmsg(const struct gemd_kernel *kn)
{
	(void)kn;
	return "refused by the fake gem.ko";
}

unsigned int kernel_dev_ifindex(struct gemd_kernel *kn, const char *name)
{
	(void)kn;
	(void)name;
	return FAKE_IFINDEX;
}

int kernel_dev_create(const char *name, const char *underlay)
{
	(void)name;
	(void)underlay;
	return -EEXIST;
}

int kernel_group_set(struct gemd_kernel *kn, unsigned int ifindex, const struct gem_addr *prefix,
		     uint8_t tag_alg, const uint8_t *tag, size_t tag_len)
{
	(void)kn;
	(void)ifindex;
	(void)prefix;
	(void)tag_alg;
	(void)tag;
	(void)tag_len;
	return 0;
}

struct fake_key *fake_find(bool tx, const uint8_t *src, const uint8_t *grp, uint8_t len,
			   uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < FAKE_KEYS_MAX; i++) {
		struct fake_key *f = &fake_keys[i];

		if (f->used && f->tx == tx && f->len == len && !memcmp(f->src, src, len) &&
		    !memcmp(f->grp, grp, len) && (tx || f->key_id == key_id))
			return f;
	}
	return NULL;
}

/* As gem.ko takes a request: both addresses of one family, of 4 or 16 bytes. */
static bool valid(const struct kernel_key *key)
{
	return key->src.len == key->grp.len && (key->src.len == 4 || key->src.len == 16);
}

int kernel_key_set(struct gemd_kernel *kn, unsigned int ifindex, const struct kernel_key *key)
{
	struct fake_key *f;
	unsigned int i;

	(void)kn;
	(void)ifindex;
	if (!valid(key) || !key->sek)
		return -EINVAL;
	f = fake_find(key->tx, key->src.addr, key->grp.addr, key->src.len, key->key_id);
	for (i = 0; !f && i < FAKE_KEYS_MAX; i++)
		if (!fake_keys[i].used)
			f = &fake_keys[i];
	if (!f)
		return -EINVAL;
	sodium_memzero(f, sizeof(*f));
	f->used = true;
	f->tx = key->tx;
	f->len = key->src.len;
	memcpy(f->src, key->src.addr, f->len);
	memcpy(f->grp, key->grp.addr, f->len);
	f->key_id = key->key_id;
	memcpy(f->key, key->sek, sizeof(f->key));
	/* As gem.ko: a transmit key's packet numbers start at the time of day. */
	if (key->tx)
		f->pn = (uint64_t)time(NULL) * 1000000000u;
	else {
		f->pn = key->floor;
		f->rate = key->rate;
	}
	fake_sets++;
	return 0;
}

int kernel_key_del(struct gemd_kernel *kn, unsigned int ifindex, const struct kernel_key *key)
{
	struct fake_key *f;

	(void)kn;
	(void)ifindex;
	if (!valid(key))
		return -EINVAL;
	f = fake_find(key->tx, key->src.addr, key->grp.addr, key->src.len, key->key_id);
	if (!f)
		return -ENOENT;
	sodium_memzero(f, sizeof(*f));
	fake_dels++;
	return 0;
}

/* The table's streams as gem.ko dumps them: never their keys. */
int kernel_keys_dump(struct gemd_kernel *kn, unsigned int ifindex, bool tx,
		     struct kernel_stream *out, unsigned int max)
{
	unsigned int i, n = 0;

	(void)kn;
	(void)ifindex;
	for (i = 0; i < FAKE_KEYS_MAX && n < max; i++) {
		const struct fake_key *f = &fake_keys[i];
		struct kernel_stream *s = &out[n];

		if (!f->used || f->tx != tx)
			continue;
		memset(s, 0, sizeof(*s));
		s->src.len = s->grp.len = f->len;
		memcpy(s->src.addr, f->src, f->len);
		memcpy(s->grp.addr, f->grp, f->len);
		s->key_id = f->key_id;
		s->pn = f->pn;
		s->packets = f->packets;
		n++;
	}
	return (int)n;
}

int kernel_event_fd(const struct gemd_kernel *kn)
{
	(void)kn;
	return -1;
}

void kernel_events(struct gemd_kernel *kn, kernel_event_fn fn, void *arg)
{
	(void)kn;
	(void)fn;
	(void)arg;
}

void kernel_norm_rules(struct gemd_kernel *kn, kernel_event_fn fn, void *arg)
{
	(void)kn;
	(void)fn;
	(void)arg;
}
