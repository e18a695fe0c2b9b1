/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd's configuration file, /etc/gem/gemd.conf: one directive a line,
 * words separated by blanks, "#" starts a comment. The format is in
 * gemd.conf(5). Every error names the file, the line and the field.
 */
#ifndef GEM_GEMD_CONF_H
#define GEM_GEMD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"

#define GEMD_CONF_DEFAULT	"/etc/gem/gemd.conf"
#define GEMD_CONF_PATH_MAX	256
#define GEMD_CONF_DEVICES_MAX	8
#define GEMD_CONF_IFACES_MAX	32
#define GEMD_CONF_GROUPS_MAX	64
#define GEMD_CONF_SOURCES_MAX	256
#define GEMD_CONF_ANNOUNCE_MAX	16

struct gemd_conf_device {
	char name[16];			/* the gem device gemd creates or adopts */
	char underlay[16];
};

struct gemd_conf_iface {
	char name[16];			/* a Babel interface */
	unsigned int hello_ms;		/* 0: the global value */
	unsigned int update_ms;
};

struct gemd_conf_group {
	struct gem_addr prefix;
	char gak[GEMD_CONF_PATH_MAX];
	uint8_t tag_alg;		/* enum gem_tag_alg */
	uint32_t max_rate;		/* its receive windows' bound; 0: stream-max-rate */
};

struct gemd_conf_source {
	struct gem_addr source, group;	/* a stream gemd keys before it is seen */
};

struct gemd_conf {
	char identity[GEMD_CONF_PATH_MAX];
	char bootstrap_key[GEMD_CONF_PATH_MAX];
	char socket[GEMD_CONF_PATH_MAX];
	unsigned int n_devices, n_ifaces, n_groups, n_sources, n_announce;
	struct gem_addr announce[GEMD_CONF_ANNOUNCE_MAX];	/* our prefixes, in Babel */
	struct gemd_conf_device devices[GEMD_CONF_DEVICES_MAX];
	struct gemd_conf_iface ifaces[GEMD_CONF_IFACES_MAX];
	struct gemd_conf_group groups[GEMD_CONF_GROUPS_MAX];
	struct gemd_conf_source sources[GEMD_CONF_SOURCES_MAX];
	unsigned int hello_ms;		/* Babel timers */
	unsigned int update_ms;
	unsigned int rotate_s;		/* a stream key's life before a new one */
	uint64_t rotate_packets;	/* or this many packets, whichever first */
	unsigned int overlap_s;		/* old and new key both installed */
	unsigned int item_lifetime_s;
	unsigned int max_items;
	unsigned int max_items_per_origin;
	unsigned int max_clock_skew_s;	/* how far ahead an item may be made */
	uint32_t stream_max_rate;	/* packets/s a receive window moves ahead, at most */
	unsigned int max_new_streams;	/* local streams keyed a second, per source */
	bool install_routes;
	bool control_esp;		/* Babel inside ESP keyed from the BK */
	bool control_mac;		/* RFC 8967 MACs keyed from the BK */
};

/* Defaults, as gemd.conf(5) gives them. */
void gemd_conf_defaults(struct gemd_conf *c);

/*
 * Parses text (the contents of file, which names it in errors) into c,
 * over the defaults. 0, or -1 with "FILE:LINE: FIELD: what is wrong" in
 * err; c is then not to be used (a running gemd keeps its old one).
 */
int gemd_conf_parse(const char *file, const char *text, struct gemd_conf *c, char *err,
		    size_t errlen);

/* Reads and parses path; errors as above, or naming the file. */
int gemd_conf_load(const char *path, struct gemd_conf *c, char *err, size_t errlen);

/*
 * The first directive that differs between the running configuration and
 * a reloaded one and takes effect only when gemd starts (its identity,
 * socket, devices, Babel interfaces and timers, routes, control-mac,
 * limits), or NULL.
 * The others (groups and their GAKs, sources, rotation, lifetimes, the BK
 * and control-esp) a reload applies.
 */
const char *gemd_conf_restart_needed(const struct gemd_conf *run, const struct gemd_conf *next);
/* Those start-only directives of next set back to the running ones. */
void gemd_conf_keep_start_only(const struct gemd_conf *run, struct gemd_conf *next);

#endif /* GEM_GEMD_CONF_H */
