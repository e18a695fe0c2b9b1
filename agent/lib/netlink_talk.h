/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One netlink request and its ack, on a short-lived socket: how gemd
 * talks to rtnetlink (routes, links) and XFRM, which change when the
 * network or the configuration does, never per packet.
 */
#ifndef GEM_NETLINK_TALK_H
#define GEM_NETLINK_TALK_H

#include <stddef.h>

/*
 * Sends req (a whole netlink message, NLM_F_ACK set by the caller) on a
 * socket of protocol; 0, or the kernel's -errno.
 */
int netlink_talk(int protocol, const void *req, size_t len);

#endif /* GEM_NETLINK_TALK_H */
