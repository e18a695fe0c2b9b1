// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's reload on SIGHUP: a new configuration is checked whole, with its
 * keys, and takes over without dropping what runs; a bad one changes
 * nothing. What only a start reads stays as it runs.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "gemd.h"
#include "lib/log.h"

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

/* The checked configuration next takes over: Babel's timers, ESP and MAC key, groups. */
static void reload_take(struct gemd *g, const struct gem_esp_key *next_esp, const char *later)
{
	struct gemd_conf *old = g->conf, *next = g->next;
	struct babel *babel = g->babel;

	if (later)
		gem_log(GEM_LOG_WARNING, "reload: %s (and what else only a start "
			"reads) changed and takes effect when gemd restarts", later);
	babel->items_ms = (uint64_t)next->item_lifetime_s * 250;

	reload_esp(babel, &g->esp, &g->esp_on, next->control_esp ? next_esp : NULL);
	/* The MAC key follows the BK; control-mac itself only a restart. */
	memcpy(babel->mac_key, next_esp->mac, sizeof(babel->mac_key));
	babel->mac_multicast = next->control_esp;
	g->conf = next;
	g->next = old;
	gem_log(GEM_LOG_INFO, "reloaded %s", g->path);
	gemd_install_groups(g->conf);
}

void gemd_reload(struct gemd *g)
{
	struct gem_identity next_id;
	struct gem_esp_key next_esp;
	const char *later = NULL;
	char err[512];
	bool loaded;

	gemd_notify("RELOADING=1");
	loaded = !gemd_conf_load(g->path, g->next, err, sizeof(err));
	if (loaded) {
		/* What only a start reads stays as it runs (the identity among it). */
		later = gemd_conf_restart_needed(g->conf, g->next);
		gemd_conf_keep_start_only(g->conf, g->next);
	}
	if (!loaded || gemd_load_keys(g->next, &next_id, &next_esp, err, sizeof(err), false) ||
	    gemd_items_reload(g->items, g->next, gemd_now_ms(), err, sizeof(err)))
		gem_log(GEM_LOG_ERR, "reload refused, the running configuration stays: %s", err);
	else
		reload_take(g, &next_esp, later);
	sodium_memzero(&next_esp, sizeof(next_esp));
	gem_identity_wipe(&next_id);
	gemd_notify("READY=1");
}
