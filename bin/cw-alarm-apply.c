/*
 * cw-alarm-apply: make the account match alarm definition sets (man
 * cw-alarms.5): the plan cw-alarm-diff prints, then the write calls,
 * paced under the service's quotas.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alarmaccount.h"
#include "alarmapply.h"
#include "alarmdef.h"
#include "alarmdiff.h"
#include "alarms.h"
#include "awsjson.h"
#include "cancel.h"
#include "cli.h"
#include "envs.h"
#include "exitcodes.h"
#include "ratelimit.h"
#include "sgr.h"
#include "term.h"
#include "vis.h"
#include "cmd.h"
#include "banned.h"

/* The documented quotas (calls per second, per account and region);
 * PutCompositeAlarm and the tag calls are unpublished and paced like
 * PutMetricAlarm. */
static const struct { const char *op; double tps; } quotas[] = {
	{ "DescribeAlarms", 9 }, { "ListTagsForResource", 9 },
	{ "PutMetricAlarm", 3 }, { "PutCompositeAlarm", 3 },
	{ "DeleteAlarms", 3 }, { "TagResource", 3 },
	{ "DescribeMetricFilters", 5 }, { "PutMetricFilter", 5 },
	{ "DescribeLogGroups", 10 },
};
#define NQUOTAS (sizeof(quotas) / sizeof(quotas[0]))

/* The service counts arrivals in a one-second window: keep a little
 * under the quota so network jitter never bunches calls over it. */
#define RATE_MARGIN 0.97
/* A plan that deletes more than this share of the set's alarms stops
 * without --allow-mass-delete. */
#define MASS_DELETE_SHARE 0.5
/* Rates so low that a step of the run takes longer are refused: a run
 * is something to wait for, not to leave for days. */
#define MAX_RUN_S 86400.0
/* A step that takes longer is announced on stderr before it starts. */
#define ANNOUNCE_S 60.0

/* The quotas are an account's: the environments that reach one share
 * its limits, the others run beside them. */
struct account_limits {
	char account[32];	/* the account, or "#N" the accounts' entry */
	struct cw_ratelimit limit[NQUOTAS];
};

struct apply {
	struct cw_cli cli;
	struct envs envs;
	int prune, dry_run, yes, mass_ok;
	double rate[NQUOTAS];
	struct account_limits limits[ENVS_MAX];
	size_t nlimits;
	struct cw_alarmaccounts accounts;
};

/* One environment's run, on a thread of its own beside the others. */
struct apply_env {
	struct apply *a;
	const char *name;
	FILE *out, *err;	/* its stdout and stderr */
	int progress, owned;
	struct cw_alarmset *sets;
	size_t nsets;
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan;
	struct cw_alarmdef_errors errs;
	struct cw_alarmapply calls;
	cJSON **tags;		/* per plan entry */
	struct cw_ratelimit *limit;	/* its account's, NQUOTAS */
	struct cw_cli_clients clients;
};

/* ---- interruption: SIGINT and SIGTERM set the library's flag; the
 * clients do not watch it (main), so a call in flight finishes, and
 * nothing new starts. */

/* ---- options */

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-alarm-apply [-e ENV]... [--all-environments] [--prune]\n"
		"                      [--allow-mass-delete] [--dry-run] [--yes] "
		"[--rate [OP=]TPS]...\n"
		"                      " CW_CLI_USAGE_COMMON " PATH...\n"
		CW_CLI_USAGE_COMMON_LIST);
}

enum { OPT_PRUNE = 0x200, OPT_DRY_RUN, OPT_YES, OPT_MASS, OPT_RATE,
	OPT_ALL_ENVS };

static const struct option options[] = {
	{ "env", required_argument, NULL, 'e' },
	{ "all-environments", no_argument, NULL, OPT_ALL_ENVS },
	{ "prune", no_argument, NULL, OPT_PRUNE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "allow-mass-delete", no_argument, NULL, OPT_MASS },
	{ "rate", required_argument, NULL, OPT_RATE },
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

/* "TPS" for every operation, or "Op=TPS" for one. */
static int set_rate(struct apply *a, const char *arg, struct cw_err *err)
{
	const char *eq = strchr(arg, '='), *num = eq ? eq + 1 : arg;
	char *end;
	double v;
	size_t i, hit = 0;

	errno = 0;
	v = strtod(num, &end);
	if (!*num || *end || errno || !(v > 0) || v > 10000)
		return cw_err_set(err, "--rate '%.64s': expected [OP=]TPS with "
			"TPS a number from 0 to 10000", arg);
	for (i = 0; i < NQUOTAS; i++)
		if (!eq || (strlen(quotas[i].op) == (size_t)(eq - arg)
				&& strncmp(quotas[i].op, arg,
					(size_t)(eq - arg)) == 0)) {
			a->rate[i] = v;
			hit++;
		}
	if (!hit)
		return cw_err_set(err, "--rate '%.64s': unknown operation "
			"(DescribeAlarms, PutMetricAlarm, DeleteAlarms, ...)",
			arg);
	return 0;
}

/* -1 to go on, else the exit status. */
static int option(void *self, int c, const char *arg, struct cw_err *err)
{
	struct apply *a = self;

	switch (c) {
	case 'e': return envs_add(&a->envs, arg, err);
	case OPT_ALL_ENVS: a->envs.all = 1; return 0;
	case OPT_PRUNE: a->prune = 1; return 0;
	case OPT_DRY_RUN: a->dry_run = 1; return 0;
	case OPT_YES: a->yes = 1; return 0;
	case OPT_MASS: a->mass_ok = 1; return 0;
	case OPT_RATE: return set_rate(a, arg, err) < 0 ? -1 : 0;
	default: a->cli.show_usage = 1; return -1;
	}
}

static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct apply *a = self;

	(void)argv;
	(void)err;
	if (argc < 1) {
		a->cli.show_usage = 1;
		return -1;
	}
	return envs_check(&a->envs, err);
}

/* ---- clients and pacing */

static struct cw_client *client_for(void *arg, const struct cw_service *svc,
	const char *region, struct cw_err *err)
{
	struct apply_env *x = arg;

	return cw_cli_clients_get(&x->clients, svc, region, err);
}

static size_t quota_index(const char *op)
{
	size_t i;

	for (i = 0; i < NQUOTAS; i++)
		if (strcmp(quotas[i].op, op) == 0)
			return i;
	return 0;
}

/* How long calls[] (per quota) take at the rates given, in s: the first
 * call of each operation goes at once, each other waits its turn. */
static double calls_s(const struct apply *a, const size_t *calls)
{
	double s = 0;
	size_t i;

	for (i = 0; i < NQUOTAS; i++)
		if (calls[i] > 1)
			s += (double)(calls[i] - 1) / (a->rate[i] * RATE_MARGIN);
	return s;
}

/* Refuses calls[] when the rates given cannot make them in a day, naming
 * the rate that can; says how long they take when over a minute. */
static int check_duration(struct apply_env *x, const size_t *calls,
	const char *what, struct cw_err *err)
{
	double s = calls_s(x->a, calls), waits = 0;
	size_t i, n = 0;
	char t[16];

	for (i = 0; i < NQUOTAS; i++) {
		n += calls[i];
		waits += calls[i] > 1 ? (double)(calls[i] - 1) : 0;
	}
	cw_term_age(t, sizeof(t), s < 8e12 ? (int64_t)(s * 1000) : INT64_MAX);
	if (s > MAX_RUN_S)
		return cw_err_set(err, "--rate: %s: %zu calls take about %s at "
			"the rates given, more than a day; --rate %.2g or more "
			"makes them in a day", what, n, t,
			waits / (MAX_RUN_S * RATE_MARGIN) * 1.01);
	if (s > ANNOUNCE_S)
		fprintf(x->err, "%s: %s: %zu calls take about %s at the rates "
			"given\n", x->a->cli.prog, what, n, t);
	return 0;
}

/* The reads before the plan: at least one DescribeAlarms a prefix. */
static int check_reads(struct apply_env *x, struct cw_err *err)
{
	size_t calls[NQUOTAS] = { 0 }, i;

	for (i = 0; i < x->nsets; i++)
		calls[quota_index("DescribeAlarms")] += x->sets[i].nprefixes;
	return check_duration(x, calls, "reading the alarms", err);
}

/* Sleeps until op's turn; a signal ends the wait. The regions read at
 * once, and the environments in one account, share the limits. */
static int pace(void *arg, const char *op, struct cw_err *err)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct apply_env *x = arg;
	int64_t wait;

	pthread_mutex_lock(&lock);
	wait = cw_ratelimit_reserve(&x->limit[quota_index(op)],
		cw_ctx_now_ms(&x->a->cli.ctx));
	pthread_mutex_unlock(&lock);

	if (cw_cancel_sleep_ms(cw_cancel_process(), wait) < 0)
		return cw_err_set(err, "interrupted");
	return 0;
}

/* The limits of the account acc leads to (NULL: the command's keys),
 * made on first use. */
static struct cw_ratelimit *limits_of(struct apply *a,
	const struct cw_alarmaccount *acc)
{
	char key[32];
	size_t i;

	if (acc && acc->account[0])
		snprintf(key, sizeof(key), "%s", acc->account);
	else
		snprintf(key, sizeof(key), "#%td", acc ? acc - a->accounts.v
			: -1);
	for (i = 0; i < a->nlimits; i++)
		if (strcmp(a->limits[i].account, key) == 0)
			return a->limits[i].limit;
	/* one a guarded environment: never more than ENVS_MAX */
	memcpy(a->limits[i].account, key, sizeof(key));
	for (i = 0; i < NQUOTAS; i++)
		cw_ratelimit_init(&a->limits[a->nlimits].limit[i],
			a->rate[i] * RATE_MARGIN, 1);
	return a->limits[a->nlimits++].limit;
}

/* ---- the definitions and the account */

static int load_sets(struct apply_env *x, int argc, char **argv,
	struct cw_err *err)
{
	return cw_alarmsets_load(&x->sets, &x->nsets, argv, (size_t)argc,
		x->name, &x->errs, err);
}

/* Before any other call: the keys lead to the account the sets name. */
static int check_account(struct apply_env *x, struct cw_err *err)
{
	struct cw_alarmaccount *acc;

	if (cw_alarmaccounts_check(&x->a->accounts, x->sets, x->nsets, &acc,
			err) < 0)
		return -1;
	x->clients.creds = acc ? acc->creds : NULL;
	x->limit = limits_of(x->a, acc);
	return 0;
}

static int report_errors(struct apply_env *x)
{
	return cw_alarmdef_errors_report(&x->errs, x->a->cli.prog, x->err);
}

/* The tags of every live alarm in the plan: ownership of the undefined
 * ones, tag changes of the defined ones (in the plan as cw-alarm-diff
 * shows them). */
static int read_tags(struct apply_env *x, struct cw_err *err)
{
	struct cw_alarmapply_io io = { client_for, pace, x };
	size_t calls[NQUOTAS] = { 0 }, i;

	for (i = 0; i < x->plan.n; i++)
		calls[quota_index("ListTagsForResource")] += x->plan.v[i].live
			&& x->plan.v[i].kind != CW_ALARMDEF_FILTER;
	if (check_duration(x, calls, "reading their tags", err) < 0)
		return -1;
	if (!(x->tags = calloc(x->plan.n ? x->plan.n : 1, sizeof(*x->tags))))
		return cw_err_set(err, "out of memory");
	if (cw_alarmapply_tags(&x->plan, &io, x->tags, err) < 0)
		return -1;
	for (i = 0; i < x->plan.n; i++)
		if (x->tags[i] && cw_alarmdiff_tags(&x->plan.v[i],
				x->tags[i]) < 0)
			return cw_err_set(err, "out of memory");
	return 0;
}

/* Orphans carrying this set's tags become deletions; a defined alarm
 * that another set owns is not taken over. */
static int decide_ownership(struct apply_env *x, struct cw_err *err)
{
	struct cw_alarmdiff_entry *e;
	enum cw_alarmapply_owner o;
	size_t i;

	x->owned = 0;
	for (i = 0; i < x->plan.n; i++) {
		e = &x->plan.v[i];
		if (!x->tags[i])
			continue;
		o = cw_alarmapply_owner(x->tags[i], e->set->name);
		x->owned += o == CW_ALARMAPPLY_OURS;
		if (e->action == CW_ALARMDIFF_ORPHAN && o == CW_ALARMAPPLY_OURS)
			e->action = CW_ALARMDIFF_DELETE;
		else if (e->item && o == CW_ALARMAPPLY_OTHER)
			return cw_err_set(err, "alarm %.255s: managed by the set "
				"%.255s, not %.255s; not taking it over", e->name,
				cw_alarms_tag(x->tags[i], CW_ALARMDEF_SET_KEY),
				e->set->name);
	}
	return 0;
}

static int check_mass_delete(struct apply_env *x, struct cw_err *err)
{
	struct cw_alarmdiff_counts c;

	cw_alarmdiff_count(&x->plan, &c);
	if (!x->a->prune || !c.del || x->a->mass_ok
			|| c.del <= MASS_DELETE_SHARE * x->owned)
		return 0;
	return cw_err_set(err, "the plan deletes %d of the %d alarms the sets "
		"own (more than %d%%); stopped: --allow-mass-delete to go on",
		c.del, x->owned, (int)(MASS_DELETE_SHARE * 100));
}

/* Without --prune, owned alarms that are no longer defined stay. */
static void keep_orphans(struct apply_env *x)
{
	size_t n = cw_alarmdiff_keep(&x->plan);

	if (n)
		fprintf(x->err, "%s: %zu alarm%s of the set%s %s no longer "
			"defined; --prune deletes them\n", x->a->cli.prog, n,
			n == 1 ? "" : "s", x->nsets == 1 ? "" : "s",
			n == 1 ? "is" : "are");
}

/* The plan cw-alarm-diff prints for the same definitions and flags. */
static int print_plan(struct apply_env *x, struct cw_err *err)
{
	struct cw_buf out = CW_BUF_INIT;
	int rc = cw_alarmdiff_format_text(&x->plan, &out,
		cw_cli_color(&x->a->cli, STDOUT_FILENO));

	if (rc < 0)
		rc = cw_err_set(err, "out of memory");
	else
		fwrite(out.p, 1, out.len, x->out);
	cw_buf_release(&out);
	return rc;
}

/* ---- writing */

static void progress(struct apply_env *x, size_t i)
{
	if (!x->progress)
		return;
	fprintf(stderr, CW_TERM_ERASE_LINE "[%zu/%zu] ", i + 1, x->calls.n);
	cw_vis_put_plan(stderr, x->calls.v[i].what, strlen(x->calls.v[i].what));
}

/* One call; DeleteAlarms is all-or-nothing, so when one name is gone
 * already the others go one by one. */
static int call_one(struct apply_env *x, struct cw_alarmapply_op *o,
	struct cw_err *err)
{
	struct cw_client *c = client_for(x, cw_alarmapply_service(o),
		o->region, err);
	const cJSON *names, *n;
	cJSON *res = NULL, *one;
	int rc;

	if (!c || pace(x, o->op, err) < 0)
		return -1;
	rc = cw_awsjson_call(c, cw_alarmapply_service(o), o->op, o->req, &res,
		err);
	cJSON_Delete(res);
	if (rc == 0 || o->kind != CW_ALARMAPPLY_DELETE
			|| strcmp(err->code, "ResourceNotFound") != 0)
		return rc;
	names = cJSON_GetObjectItemCaseSensitive(o->req, "AlarmNames");
	if (cJSON_GetArraySize(names) == 1)
		return 0;
	cJSON_ArrayForEach(n, names) {
		one = cJSON_CreateObject();
		cJSON_AddItemToObject(one, "AlarmNames",
			cJSON_CreateStringArray((const char *[]){ n->valuestring },
			1));
		cw_err_clear(err);
		rc = pace(x, o->op, err) < 0 ? -1 : cw_awsjson_call(c,
			&cw_service_monitoring, o->op, one, &res, err);
		cJSON_Delete(res);
		res = NULL;
		cJSON_Delete(one);
		if (rc < 0 && strcmp(err->code, "ResourceNotFound") != 0)
			return -1;
	}
	return 0;
}

/* 0 all done, -1 some failed, -2 stopped (quota or signal). */
static int run_calls(struct apply_env *x)
{
	struct cw_err err;
	size_t i;
	int failed = 0;

	for (i = 0; i < x->calls.n; i++) {
		struct cw_alarmapply_op *o = &x->calls.v[i];

		if (cmd_interrupted())
			return -2;
		if (o->state == CW_ALARMAPPLY_FAILED) {
			failed = 1;	/* refused by the plan */
			continue;
		}
		progress(x, i);
		cw_err_clear(&err);
		if (call_one(x, o, &err) == 0) {
			o->state = CW_ALARMAPPLY_DONE;
			continue;
		}
		if (cmd_interrupted() && !err.code[0])
			return -2;
		o->state = CW_ALARMAPPLY_FAILED;
		o->error = strdup(err.msg);
		failed = 1;
		if (strcmp(err.code, "LimitExceeded") == 0) {
			if (x->progress)
				fputs(CW_TERM_ERASE_LINE, stderr);
			fprintf(x->err, "%s: %s: the account's alarm quota is "
				"reached (LimitExceeded is a quota, not "
				"throttling); stopped: raise the quota or "
				"delete alarms\n", x->a->cli.prog, o->op);
			return -2;
		}
	}
	return failed ? -1 : 0;
}

/* With calls in several regions, one "Applied in REGION" line each,
 * in the order of their first call. */
static void region_lines(struct apply_env *x)
{
	size_t i, j, k, n[3];

	for (i = 0; i < x->calls.n; i++)
		if (strcmp(x->calls.v[i].region, x->calls.v[0].region) != 0)
			break;
	for (i = i == x->calls.n ? x->calls.n : 0; i < x->calls.n; i++) {
		const char *r = x->calls.v[i].region;

		for (j = 0; j < i && strcmp(x->calls.v[j].region, r) != 0; j++)
			;
		if (j < i)
			continue;
		memset(n, 0, sizeof(n));
		for (k = i; k < x->calls.n; k++)
			if (strcmp(x->calls.v[k].region, r) == 0)
				n[x->calls.v[k].state == CW_ALARMAPPLY_DONE ? 0
					: x->calls.v[k].state
					== CW_ALARMAPPLY_FAILED ? 1 : 2]++;
		fprintf(x->out, "Applied in %s: %zu of %zu calls done, %zu "
			"failed, %zu not started.\n", r, n[0],
			n[0] + n[1] + n[2], n[1], n[2]);
	}
}

static void report(struct apply_env *x)
{
	size_t i, done = 0, failed = 0, left = 0;
	FILE *fp = x->out;

	if (x->progress)
		fputs(CW_TERM_ERASE_LINE, stderr);
	for (i = 0; i < x->calls.n; i++) {
		const struct cw_alarmapply_op *o = &x->calls.v[i];

		if (o->state == CW_ALARMAPPLY_DONE) {
			done++;
			fprintf(fp, "done: ");
		} else if (o->state == CW_ALARMAPPLY_FAILED) {
			failed++;
			fprintf(fp, "failed: ");
		} else {
			left++;
			fprintf(fp, "not done: ");
		}
		cw_vis_put_plan(fp, o->what, strlen(o->what));
		if (o->error) {
			fputs(": ", fp);
			cw_vis_put_plan(fp, o->error, strlen(o->error));
		}
		fputc('\n', fp);
	}
	region_lines(x);
	fprintf(fp, "Applied: %zu of %zu calls done, %zu failed, %zu not "
		"started.\n", done, x->calls.n, failed, left);
}

/* The write calls, before the first of them and before --dry-run's end:
 * a plan the rates cannot carry out in a day is refused. */
static int check_writes(struct apply_env *x, struct cw_err *err)
{
	size_t calls[NQUOTAS] = { 0 }, i;

	for (i = 0; i < x->calls.n; i++)
		calls[quota_index(x->calls.v[i].op)]++;
	fflush(x->out);
	return check_duration(x, calls, "writing", err);
}

/* ---- one environment: guard, plan, ask, write */

/* The environment's state, its streams as they are now. */
static struct apply_env *env_of(struct envs_one *o)
{
	struct apply_env *x = o->state;

	x->out = o->out;
	x->err = o->err;
	return x;
}

/* Loads the sets and, before any other call, checks their account: on
 * the main thread, every environment's before any is read. */
static int guard(void *self, struct envs_one *o, int argc, char **argv,
	struct cw_err *err)
{
	struct apply *a = self;
	struct apply_env *x = env_of(o);

	x->a = a;
	x->name = o->name;
	cw_cli_clients_init(&x->clients, &a->cli);
	cw_buf_init(&x->errs.text, 0);
	if (load_sets(x, argc, argv, err) < 0)
		return -1;
	if (report_errors(x))
		return -2;
	if (check_account(x, err) < 0)
		return cmd_interrupted() ? -3 : -1;
	return 0;
}

/* The plan, printed: 0 (the writes, if any, to come), -1 error (err
 * filled), -3 interrupted. */
static int run(void *self, struct envs_one *o, struct cw_err *err)
{
	struct apply *a = self;
	struct apply_env *x = env_of(o);
	struct cw_alarmapply_io io = { client_for, pace, x };

	if (cw_alarmdiff_live_init(&x->live) < 0)
		return cw_err_set(err, "out of memory");
	if (cw_cli_fill_regions(&x->clients, x->sets, x->nsets, err) < 0
			|| check_reads(x, err) < 0
			|| cw_alarmapply_read(&x->live, x->sets, x->nsets, &io,
				err) < 0
			|| cw_alarmdiff_plan(&x->plan, x->sets, x->nsets,
				&x->live) < 0
			|| read_tags(x, err) < 0
			|| decide_ownership(x, err) < 0)
		return cmd_interrupted() ? -3 : -1;
	if (!a->prune)
		keep_orphans(x);
	/* The plan first: a refused mass delete shows what it would do. */
	if (cw_alarmapply_build(&x->calls, &x->plan, x->tags, a->prune,
			err) < 0 || print_plan(x, err) < 0)
		return -1;
	if (check_mass_delete(x, err) < 0)
		return -1;
	if (!x->calls.n) {
		fprintf(x->out, "No changes.\n");
		return 0;
	}
	return check_writes(x, err) < 0 ? -1 : 0;
}

/* The writes, unless --yes: asked on the terminal, after the plans up
 * to this one are shown. */
static int ask(void *self, struct envs_one *o, struct cw_err *err)
{
	struct apply *a = self;
	struct apply_env *x = env_of(o);
	char line[16];

	if (a->yes || a->dry_run || !x->calls.n)
		return 0;
	if (!isatty(STDIN_FILENO))
		return cw_err_set(err, "%zu write calls: not a terminal; "
			"--yes to apply without asking", x->calls.n);
	envs_show(o);
	fflush(stdout);
	fprintf(stderr, "Apply %zu write call%s%s%s? [y/N] ", x->calls.n,
		x->calls.n == 1 ? "" : "s", a->envs.n > 1 ? " in " : "",
		a->envs.n > 1 ? x->name : "");
	if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y'
			&& line[0] != 'Y'))
		return cmd_interrupted() ? -3 : cw_err_set(err, "not applied");
	return 0;
}

/* 0 converged, -2 a partial failure already reported, -3 interrupted. */
static int write_calls(void *self, struct envs_one *o, struct cw_err *err)
{
	struct apply *a = self;
	struct apply_env *x = env_of(o);
	int rc;

	(void)err;
	if (a->dry_run || !x->calls.n)
		return 0;
	/* a progress line a run: several share the terminal */
	x->progress = a->envs.n == 1 && cw_term_controls(&a->cli.ctx,
		STDERR_FILENO);
	rc = run_calls(x);
	report(x);
	if (rc == -2 && cmd_interrupted())
		return -3;
	return rc == 0 ? 0 : -2;
}

/* What one environment's run held. */
static void end_env(void *self, struct envs_one *o)
{
	struct apply_env *x = o->state;
	size_t i;

	(void)self;
	cw_cli_clients_release(&x->clients);
	for (i = 0; x->tags && i < x->plan.n; i++)
		cJSON_Delete(x->tags[i]);
	free(x->tags);
	cw_alarmapply_release(&x->calls);
	cw_alarmsets_release(x->sets, x->nsets);
	cw_alarmdiff_plan_release(&x->plan);
	cw_alarmdiff_live_release(&x->live);
	cw_alarmdef_errors_release(&x->errs);
}

/* The environments at once, each over the sets that have it; one that
 * fails does not stop the others. */
static int run_envs(struct apply *a, int argc, char **argv,
	struct cw_err *err)
{
	static const struct envs_ops ops = { sizeof(struct apply_env), guard,
		run, ask, write_calls, end_env };

	if (envs_resolve(&a->envs, argv, argc, err) < 0)
		return -1;
	return envs_run(&a->envs, &a->cli, &ops, a, argc, argv, err);
}

static void release(void *self)
{
	struct apply *a = self;

	cw_alarmaccounts_release(&a->accounts);
	envs_release(&a->envs);
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct apply *a = self;
	int rc;

	/* Calls in flight finish: the clients' transfers ignore the flag. */
	a->cli.ctx.cancel = NULL;
	rc = run_envs(a, argc, argv, err);
	if (rc == -3)
		fprintf(stderr, "cw-alarm-apply: interrupted\n");
	return rc == 0 ? CW_EXIT_OK : rc == -3 ? CW_EXIT_INTERRUPTED
		: rc == -1 ? CW_EXIT_ERROR : (cw_err_clear(err), CW_EXIT_ERROR);
}

static const struct cmd cmd = {
	"cw-alarm-apply", "he:", options, usage, option, operands, execute,
	release
};

int main(int argc, char **argv)
{
	static struct apply a;
	size_t i;

	cw_cli_accounts(&a.cli, &a.accounts);
	for (i = 0; i < NQUOTAS; i++)
		a.rate[i] = quotas[i].tps;
	return cmd_main(&cmd, &a.cli, &a, argc, argv);
}
