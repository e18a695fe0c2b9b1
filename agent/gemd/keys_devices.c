// SPDX-License-Identifier: GPL-2.0
/*
 * gem.ko's session and gemd's gem devices, as the keys see them: a
 * module reload starts the session over; a device missing is made over
 * its underlay; a device gone takes its local streams with it; and on
 * start what gem.ko already holds is adopted.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "keys_internal.h"
#include "lib/log.h"

/* Device d's ifindex now, made over its underlay if it is missing; 0: not there. */
static unsigned int device_find(struct gemd_keys *k, unsigned int d)
{
	unsigned int ifindex;
	int err;

	if (!k->kn)
		return 0;
	ifindex = kernel_dev_ifindex(k->kn, k->names[d]);
	if (ifindex)
		return ifindex;
	err = kernel_dev_create(k->names[d], k->underlays[d]);
	if (err == -EEXIST)
		return 0;	/* an interface of that name, but no gem device */
	if (err) {
		gem_log(GEM_LOG_WARNING, "device %s over %s: %s", k->names[d], k->underlays[d],
			strerror(-err));
	} else {
		gem_log(GEM_LOG_INFO, "created %s over %s", k->names[d], k->underlays[d]);
		gemd_event("device-made", "dev", k->names[d], "underlay", k->underlays[d], NULL);
	}
	return kernel_dev_ifindex(k->kn, k->names[d]);
}

unsigned int keys_check_devices(struct gemd_keys *k)
{
	unsigned int d, i, fresh = 0;
	char err[256];

	if (k->kn && kernel_reloaded(k->kn)) {
		gem_log(GEM_LOG_WARNING, "gem.ko went away, or was reloaded");
		kernel_close(k->kn);
		k->kn = NULL;
	}
	if (!k->kn)
		k->kn = kernel_open(true, err, sizeof(err));
	for (d = 0; d < k->n_devices; d++) {
		unsigned int ifindex = device_find(k, d);

		if (ifindex == k->ifindex[d])
			continue;
		if (k->ifindex[d]) {
			/* The device went, or is another now: its streams went with it. */
			gem_log(GEM_LOG_WARNING, "device %s went away", k->names[d]);
			gemd_event("device-gone", "dev", k->names[d], NULL);
			for (i = 0; i < GEMD_TX_MAX; i++)
				if (k->tx[i].used && k->tx[i].ifindex == k->ifindex[d])
					keys_tx_release(&k->tx[i]);
		}
		k->ifindex[d] = ifindex;
		if (ifindex)
			fresh |= 1u << d;
	}
	return fresh;
}

/* What gem.ko holds for device d from before this gemd. */
static void adopt(struct gemd_keys *k, unsigned int d, uint64_t now_ms)
{
	struct kernel_stream *s = calloc(GEMD_RX_MAX, sizeof(*s));
	int n;

	if (!s)
		return;
	n = k->kn ? kernel_keys_dump(k->kn, k->ifindex[d], true, s, GEMD_TX_MAX) : -1;
	keys_tx_adopt(k, k->ifindex[d], s, n, now_ms);
	n = k->kn ? kernel_keys_dump(k->kn, k->ifindex[d], false, s, GEMD_RX_MAX) : -1;
	keys_rx_adopt(k, s, n, now_ms);
	free(s);
}

/* Adoption needs the announce callback, so it comes at the first tick, not init. */
void keys_adopt(struct gemd_keys *k, unsigned int fresh, uint64_t now_ms)
{
	unsigned int d;

	for (d = 0; d < k->n_devices; d++)
		if (fresh & (1u << d))
			adopt(k, d, now_ms);
}
