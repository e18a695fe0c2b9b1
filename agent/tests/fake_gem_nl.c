// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for gem_nl.c in unit tests: a gem.ko that is a table of
 * stream keys. Requests are parsed as the module would take them; dumps
 * answer from the table. Nothing reaches the kernel.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>

#include "fake_gem_nl.h"

struct fake_key fake_keys[FAKE_KEYS_MAX];
unsigned int fake_sets, fake_dels;

int gem_nl_open(struct gem_nl *nl)
{
	memset(nl, 0, sizeof(*nl));
	nl->family = FAKE_FAMILY;
	nl->sk = nl_socket_alloc();
	return nl->sk ? 0 : -ENOMEM;
}

void gem_nl_close(struct gem_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

int gem_nl_family_now(void)
{
	return FAKE_FAMILY;
}

unsigned int gem_nl_dev_ifindex(struct gem_nl *nl, const char *name)
{
	(void)nl;
	(void)name;
	return FAKE_IFINDEX;
}

int gem_nl_subscribe(struct gem_nl *nl)
{
	(void)nl;
	return 0;
}

int gem_nl_recv(struct gem_nl *nl, gem_nl_msg_cb cb, void *arg)
{
	(void)nl;
	(void)cb;
	(void)arg;
	return -EAGAIN;
}

const char *gem_nl_extack_msg(const struct nlmsghdr *nlh, size_t len)
{
	(void)nlh;
	(void)len;
	return NULL;
}

struct nl_msg *gem_nl_msg(struct gem_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags, cmd, 1)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct fake_key *fake_find(bool tx, const uint8_t *src, const uint8_t *grp, uint8_t len,
			   uint8_t key_id)
{
	unsigned int i;

	for (i = 0; i < FAKE_KEYS_MAX; i++) {
		struct fake_key *f = &fake_keys[i];

		if (f->used && f->tx == tx && f->len == len && !memcmp(f->src, src, len) &&
		    !memcmp(f->grp, grp, len) && (tx || f->key_id == key_id))
			return f;
	}
	return NULL;
}

/* One dump reply: a stream as gem.ko gives it, never its key. */
static void reply(const struct fake_key *f, gem_nl_msg_cb cb, void *arg)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return;
	if (genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, FAKE_FAMILY, 0, NLM_F_MULTI,
			f->tx ? GEM_CMD_TX_GET : GEM_CMD_RX_GET, 1) &&
	    !nla_put_u32(m, GEM_A_CONF_IFINDEX, FAKE_IFINDEX) &&
	    !nla_put(m, GEM_A_CONF_SOURCE, f->len, f->src) &&
	    !nla_put(m, GEM_A_CONF_GROUP, f->len, f->grp) &&
	    !nla_put_u8(m, GEM_A_CONF_KEY_ID, f->key_id) &&
	    !nla_put_u64(m, GEM_A_CONF_PN, f->pn) &&
	    !nla_put_u64(m, GEM_A_CONF_PACKETS, f->packets))
		cb(m, arg);
	nlmsg_free(m);
}

int gem_nl_send(struct gem_nl *nl, struct nl_msg *msg, gem_nl_msg_cb cb, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[GEM_A_CONF_MAX + 1];
	bool tx = gh->cmd == GEM_CMD_TX_SET || gh->cmd == GEM_CMD_TX_DEL ||
		  gh->cmd == GEM_CMD_TX_GET;
	struct fake_key *f = NULL;
	unsigned int i;
	uint8_t len;
	int ret = 0;

	nl->interrupted = false;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_CONF_MAX, NULL)) {
		ret = -EINVAL;
		goto out;
	}
	if (gh->cmd == GEM_CMD_TX_GET || gh->cmd == GEM_CMD_RX_GET) {
		for (i = 0; i < FAKE_KEYS_MAX; i++)
			if (fake_keys[i].used && fake_keys[i].tx == tx)
				reply(&fake_keys[i], cb, arg);
		goto out;
	}
	if (!tb[GEM_A_CONF_SOURCE] || !tb[GEM_A_CONF_GROUP] || !tb[GEM_A_CONF_KEY_ID]) {
		ret = -EINVAL;
		goto out;
	}
	len = (uint8_t)nla_len(tb[GEM_A_CONF_SOURCE]);
	f = fake_find(tx, nla_data(tb[GEM_A_CONF_SOURCE]), nla_data(tb[GEM_A_CONF_GROUP]), len,
		      nla_get_u8(tb[GEM_A_CONF_KEY_ID]));
	if (gh->cmd == GEM_CMD_TX_DEL || gh->cmd == GEM_CMD_RX_DEL) {
		if (!f) {
			ret = -ENOENT;
			goto out;
		}
		memset(f, 0, sizeof(*f));
		fake_dels++;
		goto out;
	}
	for (i = 0; !f && i < FAKE_KEYS_MAX; i++)
		if (!fake_keys[i].used)
			f = &fake_keys[i];
	if (!f || !tb[GEM_A_CONF_KEY] || nla_len(tb[GEM_A_CONF_KEY]) != sizeof(f->key)) {
		ret = -EINVAL;
		goto out;
	}
	memset(f, 0, sizeof(*f));
	f->used = true;
	f->tx = tx;
	f->len = len;
	memcpy(f->src, nla_data(tb[GEM_A_CONF_SOURCE]), len);
	memcpy(f->grp, nla_data(tb[GEM_A_CONF_GROUP]), len);
	f->key_id = nla_get_u8(tb[GEM_A_CONF_KEY_ID]);
	memcpy(f->key, nla_data(tb[GEM_A_CONF_KEY]), sizeof(f->key));
	/* As gem.ko: a transmit key's packet numbers start at the time of day. */
	if (tx)
		f->pn = (uint64_t)time(NULL) * 1000000000u;
	else if (tb[GEM_A_CONF_PN])
		f->pn = nla_get_u64(tb[GEM_A_CONF_PN]);
	if (tb[GEM_A_CONF_RATE])
		f->rate = nla_get_u32(tb[GEM_A_CONF_RATE]);
	fake_sets++;
out:
	nlmsg_free(msg);
	return ret;
}

int gem_nl_request(struct gem_nl *nl, struct nl_msg *msg)
{
	return gem_nl_send(nl, msg, NULL, NULL);
}
