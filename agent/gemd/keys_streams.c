// SPDX-License-Identifier: GPL-2.0
/*
 * Streams gem.ko reports (a local stream with no key) and its normalizer
 * (a rule naming one group, a stream it began): keyed if they go out of
 * one of gemd's devices into a configured group, from an address of this
 * node, within the source's rate.
 */
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <string.h>

#include "keys_internal.h"
#include "lib/log.h"

struct seen_ctx {
	struct gemd_keys *k;
	uint64_t now_ms;
};

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

	if (!ours(k, ifindex) || gemd_keys_group_of(k, grp) < 0 ||
	    keys_tx_find(k, ifindex, src, grp, true))
		return;
	inet_ntop(src->len == 4 ? AF_INET : AF_INET6, src->addr, a, sizeof(a));
	if (!gemd_keys_is_local(src)) {
		k->refused_foreign++;
		gem_log(GEM_LOG_WARNING, "not keying a stream from %s: not an address of this node", a);
		keys_stream_event("key-refused-foreign-source", src, grp, 0);
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
 * A normalizer rule that names a single group (a whole-length prefix)
 * gives its stream's source and group in advance, so the stream is keyed
 * before its first packet; a stream the normalizer begins is keyed when
 * it says so. The new source is the node's (gem.ko checks it); each new
 * group counts.
 */
static void heard(void *arg, const struct kernel_event *e)
{
	const struct seen_ctx *c = arg;

	if (e->kind == KERNEL_NORM_RULE && e->prefixlen != e->grp.len * 8)
		return;
	stream_seen(c->k, e->ifindex, &e->src, &e->grp, c->now_ms);
}

void keys_norm_rules(struct gemd_keys *k, uint64_t now_ms)
{
	struct seen_ctx c = { .k = k, .now_ms = now_ms };

	if (k->kn)
		kernel_norm_rules(k->kn, heard, &c);
}

int gemd_keys_event_fd(const struct gemd_keys *k)
{
	return k->kn ? kernel_event_fd(k->kn) : -1;
}

void gemd_keys_events(struct gemd_keys *k, uint64_t now_ms)
{
	struct seen_ctx c = { .k = k, .now_ms = now_ms };

	if (k->kn)
		kernel_events(k->kn, heard, &c);
}
