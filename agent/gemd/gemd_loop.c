// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's one poll loop: Babel's socket and timers, gem.ko's events, the
 * local API, and signals (SIGHUP reloads, SIGTERM and SIGINT stop).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "gemd.h"
#include "gemd_api.h"
#include "lib/log.h"

/* The timers due at t; how long poll may wait. */
static int tick(struct gemd *g, uint64_t t)
{
	unsigned int fresh;
	uint64_t wake;

	if (gemd_items_tick(g->items, t, &fresh))
		babel_trigger(g->babel, t);
	/* A gem device appeared (made by gemd, or back after a module reload). */
	if (fresh)
		gemd_install_groups(g->conf);
	wake = babel_run_timers(g->babel, t);
	/* Stream keys rotate and retire on their own timers: look every second. */
	if (wake > t + 1000)
		wake = t + 1000;
	return wake > t ? (int)(wake - t) : 0;
}

int gemd_run(struct gemd *g)
{
	for (;;) {
		struct pollfd pf[4] = { { .fd = g->babel->fd, .events = POLLIN },
					{ .fd = g->sfd, .events = POLLIN },
					{ .fd = g->afd, .events = POLLIN },
					{ .fd = gemd_items_event_fd(g->items), .events = POLLIN } };
		struct signalfd_siginfo si;

		if (poll(pf, 4, tick(g, gemd_now_ms())) < 0 && errno != EINTR)
			return 1;
		if ((pf[3].revents & POLLIN) && gemd_items_events(g->items, gemd_now_ms()))
			babel_trigger(g->babel, gemd_now_ms());
		if (pf[0].revents & POLLIN)
			babel_receive(g->babel, gemd_now_ms());
		if (pf[2].revents & POLLIN)
			gemd_api_serve(g->afd, g->babel, g->items, gemd_now_ms());
		if (!(pf[1].revents & POLLIN) || read(g->sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGHUP) {
			gem_log(GEM_LOG_INFO, "stopping on signal %u", si.ssi_signo);
			return 0;
		}
		gemd_reload(g);
	}
}
