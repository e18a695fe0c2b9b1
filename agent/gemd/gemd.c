// SPDX-License-Identifier: GPL-2.0
/*
 * gemd: the GEM agent. It loads and checks the configuration and the
 * node's keys (making the identity on first start), puts its Babel inside
 * ESP keyed from the Bootstrap Key, speaks Babel on its interfaces, keeps
 * and floods GEM's items (gemd_items), keeps the stream keys in gem.ko
 * (keys.h), answers its local API, and reloads on SIGHUP without
 * dropping what runs. One thread, one poll loop.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "babel/babel.h"
#include "lib/esp.h"
#include "events.h"
#include "lib/gak.h"
#include "gemd_api.h"
#include "gemd_conf.h"
#include "gemd_items.h"
#include "groups.h"
#include "lib/identity.h"
#include "lib/keyfile.h"
#include "lib/log.h"

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Tells systemd (Type=notify) how we are; a no-op outside it. */
static void notify(const char *state)
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

/*
 * A reload's control-plane ESP (next, or NULL for control-esp no). What
 * cannot be put in place silences Babel until a reload that can: it
 * never falls back to the clear.
 */
static void reload_esp(struct babel *b, struct gem_esp_key *esp, bool *on,
		       const struct gem_esp_key *next)
{
	char err[256];

	if (!next) {
		if (*on) {
			gem_esp_socket(b->fd, false, err, sizeof(err));
			gem_esp_remove(esp);
		}
		*on = false;
		b->silent = false;
		return;
	}
	/* Put in place again even if unchanged: someone may have flushed it. */
	if (*on)
		gem_esp_remove(esp);
	*esp = *next;
	*on = true;
	b->silent = gem_esp_install(esp, err, sizeof(err)) ||
		    gem_esp_socket(b->fd, true, err, sizeof(err));
	/* Turned on: what came in the clear before is not taken now. */
	if (!b->silent)
		babel_drain(b);
	if (b->silent)
		gem_log(GEM_LOG_ERR, "%s: Babel sends and takes nothing until a reload puts it in place",
			err);
}

/*
 * Everything the configuration names that must be readable: the keys,
 * each refused if group- or world-readable. The identity is made on
 * first start; a check (gemd -t) changes nothing, and only says it would.
 */
static int load_keys(const struct gemd_conf *c, struct gem_identity *id, struct gem_esp_key *esp,
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

/* The configured groups into gem.ko; without the module, gemd still routes. */
static void install_groups(const struct gemd_conf *c)
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

static void usage(FILE *out)
{
	fprintf(out, "Usage: gemd [-c FILE] [-t] [-d]\n"
		     "  -c FILE   configuration (default " GEMD_CONF_DEFAULT ")\n"
		     "  -t        check the configuration and keys, then exit\n"
		     "  -d        log debug messages\n");
}

int main(int argc, char **argv)
{
	const char *path = GEMD_CONF_DEFAULT;
	struct gem_identity id, next_id;
	struct gem_esp_key esp, next_esp;
	bool esp_on = false;
	struct gemd_conf *conf, *next;
	struct babel *babel;
	struct gemd_items *items;
	bool check = false;
	char err[512];
	sigset_t mask;
	int c, sfd, afd, ret = 1;

	while ((c = getopt(argc, argv, "c:tdh")) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 't':
			check = true;
			break;
		case 'd':
			gem_log_max = GEM_LOG_DEBUG;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	conf = calloc(1, sizeof(*conf));
	next = calloc(1, sizeof(*next));
	babel = calloc(1, sizeof(*babel));
	items = calloc(1, sizeof(*items));
	if (!conf || !next || !babel || !items || sodium_init() < 0) {
		gem_log(GEM_LOG_ERR, "out of memory");
		return 1;
	}
	if (gemd_conf_load(path, conf, err, sizeof(err)) ||
	    load_keys(conf, &id, &esp, err, sizeof(err), check)) {
		gem_log(GEM_LOG_ERR, "%s", err);
		return 1;
	}
	if (check) {
		printf("%s: ok\n", path);
		gem_identity_wipe(&id);
		sodium_memzero(&esp, sizeof(esp));
		return 0;
	}
	gem_log(GEM_LOG_INFO, "router-id %02x%02x:%02x%02x:%02x%02x:%02x%02x", id.router_id[0],
		id.router_id[1], id.router_id[2], id.router_id[3], id.router_id[4],
		id.router_id[5], id.router_id[6], id.router_id[7]);

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) ||
	    (sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK)) < 0) {
		gem_log(GEM_LOG_ERR, "signals: %s", strerror(errno));
		return 1;
	}
	if (babel_open(babel, conf, id.router_id, err, sizeof(err))) {
		gem_log(GEM_LOG_ERR, "%s", err);
		return 1;
	}
	babel->mac = conf->control_mac;
	babel->mac_multicast = conf->control_esp;
	memcpy(babel->mac_key, esp.mac, sizeof(babel->mac_key));
	/* Before the first Hello: no Babel packet leaves or arrives in the clear. */
	if (conf->control_esp) {
		/* The SA first: its netlink socket loads xfrm_user, which the policies need. */
		if (gem_esp_install(&esp, err, sizeof(err)) ||
		    gem_esp_socket(babel->fd, true, err, sizeof(err))) {
			gem_log(GEM_LOG_ERR, "%s", err);
			babel_close(babel);
			return 1;
		}
		babel_drain(babel);
		esp_on = true;
	}
	if (gemd_items_init(items, conf, &id, now_ms(), err, sizeof(err))) {
		gem_log(GEM_LOG_ERR, "%s", err);
		babel_close(babel);
		return 1;
	}
	babel->item_heard = item_heard;
	babel->items_each = items_each;
	/* Items live long: all of them are sent again four times a lifetime, changes at once. */
	babel->items_ms = (uint64_t)conf->item_lifetime_s * 250;
	babel->items_wanted = items_wanted;
	babel->items_of = items_of;
	babel->items_arg = items;
	afd = gemd_api_open(conf->socket, err, sizeof(err));
	if (afd < 0) {
		gem_log(GEM_LOG_ERR, "%s", err);
		babel_close(babel);
		return 1;
	}
	notify("READY=1");
	for (;;) {
		struct pollfd pf[4] = { { .fd = babel->fd, .events = POLLIN },
					{ .fd = sfd, .events = POLLIN },
					{ .fd = afd, .events = POLLIN },
					{ .fd = gemd_items_event_fd(items), .events = POLLIN } };
		uint64_t t = now_ms(), wake;
		struct signalfd_siginfo si;
		const char *later;
		unsigned int fresh;
		bool loaded;

		if (gemd_items_tick(items, t, &fresh))
			babel_trigger(babel, t);
		/* A gem device appeared (made by gemd, or back after a module reload). */
		if (fresh)
			install_groups(conf);
		wake = babel_run_timers(babel, t);
		/* Stream keys rotate and retire on their own timers: look every second. */
		if (wake > t + 1000)
			wake = t + 1000;
		if (poll(pf, 4, wake > t ? (int)(wake - t) : 0) < 0 && errno != EINTR)
			break;
		if ((pf[3].revents & POLLIN) && gemd_items_events(items, now_ms()))
			babel_trigger(babel, now_ms());
		if (pf[0].revents & POLLIN)
			babel_receive(babel, now_ms());
		if (pf[2].revents & POLLIN)
			gemd_api_serve(afd, babel, items, now_ms());
		if (!(pf[1].revents & POLLIN) || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo != SIGHUP) {
			gem_log(GEM_LOG_INFO, "stopping on signal %u", si.ssi_signo);
			ret = 0;
			break;
		}
		/* A new file is checked whole; a bad one changes nothing. */
		notify("RELOADING=1");
		loaded = !gemd_conf_load(path, next, err, sizeof(err));
		later = NULL;
		if (loaded) {
			/* What only a start reads stays as it runs (the identity among it). */
			later = gemd_conf_restart_needed(conf, next);
			gemd_conf_keep_start_only(conf, next);
		}
		if (!loaded || load_keys(next, &next_id, &next_esp, err, sizeof(err), false) ||
		    gemd_items_reload(items, next, now_ms(), err, sizeof(err))) {
			gem_log(GEM_LOG_ERR, "reload refused, the running configuration stays: %s",
				err);
		} else {
			struct gemd_conf *old = conf;

			if (later)
				gem_log(GEM_LOG_WARNING, "reload: %s (and what else only a start "
					"reads) changed and takes effect when gemd restarts", later);
			babel->items_ms = (uint64_t)next->item_lifetime_s * 250;

			reload_esp(babel, &esp, &esp_on, next->control_esp ? &next_esp : NULL);
			/* The MAC key follows the BK; control-mac itself only a restart. */
			memcpy(babel->mac_key, next_esp.mac, sizeof(babel->mac_key));
			babel->mac_multicast = next->control_esp;
			conf = next;
			next = old;
			gem_log(GEM_LOG_INFO, "reloaded %s", path);
			install_groups(conf);
		}
		sodium_memzero(&next_esp, sizeof(next_esp));
		gem_identity_wipe(&next_id);
		notify("READY=1");
	}
	notify("STOPPING=1");
	gemd_events_close();
	gemd_api_close(afd, conf->socket);
	babel_close(babel);
	if (esp_on)
		gem_esp_remove(&esp);
	sodium_memzero(&esp, sizeof(esp));
	gemd_items_destroy(items);
	free(items);
	gem_identity_wipe(&id);
	free(conf);
	free(next);
	free(babel);
	return ret;
}
