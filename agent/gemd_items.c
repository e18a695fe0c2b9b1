// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's items: made, checked, kept, acted on.
 *
 * A local stream's first packet without a key makes gem.ko ask
 * (tx-key-missing); gemd makes a random key, installs it for sending and
 * announces it, sealed for the group. Every node that holds the group's
 * GAK and hears the announcement installs the key for receiving; every
 * other node keeps and relays it, unable to read it.
 */
#include <string.h>
#include <time.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "../babel-plugin/gem_frag.h"
#include "announce.h"
#include "gemd_items.h"
#include "log.h"

/* The configured group prefix holding group, or -1. */
static int group_of(const struct gemd_items *it, const struct gem_ip *group)
{
	unsigned int i;
	int b;

	for (i = 0; i < it->n_groups; i++) {
		const struct gem_addr *p = &it->prefixes[i];

		if (p->len != group->len)
			continue;
		for (b = 0; b < p->prefixlen; b++)
			if ((p->bytes[b / 8] ^ group->addr[b / 8]) & (0x80 >> (b % 8)))
				break;
		if (b == p->prefixlen)
			return (int)i;
	}
	return -1;
}

/* A stream key into gem.ko, for sending (tx) or receiving. */
static int install_key(struct gemd_items *it, unsigned int ifindex, bool tx,
		       const struct gem_ip *source, const struct gem_ip *group, uint8_t key_id,
		       const uint8_t *sek)
{
	struct nl_msg *msg;
	int ret;

	if (!it->have_nl)
		return -1;
	msg = gem_nl_msg(&it->nl, tx ? GEM_CMD_TX_SET : GEM_CMD_RX_SET, 0);
	if (!msg)
		return -1;
	if (nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex) ||
	    nla_put(msg, GEM_A_CONF_SOURCE, source->len, source->addr) ||
	    nla_put(msg, GEM_A_CONF_GROUP, group->len, group->addr) ||
	    nla_put_u8(msg, GEM_A_CONF_KEY_ID, key_id) ||
	    nla_put(msg, GEM_A_CONF_KEY, GEM_SEK_BYTES, sek)) {
		nlmsg_free(msg);
		return -1;
	}
	/* gem_nl_send wipes the request, key included. */
	ret = gem_nl_request(&it->nl, msg);
	if (ret)
		gem_log(GEM_LOG_WARNING, "%s key: %s", tx ? "transmit" : "receive", it->nl.errmsg);
	return ret;
}

static void originate_pubkey(struct gemd_items *it, uint64_t now_ms)
{
	uint8_t buf[GEM_ITEM_MAX_LEN];
	struct gem_item item;
	int len;

	memset(&item, 0, sizeof(item));
	item.kind = GEM_ITEM_PUBLIC_KEY;
	item.seqno = ++it->seqno;
	item.lifetime = it->lifetime;
	memcpy(item.u.pubkey.key, it->id->pk, GEM_PUBKEY_LEN);
	len = gem_announce_seal(it->id, NULL, &item, buf, sizeof(buf));
	if (len > 0)
		gem_state_offer(&it->state, buf, (size_t)len, now_ms);
}

int gemd_items_init(struct gemd_items *it, const struct gemd_conf *c,
		    const struct gem_identity *id, uint64_t now_ms, char *err, size_t errlen)
{
	unsigned int i;

	memset(it, 0, sizeof(*it));
	it->id = id;
	for (i = 0; i < c->n_groups; i++) {
		if (gem_gak_load(c->groups[i].gak, &it->gaks[i], err, errlen))
			return -1;
		it->prefixes[i] = c->groups[i].prefix;
	}
	it->n_groups = c->n_groups;
	if (gem_state_init(&it->state, c->max_items, c->max_items_per_origin)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Wall-clock seconds: a restarted node's items are newer than before. */
	it->seqno = (uint32_t)time(NULL);
	it->lifetime = (uint16_t)c->item_lifetime_s;
	originate_pubkey(it, now_ms);

	it->have_nl = !gem_nl_open(&it->nl);
	if (!it->have_nl) {
		gem_log(GEM_LOG_WARNING, "gem.ko: %s; keys are relayed, not installed", it->nl.errmsg);
		return 0;
	}
	for (i = 0; i < c->n_devices; i++) {
		unsigned int ifindex = gem_nl_dev_ifindex(&it->nl, c->devices[i].name);

		if (ifindex)
			it->ifindex[it->n_devices++] = ifindex;
	}
	it->have_events = !gem_nl_open(&it->events) && !gem_nl_subscribe(&it->events);
	if (it->have_events)
		nl_socket_set_nonblocking(it->events.sk);
	else
		gem_log(GEM_LOG_WARNING, "gem.ko events: %s", it->events.errmsg);
	return 0;
}

void gemd_items_destroy(struct gemd_items *it)
{
	unsigned int i;

	for (i = 0; i < it->n_groups; i++)
		gem_gak_wipe(&it->gaks[i]);
	if (it->have_nl)
		gem_nl_close(&it->nl);
	if (it->have_events)
		gem_nl_close(&it->events);
	sodium_memzero(it->tx, sizeof(it->tx));
	gem_state_destroy(&it->state);
}

int gemd_items_event_fd(const struct gemd_items *it)
{
	return it->have_events ? nl_socket_get_fd(it->events.sk) : -1;
}

/* A local stream needs a key: make one, install it, announce it. */
static bool local_source(struct gemd_items *it, unsigned int ifindex, const struct gem_ip *src,
			 const struct gem_ip *grp, uint64_t now_ms)
{
	uint8_t sek[GEM_SEK_BYTES], buf[GEM_ITEM_MAX_LEN];
	struct gemd_tx *tx = NULL;
	unsigned int i;
	int gi, len;

	gi = group_of(it, grp);
	if (gi < 0)
		return false;
	for (i = 0; i < GEMD_TX_MAX; i++) {
		if (it->tx[i].used && !memcmp(&it->tx[i].source, src, sizeof(*src)) &&
		    !memcmp(&it->tx[i].group, grp, sizeof(*grp)))
			return false;	/* made already: the event raced the install */
		if (!it->tx[i].used && !tx)
			tx = &it->tx[i];
	}
	if (!tx)
		return false;
	randombytes_buf(sek, sizeof(sek));
	if (install_key(it, ifindex, true, src, grp, 1, sek)) {
		sodium_memzero(sek, sizeof(sek));
		return false;
	}
	len = gem_announce_sek(it->id, &it->gaks[gi], src, grp, 1, sek, ++it->seqno, it->lifetime,
			       buf, sizeof(buf));
	if (len < 0) {
		sodium_memzero(sek, sizeof(sek));
		return false;
	}
	tx->used = true;
	tx->source = *src;
	tx->group = *grp;
	tx->key_id = 1;
	tx->group_index = gi;
	memcpy(tx->sek, sek, sizeof(sek));
	sodium_memzero(sek, sizeof(sek));
	tx->renew_ms = now_ms + (uint64_t)it->lifetime * 500;
	it->tx_keys++;
	gem_state_offer(&it->state, buf, (size_t)len, now_ms);
	gem_log(GEM_LOG_INFO, "made and announced a stream key for a local source");
	return true;
}

struct event_ctx {
	struct gemd_items *it;
	uint64_t now_ms;
	bool changed;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[GEM_A_CONF_MAX + 1];
	struct event_ctx *e = arg;
	struct gem_ip src = { 0 }, grp = { 0 };

	if (gh->cmd != GEM_CMD_TX_KEY_MISSING_NTF ||
	    genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_CONF_MAX, NULL) ||
	    !tb[GEM_A_CONF_IFINDEX] || !tb[GEM_A_CONF_SOURCE] || !tb[GEM_A_CONF_GROUP] ||
	    nla_len(tb[GEM_A_CONF_SOURCE]) != nla_len(tb[GEM_A_CONF_GROUP]) ||
	    (nla_len(tb[GEM_A_CONF_SOURCE]) != 4 && nla_len(tb[GEM_A_CONF_SOURCE]) != 16))
		return NL_OK;
	src.len = grp.len = (uint8_t)nla_len(tb[GEM_A_CONF_SOURCE]);
	memcpy(src.addr, nla_data(tb[GEM_A_CONF_SOURCE]), src.len);
	memcpy(grp.addr, nla_data(tb[GEM_A_CONF_GROUP]), grp.len);
	e->changed |= local_source(e->it, nla_get_u32(tb[GEM_A_CONF_IFINDEX]), &src, &grp,
				   e->now_ms);
	return NL_OK;
}

bool gemd_items_events(struct gemd_items *it, uint64_t now_ms)
{
	struct event_ctx e = { .it = it, .now_ms = now_ms };
	int i;

	/* Non-blocking: read what is there, then stop. */
	for (i = 0; i < 64 && !gem_nl_recv(&it->events, event_cb, &e); i++)
		;
	return e.changed;
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

/*
 * Installs an announced key for receiving, unless it is already: a
 * renewed announcement of the same key must not reinstall it, which would
 * reset its replay window.
 */
static void install_rx(struct gemd_items *it, const struct gem_item *item, const uint8_t *sek)
{
	struct gemd_rx *slot = NULL;
	uint8_t fp[16];
	unsigned int i, d;

	crypto_generichash(fp, sizeof(fp), sek, GEM_SEK_BYTES, NULL, 0);
	for (i = 0; i < GEMD_RX_MAX; i++) {
		struct gemd_rx *r = &it->rx[i];

		if (!r->used) {
			if (!slot)
				slot = r;
			continue;
		}
		if (r->key_id == item->u.sek.key_id &&
		    !memcmp(&r->source, &item->u.sek.source, sizeof(r->source)) &&
		    !memcmp(&r->group, &item->u.sek.group, sizeof(r->group))) {
			if (!memcmp(r->fingerprint, fp, sizeof(fp)))
				return;		/* installed already */
			slot = r;		/* a new key under an old id: replace it */
			break;
		}
	}
	for (d = 0; d < it->n_devices; d++)
		if (!install_key(it, it->ifindex[d], false, &item->u.sek.source, &item->u.sek.group,
				 item->u.sek.key_id, sek))
			it->rx_keys++;
	gem_log(GEM_LOG_INFO, "installed a receive key (key id %u)", item->u.sek.key_id);
	if (slot) {
		slot->used = true;
		slot->source = item->u.sek.source;
		slot->group = item->u.sek.group;
		slot->key_id = item->u.sek.key_id;
		memcpy(slot->fingerprint, fp, sizeof(fp));
	}
}

bool gemd_items_heard(struct gemd_items *it, const uint8_t *enc, size_t len, uint64_t now_ms)
{
	struct gem_item item;
	const uint8_t *pk;
	const struct gem_gak *g = NULL;
	const char *why;
	enum gem_state_verdict v;
	int gi = -1;

	if (gem_item_decode(enc, len, &item, &why) ||
	    !memcmp(item.origin, it->id->router_id, GEM_ROUTER_ID_LEN))
		return false;
	pk = item.kind == GEM_ITEM_PUBLIC_KEY ? item.u.pubkey.key : origin_key(it, item.origin);
	if (!pk) {
		it->unknown_origin++;
		return false;
	}
	if (item.kind == GEM_ITEM_SEK_ANNOUNCE || item.kind == GEM_ITEM_SOURCE_ACTIVE)
		gi = group_of(it, item.kind == GEM_ITEM_SEK_ANNOUNCE ? &item.u.sek.group :
						 &item.u.sa.group);
	if (gi >= 0)
		g = &it->gaks[gi];
	if (gem_announce_check(enc, len, pk, g, &item, &why)) {
		if (!strcmp(why, "bad group MAC"))
			it->refused_mac++;
		else
			it->refused_signature++;
		gem_log(GEM_LOG_INFO, "item refused: %s", why);
		return false;
	}
	v = gem_state_offer(&it->state, enc, len, now_ms);
	if (v == GEM_STATE_OLDER)
		it->stale++;	/* a replay, or a relay that is behind */
	if (v != GEM_STATE_NEW && v != GEM_STATE_NEWER)
		return false;
	if (item.kind == GEM_ITEM_SEK_ANNOUNCE && g) {
		uint8_t sek[GEM_SEK_BYTES];

		if (!gem_announce_open_sek(enc, len, pk, g, &item, sek, &why))
			install_rx(it, &item, sek);
		sodium_memzero(sek, sizeof(sek));
	}
	return true;
}

struct each_ctx {
	void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg);
	void *arg;
};

static int each_cb(const struct gem_state_entry *e, void *arg)
{
	struct each_ctx *c = arg;

	c->fn(e->enc, e->enclen, gem_frag_tag(e->key, e->keylen), c->arg);
	return 0;
}

void gemd_items_each(struct gemd_items *it,
		     void (*fn)(const uint8_t *enc, size_t len, uint32_t tag, void *arg), void *arg)
{
	struct each_ctx c = { .fn = fn, .arg = arg };

	gem_state_each(&it->state, each_cb, &c);
}

bool gemd_items_expire(struct gemd_items *it, uint64_t now_ms)
{
	uint8_t key[1 + GEM_ROUTER_ID_LEN], buf[GEM_ITEM_MAX_LEN];
	const struct gem_state_entry *own;
	bool renewed = false;
	unsigned int i;
	int len;

	gem_state_expire(&it->state, now_ms, NULL, NULL);
	/* Our own items are renewed at half their lifetime, so none lapses. */
	key[0] = GEM_ITEM_PUBLIC_KEY;
	memcpy(key + 1, it->id->router_id, GEM_ROUTER_ID_LEN);
	own = gem_state_find(&it->state, key, sizeof(key));
	if (!own || own->expires_ms - now_ms < (uint64_t)it->lifetime * 500) {
		originate_pubkey(it, now_ms);
		renewed = true;
	}
	for (i = 0; i < GEMD_TX_MAX; i++) {
		struct gemd_tx *tx = &it->tx[i];

		if (!tx->used || now_ms < tx->renew_ms)
			continue;
		len = gem_announce_sek(it->id, &it->gaks[tx->group_index], &tx->source, &tx->group,
				       tx->key_id, tx->sek, ++it->seqno, it->lifetime, buf,
				       sizeof(buf));
		tx->renew_ms = now_ms + (uint64_t)it->lifetime * 500;
		if (len > 0 && gem_state_offer(&it->state, buf, (size_t)len, now_ms) ==
			       GEM_STATE_NEWER) {
			gem_log(GEM_LOG_INFO, "renewed a stream key's announcement");
			renewed = true;
		}
	}
	return renewed;
}
