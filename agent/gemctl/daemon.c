// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl status|neighbours|routes|streams|items|events|rotate: asks gemd
 * over its socket.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gemctl.h"

/*
 * status|neighbours|routes|streams|items|events: asks gemd over its
 * socket, prints the answer (events: until gemd or the user ends it).
 */
int gemctl_daemon(struct gemctl *g, const char *what, int argc, char **argv)
{
	const char *socket_path = g->socket_path;
	bool json = g->json;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	bool first = true;
	ssize_t n;
	int fd;

	/* rotate takes a group prefix, or none; the others nothing. */
	if (argc > (strcmp(what, "rotate") ? 0 : 1) || (argc && strlen(argv[0]) > 63)) {
		fprintf(stderr, "gemctl: %s %s\n", what,
			strcmp(what, "rotate") ? "takes no arguments" : "takes one group prefix, or none");
		return 2;
	}
	if (strlen(socket_path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "gemctl: socket path too long: %s\n", socket_path);
		return 2;
	}
	strcpy(sa.sun_path, socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "gemctl: cannot reach gemd at %s: %s\n", socket_path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	n = snprintf(buf, sizeof(buf), "%s %s %s\n", what, json ? "json" : "text",
		     argc ? argv[0] : "");
	if (write(fd, buf, (size_t)n) != n) {
		fprintf(stderr, "gemctl: %s: %s\n", socket_path, strerror(errno));
		close(fd);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 6 && !memcmp(buf, "error:", 6)) {
			fprintf(stderr, "gemctl: gemd: %.*s", (int)n, buf + 7);
			close(fd);
			return 1;
		}
		first = false;
		fwrite(buf, 1, (size_t)n, stdout);
		/* Events come one at a time: each is seen when it happens. */
		fflush(stdout);
	}
	close(fd);
	return 0;
}
