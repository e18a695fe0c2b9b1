// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl group|tx|rx: static configuration of a gem device's protected
 * groups and stream keys, in the spirit of `wg set`. Keys come from files
 * or standard input, never from the command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "conf.h"
#include "lib/gak.h"
#include "lib/keyfile.h"

static const char *const tag_algs[] = {
	[GEM_TAG_HMAC_SHA256]	= "hmac-sha256",
	[GEM_TAG_CMAC_AES]	= "cmac-aes",
};

static void addr_str(const uint8_t *bytes, int len, char *out, size_t outlen)
{
	inet_ntop(len == 4 ? AF_INET : AF_INET6, bytes, out, outlen);
}

struct conf_ctx {
	struct gemctl_env *env;
	int count;
};

static int dump_cb(struct nl_msg *msg, void *arg)
{
	struct conf_ctx *c = arg;
	struct json *j = &c->env->j;
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[GEM_A_CONF_MAX + 1];
	char src[INET6_ADDRSTRLEN] = "", grp[INET6_ADDRSTRLEN] = "";
	uint64_t pn = 0, packets = 0, bytes = 0;
	unsigned int keyid = 0, plen = 0, alg = 0, rate = 0;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, GEM_A_CONF_MAX, NULL))
		return NL_SKIP;
	if (tb[GEM_A_CONF_SOURCE])
		addr_str(nla_data(tb[GEM_A_CONF_SOURCE]), nla_len(tb[GEM_A_CONF_SOURCE]),
			 src, sizeof(src));
	if (tb[GEM_A_CONF_GROUP])
		addr_str(nla_data(tb[GEM_A_CONF_GROUP]), nla_len(tb[GEM_A_CONF_GROUP]),
			 grp, sizeof(grp));
	if (tb[GEM_A_CONF_KEY_ID])
		keyid = nla_get_u8(tb[GEM_A_CONF_KEY_ID]);
	if (tb[GEM_A_CONF_PREFIXLEN])
		plen = nla_get_u8(tb[GEM_A_CONF_PREFIXLEN]);
	if (tb[GEM_A_CONF_TAG_ALG])
		alg = nla_get_u8(tb[GEM_A_CONF_TAG_ALG]);
	if (alg >= sizeof(tag_algs) / sizeof(tag_algs[0]))
		alg = 0;
	if (tb[GEM_A_CONF_PN])
		pn = nla_get_u64(tb[GEM_A_CONF_PN]);
	if (tb[GEM_A_CONF_PACKETS])
		packets = nla_get_u64(tb[GEM_A_CONF_PACKETS]);
	if (tb[GEM_A_CONF_BYTES])
		bytes = nla_get_u64(tb[GEM_A_CONF_BYTES]);
	if (tb[GEM_A_CONF_RATE])
		rate = nla_get_u32(tb[GEM_A_CONF_RATE]);
	c->count++;

	if (gh->cmd == GEM_CMD_GROUP_GET) {
		if (!c->env->json) {
			printf("%s/%u tag %s\n", grp, plen, tag_algs[alg]);
			return NL_OK;
		}
		json_object_begin(j);
		json_key(j, "group");
		json_string(j, grp);
		json_key(j, "prefixlen");
		json_u64(j, plen);
		json_key(j, "tag");
		json_string(j, tag_algs[alg]);
		json_object_end(j);
		return NL_OK;
	}
	if (!c->env->json) {
		printf("%s -> %s key %u pn %" PRIu64, src, grp, keyid, pn);
		if (gh->cmd == GEM_CMD_RX_GET && rate)
			printf(" rate %u", rate);
		printf(" packets %" PRIu64 " bytes %" PRIu64 "\n", packets, bytes);
		return NL_OK;
	}
	json_object_begin(j);
	json_key(j, "source");
	json_string(j, src);
	json_key(j, "group");
	json_string(j, grp);
	json_key(j, "key_id");
	json_u64(j, keyid);
	/* tx: the next packet number; rx: the newest taken plus one */
	json_key(j, "pn");
	json_u64(j, pn);
	if (gh->cmd == GEM_CMD_RX_GET) {
		json_key(j, "rate");
		json_u64(j, rate);
	}
	json_key(j, "packets");
	json_u64(j, packets);
	json_key(j, "bytes");
	json_u64(j, bytes);
	json_object_end(j);
	return NL_OK;
}

/*
 * The gem device's ifindex, asked of the module so that a name that is no
 * gem device is refused with the module's reason.
 */
static int gem_ifindex(struct gemctl_env *env, const char *what, const char *name,
		       unsigned int *ifindex)
{
	*ifindex = gem_nl_dev_ifindex(&env->nl, name);
	if (!*ifindex) {
		fprintf(stderr, "gemctl: %s %s: %s\n", what, name, env->nl.errmsg);
		return -1;
	}
	return 0;
}

static int usage_conf(const char *what)
{
	fprintf(stderr,
		"gemctl: usage:\n"
		"  gemctl %s DEV set %s\n"
		"  gemctl %s DEV del %s\n"
		"  gemctl %s DEV flush\n"
		"  gemctl [-j] %s DEV show\n",
		what, !strcmp(what, "group") ? "GROUP[/LEN] key|gak FILE [tag hmac-sha256|cmac-aes]" :
		      !strcmp(what, "rx") ? "SOURCE GROUP id N key FILE [rate PPS] [floor PN]"
					  : "SOURCE GROUP id N key FILE",
		what, !strcmp(what, "group") ? "GROUP[/LEN]" :
		      !strcmp(what, "rx") ? "SOURCE GROUP id N" : "SOURCE GROUP",
		what, what);
	return 2;
}

/* Puts an address attribute; the family must match an earlier one. */
static int put_addr(struct nl_msg *msg, int type, const char *text, int *family_len,
		    const char *what, uint8_t *plen)
{
	struct gem_addr a;

	if (gem_parse_addr(text, &a)) {
		fprintf(stderr, "gemctl: %s: not an address: %s\n", what, text);
		return -1;
	}
	if (!plen && a.prefixlen != a.len * 8) {
		fprintf(stderr, "gemctl: %s: an address, not a prefix: %s\n", what, text);
		return -1;
	}
	if (*family_len && *family_len != a.len) {
		fprintf(stderr, "gemctl: source and group must be of one family\n");
		return -1;
	}
	*family_len = a.len;
	if (plen)
		*plen = a.prefixlen;
	return nla_put(msg, type, a.len, a.bytes);
}

int gemctl_conf(struct gemctl_env *env, const char *what, int argc, char **argv)
{
	bool group = !strcmp(what, "group"), tx = !strcmp(what, "tx");
	uint8_t cmd_set = group ? GEM_CMD_GROUP_SET : tx ? GEM_CMD_TX_SET : GEM_CMD_RX_SET;
	uint8_t key[GEM_KEY_MAX], plen, alg = GEM_TAG_HMAC_SHA256;
	const char *keyfile = NULL, *verb;
	struct conf_ctx ctx = { .env = env };
	int family_len = 0, err, i, a = 2;
	char errbuf[512];
	struct nl_msg *msg;
	unsigned int ifindex;
	size_t keylen = 0;
	bool from_gak = false;
	long id = -1;
	unsigned long long num;
	char *end;

	if (argc < 2)
		return usage_conf(what);
	if (gem_ifindex(env, what, argv[0], &ifindex))
		return 1;
	verb = argv[1];

	if (!strcmp(verb, "show")) {
		if (argc != 2)
			return usage_conf(what);
		msg = gem_nl_msg(&env->nl, group ? GEM_CMD_GROUP_GET : tx ? GEM_CMD_TX_GET
									   : GEM_CMD_RX_GET,
				 NLM_F_DUMP);
		if (!msg || nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex))
			return 1;
		if (env->json)
			json_array_begin(&env->j);
		err = gem_nl_send(&env->nl, msg, dump_cb, &ctx);
		if (err) {
			fprintf(stderr, "gemctl: %s %s show: %s\n", what, argv[0], env->nl.errmsg);
			return 1;
		}
		if (env->json) {
			json_array_end(&env->j);
			json_finish(&env->j);
		}
		return 0;
	}

	if (!strcmp(verb, "set"))
		msg = gem_nl_msg(&env->nl, cmd_set, 0);
	else if (!strcmp(verb, "del") || !strcmp(verb, "flush"))
		msg = gem_nl_msg(&env->nl, cmd_set + 1, 0);	/* SET, DEL, GET in order */
	else
		return usage_conf(what);
	if (!msg || nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex))
		return 1;

	if (!strcmp(verb, "flush")) {
		if (argc != 2)
			return usage_conf(what);
		goto send;
	}
	if (group) {
		if (argc < 3 || put_addr(msg, GEM_A_CONF_GROUP, argv[2], &family_len, "group",
					 &plen) ||
		    nla_put_u8(msg, GEM_A_CONF_PREFIXLEN, plen))
			goto usage;
		a = 3;
	} else {
		if (argc < 4 ||
		    put_addr(msg, GEM_A_CONF_SOURCE, argv[2], &family_len, "source", NULL) ||
		    put_addr(msg, GEM_A_CONF_GROUP, argv[3], &family_len, "group", NULL))
			goto usage;
		a = 4;
	}
	for (i = a; i < argc; i += 2) {
		if (i + 1 >= argc)
			goto usage;
		if (!strcmp(argv[i], "key") && !strcmp(verb, "set")) {
			keyfile = argv[i + 1];
		} else if (!strcmp(argv[i], "gak") && group && !strcmp(verb, "set")) {
			/* The data tag is the GAK's subkey, as gemd installs it. */
			keyfile = argv[i + 1];
			from_gak = true;
		} else if (!strcmp(argv[i], "id") && !group) {
			id = strtol(argv[i + 1], &end, 0);
			if (*end || id < 0 || id > 255) {
				fprintf(stderr, "gemctl: id: a number from 0 to 255: %s\n", argv[i + 1]);
				goto fail;
			}
		} else if ((!strcmp(argv[i], "rate") || !strcmp(argv[i], "floor")) &&
			   !group && !tx && !strcmp(verb, "set")) {
			errno = 0;
			num = strtoull(argv[i + 1], &end, 0);
			if (*end || errno || argv[i + 1][0] == '-' ||
			    (argv[i][0] == 'r' && num > UINT32_MAX)) {
				fprintf(stderr, "gemctl: %s: a number%s: %s\n", argv[i],
					argv[i][0] == 'r' ? " of packets a second up to 4294967295" : "",
					argv[i + 1]);
				goto fail;
			}
			if (argv[i][0] == 'r' ? nla_put_u32(msg, GEM_A_CONF_RATE, (uint32_t)num)
					      : nla_put_u64(msg, GEM_A_CONF_PN, num))
				goto fail;
		} else if (!strcmp(argv[i], "tag") && group && !strcmp(verb, "set")) {
			for (alg = 0; alg < sizeof(tag_algs) / sizeof(tag_algs[0]); alg++)
				if (!strcmp(argv[i + 1], tag_algs[alg]))
					break;
			if (alg == sizeof(tag_algs) / sizeof(tag_algs[0])) {
				fprintf(stderr, "gemctl: tag: hmac-sha256 or cmac-aes, not %s\n",
					argv[i + 1]);
				goto fail;
			}
		} else {
			goto usage;
		}
	}
	if (id >= 0 && nla_put_u8(msg, GEM_A_CONF_KEY_ID, id))
		goto fail;
	if (!strcmp(verb, "set")) {
		if (!keyfile || (!group && id < 0))
			goto usage;
		if (group && nla_put_u8(msg, GEM_A_CONF_TAG_ALG, alg))
			goto fail;
		if (from_gak) {
			struct gem_gak g;

			if (gem_gak_load(keyfile, &g, errbuf, sizeof(errbuf))) {
				fprintf(stderr, "gemctl: %s\n", errbuf);
				goto fail;
			}
			keylen = sizeof(g.tag);
			memcpy(key, g.tag, keylen);
			gem_gak_wipe(&g);
		} else if (gem_keyfile_read(keyfile, key, group ? 16 : GEM_SEK_LEN,
					    group ? GEM_TAG_KEY_MAX : GEM_SEK_LEN, &keylen,
					    errbuf, sizeof(errbuf))) {
			fprintf(stderr, "gemctl: %s\n", errbuf);
			goto fail;
		}
		if (!group && keylen != GEM_SEK_LEN) {
			sodium_memzero(key, sizeof(key));
			fprintf(stderr, "gemctl: %s: key: %zu bytes, a stream key is %d\n",
				keyfile, keylen, GEM_SEK_LEN);
			goto fail;
		}
		err = nla_put(msg, GEM_A_CONF_KEY, keylen, key);
		sodium_memzero(key, sizeof(key));
		if (err)
			goto fail;
	}
send:
	err = gem_nl_request(&env->nl, msg);
	if (err) {
		fprintf(stderr, "gemctl: %s %s %s: %s\n", what, argv[0], verb, env->nl.errmsg);
		return 1;
	}
	return 0;
usage:
	nlmsg_free(msg);
	return usage_conf(what);
fail:
	nlmsg_free(msg);
	return 1;
}
