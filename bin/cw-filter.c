/*
 * cw-filter: grep with CloudWatch Logs filter patterns, over files, stdin
 * or cw-tail -o json events, or sent to FilterLogEvents with -g.
 */
#include <cjson/cJSON.h>
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
#include "logs.h"
#include "out.h"
#include "pattern.h"
#include "banned.h"

/* One read buffer, reused. It starts small enough to stay in the CPU's
 * cache, which makes read() and the search faster, and grows only for a
 * long line, up to BUF_MAX: big enough for any CloudWatch event (1 MiB).
 * A longer line is matched on its first BUF_MAX bytes and printed whole. */
#define BUF_START ((size_t)128 << 10)
#define BUF_MAX ((size_t)1 << 20)

struct filter {
	struct cw_cli cli;
	struct cw_out out;
	struct cw_pattern *p;
	const char *pattern, *group;
	struct cw_cli_events ev;	/* -g */
	int invert, count, quiet, events, json, explain;
	int several;		/* more than one file: lines are named */
	int with_name, no_name;	/* -H, --no-filename */
	const char *name;	/* the prefix of output lines, or NULL */
	size_t selected;	/* lines printed or counted, this file */
	int any;		/* some line was selected, any file */
	char *buf;
	size_t cap;
	struct cw_buf line;	/* -o json and --events output */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-filter [-cHqv] [--no-filename] [--events] "
		"[-o raw|json] PATTERN [FILE...]\n"
		"       cw-filter --explain PATTERN\n"
		"       cw-filter -g GROUP [-cq] [-o short|raw|json] [--utc] "
		"[--since TIME]\n"
		"               [--until TIME] [--stream PREFIX] [--limit N]\n"
		"               " CW_CLI_USAGE_COMMON " PATTERN\n"
		CW_CLI_USAGE_COMMON_LIST);
}

/* One output line, after "FILE:" when several files are searched. */
static int put(const struct filter *f, const char *s, size_t n)
{
	if (f->name && fprintf(stdout, "%s:", f->name) < 0)
		return -1;
	if (fwrite(s, 1, n, stdout) != n || putchar('\n') == EOF)
		return -1;
	return 0;
}

static int add_field(void *arg, const char *name, const char *v, size_t n,
	int json)
{
	struct cw_buf *b = arg;

	if (b->len > 1 && cw_buf_addc(b, ',') < 0)
		return -1;
	if (cw_out_json_string(b, name, strlen(name)) < 0 ||
	    cw_buf_addc(b, ':') < 0)
		return -1;
	if (json)
		return cw_buf_add(b, v, n) < 0 ? -1 : 0;
	return cw_out_json_string(b, v, n) < 0 ? -1 : 0;
}

/* -o json: the values a metric filter would extract, as one object. */
static int put_fields(struct filter *f, const char *s, size_t n)
{
	cw_buf_reset(&f->line);
	cw_buf_addc(&f->line, '{');
	if (cw_pattern_extract(f->p, s, n, add_field, &f->line) < 0 ||
	    cw_buf_addc(&f->line, '}') < 0)
		return -1;
	return put(f, f->line.p, f->line.len);
}

/* A selected line (its '\r' kept): print, count, or stop for -q. */
static int select_line(struct filter *f, const char *s, size_t n)
{
	size_t m = n && s[n - 1] == '\r' ? n - 1 : n;

	f->selected++;
	f->any = 1;
	if (f->quiet || f->count)
		return 0;
	if (f->json && !f->invert)
		return put_fields(f, s, m);
	return put(f, s, n);
}

/* --events: one cw-tail -o json object per line; match its message. */
static int event_line(struct filter *f, const char *s, size_t n)
{
	cJSON *o = cJSON_ParseWithLength(s, n), *msg;
	const char *m;
	int hit, rc = 0;

	msg = cJSON_GetObjectItemCaseSensitive(o, "message");
	m = cJSON_IsString(msg) ? msg->valuestring : NULL;
	hit = m && cw_pattern_match(f->p, m, strlen(m));
	if (m && hit != f->invert) {
		f->selected++;
		f->any = 1;
		if (!f->quiet && !f->count)
			rc = f->json ? put(f, s, n) : put(f, m, strlen(m));
	}
	cJSON_Delete(o);
	return rc;
}

static const char *eol(const char *s, const char *e)
{
	const char *nl = memchr(s, '\n', e - s);

	return nl ? nl : e;
}

/* Lines s..e, all complete (the last may lack its '\n' at end of input). */
static int lines(struct filter *f, const char *s, const char *e)
{
	const char *hit, *end;
	size_t n;

	if (f->events) {
		for (; s < e && !(f->quiet && f->any); s = end + 1) {
			end = eol(s, e);
			if (event_line(f, s, end - s) < 0)
				return -1;
		}
		return 0;
	}
	if (f->count && !f->invert) {
		n = cw_pattern_count(f->p, s, e - s);
		f->selected += n;
		f->any |= n > 0;
		return 0;
	}
	while (s < e && !(f->quiet && f->any)) {
		hit = cw_pattern_find(f->p, s, e - s, &n);
		if (!f->invert) {
			if (!hit)
				return 0;
			if (select_line(f, hit, n) < 0)
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

/* A line longer than BUF_MAX: decided on its first BUF_MAX bytes,
 * then printed or skipped to its end. */
static int long_line(struct filter *f, int fd, size_t *len)
{
	size_t n = *len, m = n && f->buf[n - 1] == '\r' ? n - 1 : n;
	int show = cw_pattern_match(f->p, f->buf, m) != f->invert;
	const char *nl;
	ssize_t r;

	if (f->events)
		show = 0;
	if (show) {
		f->selected++;
		f->any = 1;
	}
	show = show && !f->quiet && !f->count;
	if (show && f->name && fprintf(stdout, "%s:", f->name) < 0)
		return -1;
	for (;;) {
		nl = memchr(f->buf, '\n', n);
		if (show && fwrite(f->buf, 1, nl ? (size_t)(nl - f->buf) : n,
		    stdout) != (nl ? (size_t)(nl - f->buf) : n))
			return -1;
		if (nl) {
			memmove(f->buf, nl + 1, n - (nl + 1 - f->buf));
			*len = n - (nl + 1 - f->buf);
			return show && putchar('\n') == EOF ? -1 : 0;
		}
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
		last = memrchr(f->buf, '\n', len);
		if (!last && len == f->cap && f->cap < BUF_MAX) {
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
	}
	if (len && lines(f, f->buf, f->buf + len) < 0)
		return -1;
	return 0;
}

static int scan_file(struct filter *f, const char *name)
{
	int fd = name ? open(name, O_RDONLY) : STDIN_FILENO, rc;
	const char *shown = name ? name : "(standard input)";

	if (fd < 0) {
		fprintf(stderr, "cw-filter: %s: %s\n", name, strerror(errno));
		return -1;
	}
	/* A bigger pipe means fewer, larger reads. */
	if (!name)
		fcntl(fd, F_SETPIPE_SZ, (int)BUF_MAX);
	f->selected = 0;
	f->name = (f->several || f->with_name) && !f->no_name ? shown : NULL;
	rc = scan_fd(f, fd);
	if (rc == -2)
		fprintf(stderr, "cw-filter: %s: %s\n", shown, strerror(errno));
	if (rc == -3)
		fprintf(stderr, "cw-filter: %s: out of memory\n", shown);
	if (name)
		close(fd);
	if (rc == -1)
		return -2;
	if (f->count && !f->quiet) {
		if (f->name)
			printf("%s:", shown);
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
	if (cw_cli_client(&f->cli, &cw_service_logs, &c, &err) < 0) {
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

static int option(struct filter *f, int c, struct cw_err *err)
{
	switch (cw_cli_event_option(&f->ev, c, optarg, err)) {
	case -1: return -1;
	case 1: return 0;
	}
	switch (c) {
	case 'c': f->count = 1; break;
	case 'H': f->with_name = 1; f->no_name = 0; break;
	case OPT_NO_FILENAME: f->no_name = 1; f->with_name = 0; break;
	case 'q': f->quiet = 1; break;
	case 'v': f->invert = 1; break;
	case 'g': f->group = optarg; break;
	case 'o':
		if (cw_out_parse_format(optarg, &f->out.format, err) < 0)
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

/* -1 to go on, else the exit status. */
static int parse_args(struct filter *f, int argc, char **argv,
	struct cw_err *err)
{
	int c;

	while ((c = cw_cli_getopt(&f->cli, argc, argv, "cg:Hho:qv", options,
			err)) != -1) {
		if (c == CW_CLI_DONE)
			return f->cli.status;
		if (c == 'h') {
			usage(stdout);
			return CW_EXIT_OK;
		}
		if (option(f, c, err) < 0)
			return CW_EXIT_ERROR;
	}
	if (optind >= argc || (f->group && argc - optind > 1)) {
		f->cli.show_usage = 1;
		return CW_EXIT_ERROR;
	}
	if (f->group && (f->invert || f->events)) {
		cw_err_set(err, "-g cannot be used with -v or --events");
		return CW_EXIT_ERROR;
	}
	if (!f->group && f->out.format == CW_OUT_SHORT) {
		cw_err_set(err, "-o short needs -g");
		return CW_EXIT_ERROR;
	}
	f->pattern = argv[optind++];
	return -1;
}

static int explain(struct filter *f)
{
	struct cw_buf b = CW_BUF_INIT;
	int rc = cw_pattern_explain(f->p, &b);

	if (rc == 0)
		fputs(cw_buf_str(&b), stdout);
	cw_buf_release(&b);
	return rc < 0 ? CW_EXIT_ERROR : CW_EXIT_OK;
}

/* Every file (or stdin): 0 selected something, 1 nothing, 2 an error. */
static int local(struct filter *f, int argc, char **argv)
{
	int i, rc, failed = 0, werr = 0;

	f->cap = BUF_START;
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
		failed |= rc < 0;
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

int main(int argc, char **argv)
{
	struct filter f;
	struct cw_err err;
	int rc;

	memset(&f, 0, sizeof(f));
	cw_err_clear(&err);
	cw_cli_init(&f.cli, "cw-filter", stdout, stderr);
	cw_buf_init(&f.line, 0);
	f.out.fp = stdout;
	rc = parse_args(&f, argc, argv, &err);
	if (rc >= 0) {
		if (err.msg[0])
			fprintf(stderr, "cw-filter: %s\n", err.msg);
		if (f.cli.show_usage)
			usage(stderr);
		return rc;
	}
	f.p = cw_cli_pattern(&f.cli, "pattern", f.pattern);
	if (!f.p)
		return CW_EXIT_ERROR;
	if (cw_cancel_install(&err) < 0) {
		cw_cli_error(&f.cli, &err);
		cw_pattern_free(f.p);
		return CW_EXIT_ERROR;
	}
	cw_cancel_ignore_sigpipe();
	if (f.explain) {
		rc = explain(&f);
	} else if (f.group) {
		cw_out_setup(&f.out, isatty(STDOUT_FILENO),
			f.cli.no_color || getenv("NO_COLOR"));
		rc = remote(&f);
		if (fflush(stdout) != 0 && rc != CW_EXIT_ERROR)
			rc = CW_EXIT_ERROR;
	} else {
		rc = local(&f, argc - optind, argv + optind);
	}
	cw_pattern_free(f.p);
	cw_buf_release(&f.line);
	cw_out_release(&f.out);
	cw_cli_release(&f.cli);
	return rc;
}
