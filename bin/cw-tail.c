/*
 * cw-tail: print CloudWatch Logs events of one or more log groups, merged
 * in time order, once or as they come (-f); or list the log groups.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "follow.h"
#include "livetail.h"
#include "logs.h"
#include "merge.h"
#include "out.h"
#include "term.h"
#include "cmd.h"
#include "banned.h"

/* -n keeps this many events at most in memory. */
#define MAX_LAST 100000
/* --lookback: at most a day. */
#define MAX_LOOKBACK_MS (24 * 3600 * 1000LL)

/* One event copied out of a callback, for -n. */
struct held {
	struct cw_logs_event e;
	char *mem;
};

struct tail {
	struct cw_cli cli;
	struct cw_out out;
	struct cw_cli_events ev;
	struct cw_client c;
	int list_groups, follow, live;
	const char *marks[CW_OUT_MAX_MARKS];	/* --highlight */
	size_t nmarks;
	char *fields_arg;			/* --fields, split in place */
	const char *fields[CW_OUT_MAX_FIELDS];
	size_t nfields;
	long last_n;		/* -n: 0 none, or no backlog with no_backlog */
	int no_backlog;		/* -n 0 */
	int64_t lookback_ms;
	const char *checkpoint;
	char **groups;		/* after expanding PREFIX* */
	char **arns;		/* --live: each group's ARN */
	size_t ngroups, gcap;
	struct cw_merge *merge;	/* several groups, one-shot */
	struct held *ring;	/* -n: the last events */
	size_t rhead, rcount;
	uint64_t skip;		/* -f -n: events of the window not shown */
	uint64_t counted;
	uint64_t shown;		/* events and groups printed: none is said */
	int werr;		/* stdout could not be written */
	int failed;		/* some group failed; the others went on */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-tail [-f|--follow|--live] [-o short|long|raw|json] "
		"[--no-prefix]\n"
		"               [--fields NAME,...] [--highlight TERM] [--utc] "
		"[-s|--since TIME]\n"
		"               [-u|--until TIME] [-n N] [--stream PREFIX] "
		"[--filter PATTERN]\n"
		"               [--limit N] [--lookback DURATION] "
		"[--checkpoint FILE]\n"
		"               " CW_CLI_USAGE_COMMON " GROUP|PREFIX*...\n"
		"       cw-tail --list-groups [-o short|json] "
		CW_CLI_USAGE_COMMON " [PREFIX]\n"
		CW_CLI_USAGE_COMMON_LIST);
}

/* A group's ARN as Live Tail takes it: without DescribeLogGroups'
 * trailing ":*". */
static char *plain_arn(const char *arn)
{
	return arn ? strndup(arn, cw_logs_group_len(arn)) : NULL;
}

/* arn may be NULL: looked up later for --live. */
static int add_group(struct tail *t, const char *name, const char *arn,
	struct cw_err *err)
{
	size_t i;

	for (i = 0; i < t->ngroups; i++)
		if (strcmp(t->groups[i], name) == 0)
			return 0;
	if (t->ngroups == t->gcap) {
		size_t n = t->gcap ? t->gcap * 2 : 8;
		char **p = realloc(t->groups, n * sizeof(*p));
		char **q = p ? realloc(t->arns, n * sizeof(*q)) : NULL;

		if (p)
			t->groups = p;
		if (!q)
			return cw_err_set(err, "out of memory");
		t->arns = q;
		t->gcap = n;
	}
	t->arns[t->ngroups] = NULL;
	t->groups[t->ngroups] = strdup(name);
	if (!t->groups[t->ngroups])
		return cw_err_set(err, "out of memory");
	t->ngroups++;
	if (arn && !(t->arns[t->ngroups - 1] = plain_arn(arn)))
		return cw_err_set(err, "out of memory");
	return 0;
}

static int print_group(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	struct tail *t = arg;

	if (cw_ctx_cancelled(&t->cli.ctx))
		return 1;
	if (cw_out_group(&t->out, g) < 0)
		return cw_err_set(err, "stdout: write failed");
	t->shown++;
	return 0;
}

static int collect_group(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	struct tail *t = arg;

	if (cw_ctx_cancelled(&t->cli.ctx))
		return 1;
	return add_group(t, g->name, g->arn, err);
}

/* GROUP as it is; PREFIX* as every group with that prefix. */
static int expand_groups(struct tail *t, int argc, char **argv,
	struct cw_err *err)
{
	size_t len, before;
	char *prefix;
	int i, r;

	for (i = 0; i < argc; i++) {
		len = cw_logs_group_len(argv[i]);
		if (!cw_logs_group_wild(argv[i])) {
			/* An ARN is sent without DescribeLogGroups' ":*". */
			if (!(prefix = strndup(argv[i], len)))
				return cw_err_set(err, "out of memory");
			r = add_group(t, prefix, strncmp(prefix, "arn:", 4) == 0
				? prefix : NULL, err);
			free(prefix);
			if (r < 0)
				return -1;
			continue;
		}
		prefix = strndup(argv[i], len - 1);
		if (!prefix)
			return cw_err_set(err, "out of memory");
		before = t->ngroups;
		r = cw_logs_groups(&t->c, *prefix ? prefix : NULL,
			collect_group, t, err);
		free(prefix);
		if (r != 0)
			return -1;
		if (t->ngroups == before)
			return cw_err_set(err, "%s: no log group has this prefix",
				argv[i]);
	}
	return 0;
}

/* Follow mode prints what it read even after a signal: the checkpoint
 * it saves on the way out counts those events as printed. */
static int write_event(struct tail *t, const struct cw_logs_event *e,
	struct cw_err *err)
{
	if (!t->follow && cw_ctx_cancelled(&t->cli.ctx))
		return 1;
	if (cw_out_event(&t->out, e) < 0 ||
	    (t->follow && !t->out.tty && fflush(t->out.fp) != 0)) {
		t->werr = 1;
		return cw_err_set(err, "stdout: write failed");
	}
	t->shown++;
	return 0;
}

static void held_free(struct held *h)
{
	free(h->mem);
	memset(h, 0, sizeof(*h));
}

/* Copies e into h: group, stream, id and message in one block. */
static int held_set(struct held *h, const struct cw_logs_event *e,
	struct cw_err *err)
{
	const char *g = e->group ? e->group : "";
	const char *s = e->stream ? e->stream : "";
	const char *id = e->event_id ? e->event_id : "";
	size_t lg = strlen(g) + 1, ls = strlen(s) + 1, li = strlen(id) + 1;
	char *p = malloc(lg + ls + li + e->message_len + 1);

	if (!p)
		return cw_err_set(err, "out of memory");
	held_free(h);
	h->mem = p;
	h->e = *e;
	h->e.group = memcpy(p, g, lg);
	h->e.stream = memcpy(p + lg, s, ls);
	h->e.event_id = memcpy(p + lg + ls, id, li);
	h->e.message = memcpy(p + lg + ls + li, e->message ? e->message : "",
		e->message_len);
	p[lg + ls + li + e->message_len] = '\0';
	return 0;
}

/* An event in final order: kept for -n, else printed. */
static int deliver(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct tail *t = arg;
	size_t i;

	if (t->no_backlog)
		return 0;
	if (!t->ring)
		return write_event(t, e, err);
	i = (t->rhead + t->rcount) % (size_t)t->last_n;
	if (t->rcount == (size_t)t->last_n)
		t->rhead = (t->rhead + 1) % (size_t)t->last_n;
	else
		t->rcount++;
	return held_set(&t->ring[i], e, err) < 0 ? -1 : 0;
}

static int take_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct tail *t = arg;

	if (cw_ctx_cancelled(&t->cli.ctx))
		return 1;
	if (t->merge)
		return cw_merge_push(t->merge, e, deliver, t, err);
	return deliver(t, e, err);
}

static int print_ring(struct tail *t, struct cw_err *err)
{
	size_t i;
	int r = 0;

	for (i = 0; i < t->rcount && r == 0; i++)
		r = write_event(t, &t->ring[(t->rhead + i) % (size_t)t->last_n].e,
			err);
	return r;
}

static void free_ring(struct tail *t)
{
	long i;

	for (i = 0; t->ring && i < t->last_n; i++)
		held_free(&t->ring[i]);
	free(t->ring);
	t->ring = NULL;
}

/* Reads each group; a group that fails is reported (unless quiet: the
 * follow that comes next reports it) and the others are still printed,
 * as cat does with files. */
static int read_groups(struct tail *t, cw_logs_event_fn *fn, int quiet,
	struct cw_err *err)
{
	size_t i;
	int rc;

	for (i = 0; i < t->ngroups; i++) {
		t->ev.filter.group = t->groups[i];
		rc = cw_logs_filter(&t->c, &t->ev.filter, fn, t, err);
		if (cw_ctx_cancelled(&t->cli.ctx) || t->werr)
			return -1;
		if (rc == 0 || quiet) {
			cw_err_clear(err);
			continue;
		}
		cw_cli_error(&t->cli, err);
		cw_err_clear(err);
		t->failed = 1;
	}
	return 0;
}

static int oneshot(struct tail *t, struct cw_err *err)
{
	int r;

	if (t->last_n) {
		t->ring = calloc((size_t)t->last_n, sizeof(*t->ring));
		if (!t->ring)
			return cw_err_set(err, "out of memory");
	}
	/* only JSON prints an event's id, and only a merge orders by it:
	 * not kept, a page's events take a third less memory */
	t->ev.filter.no_ids = t->ngroups == 1 && t->out.format != CW_OUT_JSON;
	if (t->ngroups > 1) {
		t->merge = cw_merge_new(0, 0);
		if (!t->merge)
			return cw_err_set(err, "out of memory");
	}
	r = read_groups(t, take_event, 0, err);
	if (r == 0 && t->merge)
		r = cw_merge_flush(t->merge, deliver, t, err);
	if (r == 0 && t->ring)
		r = print_ring(t, err);
	cw_merge_free(t->merge);
	t->merge = NULL;
	free_ring(t);
	return r == 0 && !t->werr ? 0 : -1;
}

static void print_time(struct tail *t, char *buf, size_t size, int64_t ms)
{
	cw_out_time(buf, size, ms, t->out.utc);
}

static void on_notice(void *arg, const struct cw_follow_notice *n)
{
	struct tail *t = arg;
	char a[64], b[64];

	if (n->kind == CW_FOLLOW_GROUP_FAILED)
		t->failed = 1;
	if (cw_ctx_cancelled(&t->cli.ctx))
		return;
	switch (n->kind) {
	case CW_FOLLOW_GROUP_FAILED:
		fprintf(t->cli.errfp, "%s: %s\n", t->cli.prog, n->why);
		break;
	case CW_FOLLOW_OUTAGE_START:
		fprintf(t->cli.errfp, "%s: %s: retrying until it answers\n",
			t->cli.prog, n->why);
		break;
	case CW_FOLLOW_OUTAGE_END:
		fprintf(t->cli.errfp, "%s: answers again after %" PRId64
			" s\n", t->cli.prog, (n->to_ms - n->from_ms) / 1000);
		break;
	case CW_FOLLOW_GAP:
		print_time(t, a, sizeof(a), n->from_ms);
		print_time(t, b, sizeof(b), n->to_ms);
		fprintf(t->cli.errfp, "%s: log group %s: events from %s to %s "
			"may be missing (the outage outlasted --lookback)\n",
			t->cli.prog, n->group, a, b);
		break;
	case CW_FOLLOW_REPEATS:
		fprintf(t->cli.errfp, "%s: too many recent events to "
			"remember: some may be printed twice\n", t->cli.prog);
		break;
	}
	fflush(t->cli.errfp);
}

/* The follow loop retries what an outage explains, and ends on the rest. */
/* Which failures of FilterLogEvents pass: they are tried again. */
static int failure_kind(const struct cw_err *err)
{
	if (strcmp(err->code, "ThrottlingException") == 0 ||
	    err->status == 429)
		return CW_FOLLOW_FETCH_THROTTLED;
	if (err->status == 0 || err->status >= 500 ||
	    strcmp(err->code, "ExpiredTokenException") == 0)
		return CW_FOLLOW_FETCH_RETRY;
	return CW_FOLLOW_FETCH_FATAL;
}

/* Every event of group from from on, with the command's filter. */
static int read_from(struct tail *t, const char *group, int64_t from,
	cw_logs_event_fn *ev, void *ev_arg, uint64_t *calls, struct cw_err *err)
{
	struct cw_logs_filter fl = t->ev.filter;

	fl.group = group;
	fl.start_ms = from;
	fl.end_ms = 0;
	fl.limit = 0;
	fl.pages = calls;
	fl.no_ids = 0;		/* a follow tells events apart by id */
	return cw_logs_filter(&t->c, &fl, ev, ev_arg, err);
}

static int fetch(void *arg, const char *group, int64_t from,
	cw_logs_event_fn *ev, void *ev_arg, uint64_t *calls, struct cw_err *err)
{
	if (read_from(arg, group, from, ev, ev_arg, calls, err) == 0)
		return CW_FOLLOW_FETCH_OK;
	/* cw_logs_filter names the group in a service's error only */
	if (!err->code[0])
		cw_err_wrap(err, "log group %s", group);
	return failure_kind(err);
}

static int follow_emit(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct tail *t = arg;

	if (t->skip) {
		t->skip--;
		return 0;
	}
	return write_event(t, e, err);
}

static int count_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct tail *t = arg;

	(void)e;
	(void)err;
	t->counted++;
	return cw_ctx_cancelled(&t->cli.ctx) ? 1 : 0;
}

static int stop(void *arg)
{
	struct tail *t = arg;

	return cw_ctx_cancelled(&t->cli.ctx) || t->werr;
}

static int follow(struct tail *t, struct cw_err *err)
{
	struct cw_follow_cfg cfg;
	struct cw_follow *f;
	int r;

	/* -f -n 0: nothing before now. -f -n N: the window is read once
	 * to count it, and follow then leaves out all but its last N
	 * events. */
	if (t->no_backlog)
		t->ev.filter.start_ms = cw_ctx_now_ms(&t->cli.ctx);
	else if (t->last_n) {
		if (read_groups(t, count_event, 1, err) < 0)
			return -1;
		if (t->counted > (uint64_t)t->last_n)
			t->skip = t->counted - (uint64_t)t->last_n;
	}
#ifdef M_MMAP_THRESHOLD
	/* A follow runs for days, reading pages of up to 1 MB every few
	 * seconds. Once one was freed glibc would raise its mmap threshold
	 * to that size and take the later pages from the heap, where what
	 * is freed between the events' keys stays resident: a fixed
	 * threshold gives each page back to the system once read. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
	memset(&cfg, 0, sizeof(cfg));
	cfg.groups = (const char *const *)t->groups;
	cfg.ngroups = t->ngroups;
	cfg.start_ms = t->ev.filter.start_ms;
	cfg.lookback_ms = t->lookback_ms;
	/* Late events are found by the look-back re-reads; the settle delay
	 * only keeps groups in order, so it is kept short for latency. */
	cfg.settle_ms = 500;
	cfg.region = t->c.region;
	cfg.checkpoint = t->checkpoint;
	cfg.fetch = fetch;
	cfg.fetch_arg = t;
	cfg.emit = follow_emit;
	cfg.emit_arg = t;
	cfg.notice = on_notice;
	cfg.notice_arg = t;
	cfg.stop = stop;
	cfg.stop_arg = t;
	cfg.ctx = &t->cli.ctx;
	f = cw_follow_new(&cfg, err);
	if (!f)
		return -1;
	/* Each failure comes back to the loop, which paces the retries
	 * under the shared budget and reports the outage once. */
	t->c.max_attempts = 1;
	r = cw_follow_run(f, err);
	cw_follow_free(f);
	return r == 0 && !t->werr ? 0 : -1;
}

struct find_arn {
	const char *name;
	char *arn;
};

static int match_arn(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	struct find_arn *f = arg;

	if (strcmp(g->name, f->name) != 0)
		return 0;
	if (!(f->arn = plain_arn(g->arn ? g->arn : "")))
		return cw_err_set(err, "out of memory");
	return 1;
}

/* Live Tail names groups by ARN: DescribeLogGroups says each one's. The
 * group itself sorts first among those it is a prefix of. */
static int find_arns(struct tail *t, struct cw_err *err)
{
	struct find_arn f;
	size_t i;

	for (i = 0; i < t->ngroups; i++) {
		if (t->arns[i])
			continue;
		f.name = t->groups[i];
		f.arn = NULL;
		if (cw_logs_groups(&t->c, f.name, match_arn, &f, err) < 0)
			return -1;
		if (!f.arn || !*f.arn) {
			free(f.arn);
			return cw_err_set(err, "log group %s: "
				"ResourceNotFoundException: The specified log "
				"group does not exist.", f.name);
		}
		t->arns[i] = f.arn;
	}
	return 0;
}

static void on_live_notice(void *arg, const struct cw_livetail_notice *n)
{
	struct tail *t = arg;
	char a[64];

	if (cw_ctx_cancelled(&t->cli.ctx))
		return;
	if (n->kind == CW_LIVETAIL_SAMPLED)
		fprintf(t->cli.errfp, "%s: live tail: the service is sampling "
			"the results (over 500 events a second): some events "
			"are not shown\n", t->cli.prog);
	else if (n->kind == CW_LIVETAIL_OUTAGE)
		fprintf(t->cli.errfp, "%s: live tail: reading the gap failed "
			"(%s): trying again\n", t->cli.prog, n->why);
	else if (n->kind == CW_LIVETAIL_OUTAGE_END)
		fprintf(t->cli.errfp, "%s: live tail: the gap was read\n",
			t->cli.prog);
	else if (n->kind == CW_LIVETAIL_RESTART_FAILED)
		fprintf(t->cli.errfp, "%s: live tail: restarting a session "
			"failed (%s): trying again\n", t->cli.prog, n->why);
	else {
		print_time(t, a, sizeof(a), n->from_ms);
		fprintf(t->cli.errfp, "%s: live tail session ended (%s)%s: "
			"resumed, events since %s read again%s\n", t->cli.prog,
			n->why, n->kind == CW_LIVETAIL_SHORT ? " right after "
			"its start" : "", a, n->kind == CW_LIVETAIL_SHORT ?
			"; those that end as soon are resumed quietly, after "
			"pauses of up to 30 s" : "");
	}
	fflush(t->cli.errfp);
}

static int live_fetch(void *arg, const char *group, int64_t from,
	cw_logs_event_fn *ev, void *ev_arg, struct cw_err *err)
{
	struct tail *t = arg;

	if (read_from(t, group, from, ev, ev_arg, NULL, err) == 0)
		return 0;
	if (cw_ctx_cancelled(&t->cli.ctx))
		return -1;
	return failure_kind(err) == CW_FOLLOW_FETCH_FATAL ? -1
		: CW_LIVETAIL_FETCH_AGAIN;
}

static int live_emit(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	return write_event(arg, e, err);
}

/* --live: Live Tail sessions; polling when the service refuses them. */
static int live(struct tail *t, struct cw_err *err)
{
	struct cw_livetail_cfg cfg;
	struct cw_client lc;
	int r;

	if (t->ngroups > CW_LIVETAIL_MAX_GROUPS * CW_LIVETAIL_MAX_SESSIONS)
		return cw_err_set(err, "--live: %zu log groups: at most %d "
			"(%d sessions of %d)", t->ngroups,
			CW_LIVETAIL_MAX_GROUPS * CW_LIVETAIL_MAX_SESSIONS,
			CW_LIVETAIL_MAX_SESSIONS, CW_LIVETAIL_MAX_GROUPS);
	if (find_arns(t, err) < 0 ||
	    cw_cli_client(&t->cli, &cw_service_livetail, NULL, &lc, err) < 0)
		return -1;
	memset(&cfg, 0, sizeof(cfg));
	cfg.groups = (const char *const *)t->groups;
	cfg.arns = (const char *const *)t->arns;
	cfg.ngroups = t->ngroups;
	cfg.pattern = t->ev.filter.pattern;
	cfg.start_ms = t->ev.filter.start_ms;
	cfg.margin_ms = t->lookback_ms;
	cfg.client = &lc;
	cfg.http_opts = &t->cli.http_opts;
	cfg.fetch = live_fetch;
	cfg.fetch_arg = t;
	cfg.emit = live_emit;
	cfg.emit_arg = t;
	cfg.notice = on_live_notice;
	cfg.notice_arg = t;
	cfg.stop = stop;
	cfg.stop_arg = t;
	r = cw_livetail_run(&cfg, err);
	cw_client_release(&lc);
	if (r != CW_LIVETAIL_REFUSED)
		return r == 0 && !t->werr ? 0 : -1;
	fprintf(t->cli.errfp, "%s: live tail refused (%s): polling instead\n",
		t->cli.prog, err->msg);
	fflush(t->cli.errfp);
	cw_err_clear(err);
	return follow(t, err);
}

/* The bytes up to the last '/' that every group name shares: left out
 * of the short column on a terminal, where they tell nothing apart. */
static size_t common_dir(const struct tail *t)
{
	size_t n, i, k, cut = 0;

	if (t->ngroups < 2)
		return 0;
	n = strlen(t->groups[0]);
	for (i = 1; i < t->ngroups; i++) {
		for (k = 0; k < n && t->groups[i][k] == t->groups[0][k]; k++)
			;
		n = k;
	}
	for (k = 0; k < n; k++)
		if (t->groups[0][k] == '/')
			cut = k + 1;
	return cut;
}

/* Nothing printed is said on a terminal, lest it be taken for a hang;
 * a failed group was reported already, -f never ends empty and -n 0
 * asks for nothing. */
static void say_empty(struct tail *t, int argc, char **argv)
{
	if (t->shown || t->failed || t->follow || t->no_backlog ||
	    cw_ctx_cancelled(&t->cli.ctx))
		return;
	if (t->list_groups)
		cw_cli_no_groups(&t->cli, STDOUT_FILENO, argc ? argv[0] : NULL);
	else
		cw_cli_no_events(&t->cli, STDOUT_FILENO, &t->ev);
}

static int run(struct tail *t, int argc, char **argv, struct cw_err *err)
{
	int rc;

	if (cw_cli_client(&t->cli, &cw_service_logs, NULL, &t->c, err) < 0)
		return -1;
	if (t->list_groups)
		rc = cw_logs_groups(&t->c, argc ? argv[0] : NULL, print_group,
			t, err);
	else if (expand_groups(t, argc, argv, err) < 0)
		rc = -1;
	else {
		t->out.show_group = t->ngroups > 1;
		t->out.group_skip = common_dir(t);
		rc = t->live ? live(t, err) : t->follow ? follow(t, err)
			: oneshot(t, err);
	}
	if (t->werr)
		rc = -1;
	cw_client_release(&t->c);
	if (rc == 0)
		say_empty(t, argc, argv);
	return rc;
}

enum {
	OPT_LIST = 0x200, OPT_FILTER, OPT_LOOKBACK, OPT_CHECKPOINT, OPT_LIVE,
	OPT_NO_PREFIX, OPT_FIELDS, OPT_HIGHLIGHT
};

static const struct option options[] = {
	{ "list-groups", no_argument, NULL, OPT_LIST },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "output", required_argument, NULL, 'o' },
	{ "follow", no_argument, NULL, 'f' },
	{ "live", no_argument, NULL, OPT_LIVE },
	{ "lookback", required_argument, NULL, OPT_LOOKBACK },
	{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
	{ "no-prefix", no_argument, NULL, OPT_NO_PREFIX },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "highlight", required_argument, NULL, OPT_HIGHLIGHT },
	CW_CLI_EVENT_OPTIONS,
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

/* "90s", "5m", "1h", or plain seconds. */
static int parse_lookback(const char *s, int64_t *out, struct cw_err *err)
{
	char *end;
	long long n;
	int64_t unit = 1000;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end == 'm')
		unit = 60000, end++;
	else if (*end == 'h')
		unit = 3600000, end++;
	else if (*end == 's')
		end++;
	if (errno || end == s || *end || n <= 0 ||
	    n > MAX_LOOKBACK_MS / unit)
		return cw_err_set(err, "--lookback: %s: not a duration from 1s "
			"to 24h (e.g. 90s, 5m, 1h)", s);
	*out = n * unit;
	return 0;
}

/* -n N: 0 is no backlog, as in tail(1). */
static int parse_last(struct tail *t, const char *arg, struct cw_err *err)
{
	if (strcmp(arg, "0") == 0) {
		t->last_n = 0;
		t->no_backlog = 1;
		return 0;
	}
	t->no_backlog = 0;
	if (cw_cli_count("-n", arg, &t->last_n, err) < 0)
		return cw_err_set(err, "-n '%s': expected a number from 0 to %d",
			arg, MAX_LAST);
	if (t->last_n > MAX_LAST)
		return cw_err_set(err, "-n: %s: at most %d", arg, MAX_LAST);
	return 0;
}

/* --highlight TERM, repeated: at most CW_OUT_MAX_MARKS terms. */
static int add_mark(struct tail *t, const char *arg, struct cw_err *err)
{
	if (!*arg || strlen(arg) > CW_OUT_MAX_MARK_LEN)
		return cw_err_set(err, "--highlight: a term of 1 to %d bytes",
			CW_OUT_MAX_MARK_LEN);
	if (t->nmarks == CW_OUT_MAX_MARKS)
		return cw_err_set(err, "--highlight: at most %d terms",
			CW_OUT_MAX_MARKS);
	t->marks[t->nmarks++] = arg;
	return 0;
}

/* --fields a,b.c: member names of JSON messages. */
static int parse_fields(struct tail *t, const char *arg, struct cw_err *err)
{
	char *p, *save = NULL;

	free(t->fields_arg);
	t->nfields = 0;
	if (!(t->fields_arg = strdup(arg)))
		return cw_err_set(err, "out of memory");
	for (p = strtok_r(t->fields_arg, ",", &save); p;
	    p = strtok_r(NULL, ",", &save)) {
		if (t->nfields == CW_OUT_MAX_FIELDS)
			return cw_err_set(err, "--fields: at most %d names",
				CW_OUT_MAX_FIELDS);
		if (p[0] == '.' || p[strlen(p) - 1] == '.' || strstr(p, ".."))
			return cw_err_set(err, "--fields: '%s': not a member "
				"name (a.b reaches into an object)", p);
		t->fields[t->nfields++] = p;
	}
	if (!t->nfields)
		return cw_err_set(err, "--fields: no name (e.g. "
			"--fields level,msg)");
	return 0;
}

static int parse_option(struct tail *t, int c, struct cw_err *err)
{
	switch (c) {
	case 'o':
		return cw_out_parse_format(optarg, &t->out.format, err);
	case 'f': t->follow = 1; return 0;
	case 'n':
		return parse_last(t, optarg, err);
	case OPT_LIVE: t->live = t->follow = 1; return 0;
	case OPT_LIST: t->list_groups = 1; return 0;
	case OPT_FILTER: t->ev.filter.pattern = optarg; return 0;
	case OPT_LOOKBACK: return parse_lookback(optarg, &t->lookback_ms, err);
	case OPT_CHECKPOINT: t->checkpoint = optarg; return 0;
	case OPT_NO_PREFIX: t->out.no_source = 1; return 0;
	case OPT_FIELDS: return parse_fields(t, optarg, err);
	case OPT_HIGHLIGHT: return add_mark(t, optarg, err);
	default: t->cli.show_usage = 1; return -1;
	}
}

/* Options that make no sense together. */
static int check_combination(const struct tail *t, struct cw_err *err)
{
	int last = t->last_n || t->no_backlog;

	if (t->live && (t->ev.until || last || t->checkpoint ||
	    t->ev.filter.stream_prefix))
		return cw_err_set(err, "%s: not with --live",
			t->ev.until ? "--until" : last ? "-n" :
			t->checkpoint ? "--checkpoint" : "--stream");
	if (t->follow && t->ev.until)
		return cw_err_set(err, "--until: follow (-f) has no end");
	if (t->follow && last && t->ev.since)
		return cw_err_set(err, "-n: with -f, not with a window "
			"(--since): -n already chooses where to start");
	if (!t->follow && (t->checkpoint || t->lookback_ms))
		return cw_err_set(err, "%s: only with -f",
			t->checkpoint ? "--checkpoint" : "--lookback");
	if (t->follow && t->list_groups)
		return cw_err_set(err, "%s: not with --list-groups",
			t->live ? "--live" : "-f");
	return 0;
}

/* -1 to go on, else the exit status. */
static int option(void *self, int c, const char *arg, struct cw_err *err)
{
	struct tail *t = self;

	if (c == 's')
		c = CW_OPT_SINCE;
	else if (c == 'u')
		c = CW_OPT_UNTIL;
	switch (cw_cli_event_option(&t->ev, c, arg, err)) {
	case -1: return -1;
	case 1: return 0;
	}
	return parse_option(t, c, err);
}

static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct tail *t = self;

	(void)argv;
	if (t->list_groups ? argc > 1 : argc < 1) {
		t->cli.show_usage = 1;
		return -1;
	}
	return check_combination(t, err);
}

static void release(void *self)
{
	struct tail *t = self;
	size_t i;

	for (i = 0; i < t->ngroups; i++) {
		free(t->groups[i]);
		free(t->arns[i]);
	}
	free(t->groups);
	free(t->arns);
	free(t->fields_arg);
	cw_out_release(&t->out);
}

/* Formats and colour for stdout; on a terminal short fits its width
 * (80 when it does not say). */
static void setup_output(struct tail *t)
{
	struct cw_out *o = &t->out;

	setlocale(LC_CTYPE, "");
	cw_out_setup(o, isatty(STDOUT_FILENO),
		!cw_cli_color(&t->cli, STDOUT_FILENO));
	o->utc = t->ev.utc;
	o->utf8 = cw_term_utf8();
	o->now_ms = cw_ctx_now_ms(&t->cli.ctx);
	if (o->tty && !(o->width = cw_term_width(STDOUT_FILENO)))
		o->width = 80;
	o->marks = t->marks;
	o->nmarks = t->nmarks;
	o->fields = t->fields;
	o->nfields = t->nfields;
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct tail *t = self;
	int rc;

	/* A pattern the service would refuse costs no request. */
	if (t->ev.filter.pattern) {
		struct cw_pattern *p = cw_cli_pattern(&t->cli, "--filter",
			t->ev.filter.pattern);

		if (!p)
			return CW_EXIT_ERROR;
		cw_pattern_free(p);
	}
	setup_output(t);
	if (!t->follow && !t->out.tty)
		cw_out_hold(&t->out);
	rc = (!t->list_groups && cw_cli_event_window(&t->cli, &t->ev, err) < 0)
		|| run(t, argc, argv, err) < 0 ? CW_EXIT_ERROR : CW_EXIT_OK;
	if (rc == CW_EXIT_OK && t->failed)
		rc = CW_EXIT_ERROR;
	/* the held lines go to stdout, which cmd_main checks */
	cw_out_flush(&t->out);
	return rc;
}

static const struct cmd cmd = {
	"cw-tail", "hfn:o:s:u:", options, usage, option, operands, execute,
	release
};

int main(int argc, char **argv)
{
	static struct tail t;

	t.out.fp = stdout;
	return cmd_main(&cmd, &t.cli, &t, argc, argv);
}
