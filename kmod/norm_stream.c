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
 * A stream belongs to the rule that takes it: a more specific rule added
 * over a flowing stream, or a rule replaced, makes a new stream (the old
 * one ends), so what the agent announces is what leaves. Events are sent
 * under the table's lock, so a stream's end is never reported after the
 * start of its successor.
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
#include "norm.h"

static struct hlist_head *gem_norm_bucket(struct gem_norm *n, const struct gem_norm_rule *r,
					  const struct gem_stream_id *id)
{
	u32 h = jhash(id, sizeof(*id), n->seed ^ (u32)r->id);

	return &n->streams[hash_32(h, GEM_NORM_STREAM_HASH_BITS)];
}

static bool gem_norm_stream_is(const struct gem_norm_stream *s, const struct gem_norm_rule *r,
			       const struct gem_stream_id *id)
{
	return s->rule_id == r->id && !memcmp(&s->id, id, sizeof(*id));
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
		if (gem_norm_stream_is(s, r, id))
			goto out;
	s = NULL;
	/* A rule on its way out starts nothing its end would not report. */
	if (r->dead || n->n_streams >= GEM_NORM_STREAMS_MAX)
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
	WRITE_ONCE(n->n_streams, n->n_streams + 1);
	WRITE_ONCE(n->stream_gen, n->stream_gen + 1 ?: 1);
	gem_nl_norm_notify_stream(n->net, s, GEM_CMD_NORM_STREAM_NEW_NTF, 0, GFP_ATOMIC);
	spin_unlock_bh(&n->lock);

	/* A no-op while the scan is already queued. */
	queue_delayed_work(system_power_efficient_wq, &n->idle_work, HZ);
	return s;
out:
	spin_unlock_bh(&n->lock);
	return s;
}

/**
 * gem_norm_stream_seen() - accounts a normalized packet to its stream
 * @n: the namespace's normalizer
 * @r: the rule
 * @id: the stream the packet is of
 *
 * A packet of @id was just normalized by @r; under RCU, in softirq.
 * @len: the packet's length
 */
void gem_norm_stream_seen(struct gem_norm *n, const struct gem_norm_rule *r,
			  const struct gem_stream_id *id, unsigned int len)
{
	struct hlist_head *head = gem_norm_bucket(n, r, id);
	unsigned long now = jiffies;
	struct gem_norm_stream *s;

	hlist_for_each_entry_rcu(s, head, node)
		if (gem_norm_stream_is(s, r, id))
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
 * Ends the streams @ends picks, and with @dying set, marks that rule so it
 * starts no more. Reported under the lock, so in order with new streams;
 * freed after a grace period. Process context.
 */
static void gem_norm_streams_end(struct gem_norm *n,
				 bool (*ends)(const struct gem_norm_stream *s, u64 arg),
				 u64 arg, enum gem_norm_end reason, bool notify,
				 struct gem_norm_rule *dying)
{
	struct gem_norm_stream *s, *tmp;
	struct hlist_node *next;
	LIST_HEAD(gone);
	int b;

	spin_lock_bh(&n->lock);
	if (dying)
		dying->dead = true;
	for (b = 0; b < ARRAY_SIZE(n->streams); b++)
		hlist_for_each_entry_safe(s, next, &n->streams[b], node)
			if (ends(s, arg)) {
				hlist_del_rcu(&s->node);
				list_add_tail(&s->gone, &gone);
				WRITE_ONCE(n->n_streams, n->n_streams - 1);
				if (notify)
					gem_nl_norm_notify_stream(n->net, s,
								  GEM_CMD_NORM_STREAM_END_NTF,
								  reason, GFP_ATOMIC);
			}
	if (!list_empty(&gone))
		WRITE_ONCE(n->stream_gen, n->stream_gen + 1 ?: 1);
	spin_unlock_bh(&n->lock);

	list_for_each_entry_safe(s, tmp, &gone, gone)
		kfree_rcu(s, rcu);
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

/**
 * gem_norm_streams_end_rule() - ends a rule's streams
 * @n: the namespace's normalizer
 *
 * @r is being replaced or deleted: its streams end, and it starts no more.
 * @r: the rule, being replaced or deleted
 */
void gem_norm_streams_end_rule(struct gem_norm *n, struct gem_norm_rule *r)
{
	gem_norm_streams_end(n, gem_norm_stream_of_rule, r->id, GEM_NORM_END_RULE, true, r);
}

static void gem_norm_idle_work(struct work_struct *work)
{
	struct gem_norm *n = container_of(to_delayed_work(work), struct gem_norm, idle_work);

	gem_norm_streams_end(n, gem_norm_stream_idle, jiffies, GEM_NORM_END_IDLE, true, NULL);
	if (READ_ONCE(n->n_streams))
		queue_delayed_work(system_power_efficient_wq, &n->idle_work, HZ);
}

/**
 * gem_norm_streams_init() - sets up a namespace's empty stream table
 * @n: the namespace's normalizer
 */
void gem_norm_streams_init(struct gem_norm *n)
{
	spin_lock_init(&n->lock);
	n->seed = get_random_u32();
	n->stream_gen = 1;
	INIT_DELAYED_WORK(&n->idle_work, gem_norm_idle_work);
}

/**
 * gem_norm_streams_exit() - ends every stream of a namespace that is going
 *
 * The hooks are gone: nothing creates streams or queues the scan now.
 * @n: the namespace's normalizer
 */
void gem_norm_streams_exit(struct gem_norm *n)
{
	cancel_delayed_work_sync(&n->idle_work);
	gem_norm_streams_end(n, gem_norm_stream_any, 0, GEM_NORM_END_RULE, false, NULL);
}

/**
 * gem_norm_streams_of_rule() - how many streams a rule normalizes now
 * @n: the namespace's normalizer
 * @r: the rule
 *
 * How many streams @r normalizes now; callers may hold RTNL only.
 *
 * Return: the count.
 */
unsigned int gem_norm_streams_of_rule(struct gem_norm *n, const struct gem_norm_rule *r)
{
	struct gem_norm_stream *s;
	unsigned int count = 0;
	int b;

	rcu_read_lock();
	for (b = 0; b < ARRAY_SIZE(n->streams); b++)
		hlist_for_each_entry_rcu(s, &n->streams[b], node)
			count += s->rule_id == r->id;
	rcu_read_unlock();
	return count;
}

#if IS_ENABLED(CONFIG_GEM_KUNIT_TEST)
#include "tests/norm_stream_test.c"
#endif
