// SPDX-License-Identifier: GPL-2.0
/*
 * A session with gem.ko's "gem" generic-netlink family.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/gem.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "gem_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

const char *gem_nl_extack_msg(const struct nlmsghdr *nlh, size_t len)
{
	const struct nlmsgerr *err;
	const struct nlattr *nla;
	size_t off, alen;

	if (len < NLMSG_HDRLEN + sizeof(*err) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_type != NLMSG_ERROR || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	len = nlh->nlmsg_len;
	err = NLMSG_DATA(nlh);
	off = NLMSG_HDRLEN + sizeof(*err);
	/* Unless capped, the request that failed is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN || err->msg.nlmsg_len > len)
			return NULL;
		off += NLMSG_ALIGN(err->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	while (off + NLA_HDRLEN <= len) {
		nla = (const struct nlattr *)((const char *)nlh + off);
		alen = nla->nla_len;
		if (alen < NLA_HDRLEN || off + alen > len)
			return NULL;
		if ((nla->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			const char *s = (const char *)nla + NLA_HDRLEN;

			/* Only a NUL-terminated string within the attribute. */
			if (alen > NLA_HDRLEN && memchr(s, '\0', alen - NLA_HDRLEN))
				return s;
			return NULL;
		}
		off += NLA_ALIGN(alen);
	}
	return NULL;
}

static int gem_nl_err_cb(struct sockaddr_nl *who, struct nlmsgerr *nlerr, void *arg)
{
	struct gem_nl *nl = arg;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)((char *)nlerr - NLMSG_HDRLEN);
	const char *msg;

	(void)who;
	nl->done = 1;
	nl->error = -nlerr->error;
	msg = gem_nl_extack_msg(nlh, nlh->nlmsg_len);
	snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", msg ? msg : strerror(nl->error));
	return NL_STOP;
}

/* A dump that failed after it started ends in NLMSG_DONE with an errno. */
static int gem_nl_finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct gem_nl *nl = arg;
	int err;

	nl->done = 1;
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
		if (err < 0) {
			nl->error = -err;
			snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", strerror(-err));
		}
	}
	return NL_STOP;
}

static int gem_nl_ack_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct gem_nl *)arg)->done = 1;
	return NL_STOP;
}

/* A socket of protocol whose errors, acks and ends land in nl. */
static int gem_nl_connect(struct gem_nl *nl, int protocol)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "out of memory");
		return -ENOMEM;
	}
	if (nl_connect(nl->sk, protocol)) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "cannot open a netlink socket");
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -EIO;
	}
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	nl_socket_modify_err_cb(nl->sk, NL_CB_CUSTOM, gem_nl_err_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_FINISH, NL_CB_CUSTOM, gem_nl_finish_cb, nl);
	nl_socket_modify_cb(nl->sk, NL_CB_ACK, NL_CB_CUSTOM, gem_nl_ack_cb, nl);
	return 0;
}

int gem_nl_open(struct gem_nl *nl)
{
	int err = gem_nl_connect(nl, NETLINK_GENERIC);

	if (err)
		return err;
	nl->family = genl_ctrl_resolve(nl->sk, GEM_GENL_NAME);
	if (nl->family < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "the gem module is not loaded (modprobe gem)");
		nl_socket_free(nl->sk);
		nl->sk = NULL;
		return -ENOENT;
	}
	return 0;
}

int gem_nl_talk(int protocol, struct nl_msg *msg)
{
	struct gem_nl nl;
	int err;

	if (!msg)
		return -ENOMEM;
	err = gem_nl_connect(&nl, protocol);
	if (err) {
		sodium_memzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return err;
	}
	err = gem_nl_request(&nl, msg);
	gem_nl_close(&nl);
	return err;
}

void gem_nl_close(struct gem_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *gem_nl_msg(struct gem_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, GEM_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

int gem_nl_send(struct gem_nl *nl, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg)
{
	int err;

	nl->error = 0;
	nl->done = 0;
	nl->interrupted = false;
	nl->errmsg[0] = '\0';
	err = nl_send_auto(nl->sk, msg);
	/* Requests may carry keys: leave none in freed memory. */
	sodium_memzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	if (err < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", nl_geterror(err));
		return -EIO;
	}
	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	/* A reply comes before its ack: read until the ack, error or end. */
	do
		err = nl_recvmsgs_default(nl->sk);
	while (err >= 0 && !nl->done);
	if (nl->error)
		return -nl->error;
	if (err == -NLE_DUMP_INTR) {
		/* What was read is no one state of the table: read it again. */
		nl->interrupted = true;
		snprintf(nl->errmsg, sizeof(nl->errmsg), "the table changed while it was read");
		return -EAGAIN;
	}
	if (err < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", nl_geterror(err));
		return -EIO;
	}
	return 0;
}

struct gem_nl_held {
	struct nl_msg **msgs;
	size_t n, cap;
	bool nomem;
};

static int gem_nl_hold_cb(struct nl_msg *msg, void *arg)
{
	struct gem_nl_held *h = arg;
	struct nl_msg *copy, **grown;

	if (h->n == h->cap) {
		grown = realloc(h->msgs, (h->cap ? 2 * h->cap : 16) * sizeof(*grown));
		if (!grown) {
			h->nomem = true;
			return NL_STOP;
		}
		h->msgs = grown;
		h->cap = h->cap ? 2 * h->cap : 16;
	}
	copy = nlmsg_convert(nlmsg_hdr(msg));
	if (!copy) {
		h->nomem = true;
		return NL_STOP;
	}
	h->msgs[h->n++] = copy;
	return NL_OK;
}

static void gem_nl_held_free(struct gem_nl_held *h)
{
	while (h->n)
		nlmsg_free(h->msgs[--h->n]);
}

int gem_nl_dump(struct gem_nl *nl, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg)
{
	struct gem_nl_held h = { 0 };
	struct nl_msg *req;
	size_t i;
	int tries, err = -EAGAIN;

	for (tries = 0; tries < 5 && err == -EAGAIN; tries++) {
		gem_nl_held_free(&h);
		/* A copy each time: gem_nl_send frees what it sends. */
		req = nlmsg_convert(nlmsg_hdr(msg));
		if (!req) {
			err = -ENOMEM;
			break;
		}
		err = gem_nl_send(nl, req, gem_nl_hold_cb, &h);
		if (!err && h.nomem)
			err = -ENOMEM;
	}
	sodium_memzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
	nlmsg_free(msg);
	if (err == -ENOMEM)
		snprintf(nl->errmsg, sizeof(nl->errmsg), "out of memory");
	for (i = 0; !err && i < h.n; i++)
		if (cb(h.msgs[i], arg) == NL_STOP)
			break;
	gem_nl_held_free(&h);
	free(h.msgs);
	return err;
}

static int gem_nl_ignore_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int gem_nl_request(struct gem_nl *nl, struct nl_msg *msg)
{
	return gem_nl_send(nl, msg, gem_nl_ignore_cb, NULL);
}

static int gem_nl_ifindex_cb(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[GEM_A_DEV_MAX + 1];

	if (!genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_DEV_MAX, NULL) && tb[GEM_A_DEV_IFINDEX])
		*(unsigned int *)arg = nla_get_u32(tb[GEM_A_DEV_IFINDEX]);
	return NL_OK;
}

unsigned int gem_nl_dev_ifindex(struct gem_nl *nl, const char *name)
{
	struct nl_msg *msg = gem_nl_msg(nl, GEM_CMD_DEV_GET, 0);
	unsigned int ifindex = 0;

	if (!msg || nla_put_string(msg, GEM_A_DEV_IFNAME, name)) {
		nlmsg_free(msg);
		snprintf(nl->errmsg, sizeof(nl->errmsg), "out of memory");
		return 0;
	}
	if (gem_nl_send(nl, msg, gem_nl_ifindex_cb, &ifindex))
		return 0;
	return ifindex;
}

int gem_nl_family_now(void)
{
	struct nl_sock *sk = nl_socket_alloc();
	int id = -ENOMEM;

	if (sk && !genl_connect(sk))
		id = genl_ctrl_resolve(sk, GEM_GENL_NAME);
	nl_socket_free(sk);
	return id;
}

int gem_nl_subscribe(struct gem_nl *nl)
{
	int grp = genl_ctrl_resolve_grp(nl->sk, GEM_GENL_NAME, GEM_MCGRP_EVENTS);
	int err, rcvbuf = 1 << 20;

	if (grp < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "no events group: %s", nl_geterror(grp));
		return -ENOENT;
	}
	err = nl_socket_add_membership(nl->sk, grp);
	if (err < 0) {
		/* libnl folds EPERM into a generic code; say what it means. */
		snprintf(nl->errmsg, sizeof(nl->errmsg),
			 "cannot join the events group (needs CAP_NET_ADMIN): %s",
			 nl_geterror(err));
		return -EPERM;
	}
	nl_socket_disable_seq_check(nl->sk);
	/*
	 * A burst of new streams is a burst of events; what overruns the
	 * buffer is lost (the stream's next packet asks again). Root may
	 * pass rmem_max; anyone else gets what it allows.
	 */
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	return 0;
}

int gem_nl_recv(struct gem_nl *nl, gem_nl_msg_cb cb, void *arg)
{
	int err;

	nl_socket_modify_cb(nl->sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	err = nl_recvmsgs_default(nl->sk);
	if (err < 0) {
		snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", nl_geterror(err));
		return -EIO;
	}
	return 0;
}
