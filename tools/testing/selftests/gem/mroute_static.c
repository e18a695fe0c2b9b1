// SPDX-License-Identifier: GPL-2.0
/*
 * mroute_static IIF SOURCE GROUP OIF [SOURCE GROUP OIF]...: plain IPv4
 * multicast forwarding of each (source, group) from IIF to its OIF by the
 * kernel's multicast routing, for as long as it runs. The baseline the normalizer is compared with,
 * and the "no rule" case of the PIM test: a router's forwarding without
 * a routing daemon's decisions. Prints "ready" once the route is in.
 */
#include <arpa/inet.h>
#include <linux/mroute.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_VIFS	8

static char vif_names[MAX_VIFS][IF_NAMESIZE];
static int n_vifs;

/* The vif of a device, added the first time it is named; -1 on error. */
static int vif_of(int s, const char *ifname)
{
	struct vifctl v;
	int i;

	for (i = 0; i < n_vifs; i++)
		if (!strcmp(vif_names[i], ifname))
			return i;
	memset(&v, 0, sizeof(v));
	v.vifc_vifi = n_vifs;
	v.vifc_flags = VIFF_USE_IFINDEX;
	v.vifc_threshold = 1;
	v.vifc_lcl_ifindex = if_nametoindex(ifname);
	if (!v.vifc_lcl_ifindex || strlen(ifname) >= IF_NAMESIZE || n_vifs == MAX_VIFS) {
		fprintf(stderr, "mroute_static: no such device: %s\n", ifname);
		return -1;
	}
	if (setsockopt(s, IPPROTO_IP, MRT_ADD_VIF, &v, sizeof(v))) {
		perror("mroute_static: MRT_ADD_VIF");
		return -1;
	}
	strcpy(vif_names[n_vifs], ifname);
	return n_vifs++;
}

int main(int argc, char **argv)
{
	int s, i, iif, oif, one = 1;
	struct mfcctl m;

	if (argc < 5 || (argc - 2) % 3) {
		fprintf(stderr, "usage: mroute_static IIF SOURCE GROUP OIF [SOURCE GROUP OIF]...\n");
		return 2;
	}
	s = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
	if (s < 0 || setsockopt(s, IPPROTO_IP, MRT_INIT, &one, sizeof(one))) {
		perror("mroute_static: MRT_INIT");
		return 1;
	}
	iif = vif_of(s, argv[1]);
	if (iif < 0)
		return 1;
	for (i = 2; i < argc; i += 3) {
		memset(&m, 0, sizeof(m));
		if (inet_pton(AF_INET, argv[i], &m.mfcc_origin) != 1 ||
		    inet_pton(AF_INET, argv[i + 1], &m.mfcc_mcastgrp) != 1) {
			fprintf(stderr, "mroute_static: SOURCE and GROUP are IPv4 addresses\n");
			return 2;
		}
		oif = vif_of(s, argv[i + 2]);
		if (oif < 0)
			return 1;
		m.mfcc_parent = iif;
		m.mfcc_ttls[oif] = 1;
		if (setsockopt(s, IPPROTO_IP, MRT_ADD_MFC, &m, sizeof(m))) {
			perror("mroute_static: MRT_ADD_MFC");
			return 1;
		}
	}
	printf("ready\n");
	fflush(stdout);
	pause();
	return 0;
}
