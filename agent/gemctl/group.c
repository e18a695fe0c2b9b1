// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl group|tx|rx: static configuration of a gem device's protected
 * groups and stream keys, in the spirit of `wg set`. Keys come from files
 * or standard input, never from the command line.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "gemctl.h"
#include "lib/addr.h"
#include "lib/confinfo.h"
#include "lib/gak.h"
#include "lib/keyfile.h"

static const char *const tag_algs[] = {
	[GEM_TAG_HMAC_SHA256]	= "hmac-sha256",
	[GEM_TAG_CMAC_AES]	= "cmac-aes",
};

#define N_TAG_ALGS (sizeof(tag_algs) / sizeof(tag_algs[0]))

/* What one group, tx or rx command line says. */
struct conf_req {
	const char *what, *verb;
	bool group, tx, set;
	struct nl_msg *msg;
	int family_len;
	const char *keyfile;
	bool from_gak;
	long id;
	uint8_t alg;
};

static void conf_print(struct gemctl *g, const struct gem_confinfo *c)
{
	char src[INET6_ADDRSTRLEN] = "", grp[INET6_ADDRSTRLEN] = "";
	int af = c->len == 4 ? AF_INET : AF_INET6;
	unsigned int alg = c->tag_alg >= 0 && (unsigned int)c->tag_alg < N_TAG_ALGS ?
			   (unsigned int)c->tag_alg : 0;
	struct json *j = &g->j;

	if (c->has_source)
		inet_ntop(af, c->source, src, sizeof(src));
	if (c->has_group)
		inet_ntop(af, c->group, grp, sizeof(grp));
	if (c->cmd == GEM_CMD_GROUP_GET) {
		if (!g->json) {
			printf("%s/%d tag %s\n", grp, c->prefixlen < 0 ? 0 : c->prefixlen,
			       tag_algs[alg]);
			return;
		}
		json_object_begin(j);
		json_member_string(j, "group", grp);
		json_member_u64(j, "prefixlen", c->prefixlen < 0 ? 0 : c->prefixlen);
		json_member_string(j, "tag", tag_algs[alg]);
		json_object_end(j);
		return;
	}
	if (!g->json) {
		printf("%s -> %s key %d pn %" PRIu64, src, grp, c->key_id < 0 ? 0 : c->key_id,
		       c->pn);
		if (c->cmd == GEM_CMD_RX_GET && c->rate)
			printf(" rate %u", c->rate);
		printf(" packets %" PRIu64 " bytes %" PRIu64 "\n", c->packets, c->bytes);
		return;
	}
	json_object_begin(j);
	json_member_string(j, "source", src);
	json_member_string(j, "group", grp);
	json_member_u64(j, "key_id", c->key_id < 0 ? 0 : c->key_id);
	/* tx: the next packet number; rx: the newest taken plus one */
	json_member_u64(j, "pn", c->pn);
	if (c->cmd == GEM_CMD_RX_GET) {
		json_member_u64(j, "rate", c->rate);
	}
	json_member_u64(j, "packets", c->packets);
	json_member_u64(j, "bytes", c->bytes);
	json_object_end(j);
}

static int dump_cb(struct nl_msg *msg, void *arg)
{
	struct gem_confinfo c;

	if (gem_confinfo_parse(nlmsg_hdr(msg), &c))
		return NL_SKIP;
	conf_print(arg, &c);
	return NL_OK;
}

/*
 * The gem device's ifindex, asked of the module so that a name that is no
 * gem device is refused with the module's reason.
 */
static unsigned int gemctl_ifindex(struct gemctl *g, const char *what, const char *name)
{
	unsigned int ifindex = gem_nl_dev_ifindex(&g->nl, name);

	if (!ifindex)
		fprintf(stderr, "gemctl: %s %s: %s\n", what, name, g->nl.errmsg);
	return ifindex;
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

static int conf_show(struct gemctl *g, struct conf_req *r, const char *dev, unsigned int ifindex)
{
	struct nl_msg *msg;
	char what[128];

	msg = gem_nl_msg(&g->nl, r->group ? GEM_CMD_GROUP_GET : r->tx ? GEM_CMD_TX_GET
								       : GEM_CMD_RX_GET,
			 NLM_F_DUMP);
	if (msg && nla_put_u32(msg, GEM_A_CONF_IFINDEX, ifindex)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	snprintf(what, sizeof(what), "%s %s show", r->what, dev);
	return gemctl_dump(g, msg, dump_cb, g, NULL, what);
}

/* Puts an address attribute; the family must match an earlier one. */
static int put_addr(struct conf_req *r, int type, const char *text, const char *what,
		    uint8_t *plen)
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
	if (r->family_len && r->family_len != a.len) {
		fprintf(stderr, "gemctl: source and group must be of one family\n");
		return -1;
	}
	r->family_len = a.len;
	if (plen)
		*plen = a.prefixlen;
	return nla_put(r->msg, type, a.len, a.bytes);
}

/* rate PPS or floor PN, on rx set: 0, -1 for bad words (said why). */
static int conf_number(struct conf_req *r, const char *word, const char *text)
{
	unsigned long long num;
	char *end;

	errno = 0;
	num = strtoull(text, &end, 0);
	if (*end || errno || text[0] == '-' || (word[0] == 'r' && num > UINT32_MAX)) {
		fprintf(stderr, "gemctl: %s: a number%s: %s\n", word,
			word[0] == 'r' ? " of packets a second up to 4294967295" : "", text);
		return -1;
	}
	return word[0] == 'r' ? nla_put_u32(r->msg, GEM_A_CONF_RATE, (uint32_t)num)
			      : nla_put_u64(r->msg, GEM_A_CONF_PN, num);
}

/* One WORD VALUE pair: 0, 1 when the word has no place here, -1 bad value. */
static int conf_option(struct conf_req *r, const char *word, const char *value)
{
	char *end;

	if (!strcmp(word, "key") && r->set) {
		r->keyfile = value;
	} else if (!strcmp(word, "gak") && r->group && r->set) {
		/* The data tag is the GAK's subkey, as gemd installs it. */
		r->keyfile = value;
		r->from_gak = true;
	} else if (!strcmp(word, "id") && !r->group) {
		r->id = strtol(value, &end, 0);
		if (*end || r->id < 0 || r->id > 255) {
			fprintf(stderr, "gemctl: id: a number from 0 to 255: %s\n", value);
			return -1;
		}
	} else if ((!strcmp(word, "rate") || !strcmp(word, "floor")) && !r->group && !r->tx &&
		   r->set) {
		return conf_number(r, word, value) ? -1 : 0;
	} else if (!strcmp(word, "tag") && r->group && r->set) {
		for (r->alg = 0; r->alg < N_TAG_ALGS; r->alg++)
			if (!strcmp(value, tag_algs[r->alg]))
				break;
		if (r->alg == N_TAG_ALGS) {
			fprintf(stderr, "gemctl: tag: hmac-sha256 or cmac-aes, not %s\n", value);
			return -1;
		}
	} else {
		return 1;
	}
	return 0;
}

/* The key of a set, from its file (or a GAK's tag subkey); wiped after. */
static int conf_key(struct conf_req *r)
{
	uint8_t key[GEM_KEY_MAX];
	char errbuf[512];
	size_t keylen = 0;
	int err;

	if (r->from_gak) {
		struct gem_gak gak;

		if (gem_gak_load(r->keyfile, &gak, errbuf, sizeof(errbuf))) {
			fprintf(stderr, "gemctl: %s\n", errbuf);
			return -1;
		}
		keylen = sizeof(gak.tag);
		memcpy(key, gak.tag, keylen);
		gem_gak_wipe(&gak);
	} else if (gem_keyfile_read(r->keyfile, key, r->group ? 16 : GEM_SEK_LEN,
				    r->group ? GEM_TAG_KEY_MAX : GEM_SEK_LEN, &keylen,
				    errbuf, sizeof(errbuf))) {
		fprintf(stderr, "gemctl: %s\n", errbuf);
		return -1;
	}
	if (!r->group && keylen != GEM_SEK_LEN) {
		sodium_memzero(key, sizeof(key));
		fprintf(stderr, "gemctl: %s: key: %zu bytes, a stream key is %d\n",
			r->keyfile, keylen, GEM_SEK_LEN);
		return -1;
	}
	err = nla_put(r->msg, GEM_A_CONF_KEY, keylen, key);
	sodium_memzero(key, sizeof(key));
	return err ? -1 : 0;
}

/*
 * The words after set or del: the group, or source and group, then
 * options. 0, 2 for a usage error, 1 for another (said why).
 */
static int conf_words(struct conf_req *r, int argc, char **argv)
{
	uint8_t plen;
	int i, a, ret;

	if (r->group) {
		if (argc < 3 || put_addr(r, GEM_A_CONF_GROUP, argv[2], "group", &plen) ||
		    nla_put_u8(r->msg, GEM_A_CONF_PREFIXLEN, plen))
			return 2;
		a = 3;
	} else {
		if (argc < 4 || put_addr(r, GEM_A_CONF_SOURCE, argv[2], "source", NULL) ||
		    put_addr(r, GEM_A_CONF_GROUP, argv[3], "group", NULL))
			return 2;
		a = 4;
	}
	for (i = a; i < argc; i += 2) {
		if (i + 1 >= argc)
			return 2;
		ret = conf_option(r, argv[i], argv[i + 1]);
		if (ret)
			return ret > 0 ? 2 : 1;
	}
	if (r->id >= 0 && nla_put_u8(r->msg, GEM_A_CONF_KEY_ID, r->id))
		return 1;
	if (!r->set)
		return 0;
	if (!r->keyfile || (!r->group && r->id < 0))
		return 2;
	if (r->group && nla_put_u8(r->msg, GEM_A_CONF_TAG_ALG, r->alg))
		return 1;
	return conf_key(r) ? 1 : 0;
}

int gemctl_group(struct gemctl *g, const char *what, int argc, char **argv)
{
	struct conf_req r = {
		.what = what, .group = !strcmp(what, "group"), .tx = !strcmp(what, "tx"),
		.id = -1, .alg = GEM_TAG_HMAC_SHA256,
	};
	uint8_t cmd_set = r.group ? GEM_CMD_GROUP_SET : r.tx ? GEM_CMD_TX_SET : GEM_CMD_RX_SET;
	unsigned int ifindex;
	int ret = 0;

	if (argc < 2)
		return usage_conf(what);
	ifindex = gemctl_ifindex(g, what, argv[0]);
	if (!ifindex)
		return 1;
	r.verb = argv[1];
	r.set = !strcmp(r.verb, "set");
	if (!strcmp(r.verb, "show"))
		return argc == 2 ? conf_show(g, &r, argv[0], ifindex) : usage_conf(what);
	if (r.set)
		r.msg = gem_nl_msg(&g->nl, cmd_set, 0);
	else if (!strcmp(r.verb, "del") || !strcmp(r.verb, "flush"))
		r.msg = gem_nl_msg(&g->nl, cmd_set + 1, 0);	/* SET, DEL, GET in order */
	else
		return usage_conf(what);
	if (!r.msg || nla_put_u32(r.msg, GEM_A_CONF_IFINDEX, ifindex))
		ret = 1;
	else if (!strcmp(r.verb, "flush"))
		ret = argc == 2 ? 0 : 2;
	else
		ret = conf_words(&r, argc, argv);
	if (ret) {
		nlmsg_free(r.msg);
		return ret == 2 ? usage_conf(what) : 1;
	}
	if (gem_nl_request(&g->nl, r.msg)) {
		fprintf(stderr, "gemctl: %s %s %s: %s\n", what, argv[0], r.verb, g->nl.errmsg);
		return 1;
	}
	return 0;
}
