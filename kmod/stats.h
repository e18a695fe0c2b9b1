/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GEM: a device's drop counters, by reason, per CPU.
 */
#ifndef _GEM_STATS_H
#define _GEM_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

enum gem_drop {
	GEM_DROP_RX_MALFORMED,
	GEM_DROP_RX_BAD_TAG,
	GEM_DROP_RX_UNKNOWN_KEY,
	GEM_DROP_RX_REPLAY,
	GEM_DROP_TX_NOT_PROTECTED,
	GEM_DROP_TX_NO_KEY,
	GEM_DROP_RX_PN_JUMP,
	GEM_DROP_RX_BACKSTOP,	/* not a drop: taken by the prerouting backstop */
	GEM_DROP_TX_UNSEALED,
	GEM_DROP_TX_AEAD_BUSY,
	GEM_DROP_RX_AEAD_BUSY,
	GEM_DROP_MAX
};

struct gem_pcpu_drops {
	u64_stats_t count[GEM_DROP_MAX];
	struct u64_stats_sync syncp;
};

static inline void gem_drop_count(struct gem_pcpu_drops __percpu *drops, enum gem_drop why)
{
	struct gem_pcpu_drops *d = this_cpu_ptr(drops);

	u64_stats_update_begin(&d->syncp);
	u64_stats_inc(&d->count[why]);
	u64_stats_update_end(&d->syncp);
}

static inline void gem_drops_read(struct gem_pcpu_drops __percpu *drops, u64 out[GEM_DROP_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * GEM_DROP_MAX);
	for_each_possible_cpu(cpu) {
		const struct gem_pcpu_drops *d = per_cpu_ptr(drops, cpu);
		u64 v[GEM_DROP_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&d->syncp);
			for (i = 0; i < GEM_DROP_MAX; i++)
				v[i] = u64_stats_read(&d->count[i]);
		} while (u64_stats_fetch_retry(&d->syncp, start));
		for (i = 0; i < GEM_DROP_MAX; i++)
			out[i] += v[i];
	}
}

#endif /* _GEM_STATS_H */
