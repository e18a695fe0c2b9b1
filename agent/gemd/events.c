// SPDX-License-Identifier: GPL-2.0
/*
 * Event clients of gemd's local API. Writes never block gemd: a client
 * whose socket is full is dropped rather than waited for.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "events.h"

static struct {
	int fd;
	bool json;
} clients[GEMD_EVENT_CLIENTS];
static unsigned int n_clients;

void gemd_events_subscribe(int fd, bool json)
{
	if (n_clients == GEMD_EVENT_CLIENTS) {
		close(fd);
		return;
	}
	clients[n_clients].fd = fd;
	clients[n_clients].json = json;
	n_clients++;
}

void gemd_events_close(void)
{
	while (n_clients)
		close(clients[--n_clients].fd);
}

/* Appends s, escaped for a JSON string, if json. */
static size_t add(char *buf, size_t at, size_t len, const char *s, bool json)
{
	for (; *s && at + 7 < len; s++) {
		if (json && (*s == '"' || *s == '\\'))
			buf[at++] = '\\';
		if (json && (unsigned char)*s < 0x20)
			at += (size_t)snprintf(buf + at, len - at, "\\u%04x", *s);
		else
			buf[at++] = *s;
	}
	buf[at] = '\0';
	return at;
}

static size_t format(char *buf, size_t len, bool json, const char *name, va_list ap)
{
	const char *k, *v;
	size_t at = 0;

	at = add(buf, at, len, json ? "{\"event\":\"" : "", false);
	at = add(buf, at, len, name, json);
	if (json)
		at = add(buf, at, len, "\"", false);
	while ((k = va_arg(ap, const char *)) && (v = va_arg(ap, const char *))) {
		at = add(buf, at, len, json ? ",\"" : " ", false);
		at = add(buf, at, len, k, json);
		at = add(buf, at, len, json ? "\":\"" : " ", false);
		at = add(buf, at, len, v, json);
		if (json)
			at = add(buf, at, len, "\"", false);
	}
	at = add(buf, at, len, json ? "}\n" : "\n", false);
	return at;
}

void gemd_event(const char *name, ...)
{
	char buf[512];
	unsigned int i = 0;
	va_list ap;

	while (i < n_clients) {
		size_t n;

		va_start(ap, name);
		n = format(buf, sizeof(buf), clients[i].json, name, ap);
		va_end(ap);
		if (send(clients[i].fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) != (ssize_t)n) {
			close(clients[i].fd);
			clients[i] = clients[--n_clients];
			continue;
		}
		i++;
	}
}
