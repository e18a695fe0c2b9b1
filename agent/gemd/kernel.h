/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything gemd says to gem.ko or hears from it, and nothing else: a
 * session (with module-reload detection), gem devices (found or made),
 * groups, stream keys (set, removed, dumped with their packet numbers),
 * and gem.ko's events and normalizer rules.
 *
 * kernel_session.c, kernel_devices.c, kernel_keys.c and kernel_events.c
 * implement it over lib/gem_nl.h and rtnetlink; the unit
 * tests link tests/fake_kernel.c in their place. What decides (the key
 * lifecycle) uses only this header, never a netlink one.
 */
#ifndef GEM_GEMD_KERNEL_H
#define GEM_GEMD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "items/gem_item.h"
#include "lib/addr.h"

#define KERNEL_SEK_LEN	32

/* A session with gem.ko: opaque, so its users need no netlink header. */
struct gemd_kernel;

/*
 * Opens a session; with events, subscribed to gem.ko's events as well
 * (a failure there is logged, and the session works without them).
 * NULL, the reason in err, when gem.ko is not there.
 */
struct gemd_kernel *kernel_open(bool events, char *err, size_t errlen);
void kernel_close(struct gemd_kernel *kn);
/* Whether gem.ko went away or was reloaded since the session opened. */
bool kernel_reloaded(const struct gemd_kernel *kn);
/* Why the last request failed, as the kernel said. */
const char *kernel_errmsg(const struct gemd_kernel *kn);

/* The ifindex of gem device name, or 0 (why in kernel_errmsg). */
unsigned int kernel_dev_ifindex(struct gemd_kernel *kn, const char *name);
/*
 * Makes gem device name over underlay, up; 0, -EEXIST when an interface
 * of that name exists already (a gem device or not), or -errno
 * (-ENODEV: no such underlay).
 */
int kernel_dev_create(const char *name, const char *underlay);

/* A group prefix onto a device, with its data-tag subkey (never the GAK). */
int kernel_group_set(struct gemd_kernel *kn, unsigned int ifindex, const struct gem_addr *prefix,
		     uint8_t tag_alg, const uint8_t *tag, size_t tag_len);

/* One stream key, as kernel_key_set takes it. */
struct kernel_key {
	bool tx;			/* sending; else receiving */
	struct gem_ip src, grp;
	uint8_t key_id;
	const uint8_t *sek;		/* KERNEL_SEK_LEN; wiped from the request once sent */
	uint32_t rate;			/* rx: how fast the window may move ahead */
	uint64_t floor;			/* rx: below it the window takes nothing (0: none) */
};

/* 0 or -errno (why in kernel_errmsg). */
int kernel_key_set(struct gemd_kernel *kn, unsigned int ifindex, const struct kernel_key *key);
/* Removes the key (sek, rate and floor unused); -ENOENT when gem.ko had none. */
int kernel_key_del(struct gemd_kernel *kn, unsigned int ifindex, const struct kernel_key *key);

/* A stream key as a dump gives it: never the key itself. */
struct kernel_stream {
	struct gem_ip src, grp;
	uint8_t key_id;
	uint64_t packets;		/* sent or taken with this key */
	uint64_t pn;			/* tx: the next packet number; rx: newest taken + 1 */
};

/* A device's transmit or receive keys, at most max; how many, or -1. */
int kernel_keys_dump(struct gemd_kernel *kn, unsigned int ifindex, bool tx,
		     struct kernel_stream *out, unsigned int max);

/* What gem.ko says of a stream, by event or in a normalizer dump. */
struct kernel_event {
	enum {
		KERNEL_TX_KEY_MISSING,	/* a local stream sent with no key */
		KERNEL_NORM_RULE,	/* a normalizer rule, set or dumped */
		KERNEL_NORM_STREAM,	/* the normalizer began a stream */
	} kind;
	unsigned int ifindex;		/* the gem device (norm: the rule's out device) */
	struct gem_ip src, grp;		/* norm: the new source, and the group */
	uint8_t prefixlen;		/* norm rule: the group's prefix length */
};

typedef void (*kernel_event_fn)(void *arg, const struct kernel_event *e);

/* gem.ko's events socket to poll, or -1. */
int kernel_event_fd(const struct gemd_kernel *kn);
/* The events there now, each to fn; never blocks. */
void kernel_events(struct gemd_kernel *kn, kernel_event_fn fn, void *arg);
/* The normalizer's rules as they are now, each to fn as a KERNEL_NORM_RULE. */
void kernel_norm_rules(struct gemd_kernel *kn, kernel_event_fn fn, void *arg);

#endif /* GEM_GEMD_KERNEL_H */
