// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlraw CASE [ARG]: sends one deliberately odd netlink request that
 * ip and gemctl never send, and prints the kernel's answer as
 * "ok" or "error ERRNO: extack message". Exits 0 when the kernel accepted
 * the request, 1 when it refused it, 2 on a usage or socket problem.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/gem.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct req {
	union {
		struct nlmsghdr nlh;
		uint8_t buf[1024];
	};
	size_t nest[4];
	int depth;
};

static void *put(struct req *r, int type, const void *data, size_t len)
{
	struct nlattr *nla = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nlh.nlmsg_len));

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((uint8_t *)nla + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(nla->nla_len);
	return nla;
}

static void begin(struct req *r, int type)
{
	struct nlattr *nla = put(r, type | NLA_F_NESTED, NULL, 0);

	r->nest[r->depth++] = (uint8_t *)nla - r->buf;
}

static void end(struct req *r)
{
	struct nlattr *nla = (struct nlattr *)(r->buf + r->nest[--r->depth]);

	nla->nla_len = r->nlh.nlmsg_len - r->nest[r->depth];
}

/* The NLMSGERR_ATTR_MSG among nlh's ack attributes from off on, or "". */
static const char *ack_msg(const struct nlmsghdr *nlh, size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	while (off + NLA_HDRLEN <= nlh->nlmsg_len) {
		const struct nlattr *nla = (const void *)((const uint8_t *)nlh + off);

		if (nla->nla_len < NLA_HDRLEN)
			break;
		if (nla->nla_type == NLMSGERR_ATTR_MSG)
			return (const char *)nla + NLA_HDRLEN;
		off += NLA_ALIGN(nla->nla_len);
	}
	return "";
}

/* The extack message of an NLMSG_ERROR: after the request it echoes, if it does. */
static const char *extack(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(err->msg.nlmsg_len - NLMSG_HDRLEN);
	return ack_msg(nlh, off);
}

/* Sends r on a socket of protocol proto; returns -errno, or the reply in out. */
static int talk(int proto, struct req *r, uint8_t *out, size_t outlen, int print)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, proto), one = 1;
	struct nlmsghdr *nlh = (struct nlmsghdr *)out;
	ssize_t n;

	if (fd < 0) {
		perror("socket");
		exit(2);
	}
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	r->nlh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	r->nlh.nlmsg_seq = 1;
	if (send(fd, r->buf, r->nlh.nlmsg_len, 0) < 0) {
		perror("send");
		exit(2);
	}
	for (;;) {
		n = recv(fd, out, outlen, 0);
		if (n < 0) {
			perror("recv");
			exit(2);
		}
		if (nlh->nlmsg_type == NLMSG_ERROR)
			break;
	}
	close(fd);
	{
		const struct nlmsgerr *err = NLMSG_DATA(nlh);

		if (print) {
			if (err->error)
				printf("error %s: %s\n", strerrorname_np(-err->error), extack(nlh));
			else
				printf("ok\n");
		}
		return err->error;
	}
}

/* The extack message of an NLMSG_DONE that ends a dump: after its errno. */
static const char *done_extack(const struct nlmsghdr *nlh)
{
	return ack_msg(nlh, NLMSG_HDRLEN + sizeof(int));
}

/*
 * A dump of command cmd, naming ifindex (0: none), read to its end;
 * prints "ok N" with the entries dumped or "error ERRNO: extack", from
 * the NLMSG_ERROR of a refused start or the NLMSG_DONE of a dump refused
 * in its first round.
 */
static int genl_dump(int family, uint8_t cmd, uint32_t ifindex)
{
	struct req r = { .nlh = { .nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN } };
	struct genlmsghdr *g = NLMSG_DATA(&r.nlh);
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC), one = 1, entries = 0;
	uint8_t out[65536];

	r.nlh.nlmsg_type = family;
	r.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	g->cmd = cmd;
	g->version = GEM_GENL_VERSION;
	if (ifindex)
		put(&r, GEM_A_CONF_IFINDEX, &ifindex, sizeof(ifindex));
	if (fd < 0 || setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    send(fd, r.buf, r.nlh.nlmsg_len, 0) < 0) {
		perror("dump");
		exit(2);
	}
	for (;;) {
		ssize_t n = recv(fd, out, sizeof(out), 0);
		struct nlmsghdr *nlh = (struct nlmsghdr *)out;

		if (n < 0) {
			perror("recv");
			exit(2);
		}
		for (; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
			int err;

			if (nlh->nlmsg_type == NLMSG_ERROR) {
				err = ((const struct nlmsgerr *)NLMSG_DATA(nlh))->error;
				printf("error %s: %s\n", strerrorname_np(-err), extack(nlh));
				close(fd);
				return err;
			}
			if (nlh->nlmsg_type != NLMSG_DONE) {
				entries++;
				continue;
			}
			memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
			if (err)
				printf("error %s: %s\n", strerrorname_np(-err), done_extack(nlh));
			else
				printf("ok %d\n", entries);
			close(fd);
			return err;
		}
	}
}

static int genl_family(void)
{
	uint8_t out[4096];
	struct req r = { .nlh = { .nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN,
				   .nlmsg_type = GENL_ID_CTRL } };
	struct genlmsghdr *g = NLMSG_DATA(&r.nlh);
	struct nlmsghdr *nlh = (struct nlmsghdr *)out;
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	size_t off;

	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	put(&r, CTRL_ATTR_FAMILY_NAME, GEM_GENL_NAME, sizeof(GEM_GENL_NAME));
	r.nlh.nlmsg_flags = NLM_F_REQUEST;
	if (fd < 0 || send(fd, r.buf, r.nlh.nlmsg_len, 0) < 0 || recv(fd, out, sizeof(out), 0) < 0) {
		perror("genl family");
		exit(2);
	}
	close(fd);
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		fprintf(stderr, "gem family not found: is gem.ko loaded?\n");
		exit(2);
	}
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= nlh->nlmsg_len;) {
		struct nlattr *nla = (struct nlattr *)(out + off);

		if (nla->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((uint8_t *)nla + NLA_HDRLEN);
		off += NLA_ALIGN(nla->nla_len);
	}
	fprintf(stderr, "no family id in reply\n");
	exit(2);
}

static int newlink(const char *name, const void *link, size_t link_len, int info_data)
{
	uint8_t out[4096];
	struct req r = { .nlh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)),
				   .nlmsg_type = RTM_NEWLINK,
				   .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL } };
	uint32_t unknown = 1;

	put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	if (link)
		put(&r, IFLA_LINK, link, link_len);
	begin(&r, IFLA_LINKINFO);
	put(&r, IFLA_INFO_KIND, GEM_LINK_KIND, sizeof(GEM_LINK_KIND));
	if (info_data) {
		begin(&r, IFLA_INFO_DATA);
		put(&r, 1, &unknown, sizeof(unknown));
		end(&r);
	}
	end(&r);
	return talk(NETLINK_ROUTE, &r, out, sizeof(out), 1);
}

static int genl_get(uint8_t cmd, uint8_t reserved, int type, const void *data, size_t len)
{
	uint8_t out[8192];
	struct req r = { .nlh = { .nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN } };
	struct genlmsghdr *g = NLMSG_DATA(&r.nlh);

	r.nlh.nlmsg_type = genl_family();
	g->cmd = cmd;
	g->version = GEM_GENL_VERSION;
	g->reserved = reserved;
	if (data)
		put(&r, type, data, len);
	return talk(NETLINK_GENERIC, &r, out, sizeof(out), 1);
}

/*
 * A normalizer rule 10.99.0.0/24 -> 239.1.0.0/16 as 192.0.2.1 (without a
 * new source if out is 0) from ifindex in to ifindex out: what gemctl,
 * which resolves names first, would never send.
 */
static int norm_set(uint32_t in, uint32_t out)
{
	static const uint8_t src[4] = { 10, 99, 0, 0 }, grp[4] = { 239, 1, 0, 0 };
	static const uint8_t nsrc[4] = { 192, 0, 2, 1 }, splen = 24, gplen = 16;
	struct req r = { .nlh = { .nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN } };
	struct genlmsghdr *g = NLMSG_DATA(&r.nlh);
	uint8_t reply[8192];

	r.nlh.nlmsg_type = genl_family();
	g->cmd = GEM_CMD_NORM_SET;
	g->version = GEM_GENL_VERSION;
	put(&r, GEM_A_NORM_IN_IFINDEX, &in, sizeof(in));
	put(&r, GEM_A_NORM_SOURCE, src, sizeof(src));
	put(&r, GEM_A_NORM_SOURCE_PREFIXLEN, &splen, sizeof(splen));
	put(&r, GEM_A_NORM_GROUP, grp, sizeof(grp));
	put(&r, GEM_A_NORM_GROUP_PREFIXLEN, &gplen, sizeof(gplen));
	if (out) {
		put(&r, GEM_A_NORM_NEW_SOURCE, nsrc, sizeof(nsrc));
		put(&r, GEM_A_NORM_OUT_IFINDEX, &out, sizeof(out));
	}
	return talk(NETLINK_GENERIC, &r, reply, sizeof(reply), 1);
}

/*
 * Installs n (at most 2^24) distinct receive streams 10.<i> -> 239.<i> on
 * one socket, then exits 0 if the kernel took every one.
 */
static int bulk_rx(uint32_t ifindex, unsigned int n)
{
	if (n > 1 << 24)
		return 2;
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC), one = 1;
	uint16_t family = genl_family();
	uint8_t key[GEM_SEK_LEN], out[4096];
	unsigned int i, acked = 0;

	memset(key, 0x33, sizeof(key));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	for (i = 0; i < n; i++) {
		struct req r = { .nlh = { .nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN,
					   .nlmsg_type = family,
					   .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
					   .nlmsg_seq = i + 1 } };
		struct genlmsghdr *g = NLMSG_DATA(&r.nlh);
		uint8_t src[4] = { 10, i >> 16, i >> 8, i }, grp[4] = { 239, i >> 16, i >> 8, i };
		uint8_t id = 1;

		g->cmd = GEM_CMD_RX_SET;
		g->version = GEM_GENL_VERSION;
		put(&r, GEM_A_CONF_IFINDEX, &ifindex, sizeof(ifindex));
		put(&r, GEM_A_CONF_SOURCE, src, sizeof(src));
		put(&r, GEM_A_CONF_GROUP, grp, sizeof(grp));
		put(&r, GEM_A_CONF_KEY_ID, &id, sizeof(id));
		put(&r, GEM_A_CONF_KEY, key, sizeof(key));
		if (send(fd, r.buf, r.nlh.nlmsg_len, 0) < 0 || recv(fd, out, sizeof(out), 0) < 0) {
			perror("bulk");
			return 2;
		}
		if (((struct nlmsghdr *)out)->nlmsg_type == NLMSG_ERROR &&
		    !((struct nlmsgerr *)NLMSG_DATA((struct nlmsghdr *)out))->error)
			acked++;
	}
	close(fd);
	printf("%u of %u installed\n", acked, n);
	return acked == n ? 0 : 1;
}

/*
 * Every command asked the way it is not (a do as a dump, a dump as a
 * do, a notification either way) is refused with EOPNOTSUPP, naming the
 * device at ifindex as its request would, and dev-get, which is both,
 * answers both. Prints one line per command that did otherwise, then
 * "ok N" with the requests refused; exits 0 when every one was.
 */
static int wrong_way(uint32_t ifindex)
{
	static const uint8_t does[] = { GEM_CMD_DEV_GET, GEM_CMD_GROUP_SET, GEM_CMD_GROUP_DEL,
					GEM_CMD_TX_SET, GEM_CMD_TX_DEL, GEM_CMD_RX_SET,
					GEM_CMD_RX_DEL, GEM_CMD_NORM_SET, GEM_CMD_NORM_DEL };
	static const uint8_t dumps[] = { GEM_CMD_DEV_GET, GEM_CMD_GROUP_GET, GEM_CMD_TX_GET,
					 GEM_CMD_RX_GET, GEM_CMD_NORM_GET,
					 GEM_CMD_NORM_STREAM_GET };
	int family = genl_family(), refused = 0, bad = 0, cmd, dump;

	for (cmd = GEM_CMD_UNSPEC; cmd <= GEM_CMD_MAX; cmd++) {
		int is_do = !!memchr(does, cmd, sizeof(does));
		int is_dump = !!memchr(dumps, cmd, sizeof(dumps));

		for (dump = 0; dump <= 1; dump++) {
			int want = dump ? is_dump : is_do, err;

			if (want && cmd != GEM_CMD_DEV_GET)
				continue;
			printf("command %d as a %s: ", cmd, dump ? "dump" : "do");
			if (dump)
				err = genl_dump(family, cmd, cmd == GEM_CMD_DEV_GET ? 0 : ifindex);
			else
				err = genl_get(cmd, 0, cmd == GEM_CMD_DEV_GET ? GEM_A_DEV_IFINDEX :
					       GEM_A_CONF_IFINDEX, &ifindex, sizeof(ifindex));
			if (want ? err : err != -EOPNOTSUPP) {
				printf("command %d as a %s: wanted %s\n", cmd,
				       dump ? "dump" : "do", want ? "ok" : "EOPNOTSUPP");
				bad++;
			} else if (!want) {
				refused++;
			}
		}
	}
	printf("ok %d\n", refused);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";
	uint32_t ifindex = argc > 2 ? strtoul(argv[2], NULL, 0) : 0, big = 99;
	uint16_t shorty = 1;
	int err;

	if (!strcmp(c, "link-ifindex"))		/* IFLA_LINK naming any ifindex */
		err = newlink("gemraw0", &ifindex, sizeof(ifindex), 0);
	else if (!strcmp(c, "link-short"))	/* a 2-byte IFLA_LINK */
		err = newlink("gemraw0", &shorty, sizeof(shorty), 0);
	else if (!strcmp(c, "link-info-data"))	/* an IFLA_INFO_DATA attribute */
		err = newlink("gemraw0", &ifindex, sizeof(ifindex), 1);
	else if (!strcmp(c, "genl-unknown-attr"))
		err = genl_get(GEM_CMD_DEV_GET, 0, 99, &big, sizeof(big));
	else if (!strcmp(c, "genl-short-ifindex"))
		err = genl_get(GEM_CMD_DEV_GET, 0, GEM_A_DEV_IFINDEX, &shorty, sizeof(shorty));
	else if (!strcmp(c, "genl-reserved"))
		err = genl_get(GEM_CMD_DEV_GET, 1, GEM_A_DEV_IFINDEX, &ifindex, sizeof(ifindex));
	else if (!strcmp(c, "genl-unknown-cmd"))
		err = genl_get(GEM_CMD_MAX + 10, 0, 0, NULL, 0);
	else if (!strcmp(c, "bulk-rx"))
		return bulk_rx(ifindex, argc > 3 ? strtoul(argv[3], NULL, 0) : 0);
	else if (!strcmp(c, "genl-no-device"))
		err = genl_get(GEM_CMD_DEV_GET, 0, 0, NULL, 0);
	else if (!strcmp(c, "dump-tx") || !strcmp(c, "dump-rx") || !strcmp(c, "dump-group"))
		err = genl_dump(genl_family(), c[5] == 't' ? GEM_CMD_TX_GET : c[5] == 'r' ?
				GEM_CMD_RX_GET : GEM_CMD_GROUP_GET, ifindex);
	else if (!strcmp(c, "wrong-way"))
		return wrong_way(ifindex);
	else if (!strcmp(c, "norm-set"))
		err = norm_set(ifindex, argc > 3 ? strtoul(argv[3], NULL, 0) : 0);
	else {
		fprintf(stderr, "usage: gem_nlraw link-ifindex|link-short|link-info-data IFINDEX\n"
				"       gem_nlraw genl-unknown-attr|genl-short-ifindex|genl-reserved"
				"|genl-unknown-cmd|genl-no-device [IFINDEX]\n"
				"       gem_nlraw bulk-rx IFINDEX COUNT\n"
				"       gem_nlraw dump-tx|dump-rx|dump-group [IFINDEX]\n"
				"       gem_nlraw norm-set IN-IFINDEX [OUT-IFINDEX]\n"
				"       gem_nlraw wrong-way IFINDEX\n");
		return 2;
	}
	return err ? 1 : 0;
}
