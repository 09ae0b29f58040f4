/*
 * cw-metric: CloudWatch metrics as sparklines on a terminal, TSV in a
 * pipe; the metric of a live alarm with its threshold and breaches.
 */
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alarmdef.h"
#include "cancel.h"
#include "cli.h"
#include "alarms.h"
#include "exitcodes.h"
#include "json.h"
#include "metric.h"
#include "out.h"
#include "spark.h"
#include "term.h"
#include "timespec.h"
#include "vis.h"
#include "cmd.h"
#include "banned.h"

#define MAX_SERIES 64
#define MIN_SPARK 10
#define LABEL_MIN 16

enum format { FMT_AUTO, FMT_SPARK, FMT_TSV, FMT_JSON };

struct metric {
	struct cw_cli cli;
	enum format fmt;
	const char *since, *until, *stat;
	long period;
	int utc, tty, color, utf8, width;
	const char *alarms[MAX_SERIES];
	size_t nalarms;
	struct cw_metric_series s[MAX_SERIES];
	size_t n;
	int64_t start_ms, end_ms, now_ms;
	struct cw_buf line;
	const char *env;		/* -e: the sets' environment */
	struct cw_alarmset *sets;	/* --alarm's PATH... */
	size_t nsets;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-metric [-s SINCE] [-u UNTIL] [--period N] "
		"[--stat STAT] [-o spark|tsv|json]\n"
		"                 [--utc] " CW_CLI_USAGE_COMMON
		" NAMESPACE METRIC [NAME=VALUE...]...\n"
		"       cw-metric [-s SINCE] [-u UNTIL] [-o spark|tsv|json] "
		"--alarm NAME... [-e ENV] [PATH...]\n"
		CW_CLI_USAGE_COMMON_LIST);
}

/* series_fold(s, fmin) is the least value of s, series_fold(s, fmax) the
 * greatest: NaN never wins either. */
static double series_fold(const struct cw_metric_series *s,
	double (*pick)(double, double))
{
	double m = s->v[0];
	size_t i;

	for (i = 1; i < s->n; i++)
		m = pick(m, s->v[i]);
	return m;
}

static const char *cmp_sign(enum cw_metric_cmp c)
{
	switch (c) {
	case CW_METRIC_GT: return ">";
	case CW_METRIC_GE: return ">=";
	case CW_METRIC_LT: return "<";
	case CW_METRIC_LE: return "<=";
	default: return "";
	}
}

static size_t breaches(const struct cw_metric_series *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->n; i++)
		k += cw_metric_breach(s, s->v[i]);
	return k;
}

static void stats(const struct cw_metric_series *s, char *buf, size_t size)
{
	int k = snprintf(buf, size, "min %.4g max %.4g last %.4g",
		series_fold(s, fmin), series_fold(s, fmax), s->v[s->n - 1]);

	if (s->cmp != CW_METRIC_NONE && k > 0 && (size_t)k < size)
		snprintf(buf + k, size - (size_t)k, "  thr %s%.4g breach %zu",
			cmp_sign(s->cmp), s->threshold, breaches(s));
}

static int put_line(struct metric *m)
{
	if (!m->line.len)
		return 0;
	if (fwrite(m->line.p, 1, m->line.len, stdout) != m->line.len)
		return -1;
	cw_buf_reset(&m->line);
	return 0;
}

/*
 * The columns of a picture on a terminal w wide: the labels (lw), the
 * sparkline (cols) and the statistics, on the sparkline's line or, when
 * that leaves the sparkline less than a quarter of the width, on a line
 * of their own under it. Labels are cut only when even that is not
 * enough. A pipe (w 0) has no width to fit: one line a series, drawn as
 * on 80 columns.
 */
struct layout {
	size_t lw, cols;
	int below;
	size_t indent;		/* of the statistics below */
};

static void fit(size_t w, size_t lw, size_t sw, struct layout *o)
{
	size_t want = w / 4 > MIN_SPARK ? w / 4 : MIN_SPARK, rest;

	o->below = w && lw + 2 + want + 2 + sw > w;
	w = w ? w : 80;
	o->lw = lw;
	if (o->below && lw + 2 + want > w)
		o->lw = w > 2 + want + LABEL_MIN ? w - 2 - want : LABEL_MIN;
	rest = o->lw + 2 + (o->below ? 0 : 2 + sw);
	o->cols = w > rest + MIN_SPARK ? w - rest : MIN_SPARK;
	/* under the sparkline, or as far right as they fit */
	o->indent = o->lw + 2 + sw <= w ? o->lw + 2 : w > sw ? w - sw : 0;
}

/* A breach-aware picture: alarms keep their worst side in each column. */
static int spark_line(struct metric *m, const struct cw_metric_series *s,
	const struct layout *o)
{
	size_t lw = o->lw, cols = o->cols;
	struct cw_spark sp;
	enum cw_spark_agg agg = s->cmp == CW_METRIC_GT || s->cmp == CW_METRIC_GE
		? CW_SPARK_MAX : s->cmp == CW_METRIC_NONE ? CW_SPARK_MEAN
		: CW_SPARK_MIN;
	double lo = series_fold(s, fmin), hi = series_fold(s, fmax);
	char st[160];
	size_t c, marks = 0, l = cw_vis_width(s->label);
	int rc;

	if (cw_spark_init(&sp, cols, m->start_ms, m->end_ms) < 0)
		return -1;
	cw_spark_fill(&sp, s->t_ms, s->v, s->n, (int64_t)s->period * 1000,
		agg);
	if (s->cmp != CW_METRIC_NONE) {
		lo = fmin(lo, s->threshold);
		hi = fmax(hi, s->threshold);
		for (c = 0; c < cols; c++)
			marks += sp.mark[c] = sp.have[c]
				&& cw_metric_breach(s, sp.v[c]);
	}
	stats(s, st, sizeof(st));
	rc = cw_vis_line(&m->line, s->label, lw, m->utf8)
		|| cw_buf_addf(&m->line, "%*s  ", (int)(lw - (l > lw ? lw : l)),
			"")
		|| cw_spark_draw(&m->line, &sp, lo, hi, m->utf8, m->color)
		|| (!o->below && cw_buf_addf(&m->line, "  %s", st))
		|| cw_buf_addc(&m->line, '\n');
	/* without color the breaches get a row of their own */
	for (c = 0; rc == 0 && marks && !m->color && c <= cols; c++)
		rc = c == 0 ? cw_buf_addf(&m->line, "%*s", (int)lw + 2, "")
			: cw_buf_addc(&m->line, sp.mark[c - 1] ? '^' : ' ');
	if (rc == 0 && marks && !m->color)
		rc = cw_buf_addc(&m->line, '\n');
	if (rc == 0 && o->below)
		rc = cw_buf_addf(&m->line, "%*s%s\n", (int)o->indent, "", st);
	cw_spark_release(&sp);
	return rc || put_line(m) < 0 ? -1 : 0;
}

static int print_spark(struct metric *m)
{
	size_t i, lw = 0, sw = 0, l;
	char st[160];
	struct cw_spark axis;
	struct layout o;
	int rc;

	for (i = 0; i < m->n; i++) {
		if (!m->s[i].n)
			continue;
		l = cw_vis_width(m->s[i].label);
		lw = l > lw ? l : lw;
		stats(&m->s[i], st, sizeof(st));
		sw = strlen(st) > sw ? strlen(st) : sw;
	}
	fit((size_t)m->width, lw, sw, &o);
	for (i = 0; i < m->n; i++)
		if (m->s[i].n && spark_line(m, &m->s[i], &o) < 0)
			return -1;
	if (cw_spark_init(&axis, o.cols, m->start_ms, m->end_ms) < 0)
		return -1;
	rc = cw_buf_addf(&m->line, "%*s", (int)o.lw + 2, "")
		|| cw_spark_axis(&m->line, &axis, m->utc)
		|| cw_buf_addc(&m->line, '\n') || put_line(m) < 0;
	cw_spark_release(&axis);
	return rc ? -1 : 0;
}

static int print_tsv(struct metric *m)
{
	const struct cw_metric_series *s;
	size_t i, j;
	char t[32];

	for (i = 0; i < m->n; i++) {
		s = &m->s[i];
		for (j = 0; j < s->n; j++) {
			cw_timespec_format(t, sizeof(t), CW_TIMEFMT_ISO,
				s->t_ms[j], 1);
			if (cw_buf_addf(&m->line, "%s\t", t) < 0
					|| cw_vis_line(&m->line, s->label, 0, 1) < 0
					|| cw_buf_addf(&m->line, "\t%.10g\t%s\n",
						s->v[j], s->cmp == CW_METRIC_NONE
						? "-" : cw_metric_breach(s, s->v[j])
						? "breach" : "ok") < 0
					|| put_line(m) < 0)
				return -1;
		}
	}
	return 0;
}

static int series_json(struct cw_buf *b, const struct cw_metric_series *s)
{
	size_t j;
	int rc = cw_buf_adds(b, "{\"label\":")
		|| cw_json_quote(b, s->label, strlen(s->label))
		|| cw_buf_adds(b, ",\"stat\":")
		|| cw_json_quote(b, s->stat, strlen(s->stat))
		|| cw_buf_addf(b, ",\"period\":%d", s->period);

	if (!rc && s->cmp != CW_METRIC_NONE)
		rc = cw_buf_addf(b, ",\"threshold\":%.17g,\"comparison\":"
			"\"%s\"", s->threshold, cmp_sign(s->cmp));
	rc = rc || cw_buf_adds(b, ",\"timestamps\":[");
	for (j = 0; !rc && j < s->n; j++)
		rc = cw_buf_addf(b, "%s%lld", j ? "," : "",
			(long long)(s->t_ms[j] / 1000));
	rc = rc || cw_buf_adds(b, "],\"values\":[");
	for (j = 0; !rc && j < s->n; j++)
		rc = cw_buf_addf(b, "%s%.17g", j ? "," : "", s->v[j]);
	rc = rc || cw_buf_addc(b, ']');
	if (!rc && s->cmp != CW_METRIC_NONE) {
		rc = cw_buf_adds(b, ",\"breaching\":[");
		for (j = 0; !rc && j < s->n; j++)
			rc = cw_buf_addf(b, "%s%s", j ? "," : "",
				cw_metric_breach(s, s->v[j]) ? "true" : "false");
		rc = rc || cw_buf_addc(b, ']');
	}
	return rc || cw_buf_adds(b, "}\n") ? -1 : 0;
}

static int print_json(struct metric *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (series_json(&m->line, &m->s[i]) < 0 || put_line(m) < 0)
			return -1;
	return 0;
}

/* NAMESPACE METRIC [NAME=VALUE...], again for every further metric. */
static int add_metrics(struct metric *m, int argc, char **argv,
	struct cw_err *err)
{
	struct cw_metric_series *s;
	int i = 0, j, k;
	size_t l;

	while (i < argc) {
		if (i + 1 >= argc)
			return cw_err_set(err, "%.64s: a namespace needs a "
				"metric name after it", argv[i]);
		if (m->n == MAX_SERIES)
			return cw_err_set(err, "at most %d metrics", MAX_SERIES);
		for (j = i + 2; j < argc && strchr(argv[j], '='); j++)
			;
		s = &m->s[m->n++];
		snprintf(s->label, sizeof(s->label), "%s %s", argv[i],
			argv[i + 1]);
		for (k = i + 2; k < j; k++) {
			l = strlen(s->label);
			snprintf(s->label + l, sizeof(s->label) - l, " %s",
				argv[k]);
		}
		if (cw_metric_series_metric(s, argv[i], argv[i + 1], argv + i + 2,
				(size_t)(j - i - 2), (int)m->period, m->stat,
				err) < 0)
			return -1;
		i = j;
	}
	return 0;
}

/* Sets s up from the definition of --alarm NAME, when a set defines it:
 * 1 done, 0 not defined there, -1 error. */
static int alarm_from_sets(struct metric *m, struct cw_metric_series *s,
	const char *name, const char *region, struct cw_err *err)
{
	const struct cw_alarmdef_item *it = cw_alarmsets_find(m->sets,
		m->nsets, name);

	if (!it)
		return 0;
	if (*it->region && strcmp(it->region, region) != 0)
		return cw_err_set(err, "alarm %.255s: defined in %s: use "
			"--region %s", name, it->region, it->region);
	if (it->kind == CW_ALARMDEF_COMPOSITE)
		return cw_err_set(err, "alarm %.255s: a composite alarm has no "
			"metric", name);
	snprintf(s->label, sizeof(s->label), "%s", name);
	return cw_metric_series_alarm(s, it->def, err) < 0 ? -1 : 1;
}

/* The series of every --alarm, in order: from the definition sets given
 * as PATH, else from the live alarm. */
static int add_alarms(struct metric *m, struct cw_client *c,
	struct cw_err *err)
{
	struct cw_alarms_set set = { 0 };
	struct cw_alarms_query q = { 0 };
	const struct cw_alarm *a;
	struct cw_metric_series *s;
	size_t i, base = m->n;
	int rc = 0, defined[MAX_SERIES] = { 0 };

	if (m->n + m->nalarms > MAX_SERIES)
		return cw_err_set(err, "at most %d series", MAX_SERIES);
	m->n += m->nalarms;
	for (i = 0; rc == 0 && i < m->nalarms; i++)
		rc = defined[i] = alarm_from_sets(m, &m->s[base + i],
			m->alarms[i], c->region, err);
	if (rc < 0)
		return -1;
	for (i = 0; i < m->nalarms; i++)
		if (!defined[i])
			q.names = m->alarms;
	q.nnames = q.names ? m->nalarms : 0;
	if (q.names && cw_alarms_describe(c, &q, &set, err) < 0)
		return -1;
	for (i = 0; rc == 0 && i < m->nalarms; i++) {
		if (defined[i])
			continue;
		if (!(a = cw_alarms_find(&set, m->alarms[i]))) {
			rc = cw_err_set(err, "alarm %.255s: not found in %s",
				m->alarms[i], c->region);
			break;
		}
		s = &m->s[base + i];
		snprintf(s->label, sizeof(s->label), "%s", a->name);
		if (a->composite)
			rc = cw_err_set(err, "alarm %.255s: a composite alarm "
				"has no metric", a->name);
		else
			rc = cw_metric_series_alarm(s, a->json, err);
	}
	cw_alarms_set_release(&set);
	return rc;
}

/* With --alarm, operands that are definition sets (a directory with an
 * env/ folder) are read as PATH; the rest are metrics. */
static int load_sets(struct metric *m, int *argc, char **argv,
	struct cw_err *err)
{
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	char *paths[MAX_SERIES], env_dir[4096];
	struct stat st;
	int i, k = 0, n = 0, rc;

	if (!m->nalarms)
		return 0;
	for (i = 0; i < *argc; i++) {
		snprintf(env_dir, sizeof(env_dir), "%s/env", argv[i]);
		if (n < MAX_SERIES && stat(env_dir, &st) == 0
				&& S_ISDIR(st.st_mode))
			paths[n++] = argv[i];
		else
			argv[k++] = argv[i];
	}
	*argc = k;
	if (!n)
		return 0;
	rc = cw_alarmsets_load(&m->sets, &m->nsets, paths, (size_t)n,
		m->env ? m->env : "production", &errs, err);
	if (rc == 0 && cw_alarmdef_errors_report(&errs, m->cli.prog, stderr))
		rc = cw_err_set(err, "--alarm: the definition sets have "
			"problems");
	cw_alarmdef_errors_release(&errs);
	return rc;
}

static void no_data(const struct metric *m, const struct cw_metric_series *s)
{
	char a[48], b[48];
	struct cw_buf l = CW_BUF_INIT;

	cw_out_time(a, sizeof(a), m->start_ms, m->utc);
	cw_out_time(b, sizeof(b), m->end_ms, m->utc);
	a[16] = b[16] = '\0';
	cw_vis_line(&l, s->label, 0, m->utf8);
	fprintf(stderr, "cw-metric: %s: no data from %s to %s (period %d, "
		"stat %s)\n", cw_buf_str(&l), a, b, s->period, s->stat);
	cw_buf_release(&l);
}

static int fetch_all(struct metric *m, struct cw_client *c, int *empty,
	struct cw_err *err)
{
	size_t i;

	*empty = 0;
	for (i = 0; i < m->n; i++) {
		if (cw_metric_fetch(c, &m->s[i], m->start_ms, m->end_ms,
				err) < 0) {
			struct cw_buf l = CW_BUF_INIT;

			cw_vis_line(&l, m->s[i].label, 0, 0);
			cw_err_wrap(err, "%s", cw_buf_str(&l));
			cw_buf_release(&l);
			return -1;
		}
		if (!m->s[i].n) {
			no_data(m, &m->s[i]);
			*empty = 1;
		}
	}
	return 0;
}

/* An anomaly band's lines go right after their metric, each a series of
 * its own: labelled, scaled and printed on its own. */
static int add_bands(struct metric *m, struct cw_err *err)
{
	struct cw_metric_series *s, *b;
	size_t i, j;
	char label[sizeof(s->label)];

	for (i = 0; i < m->n; i++) {
		s = &m->s[i];
		if (m->n + s->nbands > MAX_SERIES)
			return cw_err_set(err, "at most %d series", MAX_SERIES);
		memmove(&m->s[i + 1 + s->nbands], &m->s[i + 1],
			(m->n - i - 1) * sizeof(*s));
		for (j = 0; j < s->nbands; j++) {
			b = &m->s[i + 1 + j];
			*b = s->bands[j];
			snprintf(label, sizeof(label), "%s band%s%s", s->label,
				*b->label ? " " : "", b->label);
			snprintf(b->label, sizeof(b->label), "%s", label);
		}
		m->n += s->nbands;
		i += s->nbands;
		free(s->bands);
		s->bands = NULL;
		s->nbands = 0;
	}
	return 0;
}

/* The period: given, or as fine as the picture or the pipe can use. */
static int choose_period(struct metric *m, struct cw_err *err)
{
	/* the widest the sparkline can be: finer points are summed up */
	size_t cols = m->width > 40 ? (size_t)m->width - 20 : 20;

	if (m->period)
		return cw_metric_period_check("--period", m->period,
			m->start_ms, m->now_ms, err);
	m->period = cw_metric_period_for(m->start_ms, m->end_ms, m->now_ms,
		m->fmt == FMT_SPARK ? cols : 1440);
	return 0;
}

static int run(struct metric *m, int argc, char **argv, struct cw_err *err)
{
	struct cw_client c;
	int empty = 0, rc;

	if (cw_cli_window(m->since, m->until, "3h", m->now_ms,
			&m->start_ms, &m->end_ms, err) < 0)
		return CW_EXIT_ERROR;
	if (!m->end_ms)
		m->end_ms = m->now_ms;
	if (load_sets(m, &argc, argv, err) < 0 || choose_period(m, err) < 0
			|| add_metrics(m, argc, argv, err) < 0)
		return CW_EXIT_ERROR;
	if (cw_cli_client(&m->cli, &cw_service_monitoring, NULL, &c, err) < 0)
		return CW_EXIT_ERROR;
	rc = (m->nalarms && add_alarms(m, &c, err) < 0)
		|| fetch_all(m, &c, &empty, err) < 0
		|| add_bands(m, err) < 0 ? -1 : 0;
	cw_client_release(&c);
	if (rc < 0)
		return CW_EXIT_ERROR;
	rc = m->fmt == FMT_JSON ? print_json(m) : m->fmt == FMT_TSV
		? print_tsv(m) : print_spark(m);
	if (rc < 0)
		return cw_err_set(err, "stdout: write failed"), CW_EXIT_ERROR;
	return empty ? CW_EXIT_NO : CW_EXIT_OK;
}

enum { OPT_PERIOD = 0x200, OPT_STAT, OPT_ALARM, OPT_ENV };

static const struct option options[] = {
	{ "since", required_argument, NULL, 's' },
	{ "until", required_argument, NULL, 'u' },
	{ "utc", no_argument, NULL, CW_OPT_UTC },
	{ "period", required_argument, NULL, OPT_PERIOD },
	{ "stat", required_argument, NULL, OPT_STAT },
	{ "alarm", required_argument, NULL, OPT_ALARM },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "output", required_argument, NULL, 'o' },
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

static int parse_opt(void *self, int c, const char *arg, struct cw_err *err)
{
	struct metric *m = self;

	switch (c) {
	case 's': m->since = arg; return 0;
	case 'u': m->until = arg; return 0;
	case 'r': m->cli.region_flag = arg; return 0;
	case CW_OPT_UTC: m->utc = 1; return 0;
	case OPT_PERIOD:
		return cw_cli_count("--period", arg, &m->period, err);
	case OPT_STAT:
		if (!cw_metric_stat_valid(arg))
			return cw_err_set(err, "--stat '%.64s': not a statistic "
				"(Average, Sum, Minimum, Maximum, SampleCount, "
				"p95, p99.9, tm90, IQM, TM(10%%:90%%), ...)",
				arg);
		m->stat = arg;
		return 0;
	case 'e':
	case OPT_ENV:
		m->env = arg;
		return 0;
	case OPT_ALARM:
		if (m->nalarms == MAX_SERIES)
			return cw_err_set(err, "--alarm: at most %d", MAX_SERIES);
		m->alarms[m->nalarms++] = arg;
		return 0;
	case 'o':
		if (strcmp(arg, "spark") == 0)
			m->fmt = FMT_SPARK;
		else if (strcmp(arg, "tsv") == 0)
			m->fmt = FMT_TSV;
		else if (strcmp(arg, "json") == 0)
			m->fmt = FMT_JSON;
		else
			return cw_err_set(err, "output format '%.32s': expected "
				"spark, tsv or json", arg);
		return 0;
	default:
		m->cli.show_usage = 1;
		return -1;
	}
}

/* -1 to go on, else the exit status. */
static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct metric *m = self;

	(void)argv;
	(void)err;
	if (argc < 2 && !m->nalarms) {
		m->cli.show_usage = 1;
		return -1;
	}
	return 0;
}

static void setup_output(struct metric *m)
{
	int w;

	setlocale(LC_CTYPE, "");
	m->utf8 = cw_term_utf8();
	m->tty = isatty(STDOUT_FILENO);
	if (m->fmt == FMT_AUTO)
		m->fmt = m->tty ? FMT_SPARK : FMT_TSV;
	m->color = cw_cli_color(&m->cli, STDOUT_FILENO);
	w = cw_term_width(STDOUT_FILENO);
	if (m->fmt == FMT_SPARK && w && w < CW_TERM_MIN_COLS) {
		fprintf(stderr, "cw-metric: terminal: %d columns, fewer than "
			"%d: drawing %d wide\n", w, CW_TERM_MIN_COLS,
			CW_TERM_MIN_COLS);
		w = CW_TERM_MIN_COLS;
	}
	m->width = w;
}

static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct metric *m = self;

	setup_output(m);
	cw_cancel_ignore_sigpipe();
	m->now_ms = cw_ctx_now_ms(&m->cli.ctx);
	return run(m, argc, argv, err);
}

static void release(void *self)
{
	struct metric *m = self;
	size_t i;

	for (i = 0; i < m->n; i++)
		cw_metric_series_release(&m->s[i]);
	cw_buf_release(&m->line);
	cw_alarmsets_release(m->sets, m->nsets);
}

static const struct cmd cmd = {
	"cw-metric", "e:ho:r:s:u:", options, usage, parse_opt, operands,
	execute, release
};

int main(int argc, char **argv)
{
	static struct metric m;

	cw_buf_init(&m.line, 0);
	m.stat = "Average";
	return cmd_main(&cmd, &m.cli, &m, argc, argv);
}
