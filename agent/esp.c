// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane's ESP, installed over XFRM netlink (linux/xfrm.h):
 * one SA, to ff02::1:6 from any address, and two policies that require
 * it of every Babel packet sent and received.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "esp.h"
#include "netlink_talk.h"

#define BABEL_PORT	6696
/* Marks gemd's own SA and policies: an id no one else would pick. */
#define GEM_ESP_REQID	0x47454d31	/* "GEM1" */

static const struct in6_addr babel_group = {
	.s6_addr = { 0xff, 0x02, [13] = 0x01, [15] = 0x06 }
};

void gem_esp_derive(const uint8_t *bk, struct gem_esp_key *k)
{
	uint8_t spi[crypto_kdf_BYTES_MIN];	/* the KDF makes no fewer; 4 are used */

	crypto_kdf_derive_from_key(k->auth, sizeof(k->auth), 1, "GEM-BK-1", bk);
	crypto_kdf_derive_from_key(spi, sizeof(spi), 2, "GEM-BK-1", bk);
	/* SPIs below 256 are reserved (RFC 4303). */
	k->spi = ((uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 |
		  spi[3]) | 0x100;
	sodium_memzero(spi, sizeof(spi));
}

struct msg {
	struct nlmsghdr nh;
	uint8_t body[1024];
};

static void *put(struct msg *m, unsigned short type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)m + NLMSG_ALIGN(m->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = (unsigned short)(NLA_HDRLEN + len);
	memcpy((char *)a + NLA_HDRLEN, data, len);
	m->nh.nlmsg_len = NLMSG_ALIGN(m->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return (char *)a + NLA_HDRLEN;
}

/* Sends one request; it held a key, so none is left behind. */
static int talk(struct msg *m)
{
	int err;

	m->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	err = netlink_talk(NETLINK_XFRM, m, m->nh.nlmsg_len);
	sodium_memzero(m, sizeof(*m));
	return err;
}

static void babel_selector(struct xfrm_selector *sel)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = AF_INET6;
	memcpy(&sel->daddr, &babel_group, 16);
	sel->prefixlen_d = 128;
	sel->proto = IPPROTO_UDP;
	sel->dport = htons(BABEL_PORT);
	sel->dport_mask = 0xffff;
}

static int sa_add(const struct gem_esp_key *k)
{
	struct msg m;
	struct xfrm_usersa_info *sa;
	struct {
		struct xfrm_algo_auth a;
		uint8_t key[32];
	} auth;
	struct xfrm_algo crypt;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = XFRM_MSG_NEWSA;
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*sa));
	sa = NLMSG_DATA(&m.nh);
	sa->family = AF_INET6;
	sa->sel.family = AF_INET6;	/* any flow: the policies choose the packets */
	memcpy(&sa->id.daddr, &babel_group, 16);
	sa->id.spi = htonl(k->spi);
	sa->id.proto = IPPROTO_ESP;
	sa->mode = XFRM_MODE_TRANSPORT;
	sa->reqid = GEM_ESP_REQID;
	/* Many senders share it, each with its own counter: no replay window. */
	sa->replay_window = 0;
	sa->lft.soft_byte_limit = sa->lft.hard_byte_limit = XFRM_INF;
	sa->lft.soft_packet_limit = sa->lft.hard_packet_limit = XFRM_INF;
	memset(&auth, 0, sizeof(auth));
	strcpy(auth.a.alg_name, "hmac(sha256)");
	auth.a.alg_key_len = 256;
	auth.a.alg_trunc_len = 128;
	memcpy(auth.key, k->auth, sizeof(auth.key));
	put(&m, XFRMA_ALG_AUTH_TRUNC, &auth, sizeof(auth));
	sodium_memzero(&auth, sizeof(auth));
	memset(&crypt, 0, sizeof(crypt));
	strcpy(crypt.alg_name, "ecb(cipher_null)");
	put(&m, XFRMA_ALG_CRYPT, &crypt, sizeof(crypt));
	return talk(&m);
}

static int sa_del(const struct gem_esp_key *k)
{
	struct msg m;
	struct xfrm_usersa_id *id;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = XFRM_MSG_DELSA;
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*id));
	id = NLMSG_DATA(&m.nh);
	memcpy(&id->daddr, &babel_group, 16);
	id->spi = htonl(k->spi);
	id->family = AF_INET6;
	id->proto = IPPROTO_ESP;
	return talk(&m);
}

static int policy_add(uint8_t dir)
{
	struct msg m;
	struct xfrm_userpolicy_info *p;
	struct xfrm_user_tmpl t;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = XFRM_MSG_NEWPOLICY;
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*p));
	p = NLMSG_DATA(&m.nh);
	babel_selector(&p->sel);
	p->dir = dir;
	p->action = XFRM_POLICY_ALLOW;
	p->share = XFRM_SHARE_ANY;
	p->lft.soft_byte_limit = p->lft.hard_byte_limit = XFRM_INF;
	p->lft.soft_packet_limit = p->lft.hard_packet_limit = XFRM_INF;
	memset(&t, 0, sizeof(t));
	t.family = AF_INET6;
	memcpy(&t.id.daddr, &babel_group, 16);
	t.id.proto = IPPROTO_ESP;
	t.mode = XFRM_MODE_TRANSPORT;
	t.reqid = GEM_ESP_REQID;
	t.aalgos = t.ealgos = t.calgos = ~0u;
	put(&m, XFRMA_TMPL, &t, sizeof(t));
	return talk(&m);
}

static int policy_del(uint8_t dir)
{
	struct msg m;
	struct xfrm_userpolicy_id *id;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_type = XFRM_MSG_DELPOLICY;
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*id));
	id = NLMSG_DATA(&m.nh);
	babel_selector(&id->sel);
	id->dir = dir;
	return talk(&m);
}

void gem_esp_remove(const struct gem_esp_key *k)
{
	policy_del(XFRM_POLICY_OUT);
	policy_del(XFRM_POLICY_IN);
	sa_del(k);
}

int gem_esp_install(const struct gem_esp_key *k, char *err, size_t errlen)
{
	int ret;

	/* A gemd that died, or another BK: start from nothing. */
	gem_esp_remove(k);
	ret = sa_add(k);
	if (!ret)
		ret = policy_add(XFRM_POLICY_OUT);
	if (!ret)
		ret = policy_add(XFRM_POLICY_IN);
	if (ret) {
		snprintf(err, errlen, "control-plane ESP: %s", strerror(-ret));
		gem_esp_remove(k);
	}
	return ret;
}
