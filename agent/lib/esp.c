// SPDX-License-Identifier: GPL-2.0
/*
 * The control plane's ESP: one SA, to ff02::1:6 from any address,
 * installed over XFRM netlink (linux/xfrm.h), and the Babel socket's own
 * policies (IPV6_XFRM_POLICY) that require it of every packet the socket
 * sends and takes.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "esp.h"
#include "gem_nl.h"

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
	crypto_kdf_derive_from_key(k->mac, sizeof(k->mac), 3, "GEM-BK-1", bk);
	/* SPIs below 256 are reserved (RFC 4303). */
	k->spi = ((uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 |
		  spi[3]) | 0x100;
	sodium_memzero(spi, sizeof(spi));
}

/* A request to XFRM; its SA (and key) go into msg's buffer, wiped after. */
static struct nl_msg *xfrm_msg(int type, const void *body, size_t len)
{
	struct nl_msg *m = nlmsg_alloc_simple(type, 0);

	if (m && nlmsg_append(m, (void *)body, len, NLMSG_ALIGNTO)) {
		nlmsg_free(m);
		m = NULL;
	}
	return m;
}

static int sa_add(const struct gem_esp_key *k)
{
	struct xfrm_usersa_info sa;
	struct {
		struct xfrm_algo_auth a;
		uint8_t key[32];
	} auth;
	struct xfrm_algo crypt;
	struct nl_msg *m;

	memset(&sa, 0, sizeof(sa));
	sa.family = AF_INET6;
	sa.sel.family = AF_INET6;	/* any flow: the policies choose the packets */
	memcpy(&sa.id.daddr, &babel_group, 16);
	sa.id.spi = htonl(k->spi);
	sa.id.proto = IPPROTO_ESP;
	sa.mode = XFRM_MODE_TRANSPORT;
	sa.reqid = GEM_ESP_REQID;
	/* Many senders share it, each with its own counter: no replay window. */
	sa.replay_window = 0;
	sa.lft.soft_byte_limit = sa.lft.hard_byte_limit = XFRM_INF;
	sa.lft.soft_packet_limit = sa.lft.hard_packet_limit = XFRM_INF;
	memset(&auth, 0, sizeof(auth));
	strcpy(auth.a.alg_name, "hmac(sha256)");
	auth.a.alg_key_len = 256;
	auth.a.alg_trunc_len = 128;
	memcpy(auth.key, k->auth, sizeof(auth.key));
	memset(&crypt, 0, sizeof(crypt));
	strcpy(crypt.alg_name, "ecb(cipher_null)");
	m = xfrm_msg(XFRM_MSG_NEWSA, &sa, sizeof(sa));
	if (m && (nla_put(m, XFRMA_ALG_AUTH_TRUNC, sizeof(auth), &auth) ||
		  nla_put(m, XFRMA_ALG_CRYPT, sizeof(crypt), &crypt))) {
		sodium_memzero(nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
		nlmsg_free(m);
		m = NULL;
	}
	sodium_memzero(&auth, sizeof(auth));
	return gem_nl_talk(NETLINK_XFRM, m);
}

static int sa_del(const struct gem_esp_key *k)
{
	struct xfrm_usersa_id id;

	memset(&id, 0, sizeof(id));
	memcpy(&id.daddr, &babel_group, 16);
	id.spi = htonl(k->spi);
	id.family = AF_INET6;
	id.proto = IPPROTO_ESP;
	return gem_nl_talk(NETLINK_XFRM, xfrm_msg(XFRM_MSG_DELSA, &id, sizeof(id)));
}

/*
 * The socket's own policy for one direction: every packet it sends or
 * takes rides in the SA, whatever its destination. A policy of the
 * socket rather than of the namespace's database, so that
 *
 *  - no other socket's packets go out under the BK's authority: a global
 *    out policy would seal any local user's packet to port 6696;
 *  - nothing reaches gemd unsealed by a destination a global policy's
 *    selector leaves out (unicast, ff02::1), nor past disable_policy:
 *    the kernel checks a socket's own in policy before anything else.
 */
static int socket_policy(int fd, uint8_t dir)
{
	struct {
		struct xfrm_userpolicy_info p;
		struct xfrm_user_tmpl t;
	} sp;

	memset(&sp, 0, sizeof(sp));
	sp.p.sel.family = AF_INET6;	/* every flow of the socket */
	sp.p.dir = dir;
	sp.p.action = XFRM_POLICY_ALLOW;
	sp.p.share = XFRM_SHARE_ANY;
	sp.p.lft.soft_byte_limit = sp.p.lft.hard_byte_limit = XFRM_INF;
	sp.p.lft.soft_packet_limit = sp.p.lft.hard_packet_limit = XFRM_INF;
	sp.t.family = AF_INET6;
	memcpy(&sp.t.id.daddr, &babel_group, 16);
	sp.t.id.proto = IPPROTO_ESP;
	sp.t.mode = XFRM_MODE_TRANSPORT;
	sp.t.reqid = GEM_ESP_REQID;	/* only gemd's SA satisfies it */
	sp.t.aalgos = sp.t.ealgos = sp.t.calgos = ~0u;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_XFRM_POLICY, &sp, sizeof(sp)) ? -errno : 0;
}

int gem_esp_socket(int fd, bool on, char *err, size_t errlen)
{
	int ret;

	if (!on) {
		/* Both directions' policies go at once. */
		setsockopt(fd, IPPROTO_IPV6, IPV6_XFRM_POLICY, NULL, 0);
		return 0;
	}
	ret = socket_policy(fd, XFRM_POLICY_IN);
	if (!ret)
		ret = socket_policy(fd, XFRM_POLICY_OUT);
	if (ret)
		snprintf(err, errlen, "control-plane ESP on the Babel socket: %s",
			 strerror(-ret));
	return ret;
}

void gem_esp_remove(const struct gem_esp_key *k)
{
	sa_del(k);
}

int gem_esp_install(const struct gem_esp_key *k, char *err, size_t errlen)
{
	int ret;

	/* A gemd that died: start from nothing. */
	sa_del(k);
	ret = sa_add(k);
	if (ret)
		snprintf(err, errlen, "control-plane ESP: %s", strerror(-ret));
	return ret;
}
