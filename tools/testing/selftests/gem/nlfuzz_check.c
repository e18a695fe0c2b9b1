// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz, the answers: counted, described, and checked (no key, well-formed,
 * the device asked for, nothing accepted from the unprivileged).
 */

#include "nlfuzz.h"

struct cmdstat cs[CMDS];
unsigned long kinds_sent[Q_KINDS];
unsigned long ntf[CMDS], ntf_overruns, truncated_reads;
unsigned long mc_joined, mc_refused[ERRNO_MAX], mc_events_joined, mc_events_refused;
unsigned long slow_started, slow_done, slow_intr, slow_abandoned, slow_msgs;
unsigned long violations, stale_answers, core_acks;

struct msgstat msgs[MSGS_MAX];
int nmsgs;

static void count_msg(const char *m)
{
	int i;

	for (i = 0; i < nmsgs; i++)
		if (!strcmp(msgs[i].text, m)) {
			msgs[i].count++;
			return;
		}
	if (nmsgs < MSGS_MAX) {
		snprintf(msgs[nmsgs].text, sizeof(msgs[0].text), "%s", m);
		msgs[nmsgs++].count = 1;
	}
}

struct options opt = { .name = "fuzz" };

uint64_t cur_index;
int ext_ack_on = 1;	/* on the main socket, which toggles it now and then */

void hexdump(FILE *f, const char *prefix, const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(f, "%s", prefix);
	for (i = 0; i < len && i < RING_BYTES; i++)
		fprintf(f, "%02x", p[i]);
	if (len > RING_BYTES)
		fprintf(f, "... (%zu bytes)", len);
	fprintf(f, "\n");
}

/* One line for a request as sent: header fields, then each attribute. */
void describe(FILE *f, const char *prefix, const uint8_t *buf, size_t len, size_t sent)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, end;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN) {
		hexdump(f, prefix, buf, len);
		return;
	}
	end = nlh->nlmsg_len < len ? nlh->nlmsg_len : len;
	fprintf(f, "%stype %u%s flags 0x%x len %u (%zu bytes) cmd %u (%s) version %u reserved %u:",
		prefix, nlh->nlmsg_type, nlh->nlmsg_type == family_id ? " (gem)" : "",
		nlh->nlmsg_flags, nlh->nlmsg_len, sent, g->cmd, cmd_name(g->cmd), g->version,
		g->reserved);
	while (off + NLA_HDRLEN <= end) {
		const struct nlattr *nla = (const void *)(buf + off);
		size_t alen = nla->nla_len, i;

		fprintf(f, " [%u%s%s len %zu", nla->nla_type & NLA_TYPE_MASK,
			nla->nla_type & NLA_F_NESTED ? " nested" : "",
			nla->nla_type & NLA_F_NET_BYTEORDER ? " be" : "", alen);
		if (alen >= NLA_HDRLEN) {
			fprintf(f, ":");
			for (i = NLA_HDRLEN; i < alen && off + i < end && i < NLA_HDRLEN + 40; i++)
				fprintf(f, "%02x", buf[off + i]);
			if (alen > NLA_HDRLEN + 40)
				fprintf(f, "...");
		}
		fprintf(f, "]");
		if (alen < NLA_HDRLEN)
			break;
		off += NLA_ALIGN(alen);
	}
	if (off < end)
		fprintf(f, " +%zu bytes", end - off);
	fprintf(f, "\n");
}

/* The last requests sent, for a report of what came before a kernel complaint. */
struct ring_entry {
	uint64_t index;
	size_t len;
	uint8_t buf[RING_BYTES];
	size_t full;
};

static struct ring_entry ring[RING];
static unsigned int ring_pos;

void ring_add(uint64_t index, const struct wire *w)
{
	struct ring_entry *e = &ring[ring_pos++ % RING];

	e->index = index;
	e->full = w->len;
	e->len = w->len < RING_BYTES ? w->len : RING_BYTES;
	memcpy(e->buf, w->buf, e->len);
}

void ring_print(FILE *f)
{
	unsigned int i;
	char prefix[64];

	for (i = 0; i < RING; i++) {
		struct ring_entry *e = &ring[(ring_pos + i) % RING];

		if (!e->full)
			continue;
		snprintf(prefix, sizeof(prefix), "#   #%" PRIu64 ": ", e->index);
		describe(f, prefix, e->buf, e->len, e->full);
	}
}

void violation(const char *what, const uint8_t *reply, size_t len)
{
	violations++;
	printf("# VIOLATION (%s, seed %" PRIu64 ", request #%" PRIu64 "): %s\n", opt.name, opt.seed,
	       cur_index, what);
	if (reply)
		hexdump(stdout, "#   answer: ", reply, len);
	ring_print(stdout);
	fflush(stdout);
}

/* The extack message of an error or a done message, if any. */
static const char *extack_msg(const struct nlmsghdr *nlh)
{
	size_t off = NLMSG_HDRLEN, len = nlh->nlmsg_len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(nlh);

		off += sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	} else {
		off += NLMSG_ALIGN(sizeof(int));
	}
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)((const uint8_t *)nlh + off);

		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > len)
			return NULL;
		if ((nla->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			return memchr((const char *)nla + NLA_HDRLEN, 0, nla->nla_len - NLA_HDRLEN) ?
			       (const char *)nla + NLA_HDRLEN : NULL;
		off += NLA_ALIGN(nla->nla_len);
	}
	return NULL;
}

/*
 * Checks one gem message from the kernel: well-formed, of a known set,
 * without a key; for a request that named a device, about that device.
 */
void check_gem_msg(const struct nlmsghdr *nlh, const struct req *q, int notification)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN, len = nlh->nlmsg_len;
	int set, saw_filter = 0, drivers[2] = {};
	uint32_t filter_val = 0;
	char what[200];

	if (len < off) {
		violation("a gem message shorter than its headers", (const void *)nlh, len);
		return;
	}
	if (g->cmd == 0 || g->cmd > GEM_CMD_MAX) {
		snprintf(what, sizeof(what), "a gem message with command %u, past GEM_CMD_MAX", g->cmd);
		violation(what, (const void *)nlh, len);
		return;
	}
	set = cmd_set(g->cmd);
	if (set < 0)
		set = S_N;	/* a command newer than this file: structure only */
	while (off + NLA_HDRLEN <= len) {
		const struct nlattr *nla = (const void *)((const uint8_t *)nlh + off);
		int type = nla->nla_type & NLA_TYPE_MASK;

		if (nla->nla_len < NLA_HDRLEN || off + nla->nla_len > len) {
			violation("an attribute runs past its message", (const void *)nlh, len);
			return;
		}
		if (set < S_N && type > sets[set].max) {
			snprintf(what, sizeof(what), "%s carries attribute %d, past its set's maximum",
				 cmd_name(g->cmd), type);
			violation(what, (const void *)nlh, len);
		}
		if (set == S_CONF && type == GEM_A_CONF_KEY) {
			snprintf(what, sizeof(what), "%s %s carries a key", cmd_name(g->cmd),
				 notification ? "notification" : "answer");
			violation(what, (const void *)nlh, len);
		}
		if (((set == S_CONF && (type == GEM_A_CONF_SOURCE || type == GEM_A_CONF_GROUP)) ||
		     (set == S_NORM && (type == GEM_A_NORM_SOURCE || type == GEM_A_NORM_GROUP ||
					type == GEM_A_NORM_NEW_SOURCE))) &&
		    nla->nla_len != NLA_HDRLEN + 4 && nla->nla_len != NLA_HDRLEN + 16) {
			snprintf(what, sizeof(what), "%s carries a %u-byte address", cmd_name(g->cmd),
				 nla->nla_len - NLA_HDRLEN);
			violation(what, (const void *)nlh, len);
		}
		/* Names only, each whole, no more of a kind than the kernel lists. */
		if (set == S_DEV && (type == GEM_A_DEV_AEAD_DRIVER || type == GEM_A_DEV_TAG_DRIVER)) {
			const char *name = (const char *)nla + NLA_HDRLEN;
			size_t n = nla->nla_len - NLA_HDRLEN;

			if (n < 2 || n > 128 || name[n - 1] || strlen(name) != n - 1 ||
			    ++drivers[type == GEM_A_DEV_TAG_DRIVER] > GEM_CRYPTO_DRIVERS_MAX) {
				snprintf(what, sizeof(what), "%s carries a bad driver name list",
					 cmd_name(g->cmd));
				violation(what, (const void *)nlh, len);
			}
		}
		if (set == S_DEV && type == GEM_A_DEV_STATS) {
			size_t o = NLA_HDRLEN;

			while (o + NLA_HDRLEN <= nla->nla_len) {
				const struct nlattr *s = (const void *)((const uint8_t *)nla + o);

				if (s->nla_len < NLA_HDRLEN || o + s->nla_len > nla->nla_len ||
				    (s->nla_type & NLA_TYPE_MASK) > GEM_A_STATS_MAX) {
					violation("a malformed stats nest", (const void *)nlh, len);
					break;
				}
				o += NLA_ALIGN(s->nla_len);
			}
		}
		if (q && q->filter_type == type && nla->nla_len == NLA_HDRLEN + 4) {
			saw_filter = 1;
			memcpy(&filter_val, (const uint8_t *)nla + NLA_HDRLEN, 4);
		}
		off += NLA_ALIGN(nla->nla_len);
	}
	if (q && q->filter_type && (!saw_filter || filter_val != q->filter)) {
		snprintf(what, sizeof(what), "asked %s about ifindex %u, answered about %u",
			 cmd_name(q->cmd), q->filter, filter_val);
		violation(what, (const void *)nlh, len);
	}
}

/* Whether the kernel should have taken request bytes as gem's own to answer. */
int gem_would_parse(const uint8_t *buf, size_t len)
{
	const struct nlmsghdr *nlh = (const void *)buf;
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	uint16_t flags;

	if (len < NLMSG_HDRLEN + GENL_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
	    nlh->nlmsg_len > len || nlh->nlmsg_type != family_id ||
	    !(nlh->nlmsg_flags & NLM_F_REQUEST) || g->reserved)
		return 0;
	flags = nlh->nlmsg_flags;
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
		return 0;
	return g->cmd >= 1 && g->cmd <= GEM_CMD_MAX;
}

/*
 * A refusal err of command cmd, with extack message m (or none): counted,
 * and one of gem's own without a message noted with its request.
 */
static void count_refusal(int cmd, int err, const char *m, int own, int dump_end,
			  const struct wire *w)
{
	const uint8_t *sent = w ? w->buf : NULL;
	size_t sent_len = w ? w->len : 0;

	cs[cmd].err[err & (ERRNO_MAX - 1)]++;
	if (m) {
		count_msg(m);
		cs[cmd].err_withmsg[err & (ERRNO_MAX - 1)]++;
	} else if (err != EPERM && err != EOPNOTSUPP && ext_ack_on && !w->batch &&
		   (own || dump_end) && gem_would_parse(sent, sent_len) &&
		   ((const struct nlmsghdr *)sent)->nlmsg_len == sent_len) {
		if (!cs[cmd].err_nomsg[err & (ERRNO_MAX - 1)]++)
			cs[cmd].first_nomsg[err & (ERRNO_MAX - 1)] = cur_index;
	}
}

/*
 * An error, ack or done answering q (laid out in w): counted. Returns 1
 * when it ends the request, 0 for one that is malformed.
 */
static int take_end(const struct nlmsghdr *nlh, const struct req *q, const struct wire *w,
		    struct outcome *out, int slow)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	int dump_end = nlh->nlmsg_type == NLMSG_DONE;
	const uint8_t *sent = w ? w->buf : NULL;
	size_t sent_len = w ? w->len : 0;
	int cmd = q->cmd, err, own;
	const char *m;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(int)) {
		violation("an error or done message too short for its errno",
			  (const void *)nlh, nlh->nlmsg_len);
		return 0;
	}
	err = dump_end ? *(const int *)NLMSG_DATA(nlh) : e->error;
	if (err > 0 || err < -4095) {
		violation("an errno out of range", (const void *)nlh, nlh->nlmsg_len);
		return 0;
	}
	err = -err;
	/* The request an error answers is echoed: count it under its own command. */
	if (!dump_end && nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(*e) + GENL_HDRLEN &&
	    e->msg.nlmsg_type == family_id && !(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN)
		cmd = ((const struct genlmsghdr *)(e + 1))->cmd;
	m = extack_msg(nlh);
	/* An error answers the first message of the send if it echoes its header. */
	own = !dump_end && sent && sent_len >= sizeof(e->msg) &&
	      !memcmp(&e->msg, sent, sizeof(e->msg));
	if (!out->answered) {
		out->answered = 1;
		out->err = err;
	}
	if (slow) {
		slow_done++;
		return 1;
	}
	if (err == 0 && !dump_end && !(own && gem_would_parse(sent, sent_len))) {
		/* Netlink acks what it skips: no request, or a control type. */
		core_acks++;
		return 1;
	}
	if (err == 0) {
		cs[cmd].ok++;
		if (opt.verbose)
			printf("#   -> %s\n", dump_end ? "done" : "ok");
		return 1;
	}
	count_refusal(cmd, err, m, own, dump_end, w);
	if (opt.verbose)
		printf("#   -> %s%s%s\n", errname(err), m ? ": " : "", m ? m : "");
	return 1;
}

/* A message of the gem family answering q (laid out in w): checked and counted. */
static void take_reply(const struct nlmsghdr *nlh, const struct req *q, const struct wire *w,
		       struct outcome *out, int slow)
{
	int rcmd = ((const struct genlmsghdr *)NLMSG_DATA(nlh))->cmd;

	check_gem_msg(nlh, w && !w->batch ? q : NULL, 0);
	if (opt.unpriv && needs_admin(rcmd)) {
		char what[96];

		snprintf(what, sizeof(what), "an unprivileged socket was answered %s",
			 cmd_name(rcmd));
		violation(what, (const void *)nlh, nlh->nlmsg_len);
	}
	if (!out->answered) {
		out->answered = 1;
		out->err = 0;
	}
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR) {
		if (slow)
			slow_intr++;
		else
			cs[q->cmd].dump_intr++;
	}
	if (opt.verbose && !slow)
		describe(stdout, "#   -> ", (const uint8_t *)nlh, nlh->nlmsg_len,
			 nlh->nlmsg_len);
	if (slow)
		slow_msgs++;
	else if (nlh->nlmsg_flags & NLM_F_MULTI)
		cs[q->cmd].dump_msgs++;
	else
		cs[q->cmd].replies++;
}

/*
 * Takes in one datagram of answers to request q (laid out in w) and
 * counts them. Returns 1 when it held the end of a request: an error
 * or ack, or the end of a dump.
 */
int take_answers(const uint8_t *buf, ssize_t n, const struct req *q, const struct wire *w,
		 struct outcome *out, int slow)
{
	const struct nlmsghdr *nlh;
	int ended = 0;

	for (nlh = (const void *)buf; NLMSG_OK(nlh, n); nlh = NLMSG_NEXT(nlh, n)) {
		/* Every message of a send carries its sequence number; the rest is late. */
		if (!slow && nlh->nlmsg_seq != (uint32_t)cur_index)
			stale_answers++;
		else if (nlh->nlmsg_type == NLMSG_ERROR || nlh->nlmsg_type == NLMSG_DONE)
			ended |= take_end(nlh, q, w, out, slow);
		else if (nlh->nlmsg_type == family_id)
			take_reply(nlh, q, w, out, slow);
		else
			violation("an answer of an unexpected type", (const void *)nlh,
				  nlh->nlmsg_len);
	}
	return ended;
}

uint8_t rbuf[RECV_MAX];

/* Reads what is there for request q, without waiting: dumps run on each read. */
void drain(int fd, const struct req *q, const struct wire *w, struct outcome *out)
{
	for (;;) {
		ssize_t n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			die("recv: %s", strerror(errno));
		}
		if (n > (ssize_t)sizeof(rbuf)) {
			truncated_reads++;
			n = sizeof(rbuf);
		}
		take_answers(rbuf, n, q, w, out, 0);
	}
}
