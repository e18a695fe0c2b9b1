// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz, beside the requests: the sockets and the family, events, group
 * memberships, slow dumps, and the kernel's log.
 */

#include "nlfuzz.h"

int nl_socket(int rcvbuf)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC), one = 1;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (fd < 0)
		die("netlink socket: %s", strerror(errno));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("netlink bind: %s", strerror(errno));
	return fd;
}

/* The family's id and its events group, from the control family. */
void resolve_family(void)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
		uint8_t attrs[64];
	} req = {
		.nlh = { .nlmsg_type = GENL_ID_CTRL, .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
		.g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
	};
	struct nlattr *nla = (struct nlattr *)req.attrs;
	const struct nlmsghdr *nlh = (const void *)rbuf;
	int fd = nl_socket(0);
	ssize_t n;
	size_t off;

	nla->nla_type = CTRL_ATTR_FAMILY_NAME;
	nla->nla_len = NLA_HDRLEN + sizeof(GEM_GENL_NAME);
	memcpy(nla + 1, GEM_GENL_NAME, sizeof(GEM_GENL_NAME));
	req.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(nla->nla_len);
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0 || (n = recv(fd, rbuf, sizeof(rbuf), 0)) < 0)
		die("resolving the gem family: %s", strerror(errno));
	close(fd);
	if (nlh->nlmsg_type != GENL_ID_CTRL)
		die("no gem family: is gem.ko loaded?");
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= nlh->nlmsg_len;) {
		const struct nlattr *a = (const void *)(rbuf + off);

		if (a->nla_len < NLA_HDRLEN)
			break;
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			family_id = *(const uint16_t *)(a + 1);
		if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_MCAST_GROUPS) {
			size_t o = NLA_HDRLEN;

			while (o + NLA_HDRLEN <= a->nla_len) {
				const struct nlattr *grp = (const void *)((const uint8_t *)a + o);
				size_t p = NLA_HDRLEN;
				uint32_t id = 0;
				int events = 0;

				while (p + NLA_HDRLEN <= grp->nla_len) {
					const struct nlattr *f = (const void *)((const uint8_t *)grp + p);

					if (f->nla_len < NLA_HDRLEN)
						break;
					if (f->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = *(const uint32_t *)(f + 1);
					if (f->nla_type == CTRL_ATTR_MCAST_GRP_NAME &&
					    !strcmp((const char *)(f + 1), GEM_MCGRP_EVENTS))
						events = 1;
					p += NLA_ALIGN(f->nla_len);
				}
				if (events)
					events_group = id;
				if (grp->nla_len < NLA_HDRLEN)
					break;
				o += NLA_ALIGN(grp->nla_len);
			}
		}
		off += NLA_ALIGN(a->nla_len);
	}
	if (!family_id || !events_group)
		die("the control family did not give the gem family's id and events group");
}

/* Notifications: counted by command, and checked like answers. */
void drain_events(int fd)
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		const struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == ENOBUFS) {
				ntf_overruns++;
				continue;
			}
			return;
		}
		for (nlh = (const void *)rbuf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type != family_id)
				continue;
			ntf[((const struct genlmsghdr *)NLMSG_DATA(nlh))->cmd]++;
			check_gem_msg(nlh, NULL, 1);
		}
	}
}

/* Joins and leaves: the events group, other groups, bind() with a mask. */
void membership(struct rng *r, int fd)
{
	uint32_t group;
	int op = below(r, 4), err;

	group = chance(r, 60) ? events_group : (chance(r, 80) ? below(r, 40) : (uint32_t)rnd(r));
	if (op == 3) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
		socklen_t salen = sizeof(sa);

		/* A bound socket binds again only to its own port id. */
		getsockname(fd, (struct sockaddr *)&sa, &salen);
		sa.nl_groups = 0;
		if (group >= 1 && group <= 32)
			sa.nl_groups = 1u << (group - 1);
		if (chance(r, 30))
			sa.nl_groups |= rnd(r);
		err = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ? errno : 0;
		if (events_group <= 32 && sa.nl_groups & (1u << (events_group - 1)))
			group = events_group;
		else
			group = 0;
	} else {
		err = setsockopt(fd, SOL_NETLINK, op == 2 ? NETLINK_DROP_MEMBERSHIP
							  : NETLINK_ADD_MEMBERSHIP,
				 &group, sizeof(group)) ? errno : 0;
		if (op == 2)
			return;
	}
	if (!err)
		mc_joined++;
	else
		mc_refused[err & (ERRNO_MAX - 1)]++;
	if (group == events_group && group) {
		if (err)
			mc_events_refused++;
		else
			mc_events_joined++;
		if (!err && opt.unpriv)
			violation("an unprivileged socket joined the events group", NULL, 0);
	}
}

struct slow *slow[SLOW_DUMPS];

void slow_step(struct rng *r)
{
	int i = below(r, SLOW_DUMPS);
	struct slow *s = slow[i];
	ssize_t n;

	if (!s) {
		static const int dumps[] = { GEM_CMD_DEV_GET, GEM_CMD_GROUP_GET, GEM_CMD_TX_GET,
					     GEM_CMD_RX_GET, GEM_CMD_NORM_GET,
					     GEM_CMD_NORM_STREAM_GET };

		s = calloc(1, sizeof(*s));
		if (!s)
			die("out of memory");
		s->fd = nl_socket(chance(r, 50) ? 1 : 8192);
		build_valid(r, &s->q, dumps[below(r, ARRAY_SIZE(dumps))], 1);
		s->w.len = lay_out(&s->q, s->w.buf, sizeof(s->w.buf), 1);
		if (send(s->fd, s->w.buf, s->w.len, 0) < 0) {
			close(s->fd);
			free(s);
			return;
		}
		slow[i] = s;
		slow_started++;
		return;
	}
	if (chance(r, 5)) {	/* abandoned in the middle */
		close(s->fd);
		free(s);
		slow[i] = NULL;
		slow_abandoned++;
		return;
	}
	n = recv(s->fd, rbuf, chance(r, 90) ? sizeof(rbuf) : 512, MSG_DONTWAIT);
	if (n < 0 && errno != EAGAIN && errno != ENOBUFS)
		die("recv: %s", strerror(errno));
	if (n > 0 && take_answers(rbuf, n, &s->q, &s->w, &s->out, 1)) {
		close(s->fd);
		free(s);
		slow[i] = NULL;
	}
}

/* Watches the kernel's log for what must never be there. */
static const char *const bad_words[] = {
	"WARNING:", "BUG:", "Oops", "general protection", "KASAN", "UBSAN", "refcount_t",
	"list_del corruption", "list_add corruption", "suspicious RCU", "kernel BUG",
	"unregister_netdevice: waiting", "Call Trace:",
};

int kmsg_fd = -1;

int kmsg_check(void)
{
	char line[1024];
	size_t i;
	ssize_t n;

	if (kmsg_fd < 0)
		return 0;
	for (;;) {
		n = read(kmsg_fd, line, sizeof(line) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			return 0;
		line[n] = '\0';
		if (strstr(line, "gem_nlfuzz"))
			continue;
		for (i = 0; i < ARRAY_SIZE(bad_words); i++)
			if (strstr(line, bad_words[i])) {
				printf("# KERNEL COMPLAINT after request #%" PRIu64 " (%s, seed %" PRIu64
				       "): %s", cur_index, opt.name, opt.seed, line);
				printf("# the requests just before it:\n");
				ring_print(stdout);
				violations++;
				fflush(stdout);
				return 1;
			}
	}
}
