// SPDX-License-Identifier: GPL-2.0
/*
 * gemd.conf: parsing and checking. Nothing is applied here: gemd parses a
 * new file completely before it changes anything, so a bad file on
 * SIGHUP loses nothing already running.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gem.h>

#include "gemd_conf.h"

#define WORDS_MAX	16

struct parse {
	const char *file;
	unsigned int line;
	char *err;
	size_t errlen;
};

/* "FILE:LINE: FIELD: message" */
static int fail(struct parse *p, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->line)
		snprintf(p->err, p->errlen, "%s:%u: %s: %s", p->file, p->line, field, msg);
	else
		snprintf(p->err, p->errlen, "%s: %s: %s", p->file, field, msg);
	return -1;
}

void gemd_conf_defaults(struct gemd_conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->socket, sizeof(c->socket), "/run/gem/gemd.sock");
	c->hello_ms = 4000;
	c->update_ms = 16000;
	c->rotate_s = 3600;
	c->rotate_packets = 1ULL << 32;
	c->overlap_s = 30;
	c->item_lifetime_s = 600;
	c->max_items = 16384;
	/* A source makes two items a stream (its key, its Source Active). */
	c->max_items_per_origin = 4096;
	c->max_clock_skew_s = 60;
	c->stream_max_rate = 1000000;
	c->max_new_streams = 50;
	c->install_routes = true;
	c->control_esp = true;
	c->control_mac = true;
}

static int path_arg(struct parse *p, const char *field, const char *v, char *out)
{
	if (v[0] != '/')
		return fail(p, field, "\"%s\" is not an absolute path", v);
	if (strlen(v) >= GEMD_CONF_PATH_MAX)
		return fail(p, field, "path longer than %d bytes", GEMD_CONF_PATH_MAX - 1);
	strcpy(out, v);
	return 0;
}

static int name_arg(struct parse *p, const char *field, const char *v, char *out)
{
	if (!v[0] || strlen(v) >= 16 || strchr(v, '/'))
		return fail(p, field, "\"%s\" is not an interface name", v);
	strcpy(out, v);
	return 0;
}

/* Seconds, with a fraction (0.5), into milliseconds within [min, max]. */
static int seconds_ms(struct parse *p, const char *field, const char *v, double min, double max,
		      unsigned int *ms)
{
	char *end;
	double s;

	errno = 0;
	s = strtod(v, &end);
	if (!v[0] || *end || errno || !isfinite(s) || s < min || s > max)
		return fail(p, field, "\"%s\" is not a number of seconds from %g to %g", v, min, max);
	*ms = (unsigned int)(s * 1000 + 0.5);
	return 0;
}

static int number(struct parse *p, const char *field, const char *v, unsigned long long min,
		  unsigned long long max, unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(v, &end, 10);
	if (!v[0] || v[0] == '-' || *end || errno || *out < min || *out > max)
		return fail(p, field, "\"%s\" is not a number from %llu to %llu", v, min, max);
	return 0;
}

static bool multicast(const struct gem_addr *a)
{
	return a->len == 4 ? (a->bytes[0] & 0xf0) == 0xe0 && a->prefixlen >= 4
			   : a->bytes[0] == 0xff && a->prefixlen >= 8;
}

static bool prefix_clean(const struct gem_addr *a)
{
	int i;

	for (i = 0; i < a->len; i++) {
		int keep = a->prefixlen > i * 8 ? a->prefixlen - i * 8 : 0;
		uint8_t mask = keep >= 8 ? 0xff : (uint8_t)(0xff00 >> keep);

		if (a->bytes[i] & ~mask)
			return false;
	}
	return true;
}

static bool in_prefix(const struct gem_addr *a, const struct gem_addr *prefix)
{
	struct gem_addr m = *a;

	if (a->len != prefix->len)
		return false;
	m.prefixlen = prefix->prefixlen;
	for (int i = 0; i < m.len; i++) {
		int keep = m.prefixlen > i * 8 ? m.prefixlen - i * 8 : 0;

		m.bytes[i] &= keep >= 8 ? 0xff : (uint8_t)(0xff00 >> keep);
	}
	return !memcmp(m.bytes, prefix->bytes, (size_t)m.len);
}

/* Options after a directive's fixed words: "name value" pairs. */
static const char *option(int argc, char **argv, int from, const char *name)
{
	int i;

	for (i = from; i + 1 < argc; i += 2)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int check_options(struct parse *p, const char *directive, int argc, char **argv, int from,
			 const char *const *allowed)
{
	int i, k;

	for (i = from; i < argc; i += 2) {
		for (k = 0; allowed[k]; k++)
			if (!strcmp(argv[i], allowed[k]))
				break;
		if (!allowed[k])
			return fail(p, directive, "unknown option \"%s\"", argv[i]);
		if (i + 1 >= argc)
			return fail(p, argv[i], "a value is missing");
	}
	return 0;
}

struct directive;
typedef int directive_fn(struct parse *p, struct gemd_conf *c, const struct directive *dv,
			 int argc, char **argv);

/* A directive: what parses it, and for the kinds that set one field, which. */
struct directive {
	const char *name;
	directive_fn *fn;
	size_t off, size;		/* the field in struct gemd_conf */
	unsigned long long min, max;	/* numbers; seconds: max only */
};

#define FIELD(f)	offsetof(struct gemd_conf, f), sizeof(((struct gemd_conf *)0)->f)

static void *field(struct gemd_conf *c, const struct directive *dv)
{
	return (char *)c + dv->off;
}

/* identity, bootstrap-key, socket */
static int d_path(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		  char **argv)
{
	if (argc != 2)
		return fail(p, dv->name, "takes one path");
	return path_arg(p, dv->name, argv[1], field(c, dv));
}

/* hello-interval, update-interval */
static int d_seconds(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		     char **argv)
{
	if (argc != 2)
		return fail(p, dv->name, "takes a number of seconds");
	return seconds_ms(p, dv->name, argv[1], 0.05, (double)dv->max, field(c, dv));
}

/* install-routes, control-esp, control-mac */
static int d_yes_no(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		    char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "yes") && strcmp(argv[1], "no")))
		return fail(p, dv->name, "yes or no");
	*(bool *)field(c, dv) = !strcmp(argv[1], "yes");
	return 0;
}

/* One number from min to max, into a field of 32 or 64 bits. */
static int d_number(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		    char **argv)
{
	unsigned long long n;

	if (argc != 2)
		return fail(p, dv->name, "takes one number");
	if (number(p, dv->name, argv[1], dv->min, dv->max, &n))
		return -1;
	if (dv->size == sizeof(uint64_t))
		*(uint64_t *)field(c, dv) = n;
	else
		*(uint32_t *)field(c, dv) = (uint32_t)n;
	return 0;
}

/* device NAME underlay DEV */
static int d_device(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		    char **argv)
{
	struct gemd_conf_device *dev = &c->devices[c->n_devices];
	const char *d = dv->name;
	unsigned int i;

	if (argc != 4 || strcmp(argv[2], "underlay"))
		return fail(p, d, "the form is: device NAME underlay DEV");
	if (c->n_devices == GEMD_CONF_DEVICES_MAX)
		return fail(p, d, "more than %d devices", GEMD_CONF_DEVICES_MAX);
	if (name_arg(p, d, argv[1], dev->name) || name_arg(p, "underlay", argv[3], dev->underlay))
		return -1;
	for (i = 0; i < c->n_devices; i++)
		if (!strcmp(c->devices[i].name, dev->name) ||
		    !strcmp(c->devices[i].underlay, dev->underlay))
			return fail(p, d, "%s or %s is already configured", dev->name,
				    dev->underlay);
	c->n_devices++;
	return 0;
}

/* babel-interface NAME [hello-interval S] [update-interval S] */
static int d_iface(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		   char **argv)
{
	static const char *const opts[] = { "hello-interval", "update-interval", NULL };
	struct gemd_conf_iface *ifc = &c->ifaces[c->n_ifaces];
	const char *d = dv->name, *v;
	unsigned int i;

	if (argc < 2)
		return fail(p, d, "an interface name is required");
	if (c->n_ifaces == GEMD_CONF_IFACES_MAX)
		return fail(p, d, "more than %d interfaces", GEMD_CONF_IFACES_MAX);
	memset(ifc, 0, sizeof(*ifc));
	if (name_arg(p, d, argv[1], ifc->name) || check_options(p, d, argc, argv, 2, opts))
		return -1;
	for (i = 0; i < c->n_ifaces; i++)
		if (!strcmp(c->ifaces[i].name, ifc->name))
			return fail(p, d, "%s is already configured", ifc->name);
	v = option(argc, argv, 2, "hello-interval");
	if (v && seconds_ms(p, "hello-interval", v, 0.05, 600, &ifc->hello_ms))
		return -1;
	v = option(argc, argv, 2, "update-interval");
	if (v && seconds_ms(p, "update-interval", v, 0.05, 3600, &ifc->update_ms))
		return -1;
	c->n_ifaces++;
	return 0;
}

/* group PREFIX gak FILE [tag ALG] [max-rate N] */
static int d_group(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		   char **argv)
{
	static const char *const opts[] = { "gak", "tag", "max-rate", NULL };
	struct gemd_conf_group *g = &c->groups[c->n_groups];
	const char *d = dv->name, *v;
	unsigned long long n;
	unsigned int i;

	if (argc < 2)
		return fail(p, d, "a group prefix is required");
	if (c->n_groups == GEMD_CONF_GROUPS_MAX)
		return fail(p, d, "more than %d groups", GEMD_CONF_GROUPS_MAX);
	memset(g, 0, sizeof(*g));
	if (gem_parse_addr(argv[1], &g->prefix))
		return fail(p, d, "\"%s\" is not an address or prefix", argv[1]);
	if (!multicast(&g->prefix))
		return fail(p, d, "%s is not within 224.0.0.0/4 or ff00::/8", argv[1]);
	if (!prefix_clean(&g->prefix))
		return fail(p, d, "%s has bits set beyond its prefix length", argv[1]);
	if (check_options(p, d, argc, argv, 2, opts))
		return -1;
	v = option(argc, argv, 2, "gak");
	if (!v)
		return fail(p, d, "%s: a gak file is required", argv[1]);
	if (path_arg(p, "gak", v, g->gak))
		return -1;
	v = option(argc, argv, 2, "tag");
	g->tag_alg = GEM_TAG_HMAC_SHA256;
	if (v && !strcmp(v, "cmac-aes"))
		g->tag_alg = GEM_TAG_CMAC_AES;
	else if (v && strcmp(v, "hmac-sha256"))
		return fail(p, "tag", "\"%s\" is neither hmac-sha256 nor cmac-aes", v);
	v = option(argc, argv, 2, "max-rate");
	if (v) {
		if (number(p, "max-rate", v, 1, 4294967295ULL, &n))
			return -1;
		g->max_rate = (uint32_t)n;
	}
	for (i = 0; i < c->n_groups; i++)
		if (c->groups[i].prefix.len == g->prefix.len &&
		    c->groups[i].prefix.prefixlen == g->prefix.prefixlen &&
		    !memcmp(c->groups[i].prefix.bytes, g->prefix.bytes, (size_t)g->prefix.len))
			return fail(p, d, "%s is already configured", argv[1]);
	c->n_groups++;
	return 0;
}

/* source ADDRESS GROUP */
static int d_source(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		    char **argv)
{
	const char *d = dv->name;
	struct gemd_conf_source *s = &c->sources[c->n_sources];

	if (argc != 3)
		return fail(p, d, "the form is: source ADDRESS GROUP");
	if (c->n_sources == GEMD_CONF_SOURCES_MAX)
		return fail(p, d, "more than %d sources", GEMD_CONF_SOURCES_MAX);
	if (gem_parse_addr(argv[1], &s->source) || s->source.prefixlen != s->source.len * 8)
		return fail(p, d, "\"%s\" is not an address", argv[1]);
	if (gem_parse_addr(argv[2], &s->group) || s->group.prefixlen != s->group.len * 8 ||
	    !multicast(&s->group))
		return fail(p, d, "\"%s\" is not a multicast group", argv[2]);
	if (s->source.len != s->group.len)
		return fail(p, d, "source and group must be of one family");
	c->n_sources++;
	return 0;
}

/* announce PREFIX */
static int d_announce(struct parse *p, struct gemd_conf *c, const struct directive *dv, int argc,
		      char **argv)
{
	const char *d = dv->name;
	struct gem_addr *a = &c->announce[c->n_announce];

	if (argc != 2)
		return fail(p, d, "takes one prefix");
	if (c->n_announce == GEMD_CONF_ANNOUNCE_MAX)
		return fail(p, d, "more than %d prefixes", GEMD_CONF_ANNOUNCE_MAX);
	if (gem_parse_addr(argv[1], a))
		return fail(p, d, "\"%s\" is not an address or prefix", argv[1]);
	if (multicast(a) || !prefix_clean(a))
		return fail(p, d, "%s is not a unicast prefix without host bits", argv[1]);
	c->n_announce++;
	return 0;
}

static const struct directive directives[] = {
	{ "identity", d_path, FIELD(identity), 0, 0 },
	{ "bootstrap-key", d_path, FIELD(bootstrap_key), 0, 0 },
	{ "socket", d_path, FIELD(socket), 0, 0 },
	{ "device", d_device, 0, 0, 0, 0 },
	{ "babel-interface", d_iface, 0, 0, 0, 0 },
	{ "group", d_group, 0, 0, 0, 0 },
	{ "source", d_source, 0, 0, 0, 0 },
	{ "announce", d_announce, 0, 0, 0, 0 },
	{ "hello-interval", d_seconds, FIELD(hello_ms), 0, 600 },
	{ "update-interval", d_seconds, FIELD(update_ms), 0, 3600 },
	{ "install-routes", d_yes_no, FIELD(install_routes), 0, 0 },
	{ "control-esp", d_yes_no, FIELD(control_esp), 0, 0 },
	{ "control-mac", d_yes_no, FIELD(control_mac), 0, 0 },
	{ "rotate-interval", d_number, FIELD(rotate_s), 10, 7 * 86400 },
	/* Far below the 2^64 packet numbers a key has: no nonce reuse. */
	{ "rotate-packets", d_number, FIELD(rotate_packets), 1000, 1ULL << 48 },
	{ "key-overlap", d_number, FIELD(overlap_s), 1, 3600 },
	{ "item-lifetime", d_number, FIELD(item_lifetime_s), 10, 65535 },
	{ "max-items", d_number, FIELD(max_items), 16, 1000000 },
	{ "max-items-per-origin", d_number, FIELD(max_items_per_origin), 1, 1000000 },
	{ "max-clock-skew", d_number, FIELD(max_clock_skew_s), 1, 86400 },
	{ "stream-max-rate", d_number, FIELD(stream_max_rate), 0, 4294967295ULL },
	{ "max-new-streams", d_number, FIELD(max_new_streams), 1, 100000 },
};

static int directive(struct parse *p, struct gemd_conf *c, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(directives) / sizeof(directives[0]); i++)
		if (!strcmp(argv[0], directives[i].name))
			return directives[i].fn(p, c, &directives[i], argc, argv);
	return fail(p, argv[0], "unknown directive");
}

/* What only the whole file can tell. */
static int check_whole(struct parse *p, struct gemd_conf *c)
{
	unsigned int i, k;

	p->line = 0;
	if (!c->identity[0])
		return fail(p, "identity", "required: the node's identity file");
	if (!c->bootstrap_key[0])
		return fail(p, "bootstrap-key", "required: the domain's Bootstrap Key file");
	/* No device: a relay, which keeps and floods items but installs nothing. */
	if (!c->n_devices && c->n_sources)
		return fail(p, "source", "a configured source needs a gem device to send from");
	if (c->overlap_s >= c->rotate_s)
		return fail(p, "key-overlap", "must be shorter than rotate-interval");
	for (i = 0; i < c->n_sources; i++) {
		for (k = 0; k < c->n_groups; k++)
			if (in_prefix(&c->sources[i].group, &c->groups[k].prefix))
				break;
		if (k == c->n_groups)
			return fail(p, "source", "source %u: its group is in no configured group prefix",
				    i + 1);
	}
	return 0;
}

int gemd_conf_parse(const char *file, const char *text, struct gemd_conf *c, char *err,
		    size_t errlen)
{
	struct parse p = { .file = file, .err = err, .errlen = errlen };
	const char *s = text;

	gemd_conf_defaults(c);
	while (*s) {
		char line[1024], *argv[WORDS_MAX], *w, *save = NULL, *hash;
		size_t len = strcspn(s, "\n");
		int argc = 0;

		p.line++;
		if (len >= sizeof(line))
			return fail(&p, "line", "longer than %zu bytes", sizeof(line) - 1);
		memcpy(line, s, len);
		line[len] = '\0';
		s += len + (s[len] == '\n');
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		for (w = strtok_r(line, " \t\r", &save); w; w = strtok_r(NULL, " \t\r", &save)) {
			if (argc == WORDS_MAX)
				return fail(&p, argv[0], "more than %d words", WORDS_MAX);
			argv[argc++] = w;
		}
		if (argc && directive(&p, c, argc, argv))
			return -1;
	}
	return check_whole(&p, c);
}

int gemd_conf_load(const char *path, struct gemd_conf *c, char *err, size_t errlen)
{
	char *text;
	long size;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || size > 1 << 20 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		snprintf(err, errlen, "%s: not a readable file of at most 1 MiB", path);
		return -1;
	}
	text = calloc(1, (size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		fclose(f);
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	fclose(f);
	if (strlen(text) != (size_t)size) {
		free(text);
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		return -1;
	}
	ret = gemd_conf_parse(path, text, c, err, errlen);
	free(text);
	return ret;
}

/* What only a start reads: one list, for telling a change and for keeping it out. */
#define START_ONLY(name, f) { name, offsetof(struct gemd_conf, f), sizeof(((struct gemd_conf *)0)->f) }
static const struct {
	const char *name;		/* the directive, for the log */
	size_t off, len;
} start_only[] = {
	START_ONLY("identity", identity),
	START_ONLY("socket", socket),
	START_ONLY("device", n_devices),
	START_ONLY("device", devices),
	START_ONLY("babel-interface", n_ifaces),
	START_ONLY("babel-interface", ifaces),
	START_ONLY("hello-interval", hello_ms),
	START_ONLY("update-interval", update_ms),
	START_ONLY("announce", n_announce),
	START_ONLY("announce", announce),
	START_ONLY("install-routes", install_routes),
	START_ONLY("control-mac", control_mac),
	START_ONLY("max-items", max_items),
	START_ONLY("max-items-per-origin", max_items_per_origin),
};

const char *gemd_conf_restart_needed(const struct gemd_conf *run, const struct gemd_conf *next)
{
	size_t i;

	for (i = 0; i < sizeof(start_only) / sizeof(start_only[0]); i++)
		if (memcmp((const char *)run + start_only[i].off,
			   (const char *)next + start_only[i].off, start_only[i].len))
			return start_only[i].name;
	return NULL;
}

void gemd_conf_keep_start_only(const struct gemd_conf *run, struct gemd_conf *next)
{
	size_t i;

	for (i = 0; i < sizeof(start_only) / sizeof(start_only[0]); i++)
		memcpy((char *)next + start_only[i].off, (const char *)run + start_only[i].off,
		       start_only[i].len);
}
