/*
 * cw-alarm-status: which CloudWatch alarms fire, in one or several
 * regions at once; an alarm's history; a test page through its actions.
 */
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alarmdef.h"
#include "cancel.h"
#include "cli.h"
#include "alarms.h"
#include "exitcodes.h"
#include "json.h"
#include "out.h"
#include "region.h"
#include "sgr.h"
#include "term.h"
#include "timespec.h"
#include "vis.h"
#include "cmd.h"
#include "banned.h"

#define RED CW_SGR_RED
#define YELLOW CW_SGR_YELLOW
#define GREEN CW_SGR_GREEN
#define BOLD CW_SGR_BOLD
#define RESET CW_SGR_RESET
#define PIPE_STATE_COLS 17	/* INSUFFICIENT_DATA */
/* On a narrow terminal the reason is cut to this before a name is cut,
 * and a name to NAME_MIN before the line is let overflow. */
#define REASON_MIN 10
#define NAME_MIN 16

/* A region's answer. */
struct regional {
	const struct cw_alarms_query *q;
	struct cw_alarms_set set;
};

struct row {
	const struct cw_alarm *a;
	const char *region;
};

struct status {
	struct cw_cli cli;
	const char *regions[CW_REGION_MAX];
	size_t nregions;
	struct cw_region_job jobs[CW_REGION_MAX];
	struct regional res[CW_REGION_MAX];
	struct cw_alarms_query q;
	int json, watch, test, yes, tty, color, utf8, width;
	int redraw;		/* --watch: the screen can be erased */
	const char *history, *cur_region;
	int count;		/* --history: items printed in a region */
	char **seen;		/* --watch in a pipe: last round's rows */
	size_t nseen;
	struct cw_buf line;
	/* PATH...: the definition sets whose alarms are shown */
	const char *env;
	struct cw_alarmset *sets;
	size_t nsets;
	const char **names;
	int default_region;	/* some alarm has no region of its own */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-alarm-status [-r REGION]... [--state alarm|ok|"
		"insufficient|any]\n"
		"               [--prefix P] [-o table|json] [--watch SECONDS] "
		CW_CLI_USAGE_COMMON "\n"
		"               [-e ENV] [PATH...]\n"
		"       cw-alarm-status [-r REGION]... --history NAME [-o "
		"table|json]\n"
		"       cw-alarm-status [-r REGION]... --test [--yes] NAME...\n"
		CW_CLI_USAGE_COMMON_LIST);
}

/* SIGINT or SIGTERM came (the library's flag). */
static int state_rank(const char *s)
{
	if (!s)
		return 3;
	if (strcmp(s, "ALARM") == 0)
		return 0;
	return strcmp(s, "INSUFFICIENT_DATA") == 0 ? 1 : 2;
}

/* Firing first, the newest change first, then by name and region. */
static int row_cmp(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int d = state_rank(a->a->state) - state_rank(b->a->state);

	if (d)
		return d;
	if (a->a->since_ms != b->a->since_ms)
		return a->a->since_ms > b->a->since_ms ? -1 : 1;
	d = strcmp(a->a->name, b->a->name);
	return d ? d : strcmp(a->region, b->region);
}

static const char *state_color(const char *s)
{
	switch (state_rank(s)) {
	case 0: return RED;
	case 1: return YELLOW;
	default: return GREEN;
	}
}

/* The reason column: what an on-call person reads first. */
static int add_reason(struct status *st, struct cw_buf *b,
	const struct cw_alarm *a, size_t cols)
{
	struct cw_buf r = CW_BUF_INIT;
	const char *p, *nl;
	int rc = 0;

	if (a->eval_state)
		rc |= cw_buf_addf(&r, "[%s] ", a->eval_state);
	if (state_rank(a->state) == 0 && (!a->actions_enabled
			|| a->nalarm_actions == 0))
		rc |= cw_buf_adds(&r, a->actions_enabled ? "[no actions] "
			: "[actions disabled] ");
	if (a->firing.len) {
		rc |= cw_buf_adds(&r, "firing: ");
		for (p = cw_buf_str(&a->firing); p; p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			rc |= cw_buf_add(&r, p, nl ? (size_t)(nl - p) : strlen(p));
			rc |= cw_buf_adds(&r, nl ? ", " : "; ");
		}
	}
	rc |= cw_buf_adds(&r, a->reason ? a->reason : "");
	/* our own text is plain; escaping it all keeps the column honest */
	if (rc == 0)
		rc = cw_vis_line(b, cw_buf_str(&r), cols, st->utf8);
	cw_buf_release(&r);
	return rc;
}

/* The widths of the table's columns; reason 0: not cut. */
struct widths {
	int state, name, region, reason;
};

static int row_table(struct status *st, const struct row *r,
	const struct widths *w, int64_t now)
{
	struct cw_buf *b = &st->line;
	char age[16];
	size_t used;
	int rc;

	cw_term_age(age, sizeof(age), r->a->since_ms ? now - r->a->since_ms
		: 0);
	rc = cw_buf_addf(b, "%s%-*s%s %4s  ", st->color
		? state_color(r->a->state) : "", w->state,
		r->a->state ? r->a->state : "?",
		st->color ? RESET : "", r->a->since_ms ? age : "-");
	/* a name is cut only to fit a terminal: in a pipe it is pasted */
	rc |= cw_vis_line(b, r->a->name, w->reason ? (size_t)w->name : 0,
		st->utf8);
	used = cw_vis_width(r->a->name);
	rc |= cw_buf_addf(b, "%*s  %-*s  ", w->name > (int)used ? w->name
		- (int)used : 0, "", w->region, r->region);
	rc |= add_reason(st, b, r->a, (size_t)w->reason);
	return rc || cw_buf_addc(b, '\n');
}

static int row_json(struct status *st, const struct row *r)
{
	struct cw_buf *b = &st->line;
	const char *p, *nl, *s;
	int rc = cw_buf_adds(b, "{\"region\":");

	rc |= cw_json_quote(b, r->region, strlen(r->region));
	rc |= cw_buf_adds(b, ",\"name\":");
	rc |= cw_json_quote(b, r->a->name, strlen(r->a->name));
	rc |= cw_buf_addf(b, ",\"type\":\"%s\",\"state\":",
		r->a->composite ? "CompositeAlarm" : "MetricAlarm");
	s = r->a->state ? r->a->state : "";
	rc |= cw_json_quote(b, s, strlen(s));
	rc |= cw_buf_addf(b, ",\"since\":%lld,\"actionsEnabled\":%s,"
		"\"reason\":", (long long)r->a->since_ms,
		r->a->actions_enabled ? "true" : "false");
	s = r->a->reason ? r->a->reason : "";
	rc |= cw_json_quote(b, s, strlen(s));
	if (r->a->composite) {
		rc |= cw_buf_adds(b, ",\"firing\":[");
		for (p = r->a->firing.len ? cw_buf_str(&r->a->firing) : NULL; p;
				p = nl ? nl + 1 : NULL) {
			nl = strchr(p, '\n');
			rc |= cw_json_quote(b, p, nl ? (size_t)(nl - p)
				: strlen(p));
			rc |= nl ? cw_buf_addc(b, ',') : 0;
		}
		rc |= cw_buf_addc(b, ']');
	}
	return rc || cw_buf_adds(b, "}\n");
}

static int put_line(struct status *st)
{
	if (!st->line.len)
		return 0;
	if (fwrite(st->line.p, 1, st->line.len, stdout) != st->line.len)
		return -1;
	cw_buf_reset(&st->line);
	return 0;
}

static struct row *collect(struct status *st, size_t *n)
{
	size_t i, j, k = 0, total = 0;
	struct row *rows;

	for (i = 0; i < st->nregions; i++)
		total += st->res[i].set.n;
	rows = calloc(total ? total : 1, sizeof(*rows));
	for (i = 0; rows && i < st->nregions; i++)
		for (j = 0; j < st->res[i].set.n; j++) {
			rows[k].a = &st->res[i].set.v[j];
			rows[k++].region = st->jobs[i].region;
		}
	if (rows)
		qsort(rows, k, sizeof(*rows), row_cmp);
	*n = k;
	return rows;
}

static int describe_job(struct cw_region_job *j)
{
	struct regional *r = j->arg;

	return cw_alarms_describe(&j->client, r->q, &r->set, &j->err);
}

/* One round in every region; errors name their region. */
static int fetch(struct status *st, struct cw_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < st->nregions; i++) {
		cw_alarms_set_release(&st->res[i].set);
		st->res[i].q = &st->q;
		st->jobs[i].arg = &st->res[i];
	}
	if (cw_cli_regions_refresh(&st->cli, st->jobs, st->nregions, err) < 0) {
		cw_cli_error(&st->cli, err);
		err->msg[0] = '\0';	/* said; --watch goes on */
		return -1;
	}
	cw_region_run(st->jobs, st->nregions, describe_job);
	if (cmd_interrupted())
		return -1;	/* the regions' "interrupted" says nothing new */
	for (i = 0; i < st->nregions; i++)
		if (st->jobs[i].rc < 0) {
			fprintf(stderr, "cw-alarm-status: %s: %s\n",
				st->jobs[i].region, st->jobs[i].err.msg);
			rc = -1;
		}
	return rc;
}

/*
 * The columns on a terminal of st->width: the reason takes what the
 * others leave; when that is less than REASON_MIN, the names give way,
 * down to NAME_MIN, and the reason keeps REASON_MIN.
 */
static void fit_width(const struct status *st, struct widths *w)
{
	int fixed = w->state + 1 + 4 + 2 + 2 + w->region + 2;

	if (!st->width)
		return;
	w->reason = st->width - fixed - w->name;
	if (w->reason >= REASON_MIN)
		return;
	w->reason = REASON_MIN;
	w->name = st->width - fixed - REASON_MIN;
	if (w->name < NAME_MIN)
		w->name = NAME_MIN;
}

static int print_rows(struct status *st, const struct row *rows, size_t n,
	int64_t now)
{
	struct widths w = { 5, 4, 6, 0 };
	size_t i, l;

	for (i = 0; i < n; i++) {
		l = cw_vis_width(rows[i].a->name);
		if ((int)l > w.name)
			w.name = (int)l;
		if ((int)strlen(rows[i].region) > w.region)
			w.region = (int)strlen(rows[i].region);
		l = rows[i].a->state ? strlen(rows[i].a->state) : 1;
		if ((int)l > w.state && l < 32)
			w.state = (int)l;
	}
	fit_width(st, &w);
	if (st->tty && !st->json && n && cw_buf_addf(&st->line,
			"%s%-*s %4s  %-*s  %-*s  REASON%s\n", st->color ? BOLD
			: "", w.state, "STATE", "SINCE", w.name, "NAME", w.region,
			"REGION", st->color ? RESET : "") < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((st->json ? row_json(st, &rows[i])
				: row_table(st, &rows[i], &w, now)) < 0
				|| put_line(st) < 0)
			return -1;
	}
	return put_line(st);
}

static int firing(const struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (state_rank(rows[i].a->state) == 0)
			return 1;
	return 0;
}

/* --watch in a pipe: "region name state since" of each row, sorted. */
static char *row_key(const struct row *r)
{
	struct cw_buf b = CW_BUF_INIT;

	if (cw_buf_addf(&b, "%s\t%s\t%s\t%lld", r->region, r->a->name,
			r->a->state ? r->a->state : "",
			(long long)r->a->since_ms) < 0)
		return NULL;
	return cw_buf_detach(&b, NULL);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Same region and name as key: the first two fields. */
static int same_alarm(const char *a, const char *b)
{
	const char *ta = strchr(a, '\t'), *tb = strchr(b, '\t');

	ta = ta ? strchr(ta + 1, '\t') : NULL;
	tb = tb ? strchr(tb + 1, '\t') : NULL;
	return ta && tb && ta - a == tb - b && strncmp(a, b, ta - a) == 0;
}

static int was_seen(char **seen, size_t n, const char *key)
{
	return n && bsearch(&key, seen, n, sizeof(*seen), str_cmp) != NULL;
}

static void free_keys(char **k, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(k[i]);
	free(k);
}

/* An alarm that left the selection: it stopped firing, or is gone. */
static int print_cleared(struct status *st, const char *ts, char *key)
{
	char *name = strchr(key, '\t'), *end;
	int rc;

	end = name ? strchr(name + 1, '\t') : NULL;
	if (!end)
		return 0;
	*name = *end = '\0';
	if (st->json)
		rc = cw_buf_adds(&st->line, "{\"region\":")
			|| cw_json_quote(&st->line, key, strlen(key))
			|| cw_buf_adds(&st->line, ",\"name\":")
			|| cw_json_quote(&st->line, name + 1,
				strlen(name + 1))
			|| cw_buf_adds(&st->line, ",\"state\":\"CLEARED\"}\n");
	else
		rc = cw_buf_addf(&st->line, "%s %-*s %4s  ", ts,
				PIPE_STATE_COLS, "CLEARED", "-")
			|| cw_vis_line(&st->line, name + 1, 0, st->utf8)
			|| cw_buf_addf(&st->line, "  %s\n", key);
	rc = rc || put_line(st);
	*name = *end = '\t';
	return rc ? -1 : 0;
}

/* Lines of different rounds cannot share widths: states get the widest. */
static const struct widths pipe_widths = { PIPE_STATE_COLS, 0, 0, 0 };

/* Rows that are new or changed, and alarms that left the selection. */
static int print_changes(struct status *st, struct row *rows, size_t n,
	int64_t now)
{
	char **keys = calloc(n ? n : 1, sizeof(*keys)), ts[32];
	size_t i, j, changed = 0;
	int rc = 0;

	if (!keys)
		return -1;
	cw_timespec_format(ts, sizeof(ts), CW_TIMEFMT_ISO, now, 1);
	for (i = 0; i < n; i++) {
		if (!(keys[i] = row_key(&rows[i])))
			rc = -1;
		else if (!was_seen(st->seen, st->nseen, keys[i]))
			rows[changed++] = rows[i];
	}
	qsort(keys, n, sizeof(*keys), str_cmp);
	for (i = 0; rc == 0 && i < st->nseen; i++) {
		for (j = 0; j < n && !same_alarm(st->seen[i], keys[j]); j++)
			;
		if (j == n)
			rc |= print_cleared(st, ts, st->seen[i]);
	}
	for (i = 0; rc == 0 && i < changed; i++) {
		/* JSON lines carry their time in "since" */
		rc |= st->json ? 0 : cw_buf_addf(&st->line, "%s ", ts);
		rc |= (st->json ? row_json(st, &rows[i])
			: row_table(st, &rows[i], &pipe_widths, now))
			|| put_line(st);
	}
	free_keys(st->seen, st->nseen);
	st->seen = keys;
	st->nseen = n;
	fflush(stdout);
	return rc ? -1 : 0;
}

/* Nothing to show, said on a terminal: "no alarm in ALARM in us-east-1". */
static void say_none(struct status *st)
{
	struct cw_buf b = CW_BUF_INIT;
	size_t i;
	int rc = cw_buf_adds(&b, "no alarm");

	if (st->q.state)
		rc |= cw_buf_addf(&b, " in %s", st->q.state);
	if (st->q.prefix)
		rc |= cw_buf_addf(&b, " whose name starts with %s",
			st->q.prefix);
	for (i = 0; i < st->nregions; i++)
		rc |= cw_buf_addf(&b, "%s%s", i ? ", " : " in ",
			st->jobs[i].region);
	if (rc == 0)
		cw_cli_empty(&st->cli, STDOUT_FILENO, "%s", cw_buf_str(&b));
	cw_buf_release(&b);
}

static int show(struct status *st, struct cw_err *err)
{
	struct row *rows;
	size_t n;
	int64_t now;
	int round, rc = CW_EXIT_OK, fetched;

	for (round = 0; !cmd_interrupted(); round++) {
		fetched = fetch(st, err);
		if (cmd_interrupted())
			break;
		now = cw_ctx_now_ms(&st->cli.ctx);
		if (!(rows = collect(st, &n)))
			return cw_err_set(err, "out of memory"), CW_EXIT_ERROR;
		if (st->watch && st->tty)
			fputs(st->redraw ? CW_TERM_ERASE_SCREEN
				: round ? "\n" : "", stdout);
		if (st->watch && st->tty)
			printf("every %ds, %zu alarm%s, %zu region%s\n\n",
				st->watch, n, n == 1 ? "" : "s", st->nregions,
				st->nregions == 1 ? "" : "s");
		/* a failed round in a pipe would look like cleared alarms */
		if (st->watch && !st->tty && fetched < 0)
			;
		else if ((st->watch && !st->tty
				? print_changes(st, rows, n, now)
				: print_rows(st, rows, n, now)) < 0) {
			free(rows);
			return cw_err_set(err, "stdout: write failed"),
				CW_EXIT_ERROR;
		}
		if (!st->watch && fetched == 0 && n == 0)
			say_none(st);
		rc = fetched < 0 ? CW_EXIT_ERROR : firing(rows, n) ? CW_EXIT_NO
			: CW_EXIT_OK;
		free(rows);
		fflush(stdout);
		if (!st->watch)
			break;
		cw_ctx_sleep_ms(&st->cli.ctx, (int64_t)st->watch * 1000);
	}
	return cmd_interrupted() ? CW_EXIT_INTERRUPTED : rc;
}

/* --history */
static int print_event(void *arg, const struct cw_alarms_event *e,
	struct cw_err *err)
{
	struct status *st = arg;
	struct cw_buf *b = &st->line;
	const char *region = st->cur_region;
	char t[48];
	int rc;

	if (cmd_interrupted())
		return 1;
	if (st->json) {
		rc = cw_buf_adds(b, "{\"region\":")
			|| cw_json_quote(b, region, strlen(region))
			|| (cw_timespec_valid(e->ms)
				? cw_buf_addf(b, ",\"timestamp\":%lld,\"type\":",
					(long long)e->ms)
				: cw_buf_adds(b, ",\"timestamp\":null,\"type\":"))
			|| cw_json_quote(b, e->type ? e->type : "",
				e->type ? strlen(e->type) : 0)
			|| cw_buf_adds(b, ",\"summary\":")
			|| cw_json_quote(b, e->summary ? e->summary : "",
				e->summary ? strlen(e->summary) : 0)
			|| cw_buf_adds(b, ",\"reason\":")
			|| cw_json_quote(b, e->reason ? e->reason : "",
				e->reason ? strlen(e->reason) : 0)
			|| cw_buf_adds(b, "}\n");
	} else {
		cw_out_time(t, sizeof(t), e->ms, 0);
		t[19] = '\0';
		rc = cw_buf_addf(b, "%s  %-19s  ", t, e->type ? e->type : "?")
			|| (st->nregions > 1 && cw_buf_addf(b, "%s  ", region))
			|| cw_vis_line(b, e->summary, 0, st->utf8)
			|| (e->reason && (cw_buf_adds(b, ": ")
				|| cw_vis_line(b, e->reason, 0, st->utf8)))
			|| cw_buf_addc(b, '\n');
	}
	if (rc || put_line(st) < 0)
		return cw_err_set(err, "stdout: write failed");
	st->count++;
	return 0;
}

static int alarm_exists(struct cw_client *c, const char *name, int *found,
	struct cw_err *err)
{
	struct cw_alarms_set set = { 0 };
	struct cw_alarms_query q = { 0 };
	int rc;

	q.names = &name;
	q.nnames = 1;
	rc = cw_alarms_describe(c, &q, &set, err);
	*found = rc == 0 && cw_alarms_find(&set, name) != NULL;
	cw_alarms_set_release(&set);
	return rc;
}

static int history(struct status *st, struct cw_err *err)
{
	struct cw_client *c;
	size_t i;
	int found = 0, any = 0;

	for (i = 0; i < st->nregions && !cmd_interrupted(); i++) {
		c = &st->jobs[i].client;
		st->cur_region = st->jobs[i].region;
		st->count = 0;
		if (cw_alarms_history(c, st->history, print_event, st, err) < 0
				|| (!st->count && alarm_exists(c, st->history,
					&found, err) < 0))
			return cw_err_wrap(err, "%s", st->cur_region),
				CW_EXIT_ERROR;
		any |= st->count > 0 || found;
	}
	if (cmd_interrupted())
		return CW_EXIT_INTERRUPTED;
	if (!any) {
		cw_err_set(err, "alarm %.255s: not found in %s%s", st->history,
			st->nregions > 1 ? "any of " : "", st->regions[0]);
		return CW_EXIT_ERROR;
	}
	return CW_EXIT_OK;
}

/* --test: the user's name goes into the reason, plain. */
static void user_name(char *out, size_t size)
{
	const char *u = getenv("USER");
	struct passwd *pw;
	size_t i, k = 0;

	if (!u || !*u)
		u = getenv("LOGNAME");
	if ((!u || !*u) && (pw = getpwuid(getuid())))
		u = pw->pw_name;
	for (i = 0; u && u[i] && k + 1 < size && k < 64; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"0123456789._@-", u[i]))
			out[k++] = u[i];
	if (!k)
		k = (size_t)snprintf(out, size, "unknown");
	out[k] = '\0';
}

/* Every named alarm must exist somewhere and be able to page someone. */
static int test_check(struct status *st, struct cw_err *err)
{
	const struct cw_alarm *a;
	size_t i, r;
	int found;

	for (i = 0; i < st->q.nnames; i++) {
		for (found = 0, r = 0; r < st->nregions; r++) {
			if (!(a = cw_alarms_find(&st->res[r].set,
					st->q.names[i])))
				continue;
			found = 1;
			if (!a->actions_enabled)
				return cw_err_set(err, "alarm %.255s (%s): its "
					"actions are disabled: a test would "
					"notify nobody", a->name,
					st->jobs[r].region);
			if (a->nalarm_actions == 0)
				return cw_err_set(err, "alarm %.255s (%s): no "
					"ALARM actions: a test would notify "
					"nobody", a->name, st->jobs[r].region);
			if (state_rank(a->state) == 0)
				return cw_err_set(err, "alarm %.255s (%s): "
					"already in ALARM: setting it again "
					"would not run its actions", a->name,
					st->jobs[r].region);
		}
		if (!found)
			return cw_err_set(err, "alarm %.255s: not found in "
				"%s%s", st->q.names[i], st->nregions > 1
				? "any of the regions, first " : "",
				st->regions[0]);
	}
	return 0;
}

static int test_confirm(struct status *st, size_t n, struct cw_err *err)
{
	char q[256], answer[16];

	if (st->yes)
		return 0;
	if (!st->cli.ctx.prompt)
		return cw_err_set(err, "--test: not on a terminal: add --yes to "
			"set %zu alarm%s to ALARM", n, n == 1 ? "" : "s");
	snprintf(q, sizeof(q), "Set %zu alarm%s to ALARM and run %s actions? "
		"[y/N] ", n, n == 1 ? "" : "s", n == 1 ? "its" : "their");
	if (st->cli.ctx.prompt(st->cli.ctx.arg, q, answer, sizeof(answer)) < 0
			|| (answer[0] != 'y' && answer[0] != 'Y'))
		return cw_err_set(err, "--test: not confirmed; nothing was "
			"changed");
	return 0;
}

static int test_alarms(struct status *st, struct cw_err *err)
{
	char user[80], reason[160];
	const struct cw_alarm *a;
	size_t i, r, n = 0;

	st->q.state = NULL;
	if (fetch(st, err) < 0)
		return CW_EXIT_ERROR;
	if (test_check(st, err) < 0)
		return CW_EXIT_ERROR;
	for (r = 0; r < st->nregions; r++)
		for (i = 0; i < st->q.nnames; i++)
			n += cw_alarms_find(&st->res[r].set, st->q.names[i])
				!= NULL;
	if (test_confirm(st, n, err) < 0)
		return CW_EXIT_ERROR;
	user_name(user, sizeof(user));
	snprintf(reason, sizeof(reason), "cwkit notification test by %s",
		user);
	for (r = 0; r < st->nregions; r++)
		for (i = 0; i < st->q.nnames; i++) {
			if (!(a = cw_alarms_find(&st->res[r].set,
					st->q.names[i])))
				continue;
			if (cw_alarms_set_state(&st->jobs[r].client, a->name,
					"ALARM", reason, err) < 0)
				return cw_err_wrap(err, "alarm %.255s (%s)",
					a->name, st->jobs[r].region),
					CW_EXIT_ERROR;
			cw_vis_line(&st->line, a->name, 0, st->utf8);
			cw_buf_addf(&st->line, " (%s): set to ALARM: %s\n",
				st->jobs[r].region, reason);
			if (put_line(st) < 0)
				return cw_err_set(err, "stdout: write failed"),
					CW_EXIT_ERROR;
		}
	return CW_EXIT_OK;
}

enum { OPT_STATE = 0x200, OPT_PREFIX, OPT_WATCH, OPT_HISTORY, OPT_TEST,
	OPT_YES, OPT_ENV };

/* --region is -r, ahead of the common table's: every one counts. */
static const struct option options[] = {
	{ "region", required_argument, NULL, 'r' },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "output", required_argument, NULL, 'o' },
	{ "watch", required_argument, NULL, OPT_WATCH },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "test", no_argument, NULL, OPT_TEST },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "env", required_argument, NULL, OPT_ENV },
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

static int add_region(struct status *st, const char *r, struct cw_err *err)
{
	size_t i;

	for (i = 0; i < st->nregions; i++)
		if (strcmp(st->regions[i], r) == 0)
			return 0;
	if (st->nregions == CW_REGION_MAX)
		return cw_err_set(err, "-r: at most %d regions", CW_REGION_MAX);
	st->regions[st->nregions++] = r;
	return 0;
}

static int parse_opt(void *self, int c, const char *arg, struct cw_err *err)
{
	struct status *st = self;
	long n;

	switch (c) {
	case 'r':
		return add_region(st, arg, err);
	case OPT_STATE:
		return cw_alarms_parse_state(arg, &st->q.state, err);
	case OPT_PREFIX:
		st->q.prefix = arg;
		return 0;
	case 'o':
		if (strcmp(arg, "json") && strcmp(arg, "table"))
			return cw_err_set(err, "output format '%.32s': expected "
				"table or json", arg);
		st->json = strcmp(arg, "json") == 0;
		return 0;
	case OPT_WATCH:
		if (cw_cli_count("--watch", arg, &n, err) < 0)
			return -1;
		if (n > 86400)
			return cw_err_set(err, "--watch '%s': at most 86400 "
				"seconds", arg);
		st->watch = (int)n;
		return 0;
	case OPT_HISTORY:
		st->history = arg;
		return 0;
	case OPT_TEST:
		st->test = 1;
		return 0;
	case OPT_YES:
		st->yes = 1;
		return 0;
	case 'e':
	case OPT_ENV:
		st->env = arg;
		return 0;
	default:
		st->cli.show_usage = 1;
		return -1;
	}
}

/* -1 to go on, else the exit status. */
static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct status *st = self;

	(void)argv;
	if (st->test + !!st->history + !!st->watch > 1)
		return cw_err_set(err, "--test, --history and --watch go alone");
	/* --test takes alarm names, --history none, the view PATHs. */
	if (st->test ? argc < 1 : st->history && argc > 0) {
		st->cli.show_usage = 1;
		return -1;
	}
	return 0;
}

/* The regions and alarm names of the definition sets: what they show. */
static int load_sets(struct status *st, int argc, char **argv,
	struct cw_err *err)
{
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	const struct cw_alarmdef_item *it;
	size_t i, j, n = 0;
	int rc;

	rc = cw_alarmsets_load(&st->sets, &st->nsets, argv, (size_t)argc,
		st->env ? st->env : "production", &errs, err);
	if (rc == 0 && cw_alarmdef_errors_report(&errs, st->cli.prog, stderr))
		rc = -1;
	cw_alarmdef_errors_release(&errs);
	for (i = 0; rc == 0 && i < st->nsets; i++)
		n += st->sets[i].nitems;
	if (rc == 0 && !(st->names = calloc(n ? n : 1, sizeof(*st->names))))
		rc = cw_err_set(err, "out of memory");
	for (i = 0; rc == 0 && i < st->nsets; i++) {
		for (j = 0; rc == 0 && j < st->sets[i].nitems; j++) {
			it = &st->sets[i].items[j];
			if (it->kind == CW_ALARMDEF_FILTER)
				continue;
			st->names[st->q.nnames++] = it->name;
			if (*it->region)
				rc = add_region(st, it->region, err);
			else
				st->default_region = 1;
		}
	}
	st->q.names = st->names;
	return rc;
}

static int run(struct status *st, int argc, char **argv, struct cw_err *err)
{
	long n;

	if (!st->test && argc > 0) {
		if (load_sets(st, argc, argv, err) < 0)
			return CW_EXIT_ERROR;
		if (!st->q.nnames) {
			/* no alarm defined: none fires */
			cw_cli_empty(&st->cli, STDOUT_FILENO, "no alarm in the "
				"definitions given");
			return CW_EXIT_OK;
		}
	}
	if (!st->nregions || st->default_region) {
		const char *r = cw_cli_region(&st->cli, err);

		if (!r || add_region(st, r, err) < 0)
			return CW_EXIT_ERROR;
	}
	if (cw_cli_regions(&st->cli, &cw_service_monitoring, st->regions,
			st->nregions, st->jobs, err) < 0)
		return CW_EXIT_ERROR;
	if (st->history)
		return history(st, err);
	if (st->test) {
		/* A A would page twice */
		if ((n = cw_alarms_unique_names((const char **)argv,
				(size_t)argc)) < 0)
			return cw_err_set(err, "out of memory"), CW_EXIT_ERROR;
		st->q.names = (const char *const *)argv;
		st->q.nnames = (size_t)n;
		return test_alarms(st, err);
	}
	st->q.children = 1;
	return show(st, err);
}

static void setup_output(struct status *st)
{
	int w;

	setlocale(LC_CTYPE, "");
	st->utf8 = cw_term_utf8();
	st->tty = isatty(STDOUT_FILENO);
	st->color = cw_cli_color(&st->cli, STDOUT_FILENO);
	st->redraw = cw_term_controls(&st->cli.ctx, STDOUT_FILENO);
	w = cw_term_width(STDOUT_FILENO);
	if (st->tty && w && w < CW_TERM_MIN_COLS)
		fprintf(stderr, "cw-alarm-status: terminal: %d columns, fewer "
			"than %d: reasons are not cut\n", w, CW_TERM_MIN_COLS);
	st->width = w >= CW_TERM_MIN_COLS ? w : 0;
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct status *st = self;

	setup_output(st);
	return run(st, argc, argv, err);
}

static void release(void *self)
{
	struct status *st = self;
	size_t i;

	for (i = 0; i < st->nregions; i++)
		cw_alarms_set_release(&st->res[i].set);
	cw_region_release(st->jobs, st->nregions);
	free_keys(st->seen, st->nseen);
	cw_alarmsets_release(st->sets, st->nsets);
	free(st->names);
	cw_buf_release(&st->line);
}

static const struct cmd cmd = {
	"cw-alarm-status", "e:ho:r:", options, usage, parse_opt, operands,
	execute, release
};

int main(int argc, char **argv)
{
	static struct status st;

	cw_buf_init(&st.line, 0);
	st.q.state = "ALARM";
	return cmd_main(&cmd, &st.cli, &st, argc, argv);
}
