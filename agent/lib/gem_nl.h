/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gemd's and gemctl's netlink, over libnl: a session with gem.ko's "gem"
 * generic-netlink family (requests, dumps, events, the kernel's extended
 * acks), and one-shot requests to rtnetlink and XFRM.
 */
#ifndef GEM_NL_H
#define GEM_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/genl/genl.h>

struct gem_nl {
	struct nl_sock *sk;
	int family;
	int error;		/* the last request's errno, 0 when none */
	int done;		/* the last request was acked, failed or ended */
	bool interrupted;	/* the last dump met a change in what it read */
	char errmsg[256];	/* the kernel's extack message, or strerror */
};

typedef int (*gem_nl_msg_cb)(struct nl_msg *msg, void *arg);

/* Connects and resolves the family; on failure says why in errmsg. */
int gem_nl_open(struct gem_nl *nl);
void gem_nl_close(struct gem_nl *nl);

/* A request for cmd, to fill with attributes before gem_nl_send. */
struct nl_msg *gem_nl_msg(struct gem_nl *nl, uint8_t cmd, int flags);

/* Sends msg (and frees it), calls cb on each reply; 0 or -errno. */
int gem_nl_send(struct gem_nl *nl, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg);

/*
 * A dump read whole: the replies are held until the dump ends, and one
 * that met a change in the table it read (keys come and go all the time)
 * is no one state of it, so it is asked again, up to 5 times. Only a whole
 * dump reaches cb, so nothing is printed twice or cut short. msg is freed.
 * 0, -EAGAIN when every try was interrupted, or -errno (why in errmsg).
 */
int gem_nl_dump(struct gem_nl *nl, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg);

/* A request whose only answer is its ack; 0 or -errno (why in errmsg). */
int gem_nl_request(struct gem_nl *nl, struct nl_msg *msg);

/*
 * One request to another netlink family (NETLINK_ROUTE, NETLINK_XFRM) and
 * its ack, on a short-lived socket: for what changes with the network or
 * the configuration, never per packet. msg (NULL: out of memory) is wiped,
 * for it may hold a key, and freed. 0, or the kernel's -errno.
 */
int gem_nl_talk(int protocol, struct nl_msg *msg);

/* The ifindex of gem device name, or 0 with the module's reason in errmsg. */
unsigned int gem_nl_dev_ifindex(struct gem_nl *nl, const char *name);

/*
 * The family's id as the kernel has it now, on a socket of its own (one
 * carrying callbacks must not resolve); a new id means gem.ko was
 * reloaded, a negative one that it is gone.
 */
int gem_nl_family_now(void);

/* Joins the events group; then gem_nl_recv delivers each event to cb. */
int gem_nl_subscribe(struct gem_nl *nl);
int gem_nl_recv(struct gem_nl *nl, gem_nl_msg_cb cb, void *arg);

/*
 * The extack message of an NLMSG_ERROR message of len bytes, or NULL;
 * bounded by len, so a truncated or hostile message cannot overrun.
 */
const char *gem_nl_extack_msg(const struct nlmsghdr *nlh, size_t len);

#endif /* GEM_NL_H */
