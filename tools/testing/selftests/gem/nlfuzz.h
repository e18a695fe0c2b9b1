/* SPDX-License-Identifier: GPL-2.0 */
/* gem_nlfuzz: what its files share. */
#ifndef NLFUZZ_H
#define NLFUZZ_H
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/gem.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX(a, b)	((a) > (b) ? (a) : (b))

/* Requests, answers and the kernel's log. */
#define WIRE_MAX	(80 * 1024)
#define ARENA_MAX	(72 * 1024)
#define ATTRS_MAX	48
#define RECV_MAX	(64 * 1024)
#define ERRNO_MAX	256
#define CMDS		256
#define RING		16
#define RING_BYTES	512
#define SLOW_DUMPS	3
#define MSGS_MAX	96

/* splitmix64: one independent stream per request, from (seed, index). */
struct rng {
	uint64_t s;
};
/*
 * Devices, known by name: gem devices are deleted and made again while
 * this runs, so a name's ifindex is looked up again every 50 ms. A
 * request picks a device by its place in the list (from the seed) and
 * gets its ifindex of the moment, or one it had before.
 */
#define DEVS_MAX	16
#define STALE		4
struct dev {
	const char *name;
	uint32_t ifindex;
	uint32_t stale[STALE];
	int nstale;
};
enum role {
	R_NONE,
	R_GEMDEV,	/* ifindex of a gem device */
	R_GEMNAME,	/* its name */
	R_LINK,		/* ifindex of another device */
	R_LINKNAME,
	R_ADDR,		/* a source address */
	R_GROUP,	/* a group address or prefix */
	R_PLEN,		/* a prefix length */
	R_KEYID,
	R_KEY,
	R_ALG,
	R_TTL,
	R_IDLE,
	R_STATS,	/* the nest of counters */
	R_COUNTER,	/* something only the kernel says */
};
/* Addresses and prefixes: local ones from -a, the rest fixed here. */
struct addr {
	uint8_t fam;	/* 4 or 6 */
	uint8_t plen;
	uint8_t a[16];
};
#define ADDRS_MAX	32
#define POOL_MAX	32
struct pool {
	struct addr v[POOL_MAX];
	int n;
};
/*
 * The attribute sets of uapi/linux/gem.h. Each table is sized by its
 * GEM_A_*_MAX: an attribute added to the header and not here is fuzzed
 * as unknown bytes of any length.
 */
enum kind { K_UNKNOWN, K_U8, K_U32, K_U64, K_BIN, K_STR, K_NEST, K_PAD };
struct akind {
	uint8_t kind;
	uint8_t role;
};
enum { S_DEV, S_CONF, S_STATS, S_NORM, S_N };

struct aset {
	const char *name;
	int max;
	const struct akind *attrs;
};
#define ATTR_MAX_ANY	MAX(MAX((int)GEM_A_DEV_MAX, (int)GEM_A_CONF_MAX), \
			    MAX((int)GEM_A_STATS_MAX, (int)GEM_A_NORM_MAX))
/*
 * A request as built, before it is laid out: header fields and a list of
 * attributes whose payloads live in the arena.
 */
struct attr {
	uint16_t type;		/* with NLA_F_* bits */
	uint32_t len;		/* payload bytes; nla_len keeps the low 16 bits of len + 4 */
	uint8_t *data;
};
enum req_kind { Q_SWEEP, Q_VALID, Q_MUTATED, Q_RANDOM, Q_KINDS };
struct req {
	uint16_t type;
	uint16_t flags;
	uint8_t cmd;
	uint8_t version;
	uint16_t reserved;
	int nattrs;
	struct attr a[ATTRS_MAX];
	uint8_t arena[ARENA_MAX];
	size_t used;
	enum req_kind kind;
	int dump;		/* NLM_F_DUMP as built */
	uint32_t filter;	/* replies must name this ifindex ... */
	int filter_type;	/* ... in this attribute (0: no check) */
	int fam;		/* address family of the request, 4 or 6 */
};
struct wire {
	uint8_t buf[WIRE_MAX];
	size_t len;		/* bytes sent */
	int batch;		/* more than one message */
};
/* What the kernel answered, counted by command. */
struct cmdstat {
	unsigned long sent[2];		/* do, dump */
	unsigned long ok, none;
	unsigned long valid_sent, valid_ok;
	unsigned long replies, dump_msgs, dump_intr;
	unsigned long err[ERRNO_MAX];
	unsigned long err_nomsg[ERRNO_MAX];	/* gem's own refusals without a message */
	unsigned long err_withmsg[ERRNO_MAX];
	long first_nomsg[ERRNO_MAX];
};
struct msgstat {
	char text[160];
	unsigned long count;
};
struct options {
	int unpriv;
	int verbose;
	const char *name;
	uint64_t seed;
};
struct outcome {
	int answered;	/* an error, a done or a reply came */
	int err;	/* the first errno, 0 for success */
};
/* Dumps read one skb at a time while things change, or left unfinished. */
struct slow {
	int fd;
	struct req q;
	struct wire w;
	struct outcome out;
};

void die(const char *fmt, ...);
double now(void);
uint64_t rnd(struct rng *r);
struct rng rng_for(uint64_t seed, uint64_t index, uint64_t stream);
uint32_t below(struct rng *r, uint32_t n);
int chance(struct rng *r, int percent);
void fill(struct rng *r, uint8_t *p, size_t len);
int split(char *s, char **out, int max);
extern struct dev gems[DEVS_MAX], links[DEVS_MAX];
extern int ngems, nlinks;
void refresh_devs(struct dev *d, int n);
uint32_t dev_ifindex(struct rng *r, struct dev *pool, int n);
uint32_t pick_ifindex(struct rng *r, int role);
const char *pick_name(struct rng *r, int role);
extern struct addr local4[ADDRS_MAX], local6[ADDRS_MAX];
extern int nlocal4, nlocal6;
int parse_addr(const char *s, struct addr *out);
extern const struct aset sets[S_N];
extern struct pool p_remote, p_groups, p_gpfx, p_spfx;
void pools_init(void);
const struct addr *pool_pick(struct rng *r, const struct pool *p, int fam);
const struct addr *pool_first(const struct pool *p, int fam);
const struct addr *local_pick(struct rng *r, int fam);
struct akind attr_kind(int set, int type);
int cmd_set(int cmd);
int needs_admin(int cmd);
int is_dump(int cmd);
const char *cmd_name(int cmd);
const char *errname(int e);
extern const char *const kind_names[Q_KINDS];
extern uint16_t family_id;
extern uint32_t events_group;
uint8_t *q_alloc(struct req *q, size_t len);
struct attr *q_put(struct req *q, uint16_t type, const void *data, uint32_t len);
extern const uint32_t lens[];
extern const size_t nlens;  /* lens' count */
void fill_nest(struct rng *r, uint8_t *p, uint32_t len, int depth);
void put_plausible(struct rng *r, struct req *q, int set, int type);
void build_valid(struct rng *r, struct req *q, int cmd, int dump);
int pick_cmd(struct rng *r);
void build_sweep(struct rng *r, struct req *q, uint64_t k);
void build_random(struct rng *r, struct req *q);
uint64_t sweep_stride(void);
void build_request(struct rng *r, struct req *q, struct req *extra, struct wire *w,
		   uint64_t index, uint64_t stride);
void mutate_attrs(struct rng *r, struct req *q);
void mutate_header(struct rng *r, struct req *q);
size_t lay_out(const struct req *q, uint8_t *buf, size_t max, uint32_t seq);
void mutate_wire(struct rng *r, struct wire *w, const struct req *extra, uint32_t seq);
extern struct cmdstat cs[CMDS];
extern unsigned long kinds_sent[Q_KINDS];
extern unsigned long ntf[CMDS], ntf_overruns, truncated_reads;
extern unsigned long mc_joined, mc_refused[ERRNO_MAX], mc_events_joined, mc_events_refused;
extern unsigned long slow_started, slow_done, slow_intr, slow_abandoned, slow_msgs;
extern unsigned long violations, stale_answers, core_acks;
extern struct msgstat msgs[MSGS_MAX];
extern int nmsgs;
extern struct options opt;
extern uint64_t cur_index;
extern int ext_ack_on;
void hexdump(FILE *f, const char *prefix, const uint8_t *p, size_t len);
void describe(FILE *f, const char *prefix, const uint8_t *buf, size_t len, size_t sent);
void ring_add(uint64_t index, const struct wire *w);
void ring_print(FILE *f);
void violation(const char *what, const uint8_t *reply, size_t len);
void check_gem_msg(const struct nlmsghdr *nlh, const struct req *q, int notification);
int gem_would_parse(const uint8_t *buf, size_t len);
int take_answers(const uint8_t *buf, ssize_t n, const struct req *q, const struct wire *w,
			struct outcome *out, int slow);
extern uint8_t rbuf[RECV_MAX];
void drain(int fd, const struct req *q, const struct wire *w, struct outcome *out);
int nl_socket(int rcvbuf);
void resolve_family(void);
void drain_events(int fd);
void membership(struct rng *r, int fd);
extern struct slow *slow[SLOW_DUMPS];
void slow_step(struct rng *r);
extern int kmsg_fd;
int kmsg_check(void);
void usage(void);
uint64_t parse_u64(const char *s);
int traffic_main(int argc, char **argv);

#endif
