/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd's local API: a Unix socket only root may use (mode 0600). A client
 * writes one request line, "status", "neighbours" or "routes", followed
 * by " json" or " text", and reads the answer until gemd closes.
 */
#ifndef GEM_GEMD_API_H
#define GEM_GEMD_API_H

#include <stddef.h>

#include "babel/babel.h"
#include "gemd_items.h"

/* Listens at path (a stale socket is replaced); -1 with a reason. */
int gemd_api_open(const char *path, char *err, size_t errlen);
void gemd_api_close(int fd, const char *path);
/* Answers one waiting client. */
void gemd_api_serve(int fd, const struct babel *b, struct gemd_items *it,
		    uint64_t now_ms);

#endif /* GEM_GEMD_API_H */
