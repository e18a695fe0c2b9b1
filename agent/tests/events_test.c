// SPDX-License-Identifier: GPL-2.0
/*
 * gemd's events as clients read them: a line of words, or a JSON object
 * with its strings escaped; a client that stops reading is dropped, not
 * waited for, and the others still get every event.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gemd/events.h"
#include "test.h"

static ssize_t read_all(int fd, char *buf, size_t len)
{
	ssize_t n = recv(fd, buf, len - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void test_format(void)
{
	int text[2], json[2];
	char buf[512];

	EXPECT(!socketpair(AF_UNIX, SOCK_STREAM, 0, text));
	EXPECT(!socketpair(AF_UNIX, SOCK_STREAM, 0, json));
	gemd_events_subscribe(text[0], false);
	gemd_events_subscribe(json[0], true);
	gemd_event("key-made", "source", "192.0.2.1", "group", "239.1.2.3", "id", "1", NULL);
	gemd_event("item-refused", "reason", "bad \"MAC\"\\", NULL);
	read_all(text[1], buf, sizeof(buf));
	EXPECT_STR(buf, "key-made source 192.0.2.1 group 239.1.2.3 id 1\n"
			"item-refused reason bad \"MAC\"\\\n");
	read_all(json[1], buf, sizeof(buf));
	EXPECT_STR(buf, "{\"event\":\"key-made\",\"source\":\"192.0.2.1\",\"group\":\"239.1.2.3\","
			"\"id\":\"1\"}\n"
			"{\"event\":\"item-refused\",\"reason\":\"bad \\\"MAC\\\"\\\\\"}\n");
	gemd_events_close();
	close(text[1]);
	close(json[1]);
}

static void test_slow_client(void)
{
	int slow[2], fast[2], i, small = 4096;
	char buf[512];
	ssize_t n;

	EXPECT(!socketpair(AF_UNIX, SOCK_STREAM, 0, slow));
	EXPECT(!socketpair(AF_UNIX, SOCK_STREAM, 0, fast));
	setsockopt(slow[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	gemd_events_subscribe(slow[0], false);
	gemd_events_subscribe(fast[0], false);
	/* The slow client never reads; the fast one reads after each event. */
	for (i = 0; i < 2000; i++) {
		gemd_event("neighbour", "address", "fe80::1", "dev", "eth1", "cost", "96", NULL);
		n = read_all(fast[1], buf, sizeof(buf));
		EXPECT(n == (ssize_t)strlen("neighbour address fe80::1 dev eth1 cost 96\n"));
	}
	/* Dropped: its end reads what fitted, then end of file. */
	while ((n = read(slow[1], buf, sizeof(buf))) > 0)
		;
	EXPECT(n == 0);
	gemd_events_close();
	close(slow[1]);
	close(fast[1]);
}

int main(void)
{
	RUN(test_format);
	RUN(test_slow_client);
	return TEST_EXIT();
}
