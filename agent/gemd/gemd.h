/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running agent, as gemd.c's main puts it together: started
 * (gemd_start.c), run in one poll loop (gemd_loop.c), reloaded on SIGHUP
 * (gemd_reload.c) and stopped.
 */
#ifndef GEM_GEMD_H
#define GEM_GEMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "babel/babel.h"
#include "gemd_conf.h"
#include "gemd_items.h"
#include "lib/esp.h"
#include "lib/identity.h"

struct gemd {
	const char *path;		/* the configuration file */
	struct gemd_conf *conf;		/* as it runs */
	struct gemd_conf *next;		/* room for a reload's */
	struct babel *babel;
	struct gemd_items *items;
	struct gem_identity id;
	struct gem_esp_key esp;		/* control-plane ESP, from the BK */
	bool esp_on;
	int sfd;			/* signalfd: SIGHUP, SIGTERM, SIGINT */
	int afd;			/* the local API's socket */
};

uint64_t gemd_now_ms(void);
/* Tells systemd (Type=notify) how we are; a no-op outside it. */
void gemd_notify(const char *state);

/*
 * Everything the configuration names that must be readable: the keys,
 * each refused if group- or world-readable. The identity is made on
 * first start; a check (gemd -t) changes nothing, and only says it would.
 */
int gemd_load_keys(const struct gemd_conf *c, struct gem_identity *id, struct gem_esp_key *esp,
		   char *err, size_t len, bool check);

/* The configured groups into gem.ko; without the module, gemd still routes. */
void gemd_install_groups(const struct gemd_conf *c);

/*
 * g->path loaded and its keys: signals, Babel (inside ESP if so
 * configured), the items and the local API set up. 0, or -1 (logged).
 */
int gemd_start(struct gemd *g);
/* Until a signal to stop (0) or poll fails (1). */
int gemd_run(struct gemd *g);
/* SIGHUP: a new file is checked whole; a bad one changes nothing. */
void gemd_reload(struct gemd *g);
/* Everything gemd_start set up, closed and wiped. */
void gemd_stop(struct gemd *g);

#endif /* GEM_GEMD_H */
