// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's local API: status, neighbours, routes, streams and items, as
 * JSON or text; and events, as they happen.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "events.h"
#include "gemd_api.h"
#include "lib/json.h"
#include "lib/log.h"

int gemd_api_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char dir[sizeof(sa.sun_path)], *slash;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket %s: path too long", path);
		return -1;
	}
	strcpy(sa.sun_path, path);
	strcpy(dir, path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) && errno != EEXIST) {
			snprintf(err, errlen, "socket %s: %s: %s", path, dir, strerror(errno));
			return -1;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket %s: %s", path, strerror(errno));
		return -1;
	}
	unlink(path);
	/* Root only: the socket is made private before anyone can connect. */
	if (fchmod(fd, 0600) || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    chmod(path, 0600) || listen(fd, 8)) {
		snprintf(err, errlen, "socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

void gemd_api_close(int fd, const char *path)
{
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
}

static void hex_id(const uint8_t *id, char *out)
{
	snprintf(out, 20, "%02x%02x:%02x%02x:%02x%02x:%02x%02x", id[0], id[1], id[2], id[3],
		 id[4], id[5], id[6], id[7]);
}

static unsigned int n_neighbours(const struct babel *b)
{
	unsigned int i, n = 0;

	for (i = 0; i < BABEL_PEERS_MAX; i++)
		n += b->peers[i].used;
	return n;
}

static unsigned int n_up(const struct babel *b)
{
	unsigned int i, n = 0;

	for (i = 0; i < b->n_ifaces; i++)
		n += b->ifaces[i].up;
	return n;
}

static unsigned int n_routes(const struct babel *b)
{
	unsigned int i, n = 0;

	for (i = 0; i < BABEL_ROUTES_MAX; i++)
		n += b->table->routes[i].used && b->table->routes[i].selected;
	return n;
}

static void status_text(FILE *f, const struct babel *b, const struct gemd_items *it,
			const char *id)
{
	fprintf(f, "router-id %s\ninterfaces %u (up %u) neighbours %u routes %u\n"
		"babel packets: rx %llu dropped %llu tx %llu (errors %llu);"
		" requests refused %llu, full dumps %llu\n"
		"babel MACs: bad %llu, replayed %llu, awaiting a challenge %llu\n"
		"items %u; stream keys made %llu, rotated %llu, installed %llu, retired %llu\n"
		"items refused: bad MAC %llu, bad signature %llu, unknown origin %llu, stale %llu,"
		" dead or future %llu, full %llu; evicted %llu; ours outbid %llu\n"
		"stream keys refused: claimed by another origin %llu, foreign source %llu,"
		" over max-new-streams %llu\n",
		id, b->n_ifaces, n_up(b), n_neighbours(b), n_routes(b),
		(unsigned long long)b->rx_packets, (unsigned long long)b->rx_dropped,
		(unsigned long long)b->tx_packets, (unsigned long long)b->tx_errors,
		(unsigned long long)b->requests_refused,
		(unsigned long long)b->full_dumps, (unsigned long long)b->rx_bad_mac,
		(unsigned long long)b->rx_replayed, (unsigned long long)b->rx_challenged,
		it->state.count,
		(unsigned long long)it->keys.made, (unsigned long long)it->keys.rotated,
		(unsigned long long)it->keys.installed, (unsigned long long)it->keys.retired,
		(unsigned long long)it->refused_mac,
		(unsigned long long)it->refused_signature,
		(unsigned long long)it->unknown_origin, (unsigned long long)it->stale,
		(unsigned long long)it->refused_time,
		(unsigned long long)it->state.refused_full,
		(unsigned long long)it->state.evicted, (unsigned long long)it->reclaimed,
		(unsigned long long)it->refused_conflict,
		(unsigned long long)it->keys.refused_foreign,
		(unsigned long long)it->keys.refused_rate);
}

/* The same counters as status_text, each a member of one JSON object. */
static void status_json(FILE *f, const struct babel *b, const struct gemd_items *it,
			const char *id)
{
	const struct {
		const char *key;
		uint64_t value;
	} n[] = {
		{ "interfaces", b->n_ifaces },
		{ "interfaces_up", n_up(b) },
		{ "neighbours", n_neighbours(b) },
		{ "routes", n_routes(b) },
		{ "rx_packets", b->rx_packets },
		{ "rx_dropped", b->rx_dropped },
		{ "tx_packets", b->tx_packets },
		{ "tx_errors", b->tx_errors },
		{ "requests_refused", b->requests_refused },
		{ "full_dumps", b->full_dumps },
		{ "rx_bad_mac", b->rx_bad_mac },
		{ "rx_replayed", b->rx_replayed },
		{ "rx_challenged", b->rx_challenged },
		{ "items", it->state.count },
		{ "keys_made", it->keys.made },
		{ "keys_rotated", it->keys.rotated },
		{ "keys_installed", it->keys.installed },
		{ "keys_retired", it->keys.retired },
		{ "keys_adopted", it->keys.adopted_tx + it->keys.adopted_rx },
		{ "refused_mac", it->refused_mac },
		{ "refused_signature", it->refused_signature },
		{ "unknown_origin", it->unknown_origin },
		{ "stale", it->stale },
		{ "refused_conflict", it->refused_conflict },
		{ "refused_time", it->refused_time },
		{ "refused_full", it->state.refused_full },
		{ "evicted", it->state.evicted },
		{ "reclaimed", it->reclaimed },
		{ "refused_foreign", it->keys.refused_foreign },
		{ "refused_rate", it->keys.refused_rate },
	};
	struct json j;
	size_t i;

	json_init(&j, f);
	json_object_begin(&j);
	json_key(&j, "router_id");
	json_string(&j, id);
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		json_key(&j, n[i].key);
		json_u64(&j, n[i].value);
	}
	json_object_end(&j);
	json_finish(&j);
}

static void status(FILE *f, const struct babel *b, const struct gemd_items *it, bool json)
{
	char id[20];

	hex_id(b->router_id, id);
	if (json)
		status_json(f, b, it, id);
	else
		status_text(f, b, it, id);
}

static void neighbours(FILE *f, const struct babel *b, bool json)
{
	char a[INET6_ADDRSTRLEN];
	struct json j;
	unsigned int i;

	json_init(&j, f);
	if (json)
		json_array_begin(&j);
	for (i = 0; i < BABEL_PEERS_MAX; i++) {
		const struct babel_peer *p = &b->peers[i];

		if (!p->used)
			continue;
		inet_ntop(AF_INET6, p->addr, a, sizeof(a));
		if (!json) {
			fprintf(f, "%s dev %s rxcost %u txcost %u cost %u\n", a,
				b->ifaces[p->iface].name, babel_neigh_rxcost(&p->n), p->n.txcost,
				babel_neigh_cost(&p->n));
			continue;
		}
		json_object_begin(&j);
		json_key(&j, "address");
		json_string(&j, a);
		json_key(&j, "dev");
		json_string(&j, b->ifaces[p->iface].name);
		json_key(&j, "rxcost");
		json_u64(&j, babel_neigh_rxcost(&p->n));
		json_key(&j, "txcost");
		json_u64(&j, p->n.txcost);
		json_key(&j, "cost");
		json_u64(&j, babel_neigh_cost(&p->n));
		json_object_end(&j);
	}
	if (json) {
		json_array_end(&j);
		json_finish(&j);
	}
}

static void routes(FILE *f, const struct babel *b, bool json)
{
	char pfx[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN], id[20];
	struct json j;
	unsigned int i;

	json_init(&j, f);
	if (json)
		json_array_begin(&j);
	for (i = 0; i < BABEL_ROUTES_MAX; i++) {
		const struct babel_route *r = &b->table->routes[i];
		uint16_t metric = babel_metric_add(r->metric, r->cost);

		if (!r->used)
			continue;
		inet_ntop(r->prefix.v4 ? AF_INET : AF_INET6, r->prefix.addr, pfx, sizeof(pfx));
		inet_ntop(AF_INET6, r->next_hop, nh, sizeof(nh));
		hex_id(r->router_id, id);
		if (!json) {
			fprintf(f, "%s/%u from %s via %s metric %u seqno %u%s\n", pfx, r->prefix.plen,
				id, nh, metric, r->seqno, r->selected ? " selected" : "");
			continue;
		}
		json_object_begin(&j);
		json_key(&j, "prefix");
		json_string(&j, pfx);
		json_key(&j, "prefixlen");
		json_u64(&j, r->prefix.plen);
		json_key(&j, "router_id");
		json_string(&j, id);
		json_key(&j, "next_hop");
		json_string(&j, nh);
		json_key(&j, "metric");
		json_u64(&j, metric);
		json_key(&j, "seqno");
		json_u64(&j, r->seqno);
		json_key(&j, "selected");
		json_bool(&j, r->selected);
		json_object_end(&j);
	}
	if (json) {
		json_array_end(&j);
		json_finish(&j);
	}
}

static const char *ip_str(const struct gem_ip *a, char *buf)
{
	return inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->addr, buf, INET6_ADDRSTRLEN);
}

static unsigned long long ms_until(uint64_t when, uint64_t now_ms)
{
	return when > now_ms ? when - now_ms : 0;
}

/* A local stream: the id sent with, the next while a rotation is pending, packets sent. */
static void stream_tx(FILE *f, struct json *j, const struct gemd_tx *t, uint64_t now_ms,
		      bool json)
{
	char s[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];

	ip_str(&t->source, s);
	ip_str(&t->group, g);
	if (!json) {
		fprintf(f, "tx %s %s id %u", s, g, t->key_id);
		if (t->pending)
			fprintf(f, " next %u in %llu ms", t->next_id, ms_until(t->switch_ms, now_ms));
		fprintf(f, " packets %llu rotations %llu\n", (unsigned long long)t->packets,
			(unsigned long long)t->rotations);
		return;
	}
	json_object_begin(j);
	json_key(j, "dir");
	json_string(j, "tx");
	json_key(j, "source");
	json_string(j, s);
	json_key(j, "group");
	json_string(j, g);
	json_key(j, "key_id");
	json_u64(j, t->key_id);
	if (t->pending) {
		json_key(j, "next_key_id");
		json_u64(j, t->next_id);
	}
	json_key(j, "packets");
	json_u64(j, t->packets);
	json_key(j, "rotations");
	json_u64(j, t->rotations);
	json_object_end(j);
}

/* A receive key id, with the time left before a retired one goes. */
static void stream_rx(FILE *f, struct json *j, const struct gemd_rx *r, uint64_t now_ms,
		      bool json)
{
	char s[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];

	ip_str(&r->source, s);
	ip_str(&r->group, g);
	if (!json) {
		fprintf(f, "rx %s %s id %u%s", s, g, r->key_id, r->known ? "" : " adopted");
		if (r->retire_ms)
			fprintf(f, " retiring in %llu ms", ms_until(r->retire_ms, now_ms));
		fputc('\n', f);
		return;
	}
	json_object_begin(j);
	json_key(j, "dir");
	json_string(j, "rx");
	json_key(j, "source");
	json_string(j, s);
	json_key(j, "group");
	json_string(j, g);
	json_key(j, "key_id");
	json_u64(j, r->key_id);
	json_key(j, "adopted");
	json_bool(j, !r->known);
	json_key(j, "retiring");
	json_bool(j, r->retire_ms != 0);
	json_object_end(j);
}

/* The streams gemd keys, local then received. Key ids only: never a key. */
static void streams(FILE *f, const struct gemd_items *it, uint64_t now_ms, bool json)
{
	const struct gemd_keys *k = &it->keys;
	struct json j;
	unsigned int i;

	json_init(&j, f);
	if (json)
		json_array_begin(&j);
	for (i = 0; i < GEMD_TX_MAX; i++)
		if (k->tx[i].used)
			stream_tx(f, &j, &k->tx[i], now_ms, json);
	for (i = 0; i < GEMD_RX_MAX; i++)
		if (k->rx[i].used)
			stream_rx(f, &j, &k->rx[i], now_ms, json);
	if (json) {
		json_array_end(&j);
		json_finish(&j);
	}
}

static const char *const kind_names[] = {
	[GEM_ITEM_PUBLIC_KEY] = "public-key",
	[GEM_ITEM_SOURCE_ACTIVE] = "source-active",
	[GEM_ITEM_SUBSCRIPTION] = "subscription",
	[GEM_ITEM_SEK_ANNOUNCE] = "sek-announce",
};

struct items_ctx {
	FILE *f;
	struct json *j;
	bool json;
	uint64_t now_ms;
};

/* One item held: its kind, origin, subject, version and time left; never a key. */
static int item_line(const struct gem_state_entry *e, void *arg)
{
	struct items_ctx *c = arg;
	const struct gem_item *it = &e->item;
	char id[20], a[INET6_ADDRSTRLEN] = "", g[INET6_ADDRSTRLEN] = "";
	unsigned int plen = 0, i;
	uint64_t left = e->expires_ms > c->now_ms ? (e->expires_ms - c->now_ms) / 1000 : 0;

	hex_id(it->origin, id);
	if (it->kind == GEM_ITEM_SOURCE_ACTIVE) {
		ip_str(&it->u.sa.source, a);
		ip_str(&it->u.sa.group, g);
	} else if (it->kind == GEM_ITEM_SEK_ANNOUNCE) {
		ip_str(&it->u.sek.source, a);
		ip_str(&it->u.sek.group, g);
	} else if (it->kind == GEM_ITEM_SUBSCRIPTION) {
		ip_str(&it->u.sub.group, g);
		plen = it->u.sub.plen;
	}
	if (!c->json) {
		fprintf(c->f, "%s from %s", kind_names[it->kind], id);
		if (a[0])
			fprintf(c->f, " %s -> %s", a, g);
		else if (g[0])
			fprintf(c->f, " %s/%u", g, plen);
		/* The next key first while a rotation is pending, then the one in use. */
		for (i = 0; it->kind == GEM_ITEM_SEK_ANNOUNCE && i < it->u.sek.n_keys; i++)
			fprintf(c->f, i ? ",%u" : " key %u", it->u.sek.keys[i].key_id);
		fprintf(c->f, " seqno %llu expires %llu s\n", (unsigned long long)it->seqno,
			(unsigned long long)left);
		return 0;
	}
	json_object_begin(c->j);
	json_key(c->j, "kind");
	json_string(c->j, kind_names[it->kind]);
	json_key(c->j, "origin");
	json_string(c->j, id);
	if (a[0]) {
		json_key(c->j, "source");
		json_string(c->j, a);
	}
	if (g[0]) {
		json_key(c->j, "group");
		json_string(c->j, g);
	}
	if (it->kind == GEM_ITEM_SUBSCRIPTION) {
		json_key(c->j, "prefixlen");
		json_u64(c->j, plen);
	}
	if (it->kind == GEM_ITEM_SEK_ANNOUNCE) {
		json_key(c->j, "key_id");
		json_u64(c->j, it->u.sek.keys[0].key_id);
		json_key(c->j, "key_ids");
		json_array_begin(c->j);
		for (i = 0; i < it->u.sek.n_keys; i++)
			json_u64(c->j, it->u.sek.keys[i].key_id);
		json_array_end(c->j);
	}
	json_key(c->j, "seqno");
	json_u64(c->j, it->seqno);
	json_key(c->j, "expires");
	json_u64(c->j, left);
	json_object_end(c->j);
	return 0;
}

static void items(FILE *f, const struct gemd_items *it, uint64_t now_ms, bool json)
{
	struct json j;
	struct items_ctx c = { .f = f, .j = &j, .json = json, .now_ms = now_ms };

	json_init(&j, f);
	if (json)
		json_array_begin(&j);
	gem_state_each(&it->state, item_line, &c);
	if (json) {
		json_array_end(&j);
		json_finish(&j);
	}
}

/*
 * Every local stream (of one group prefix) gets a new key now, announced
 * alone: after a stream key may have leaked, or with a new GAK.
 */
static void rotate(FILE *f, struct gemd_items *it, const char *arg, uint64_t now_ms, bool json)
{
	struct gem_addr prefix;
	unsigned int n;

	if (arg[0] && (gem_parse_addr(arg, &prefix) || gemd_keys_group_of_prefix(&it->keys,
										 &prefix) < 0)) {
		fprintf(f, "error: rotate: not a configured group prefix: %s\n", arg);
		return;
	}
	n = gemd_items_rekey(it, arg[0] ? &prefix : NULL, now_ms);
	gem_log(GEM_LOG_INFO, "rotate%s%s: %u streams get new keys", arg[0] ? " " : "", arg, n);
	if (json)
		fprintf(f, "{\"rotated\":%u}\n", n);
	else
		fprintf(f, "%u streams get new keys\n", n);
}

void gemd_api_serve(int fd, const struct babel *b, struct gemd_items *it, uint64_t now_ms)
{
	struct timeval tv = { .tv_sec = 1 };
	char req[160] = "", what[32] = "", fmt[8] = "", arg[64] = "";
	ssize_t n;
	FILE *f;
	int c;

	c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	/* A client that says nothing does not hold gemd up. */
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = read(c, req, sizeof(req) - 1);
	if (n > 0) {
		req[n] = '\0';
		if (sscanf(req, "%31s %7s %63s", what, fmt, arg) < 1)
			what[0] = '\0';
		/* The connection stays open: events follow as they happen. */
		if (!strcmp(what, "events")) {
			gemd_events_subscribe(c, !strcmp(fmt, "json"));
			return;
		}
	}
	f = n > 0 ? fdopen(c, "w") : NULL;
	if (!f) {
		close(c);
		return;
	}
	if (!strcmp(what, "status"))
		status(f, b, it, !strcmp(fmt, "json"));
	else if (!strcmp(what, "neighbours"))
		neighbours(f, b, !strcmp(fmt, "json"));
	else if (!strcmp(what, "routes"))
		routes(f, b, !strcmp(fmt, "json"));
	else if (!strcmp(what, "streams"))
		streams(f, it, now_ms, !strcmp(fmt, "json"));
	else if (!strcmp(what, "items"))
		items(f, it, now_ms, !strcmp(fmt, "json"));
	else if (!strcmp(what, "rotate"))
		rotate(f, it, arg, now_ms, !strcmp(fmt, "json"));
	else
		fprintf(f, "error: unknown request \"%s\"\n", what);
	fclose(f);
}
