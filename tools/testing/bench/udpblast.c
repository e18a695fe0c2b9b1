// SPDX-License-Identifier: GPL-2.0
/*
 * udpblast: a multicast UDP load for the benchmarks.
 *
 *   udpblast send IFNAME GROUP PORT SIZE SECONDS   sends SIZE-byte datagrams as fast as it can
 *   udpblast recv IFNAME GROUP PORT SECONDS        counts what arrives
 *
 * Both print "<datagrams> <payload bytes> <seconds>" when done.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	unsigned long long n = 0, bytes = 0;
	struct sockaddr_in to = { .sin_family = AF_INET };
	char buf[65536];
	double start, secs;
	int fd, one = 1, ttl = 8;
	unsigned int ifindex;

	if (argc < 6) {
		fprintf(stderr, "usage: udpblast send IFNAME GROUP PORT SIZE SECONDS\n"
				"       udpblast recv IFNAME GROUP PORT SECONDS\n");
		return 2;
	}
	ifindex = if_nametoindex(argv[2]);
	to.sin_port = htons(atoi(argv[4]));
	if (!ifindex || inet_pton(AF_INET, argv[3], &to.sin_addr) != 1) {
		fprintf(stderr, "udpblast: bad interface or group\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (!strcmp(argv[1], "send")) {
		struct ip_mreqn mr = { .imr_ifindex = ifindex };
		size_t size = atoi(argv[5]);

		secs = atof(argv[6]);
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr));
		setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
		memset(buf, 'b', sizeof(buf));
		start = now();
		while (now() - start < secs) {
			int i;

			for (i = 0; i < 64; i++)
				if (sendto(fd, buf, size, 0, (struct sockaddr *)&to, sizeof(to)) > 0) {
					n++;
					bytes += size;
				}
		}
	} else {
		struct ip_mreqn mr = { .imr_multiaddr = to.sin_addr, .imr_ifindex = ifindex };
		struct sockaddr_in any = { .sin_family = AF_INET, .sin_port = to.sin_port };
		struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
		int rcvbuf = 4 << 20;
		double last = 0;
		ssize_t r;

		secs = atof(argv[5]);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (bind(fd, (struct sockaddr *)&any, sizeof(any)) ||
		    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr))) {
			perror("udpblast: join");
			return 1;
		}
		fprintf(stderr, "ready\n");
		start = now();
		while (now() - start < secs) {
			r = recv(fd, buf, sizeof(buf), 0);
			if (r > 0) {
				if (!n)
					start = now();	/* count from the first datagram */
				n++;
				bytes += r;
				last = now();
			}
		}
		secs = n ? last - start : secs;
	}
	printf("%llu %llu %.3f\n", n, bytes, secs);
	return 0;
}
