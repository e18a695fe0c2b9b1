// SPDX-License-Identifier: GPL-2.0
/*
 * Stream keys into gem.ko and out of it, and dumps of those it holds with
 * their packet numbers: what key rotation and the floors read.
 */
#include <errno.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "kernel_nl.h"
#include "lib/confinfo.h"

static int key_request(struct gemd_kernel *kn, uint8_t cmd, unsigned int ifindex,
		       const struct kernel_key *key, bool set)
{
	struct nl_msg *msg = gem_nl_msg(&kn->nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex) ||
	    nla_put(msg, GEM_A_CONF_SOURCE, key->src.len, key->src.addr) ||
	    nla_put(msg, GEM_A_CONF_GROUP, key->grp.len, key->grp.addr) ||
	    nla_put_u8(msg, GEM_A_CONF_KEY_ID, key->key_id) ||
	    (set && nla_put(msg, GEM_A_CONF_KEY, KERNEL_SEK_LEN, key->sek)) ||
	    (set && !key->tx && nla_put_u32(msg, GEM_A_CONF_RATE, key->rate)) ||
	    (set && !key->tx && key->floor && nla_put_u64(msg, GEM_A_CONF_PN, key->floor))) {
		/* The key may be in it already. */
		sodium_memzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	/* gem_nl_send wipes the request, key included. */
	return gem_nl_request(&kn->nl, msg);
}

int kernel_key_set(struct gemd_kernel *kn, unsigned int ifindex, const struct kernel_key *key)
{
	return key_request(kn, key->tx ? GEM_CMD_TX_SET : GEM_CMD_RX_SET, ifindex, key, true);
}

int kernel_key_del(struct gemd_kernel *kn, unsigned int ifindex, const struct kernel_key *key)
{
	return key_request(kn, key->tx ? GEM_CMD_TX_DEL : GEM_CMD_RX_DEL, ifindex, key, false);
}

struct dump_ctx {
	struct kernel_stream *d;
	unsigned int n, max;
};

static int dump_cb(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *c = arg;
	struct kernel_stream *d;
	struct gem_confinfo ci;

	if (c->n == c->max || gem_confinfo_parse(nlmsg_hdr(msg), &ci) || !ci.has_source ||
	    !ci.has_group || ci.key_id < 0)
		return NL_OK;
	d = &c->d[c->n++];
	memset(d, 0, sizeof(*d));
	d->src.len = d->grp.len = ci.len;
	memcpy(d->src.addr, ci.source, ci.len);
	memcpy(d->grp.addr, ci.group, ci.len);
	d->key_id = (uint8_t)ci.key_id;
	d->pn = ci.pn;
	d->packets = ci.packets;
	return NL_OK;
}

int kernel_keys_dump(struct gemd_kernel *kn, unsigned int ifindex, bool tx,
		     struct kernel_stream *out, unsigned int max)
{
	struct dump_ctx c = { .d = out, .max = max };

	if (kernel_nl_dump(kn, tx ? GEM_CMD_TX_GET : GEM_CMD_RX_GET, ifindex, dump_cb, &c))
		return -1;
	return (int)c.n;
}
