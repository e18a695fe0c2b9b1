// SPDX-License-Identifier: GPL-2.0
/*
 * GEM: the streams the normalizer is re-sourcing.
 *
 * The agent announces a normalized stream to the network as Source
 * Active, so it must learn when one begins and when it ends. The first
 * packet of a (source, group) from an in device creates an entry and an
 * event; a stream without packets for its rule's idle time ends with
 * another, as do the streams of a rule that is replaced or deleted.
 *
 * Entries are looked up under RCU. Creating one is the only allocation
 * on the packet path, once a stream, and the table is capped so spoofed
 * sources cannot grow it without bound: past the cap streams are still
 * normalized, only not reported.
 */

#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "device.h"
#include "netlink.h"
#include "normalizer.h"

static struct hlist_head *gem_norm_bucket(struct gem_norm *n, int in_ifindex,
					  const struct gem_stream_id *id)
{
	u32 h = jhash(id, sizeof(*id), n->seed ^ in_ifindex);

	return &n->streams[hash_32(h, GEM_NORM_STREAM_HASH_BITS)];
}

static struct gem_norm_stream *gem_norm_stream_new(struct gem_norm *n,
						   const struct gem_norm_rule *r,
						   const struct gem_stream_id *id,
						   struct hlist_head *head)
{
	struct gem_norm_stream *s;

	/* _bh: some receive paths run this in process context. */
	spin_lock_bh(&n->lock);
	/* Another CPU may have created it since the lookup. */
	hlist_for_each_entry(s, head, node)
		if (s->in_ifindex == r->key.in_ifindex && !memcmp(&s->id, id, sizeof(*id)))
			goto out;
	s = NULL;
	if (n->n_streams >= GEM_NORM_STREAMS_MAX)
		goto out;
	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		goto out;
	s->id = *id;
	s->in_ifindex = r->key.in_ifindex;
	s->out_ifindex = r->out->ifindex;
	s->new_src = r->new_src;
	s->rule_id = r->id;
	s->idle = r->idle;
	s->last = jiffies;
	hlist_add_head_rcu(&s->node, head);
	n->n_streams++;
	WRITE_ONCE(n->stream_gen, n->stream_gen + 1 ?: 1);
	spin_unlock_bh(&n->lock);

	gem_nl_notify_norm_stream(n->net, s, GEM_CMD_NORM_STREAM_NEW_NTF, 0, GFP_ATOMIC);
	/* A no-op while the scan is already queued. */
	queue_delayed_work(system_power_efficient_wq, &n->idle_work, HZ);
	return s;
out:
	spin_unlock_bh(&n->lock);
	return s;
}

/* A packet of @id was just normalized by @r; under RCU, in softirq. */
void gem_norm_stream_seen(struct gem_norm *n, const struct gem_norm_rule *r,
			  const struct gem_stream_id *id, unsigned int len)
{
	struct hlist_head *head = gem_norm_bucket(n, r->key.in_ifindex, id);
	unsigned long now = jiffies;
	struct gem_norm_stream *s;

	hlist_for_each_entry_rcu(s, head, node)
		if (s->in_ifindex == r->key.in_ifindex && !memcmp(&s->id, id, sizeof(*id)))
			goto found;
	s = gem_norm_stream_new(n, r, id, head);
	if (!s)
		return;
found:
	/* Written once a jiffy, not once a packet: the line stays shared. */
	if (READ_ONCE(s->last) != now)
		WRITE_ONCE(s->last, now);
	atomic64_inc(&s->packets);
	atomic64_add(len, &s->bytes);
}

/*
 * Ends the streams @ends picks: unlinked under the lock, reported and
 * freed after it. Process context.
 */
static void gem_norm_streams_end(struct gem_norm *n,
				 bool (*ends)(const struct gem_norm_stream *s, u64 arg),
				 u64 arg, enum gem_norm_end reason, bool notify)
{
	struct gem_norm_stream *s, *tmp;
	struct hlist_node *next;
	LIST_HEAD(gone);
	int b;

	spin_lock_bh(&n->lock);
	for (b = 0; b < ARRAY_SIZE(n->streams); b++)
		hlist_for_each_entry_safe(s, next, &n->streams[b], node)
			if (ends(s, arg)) {
				hlist_del_rcu(&s->node);
				list_add_tail(&s->gone, &gone);
				n->n_streams--;
			}
	if (!list_empty(&gone))
		WRITE_ONCE(n->stream_gen, n->stream_gen + 1 ?: 1);
	spin_unlock_bh(&n->lock);

	list_for_each_entry_safe(s, tmp, &gone, gone) {
		if (notify)
			gem_nl_notify_norm_stream(n->net, s, GEM_CMD_NORM_STREAM_END_NTF,
						  reason, GFP_KERNEL);
		kfree_rcu(s, rcu);
	}
}

static bool gem_norm_stream_idle(const struct gem_norm_stream *s, u64 now)
{
	return time_after((unsigned long)now, READ_ONCE(s->last) + s->idle);
}

static bool gem_norm_stream_of_rule(const struct gem_norm_stream *s, u64 rule_id)
{
	return s->rule_id == rule_id;
}

static bool gem_norm_stream_any(const struct gem_norm_stream *s, u64 unused)
{
	return true;
}

void gem_norm_streams_end_rule(struct gem_norm *n, u64 rule_id)
{
	gem_norm_streams_end(n, gem_norm_stream_of_rule, rule_id, GEM_NORM_END_RULE, true);
}

static void gem_norm_idle_work(struct work_struct *work)
{
	struct gem_norm *n = container_of(to_delayed_work(work), struct gem_norm, idle_work);

	gem_norm_streams_end(n, gem_norm_stream_idle, jiffies, GEM_NORM_END_IDLE, true);
	if (READ_ONCE(n->n_streams))
		queue_delayed_work(system_power_efficient_wq, &n->idle_work, HZ);
}

void gem_norm_streams_init(struct gem_norm *n)
{
	spin_lock_init(&n->lock);
	n->seed = get_random_u32();
	n->stream_gen = 1;
	INIT_DELAYED_WORK(&n->idle_work, gem_norm_idle_work);
}

/* The hooks are gone: nothing creates streams or queues the scan now. */
void gem_norm_streams_exit(struct gem_norm *n)
{
	cancel_delayed_work_sync(&n->idle_work);
	gem_norm_streams_end(n, gem_norm_stream_any, 0, GEM_NORM_END_RULE, false);
}

/* How many streams @r normalizes now; for dumps, under RCU. */
unsigned int gem_norm_rule_streams(struct gem_norm *n, const struct gem_norm_rule *r)
{
	struct gem_norm_stream *s;
	unsigned int count = 0;
	int b;

	for (b = 0; b < ARRAY_SIZE(n->streams); b++)
		hlist_for_each_entry_rcu(s, &n->streams[b], node)
			count += s->rule_id == r->id;
	return count;
}
