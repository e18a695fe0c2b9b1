// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz, mutations of a request as built, of its header, and of its bytes
 * as laid out.
 */

#include "nlfuzz.h"

/* Attribute a, longer by one of the lengths, the rest random. */
static void attr_longer(struct rng *r, struct req *q, struct attr *a)
{
	uint32_t more = lens[below(r, nlens)];
	uint8_t *p = q_alloc(q, a->len + more);

	if (!p)
		return;
	memcpy(p, a->data, a->len);
	fill(r, p + a->len, more);
	a->data = p;
	a->len += more;
}

/* Attribute a, an IPv4 address made IPv6 or back, or a byte off. */
static void attr_refamily(struct req *q, struct attr *a)
{
	if (a->len == 4 || a->len == 16) {
		uint8_t *p = q_alloc(q, 16);

		if (!p)
			return;
		memcpy(p, a->data, a->len);
		if (a->len == 4)
			memset(p + 4, 0, 12);
		a->data = p;
		a->len = a->len == 4 ? 16 : 4;
	} else if (a->len) {
		a->len--;
	}
}

/* One attribute more: of a (if any) or another type, oversized, random. */
static void put_oversized(struct rng *r, struct req *q, const struct attr *a)
{
	struct attr *b = q_put(q, chance(r, 70) ? below(r, ATTR_MAX_ANY + 4) : a ? a->type : 1,
			       NULL, chance(r, 50) ? 65535 - NLA_HDRLEN : 1000 + below(r, 8000));

	if (b)
		fill(r, b->data, b->len);
}

/* The attributes in another order. */
static void shuffle_attrs(struct rng *r, struct req *q)
{
	int i;

	for (i = q->nattrs - 1; i > 0; i--) {
		int j = below(r, i + 1);
		struct attr t = q->a[i];

		q->a[i] = q->a[j];
		q->a[j] = t;
	}
}

/* Changes to the request as built. */
void mutate_attrs(struct rng *r, struct req *q)
{
	struct attr *a = q->nattrs ? &q->a[below(r, q->nattrs)] : NULL;
	int op = below(r, 12), i;

	if (!a && op < 9)
		op = 2;
	switch (op) {
	case 0:		/* delete one */
		i = a - q->a;
		memmove(a, a + 1, (q->nattrs - i - 1) * sizeof(*a));
		q->nattrs--;
		break;
	case 1:		/* duplicate one, maybe with other contents */
		if (q->nattrs < ATTRS_MAX) {
			struct attr *b = q_put(q, a->type, a->data, a->len);

			if (b && chance(r, 50))
				fill(r, b->data, b->len);
		}
		break;
	case 2: {	/* insert one */
		int set = cmd_set(q->cmd);

		put_plausible(r, q, set < 0 ? S_CONF : set, below(r, ATTR_MAX_ANY + 4));
		break;
	}
	case 3:		/* another type */
		a->type = (a->type & ~NLA_TYPE_MASK) | (chance(r, 80) ? below(r, ATTR_MAX_ANY + 4)
								      : (rnd(r) & NLA_TYPE_MASK));
		break;
	case 4:		/* shorter */
		a->len = a->len ? below(r, a->len) : 0;
		break;
	case 5:		/* longer */
		attr_longer(r, q, a);
		break;
	case 6:		/* the flag bits */
		a->type ^= chance(r, 50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		break;
	case 7:		/* boundary values */
		for (i = 0; i < (int)a->len; i++)
			a->data[i] = (uint8_t[]){ 0, 0xff, 0x80, 0x7f, 1 }[below(r, 5)];
		break;
	case 8:		/* IPv4 <-> IPv6, or a byte off */
		attr_refamily(q, a);
		break;
	case 9: {	/* nested garbage */
		struct attr *b = q_put(q, below(r, ATTR_MAX_ANY + 4) | NLA_F_NESTED, NULL,
				       below(r, 400) + NLA_HDRLEN);

		if (b)
			fill_nest(r, b->data, b->len, 0);
		break;
	}
	case 10:	/* oversized */
		put_oversized(r, q, a);
		break;
	default:	/* shuffled */
		shuffle_attrs(r, q);
	}
}

void mutate_header(struct rng *r, struct req *q)
{
	static const uint16_t flag_sets[] = {
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ROOT,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_MATCH,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ATOMIC,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO,
		NLM_F_REQUEST,
		NLM_F_ACK,
		0,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_APPEND,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_MULTI,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP_INTR,
	};

	switch (below(r, 6)) {
	case 0:
		q->cmd = pick_cmd(r);
		break;
	case 1:
		q->version = chance(r, 50) ? 0 : rnd(r);
		break;
	case 2:
		q->reserved = chance(r, 50) ? 1 : rnd(r);
		break;
	case 3:
		q->flags = chance(r, 80) ? flag_sets[below(r, ARRAY_SIZE(flag_sets))] : rnd(r);
		break;
	case 4:
		/*
		 * Netlink's own types, or a family id no family has. Not
		 * another family's: the control family would take gem's
		 * attribute 2 for a family name and run modprobe for it.
		 */
		q->type = (uint16_t[]){ NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN, 0,
					 0xffff, 0x8000 + below(r, 0x7fff) }[below(r, 7)];
		break;
	default:	/* a dump of a command without one, or the other way */
		q->flags ^= NLM_F_DUMP;
	}
}

size_t lay_out(const struct req *q, uint8_t *buf, size_t max, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	int i;

	if (max < off)
		return 0;
	memset(buf, 0, off);
	nlh->nlmsg_type = q->type;
	nlh->nlmsg_flags = q->flags;
	nlh->nlmsg_seq = seq;
	g->cmd = q->cmd;
	g->version = q->version;
	g->reserved = q->reserved;
	for (i = 0; i < q->nattrs; i++) {
		const struct attr *a = &q->a[i];
		struct nlattr *nla = (struct nlattr *)(buf + off);
		size_t len = a->len;

		if (off + NLA_HDRLEN + NLA_ALIGN(len) > max)
			break;
		nla->nla_type = a->type;
		nla->nla_len = (uint16_t)(NLA_HDRLEN + len);
		memcpy(buf + off + NLA_HDRLEN, a->data, len);
		memset(buf + off + NLA_HDRLEN + len, 0, NLA_ALIGN(len) - len);
		off += NLA_HDRLEN + NLA_ALIGN(len);
	}
	nlh->nlmsg_len = off;
	return off;
}

/* Changes to the bytes as laid out. */
void mutate_wire(struct rng *r, struct wire *w, const struct req *extra, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)w->buf;
	size_t body = NLMSG_HDRLEN, i, n;

	switch (below(r, 6)) {
	case 0:		/* flipped bits past the netlink header */
		n = below(r, 8) + 1;
		for (i = 0; i < n && w->len > body; i++)
			w->buf[body + below(r, w->len - body)] ^= 1 << below(r, 8);
		break;
	case 1:		/* cut short, saying so or not */
		w->len = below(r, w->len + 1);
		if (w->len >= NLMSG_HDRLEN && chance(r, 60))
			nlh->nlmsg_len = w->len;
		break;
	case 2:		/* nlmsg_len says more, or less, than there is */
		if (w->len >= NLMSG_HDRLEN)
			nlh->nlmsg_len = chance(r, 50) ? w->len + 1 + below(r, 64) : below(r, w->len);
		break;
	case 3:		/* trailing garbage inside the message */
		n = below(r, 12) + 1;
		if (w->len + n <= sizeof(w->buf)) {
			fill(r, w->buf + w->len, n);
			w->len += n;
			if (w->len >= NLMSG_HDRLEN && chance(r, 80))
				nlh->nlmsg_len = w->len;
		}
		break;
	case 4: {	/* one attribute's nla_len lies */
		size_t off = NLMSG_HDRLEN + GENL_HDRLEN, k = 0, pick;
		size_t offs[ATTRS_MAX];

		while (off + NLA_HDRLEN <= w->len && k < ATTRS_MAX) {
			struct nlattr *nla = (struct nlattr *)(w->buf + off);

			offs[k++] = off;
			if (nla->nla_len < NLA_HDRLEN)
				break;
			off += NLA_ALIGN(nla->nla_len);
		}
		if (!k)
			break;
		pick = offs[below(r, k)];
		((struct nlattr *)(w->buf + pick))->nla_len =
			(uint16_t[]){ 0, 1, 3, 4, 5, 0xffff, 0x8000 }[below(r, 7)] +
			(chance(r, 30) ? below(r, 64) : 0);
		break;
	}
	default:	/* another message in the same send */
		n = lay_out(extra, w->buf + NLMSG_ALIGN(w->len), sizeof(w->buf) - NLMSG_ALIGN(w->len),
			    seq);
		if (n) {
			w->len = NLMSG_ALIGN(w->len) + n;
			w->batch = 1;
		}
	}
}
