// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's start and stop: the node's keys loaded (the identity made on
 * first start), Babel opened inside ESP keyed from the Bootstrap Key
 * before its first Hello, GEM's items tied to it, the local API opened;
 * and all of it closed and wiped at the end.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "events.h"
#include "gemd.h"
#include "gemd_api.h"
#include "groups.h"
#include "lib/gak.h"
#include "lib/keyfile.h"
#include "lib/log.h"

uint64_t gemd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void gemd_notify(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@') || strlen(path) >= sizeof(sa.sun_path))
		return;
	strcpy(sa.sun_path, path);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, state, strlen(state), 0, (struct sockaddr *)&sa,
		   (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path))) < 0)
		gem_log(GEM_LOG_DEBUG, "sd_notify: %s", strerror(errno));
	close(fd);
}

int gemd_load_keys(const struct gemd_conf *c, struct gem_identity *id, struct gem_esp_key *esp,
		   char *err, size_t len, bool check)
{
	uint8_t bk[32];
	struct gem_gak g;
	size_t bklen;
	unsigned int i;

	if (access(c->identity, F_OK) && errno == ENOENT) {
		if (check) {
			memset(id, 0, sizeof(*id));
			printf("%s: no identity yet: gemd makes one on its first start\n", c->identity);
		} else if (gem_identity_generate(c->identity, id, err, len)) {
			return -1;
		} else {
			gem_log(GEM_LOG_INFO, "made a new identity in %s", c->identity);
		}
	} else if (gem_identity_load(c->identity, id, err, len)) {
		return -1;
	}
	if (gem_keyfile_read(c->bootstrap_key, bk, sizeof(bk), sizeof(bk), &bklen, err, len))
		return -1;
	gem_esp_derive(bk, esp);
	sodium_memzero(bk, sizeof(bk));
	for (i = 0; i < c->n_groups; i++) {
		if (gem_gak_load(c->groups[i].gak, &g, err, len))
			return -1;
		gem_gak_wipe(&g);
	}
	return 0;
}

void gemd_install_groups(const struct gemd_conf *c)
{
	char err[512];
	int n;

	if (!c->n_groups)
		return;
	n = gemd_groups_install(c, err, sizeof(err));
	if (n < 0)
		gem_log(GEM_LOG_WARNING, "%s", err);
	else
		gem_log(GEM_LOG_INFO, "%d group keys installed in gem.ko", n);
}

static bool item_heard(void *arg, const uint8_t *item, size_t len, uint64_t now)
{
	return gemd_items_heard(arg, item, len, now);
}

static uint64_t items_each(void *arg, uint64_t since,
			   void (*fn)(const uint8_t *, size_t, uint32_t, void *), void *c)
{
	return gemd_items_each(arg, since, fn, c);
}

static unsigned int items_wanted(void *arg, struct gem_request *out, unsigned int max)
{
	return gemd_items_wanted(arg, out, max);
}

static void items_of(void *arg, uint8_t kind, const uint8_t *origin,
		     void (*fn)(const uint8_t *, size_t, uint32_t, void *), void *c)
{
	gemd_items_each_of(arg, kind, origin, fn, c);
}

static int signals_open(void)
{
	sigset_t mask;
	int sfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		gem_log(GEM_LOG_ERR, "signals: %s", strerror(errno));
		return -1;
	}
	return sfd;
}

/* The Babel speaker's part of the configuration. */
static void babel_conf_of(const struct gemd_conf *c, struct babel_conf *bc)
{
	_Static_assert(GEMD_CONF_IFACES_MAX <= BABEL_IFACES_MAX, "babel-interface");
	_Static_assert(GEMD_CONF_ANNOUNCE_MAX <= BABEL_ANNOUNCE_MAX, "announce");
	unsigned int i;

	memset(bc, 0, sizeof(*bc));
	for (i = 0; i < c->n_ifaces; i++) {
		snprintf(bc->ifaces[i].name, sizeof(bc->ifaces[i].name), "%s", c->ifaces[i].name);
		bc->ifaces[i].hello_ms = c->ifaces[i].hello_ms;
		bc->ifaces[i].update_ms = c->ifaces[i].update_ms;
	}
	bc->n_ifaces = c->n_ifaces;
	memcpy(bc->announce, c->announce, sizeof(c->announce));
	bc->n_announce = c->n_announce;
	bc->hello_ms = c->hello_ms;
	bc->update_ms = c->update_ms;
	bc->install_routes = c->install_routes;
}

/* Babel, inside ESP if so configured: before the first Hello, nothing in the clear. */
static int babel_start(struct gemd *g, char *err, size_t errlen)
{
	struct babel *babel = g->babel;
	struct babel_conf bc;

	babel_conf_of(g->conf, &bc);
	if (babel_open(babel, &bc, g->id.router_id, err, errlen))
		return -1;
	babel->mac = g->conf->control_mac;
	babel->mac_multicast = g->conf->control_esp;
	memcpy(babel->mac_key, g->esp.mac, sizeof(babel->mac_key));
	if (g->conf->control_esp) {
		/* The SA first: its netlink socket loads xfrm_user, which the policies need. */
		if (gem_esp_install(&g->esp, err, errlen) ||
		    gem_esp_socket(babel->fd, true, err, errlen)) {
			babel_close(babel);
			return -1;
		}
		babel_drain(babel);
		g->esp_on = true;
	}
	return 0;
}

int gemd_start(struct gemd *g)
{
	struct babel *babel = g->babel;
	char err[512];

	gem_log(GEM_LOG_INFO, "router-id %02x%02x:%02x%02x:%02x%02x:%02x%02x", g->id.router_id[0],
		g->id.router_id[1], g->id.router_id[2], g->id.router_id[3], g->id.router_id[4],
		g->id.router_id[5], g->id.router_id[6], g->id.router_id[7]);
	g->sfd = signals_open();
	if (g->sfd < 0)
		return -1;
	if (babel_start(g, err, sizeof(err)))
		goto fail;
	if (gemd_items_init(g->items, g->conf, &g->id, gemd_now_ms(), err, sizeof(err)))
		goto fail_babel;
	babel->item_heard = item_heard;
	babel->items_each = items_each;
	/* Items live long: all of them are sent again four times a lifetime, changes at once. */
	babel->items_ms = (uint64_t)g->conf->item_lifetime_s * 250;
	babel->items_wanted = items_wanted;
	babel->items_of = items_of;
	babel->items_arg = g->items;
	g->afd = gemd_api_open(g->conf->socket, err, sizeof(err));
	if (g->afd < 0)
		goto fail_babel;
	return 0;
fail_babel:
	babel_close(babel);
fail:
	gem_log(GEM_LOG_ERR, "%s", err);
	return -1;
}

void gemd_stop(struct gemd *g)
{
	gemd_notify("STOPPING=1");
	gemd_events_close();
	gemd_api_close(g->afd, g->conf->socket);
	babel_close(g->babel);
	if (g->esp_on)
		gem_esp_remove(&g->esp);
	sodium_memzero(&g->esp, sizeof(g->esp));
	gemd_items_destroy(g->items);
	gem_identity_wipe(&g->id);
}
