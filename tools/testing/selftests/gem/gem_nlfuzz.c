// SPDX-License-Identifier: GPL-2.0
/*
 * gem_nlfuzz: a bounded, seed-driven fuzzer of gem.ko's "gem"
 * generic-netlink family, run in the test VM by nlfuzz.sh.
 *
 *   gem_nlfuzz fuzz [OPTION...]     random and mutated requests
 *   gem_nlfuzz traffic [OPTION...]  multicast through the devices meanwhile
 *
 * Request N is made from the seed and N alone, never from what the kernel
 * answered before, so "-s SEED --only N" sends request N again (and
 * prints the answer), "-s SEED --upto N" the first N. Requests are of
 * four kinds: a sweep that puts every attribute type of the command's
 * attribute set, and a few beyond its maximum, at a dozen lengths into an
 * otherwise valid request, for every command number up to GEM_CMD_MAX and
 * beyond, done and dumped; valid requests, built from the devices and
 * addresses of the namespace, that reach deep into gem.ko; mutations of
 * valid ones (attributes deleted, duplicated, inserted, retyped,
 * truncated, grown, nested garbage, header fields, flipped bits, cut or
 * over-long messages, several in one send); and wholly random ones.
 * Command numbers and attribute maxima come from uapi/linux/gem.h, so new
 * ones are fuzzed without a change here.
 *
 * Meanwhile it joins and leaves multicast groups, keeps a few dumps
 * open on small sockets and reads them slowly while things change (or
 * abandons them), and listens to the events group. Every answer is
 * checked: no reply, dump or notification carries a key; every message is
 * well-formed; dumps keep to the device they were asked for; with -U
 * (unprivileged) no change is ever accepted and no events group joined.
 * With -k it watches /dev/kmsg and stops at the first oops, WARN, KASAN or
 * UBSAN report, printing the requests just sent. At the end a summary
 * counts what the kernel answered, command by command.
 *
 * Exit status: 0, 1 if a check failed, 2 on a usage or setup problem.
 */

#include "nlfuzz.h"
/* Commands far past GEM_CMD_MAX, counted into the row of GEM_CMD_MAX + 4. */
static void fold_far_cmds(void)
{
	struct cmdstat *o = &cs[GEM_CMD_MAX + 4];
	int c, e;

	for (c = GEM_CMD_MAX + 5; c < CMDS; c++) {
		struct cmdstat *s = &cs[c];

		o->sent[0] += s->sent[0];
		o->sent[1] += s->sent[1];
		o->ok += s->ok;
		o->valid_ok += s->valid_ok;
		o->valid_sent += s->valid_sent;
		o->replies += s->replies;
		o->dump_msgs += s->dump_msgs;
		o->dump_intr += s->dump_intr;
		for (e = 0; e < ERRNO_MAX; e++) {
			o->err[e] += s->err[e];
			if (s->err_nomsg[e] && !o->err_nomsg[e])
				o->first_nomsg[e] = s->first_nomsg[e];
			o->err_nomsg[e] += s->err_nomsg[e];
			o->err_withmsg[e] += s->err_withmsg[e];
		}
	}
}

/* A row a command: what was sent, what came back. */
static void print_cmds(void)
{
	int c, e;

	printf("\n# %-20s %7s %6s %7s %13s %7s %7s %5s  errors\n", "command", "do", "dump", "ok",
	       "valid ok/sent", "replies", "dumped", "intr");
	for (c = 0; c <= GEM_CMD_MAX + 4; c++) {
		struct cmdstat *s = &cs[c];
		char range[24];
		const char *name = cmd_name(c);

		if (!s->sent[0] && !s->sent[1] && !s->ok)
			continue;
		if (c == GEM_CMD_MAX + 4) {
			snprintf(range, sizeof(range), "cmd-%d..%d", c, CMDS - 1);
			name = range;
		}
		printf("# %-20s %7lu %6lu %7lu %6lu/%-6lu %7lu %7lu %5lu ", name, s->sent[0],
		       s->sent[1], s->ok, s->valid_ok, s->valid_sent, s->replies, s->dump_msgs,
		       s->dump_intr);
		for (e = 1; e < ERRNO_MAX; e++)
			if (s->err[e])
				printf(" %s:%lu", errname(e), s->err[e]);
		printf("\n");
	}
}

/* Events, group joins, slow dumps and the extack messages seen. */
static void print_side(void)
{
	unsigned long total_ntf = 0;
	int c, e;

	for (c = 0; c < CMDS; c++)
		total_ntf += ntf[c];
	printf("# events: %lu notifications", total_ntf);
	for (c = 0; c < CMDS; c++)
		if (ntf[c])
			printf(" %s:%lu", cmd_name(c), ntf[c]);
	printf(", %lu overruns; group joins: %lu taken (events %lu), refused", ntf_overruns,
	       mc_joined, mc_events_joined);
	for (e = 1; e < ERRNO_MAX; e++)
		if (mc_refused[e])
			printf(" %s:%lu", errname(e), mc_refused[e]);
	printf(" (events %lu)\n", mc_events_refused);
	printf("# slow dumps: %lu started, %lu ended, %lu abandoned, %lu messages, %lu interrupted"
	       "; %lu reads truncated, %lu late answers, %lu acks from netlink itself\n",
	       slow_started, slow_done, slow_abandoned, slow_msgs, slow_intr, truncated_reads,
	       stale_answers, core_acks);
	printf("# %d distinct extack messages:", nmsgs);
	for (c = 0; c < nmsgs; c++)
		printf("%s \"%s\" x%lu", c ? "," : "", msgs[c].text, msgs[c].count);
	printf("\n");
}

/* gem's refusals without an extack message, with the request to replay. */
static void print_nomsg(void)
{
	unsigned long nomsg_classes = 0;
	int c, e;

	for (c = 0; c <= GEM_CMD_MAX + 4; c++)
		for (e = 1; e < ERRNO_MAX; e++)
			if (cs[c].err_nomsg[e]) {
				if (!nomsg_classes++)
					printf("# gem refusals without an extack message (a well-formed "
					       "header, not EPERM or EOPNOTSUPP):\n");
				printf("#   %s %s: %lu without, %lu with a message; first: -s %" PRIu64
				       " --only %ld\n", cmd_name(c), errname(e), cs[c].err_nomsg[e],
				       cs[c].err_withmsg[e], opt.seed, cs[c].first_nomsg[e]);
			}
}

static void summary(double secs, uint64_t sent)
{
	int c;

	printf("# nlfuzz %s: seed %" PRIu64 ", %.0f s, %" PRIu64 " requests (%.0f/s):", opt.name,
	       opt.seed, secs, sent, secs > 0 ? sent / secs : 0);
	for (c = 0; c < Q_KINDS; c++)
		printf(" %lu %s", kinds_sent[c], kind_names[c]);
	fold_far_cmds();
	print_cmds();
	print_side();
	print_nomsg();
	printf("# %lu violations\n", violations);
}

void usage(void)
{
	fprintf(stderr,
		"usage: gem_nlfuzz fuzz [-s SEED] [-t SECONDS] [-n NAME] [-U] [-k] [-R] [-v] [-r RATE]\n"
		"                       [-g GEMDEV,...] [-l DEV,...] [-a ADDR,...]\n"
		"                       [--only N | --upto N] [-T TRACEFILE]\n"
		"       gem_nlfuzz traffic [-s SEED] [-t SECONDS] -o DEV,... [-j DEV,...] [-r PPS]\n"
		"  -U  unprivileged: every change must be refused\n"
		"  -k  watch /dev/kmsg; stop at the first kernel complaint\n"
		"  -R  fail unless valid requests of every command succeeded at least once\n"
		"  -r  at most RATE requests a second\n"
		"  -g  gem devices, -l other devices, -a local addresses of the namespace\n"
		"  --only N  send request N of the seed (and print it and the answer)\n"
		"  --upto N  send requests 0 to N-1\n"
		"  -T  write each request, described, to TRACEFILE before sending it\n");
	exit(2);
}

uint64_t parse_u64(const char *s)
{
	char *end;
	uint64_t v = strtoull(s, &end, 0);

	if (*end)
		usage();
	return v;
}

/* What fuzz was asked for beside opt. */
struct fuzz_args {
	double seconds;
	int64_t only, upto;	/* -1: not asked for */
	int require, rate;
	FILE *trace;
};

/* -a ADDR,...: the namespace's local addresses. */
static void add_locals(char *arg)
{
	char *list[ADDRS_MAX];
	int i, n = split(arg, list, ADDRS_MAX);

	for (i = 0; i < n; i++) {
		struct addr a;

		if (parse_addr(list[i], &a))
			die("not an address: %s", list[i]);
		if (a.fam == 4)
			local4[nlocal4++] = a;
		else
			local6[nlocal6++] = a;
	}
}

/* -g or -l DEV,...: devices of the pool d, of *n so far. */
static void add_devs(char *arg, struct dev *d, int *n)
{
	char *list[DEVS_MAX];
	int i, k = split(arg, list, DEVS_MAX);

	for (i = 0; i < k; i++)
		d[(*n)++].name = list[i];
}

/* -k: /dev/kmsg read from its end. */
static void open_kmsg(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0)
		die("/dev/kmsg: %s", strerror(errno));
	lseek(kmsg_fd, 0, SEEK_END);
}

/* -T FILE: the trace, appended to a line at a time. */
static FILE *open_trace(const char *path)
{
	FILE *trace = fopen(path, "a");

	if (!trace)
		die("%s: %s", path, strerror(errno));
	setvbuf(trace, NULL, _IOLBF, 0);
	return trace;
}

/* A seed from the clock when -s gave none. */
static void clock_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	opt.seed = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ ts.tv_nsec ^ getpid();
	opt.seed &= 0xffffffff;
}

static void fuzz_options(int argc, char **argv, struct fuzz_args *a)
{
	static const struct option lopts[] = {
		{ "only", required_argument, NULL, 'O' },
		{ "upto", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	int c, seeded = 0;

	while ((c = getopt_long(argc, argv, "s:t:n:Ug:l:a:kRvT:r:", lopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opt.seed = parse_u64(optarg);
			seeded = 1;
			break;
		case 't':
			a->seconds = atof(optarg);
			break;
		case 'n':
			opt.name = optarg;
			break;
		case 'U':
			opt.unpriv = 1;
			break;
		case 'g':
			add_devs(optarg, gems, &ngems);
			break;
		case 'l':
			add_devs(optarg, links, &nlinks);
			break;
		case 'a':
			add_locals(optarg);
			break;
		case 'k':
			open_kmsg();
			break;
		case 'R':
			a->require = 1;
			break;
		case 'r':
			a->rate = atoi(optarg);
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'T':
			a->trace = open_trace(optarg);
			break;
		case 'O':
			a->only = parse_u64(optarg);
			opt.verbose = 1;
			break;
		case 'P':
			a->upto = parse_u64(optarg);
			break;
		default:
			usage();
		}
	}
	if (!seeded)
		clock_seed();
}

/* The sockets: fd for requests, evfd in the events group, mcfd for memberships. */
static void fuzz_sockets(int *fd, int *evfd, int *mcfd)
{
	*fd = nl_socket(256 * 1024);
	*evfd = nl_socket(256 * 1024);
	*mcfd = nl_socket(0);
	if (setsockopt(*evfd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &events_group,
		       sizeof(events_group))) {
		if (!opt.unpriv)
			die("joining the events group: %s", strerror(errno));
	} else if (opt.unpriv) {
		violation("an unprivileged socket joined the events group", NULL, 0);
	}
}

/* Request index, laid out in w, into the trace and (-v) onto stdout. */
static void show_request(const struct fuzz_args *a, uint64_t index, const struct req *q,
			 const struct wire *w)
{
	char prefix[64];

	if (a->trace) {
		snprintf(prefix, sizeof(prefix), "<3>gem_nlfuzz %s #%" PRIu64 ": ", opt.name, index);
		describe(a->trace, prefix, w->buf, w->len, w->len);
	}
	if (opt.verbose) {
		snprintf(prefix, sizeof(prefix), "# #%" PRIu64 " %s: ", index, kind_names[q->kind]);
		describe(stdout, prefix, w->buf, w->len, w->len);
		if (a->only >= 0)
			hexdump(stdout, "#   bytes: ", w->buf, w->len);
	}
}

/* The command of w's first message; gem_would_parse() said it has one. */
static int wire_cmd(const struct wire *w)
{
	return ((const struct genlmsghdr *)NLMSG_DATA((const struct nlmsghdr *)w->buf))->cmd;
}

/* Sends w (q as laid out) on fd and takes its answers; 1 when it went. */
static int send_request(const struct fuzz_args *a, int fd, const struct req *q,
			const struct wire *w)
{
	struct outcome out = { 0 };
	int went = 0;

	kinds_sent[q->kind]++;
	cs[q->cmd].sent[!!(q->flags & NLM_F_DUMP)]++;
	if (q->kind == Q_VALID)
		cs[q->cmd].valid_sent++;
	if (send(fd, w->buf, w->len, 0) < 0) {
		/* EMSGSIZE and the like: the socket refused it, not gem. */
		cs[q->cmd].err[errno & (ERRNO_MAX - 1)]++;
	} else {
		went = 1;
		drain(fd, q, w, &out);
	}
	if (!out.answered)
		cs[q->cmd].none++;
	if (q->kind == Q_VALID && out.answered && !out.err)
		cs[q->cmd].valid_ok++;
	/*
	 * Judged by the command on the wire: a flipped bit may have made a
	 * tx-get (9) a dev-get (1), which anyone may ask.
	 */
	if (opt.unpriv && out.answered && !out.err && gem_would_parse(w->buf, w->len) &&
	    needs_admin(wire_cmd(w)) && !w->batch) {
		char what[96];

		snprintf(what, sizeof(what), "an unprivileged %s was accepted",
			 cmd_name(wire_cmd(w)));
		violation(what, NULL, 0);
	}
	if (a->only >= 0 && !out.answered)
		printf("#   -> no answer\n");
	return went;
}

/* Between requests: memberships, slow dumps, ack options, events. */
static void side_work(struct rng *side, int fd, int evfd, int mcfd)
{
	if (chance(side, 3))
		membership(side, mcfd);
	if (chance(side, 4))
		slow_step(side);
	if (chance(side, 1)) {
		int v = below(side, 4) != 0, ext = below(side, 2);

		if (!setsockopt(fd, SOL_NETLINK, ext ? NETLINK_EXT_ACK : NETLINK_CAP_ACK, &v,
				sizeof(v)) && ext)
			ext_ack_on = v;
	}
	drain_events(evfd);
	drain_events(mcfd);
}

/* -R: valid requests of every command succeeded at least once. */
static void require_deep(void)
{
	static const int needed[] = { GEM_CMD_DEV_GET, GEM_CMD_GROUP_SET, GEM_CMD_GROUP_DEL,
				      GEM_CMD_GROUP_GET, GEM_CMD_TX_SET, GEM_CMD_TX_DEL,
				      GEM_CMD_TX_GET, GEM_CMD_RX_SET, GEM_CMD_RX_DEL,
				      GEM_CMD_RX_GET, GEM_CMD_NORM_SET, GEM_CMD_NORM_DEL,
				      GEM_CMD_NORM_GET, GEM_CMD_NORM_STREAM_GET };
	int i;

	/* Judged where enough were sent: a slow run sends few of some. */
	for (i = 0; i < (int)ARRAY_SIZE(needed); i++)
		if (cs[needed[i]].valid_sent >= 40 && !cs[needed[i]].valid_ok) {
			printf("# FAIL: no valid %s succeeded: the fuzzer did not reach gem.ko's "
			       "deep paths\n", cmd_name(needed[i]));
			violations++;
		}
}

static int fuzz_main(int argc, char **argv)
{
	struct fuzz_args a = { .seconds = 60, .only = -1, .upto = -1 };
	double start, deadline, next_refresh = 0;
	int fd, evfd, mcfd;
	struct req *q, *extra;
	struct wire *w;
	uint64_t index, sent = 0, stride;

	fuzz_options(argc, argv, &a);
	pools_init();
	resolve_family();
	refresh_devs(gems, ngems);
	refresh_devs(links, nlinks);
	printf("# nlfuzz %s: seed %" PRIu64 " (gem family %u, events group %u)%s; replay with "
	       "gem_nlfuzz fuzz -s %" PRIu64 " and the same -g/-l/-a\n", opt.name, opt.seed,
	       family_id, events_group, opt.unpriv ? ", unprivileged" : "", opt.seed);
	fflush(stdout);

	q = malloc(sizeof(*q));
	extra = malloc(sizeof(*extra));
	w = malloc(sizeof(*w));
	if (!q || !extra || !w)
		die("out of memory");
	fuzz_sockets(&fd, &evfd, &mcfd);

	stride = sweep_stride();
	start = now();
	deadline = start + a.seconds;
	for (index = a.only >= 0 ? (uint64_t)a.only : 0;; index++) {
		struct rng r = rng_for(opt.seed, index, 0), side = rng_for(opt.seed, index, 1);
		double t = now();

		if (a.only >= 0 && index > (uint64_t)a.only)
			break;
		if (a.upto >= 0 && index >= (uint64_t)a.upto)
			break;
		if (a.only < 0 && a.upto < 0 && t >= deadline)
			break;
		if (t >= next_refresh) {
			refresh_devs(gems, ngems);
			refresh_devs(links, nlinks);
			next_refresh = t + 0.05;
		}
		cur_index = index;
		build_request(&r, q, extra, w, index, stride);
		ring_add(index, w);
		show_request(&a, index, q, w);
		sent += send_request(&a, fd, q, w);
		if (a.only < 0 && a.upto < 0)
			side_work(&side, fd, evfd, mcfd);
		if (kmsg_check())
			break;
		while (a.rate > 0 && sent > a.rate * (now() - start) && now() < deadline)
			usleep(2000);
	}
	summary(now() - start, sent);
	if (a.require && !opt.unpriv)
		require_deep();
	fflush(stdout);
	return violations ? 1 : 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "fuzz"))
		return fuzz_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "traffic"))
		return traffic_main(argc - 1, argv + 1);
	usage();
	return 2;
}
