/*
 * cw-filter: grep with CloudWatch Logs filter patterns, over files, stdin
 * or cw-tail -o json events, or sent to FilterLogEvents with -g.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cancel.h"
#include "cli.h"
#include "exitcodes.h"
#include "json.h"
#include "logs.h"
#include "out.h"
#include "pattern.h"
#include "vis.h"
#include "cmd.h"
#include "banned.h"

/* One read buffer, reused. It starts small enough to stay in the CPU's
 * cache, which makes read() and the search faster, and grows only for a
 * long line, up to BUF_MAX: big enough for any CloudWatch event (1 MiB).
 * A longer line is matched on its first BUF_MAX bytes and printed whole.
 * An --events line holds an event escaped as JSON, up to six bytes for
 * one ("\u001b"), with its group, stream and id: EVENTS_MAX. */
#define BUF_START ((size_t)256 << 10)
#define BUF_MAX ((size_t)1 << 20)
#define EVENTS_MAX ((size_t)8 << 20)

struct filter {
	struct cw_cli cli;
	struct cw_out out;
	struct cw_pattern *p;
	const char *pattern, *group;
	struct cw_cli_events ev;	/* -g */
	int invert, count, quiet, events, json, explain;
	int tty;		/* stdout is a terminal: data is escaped */
	int evopt;		/* an option that needs -g, or 0 */
	int failed;		/* some line could not be read or decided */
	int several;		/* more than one file: lines are named */
	int tuned;		/* the search was fitted to the first read */
	int with_name, no_name;	/* -H, --no-filename */
	const char *name;	/* the prefix of output lines, or NULL */
	size_t selected;	/* lines printed or counted, this file */
	int any;		/* some line was selected, any file */
	const char *shown;	/* the name of the file, for errors */
	char *buf;
	size_t cap, max;
	long long off;		/* the offset in the file of buf[0] */
	struct cw_buf line;	/* -o json, --events and terminal output */
	struct cw_buf msg;	/* --events: the decoded message */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-filter [-cHqv] [--no-filename] [--events] "
		"[-o raw|json] PATTERN [FILE...]\n"
		"       cw-filter --explain PATTERN\n"
		"       cw-filter -g GROUP [-cq] [-o short|long|raw|json] [--utc] "
		"[--since TIME]\n"
		"               [--until TIME] [--stream PREFIX] [--limit N]\n"
		"               " CW_CLI_USAGE_COMMON " PATTERN\n"
		CW_CLI_USAGE_COMMON_LIST);
}

/* Names the line at s on stderr: what is not printed is said. */
static void line_warn(struct filter *f, const char *s, const char *why)
{
	fprintf(stderr, "cw-filter: %s: line at byte %lld: %s\n", f->shown,
		f->off + (long long)(s - f->buf), why);
}

/* The line at s is neither selected nor rejected: an error. */
static void line_error(struct filter *f, const char *s, const char *why)
{
	line_warn(f, s, why);
	f->failed = 1;
}

#define UNDECIDED "the pattern's regular expression reached its match " \
	"limit: neither selected nor rejected"

/* The line at s could not be decided: why, from the pattern when it
 * knows (out of memory), else the regular expression's match limit. */
static void undecided(struct filter *f, const char *s)
{
	struct cw_err err;

	cw_err_clear(&err);
	line_error(f, s, cw_pattern_error(f->p, &err) < 0 ? err.msg : UNDECIDED);
}

/* One output line, after "FILE:" when several files are searched; on a
 * terminal, control bytes are shown escaped. */
static int put(struct filter *f, const char *s, size_t n)
{
	struct cw_buf *b = &f->line;

	if (f->tty) {
		cw_buf_reset(b);
		if ((f->name && (cw_vis(b, f->name, strlen(f->name)) < 0 ||
		    cw_buf_addc(b, ':') < 0)) || cw_vis(b, s, n) < 0)
			return -1;
		s = b->p;
		n = b->len;
	} else if (f->name && fprintf(stdout, "%s:", f->name) < 0) {
		return -1;
	}
	if (fwrite(s, 1, n, stdout) != n || putchar('\n') == EOF)
		return -1;
	return 0;
}

/* -o json: every line one object; the file is a member, not a prefix. */
static int json_open(struct filter *f)
{
	struct cw_buf *b = &f->line;

	cw_buf_reset(b);
	if (cw_buf_addc(b, '{') < 0)
		return -1;
	if (f->name && (cw_json_quote(b, "file", 4) < 0 ||
	    cw_buf_addc(b, ':') < 0 ||
	    cw_json_quote(b, f->name, strlen(f->name)) < 0))
		return -1;
	return 0;
}

static int json_put(struct filter *f)
{
	struct cw_buf *b = &f->line;

	if (cw_buf_adds(b, "}\n") < 0)
		return -1;
	return fwrite(b->p, 1, b->len, stdout) == b->len ? 0 : -1;
}

static int add_field(void *arg, const char *name, const char *v, size_t n,
	int json)
{
	struct cw_buf *b = arg;

	if (b->len > 1 && cw_buf_addc(b, ',') < 0)
		return -1;
	if (cw_json_quote(b, name, strlen(name)) < 0 ||
	    cw_buf_addc(b, ':') < 0)
		return -1;
	if (json)
		return cw_buf_add(b, v, n) < 0 ? -1 : 0;
	return cw_json_quote(b, v, n) < 0 ? -1 : 0;
}

/* -o json: the values a metric filter would extract, as one object. */
static int put_fields(struct filter *f, const char *s, size_t n)
{
	if (json_open(f) < 0 ||
	    cw_pattern_extract(f->p, s, n, add_field, &f->line) < 0)
		return -1;
	return json_put(f);
}

/* -o json -v: a line that extracts nothing, as {"message": line}. */
static int put_message(struct filter *f, const char *s, size_t n)
{
	if (json_open(f) < 0 || (f->line.len > 1 &&
	    cw_buf_addc(&f->line, ',') < 0) ||
	    add_field(&f->line, "message", s, n, 0) < 0)
		return -1;
	return json_put(f);
}

/* A selected line (its '\r' kept): print, count, or stop for -q. */
static int select_line(struct filter *f, const char *s, size_t n)
{
	size_t m = n && s[n - 1] == '\r' ? n - 1 : n;

	f->selected++;
	f->any = 1;
	if (f->quiet || f->count)
		return 0;
	if (f->json)
		return f->invert ? put_message(f, s, m) : put_fields(f, s, m);
	return put(f, s, n);
}

/* --events -o json: the event as read, written anew as strict JSON. */
static int put_event(struct filter *f, const char *s, size_t n)
{
	struct cw_buf ev = CW_BUF_INIT;
	int rc = json_open(f) < 0 || cw_json_normalize(&ev, s, n) < 0 ||
		ev.len < 2 ? -1 : 0;

	if (rc == 0 && ev.len > 2 && f->line.len > 1)
		rc = cw_buf_addc(&f->line, ',');
	if (rc == 0)
		rc = cw_buf_add(&f->line, ev.p + 1, ev.len - 2);
	cw_buf_release(&ev);
	return rc < 0 ? -1 : json_put(f);
}

/* --events: one cw-tail -o json object per line; match its message,
 * which may hold U+0000. Lines that are not such objects are skipped,
 * and said to be. */
static int event_line(struct filter *f, const char *s, size_t n)
{
	const char *m;
	size_t len;
	int hit;

	m = cw_json_valid(s, n) ? cw_json_member(s, s + n, "message", 7)
		: NULL;
	cw_buf_reset(&f->msg);
	if (!m || *m != '"' || cw_json_string(&f->msg, m, s + n, &len) < 0) {
		line_warn(f, s, "not an event of cw-tail -o json: skipped");
		return 0;
	}
	hit = cw_pattern_match(f->p, cw_buf_str(&f->msg), len);
	if (hit < 0) {
		undecided(f, s);
		return 0;
	}
	if (hit == f->invert)
		return 0;
	f->selected++;
	f->any = 1;
	if (f->quiet || f->count)
		return 0;
	return f->json ? put_event(f, s, n) : put(f, cw_buf_str(&f->msg), len);
}

static const char *eol(const char *s, const char *e)
{
	const char *nl = memchr(s, '\n', e - s);

	return nl ? nl : e;
}

/* -c: counts, reporting the lines that fail and going on after them. */
static void count_lines(struct filter *f, const char *s, const char *e)
{
	const char *bad;
	size_t n;

	while (s < e) {
		n = cw_pattern_count(f->p, s, e - s, &bad);
		f->selected += n;
		f->any |= n > 0;
		if (!bad)
			return;
		undecided(f, bad);
		s = eol(bad, e) + 1;
	}
}

/* Lines s..e, all complete (the last may lack its '\n' at end of input). */
static int lines(struct filter *f, const char *s, const char *e)
{
	const char *hit, *end;
	size_t n;
	int bad;

	if (f->events) {
		for (; s < e && !(f->quiet && f->any); s = end + 1) {
			end = eol(s, e);
			if (event_line(f, s, end - s) < 0)
				return -1;
		}
		return 0;
	}
	if (f->count && !f->invert) {
		count_lines(f, s, e);
		return 0;
	}
	while (s < e && !(f->quiet && f->any)) {
		hit = cw_pattern_find(f->p, s, e - s, &n, &bad);
		if (bad)
			undecided(f, hit);
		if (!f->invert) {
			if (!hit)
				return 0;
			if (!bad && select_line(f, hit, n) < 0)
				return -1;
			s = hit + n + 1;
			continue;
		}
		for (end = hit ? hit : e; s < end; s = eol(s, e) + 1)
			if (select_line(f, s, eol(s, e) - s) < 0)
				return -1;
		if (hit)
			s = hit + n + 1;
	}
	return 0;
}

/* Writes a piece of a long line; on a terminal, escaped. */
static int put_piece(struct filter *f, const char *s, size_t n)
{
	if (f->tty) {
		cw_buf_reset(&f->line);
		if (cw_vis(&f->line, s, n) < 0)
			return -1;
		s = f->line.p;
		n = f->line.len;
	}
	return fwrite(s, 1, n, stdout) == n ? 0 : -1;
}

/* Whether a line longer than the buffer is selected, decided on its
 * first bytes; -1 when it cannot be (the caller skips it). */
static int long_decide(struct filter *f, size_t n)
{
	size_t m = n && f->buf[n - 1] == '\r' ? n - 1 : n;
	int hit;

	if (f->events || (f->json && !f->count && !f->quiet)) {
		line_error(f, f->buf, f->events ? "longer than 8 MiB, more "
			"than any event: skipped" : "longer than 1 MiB: "
			"not printed as JSON");
		return -1;
	}
	hit = cw_pattern_match(f->p, f->buf, m);
	if (hit < 0) {
		undecided(f, f->buf);
		return -1;
	}
	return hit != f->invert;
}

/* A line longer than the buffer: decided on its first bytes, then
 * printed or skipped to its end. */
static int long_line(struct filter *f, int fd, size_t *len)
{
	size_t n = *len, k;
	int show = long_decide(f, n) > 0;
	const char *nl;
	ssize_t r;

	if (show) {
		f->selected++;
		f->any = 1;
	}
	show = show && !f->quiet && !f->count;
	if (show && f->name && (put_piece(f, f->name, strlen(f->name)) < 0 ||
	    putchar(':') == EOF))
		return -1;
	for (;;) {
		nl = memchr(f->buf, '\n', n);
		k = nl ? (size_t)(nl - f->buf) : n;
		if (show && put_piece(f, f->buf, k) < 0)
			return -1;
		if (nl) {
			memmove(f->buf, nl + 1, n - k - 1);
			*len = n - k - 1;
			f->off += (long long)k + 1;
			return show && putchar('\n') == EOF ? -1 : 0;
		}
		f->off += (long long)n;
		r = cw_cancel_read(f->cli.ctx.cancel, fd, f->buf, f->cap);
		if (r < 0 && cw_ctx_cancelled(&f->cli.ctx))
			r = 0;
		if (r <= 0) {
			*len = 0;
			return r < 0 ? -2 : (show && putchar('\n') == EOF ?
				-1 : 0);
		}
		n = (size_t)r;
	}
}

static int grow(struct filter *f)
{
	char *p = realloc(f->buf, f->cap * 2);

	if (!p)
		return -1;
	f->buf = p;
	f->cap *= 2;
	return 0;
}

/* 0, -1 on a write error, -2 on a read error (errno says why), -3 out of
 * memory. */
static int scan_fd(struct filter *f, int fd)
{
	size_t len = 0, done;
	const char *last;
	ssize_t r;

	for (;;) {
		r = cw_cancel_read(f->cli.ctx.cancel, fd, f->buf + len,
			f->cap - len);
		if (r < 0 && !cw_ctx_cancelled(&f->cli.ctx))
			return -2;
		if (r <= 0 || cw_ctx_cancelled(&f->cli.ctx))
			break;
		len += (size_t)r;
		if (!f->tuned) {
			cw_pattern_tune(f->p, f->buf, len);
			f->tuned = 1;
		}
		last = memrchr(f->buf, '\n', len);
		if (!last && len == f->cap && f->cap < f->max) {
			if (grow(f) < 0)
				return -3;
			continue;
		}
		if (!last && len == f->cap) {
			r = long_line(f, fd, &len);
			if (r < 0)
				return (int)r;
			continue;
		}
		if (!last)
			continue;
		done = last + 1 - f->buf;
		if (lines(f, f->buf, last) < 0)
			return -1;
		if (f->quiet && f->any)
			return 0;
		memmove(f->buf, f->buf + done, len - done);
		len -= done;
		f->off += (long long)done;
	}
	if (len && lines(f, f->buf, f->buf + len) < 0)
		return -1;
	return 0;
}

static int scan_file(struct filter *f, const char *name)
{
	int fd, rc;
	const char *shown;

	if (name && strcmp(name, "-") == 0)
		name = NULL;	/* as grep reads it */
	fd = name ? open(name, O_RDONLY) : STDIN_FILENO;
	shown = name ? name : "(standard input)";

	if (fd < 0) {
		fprintf(stderr, "cw-filter: %s: %s\n", name, strerror(errno));
		return -1;
	}
	/* A bigger pipe means fewer, larger reads. */
	if (!name)
		fcntl(fd, F_SETPIPE_SZ, (int)BUF_MAX);
	f->selected = 0;
	f->off = 0;
	f->shown = shown;
	f->name = (f->several || f->with_name) && !f->no_name ? shown : NULL;
	rc = scan_fd(f, fd);
	if (rc == -2)
		fprintf(stderr, "cw-filter: %s: %s\n", shown, strerror(errno));
	if (rc == -3)
		fprintf(stderr, "cw-filter: %s: out of memory\n", shown);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == -1)
		return -2;
	if (f->count && !f->quiet) {
		if (f->name && put_piece(f, f->name, strlen(f->name)) == 0)
			putchar(':');
		printf("%zu\n", f->selected);
	}
	return rc < 0 ? -1 : 0;
}

static int remote_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct filter *f = arg;

	if (cw_ctx_cancelled(&f->cli.ctx))
		return 1;
	f->selected++;
	f->any = 1;
	if (f->quiet)
		return 1;
	if (!f->count && cw_out_event(&f->out, e) < 0)
		return cw_err_set(err, "stdout: write failed");
	return 0;
}

/* -g: the pattern, checked here, goes to FilterLogEvents; the exit
 * status is grep's. */
static int remote(struct filter *f)
{
	struct cw_client c;
	struct cw_err err;
	int rc;

	cw_err_clear(&err);
	f->ev.filter.group = f->group;
	f->ev.filter.pattern = f->pattern;
	f->out.utc = f->ev.utc;
	if (cw_cli_event_window(&f->cli, &f->ev, &err) < 0) {
		cw_cli_error(&f->cli, &err);
		return CW_EXIT_ERROR;
	}
	if (cw_cli_client(&f->cli, &cw_service_logs, NULL, &c, &err) < 0) {
		cw_cli_error(&f->cli, &err);
		return CW_EXIT_ERROR;
	}
	rc = cw_logs_filter(&c, &f->ev.filter, remote_event, f, &err);
	cw_client_release(&c);
	if (rc < 0 && !cw_ctx_cancelled(&f->cli.ctx)) {
		cw_cli_error(&f->cli, &err);
		return CW_EXIT_ERROR;
	}
	if (cw_ctx_cancelled(&f->cli.ctx) && !(f->quiet && f->any))
		return CW_EXIT_INTERRUPTED;
	if (f->count && !f->quiet)
		printf("%zu\n", f->selected);
	/* the status alone is not seen on a terminal */
	if (!f->any && !f->quiet && !f->count)
		cw_cli_no_events(&f->cli, STDOUT_FILENO, &f->ev);
	return f->any ? CW_EXIT_OK : CW_EXIT_NO;
}

enum { OPT_EVENTS = 0x200, OPT_NO_FILENAME, OPT_EXPLAIN };

static const struct option options[] = {
	{ "count", no_argument, NULL, 'c' },
	{ "with-filename", no_argument, NULL, 'H' },
	{ "no-filename", no_argument, NULL, OPT_NO_FILENAME },
	{ "quiet", no_argument, NULL, 'q' },
	{ "invert-match", no_argument, NULL, 'v' },
	{ "output", required_argument, NULL, 'o' },
	{ "group", required_argument, NULL, 'g' },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	CW_CLI_EVENT_OPTIONS,
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

static int option(void *self, int c, const char *arg, struct cw_err *err)
{
	struct filter *f = self;

	switch (cw_cli_event_option(&f->ev, c, arg, err)) {
	case -1: return -1;
	case 1:
		f->evopt = c;
		return 0;
	}
	switch (c) {
	case 'c': f->count = 1; break;
	case 'H': f->with_name = 1; f->no_name = 0; break;
	case OPT_NO_FILENAME: f->no_name = 1; f->with_name = 0; break;
	case 'q': f->quiet = 1; break;
	case 'v': f->invert = 1; break;
	case 'g': f->group = arg; break;
	case 'o':
		if (cw_out_parse_format(arg, &f->out.format, err) < 0)
			return -1;
		f->json = f->out.format == CW_OUT_JSON;
		break;
	case OPT_EVENTS: f->events = 1; break;
	case OPT_EXPLAIN: f->explain = 1; break;
	default:
		f->cli.show_usage = 1;
		return -1;
	}
	return 0;
}

static const char *option_name(int c)
{
	const struct option *o;

	for (o = options; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct filter *f = self;

	if (argc < 1 || (f->group && argc > 1)) {
		f->cli.show_usage = 1;
		return -1;
	}
	if (f->group && (f->invert || f->events))
		return cw_err_set(err, "-g cannot be used with -v or --events");
	if (!f->group && (f->out.format == CW_OUT_SHORT ||
	    f->out.format == CW_OUT_LONG))
		return cw_err_set(err, "-o %s needs -g",
			f->out.format == CW_OUT_SHORT ? "short" : "long");
	if (!f->group && f->evopt)
		return cw_err_set(err, "--%s needs -g", option_name(f->evopt));
	f->pattern = argv[0];
	return 0;
}

static int explain(struct filter *f)
{
	struct cw_buf b = CW_BUF_INIT;
	int rc = cw_pattern_explain(f->p, &b);

	if (rc == 0 && fputs(cw_buf_str(&b), stdout) == EOF)
		rc = -2;
	cw_buf_release(&b);
	if (rc == -1)
		fprintf(stderr, "cw-filter: --explain: out of memory\n");
	return rc < 0 ? CW_EXIT_ERROR : CW_EXIT_OK;
}

/* Every file (or stdin): 0 selected something, 1 nothing, 2 an error. */
static int local(struct filter *f, int argc, char **argv)
{
	int i, rc, failed = 0, werr = 0;

	f->cap = BUF_START;
	f->max = f->events ? EVENTS_MAX : BUF_MAX;
	f->tty = isatty(STDOUT_FILENO);
	f->buf = malloc(f->cap);
	if (!f->buf) {
		fprintf(stderr, "cw-filter: out of memory\n");
		return CW_EXIT_ERROR;
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	f->several = argc > 1;
	for (i = 0; (i < argc || (i == 0 && argc == 0))
			&& !cw_ctx_cancelled(&f->cli.ctx); i++) {
		rc = scan_file(f, argc ? argv[i] : NULL);
		if (rc == -2) {
			werr = 1;
			break;
		}
		failed |= rc < 0 || f->failed;
		if (f->quiet && f->any)
			break;
	}
	free(f->buf);
	if (f->quiet && f->any)
		return CW_EXIT_OK;
	if (fflush(stdout) != 0 || ferror(stdout) || werr) {
		/* A reader that went away (head) is not an error to report. */
		if (errno != EPIPE)
			fprintf(stderr, "cw-filter: stdout: write failed\n");
		return CW_EXIT_ERROR;
	}
	if (cw_ctx_cancelled(&f->cli.ctx))
		return CW_EXIT_INTERRUPTED;
	if (failed)
		return CW_EXIT_ERROR;
	return f->any ? CW_EXIT_OK : CW_EXIT_NO;
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct filter *f = self;
	int rc;

	(void)err;
	f->p = cw_cli_pattern(&f->cli, "pattern", f->pattern);
	if (!f->p)
		return CW_EXIT_ERROR;
	cw_cancel_ignore_sigpipe();
	if (f->explain)
		return explain(f);
	if (!f->group)
		return local(f, argc - 1, argv + 1);
	cw_out_setup(&f->out, isatty(STDOUT_FILENO),
		!cw_cli_color(&f->cli, STDOUT_FILENO));
	if (!f->out.tty)
		cw_out_hold(&f->out);
	rc = remote(f);
	/* the held lines go to stdout, which cmd_main checks */
	cw_out_flush(&f->out);
	return rc;
}

static void release(void *self)
{
	struct filter *f = self;

	cw_pattern_free(f->p);
	cw_buf_release(&f->line);
	cw_buf_release(&f->msg);
	cw_out_release(&f->out);
}

static const struct cmd cmd = {
	"cw-filter", "cg:Hho:qv", options, usage, option, operands, execute,
	release
};

int main(int argc, char **argv)
{
	static struct filter f;

	cw_buf_init(&f.line, 0);
	cw_buf_init(&f.msg, 0);
	f.out.fp = stdout;
	return cmd_main(&cmd, &f.cli, &f, argc, argv);
}
