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

struct apply {
	struct cw_cli cli;
	struct envs envs;
	int prune, dry_run, yes, mass_ok, progress;
	struct cw_alarmset *sets;
	size_t nsets;
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan;
	struct cw_alarmdef_errors errs;
	struct cw_alarmapply calls;
	cJSON **tags;		/* per plan entry */
	double rate[NQUOTAS];
	struct cw_ratelimit limit[NQUOTAS];
	struct cw_cli_clients clients;
	struct cw_alarmaccounts accounts;
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
	struct apply *a = arg;

	return cw_cli_clients_get(&a->clients, svc, region, err);
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
static int check_duration(struct apply *a, const size_t *calls,
	const char *what, struct cw_err *err)
{
	double s = calls_s(a, calls), waits = 0;
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
		fprintf(stderr, "%s: %s: %zu calls take about %s at the rates "
			"given\n", a->cli.prog, what, n, t);
	return 0;
}

/* The reads before the plan: at least one DescribeAlarms a prefix. */
static int check_reads(struct apply *a, struct cw_err *err)
{
	size_t calls[NQUOTAS] = { 0 }, i;

	for (i = 0; i < a->nsets; i++)
		calls[quota_index("DescribeAlarms")] += a->sets[i].nprefixes;
	return check_duration(a, calls, "reading the alarms", err);
}

/* Sleeps until op's turn; a signal ends the wait. The regions read at
 * once share the limits. */
static int pace(void *arg, const char *op, struct cw_err *err)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	struct apply *a = arg;
	int64_t wait;

	pthread_mutex_lock(&lock);
	wait = cw_ratelimit_reserve(&a->limit[quota_index(op)],
		cw_ctx_now_ms(&a->cli.ctx));
	pthread_mutex_unlock(&lock);

	if (cw_cancel_sleep_ms(cw_cancel_process(), wait) < 0)
		return cw_err_set(err, "interrupted");
	return 0;
}

/* ---- the definitions and the account */

static int load_sets(struct apply *a, int argc, char **argv,
	struct cw_err *err)
{
	return cw_alarmsets_load(&a->sets, &a->nsets, argv, (size_t)argc,
		a->envs.cur, &a->errs, err);
}

/* Before any other call: the keys lead to the account the sets name. */
static int check_account(struct apply *a, struct cw_err *err)
{
	struct cw_alarmaccount *acc;

	if (cw_alarmaccounts_check(&a->accounts, a->sets, a->nsets, &acc,
			err) < 0)
		return -1;
	a->clients.creds = acc ? acc->creds : NULL;
	return 0;
}

static int report_errors(struct apply *a)
{
	return cw_alarmdef_errors_report(&a->errs, a->cli.prog, stderr);
}

/* The tags of every live alarm in the plan: ownership of the undefined
 * ones, tag changes of the defined ones (in the plan as cw-alarm-diff
 * shows them). */
static int read_tags(struct apply *a, struct cw_err *err)
{
	struct cw_alarmapply_io io = { client_for, pace, a };
	size_t calls[NQUOTAS] = { 0 }, i;

	for (i = 0; i < a->plan.n; i++)
		calls[quota_index("ListTagsForResource")] += a->plan.v[i].live
			&& a->plan.v[i].kind != CW_ALARMDEF_FILTER;
	if (check_duration(a, calls, "reading their tags", err) < 0)
		return -1;
	if (!(a->tags = calloc(a->plan.n ? a->plan.n : 1, sizeof(*a->tags))))
		return cw_err_set(err, "out of memory");
	if (cw_alarmapply_tags(&a->plan, &io, a->tags, err) < 0)
		return -1;
	for (i = 0; i < a->plan.n; i++)
		if (a->tags[i] && cw_alarmdiff_tags(&a->plan.v[i],
				a->tags[i]) < 0)
			return cw_err_set(err, "out of memory");
	return 0;
}

/* Orphans carrying this set's tags become deletions; a defined alarm
 * that another set owns is not taken over. */
static int decide_ownership(struct apply *a, int *owned, struct cw_err *err)
{
	struct cw_alarmdiff_entry *e;
	enum cw_alarmapply_owner o;
	size_t i;

	*owned = 0;
	for (i = 0; i < a->plan.n; i++) {
		e = &a->plan.v[i];
		if (!a->tags[i])
			continue;
		o = cw_alarmapply_owner(a->tags[i], e->set->name);
		*owned += o == CW_ALARMAPPLY_OURS;
		if (e->action == CW_ALARMDIFF_ORPHAN && o == CW_ALARMAPPLY_OURS)
			e->action = CW_ALARMDIFF_DELETE;
		else if (e->item && o == CW_ALARMAPPLY_OTHER)
			return cw_err_set(err, "alarm %.255s: managed by the set "
				"%.255s, not %.255s; not taking it over", e->name,
				cw_alarms_tag(a->tags[i], CW_ALARMDEF_SET_KEY),
				e->set->name);
	}
	return 0;
}

static int check_mass_delete(struct apply *a, int owned, struct cw_err *err)
{
	struct cw_alarmdiff_counts c;

	cw_alarmdiff_count(&a->plan, &c);
	if (!a->prune || !c.del || a->mass_ok
			|| c.del <= MASS_DELETE_SHARE * owned)
		return 0;
	return cw_err_set(err, "the plan deletes %d of the %d alarms the sets "
		"own (more than %d%%); stopped: --allow-mass-delete to go on",
		c.del, owned, (int)(MASS_DELETE_SHARE * 100));
}

/* Without --prune, owned alarms that are no longer defined stay. */
static void keep_orphans(struct apply *a)
{
	size_t n = cw_alarmdiff_keep(&a->plan);

	if (n)
		fprintf(stderr, "%s: %zu alarm%s of the set%s %s no longer "
			"defined; --prune deletes them\n", a->cli.prog, n,
			n == 1 ? "" : "s", a->nsets == 1 ? "" : "s",
			n == 1 ? "is" : "are");
}

/* The plan cw-alarm-diff prints for the same definitions and flags. */
static int print_plan(struct apply *a, struct cw_err *err)
{
	struct cw_buf out = CW_BUF_INIT;
	int rc = cw_alarmdiff_format_text(&a->plan, &out,
		cw_cli_color(&a->cli, STDOUT_FILENO));

	if (rc < 0)
		rc = cw_err_set(err, "out of memory");
	else
		fwrite(out.p, 1, out.len, stdout);
	cw_buf_release(&out);
	return rc;
}

/* ---- writing */

static int confirm(struct apply *a, struct cw_err *err)
{
	char line[16];

	if (a->yes)
		return 0;
	if (!isatty(STDIN_FILENO))
		return cw_err_set(err, "%zu write calls: not a terminal; "
			"--yes to apply without asking", a->calls.n);
	fprintf(stderr, "Apply %zu write call%s? [y/N] ", a->calls.n,
		a->calls.n == 1 ? "" : "s");
	if (!fgets(line, sizeof(line), stdin) || (line[0] != 'y'
			&& line[0] != 'Y'))
		return cw_err_set(err, "not applied");
	return 0;
}

static void progress(struct apply *a, size_t i)
{
	if (!a->progress)
		return;
	fprintf(stderr, CW_TERM_ERASE_LINE "[%zu/%zu] ", i + 1, a->calls.n);
	cw_vis_put_plan(stderr, a->calls.v[i].what, strlen(a->calls.v[i].what));
}

/* One call; DeleteAlarms is all-or-nothing, so when one name is gone
 * already the others go one by one. */
static int call_one(struct apply *a, struct cw_alarmapply_op *o,
	struct cw_err *err)
{
	struct cw_client *c = client_for(a, cw_alarmapply_service(o),
		o->region, err);
	const cJSON *names, *n;
	cJSON *res = NULL, *one;
	int rc;

	if (!c || pace(a, o->op, err) < 0)
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
		rc = pace(a, o->op, err) < 0 ? -1 : cw_awsjson_call(c,
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
static int run_calls(struct apply *a)
{
	struct cw_err err;
	size_t i;
	int failed = 0;

	for (i = 0; i < a->calls.n; i++) {
		struct cw_alarmapply_op *o = &a->calls.v[i];

		if (cmd_interrupted())
			return -2;
		if (o->state == CW_ALARMAPPLY_FAILED) {
			failed = 1;	/* refused by the plan */
			continue;
		}
		progress(a, i);
		cw_err_clear(&err);
		if (call_one(a, o, &err) == 0) {
			o->state = CW_ALARMAPPLY_DONE;
			continue;
		}
		if (cmd_interrupted() && !err.code[0])
			return -2;
		o->state = CW_ALARMAPPLY_FAILED;
		o->error = strdup(err.msg);
		failed = 1;
		if (strcmp(err.code, "LimitExceeded") == 0) {
			if (a->progress)
				fputs(CW_TERM_ERASE_LINE, stderr);
			fprintf(stderr, "%s: %s: the account's alarm quota is "
				"reached (LimitExceeded is a quota, not "
				"throttling); stopped: raise the quota or "
				"delete alarms\n", a->cli.prog, o->op);
			return -2;
		}
	}
	return failed ? -1 : 0;
}

static void report(struct apply *a)
{
	size_t i, done = 0, failed = 0, left = 0;

	if (a->progress)
		fputs(CW_TERM_ERASE_LINE, stderr);
	for (i = 0; i < a->calls.n; i++) {
		const struct cw_alarmapply_op *o = &a->calls.v[i];

		if (o->state == CW_ALARMAPPLY_DONE) {
			done++;
			printf("done: ");
		} else if (o->state == CW_ALARMAPPLY_FAILED) {
			failed++;
			printf("failed: ");
		} else {
			left++;
			printf("not done: ");
		}
		cw_vis_put_plan(stdout, o->what, strlen(o->what));
		if (o->error) {
			fputs(": ", stdout);
			cw_vis_put_plan(stdout, o->error, strlen(o->error));
		}
		putchar('\n');
	}
	printf("Applied: %zu of %zu calls done, %zu failed, %zu not started.\n",
		done, a->calls.n, failed, left);
}

/* The write calls, before the first of them and before --dry-run's end:
 * a plan the rates cannot carry out in a day is refused. */
static int check_writes(struct apply *a, struct cw_err *err)
{
	size_t calls[NQUOTAS] = { 0 }, i;

	for (i = 0; i < a->calls.n; i++)
		calls[quota_index(a->calls.v[i].op)]++;
	fflush(stdout);
	return check_duration(a, calls, "writing", err);
}

/* 0 converged, -1 error (err filled), -2 bad definitions or a partial
 * failure already reported, -3 interrupted. */
static int run(void *self, int argc, char **argv, struct cw_err *err)
{
	struct apply *a = self;
	struct cw_alarmapply_io io = { client_for, pace, a };
	int owned, rc;

	if (load_sets(a, argc, argv, err) < 0)
		return -1;
	if (report_errors(a))
		return -2;
	if (check_account(a, err) < 0)
		return cmd_interrupted() ? -3 : -1;
	if (a->envs.n > 1)
		printf("Environment %s:\n", a->envs.cur);
	if (cw_alarmdiff_live_init(&a->live) < 0)
		return cw_err_set(err, "out of memory");
	if (cw_cli_fill_regions(&a->clients, a->sets, a->nsets, err) < 0
			|| check_reads(a, err) < 0
			|| cw_alarmapply_read(&a->live, a->sets, a->nsets, &io,
				err) < 0
			|| cw_alarmdiff_plan(&a->plan, a->sets, a->nsets,
				&a->live) < 0
			|| read_tags(a, err) < 0
			|| decide_ownership(a, &owned, err) < 0)
		return cmd_interrupted() ? -3 : -1;
	if (!a->prune)
		keep_orphans(a);
	/* The plan first: a refused mass delete shows what it would do. */
	if (cw_alarmapply_build(&a->calls, &a->plan, a->tags, a->prune,
			err) < 0 || print_plan(a, err) < 0)
		return -1;
	if (check_mass_delete(a, owned, err) < 0)
		return -1;
	if (!a->calls.n) {
		printf("No changes.\n");
		return 0;
	}
	if (check_writes(a, err) < 0)
		return -1;
	if (a->dry_run)
		return 0;
	fflush(stdout);
	if (confirm(a, err) < 0)
		return cmd_interrupted() ? -3 : -1;
	a->progress = cw_term_controls(&a->cli.ctx, STDERR_FILENO);
	rc = run_calls(a);
	report(a);
	if (rc == -2 && cmd_interrupted())
		return -3;
	return rc == 0 ? 0 : -2;
}

/* What one environment's run holds, released for the next. */
static void end_env(void *self)
{
	struct apply *a = self;
	size_t i;

	cw_cli_clients_release(&a->clients);
	for (i = 0; a->tags && i < a->plan.n; i++)
		cJSON_Delete(a->tags[i]);
	free(a->tags);
	a->tags = NULL;
	cw_alarmapply_release(&a->calls);
	memset(&a->calls, 0, sizeof(a->calls));
	cw_alarmsets_release(a->sets, a->nsets);
	a->sets = NULL;
	a->nsets = 0;
	cw_alarmdiff_plan_release(&a->plan);
	memset(&a->plan, 0, sizeof(a->plan));
	cw_alarmdiff_live_release(&a->live);
	memset(&a->live, 0, sizeof(a->live));
	cw_alarmdef_errors_release(&a->errs);
	memset(&a->errs, 0, sizeof(a->errs));
	cw_buf_init(&a->errs.text, 0);
	/* Each environment finds its default region afresh. */
	a->cli.region[0] = '\0';
	a->clients.default_region[0] = '\0';
}

/* Before the first environment is read, every one's account is checked. */
static int guard(void *self, int argc, char **argv, struct cw_err *err)
{
	struct apply *a = self;

	if (load_sets(a, argc, argv, err) < 0)
		return -1;
	if (report_errors(a))
		return -2;
	return check_account(a, err);
}

/* The environments in turn, each over the sets that have it; one that
 * fails does not stop the others. */
static int run_envs(struct apply *a, int argc, char **argv,
	struct cw_err *err)
{
	static const struct envs_ops ops = { guard, run, end_env };

	if (envs_resolve(&a->envs, argv, argc, err) < 0)
		return -1;
	return envs_run(&a->envs, &a->cli, &ops, a, argc, argv, err);
}

static void release(void *self)
{
	struct apply *a = self;

	end_env(a);
	cw_alarmdef_errors_release(&a->errs);
	cw_alarmaccounts_release(&a->accounts);
	envs_release(&a->envs);
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct apply *a = self;
	size_t i;
	int rc;

	for (i = 0; i < NQUOTAS; i++)
		cw_ratelimit_init(&a->limit[i], a->rate[i] * RATE_MARGIN, 1);
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

	cw_cli_clients_init(&a.clients, &a.cli);
	cw_cli_accounts(&a.cli, &a.accounts);
	for (i = 0; i < NQUOTAS; i++)
		a.rate[i] = quotas[i].tps;
	cw_buf_init(&a.errs.text, 0);
	return cmd_main(&cmd, &a.cli, &a, argc, argv);
}
