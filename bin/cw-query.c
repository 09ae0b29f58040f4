/*
 * cw-query: run CloudWatch Logs Insights queries, from the command line
 * or at a readline prompt.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "awsjson.h"
#include "cancel.h"
#include "cli.h"
#include "exitcodes.h"
#include "insights.h"
#include "insights_manage.h"
#include "sgr.h"
#include "table.h"
#include "term.h"
#include "timespec.h"
#include "vis.h"
#include "cmd.h"
#include "banned.h"

#define QUERY_MAX CW_INSIGHTS_QUERY_MAX	/* characters */
#define LIMIT_MAX 100000		/* rows, with paged results */
/* A server that pages for ever must not keep us reading. */
#define PAGES_MAX 1000			/* GetQueryResults pages of a result */
#define EMPTY_PAGES_MAX 10		/* pages in a row without a row */
#define RESULT_BYTES_MAX ((size_t)256 << 20)	/* of one result kept */
#define SCRIPT_BYTES_MAX ((size_t)1 << 20)	/* -f or stdin */
#define HISTORY_MAX 500
#define HISTORY_BYTES_MAX ((size_t)8 << 20)	/* read of the file */
#define FIELDS_GROUPS_MAX 10	/* groups asked for their fields */
#define POLL_FIRST_MS 250
#define POLL_CAP_MS 5000
#define CLOCK_MS 150		/* the progress line's clock, redrawn */
#define DEFAULT_SINCE "1h"

struct fields_cache {
	char *group;
	char **names;
	size_t n;
};

struct query {
	struct cw_cli cli;
	const char *since, *until;
	char *since_owned, *until_owned;
	char *null_owned;		/* topts.null */
	long limit;
	char **groups;			/* as given, a trailing * allowed */
	size_t ngroups;
	char **resolved;		/* names after * expansion */
	size_t nresolved;
	int have_resolved;
	const char *file;
	const char *text;		/* the query from argv */
	struct cw_table_opts topts;
	int timing, tty_err, interactive;
	int progress;		/* stderr takes a line redrawn in place */
	int x_auto;			/* \x auto */
	int multiline;			/* Enter continues; ';' or an empty
					 * line runs */
	int script;			/* -f or piped: ';' or the end runs */
	int continue_on_error;
	FILE *out;			/* stdout or .output */
	struct cw_client client;
	int have_client;
	struct cw_table last;		/* last results, for .show */
	char *last_query;
	struct fields_cache *fields;
	size_t nfields;
	char *histfile;
	int hist_added;
};

/* ---- interruption: the library's flag (lib/cancel) ---- */

static int terminated;	/* SIGTERM came: the prompt ends too */

/* Forgets a Ctrl-C so the prompt goes on; a SIGTERM is remembered. */
static void clear_interrupt(void)
{
	struct cw_cancel *c = cw_cancel_process();

	if (cw_cancel_requested(c) == SIGTERM)
		terminated = 1;
	cw_cancel_clear(c);
}

/* ---- output helpers ---- */

static char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return (char *)s;
}

/* Server text (error messages, values) goes to a terminal escaped. */
static void say(const struct query *q, const char *prefix, const char *msg)
{
	struct cw_buf b = CW_BUF_INIT;

	/* A backslash is shown as it is: escapes are read, not read back. */
	if (q->tty_err && cw_vis_x(&b, msg, strlen(msg), CW_VIS_LINE
			| CW_VIS_UTF8, 0) >= 0)
		msg = cw_buf_str(&b);
	fprintf(stderr, "cw-query: %s%s\n", prefix, msg);
	cw_buf_release(&b);
}

static void error(const struct query *q, const struct cw_err *err)
{
	say(q, "", err->msg[0] ? err->msg : "unknown error");
}

static void human_bytes(char *buf, size_t size, double n)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int i = 0;

	while (n >= 1024 && i < 4) {
		n /= 1024;
		i++;
	}
	snprintf(buf, size, i ? "%.1f %s" : "%.0f %s", n, unit[i]);
}

/* Why a result has fewer rows than the service had. */
enum { CUT_NONE, CUT_ROWS, CUT_BYTES };

static void stats_line(const struct query *q,
	const struct cw_insights_result *r, size_t rows, int cut, int64_t ms)
{
	char bytes[32];

	human_bytes(bytes, sizeof(bytes), r->bytes);
	if (r->have_stats)
		fprintf(stderr, "%zu row%s; records matched %.0f, scanned "
			"%.0f; %s scanned", rows, rows == 1 ? "" : "s",
			r->matched, r->scanned, bytes);
	else
		fprintf(stderr, "%zu row%s; no statistics in the answer", rows,
			rows == 1 ? "" : "s");
	if (q->timing)
		fprintf(stderr, "; time %.3f s", (double)ms / 1000);
	if (cut == CUT_BYTES)
		fprintf(stderr, " (truncated at %zu MiB of results)",
			RESULT_BYTES_MAX >> 20);
	else if (cut || (q->limit && (long)rows == q->limit))
		fprintf(stderr, " (truncated at %zu%s)", rows,
			q->limit ? "" : ", the most cw-query reads");
	fputc('\n', stderr);
}

static void progress(const struct query *q, const struct cw_insights_result *r,
	int64_t ms)
{
	char bytes[32];

	if (!q->progress)
		return;
	human_bytes(bytes, sizeof(bytes), r ? r->bytes : 0);
	if (r && !r->have_stats)
		fprintf(stderr, CW_TERM_ERASE_LINE "%s: no statistics yet, "
			"%.1f s", r->status, (double)ms / 1000);
	else
		fprintf(stderr, CW_TERM_ERASE_LINE "%s: %.0f records scanned, "
			"%s, %.1f s", r ? r->status : "Starting",
			r ? r->scanned : 0, bytes, (double)ms / 1000);
	fflush(stderr);
}

static void progress_done(const struct query *q)
{
	if (q->progress) {
		fputs(CW_TERM_ERASE_LINE, stderr);
		fflush(stderr);
	}
}

/* ---- the client and the groups, set up when first needed ---- */

static struct cw_client *client(struct query *q, struct cw_err *err)
{
	if (!q->have_client) {
		if (cw_cli_client(&q->cli, &cw_service_logs, NULL,
				&q->client, err) < 0) {
			cw_client_release(&q->client);
			return NULL;
		}
		q->have_client = 1;
	}
	return &q->client;
}

static int64_t now_ms(const struct query *q)
{
	return cw_ctx_now_ms(&q->cli.ctx);
}

static void free_list(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

static int add_name(char ***v, size_t *n, const char *name)
{
	char **nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], name) == 0)
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return -1;
	*v = nv;
	if (!(nv[*n] = strdup(name)))
		return -1;
	(*n)++;
	return 0;
}

struct expand {
	struct query *q;
	size_t count;
};

static int expand_one(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	struct expand *e = arg;

	if (cmd_interrupted())
		return 1;
	/* Stop early: one past the limit is enough to refuse. */
	if (++e->count > CW_INSIGHTS_MAX_GROUPS * 4)
		return 1;
	if (add_name(&e->q->resolved, &e->q->nresolved, g->name) < 0)
		return cw_err_set(err, "out of memory");
	return 0;
}

static int too_many(size_t n, struct cw_err *err)
{
	return cw_err_set(err, "%s%zu log groups: at most %d in one query",
		n > CW_INSIGHTS_MAX_GROUPS * 4 ? "more than " : "",
		n > CW_INSIGHTS_MAX_GROUPS * 4 ? (size_t)CW_INSIGHTS_MAX_GROUPS * 4
		: n, CW_INSIGHTS_MAX_GROUPS);
}

/* Expands GROUP* through DescribeLogGroups, once per set of groups. */
static int resolve_groups(struct query *q, struct cw_err *err)
{
	struct expand e = { q, 0 };
	struct cw_client *c;
	size_t i, len;
	int rc;

	if (q->have_resolved)
		return 0;
	for (i = 0; i < q->ngroups; i++) {
		len = cw_logs_group_len(q->groups[i]);
		if (!cw_logs_group_wild(q->groups[i])) {
			/* An ARN goes without DescribeLogGroups' ":*". */
			char *g = strndup(q->groups[i], len);

			rc = g ? add_name(&q->resolved, &q->nresolved, g) : -1;
			free(g);
			if (rc < 0)
				return cw_err_set(err, "out of memory");
			continue;
		}
		if (!(c = client(q, err)))
			return -1;
		q->groups[i][len - 1] = '\0';
		rc = cw_logs_groups(c, q->groups[i], expand_one, &e, err);
		q->groups[i][len - 1] = '*';
		if (rc < 0)
			return -1;
	}
	if (q->nresolved > CW_INSIGHTS_MAX_GROUPS)
		return too_many(e.count > CW_INSIGHTS_MAX_GROUPS * 4
			? e.count : q->nresolved, err);
	if (q->nresolved == 0 && q->ngroups)
		return cw_err_set(err, "log groups %s: none match",
			q->groups[0]);
	q->have_resolved = 1;
	return 0;
}

static void forget_fields(struct query *q)
{
	size_t i;

	for (i = 0; i < q->nfields; i++) {
		free(q->fields[i].group);
		free_list(q->fields[i].names, q->fields[i].n);
	}
	free(q->fields);
	q->fields = NULL;
	q->nfields = 0;
}

static void forget_groups(struct query *q)
{
	free_list(q->resolved, q->nresolved);
	q->resolved = NULL;
	q->nresolved = 0;
	q->have_resolved = 0;
}

/* ---- running one query ---- */

/* Sleeps ms; 1 when interrupted. */
static int nap(const struct query *q, int64_t ms)
{
	return cw_ctx_sleep_ms(&q->cli.ctx, ms) < 0;
}

/* StartQuery, waiting while the account runs too many queries. 1 when
 * interrupted while waiting. */
static int start(struct query *q, struct cw_client *c,
	const struct cw_insights_query *iq, char *id, size_t size,
	struct cw_err *err)
{
	int64_t wait = 1000;

	for (;;) {
		if (cw_insights_start(c, iq, id, size, err) == 0)
			return 0;
		if (strcmp(err->code, "LimitExceededException") != 0)
			return -1;
		progress_done(q);
		fprintf(stderr, "cw-query: too many queries running in the "
			"account; trying again in %" PRId64 " s\n", wait / 1000);
		if (nap(q, wait))
			return 1;
		cw_err_clear(err);
		wait = wait * 2 > 30000 ? 30000 : wait * 2;
	}
}

/* What one result has taken so far, against its bounds. */
struct fetch {
	size_t max_rows;
	size_t bytes;		/* values and row arrays kept */
	int cut;		/* CUT_*: rows left out */
};

/* Adds rows to t until a bound of f; -1 when out of memory. */
static int fill_table(struct cw_table *t, const cJSON *rows, struct fetch *f)
{
	const cJSON *row, *fl;

	cJSON_ArrayForEach(row, rows) {
		if (t->nrows >= f->max_rows || f->bytes >= RESULT_BYTES_MAX) {
			f->cut = t->nrows >= f->max_rows ? CUT_ROWS : CUT_BYTES;
			return 0;
		}
		if (cw_table_row(t) < 0)
			return -1;
		cJSON_ArrayForEach(fl, row) {
			const char *name = cw_awsjson_str(fl, "field");
			const char *value = cw_awsjson_str(fl, "value");
			long col;

			if (!name || !value)
				continue;
			col = cw_table_col(t, name);
			/* past the column cap: the field is left out */
			if (col < 0 && t->ncols >= CW_TABLE_MAX_COLS)
				continue;
			if (col < 0 || cw_table_set(t, (size_t)col, value) < 0)
				return -1;
			f->bytes += strlen(value) + 1;
		}
		f->bytes += sizeof(*t->rows)
			+ t->rows[t->nrows - 1].n * sizeof(char *);
	}
	return 0;
}

static void term_size(int *rows, int *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

/* A line of b wider than cols, in display columns. */
static int too_wide(const struct cw_buf *b, int cols)
{
	const char *p = cw_buf_str(b), *nl;

	for (; *p; p = nl + 1) {
		if (!(nl = strchr(p, '\n')))
			nl = p + strlen(p) - 1;
		if (cw_vis_cols(p, (size_t)(nl - p)) > (size_t)cols)
			return 1;
	}
	return 0;
}

/* Taller or wider than the screen. */
static int needs_pager(const struct cw_buf *b)
{
	int rows, cols, lines = 0;
	const char *p = cw_buf_str(b), *nl;

	term_size(&rows, &cols);
	if (too_wide(b, cols))
		return 1;
	for (; *p; p = nl + 1, lines++)
		if (!(nl = strchr(p, '\n')))
			nl = p + strlen(p) - 1;
	return lines >= rows - 1;
}

/* \x auto: a table wider than the terminal is shown expanded. */
static int render(struct query *q, struct cw_table_opts *o, struct cw_buf *b)
{
	int rows, cols;

	if (cw_table_render(&q->last, o, b) < 0)
		return -1;
	term_size(&rows, &cols);
	if (!q->x_auto || !o->tty || o->format != CW_TABLE_ALIGNED
			|| o->expanded || !too_wide(b, cols))
		return 0;
	cw_buf_reset(b);
	o->expanded = 1;
	return cw_table_render(&q->last, o, b);
}

static int page(const struct cw_buf *b)
{
	const char *pager = getenv("PAGER");
	FILE *fp;
	int rc;

	if (!pager)
		pager = "less -S";
	if (!*pager)
		return -1;
	fflush(stdout);
	/* The pager handles Ctrl-C itself; the prompt must survive it, and
	 * quitting the pager early must not kill us with SIGPIPE. */
	cw_cancel_child_begin();
	fp = popen(pager, "w");
	if (!fp) {
		cw_cancel_child_end();
		return -1;
	}
	fwrite(b->p, 1, b->len, fp);
	rc = pclose(fp);
	cw_cancel_child_end();
	clear_interrupt();
	return rc == -1 ? -1 : 0;
}

static int print_table(struct query *q)
{
	struct cw_buf b = CW_BUF_INIT;
	struct cw_table_opts o = q->topts;
	int rc;

	o.tty = isatty(fileno(q->out));
	if (strstr(q->last_query, "@ptr") == NULL)
		cw_table_hide(&q->last, "@ptr");
	if (render(q, &o, &b) < 0) {
		cw_buf_release(&b);
		fprintf(stderr, "cw-query: results: out of memory\n");
		return -1;
	}
	if (q->interactive && q->out == stdout && o.tty && needs_pager(&b)
			&& page(&b) == 0)
		rc = 0;
	else
		/* an empty result has no buffer: fwrite must not see NULL */
		rc = (b.len == 0 || fwrite(b.p, 1, b.len, q->out) == b.len)
			&& fflush(q->out) == 0 ? 0 : -1;
	cw_buf_release(&b);
	if (rc < 0)
		fprintf(stderr, "cw-query: output: write failed\n");
	return rc;
}

static int window(struct query *q, struct cw_insights_query *iq,
	struct cw_err *err)
{
	int64_t start, end, now = now_ms(q);

	if (cw_cli_window(q->since, q->until, DEFAULT_SINCE, now,
			&start, &end, err) < 0)
		return -1;
	iq->start_s = start / 1000;
	iq->end_s = (end ? end : now) / 1000;
	return 0;
}

/* Sleeps ms before the next poll; at a terminal the progress line's
 * clock goes on meanwhile, every CLOCK_MS. r: the last answer, empty
 * before the first. 1 when interrupted. */
static int wait_poll(const struct query *q,
	const struct cw_insights_result *r, int64_t t0, int64_t ms)
{
	int64_t end = now_ms(q) + ms, left;

	if (!q->progress)
		return nap(q, ms);
	while ((left = end - now_ms(q)) > 0) {
		if (nap(q, left < CLOCK_MS ? left : CLOCK_MS))
			return 1;
		progress(q, r->status[0] ? r : NULL, now_ms(q) - t0);
	}
	return 0;
}

/* Polls until the query ends; 1 when interrupted (the query stopped). */
static int poll_results(struct query *q, struct cw_client *c, const char *id,
	struct cw_insights_result *r, int64_t t0, struct cw_err *err)
{
	int64_t delay = POLL_FIRST_MS;

	for (;;) {
		if (wait_poll(q, r, t0, delay))
			break;
		cw_insights_result_release(r);
		if (cw_insights_results(c, id, NULL, r, err) < 0) {
			if (cmd_interrupted())
				break;	/* the answer cut short: stop it */
			return -1;
		}
		if (cw_insights_done(r->status))
			return 0;
		progress(q, r, now_ms(q) - t0);
		delay = delay * 2 > POLL_CAP_MS ? POLL_CAP_MS : delay * 2;
	}
	progress_done(q);
	clear_interrupt();
	cw_err_clear(err);
	/* A query left running keeps scanning, and billing. */
	if (cw_insights_stop(c, id, err) < 0)
		return -1;
	fprintf(stderr, "cw-query: query cancelled\n");
	return 1;
}

/* 1 when tok was given before in this result (it would page forever),
 * else remembers it; -1 out of memory. Tokens are kept as FNV-1a hashes. */
static int token_seen(uint64_t **seen, size_t *n, const char *tok)
{
	uint64_t h = 14695981039346656037ULL, *p;
	size_t i;

	for (; *tok; tok++)
		h = (h ^ (unsigned char)*tok) * 1099511628211ULL;
	for (i = 0; i < *n; i++)
		if ((*seen)[i] == h)
			return 1;
	if (!(p = realloc(*seen, (*n + 1) * sizeof(*p))))
		return -1;
	*seen = p;
	p[(*n)++] = h;
	return 0;
}

/* Reads one more page into q->last; the number of rows it brought. */
static long one_page(struct query *q, struct cw_client *c, const char *id,
	char **next, struct fetch *f, struct cw_err *err)
{
	struct cw_insights_result page = { 0 };
	long rc = cw_insights_results(c, id, *next, &page, err);

	free(*next);
	*next = NULL;
	if (rc == 0 && fill_table(&q->last, page.rows, f) < 0)
		rc = cw_err_set(err, "results: out of memory");
	if (rc == 0 && page.next && !(*next = strdup(page.next)))
		rc = cw_err_set(err, "results: out of memory");
	if (rc == 0)
		rc = cJSON_GetArraySize(page.rows);
	cw_insights_result_release(&page);
	return rc;
}

/* The newer API pages a large Complete result: read until a bound of
 * f, or a bound on the pages themselves, so that a server that sends
 * new tokens for ever stops. r keeps the first page's statistics. */
static int more_pages(struct query *q, struct cw_client *c, const char *id,
	const struct cw_insights_result *r, struct fetch *f,
	struct cw_err *err)
{
	char *next = r->next ? strdup(r->next) : NULL;
	uint64_t *seen = NULL;
	size_t nseen = 0, pages = 1, empty = 0;
	long rc = 0;
	int dup;

	while (next && rc >= 0 && !f->cut && !cmd_interrupted()) {
		if (q->last.nrows >= f->max_rows) {
			f->cut = CUT_ROWS;	/* the rest is not asked for */
			break;
		}
		if (++pages > PAGES_MAX || empty >= EMPTY_PAGES_MAX) {
			rc = empty >= EMPTY_PAGES_MAX
				? cw_err_set(err, "GetQueryResults: %d empty "
				"pages in a row, still with a nextToken: "
				"stopped", EMPTY_PAGES_MAX)
				: cw_err_set(err, "GetQueryResults: still a "
				"nextToken after %d pages: stopped", PAGES_MAX);
			break;
		}
		if ((dup = token_seen(&seen, &nseen, next)) != 0) {
			rc = dup < 0 ? cw_err_set(err, "results: out of memory")
				: cw_err_set(err, "GetQueryResults: page %zu "
				"repeats an earlier nextToken: stopped instead "
				"of looping", pages);
			break;
		}
		rc = one_page(q, c, id, &next, f, err);
		empty = rc == 0 ? empty + 1 : 0;
	}
	free(next);
	free(seen);
	return rc < 0 ? -1 : 0;
}

/* Reads and prints a Complete result; the rows read before a paging
 * error are printed before it. */
static int finish(struct query *q, struct cw_client *c, const char *id,
	struct cw_insights_result *r, int64_t t0, struct cw_err *err)
{
	struct fetch f = { q->limit ? (size_t)q->limit : LIMIT_MAX, 0, 0 };
	int rc;

	progress_done(q);
	if (strcmp(r->status, "Complete") != 0) {
		char bytes[32];

		human_bytes(bytes, sizeof(bytes), r->bytes);
		if (!r->have_stats)
			return cw_err_set(err, "query %s (no statistics in the "
				"answer)", r->status);
		return cw_err_set(err, "query %s (records scanned %.0f, %s "
			"scanned)", r->status, r->scanned, bytes);
	}
	cw_table_release(&q->last);
	if (fill_table(&q->last, r->rows, &f) < 0)
		return cw_err_set(err, "results: out of memory");
	rc = more_pages(q, c, id, r, &f, err);
	if ((rc == 0 || q->last.nrows) && print_table(q) < 0)
		return -2;
	if (rc < 0)
		return -1;
	stats_line(q, r, q->last.nrows, f.cut, now_ms(q) - t0);
	return 0;
}

/* The line of text that holds character offset at, and a caret under
 * that character, as psql shows a syntax error. */
static void caret(const char *text, long at)
{
	struct cw_buf line = CW_BUF_INIT, before = CW_BUF_INIT;
	const char *p = text, *start = text, *here = NULL;
	size_t n, len = strlen(text), lineno = 1;
	uint32_t cp;
	long i;

	for (i = 0; *p; i++) {
		if (i == at)
			here = p;
		if (*p == '\n' && !here) {
			start = p + 1;
			lineno++;
		}
		n = cw_vis_utf8(p, len - (size_t)(p - text), &cp);
		p += n ? n : 1;
	}
	if (i == at)
		here = p;	/* the end: "expected ..." */
	if (!here)
		return;
	n = strcspn(here, "\n");
	cw_buf_addf(&before, "LINE %zu: ", lineno);
	cw_buf_add(&line, before.p, before.len);
	cw_vis_x(&before, start, (size_t)(here - start), CW_VIS_LINE
		| CW_VIS_UTF8, 0);
	cw_vis_x(&line, start, (size_t)(here + n - start), CW_VIS_LINE
		| CW_VIS_UTF8, 0);
	if (line.p && before.p)
		fprintf(stderr, "%s\n%*s^\n", line.p,
			(int)cw_vis_cols(before.p, before.len), "");
	cw_buf_release(&line);
	cw_buf_release(&before);
}

/* Runs text; the exit status it deserves. */
static int run_query(struct query *q, const char *text)
{
	struct cw_insights_query iq = { 0 };
	struct cw_insights_result r = { 0 };
	struct cw_client *c;
	struct cw_err err;
	char id[300];
	int64_t t0 = now_ms(q);
	int rc, source = cw_insights_has_source(text);

	cw_err_clear(&err);
	free(q->last_query);
	if (!(q->last_query = strdup(text)))
		return CW_EXIT_ERROR;
	if (cw_insights_query_chars(text) > QUERY_MAX) {
		cw_err_set(&err, "query: %zu characters, at most %d",
			cw_insights_query_chars(text), QUERY_MAX);
		goto fail;
	}
	if (!q->ngroups && !source) {
		cw_err_set(&err, "no log groups: give -g GROUP (.groups at "
			"the prompt), or start the query with SOURCE");
		goto fail;
	}
	if (source && q->ngroups)
		fprintf(stderr, "cw-query: the query's SOURCE picks its log "
			"groups; the %zu given are not sent\n", q->ngroups);
	iq.query = text;
	iq.limit = q->limit;
	if (window(q, &iq, &err) < 0 || !(c = client(q, &err))
			|| (!source && resolve_groups(q, &err) < 0))
		goto fail;
	if (cmd_interrupted()) {
		/* stopped while expanding GROUP*: the list may be partial */
		forget_groups(q);
		clear_interrupt();
		return CW_EXIT_INTERRUPTED;
	}
	iq.groups = (const char *const *)q->resolved;
	iq.ngroups = source ? 0 : q->nresolved;
	progress(q, NULL, 0);
	rc = start(q, c, &iq, id, sizeof(id), &err);
	if (rc == 0)
		rc = poll_results(q, c, id, &r, t0, &err);
	if (rc == 0)
		rc = finish(q, c, id, &r, t0, &err);
	cw_insights_result_release(&r);
	if (rc == 1) {
		progress_done(q);
		clear_interrupt();
		return CW_EXIT_INTERRUPTED;
	}
	if (rc == 0)
		return CW_EXIT_OK;
	if (rc == -2)
		return CW_EXIT_ERROR;
fail:
	progress_done(q);
	if (cmd_interrupted()) {
		/* a request cut short: the group list may be partial */
		forget_groups(q);
		clear_interrupt();
		return CW_EXIT_INTERRUPTED;
	}
	error(q, &err);
	if (err.at && strcmp(err.code, "MalformedQueryException") == 0)
		caret(text, err.at - 1);
	return CW_EXIT_ERROR;
}

/* ---- scripted mode ---- */

static char *read_all(FILE *fp, const char *what, struct cw_err *err)
{
	struct cw_buf b = CW_BUF_INIT;
	char chunk[4096];
	size_t n;

	cw_buf_init(&b, SCRIPT_BYTES_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (cw_buf_add(&b, chunk, n) < 0) {
			cw_buf_release(&b);
			cw_err_set(err, "%s: longer than %zu MiB", what,
				SCRIPT_BYTES_MAX >> 20);
			return NULL;
		}
	if (ferror(fp)) {
		cw_buf_release(&b);
		cw_err_set(err, "%s: %s", what, strerror(errno));
		return NULL;
	}
	while (b.len && strchr("\n\r \t", b.p[b.len - 1]))
		b.p[--b.len] = '\0';
	if (b.len == 0) {
		cw_buf_release(&b);
		cw_err_set(err, "%s: empty query", what);
		return NULL;
	}
	return cw_buf_detach(&b, NULL);
}

static char *query_text(struct query *q, struct cw_err *err)
{
	FILE *fp;
	char *s;

	if (q->text)
		return strdup(q->text);
	if (!q->file || strcmp(q->file, "-") == 0)
		return read_all(stdin, "stdin", err);
	if (!(fp = fopen(q->file, "r"))) {
		cw_err_set(err, "%s: %s", q->file, strerror(errno));
		return NULL;
	}
	s = read_all(fp, q->file, err);
	fclose(fp);
	return s;
}

/* ---- interactive mode ---- */

static struct query *the_query;		/* for readline's callbacks */
static char *pending_line;
static int line_ready, line_eof;
static char *prefill;			/* text for the next prompt */

static int set_owned(char **owned, const char **ptr, const char *v)
{
	char *s = v ? strdup(v) : NULL;

	if (v && !s)
		return -1;
	free(*owned);
	*owned = s;
	*ptr = s;
	return 0;
}

static void prompt_text(const struct query *q, char *buf, size_t size,
	int cont)
{
	char groups[80];

	if (cont) {
		snprintf(buf, size, "...> ");
		return;
	}
	if (q->ngroups == 0)
		snprintf(groups, sizeof(groups), "no groups");
	else if (q->ngroups == 1)
		snprintf(groups, sizeof(groups), "%.60s", q->groups[0]);
	else
		snprintf(groups, sizeof(groups), "%.50s +%zu", q->groups[0],
			q->ngroups - 1);
	snprintf(buf, size, "cw-query [%s %s..%s]> ", groups,
		q->since ? q->since : DEFAULT_SINCE,
		q->until ? q->until : "now");
}

static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	struct cw_buf b = CW_BUF_INIT;
	char *slash;

	if (getenv("CWQUERY_HISTFILE"))
		return strdup(getenv("CWQUERY_HISTFILE"));
	/* The spec: a relative path in an XDG variable is ignored. */
	if (state && *state == '/')
		cw_buf_addf(&b, "%s/cwkit/query_history", state);
	else if (home && *home)
		cw_buf_addf(&b, "%s/.local/state/cwkit/query_history", home);
	else
		return NULL;
	if (!b.p)
		return NULL;
	slash = strrchr(b.p, '/');
	*slash = '\0';
	/* mkdir -p, private: queries may hold secrets in their filters. */
	for (char *p = b.p + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(b.p, 0700);
			*p = '/';
		}
	mkdir(b.p, 0700);
	*slash = '/';
	return cw_buf_detach(&b, NULL);
}

/* Opens the history file to read and write, refusing what another user
 * could have put in our way: their symbolic link (ours is followed: a
 * history kept elsewhere on purpose), or a file that is not a regular
 * file of ours. The file is made private. -1 with *why set, or with
 * *why NULL when the file does not exist and create is 0. */
static int history_open(const char *path, int create, const char **why)
{
	struct stat ln, st;
	int link, fd;

	*why = NULL;
	link = lstat(path, &ln) == 0 && S_ISLNK(ln.st_mode);
	if (link && ln.st_uid != geteuid()) {
		*why = "a symbolic link owned by another user";
		return -1;
	}
	fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK
		| (create ? O_CREAT : 0) | (link ? 0 : O_NOFOLLOW), 0600);
	if (fd < 0) {
		if (create || errno != ENOENT)
			*why = errno == ELOOP ? "replaced while it was opened"
				: strerror(errno);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		*why = "not a regular file";
	else if (st.st_uid != geteuid())
		*why = "a file owned by another user";
	/* the link we followed is still ours */
	else if (link && (lstat(path, &ln) < 0 || !S_ISLNK(ln.st_mode)
			|| ln.st_uid != geteuid()))
		*why = "replaced while it was opened";
	else if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0)
		*why = strerror(errno);
	else
		return fd;
	close(fd);
	return -1;
}

static void history_warn(struct query *q, const char *why, const char *what)
{
	struct cw_buf b = CW_BUF_INIT;

	cw_buf_addf(&b, "%s: %s: %s", q->histfile, why, what);
	say(q, "history file ", cw_buf_str(&b));
	cw_buf_release(&b);
}

/* The file from its first whole line within its last HISTORY_BYTES_MAX
 * bytes. */
static int history_read(int fd, struct cw_buf *b)
{
	char chunk[65536], *nl;
	struct stat st;
	off_t from = 0;
	ssize_t n;

	cw_buf_init(b, HISTORY_BYTES_MAX + 1);
	if (fstat(fd, &st) == 0 && (size_t)st.st_size > HISTORY_BYTES_MAX)
		from = st.st_size - (off_t)HISTORY_BYTES_MAX;
	if (lseek(fd, from, SEEK_SET) < 0)
		return -1;
	/* one that grows meanwhile is read as far as the cap */
	do
		n = read(fd, chunk, sizeof(chunk));
	while ((n > 0 && cw_buf_add(b, chunk, (size_t)n) == 0)
		|| (n < 0 && errno == EINTR));
	if (n < 0)
		return -1;
	if (from && (nl = memchr(b->p, '\n', b->len))) {
		b->len -= (size_t)(nl + 1 - b->p);
		memmove(b->p, nl + 1, b->len + 1);
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	for (; n; p += w, n -= (size_t)w)
		if ((w = write(fd, p, n)) < 0 && errno != EINTR)
			return -1;
		else if (w < 0)
			w = 0;
	return 0;
}

/* Whether text repeats the newest history entry. */
static int same_as_last(const char *text)
{
	HIST_ENTRY *h = history_length ? history_get(history_base
		+ history_length - 1) : NULL;

	return h && strcmp(h->line, text) == 0;
}

/* One history entry per query; on disk a newline is \x01, as psql does. */
static void history_load(struct query *q)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *why;
	char *line, *nl;
	int fd;

	using_history();
	stifle_history(HISTORY_MAX);
	if (!(q->histfile = history_path()))
		return;
	if ((fd = history_open(q->histfile, 0, &why)) < 0) {
		if (why) {
			history_warn(q, why, "history not read or saved");
			free(q->histfile);
			q->histfile = NULL;
		}
		return;
	}
	if (history_read(fd, &b) == 0 && b.p)
		for (line = b.p; *line; line = nl + 1) {
			if (!(nl = strchr(line, '\n')))
				nl = line + strlen(line) - 1;
			else
				*nl = '\0';
			for (char *p = line; *p; p++)
				if (*p == '\x01')
					*p = '\n';
			/* two sessions that ran the same query: once */
			if (*line && !same_as_last(line))
				add_history(line);
		}
	close(fd);
	cw_buf_release(&b);
}

/* Where the last n lines of b start; 0 when b has no more than n. */
static size_t history_tail(const struct cw_buf *b, size_t n)
{
	size_t i = b->len;

	while (i > 0 && n)
		if (b->p[--i] == '\n' && i + 1 < b->len)
			n--;
	return n ? 0 : i + 1;
}

/* Appends this session's queries; past HISTORY_MAX entries the file is
 * written again with the last ones. Two sessions that end together
 * take turns. */
static void history_save(struct query *q)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *why;
	size_t old, keep;
	int fd, i, rc;

	if (!q->histfile || q->hist_added == 0)
		return;
	if ((fd = history_open(q->histfile, 1, &why)) < 0) {
		history_warn(q, why, "history not saved");
		return;
	}
	(void)flock(fd, LOCK_EX);	/* where there are locks */
	errno = 0;
	rc = history_read(fd, &b);
	b.max = CW_BUF_MAX_DEFAULT;	/* room for this session's */
	old = b.len;
	if (rc == 0 && b.len && b.p[b.len - 1] != '\n')
		rc = cw_buf_addc(&b, '\n');
	for (i = q->hist_added < history_length ? history_length
			- q->hist_added : 0; rc == 0 && i < history_length; i++) {
		HIST_ENTRY *h = history_get(history_base + i);

		for (const char *p = h ? h->line : ""; rc == 0 && *p; p++)
			rc = cw_buf_addc(&b, *p == '\n' ? '\x01' : *p);
		if (rc == 0)
			rc = cw_buf_addc(&b, '\n');
	}
	keep = history_tail(&b, HISTORY_MAX);
	if (rc == 0 && keep == 0)
		rc = lseek(fd, 0, SEEK_END) < 0 || write_all(fd, b.p + old,
			b.len - old) < 0 ? -1 : 0;
	else if (rc == 0)
		rc = ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0
			|| write_all(fd, b.p + keep, b.len - keep) < 0 ? -1 : 0;
	if (rc < 0)
		history_warn(q, errno ? strerror(errno) : "out of memory",
			"history not saved");
	close(fd);
	cw_buf_release(&b);
}

static void remember(struct query *q, const char *text)
{
	if (*text == ' ' || same_as_last(text))
		return;
	add_history(text);
	q->hist_added++;
}

static const char help_text[] =
	"A query runs at Enter, unless its line ends in '|'; with .multiline\n"
	"on, at a ';' or an empty line. A trailing ';' is not sent.\n"
	".groups [GROUP...]      show or set the log groups (GROUP* expands)\n"
	".since [TIME]           show or set the start (default 1h)\n"
	".until [TIME|now]       show or set the end\n"
	".format table|tsv|json|csv\n"
	".limit [N|off]          rows per query\n"
	".x [on|off|auto]        one field per line (auto: when too wide)\n"
	".timing [on|off]        time each query\n"
	".multiline [on|off]     Enter continues a query\n"
	".null [STRING|'']       what a missing field shows\n"
	".edit                   the last query in $EDITOR\n"
	".output [FILE]          results to FILE, or back to stdout\n"
	".saved [NAME]           list saved queries, or load one\n"
	".save NAME              save the last query, with the groups\n"
	".unsave NAME            delete a saved query\n"
	".running [stop all|ID]  the account's running queries, or stop them\n"
	".refresh                read GROUP* and the fields again\n"
	".show N                 the whole event of result row N\n"
	".history                the query history\n"
	".help, .quit            (also help, quit, exit)\n"
	"psql's \\q \\x \\timing \\? \\e \\o \\s, and \\NAME for .NAME.\n";

static int on_off(const char *arg, int cur)
{
	if (!arg)
		return !cur;
	return strcmp(arg, "on") == 0 || strcmp(arg, "1") == 0;
}

static int cmd_groups(struct query *q, char **argv, int argc)
{
	size_t i;

	if (argc == 0) {
		for (i = 0; i < q->ngroups; i++)
			say(q, "group ", q->groups[i]);
		if (!q->ngroups)
			fprintf(stderr, "cw-query: no log groups\n");
		return 0;
	}
	if (argc > CW_INSIGHTS_MAX_GROUPS) {
		fprintf(stderr, "cw-query: %d log groups: at most %d in one "
			"query\n", argc, CW_INSIGHTS_MAX_GROUPS);
		return -1;
	}
	free_list(q->groups, q->ngroups);
	q->groups = NULL;
	q->ngroups = 0;
	forget_groups(q);
	for (i = 0; i < (size_t)argc; i++)
		if (add_name(&q->groups, &q->ngroups, argv[i]) < 0) {
			fprintf(stderr, "cw-query: out of memory\n");
			return -1;
		}
	return 0;
}

static int cmd_time(struct query *q, const char *what, const char *arg,
	char **owned, const char **ptr)
{
	struct cw_err err;
	int64_t t;

	cw_err_clear(&err);
	if (!arg) {
		fprintf(stderr, "%s %s\n", what, *ptr ? *ptr
			: strcmp(what, "since") == 0 ? DEFAULT_SINCE : "now");
		return 0;
	}
	if (strcmp(arg, "now") == 0 && strcmp(what, "until") == 0)
		arg = NULL;
	else if (cw_timespec_parse(arg, now_ms(q), &t, &err) < 0) {
		say(q, what[0] == 's' ? "since: " : "until: ", err.msg);
		return -1;
	}
	return set_owned(owned, ptr, arg);
}

static int cmd_output(struct query *q, const char *arg)
{
	FILE *fp = stdout;

	if (arg && !(fp = fopen(arg, "w"))) {
		fprintf(stderr, "cw-query: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (q->out != stdout)
		fclose(q->out);
	q->out = fp;
	return 0;
}

static int cmd_show(struct query *q, const char *arg)
{
	struct cw_table t;
	struct cw_table_opts o = { CW_TABLE_ALIGNED, 1, 1, 0, 0, NULL };
	struct cw_buf b = CW_BUF_INIT;
	struct cw_client *c;
	struct cw_err err;
	const cJSON *f;
	cJSON *rec = NULL;
	const char *ptr;
	char *end;
	long n = arg ? strtol(arg, &end, 10) : 0;

	cw_err_clear(&err);
	if (!arg || *end || n < 1 || (size_t)n > q->last.nrows) {
		fprintf(stderr, "cw-query: .show N: a row of the last result, "
			"1 to %zu\n", q->last.nrows);
		return -1;
	}
	if (!(ptr = cw_table_get(&q->last, (size_t)n - 1, "@ptr"))) {
		fprintf(stderr, "cw-query: row %ld has no @ptr (stats rows "
			"point at no event)\n", n);
		return -1;
	}
	if (!(c = client(q, &err)) || cw_insights_record(c, ptr, &rec,
			&err) < 0) {
		error(q, &err);
		return -1;
	}
	cw_table_init(&t);
	cw_table_row(&t);
	cJSON_ArrayForEach(f, rec) {
		long col = cJSON_IsString(f) ? cw_table_col(&t, f->string) : -1;

		if (col >= 0)
			cw_table_set(&t, (size_t)col, f->valuestring);
	}
	o.tty = isatty(fileno(q->out));
	o.format = q->topts.format == CW_TABLE_JSON ? CW_TABLE_JSON
		: CW_TABLE_ALIGNED;
	if (cw_table_render(&t, &o, &b) == 0 && b.len)
		fwrite(b.p, 1, b.len, q->out);
	fflush(q->out);
	cw_buf_release(&b);
	cw_table_release(&t);
	cJSON_Delete(rec);
	return 0;
}

struct saved {
	struct query *q;
	const char *want;	/* load this one; NULL: list */
	char *id;		/* found: its id */
	int n;
	char **groups;		/* found: its log groups */
	size_t ngroups;
};

static int saved_one(void *arg, const struct cw_insights_def *d)
{
	struct saved *s = arg;
	struct cw_buf b = CW_BUF_INIT;
	const cJSON *g;

	s->n++;
	if (s->want) {
		if (strcmp(d->name, s->want) != 0)
			return 0;
		free(s->id);
		s->id = strdup(d->id);
		free(prefill);
		prefill = strdup(d->query);
		cJSON_ArrayForEach(g, d->groups)
			if (cJSON_IsString(g) && *g->valuestring
					&& s->ngroups < CW_INSIGHTS_MAX_GROUPS
					&& add_name(&s->groups, &s->ngroups,
						g->valuestring) < 0)
				return -1;
		return 1;
	}
	cw_buf_adds(&b, d->name);
	cw_buf_adds(&b, "\n    ");
	for (const char *p = d->query; *p; p++)
		cw_buf_add(&b, *p == '\n' ? "\n    " : p, *p == '\n' ? 5 : 1);
	cw_buf_addc(&b, '\n');
	if (b.p && isatty(STDOUT_FILENO)) {
		struct cw_buf e = CW_BUF_INIT;

		/* keep the layout's newlines, escape the rest */
		for (char *line = b.p, *nl; line && *line; line = nl) {
			nl = strchr(line, '\n');
			cw_vis_x(&e, line, nl ? (size_t)(nl - line)
				: strlen(line), CW_VIS_ALL, 0);
			cw_buf_addc(&e, '\n');
			if (nl)
				nl++;
		}
		fputs(cw_buf_str(&e), stdout);
		cw_buf_release(&e);
	} else
		fputs(cw_buf_str(&b), stdout);
	cw_buf_release(&b);
	return 0;
}

/* The saved query's groups become the session's; a query saved
 * without groups leaves them as they are. */
static void restore_groups(struct query *q, struct saved *s)
{
	size_t i;

	if (!s->ngroups)
		return;
	free_list(q->groups, q->ngroups);
	q->groups = s->groups;
	q->ngroups = s->ngroups;
	s->groups = NULL;
	s->ngroups = 0;
	forget_groups(q);
	for (i = 0; i < q->ngroups; i++)
		say(q, "group ", q->groups[i]);
}

static int cmd_saved(struct query *q, const char *name)
{
	struct saved s = { q, name, NULL, 0, NULL, 0 };
	struct cw_client *c;
	struct cw_err err;
	int rc = -1;

	cw_err_clear(&err);
	if (!(c = client(q, &err)) || cw_insights_defs(c, name, saved_one, &s,
			&err) < 0)
		error(q, &err);
	else if (name && !s.id)
		fprintf(stderr, "cw-query: no saved query named %s\n", name);
	else if (!name && !s.n)
		fprintf(stderr, "cw-query: no saved queries\n");
	else {
		restore_groups(q, &s);
		rc = 0;
	}
	fflush(stdout);
	free(s.id);
	free_list(s.groups, s.ngroups);
	return rc;
}

/* The groups to save: the service takes plain names only, so GROUP* is
 * expanded and an ARN becomes its name. */
static int saved_names(struct query *q, char ***names, size_t *n,
	struct cw_err *err)
{
	char buf[600];
	const char *g;
	size_t i;

	if (q->ngroups && resolve_groups(q, err) < 0)
		return -1;
	for (i = 0; i < q->nresolved; i++) {
		g = q->resolved[i];
		if (cw_insights_arn_name(g, buf, sizeof(buf)) == 0)
			g = buf;
		if (!cw_insights_plain_name(g))
			return cw_err_set(err, "log group %.512s: not a name a "
				"saved query can hold", g);
		if (add_name(names, n, g) < 0)
			return cw_err_set(err, "out of memory");
	}
	return 0;
}

static int cmd_unsave(struct query *q, const char *name)
{
	struct saved s = { q, name, NULL, 0, NULL, 0 };
	struct cw_client *c;
	struct cw_err err;
	char *keep = prefill;
	int rc = -1;

	cw_err_clear(&err);
	if (!name) {
		fprintf(stderr, "cw-query: .unsave NAME deletes a saved "
			"query\n");
		return -1;
	}
	prefill = NULL;
	if (!(c = client(q, &err)) || cw_insights_defs(c, name, saved_one, &s,
			&err) < 0)
		error(q, &err);
	else if (!s.id)
		fprintf(stderr, "cw-query: no saved query named %s\n", name);
	else if (cw_insights_unsave(c, s.id, &err) < 0)
		error(q, &err);
	else {
		fprintf(stderr, "cw-query: deleted %s\n", name);
		rc = 0;
	}
	free(prefill);
	prefill = keep;
	free(s.id);
	free_list(s.groups, s.ngroups);
	return rc;
}

static int cmd_save(struct query *q, const char *name)
{
	struct saved s = { q, name, NULL, 0, NULL, 0 };
	struct cw_client *c;
	struct cw_err err;
	char *keep = prefill, **names = NULL;
	size_t nnames = 0;
	int rc = -1;

	cw_err_clear(&err);
	if (!name || !q->last_query) {
		fprintf(stderr, "cw-query: .save NAME saves the last query\n");
		return -1;
	}
	prefill = NULL;
	/* Same name: replace that definition rather than add a twin. */
	if (!(c = client(q, &err)) || saved_names(q, &names, &nnames, &err) < 0
			|| cw_insights_defs(c, name, saved_one, &s, &err) < 0
			|| cw_insights_save(c, s.id, name, q->last_query,
			(const char *const *)names, nnames, &err) < 0)
		error(q, &err);
	else {
		fprintf(stderr, "cw-query: saved as %s\n", name);
		rc = 0;
	}
	free(prefill);
	prefill = keep;
	free(s.id);
	free_list(s.groups, s.ngroups);
	free_list(names, nnames);
	return rc;
}

/* The newest query of the history, not a command: what .edit opens in
 * a session that has run none yet. */
static const char *last_history_query(void)
{
	int i;

	for (i = history_length - 1; i >= 0; i--) {
		HIST_ENTRY *h = history_get(history_base + i);
		const char *s = h ? skip_blanks(h->line) : "";

		if (*s && *s != '.' && *s != '\\')
			return h->line;
	}
	return NULL;
}

static void cmd_edit(struct query *q)
{
	char path[] = "/tmp/cw-query.XXXXXX";
	const char *editor = getenv("VISUAL"), *text;
	struct cw_err err;
	FILE *fp;
	int fd, status;
	pid_t pid;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = "vi";
	if ((fd = mkstemp(path)) < 0) {
		fprintf(stderr, "cw-query: .edit: %s\n", strerror(errno));
		return;
	}
	if ((text = q->last_query ? q->last_query : last_history_query()))
		(void)!write(fd, text, strlen(text));
	(void)!write(fd, "\n", 1);
	close(fd);
	if ((pid = fork()) == 0) {
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path,
			(char *)NULL);
		_exit(127);
	}
	cw_cancel_child_begin();
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	cw_cancel_child_end();
	cw_err_clear(&err);
	if ((fp = fopen(path, "r"))) {
		free(prefill);
		prefill = read_all(fp, ".edit", &err);
		fclose(fp);
	}
	unlink(path);
}

static void cmd_history(void)
{
	struct cw_buf b = CW_BUF_INIT;
	int i;

	for (i = 0; i < history_length; i++) {
		HIST_ENTRY *h = history_get(history_base + i);

		if (!h)
			continue;
		cw_buf_reset(&b);
		cw_vis_x(&b, h->line, strlen(h->line), CW_VIS_ALL, 0);
		printf("%5d  %s\n", i + 1, cw_buf_str(&b));
	}
	cw_buf_release(&b);
	fflush(stdout);
}

/* Splits a meta-command line into words in place. */
static int split(char *line, char **argv, int max)
{
	int n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(line, " \t", &save); w && n < max;
			w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	return n;
}

struct running {
	struct query *q;
	struct cw_client *c;
	int stop;		/* each one listed is stopped */
	int n, failed;
};

/* One query of the account, on one line: id, status, age, group, the
 * start of its text. */
static int running_one(void *arg, const struct cw_insights_info *i)
{
	struct running *r = arg;
	struct cw_buf b = CW_BUF_INIT, line = CW_BUF_INIT;
	struct cw_err err;
	char age[16] = "?";

	r->n++;
	if (i->created_ms)
		cw_term_age(age, sizeof(age), now_ms(r->q) - i->created_ms);
	cw_buf_addf(&b, "%s  %s  %s  %s  %s", i->id, i->status, age,
		*i->group ? i->group : "-", i->query);
	/* server text, escaped on one line */
	cw_vis_line(&line, cw_buf_str(&b), 160, cw_term_utf8());
	printf("%s\n", cw_buf_str(&line));
	fflush(stdout);
	cw_buf_release(&b);
	cw_buf_release(&line);
	cw_err_clear(&err);
	if (!r->stop)
		return 0;
	if (cw_insights_stop(r->c, i->id, &err) < 0) {
		error(r->q, &err);
		r->failed = 1;
	} else
		say(r->q, "stopped ", i->id);
	return 0;
}

/* DescribeQueries: the account's Scheduled and Running queries (anyone's,
 * dashboards' too); "stop all" stops them, "stop ID..." those. */
static int cmd_running(struct query *q, char **argv, int argc)
{
	static const char *const live[] = { "Scheduled", "Running" };
	struct running r = { q, NULL, 0, 0, 0 };
	struct cw_err err;
	int i;

	cw_err_clear(&err);
	if (argc && (strcmp(argv[0], "stop") || argc < 2)) {
		fprintf(stderr, "cw-query: .running [stop all|stop ID...]\n");
		return -1;
	}
	if (!(r.c = client(q, &err))) {
		error(q, &err);
		return -1;
	}
	if (argc && strcmp(argv[1], "all") != 0) {
		for (i = 1; i < argc; i++)
			if (cw_insights_stop(r.c, argv[i], &err) < 0) {
				error(q, &err);
				r.failed = 1;
			} else
				say(q, "stopped ", argv[i]);
		return r.failed ? -1 : 0;
	}
	r.stop = argc > 0;
	for (i = 0; i < 2; i++)
		if (cw_insights_queries(r.c, live[i], running_one, &r,
				&err) < 0) {
			error(q, &err);
			return -1;
		}
	if (!r.n)
		fprintf(stderr, "cw-query: no query running in the account\n");
	return r.failed ? -1 : 0;
}

/* GROUP* and the fields of the groups are read again at the next need. */
static int cmd_refresh(struct query *q)
{
	forget_groups(q);
	forget_fields(q);
	fprintf(stderr, "cw-query: log groups and fields are read again "
		"when next needed\n");
	return 0;
}

/* psql's backslash commands, as the dot-commands they are. */
static const char *const aliases[][2] = {
	{ "\\q", ".quit" }, { "\\x", ".x" }, { "\\timing", ".timing" },
	{ "\\?", ".help" }, { "\\h", ".help" }, { "\\e", ".edit" },
	{ "\\o", ".output" }, { "\\s", ".history" },
};

/* The dot-command for cmd: an alias, or \NAME read as .NAME. */
static const char *command_name(const char *cmd, char *buf, size_t size)
{
	size_t i;

	if (cmd[0] != '\\')
		return cmd;
	for (i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
		if (strcmp(cmd, aliases[i][0]) == 0)
			return aliases[i][1];
	snprintf(buf, size, ".%s", cmd + 1);
	return buf;
}

static int cmd_format(struct query *q, const char *arg)
{
	struct cw_err err;

	cw_err_clear(&err);
	if (arg && cw_table_parse_format(arg, &q->topts.format, &err) < 0) {
		error(q, &err);
		return -1;
	}
	fprintf(stderr, "format %s\n", cw_table_format_name(q->topts.format));
	return 0;
}

static int cmd_limit(struct query *q, const char *arg)
{
	struct cw_err err;
	long n = 0;

	cw_err_clear(&err);
	if (!arg)
		fprintf(stderr, "limit %ld\n", q->limit);
	else if (strcmp(arg, "off") == 0)
		q->limit = 0;
	else if (cw_cli_count(".limit", arg, &n, &err) < 0 || n > LIMIT_MAX) {
		if (n > LIMIT_MAX)
			cw_err_set(&err, ".limit %ld: at most %d", n, LIMIT_MAX);
		error(q, &err);
		return -1;
	} else
		q->limit = n;
	return 0;
}

/* psql's \pset null: what a missing field shows; '' for none. */
static int cmd_null(struct query *q, const char *arg)
{
	if (arg && (!strcmp(arg, "''") || !strcmp(arg, "\"\"")))
		arg = NULL;
	else if (!arg) {
		fprintf(stderr, "null display is \"%s\"\n",
			q->topts.null ? q->topts.null : "");
		return 0;
	}
	if (set_owned(&q->null_owned, &q->topts.null, arg) < 0)
		return -1;
	fprintf(stderr, "null display is \"%s\"\n",
		q->topts.null ? q->topts.null : "");
	return 0;
}

static int cmd_switch(const char *what, const char *arg, int *flag)
{
	if (arg && strcmp(arg, "on") && strcmp(arg, "off") && strcmp(arg, "1")
			&& strcmp(arg, "0")) {
		fprintf(stderr, "cw-query: %s: on or off, not %.40s\n", what,
			arg);
		return -1;
	}
	*flag = on_off(arg, *flag);
	fprintf(stderr, "%s %s\n", what, *flag ? "on" : "off");
	return 0;
}

/* psql's \x [on|off|auto]; a toggle from auto turns it off. */
static int cmd_expanded(struct query *q, const char *arg)
{
	if (arg && strcmp(arg, "auto") == 0) {
		q->x_auto = 1;
		q->topts.expanded = 0;
		fprintf(stderr, "expanded display auto\n");
		return 0;
	}
	if (q->x_auto && !arg)
		arg = "off";
	q->x_auto = 0;
	return cmd_switch("expanded display", arg, &q->topts.expanded);
}

/* Runs a dot- or backslash command line; 0, or -1 when it failed.
 * *quit is set when it asks to quit. */
static int meta(struct query *q, char *line, int *quit)
{
	char *argv[64], *arg, name[64];
	int argc = split(line, argv, 64);
	const char *cmd = command_name(argc ? argv[0] : ".", name,
		sizeof(name));

	arg = argc > 1 ? argv[1] : NULL;
	if (!strcmp(cmd, ".quit") || !strcmp(cmd, ".q") || !strcmp(cmd, ".exit"))
		*quit = 1;
	else if (!strcmp(cmd, ".help") || !strcmp(cmd, ".?"))
		fputs(help_text, stderr);
	else if (!strcmp(cmd, ".groups"))
		return cmd_groups(q, argv + 1, argc - 1);
	else if (!strcmp(cmd, ".since"))
		return cmd_time(q, "since", arg, &q->since_owned, &q->since);
	else if (!strcmp(cmd, ".until"))
		return cmd_time(q, "until", arg, &q->until_owned, &q->until);
	else if (!strcmp(cmd, ".format"))
		return cmd_format(q, arg);
	else if (!strcmp(cmd, ".limit"))
		return cmd_limit(q, arg);
	else if (!strcmp(cmd, ".x"))
		return cmd_expanded(q, arg);
	else if (!strcmp(cmd, ".timing"))
		return cmd_switch("timing", arg, &q->timing);
	else if (!strcmp(cmd, ".null"))
		return cmd_null(q, arg);
	else if (!strcmp(cmd, ".multiline"))
		return cmd_switch("multiline", arg, &q->multiline);
	else if (!strcmp(cmd, ".edit"))
		cmd_edit(q);
	else if (!strcmp(cmd, ".output"))
		return cmd_output(q, arg);
	else if (!strcmp(cmd, ".saved"))
		return cmd_saved(q, arg);
	else if (!strcmp(cmd, ".save"))
		return cmd_save(q, arg);
	else if (!strcmp(cmd, ".unsave"))
		return cmd_unsave(q, arg);
	else if (!strcmp(cmd, ".running"))
		return cmd_running(q, argv + 1, argc - 1);
	else if (!strcmp(cmd, ".refresh"))
		return cmd_refresh(q);
	else if (!strcmp(cmd, ".show"))
		return cmd_show(q, arg);
	else if (!strcmp(cmd, ".history"))
		cmd_history();
	else {
		say(q, "unknown command (try .help): ", argc ? argv[0] : cmd);
		return -1;
	}
	return 0;
}

/* ---- completion ---- */

static char **words;
static size_t nwords, word_i;

static void words_reset(void)
{
	free(words);
	words = NULL;
	nwords = word_i = 0;
}

static void words_add(const char *w)
{
	const char **nw;

	if (!(nw = realloc(words, (nwords + 1) * sizeof(*nw))))
		return;
	words = (char **)nw;
	words[nwords++] = (char *)w;
}

static int field_one(void *arg, const char *name)
{
	struct fields_cache *f = arg;

	return add_name(&f->names, &f->n, name);
}

/* GetLogGroupFields, once per group, when a completion first needs it. */
/* Readline's line is redrawn under the error. */
static void completion_failed(struct query *q, const struct cw_err *err)
{
	rl_crlf();
	error(q, err);
	rl_on_new_line();
}

static void fetch_fields(struct query *q)
{
	struct cw_client *c;
	struct cw_err err;
	size_t i, j;

	cw_err_clear(&err);
	if (!(c = client(q, &err)) || resolve_groups(q, &err) < 0) {
		completion_failed(q, &err);
		return;
	}
	/* One call per group: a Tab must not wait for fifty. */
	for (i = 0; i < q->nresolved && i < FIELDS_GROUPS_MAX; i++) {
		struct fields_cache *f, *nf;

		for (j = 0; j < q->nfields; j++)
			if (strcmp(q->fields[j].group, q->resolved[i]) == 0)
				break;
		if (j < q->nfields)
			continue;
		nf = realloc(q->fields, (q->nfields + 1) * sizeof(*nf));
		if (!nf)
			return;
		q->fields = nf;
		f = &nf[q->nfields++];
		memset(f, 0, sizeof(*f));
		f->group = strdup(q->resolved[i]);
		if (cw_insights_fields(c, q->resolved[i], field_one, f,
				&err) < 0)
			completion_failed(q, &err);
	}
}

static char **group_names;
static size_t ngroup_names;

/* arg: how much of each name comes before readline's word ('/' breaks
 * words in a query). */
static int name_word(size_t skip, const char *name)
{
	if (add_name(&group_names, &ngroup_names, name) < 0)
		return -1;
	if (strlen(name) >= skip)
		words_add(group_names[ngroup_names - 1] + skip);
	return 0;
}

static int group_word(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	if (name_word(*(const size_t *)arg, g->name) < 0)
		return cw_err_set(err, "out of memory");
	return 0;
}

static void forget_group_names(void)
{
	free_list(group_names, ngroup_names);
	group_names = NULL;
	ngroup_names = 0;
}

/* The whole word being completed, as far as the cursor, and how much
 * of it comes before readline's own word. */
static size_t name_prefix(int start, int end, char *prefix, size_t size)
{
	int ws = start;

	while (ws > 0 && rl_line_buffer[ws - 1] != ' ')
		ws--;
	snprintf(prefix, size, "%.*s", end - ws, rl_line_buffer + ws);
	forget_group_names();
	words_reset();
	return (size_t)(start - ws);
}

static void complete_groups(struct query *q, int start, int end)
{
	struct cw_client *c;
	struct cw_err err;
	char prefix[512];
	size_t skip = name_prefix(start, end, prefix, sizeof(prefix));

	cw_err_clear(&err);
	if ((c = client(q, &err)) && cw_logs_groups(c, prefix, group_word,
			&skip, &err) == 0)
		return;
	completion_failed(q, &err);
}

/* arg: as group_word's. */
static int saved_word(void *arg, const struct cw_insights_def *d)
{
	return name_word(*(const size_t *)arg, d->name);
}

/* The names of saved queries, after .saved and .unsave. */
static void complete_saved(struct query *q, int start, int end)
{
	struct cw_client *c;
	struct cw_err err;
	char prefix[256];
	size_t skip = name_prefix(start, end, prefix, sizeof(prefix));

	cw_err_clear(&err);
	if ((c = client(q, &err)) && cw_insights_defs(c, prefix, saved_word,
			&skip, &err) == 0)
		return;
	completion_failed(q, &err);
}

static void complete_query(struct query *q)
{
	size_t i, j;

	forget_group_names();
	words_reset();
	for (i = 0; cw_insights_words[i]; i++)
		words_add(cw_insights_words[i]);
	if (q->ngroups)
		fetch_fields(q);
	for (i = 0; i < q->nfields; i++)
		for (j = 0; j < q->fields[i].n; j++)
			words_add(q->fields[i].names[j]);
	for (i = 0; i < q->last.ncols; i++)
		words_add(q->last.cols[i]);
}

static char *next_word(const char *text, int state)
{
	size_t len = strlen(text);

	if (state == 0)
		word_i = 0;
	while (word_i < nwords) {
		const char *w = words[word_i++];

		if (strncasecmp(w, text, len) == 0)
			return strdup(w);
	}
	return NULL;
}

static const char *const meta_words[] = {
	".groups", ".since", ".until", ".format", ".limit", ".x", ".timing",
	".edit", ".output", ".saved", ".save", ".show", ".history", ".help",
	".quit", ".multiline", ".null", ".unsave", ".running", ".refresh",
	NULL
};
static const char *const format_words[] = {
	"table", "tsv", "json", "csv", NULL
};

static void complete_list(const char *const *list)
{
	forget_group_names();
	words_reset();
	while (*list)
		words_add(*list++);
}

static char **complete(const char *text, int start, int end)
{
	char **m;
	size_t n;

	rl_attempted_completion_over = 1;
	if (strncmp(rl_line_buffer, ".groups ", 8) == 0 && start >= 8)
		complete_groups(the_query, start, end);
	else if ((strncmp(rl_line_buffer, ".saved ", 7) == 0 && start >= 7)
			|| (strncmp(rl_line_buffer, ".unsave ", 8) == 0
			&& start >= 8))
		complete_saved(the_query, start, end);
	else if (strncmp(rl_line_buffer, ".format ", 8) == 0)
		complete_list(format_words);
	else if (strncmp(rl_line_buffer, ".output ", 8) == 0) {
		rl_attempted_completion_over = 0;	/* file names */
		return NULL;
	} else if (rl_line_buffer[0] == '.' && start == 0)
		complete_list(meta_words);
	else if (rl_line_buffer[0] == '.')
		return NULL;
	else
		complete_query(the_query);
	m = rl_completion_matches(text, next_word);
	n = m && m[0] ? strlen(m[0]) : 0;
	/* bin( wants its argument next, not a space */
	if (m && !m[1] && n && m[0][n - 1] == '(')
		rl_completion_suppress_append = 1;
	return m;
}

/* ---- the prompt loop ---- */

static void on_line(char *line)
{
	if (!line)
		line_eof = 1;
	pending_line = line;
	line_ready = 1;
	rl_callback_handler_remove();
}

static void show_prompt(struct query *q, int cont)
{
	char prompt[256];

	prompt_text(q, prompt, sizeof(prompt), cont);
	rl_callback_handler_install(prompt, on_line);
	if (prefill && !cont) {
		rl_insert_text(prefill);
		free(prefill);
		prefill = NULL;
		rl_redisplay();
	}
}

/* The last character of s that is not a blank, or 0. */
static char last_char(const char *s)
{
	size_t n = strlen(s);

	while (n && strchr(" \t\r", s[n - 1]))
		n--;
	return n ? s[n - 1] : 0;
}

/* A '/' at p opens a regex where no division can be: after an
 * operator, or the word like. */
static int opens_regex(const char *line, const char *p)
{
	const char *e = p, *w;

	while (e > line && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == line || !(isalnum((unsigned char)e[-1])
			|| strchr("_@.)]`'\"", e[-1])))
		return 1;
	for (w = e; w > line && isalpha((unsigned char)w[-1]); w--)
		;
	return e - w == 4 && strncasecmp(w, "like", 4) == 0;
}

/* The first ';' of line outside quotes, regexes and a comment, which
 * ends a statement; NULL when there is none. */
static char *statement_end(char *line)
{
	char quote = 0;
	char *p;

	for (p = line; *p; p++)
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
		} else if (*p == ';')
			return p;
		else if (*p == '#')
			return NULL;
		else if (strchr("\"'`", *p) || (*p == '/'
				&& opens_regex(line, p)))
			quote = *p;
	return NULL;
}

static void add_line(struct cw_buf *stmt, const char *line)
{
	if (stmt->len)
		cw_buf_addc(stmt, '\n');
	cw_buf_adds(stmt, line);
}

/* Runs the statement and empties it; ended: by a ';' (kept in the
 * history, so that a recalled query runs again at once). */
static int run_statement(struct query *q, struct cw_buf *stmt, int ended)
{
	const char *all = cw_buf_str(stmt), *text = skip_blanks(all);
	size_t n = strlen(text);
	char *copy;
	int rc = CW_EXIT_OK;

	while (n && strchr(" \t\r\n", text[n - 1]))
		n--;
	/* the leading blanks kept: a line typed after a space is kept out
	 * of the history */
	n += (size_t)(text - all);
	if (n > (size_t)(text - all) && !(copy = strndup(all, n)))
		rc = CW_EXIT_ERROR;
	else if (n > (size_t)(text - all)) {
		if (q->interactive) {
			/* Kept in history even when the service refuses it. */
			cw_buf_reset(stmt);
			cw_buf_add(stmt, copy, n);
			if (ended && q->multiline)
				cw_buf_addc(stmt, ';');
			remember(q, cw_buf_str(stmt));
		}
		rc = run_query(q, skip_blanks(copy));
		free(copy);
	}
	cw_buf_reset(stmt);
	return rc;
}

/* psql's words, alone on a line (a ';' after them allowed). */
static int is_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	if (strncasecmp(s, word, n) != 0)
		return 0;
	s = skip_blanks(s + n);
	if (*s == ';')
		s = skip_blanks(s + 1);
	return *s == '\0';
}

/* A line that is not part of a query: a command, or psql's quit, exit
 * and help; -1 when it is not one, else the status of the command. */
static int line_command(struct query *q, struct cw_buf *stmt, char *s,
	int *quit)
{
	if (*s == '.' || *s == '\\') {
		if (q->interactive)
			remember(q, s);
		return meta(q, s, quit) < 0 ? CW_EXIT_ERROR : CW_EXIT_OK;
	}
	if (stmt->len)
		return -1;
	if (is_word(s, "quit") || is_word(s, "exit"))
		*quit = 1;
	else if (is_word(s, "help"))
		fputs(help_text, stderr);
	else if (*s == '|' && q->interactive && !q->multiline)
		/* The query before ran at Enter: this line would be a
		 * new query, refused, and billed for nothing. */
		fprintf(stderr, "cw-query: a query does not begin with '|': "
			"end a line with '|' to continue it (the last query "
			"is in the history), or use .multiline on\n");
	else
		return -1;
	return CW_EXIT_OK;
}

/* Handles one line: a command, or a part of a query, run when it is
 * complete. The status of what ran, the first failure; *quit set when
 * it asks to quit. */
static int handle_line(struct query *q, struct cw_buf *stmt, char *line,
	int *quit)
{
	char *s = skip_blanks(line), *semi, end;
	int rc = CW_EXIT_OK, one;

	if ((one = line_command(q, stmt, s, quit)) >= 0)
		return one;
	while ((semi = statement_end(s)) != NULL) {
		*semi = '\0';
		add_line(stmt, s);
		one = run_statement(q, stmt, 1);
		if (rc == CW_EXIT_OK)
			rc = one;
		s = semi + 1;
		if (rc != CW_EXIT_OK && (!q->script || !q->continue_on_error
				|| rc == CW_EXIT_INTERRUPTED))
			return rc;
	}
	end = last_char(s);
	if (!end && (!stmt->len || q->script || !q->multiline))
		return rc;	/* nothing to run, or nothing yet */
	if (end)
		add_line(stmt, s);
	if (end == '|' || (end && (q->multiline || q->script)))
		return rc;	/* continued */
	one = run_statement(q, stmt, 0);
	return rc == CW_EXIT_OK ? one : rc;
}

/* Handles text that may hold several lines (a query recalled from the
 * history, or a script). */
static int handle(struct query *q, struct cw_buf *stmt, char *text,
	int *quit)
{
	char *line, *nl;
	int rc = CW_EXIT_OK, one;

	for (line = text; line && !*quit; line = nl) {
		if ((nl = strchr(line, '\n')))
			*nl++ = '\0';
		one = handle_line(q, stmt, line, quit);
		if (one == CW_EXIT_OK)
			continue;
		if (rc == CW_EXIT_OK)
			rc = one;
		if (!q->script || !q->continue_on_error
				|| one == CW_EXIT_INTERRUPTED)
			break;
	}
	return rc;
}

static void drop_line(struct cw_buf *stmt)
{
	rl_free_line_state();
	rl_callback_sigcleanup();
	rl_cleanup_after_signal();
	rl_callback_handler_remove();
	fputc('\n', stdout);
	cw_buf_reset(stmt);
}

static int interactive(struct query *q)
{
	struct cw_buf stmt = CW_BUF_INIT;
	struct cw_cancel *cancel = cw_cancel_process();
	struct pollfd pfd[2] = { { STDIN_FILENO, POLLIN, 0 },
		{ cancel->wake_fd, POLLIN, 0 } };
	int quit = 0;

	the_query = q;
	q->interactive = 1;
	rl_readline_name = "cw-query";
	rl_catch_signals = 0;
	rl_attempted_completion_function = complete;
	rl_completer_word_break_characters = " \t\n\"'`|,()=<>!+-*/%[]";
	history_load(q);
	show_prompt(q, 0);
	while (!quit) {
		/* a signal may have come while the last line ran */
		if (!cmd_interrupted() && poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (cmd_interrupted()) {
			clear_interrupt();
			drop_line(&stmt);
			if (terminated)
				break;
			show_prompt(q, 0);
			continue;
		}
		if (pfd[1].revents) {
			cw_cancel_drain(cancel);	/* left from a clear */
			continue;
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP)))
			continue;
		rl_callback_read_char();
		if (!line_ready)
			continue;
		line_ready = 0;
		if (line_eof) {
			fputc('\n', stdout);
			break;
		}
		handle(q, &stmt, pending_line, &quit);
		quit |= terminated;
		free(pending_line);
		pending_line = NULL;
		if (!quit)
			show_prompt(q, stmt.len > 0);
	}
	rl_callback_handler_remove();
	history_save(q);
	cw_buf_release(&stmt);
	forget_group_names();
	words_reset();
	free(prefill);
	return terminated ? CW_EXIT_INTERRUPTED : CW_EXIT_OK;
}

/* ---- scripted mode ---- */

/* The query from argv, or the statements and commands of -f FILE or of
 * stdin in order, as at the prompt with .multiline on, except that only
 * a ';' or the end runs a statement. Stops at the first failure, unless
 * --continue-on-error; the status is the first failure's. */
static int scripted(struct query *q)
{
	struct cw_buf stmt = CW_BUF_INIT;
	struct cw_err err;
	char *text;
	int rc, quit = 0;

	cw_err_clear(&err);
	if (!(text = query_text(q, &err))) {
		error(q, &err);
		return CW_EXIT_ERROR;
	}
	q->script = 1;
	rc = handle(q, &stmt, text, &quit);
	if (!quit && stmt.len && (rc == CW_EXIT_OK || (q->continue_on_error
			&& rc != CW_EXIT_INTERRUPTED))) {
		int one = run_statement(q, &stmt, 0);

		rc = rc == CW_EXIT_OK ? one : rc;
	}
	cw_buf_release(&stmt);
	free(text);
	return rc;
}

/* ---- main ---- */

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-query -g GROUP... [-s TIME] [-u TIME] [--limit N] "
		"[-o table|tsv|json|csv]\n"
		"                [--csv-raw] [-x] [--timing] [--null STRING] [-m] "
		"[--continue-on-error]\n"
		"                " CW_CLI_USAGE_COMMON " [QUERY | -f FILE]\n"
		"       (no query and a terminal: an interactive prompt)\n"
		CW_CLI_USAGE_COMMON_LIST);
}

enum { OPT_CSV_RAW = 0x200, OPT_CONTINUE, OPT_NULL };

static const struct option options[] = {
	{ "group", required_argument, NULL, 'g' },
	{ "file", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'u' },
	{ "limit", required_argument, NULL, CW_OPT_LIMIT },
	{ "expanded", no_argument, NULL, 'x' },
	{ "timing", no_argument, NULL, 't' },
	{ "csv-raw", no_argument, NULL, OPT_CSV_RAW },
	{ "multiline", no_argument, NULL, 'm' },
	{ "null", required_argument, NULL, OPT_NULL },
	{ "continue-on-error", no_argument, NULL, OPT_CONTINUE },
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

static int option(void *self, int c, const char *arg, struct cw_err *err)
{
	struct query *q = self;

	switch (c) {
	case 'g':
		if (q->ngroups >= CW_INSIGHTS_MAX_GROUPS)
			return too_many(q->ngroups + 1, err);
		if (!*arg)
			return cw_err_set(err, "-g: an empty log group name");
		return add_name(&q->groups, &q->ngroups, arg) < 0 ? -1 : 0;
	case 'f': q->file = arg; return 0;
	case 's': q->since = arg; return 0;
	case 'u': q->until = arg; return 0;
	case 'x': q->topts.expanded = 1; return 0;
	case 't': q->timing = 1; return 0;
	case OPT_CSV_RAW: q->topts.csv_raw = 1; return 0;
	case 'm': q->multiline = 1; return 0;
	case OPT_CONTINUE: q->continue_on_error = 1; return 0;
	case OPT_NULL: q->topts.null = arg; return 0;
	case CW_OPT_LIMIT:
		if (cw_cli_count("--limit", arg, &q->limit, err) < 0)
			return -1;
		if (q->limit > LIMIT_MAX)
			return cw_err_set(err, "--limit %ld: at most %d",
				q->limit, LIMIT_MAX);
		return 0;
	case 'o':
		return cw_table_parse_format(arg, &q->topts.format, err);
	default:
		q->cli.show_usage = 1;
		return -1;
	}
}

/* -1 to go on, else the exit status. */
static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct query *q = self;
	int64_t t;

	if (argc > 1 || (argc == 1 && q->file)) {
		q->cli.show_usage = 1;
		return cw_err_set(err, "one query: quote it, or use -f FILE");
	}
	q->text = argc ? argv[0] : NULL;
	/* A bad time is refused before any request. */
	if ((q->since && cw_timespec_parse(q->since, now_ms(q), &t, err) < 0)
			|| (q->until && cw_timespec_parse(q->until, now_ms(q),
				&t, err) < 0))
		return -1;
	return 0;
}

static void release(void *self)
{
	struct query *q = self;

	forget_fields(q);
	free_list(q->groups, q->ngroups);
	forget_groups(q);
	cw_table_release(&q->last);
	free(q->last_query);
	free(q->since_owned);
	free(q->null_owned);
	free(q->until_owned);
	free(q->histfile);
	if (q->out && q->out != stdout)
		fclose(q->out);
	if (q->have_client)
		cw_client_release(&q->client);
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct query *q = self;
	int rc;

	(void)argc;
	(void)argv;
	(void)err;
	q->tty_err = isatty(STDERR_FILENO);
	q->progress = cw_term_controls(&q->cli.ctx, STDERR_FILENO);
	/* Columns line up by display width (wcwidth), which needs a UTF-8
	 * character set; what is printed is UTF-8 in any locale. */
	if (!setlocale(LC_CTYPE, "") || !cw_term_utf8())
		setlocale(LC_CTYPE, "C.UTF-8");
	if (q->topts.format == CW_TABLE_AUTO)
		q->topts.format = isatty(STDOUT_FILENO) ? CW_TABLE_ALIGNED
			: CW_TABLE_TSV;
	/* The statistics line counts the rows: no "(N rows)" footer. */
	if (!q->text && !q->file && isatty(STDIN_FILENO))
		rc = interactive(q);
	else
		rc = scripted(q);
	return terminated ? CW_EXIT_INTERRUPTED : rc;
}

static const struct cmd cmd = {
	"cw-query", "hg:f:o:s:u:xtm", options, usage, option, operands, execute,
	release
};

int main(int argc, char **argv)
{
	static struct query q;

	q.out = stdout;
	return cmd_main(&cmd, &q.cli, &q, argc, argv);
}
