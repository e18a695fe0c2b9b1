// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's stream keys in gem.ko: made, rotated, installed, retired,
 * adopted across a restart of gemd, reinstalled after a module reload.
 *
 * Rotation never loses a packet: the next key is announced while gem.ko
 * still sends with the current one, and gem.ko switches only an overlap
 * later, when every receiver has had time to install it beside the old
 * one. Receivers retire the old id two overlaps after the new one came.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include <arpa/inet.h>
#include <stdio.h>

#include "items/gem_frag.h"
#include "events.h"
#include "gemd_keys.h"
#include "lib/log.h"
#include "rtnl_link.h"

/* An event about one stream and key id. */
static void stream_event(const char *name, const struct gem_ip *src, const struct gem_ip *grp,
			 uint8_t key_id)
{
	char s[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN], id[4];

	inet_ntop(src->len == 4 ? AF_INET : AF_INET6, src->addr, s, sizeof(s));
	inet_ntop(grp->len == 4 ? AF_INET : AF_INET6, grp->addr, g, sizeof(g));
	snprintf(id, sizeof(id), "%u", key_id);
	gemd_event(name, "source", s, "group", g, "id", id, NULL);
}

static bool same_stream(const struct gem_ip *s1, const struct gem_ip *g1,
			const struct gem_ip *s2, const struct gem_ip *g2)
{
	return s1->len == s2->len && g1->len == g2->len &&
	       !memcmp(s1->addr, s2->addr, s1->len) && !memcmp(g1->addr, g2->addr, g1->len);
}

/* The longest configured prefix holding group, as gem.ko matches it; or -1. */
int gemd_keys_group_of(const struct gemd_keys *k, const struct gem_ip *group)
{
	unsigned int i;
	int b, best = -1;

	for (i = 0; i < k->n_groups; i++) {
		const struct gem_addr *p = &k->prefixes[i];

		if (p->len != group->len ||
		    (best >= 0 && p->prefixlen <= k->prefixes[best].prefixlen))
			continue;
		for (b = 0; b < p->prefixlen; b++)
			if ((p->bytes[b / 8] ^ group->addr[b / 8]) & (0x80 >> (b % 8)))
				break;
		if (b == p->prefixlen)
			best = (int)i;
	}
	return best;
}

/* How fast a receive window of the group may move ahead (gem.ko's rate bound). */
static uint32_t rx_rate(const struct gemd_keys *k, const struct gem_ip *grp)
{
	int gi = gemd_keys_group_of(k, grp);

	return gi >= 0 && k->group_rate[gi] ? k->group_rate[gi] : k->stream_max_rate;
}

/* The configured group with exactly this prefix, or -1. */
int gemd_keys_group_of_prefix(const struct gemd_keys *k, const struct gem_addr *prefix)
{
	unsigned int i;

	for (i = 0; i < k->n_groups; i++)
		if (!memcmp(&k->prefixes[i], prefix, sizeof(*prefix)))
			return (int)i;
	return -1;
}

/*
 * One stream key into gem.ko, for sending or receiving, or out of it. A
 * receive key gets the configured rate bound, and the floor below which
 * its window takes nothing (0: none).
 */
static int key_set_floor(struct gemd_keys *k, unsigned int ifindex, bool tx,
			 const struct gem_ip *src, const struct gem_ip *grp, uint8_t key_id,
			 const uint8_t *sek, uint64_t floor)
{
	uint8_t cmd = sek ? (tx ? GEM_CMD_TX_SET : GEM_CMD_RX_SET) :
			    (tx ? GEM_CMD_TX_DEL : GEM_CMD_RX_DEL);
	struct nl_msg *msg;
	int ret;

	if (!k->have_nl || !ifindex)
		return -1;
	msg = gem_nl_msg(&k->nl, cmd, 0);
	if (!msg)
		return -1;
	if (nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex) ||
	    nla_put(msg, GEM_A_CONF_SOURCE, src->len, src->addr) ||
	    nla_put(msg, GEM_A_CONF_GROUP, grp->len, grp->addr) ||
	    nla_put_u8(msg, GEM_A_CONF_KEY_ID, key_id) ||
	    (sek && nla_put(msg, GEM_A_CONF_KEY, GEMD_SEK_LEN, sek)) ||
	    (sek && !tx && nla_put_u32(msg, GEM_A_CONF_RATE, rx_rate(k, grp))) ||
	    (sek && !tx && floor && nla_put_u64(msg, GEM_A_CONF_PN, floor))) {
		nlmsg_free(msg);
		return -1;
	}
	/* gem_nl_send wipes the request, key included. */
	ret = gem_nl_request(&k->nl, msg);
	if (ret && !(ret == -ENOENT && !sek))
		gem_log(GEM_LOG_WARNING, "%s key %s: %s", tx ? "transmit" : "receive",
			sek ? "install" : "removal", k->nl.errmsg);
	return ret;
}

static int key_set(struct gemd_keys *k, unsigned int ifindex, bool tx, const struct gem_ip *src,
		   const struct gem_ip *grp, uint8_t key_id, const uint8_t *sek)
{
	return key_set_floor(k, ifindex, tx, src, grp, key_id, sek, 0);
}

/* A stream as a dump of gem.ko gives it. */
struct dumped {
	struct gem_ip src, grp;
	uint8_t key_id;
	uint64_t packets;		/* sent or taken with this key */
	uint64_t pn;			/* tx: the next packet number; rx: newest taken + 1 */
};

struct dump_ctx {
	struct dumped *d;
	unsigned int n, max;
};

static int dump_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GEM_A_CONF_MAX + 1];
	struct dump_ctx *c = arg;
	struct dumped *d;

	if (c->n == c->max || genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_CONF_MAX, NULL) ||
	    !tb[GEM_A_CONF_SOURCE] || !tb[GEM_A_CONF_GROUP] || !tb[GEM_A_CONF_KEY_ID] ||
	    nla_len(tb[GEM_A_CONF_SOURCE]) != nla_len(tb[GEM_A_CONF_GROUP]) ||
	    (nla_len(tb[GEM_A_CONF_SOURCE]) != 4 && nla_len(tb[GEM_A_CONF_SOURCE]) != 16))
		return NL_OK;
	d = &c->d[c->n++];
	memset(d, 0, sizeof(*d));
	d->src.len = d->grp.len = (uint8_t)nla_len(tb[GEM_A_CONF_SOURCE]);
	memcpy(d->src.addr, nla_data(tb[GEM_A_CONF_SOURCE]), d->src.len);
	memcpy(d->grp.addr, nla_data(tb[GEM_A_CONF_GROUP]), d->grp.len);
	d->key_id = nla_get_u8(tb[GEM_A_CONF_KEY_ID]);
	if (tb[GEM_A_CONF_PN])
		d->pn = nla_get_u64(tb[GEM_A_CONF_PN]);
	if (tb[GEM_A_CONF_PACKETS])
		d->packets = nla_get_u64(tb[GEM_A_CONF_PACKETS]);
	return NL_OK;
}

/* A device's transmit or receive streams; how many, or -1. */
static int dump(struct gemd_keys *k, unsigned int ifindex, bool tx, struct dumped *d,
		unsigned int max)
{
	struct dump_ctx c = { .d = d, .max = max };
	struct nl_msg *msg;
	int tries, err = -EAGAIN;

	/* A dump that met a change is no one state of gem.ko's keys: again. */
	for (tries = 0; tries < 5 && err == -EAGAIN && k->have_nl; tries++) {
		msg = gem_nl_msg(&k->nl, tx ? GEM_CMD_TX_GET : GEM_CMD_RX_GET, NLM_F_DUMP);
		if (!msg || nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex)) {
			nlmsg_free(msg);
			return -1;
		}
		c.n = 0;
		err = gem_nl_send(&k->nl, msg, dump_cb, &c);
	}
	return err ? -1 : (int)c.n;
}

static struct gemd_tx *tx_find(struct gemd_keys *k, unsigned int ifindex,
			       const struct gem_ip *src, const struct gem_ip *grp, bool used)
{
	unsigned int i;

	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &k->tx[i];

		if (t->used == used && t->ifindex == ifindex &&
		    same_stream(&t->source, &t->group, src, grp))
			return t;
	}
	return NULL;
}

static struct gemd_tx *tx_free_slot(struct gemd_keys *k)
{
	unsigned int i;

	/* Never-used slots first: a freed one remembers its stream's last id. */
	for (i = 0; i < GEMD_TX_MAX; i++)
		if (!k->tx[i].used && !k->tx[i].source.len)
			return &k->tx[i];
	for (i = 0; i < GEMD_TX_MAX; i++)
		if (!k->tx[i].used)
			return &k->tx[i];
	return NULL;
}

/* The stream keeps its slot's stream and last id; the keys go. */
static void tx_release(struct gemd_tx *t)
{
	sodium_memzero(t->sek, sizeof(t->sek));
	sodium_memzero(t->next_sek, sizeof(t->next_sek));
	t->used = t->pending = t->known = false;
}

/* Starts a rotation: the next key is announced now and sent with later. */
static void tx_rotate_begin(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms)
{
	randombytes_buf(t->next_sek, sizeof(t->next_sek));
	t->next_id = gemd_key_id_next(t->key_id);
	t->pending = true;
	t->switch_ms = now_ms + k->overlap_ms;
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "announced the next stream key (id %u), switching in %llu ms",
		t->next_id, (unsigned long long)k->overlap_ms);
	stream_event("key-next", &t->source, &t->group, t->next_id);
}

/*
 * The key a stream is sent with must go now (its group's GAK changed, or
 * the operator asked): a new key is announced alone, never beside the
 * current one, and gem.ko switches to it after a short grace (the time an
 * announcement takes to reach the group, at most the overlap). A next key
 * already announced (under what may be the old GAK) is dropped as well.
 */
void gemd_keys_rekey(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms)
{
	uint64_t grace = k->overlap_ms < 2000 ? k->overlap_ms : 2000;

	if (!t->used)
		return;
	randombytes_buf(t->next_sek, sizeof(t->next_sek));
	t->next_id = gemd_key_id_next(t->pending ? t->next_id : t->key_id);
	t->pending = true;
	t->current_revoked = true;
	t->switch_ms = now_ms + grace;
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "a new stream key (id %u), announced alone; sent with in %llu ms",
		t->next_id, (unsigned long long)grace);
	stream_event("key-rekeyed", &t->source, &t->group, t->next_id);
}

static void tx_switch(struct gemd_keys *k, struct gemd_tx *t, uint64_t now_ms)
{
	if (key_set(k, t->ifindex, true, &t->source, &t->group, t->next_id, t->next_sek)) {
		/* Try again at the next tick; the old key still works. */
		t->switch_ms = now_ms + 1000;
		return;
	}
	memcpy(t->sek, t->next_sek, sizeof(t->sek));
	sodium_memzero(t->next_sek, sizeof(t->next_sek));
	t->key_id = t->next_id;
	t->known = true;
	t->pending = false;
	t->current_revoked = false;
	t->packets = 0;
	t->rotate_ms = now_ms + k->rotate_ms;
	t->rotations++;
	k->rotated++;
	/* The announcement names the new key alone now: receivers retire the old one. */
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "sending with stream key id %u; the old key is wiped", t->key_id);
	stream_event("key-switched", &t->source, &t->group, t->key_id);
}

struct gemd_tx *gemd_keys_local(struct gemd_keys *k, unsigned int ifindex,
				const struct gem_ip *src, const struct gem_ip *grp, uint64_t now_ms)
{
	struct gemd_tx *t;
	uint8_t id = 1;
	int gi = gemd_keys_group_of(k, grp);

	if (gi < 0 || tx_find(k, ifindex, src, grp, true))
		return NULL;	/* not ours to key, or made already: the event raced */
	/*
	 * A stream keyed before (its device may be another now, after a
	 * module reload) continues its ids, so receivers replace nothing in use.
	 */
	for (t = k->tx; t < k->tx + GEMD_TX_MAX; t++)
		if (!t->used && same_stream(&t->source, &t->group, src, grp))
			break;
	if (t < k->tx + GEMD_TX_MAX)
		id = gemd_key_id_next(t->key_id);
	else
		t = tx_free_slot(k);
	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	randombytes_buf(t->sek, sizeof(t->sek));
	if (key_set(k, ifindex, true, src, grp, id, t->sek)) {
		sodium_memzero(t->sek, sizeof(t->sek));
		return NULL;
	}
	t->used = t->known = true;
	t->ifindex = ifindex;
	t->group_index = gi;
	t->source = *src;
	t->group = *grp;
	t->key_id = id;
	t->rotate_ms = now_ms + k->rotate_ms;
	k->made++;
	k->announce(k->arg, t, now_ms);
	gem_log(GEM_LOG_INFO, "made and announced a stream key for a local source (id %u)", id);
	stream_event("key-made", src, grp, id);
	return t;
}

static struct gemd_rx *rx_find(struct gemd_keys *k, const struct gem_ip *src,
			       const struct gem_ip *grp, uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &k->rx[i];

		if (r->used && r->key_id == key_id && same_stream(&r->source, &r->group, src, grp))
			return r;
	}
	return NULL;
}

static struct gemd_rx *rx_new(struct gemd_keys *k, const struct gem_ip *src,
			      const struct gem_ip *grp, uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &k->rx[i];

		if (!r->used) {
			memset(r, 0, sizeof(*r));
			r->used = true;
			r->source = *src;
			r->group = *grp;
			r->key_id = key_id;
			return r;
		}
	}
	return NULL;
}

/* Adopted keys have no origin yet: the first announcement claims them. */
static const uint8_t no_origin[GEM_ROUTER_ID_LEN];

/* Installs one announced key unless it is held already. */
static struct gemd_rx *rx_install(struct gemd_keys *k, struct gemd_rx *r, const uint8_t *origin,
				  const struct gem_ip *src, const struct gem_ip *grp,
				  const struct gem_announce_key *key)
{
	uint8_t fp[16];
	unsigned int d;
	bool ok = false;

	crypto_generichash(fp, sizeof(fp), key->sek, GEMD_SEK_LEN, NULL, 0);
	/* A renewed announcement of a key held: reinstalling would reset its replay window. */
	if (r && r->known && !sodium_memcmp(r->fingerprint, fp, sizeof(fp)))
		return r;
	if (!r) {
		r = rx_new(k, src, grp, key->key_id);
		/* Whose it is, installed or not: so it lapses with its origin's announcement. */
		if (r)
			memcpy(r->origin, origin, GEM_ROUTER_ID_LEN);
	}
	for (d = 0; d < k->n_devices; d++)
		if (!key_set(k, k->ifindex[d], false, src, grp, key->key_id, key->sek))
			ok = true;
	if (!r || !ok)
		return r;
	k->installed++;
	r->known = true;
	memcpy(r->origin, origin, GEM_ROUTER_ID_LEN);
	memcpy(r->fingerprint, fp, sizeof(fp));
	gem_log(GEM_LOG_INFO, "installed a receive key (key id %u)", key->key_id);
	stream_event("key-installed", src, grp, key->key_id);
	return r;
}

int gemd_keys_heard(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		    const struct gem_ip *grp, const struct gem_announce_key *keys,
		    unsigned int n_keys, uint64_t now_ms)
{
	struct gemd_rx *held[GEM_SEK_KEYS_MAX] = { NULL };
	unsigned int i, j;

	/*
	 * One origin per stream: a GAK holder announcing a key for another
	 * node's stream must not replace the keys receivers use for it.
	 */
	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *o = &k->rx[i];

		if (!o->used || !same_stream(&o->source, &o->group, src, grp))
			continue;
		if (memcmp(o->origin, origin, GEM_ROUTER_ID_LEN) &&
		    memcmp(o->origin, no_origin, GEM_ROUTER_ID_LEN)) {
			stream_event("key-refused-other-origin", src, grp, keys[0].key_id);
			return -1;
		}
		for (j = 0; j < n_keys; j++)
			if (o->key_id == keys[j].key_id)
				held[j] = o;
	}
	for (j = 0; j < n_keys; j++) {
		held[j] = rx_install(k, held[j], origin, src, grp, &keys[j]);
		if (held[j])
			held[j]->retire_ms = 0;
	}
	/* The stream's ids the announcement no longer names are the past. */
	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *o = &k->rx[i];
		uint64_t when = now_ms + 2 * k->overlap_ms;

		if (!o->used || !same_stream(&o->source, &o->group, src, grp))
			continue;
		for (j = 0; j < n_keys && o != held[j]; j++)
			;
		if (j < n_keys)
			continue;
		memcpy(o->origin, origin, GEM_ROUTER_ID_LEN);
		if (!o->retire_ms || o->retire_ms > when)
			o->retire_ms = when;
	}
	return 0;
}

/*
 * Into a device that is new (gem.ko reloaded, say): its window starts at
 * what gem.ko took with this key before, as last read (every second), so
 * a replay of what it took then is not taken again.
 */
void gemd_keys_reinstall(struct gemd_keys *k, unsigned int ifindex, const struct gem_ip *src,
			 const struct gem_ip *grp, uint8_t key_id, const uint8_t *sek)
{
	const struct gemd_rx *r = rx_find(k, src, grp, key_id);

	key_set_floor(k, ifindex, false, src, grp, key_id, sek, r ? r->floor : 0);
}

void gemd_keys_lapsed(struct gemd_keys *k, const uint8_t *origin, const struct gem_ip *src,
		      const struct gem_ip *grp, uint64_t now_ms)
{
	unsigned int i;

	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &k->rx[i];

		if (r->used && same_stream(&r->source, &r->group, src, grp) &&
		    !memcmp(r->origin, origin, GEM_ROUTER_ID_LEN))
			r->retire_ms = now_ms;
	}
}

static void rx_retire(struct gemd_keys *k, struct gemd_rx *r)
{
	unsigned int d;

	for (d = 0; d < k->n_devices; d++)
		key_set(k, k->ifindex[d], false, &r->source, &r->group, r->key_id, NULL);
	gem_log(GEM_LOG_INFO, "retired a receive key (key id %u)", r->key_id);
	stream_event("key-retired", &r->source, &r->group, r->key_id);
	r->used = false;
	k->retired++;
}

/*
 * What gem.ko holds for device d from before this gemd: transmit streams
 * are rotated at once (their key is not known here, and a new one must be
 * announced before it is sent with); receive keys are kept, and go if no
 * announcement claims them within an item lifetime.
 */
static void adopt(struct gemd_keys *k, unsigned int d, uint64_t now_ms)
{
	struct dumped *s = calloc(GEMD_RX_MAX, sizeof(*s));
	int n, i;

	if (!s)
		return;
	n = dump(k, k->ifindex[d], true, s, GEMD_TX_MAX);
	for (i = 0; i < n; i++) {
		struct gemd_tx *t;
		int gi = gemd_keys_group_of(k, &s[i].grp);

		if (gi < 0 || tx_find(k, k->ifindex[d], &s[i].src, &s[i].grp, true))
			continue;
		t = tx_free_slot(k);
		if (!t)
			break;
		memset(t, 0, sizeof(*t));
		t->used = true;
		t->ifindex = k->ifindex[d];
		t->group_index = gi;
		t->source = s[i].src;
		t->group = s[i].grp;
		t->key_id = s[i].key_id;
		t->packets = s[i].packets;
		k->adopted_tx++;
		tx_rotate_begin(k, t, now_ms);
	}
	n = dump(k, k->ifindex[d], false, s, GEMD_RX_MAX);
	for (i = 0; i < n; i++) {
		struct gemd_rx *r;

		if (rx_find(k, &s[i].src, &s[i].grp, s[i].key_id))
			continue;
		r = rx_new(k, &s[i].src, &s[i].grp, s[i].key_id);
		if (!r)
			break;
		r->retire_ms = now_ms + k->lifetime_ms;
		k->adopted_rx++;
	}
	free(s);
}

static void open_nl(struct gemd_keys *k)
{
	k->have_nl = !gem_nl_open(&k->nl);
	if (!k->have_nl)
		return;
	k->have_events = !gem_nl_open(&k->events) && !gem_nl_subscribe(&k->events);
	if (k->have_events)
		nl_socket_set_nonblocking(k->events.sk);
	else
		gem_log(GEM_LOG_WARNING, "gem.ko events: %s", k->events.errmsg);
}

static void close_nl(struct gemd_keys *k)
{
	if (k->have_nl)
		gem_nl_close(&k->nl);
	if (k->have_events)
		gem_nl_close(&k->events);
	k->have_nl = k->have_events = false;
}

/*
 * The gem family's id now, asked on a socket of its own: the request
 * socket carries gemd's callbacks, which a control-family query must not
 * meet. A negative errno when gem.ko is not there.
 */
/*
 * Finds each configured gem device, creating it over its underlay when it
 * is missing. Returns the devices that are new since the last look.
 */
static unsigned int check_devices(struct gemd_keys *k)
{
	unsigned int d, fresh = 0;

	/* A module reloaded registers its family anew: start over with it. */
	if (k->have_nl && gem_nl_family_now() != k->nl.family) {
		gem_log(GEM_LOG_WARNING, "gem.ko went away, or was reloaded");
		close_nl(k);
	}
	if (!k->have_nl)
		open_nl(k);
	for (d = 0; d < k->n_devices; d++) {
		unsigned int ifindex = 0;
		int err;

		if (k->have_nl)
			ifindex = gem_nl_dev_ifindex(&k->nl, k->names[d]);
		if (!ifindex && k->have_nl && !if_nametoindex(k->names[d])) {
			err = rtnl_link_gem_add(k->names[d], k->underlays[d]);
			if (err)
				gem_log(GEM_LOG_WARNING, "device %s over %s: %s", k->names[d],
					k->underlays[d], strerror(-err));
			else
				gem_log(GEM_LOG_INFO, "created %s over %s", k->names[d],
					k->underlays[d]);
			if (!err)
				gemd_event("device-made", "dev", k->names[d], "underlay",
					   k->underlays[d], NULL);
			ifindex = gem_nl_dev_ifindex(&k->nl, k->names[d]);
		}
		if (ifindex == k->ifindex[d])
			continue;
		if (k->ifindex[d]) {
			unsigned int i;

			/* The device went, or is another now: its streams went with it. */
			gem_log(GEM_LOG_WARNING, "device %s went away", k->names[d]);
			gemd_event("device-gone", "dev", k->names[d], NULL);
			for (i = 0; i < GEMD_TX_MAX; i++)
				if (k->tx[i].used && k->tx[i].ifindex == k->ifindex[d])
					tx_release(&k->tx[i]);
		}
		k->ifindex[d] = ifindex;
		if (ifindex)
			fresh |= 1u << d;
	}
	return fresh;
}

/* What a reload may change: groups, rotation, lifetimes. */
static void apply_conf(struct gemd_keys *k, const struct gemd_conf *c)
{
	unsigned int i;

	k->n_groups = c->n_groups;
	for (i = 0; i < c->n_groups; i++) {
		k->prefixes[i] = c->groups[i].prefix;
		k->group_rate[i] = c->groups[i].max_rate;
	}
	k->rotate_ms = (uint64_t)c->rotate_s * 1000;
	k->overlap_ms = (uint64_t)c->overlap_s * 1000;
	k->rotate_packets = c->rotate_packets;
	k->lifetime_ms = (uint64_t)c->item_lifetime_s * 1000;
	k->stream_max_rate = c->stream_max_rate;
	k->max_new_streams = c->max_new_streams;
}

int gemd_keys_init(struct gemd_keys *k, const struct gemd_conf *c)
{
	unsigned int d;

	memset(k, 0, sizeof(*k));
	k->tx = calloc(GEMD_TX_MAX, sizeof(*k->tx));
	k->rx = calloc(GEMD_RX_MAX, sizeof(*k->rx));
	if (!k->tx || !k->rx)
		return -1;
	k->n_devices = c->n_devices;
	for (d = 0; d < c->n_devices; d++) {
		memcpy(k->names[d], c->devices[d].name, sizeof(k->names[d]));
		memcpy(k->underlays[d], c->devices[d].underlay, sizeof(k->underlays[d]));
	}
	apply_conf(k, c);
	open_nl(k);
	if (!k->have_nl)
		gem_log(GEM_LOG_WARNING, "gem.ko: %s; keys are relayed, not installed",
			k->nl.errmsg);
	return 0;
}

void gemd_keys_reconfigure(struct gemd_keys *k, const struct gemd_conf *c, uint64_t now_ms)
{
	unsigned int i;

	apply_conf(k, c);
	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &k->tx[i];
		int gi;

		if (!t->used)
			continue;
		gi = gemd_keys_group_of(k, &t->group);
		if (gi < 0) {
			/* Its group is no longer ours: it is sent with no key, so not at all. */
			key_set(k, t->ifindex, true, &t->source, &t->group, t->key_id, NULL);
			tx_release(t);
			gem_log(GEM_LOG_WARNING, "a local stream's group is no longer configured: "
				"its key is removed");
			continue;
		}
		t->group_index = gi;
		/* A shorter interval counts from now; the next rotation uses the new overlap. */
		if (!t->pending && t->rotate_ms > now_ms + k->rotate_ms)
			t->rotate_ms = now_ms + k->rotate_ms;
	}
}

/* Adoption needs the announce callback, so it comes after init. */
static void adopt_all(struct gemd_keys *k, unsigned int fresh, uint64_t now_ms)
{
	unsigned int d;

	for (d = 0; d < k->n_devices; d++)
		if (fresh & (1u << d))
			adopt(k, d, now_ms);
}

void gemd_keys_destroy(struct gemd_keys *k)
{
	/* gem.ko keeps its keys: traffic flows while gemd restarts. */
	if (k->tx)
		sodium_memzero(k->tx, GEMD_TX_MAX * sizeof(*k->tx));
	free(k->tx);
	free(k->rx);
	close_nl(k);
	k->tx = NULL;
	k->rx = NULL;
}

int gemd_keys_event_fd(const struct gemd_keys *k)
{
	return k->have_events ? nl_socket_get_fd(k->events.sk) : -1;
}

struct event_ctx {
	struct gemd_keys *k;
	uint64_t now_ms;
};

/* An address attribute of 4 or 16 bytes, of the family len says (0: any). */
static bool get_ip(const struct nlattr *a, struct gem_ip *ip, uint8_t len)
{
	if (!a || (nla_len(a) != 4 && nla_len(a) != 16) || (len && nla_len(a) != len))
		return false;
	memset(ip, 0, sizeof(*ip));
	ip->len = (uint8_t)nla_len(a);
	memcpy(ip->addr, nla_data(a), ip->len);
	return true;
}

static bool ours(const struct gemd_keys *k, unsigned int ifindex)
{
	unsigned int d;

	for (d = 0; d < k->n_devices; d++)
		if (ifindex && k->ifindex[d] == ifindex)
			return true;
	return false;
}

/* Whether a is an address of this node (of gemd's network namespace). */
static bool local_address(const struct gem_ip *a)
{
	struct ifaddrs *ifa, *i;
	bool found = false;

	if (getifaddrs(&ifa))
		return false;
	for (i = ifa; i && !found; i = i->ifa_next) {
		if (!i->ifa_addr)
			continue;
		if (a->len == 4 && i->ifa_addr->sa_family == AF_INET)
			found = !memcmp(&((struct sockaddr_in *)i->ifa_addr)->sin_addr, a->addr, 4);
		else if (a->len == 16 && i->ifa_addr->sa_family == AF_INET6)
			found = !memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, a->addr, 16);
	}
	freeifaddrs(ifa);
	return found;
}

bool (*gemd_keys_is_local)(const struct gem_ip *a) = local_address;

/*
 * A token bucket per local source: at most max_new_streams streams keyed a
 * second, as many at once. The sources are the node's own, but a table of
 * them is still bounded: the least recently used makes way.
 */
static bool source_rate_ok(struct gemd_keys *k, const struct gem_ip *src, uint64_t now_ms)
{
	uint64_t cap = (uint64_t)k->max_new_streams * 1000;
	struct gemd_src_rate *r, *lru = &k->src_rate[0];
	unsigned int i;

	for (i = 0; i < GEMD_SRC_RATES; i++) {
		r = &k->src_rate[i];
		if (r->src.len == src->len && !memcmp(r->src.addr, src->addr, src->len))
			break;
		if (r->last_ms < lru->last_ms)
			lru = r;
	}
	if (i == GEMD_SRC_RATES) {
		r = lru;
		r->src = *src;
		r->tokens = cap;
		r->last_ms = now_ms;
	}
	r->tokens += (now_ms - r->last_ms) * k->max_new_streams;	/* milli-streams */
	if (r->tokens > cap)
		r->tokens = cap;
	r->last_ms = now_ms;
	if (r->tokens < 1000)
		return false;
	r->tokens -= 1000;
	return true;
}

/*
 * A stream gem.ko or the normalizer reports: keyed if its source is one of
 * this node's (a local user can send from another with IPV6_FREEBIND or
 * IPV6_PKTINFO, and must not make gemd announce streams of addresses it
 * does not own) and within its source's rate.
 */
static void stream_seen(struct gemd_keys *k, unsigned int ifindex, const struct gem_ip *src,
			const struct gem_ip *grp, uint64_t now_ms)
{
	char a[INET6_ADDRSTRLEN];

	if (!ours(k, ifindex) || gemd_keys_group_of(k, grp) < 0 || tx_find(k, ifindex, src, grp, true))
		return;
	inet_ntop(src->len == 4 ? AF_INET : AF_INET6, src->addr, a, sizeof(a));
	if (!gemd_keys_is_local(src)) {
		k->refused_foreign++;
		gem_log(GEM_LOG_WARNING, "not keying a stream from %s: not an address of this node", a);
		stream_event("key-refused-foreign-source", src, grp, 0);
		return;
	}
	if (!source_rate_ok(k, src, now_ms)) {
		k->refused_rate++;
		gem_log(GEM_LOG_DEBUG, "not keying a stream from %s now: over max-new-streams", a);
		return;
	}
	gemd_keys_local(k, ifindex, src, grp, now_ms);
}

/*
 * A normalizer rule into one of our gem devices: one that names a single
 * group (a whole-length prefix) gives its stream's source and group in
 * advance, so the stream is keyed before its first packet. A stream the
 * normalizer begins is keyed when it says so.
 */
static void norm_heard(struct gemd_keys *k, struct nlattr **tb, bool stream, uint64_t now_ms)
{
	struct gem_ip src, grp;

	if (!tb[GEM_A_NORM_OUT_IFINDEX] || !ours(k, nla_get_u32(tb[GEM_A_NORM_OUT_IFINDEX])) ||
	    !get_ip(tb[GEM_A_NORM_NEW_SOURCE], &src, 0) ||
	    !get_ip(tb[GEM_A_NORM_GROUP], &grp, src.len))
		return;
	if (!stream && (!tb[GEM_A_NORM_GROUP_PREFIXLEN] ||
			nla_get_u8(tb[GEM_A_NORM_GROUP_PREFIXLEN]) != grp.len * 8))
		return;
	/* The new source is the node's (gem.ko checks it); each new group counts. */
	stream_seen(k, nla_get_u32(tb[GEM_A_NORM_OUT_IFINDEX]), &src, &grp, now_ms);
}

static int norm_dump_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GEM_A_NORM_MAX + 1];
	struct event_ctx *e = arg;

	if (!genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_NORM_MAX, NULL))
		norm_heard(e->k, tb, false, e->now_ms);
	return NL_OK;
}

/* The normalizer's rules as they are now: those into our devices are keyed. */
static void norm_rules(struct gemd_keys *k, uint64_t now_ms)
{
	struct event_ctx e = { .k = k, .now_ms = now_ms };
	struct nl_msg *msg;
	int tries, err = -EAGAIN;

	/* Keying a rule's stream twice is harmless: an interrupted dump is read again. */
	for (tries = 0; tries < 5 && err == -EAGAIN && k->have_nl; tries++) {
		msg = gem_nl_msg(&k->nl, GEM_CMD_NORM_GET, NLM_F_DUMP);
		if (!msg)
			return;
		err = gem_nl_send(&k->nl, msg, norm_dump_cb, &e);
	}
}

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[GEM_A_CONF_MAX + 1], *tn[GEM_A_NORM_MAX + 1];
	struct event_ctx *e = arg;
	struct gem_ip src = { 0 }, grp = { 0 };

	if ((gh->cmd == GEM_CMD_NORM_SET || gh->cmd == GEM_CMD_NORM_STREAM_NEW_NTF) &&
	    !genlmsg_parse(nlmsg_hdr(msg), 0, tn, GEM_A_NORM_MAX, NULL)) {
		norm_heard(e->k, tn, gh->cmd == GEM_CMD_NORM_STREAM_NEW_NTF, e->now_ms);
		return NL_OK;
	}
	if (gh->cmd != GEM_CMD_TX_KEY_MISSING_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_CONF_MAX, NULL) ||
	    !tb[GEM_A_CONF_IFINDEX] || !tb[GEM_A_CONF_SOURCE] || !tb[GEM_A_CONF_GROUP] ||
	    nla_len(tb[GEM_A_CONF_SOURCE]) != nla_len(tb[GEM_A_CONF_GROUP]) ||
	    (nla_len(tb[GEM_A_CONF_SOURCE]) != 4 && nla_len(tb[GEM_A_CONF_SOURCE]) != 16))
		return NL_OK;
	src.len = grp.len = (uint8_t)nla_len(tb[GEM_A_CONF_SOURCE]);
	memcpy(src.addr, nla_data(tb[GEM_A_CONF_SOURCE]), src.len);
	memcpy(grp.addr, nla_data(tb[GEM_A_CONF_GROUP]), grp.len);
	stream_seen(e->k, nla_get_u32(tb[GEM_A_CONF_IFINDEX]), &src, &grp, e->now_ms);
	return NL_OK;
}

void gemd_keys_events(struct gemd_keys *k, uint64_t now_ms)
{
	struct event_ctx e = { .k = k, .now_ms = now_ms };
	int i;

	/* Non-blocking: read what is there, then stop. */
	for (i = 0; i < 64 && k->have_events && !gem_nl_recv(&k->events, event_cb, &e); i++)
		;
}

/* Where a stream sits in a dump's index: the items' FNV-1a over its addresses. */
static uint32_t stream_hash(const struct gem_ip *src, const struct gem_ip *grp)
{
	uint8_t key[32];

	memcpy(key, src->addr, src->len);
	memcpy(key + src->len, grp->addr, grp->len);
	return gem_frag_tag(key, (size_t)src->len + grp->len);
}

#define DUMP_INDEX	(2 * GEMD_TX_MAX)	/* a power of two, at most half full */

/*
 * Packet numbers from gem.ko: a stream that sent its share rotates early.
 * Every second, so the dump is indexed (open addressing) and each local
 * stream looked up once: linear in the streams, not quadratic.
 */
static void poll_packets(struct gemd_keys *k, uint64_t now_ms)
{
	struct dumped *s;
	int32_t *idx;
	unsigned int d, j;
	int n, i;

	for (i = 0; i < GEMD_TX_MAX && !k->tx[i].used; i++)
		;
	if (i == GEMD_TX_MAX)
		return;
	s = calloc(GEMD_TX_MAX, sizeof(*s));
	idx = malloc(DUMP_INDEX * sizeof(*idx));
	if (!s || !idx)
		goto out;
	for (d = 0; d < k->n_devices; d++) {
		if (!k->ifindex[d])
			continue;
		n = dump(k, k->ifindex[d], true, s, GEMD_TX_MAX);
		memset(idx, 0xff, DUMP_INDEX * sizeof(*idx));
		for (i = 0; i < n; i++) {
			for (j = stream_hash(&s[i].src, &s[i].grp); idx[j % DUMP_INDEX] >= 0; j++)
				;
			idx[j % DUMP_INDEX] = i;
		}
		for (j = 0; j < GEMD_TX_MAX && n > 0; j++) {
			struct gemd_tx *t = &k->tx[j];
			unsigned int h;

			if (!t->used || t->ifindex != k->ifindex[d])
				continue;
			for (h = stream_hash(&t->source, &t->group); idx[h % DUMP_INDEX] >= 0; h++) {
				const struct dumped *e = &s[idx[h % DUMP_INDEX]];

				if (!same_stream(&e->src, &e->grp, &t->source, &t->group))
					continue;
				if (e->key_id == t->key_id) {
					t->packets = e->packets;
					/* Its packet numbers began at the time of day: counted, not read. */
					if (!t->pending && t->packets >= k->rotate_packets)
						tx_rotate_begin(k, t, now_ms);
				}
				break;
			}
		}
	}
out:
	free(idx);
	free(s);
}

#define FLOOR_INDEX	(2 * GEMD_RX_MAX)	/* a power of two, at most half full */

/*
 * What gem.ko took with each receive key, read every second: if the
 * module is reloaded, a key installed again starts its window there, so
 * what it took before is not taken again (a replay of at most the last
 * second before the reload could be). The highest a device reports wins.
 */
static void poll_floors(struct gemd_keys *k)
{
	struct dumped *s;
	int32_t *idx;
	unsigned int d, j;
	int n, i;

	for (i = 0; i < GEMD_RX_MAX && !k->rx[i].used; i++)
		;
	if (i == GEMD_RX_MAX)
		return;
	s = calloc(GEMD_RX_MAX, sizeof(*s));
	idx = malloc(FLOOR_INDEX * sizeof(*idx));
	if (!s || !idx)
		goto out;
	for (d = 0; d < k->n_devices; d++) {
		if (!k->ifindex[d])
			continue;
		n = dump(k, k->ifindex[d], false, s, GEMD_RX_MAX);
		memset(idx, 0xff, FLOOR_INDEX * sizeof(*idx));
		for (i = 0; i < n; i++) {
			for (j = stream_hash(&s[i].src, &s[i].grp) + s[i].key_id;
			     idx[j % FLOOR_INDEX] >= 0; j++)
				;
			idx[j % FLOOR_INDEX] = i;
		}
		for (j = 0; j < GEMD_RX_MAX && n > 0; j++) {
			struct gemd_rx *r = &k->rx[j];
			unsigned int h;

			if (!r->used)
				continue;
			for (h = stream_hash(&r->source, &r->group) + r->key_id;
			     idx[h % FLOOR_INDEX] >= 0; h++) {
				const struct dumped *e = &s[idx[h % FLOOR_INDEX]];

				if (e->key_id != r->key_id ||
				    !same_stream(&e->src, &e->grp, &r->source, &r->group))
					continue;
				if (e->pn > r->floor)
					r->floor = e->pn;
				break;
			}
		}
	}
out:
	free(idx);
	free(s);
}

unsigned int gemd_keys_tick(struct gemd_keys *k, uint64_t now_ms)
{
	unsigned int i, fresh = 0;
	bool first = !k->next_poll_ms;

	if (now_ms >= k->next_poll_ms) {
		k->next_poll_ms = now_ms + 1000;
		fresh = check_devices(k);
		/* On start, what gem.ko holds is adopted; later, a fresh device holds nothing. */
		if (first)
			adopt_all(k, fresh, now_ms);
		if (fresh)
			norm_rules(k, now_ms);
		poll_packets(k, now_ms);
		poll_floors(k);
	}
	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *t = &k->tx[i];

		if (!t->used)
			continue;
		if (t->pending && now_ms >= t->switch_ms)
			tx_switch(k, t, now_ms);
		else if (!t->pending && now_ms >= t->rotate_ms)
			tx_rotate_begin(k, t, now_ms);
	}
	for (i = 0; i < GEMD_RX_MAX; i++)
		if (k->rx[i].used && k->rx[i].retire_ms && now_ms >= k->rx[i].retire_ms)
			rx_retire(k, &k->rx[i]);
	return fresh;
}
