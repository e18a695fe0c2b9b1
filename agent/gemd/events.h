/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd's events, as they happen, to every client of the local API that
 * asked for them ("events"): one line each, "NAME key value key value",
 * or the same as a JSON object for a client that asked for JSON. Keys
 * never appear, only their ids.
 */
#ifndef GEM_EVENTS_H
#define GEM_EVENTS_H

#include <stdbool.h>

#define GEMD_EVENT_CLIENTS	8

/* Takes a connected client; it is closed when it goes, or falls behind. */
void gemd_events_subscribe(int fd, bool json);
/* Closes every client (at exit). */
void gemd_events_close(void);

/*
 * Sends the event name with pairs of words (key, value; a NULL key ends
 * them) to every client.
 */
void gemd_event(const char *name, ...) __attribute__((sentinel));

#endif /* GEM_EVENTS_H */
