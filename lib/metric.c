#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsjson.h"
#include "metric.h"
#include "timespec.h"
#include "banned.h"

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)
#define MAX_POINTS ((size_t)1 << 22)	/* per series: bounded memory */

/* "NN" or "NN.N..." from 0 to 100, at most 10 decimals. */
static int pct(const char *s, const char **end)
{
	char *e;
	double v;
	const char *dot;

	if (!isdigit((unsigned char)*s))
		return 0;
	v = strtod(s, &e);
	dot = memchr(s, '.', (size_t)(e - s));
	if (v < 0 || v > 100 || (dot && (e - dot - 1 < 1 || e - dot - 1 > 10))
			|| (!dot && e - s > 3))
		return 0;
	*end = e;
	return 1;
}

/* "a:b" with each bound optional (not both), "%"-suffixed or not. */
static int range(const char *s)
{
	const char *e = s;
	int lo = 0, hi = 0;
	char *x;

	if (*s != ':') {
		strtod(s, &x);
		if (x == s)
			return 0;
		e = x + (*x == '%');
		lo = 1;
	}
	if (*e++ != ':')
		return 0;
	if (*e != ')') {
		strtod(e, &x);
		if (x == e)
			return 0;
		e = x + (*x == '%');
		hi = 1;
	}
	return (lo || hi) && strcmp(e, ")") == 0;
}

int cw_metric_stat_valid(const char *s)
{
	static const char *const basic[] = { "SampleCount", "Sum", "Average",
		"Minimum", "Maximum", "IQM" };
	static const char *const lower[] = { "p", "tm", "wm", "tc", "ts" };
	static const char *const upper[] = { "TM(", "WM(", "TC(", "TS(",
		"PR(" };
	const char *e;
	size_t i, n;

	for (i = 0; i < sizeof(basic) / sizeof(basic[0]); i++)
		if (strcmp(s, basic[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(lower) / sizeof(lower[0]); i++) {
		n = strlen(lower[i]);
		if (strncmp(s, lower[i], n) == 0 && pct(s + n, &e) && !*e)
			return 1;
	}
	for (i = 0; i < sizeof(upper) / sizeof(upper[0]); i++)
		if (strncmp(s, upper[i], 3) == 0)
			return range(s + 3);
	return 0;
}

/* The coarsest resolution kept for data that old. */
static int base_period(int64_t age_ms)
{
	if (age_ms > 63 * DAY_MS)
		return 3600;
	if (age_ms > 15 * DAY_MS)
		return 300;
	return 60;
}

int cw_metric_period_check(const char *opt, long p, int64_t start_ms,
	int64_t now_ms, struct cw_err *err)
{
	int64_t age = now_ms - start_ms;
	int base = base_period(age);

	if (p == 1 || p == 5 || p == 10 || p == 20 || p == 30) {
		if (age > 3 * HOUR_MS)
			return cw_err_set(err, "%s %ld: data older than 3 hours "
				"is kept per minute at best: use a multiple of "
				"60", opt, p);
		return 0;
	}
	if (p <= 0 || p % 60)
		return cw_err_set(err, "%s %ld: expected 1, 5, 10, 20, 30 or a "
			"multiple of 60", opt, p);
	if (p % base)
		return cw_err_set(err, "%s %ld: data older than %d days is kept "
			"per %s: use a multiple of %d", opt, p,
			base == 300 ? 15 : 63, base == 300 ? "5 minutes"
			: "hour", base);
	return 0;
}

int cw_metric_period_for(int64_t start_ms, int64_t end_ms, int64_t now_ms,
	size_t points)
{
	int base = base_period(now_ms - start_ms);
	int64_t span = (end_ms - start_ms) / 1000, p;

	if (points == 0)
		points = 1;
	p = (span + (int64_t)points - 1) / (int64_t)points;
	p = (p + base - 1) / base * base;
	return p < base ? base : p > 86400 * 7 ? 86400 * 7 : (int)p;
}

static cJSON *dimension(const char *nv, struct cw_err *err)
{
	const char *eq = strchr(nv, '=');
	cJSON *d;
	char name[256];

	if (!eq || eq == nv || (size_t)(eq - nv) >= sizeof(name))
		return cw_err_set(err, "dimension '%.64s': expected NAME=VALUE",
			nv), NULL;
	memcpy(name, nv, (size_t)(eq - nv));
	name[eq - nv] = '\0';
	d = cJSON_CreateObject();
	if (!d || !cJSON_AddStringToObject(d, "Name", name)
			|| !cJSON_AddStringToObject(d, "Value", eq + 1)) {
		cJSON_Delete(d);
		return cw_err_set(err, "out of memory"), NULL;
	}
	return d;
}

int cw_metric_series_metric(struct cw_metric_series *s, const char *ns,
	const char *name, char *const *dims, size_t ndims, int period,
	const char *stat, struct cw_err *err)
{
	cJSON *q, *ms, *m, *ds, *d;
	size_t i;

	if (ndims > 30)
		return cw_err_set(err, "%s %s: at most 30 dimensions", ns, name);
	s->queries = cJSON_CreateArray();
	q = cJSON_CreateObject();
	cJSON_AddItemToArray(s->queries, q);
	ms = cJSON_AddObjectToObject(q, "MetricStat");
	m = cJSON_AddObjectToObject(ms, "Metric");
	ds = cJSON_AddArrayToObject(m, "Dimensions");
	if (!ds || !cJSON_AddStringToObject(q, "Id", "m0")
			|| !cJSON_AddStringToObject(m, "Namespace", ns)
			|| !cJSON_AddStringToObject(m, "MetricName", name)
			|| !cJSON_AddNumberToObject(ms, "Period", period)
			|| !cJSON_AddStringToObject(ms, "Stat", stat))
		return cw_err_set(err, "out of memory");
	snprintf(s->id, sizeof(s->id), "m0");
	for (i = 0; i < ndims; i++) {
		if (!(d = dimension(dims[i], err)))
			return -1;
		cJSON_AddItemToArray(ds, d);
	}
	s->period = period;
	snprintf(s->stat, sizeof(s->stat), "%s", stat);
	return 0;
}

static enum cw_metric_cmp comparison(const char *op)
{
	if (!op)
		return CW_METRIC_NONE;
	if (strcmp(op, "GreaterThanThreshold") == 0)
		return CW_METRIC_GT;
	if (strcmp(op, "GreaterThanOrEqualToThreshold") == 0)
		return CW_METRIC_GE;
	if (strcmp(op, "LessThanThreshold") == 0)
		return CW_METRIC_LT;
	if (strcmp(op, "LessThanOrEqualToThreshold") == 0)
		return CW_METRIC_LE;
	return CW_METRIC_NONE;	/* anomaly bands: no single number */
}

/* Metric math: Metrics[] goes as it is; its period is the longest. */
static int from_math(struct cw_metric_series *s, const cJSON *metrics,
	struct cw_err *err)
{
	const cJSON *q, *rd;
	const char *id;
	int p;

	if (!(s->queries = cJSON_Duplicate(metrics, 1)))
		return cw_err_set(err, "out of memory");
	s->period = 0;
	cJSON_ArrayForEach(q, metrics) {
		id = cw_awsjson_str(q, "Id");
		rd = cJSON_GetObjectItemCaseSensitive(q, "ReturnData");
		if (id && !s->id[0] && !cJSON_IsFalse(rd)
				&& strcmp(id, s->band_id) != 0)
			snprintf(s->id, sizeof(s->id), "%s", id);
		p = (int)cw_awsjson_count(cJSON_GetObjectItemCaseSensitive(q,
			"MetricStat"), "Period", INT_MAX,
			cw_awsjson_count(q, "Period", INT_MAX, 0));
		if (p > s->period)
			s->period = p;
	}
	snprintf(s->stat, sizeof(s->stat), "math");
	return 0;
}

int cw_metric_series_alarm(struct cw_metric_series *s, const cJSON *alarm,
	struct cw_err *err)
{
	const cJSON *metrics = cJSON_GetObjectItemCaseSensitive(alarm,
		"Metrics");
	const char *ns = cw_awsjson_str(alarm, "Namespace");
	const char *name = cw_awsjson_str(alarm, "MetricName");
	const char *stat = cw_awsjson_str(alarm, "Statistic");
	const char *unit = cw_awsjson_str(alarm, "Unit");
	cJSON *dims, *ms;

	const char *band = cw_awsjson_str(alarm, "ThresholdMetricId");

	s->cmp = comparison(cw_awsjson_str(alarm, "ComparisonOperator"));
	snprintf(s->band_id, sizeof(s->band_id), "%s", band ? band : "");
	s->threshold = cw_awsjson_num(alarm, "Threshold", 0);
	if (cJSON_GetArraySize(metrics) > 0)
		return from_math(s, metrics, err);
	if (!stat)
		stat = cw_awsjson_str(alarm, "ExtendedStatistic");
	if (!ns || !name || !stat)
		return cw_err_set(err, "alarm %.255s: no metric to draw",
			cw_awsjson_str(alarm, "AlarmName"));
	if (cw_metric_series_metric(s, ns, name, NULL, 0,
			(int)cw_awsjson_count(alarm, "Period", INT_MAX, 60), stat,
			err) < 0)
		return -1;
	ms = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(s->queries,
		0), "MetricStat");
	dims = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(alarm,
		"Dimensions"), 1);
	if (dims)
		cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItem(ms,
			"Metric"), "Dimensions", dims);
	if (unit)
		cJSON_AddStringToObject(ms, "Unit", unit);
	return 0;
}

void cw_metric_series_release(struct cw_metric_series *s)
{
	size_t i;

	for (i = 0; i < s->nbands; i++)
		cw_metric_series_release(&s->bands[i]);
	free(s->bands);
	s->bands = NULL;
	s->nbands = 0;
	cJSON_Delete(s->queries);
	free(s->t_ms);
	free(s->v);
	s->queries = NULL;
	s->t_ms = NULL;
	s->v = NULL;
	s->n = s->cap = 0;
}

static int add_point(struct cw_metric_series *s, int64_t t, double v)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		int64_t *t2;
		double *v2;

		if (cap > MAX_POINTS)
			return -1;
		if (!(t2 = realloc(s->t_ms, cap * sizeof(*t2))))
			return -1;
		s->t_ms = t2;
		if (!(v2 = realloc(s->v, cap * sizeof(*v2))))
			return -1;
		s->v = v2;
		s->cap = cap;
	}
	s->t_ms[s->n] = t;
	s->v[s->n++] = v;
	return 0;
}

/* The line a result belongs to, by its Id (and a band's by its label,
 * the same on every page); NULL for a query not drawn. */
static struct cw_metric_series *line_of(struct cw_metric_series *s,
	const cJSON *r, struct cw_err *err)
{
	const char *id = cw_awsjson_str(r, "Id");
	const char *label = cw_awsjson_str(r, "Label");
	struct cw_metric_series *b;
	size_t i;

	if (!id)
		return NULL;
	if (strcmp(id, s->id) == 0)
		return s;
	if (!s->band_id[0] || strcmp(id, s->band_id) != 0)
		return NULL;
	label = label ? label : "";
	for (i = 0; i < s->nbands; i++)
		if (strcmp(s->bands[i].label, label) == 0)
			return &s->bands[i];
	if (s->nbands == CW_METRIC_MAX_BANDS)
		return cw_err_set(err, "GetMetricData: more than %d lines in "
			"the band %.64s", CW_METRIC_MAX_BANDS, id), NULL;
	b = realloc(s->bands, (s->nbands + 1) * sizeof(*b));
	if (!b)
		return cw_err_set(err, "out of memory"), NULL;
	s->bands = b;
	b = &s->bands[s->nbands++];
	memset(b, 0, sizeof(*b));
	snprintf(b->label, sizeof(b->label), "%s", label);
	snprintf(b->id, sizeof(b->id), "%s", id);
	b->period = s->period;
	snprintf(b->stat, sizeof(b->stat), "band");
	return b;
}

/* Each result into its line, whatever the order of the results. */
static int take_page(struct cw_metric_series *s, const cJSON *res,
	struct cw_err *err)
{
	struct cw_metric_series *line;
	const cJSON *r, *ts, *vs;
	const char *code;
	int i, n;

	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(res,
			"MetricDataResults")) {
		cw_err_clear(err);
		if (!(line = line_of(s, r, err))) {
			if (err->msg[0])
				return -1;
			continue;
		}
		code = cw_awsjson_str(r, "StatusCode");
		if (code && (strcmp(code, "Forbidden") == 0
				|| strcmp(code, "InternalError") == 0))
			return cw_err_set(err, "GetMetricData: %s", code);
		ts = cJSON_GetObjectItemCaseSensitive(r, "Timestamps");
		vs = cJSON_GetObjectItemCaseSensitive(r, "Values");
		n = cJSON_GetArraySize(ts);
		if (n != cJSON_GetArraySize(vs))
			return cw_err_set(err, "GetMetricData: timestamps and "
				"values differ in number");
		for (i = 0; i < n; i++) {
			int64_t ms;

			/* a server's 1e300 is refused, not wrapped */
			if (cw_timespec_from_number(cJSON_GetArrayItem(ts, i)
					->valuedouble, 1000, &ms) < 0)
				return cw_err_set(err, "GetMetricData: a "
					"timestamp out of range");
			if (add_point(line, ms,
					cJSON_GetArrayItem(vs, i)->valuedouble) < 0)
				return cw_err_set(err, "GetMetricData: more than "
					"%zu points", MAX_POINTS);
		}
	}
	return 0;
}

static int fetch_page(void *arg, cJSON **res, struct cw_err *err)
{
	return take_page(arg, *res, err);
}

struct point {
	int64_t t;
	double v;
};

static int by_time(const void *a, const void *b)
{
	const struct point *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/* Oldest first, even from a server that ignored ScanBy. */
static int sort_points(struct cw_metric_series *s)
{
	struct point *p;
	size_t i;

	for (i = 1; i < s->n && s->t_ms[i - 1] <= s->t_ms[i]; i++)
		;
	if (i >= s->n)
		return 0;
	if (!(p = malloc(s->n * sizeof(*p))))
		return -1;
	for (i = 0; i < s->n; i++)
		p[i] = (struct point){ s->t_ms[i], s->v[i] };
	qsort(p, s->n, sizeof(*p), by_time);
	for (i = 0; i < s->n; i++) {
		s->t_ms[i] = p[i].t;
		s->v[i] = p[i].v;
	}
	free(p);
	return 0;
}

int cw_metric_fetch(struct cw_client *c, struct cw_metric_series *s,
	int64_t start_ms, int64_t end_ms, struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject();
	size_t i;
	int rc = -1;

	if (!req || !cJSON_AddItemReferenceToObject(req, "MetricDataQueries",
			s->queries)
			|| !cJSON_AddNumberToObject(req, "StartTime",
				(double)(start_ms / 1000))
			|| !cJSON_AddNumberToObject(req, "EndTime",
				(double)((end_ms + 999) / 1000))
			|| !cJSON_AddStringToObject(req, "ScanBy",
				"TimestampAscending")) {
		cw_err_set(err, "out of memory");
		goto out;
	}
	rc = cw_awsjson_paginate(c, &cw_service_monitoring, "GetMetricData",
		req, "NextToken", fetch_page, s, err);
	for (i = 0; rc == 0 && i <= s->nbands; i++)
		if (sort_points(i ? &s->bands[i - 1] : s) < 0)
			rc = cw_err_set(err, "out of memory");
out:
	cJSON_Delete(req);
	return rc;
}

int cw_metric_breach(const struct cw_metric_series *s, double v)
{
	switch (s->cmp) {
	case CW_METRIC_GT: return v > s->threshold;
	case CW_METRIC_GE: return v >= s->threshold;
	case CW_METRIC_LT: return v < s->threshold;
	case CW_METRIC_LE: return v <= s->threshold;
	default: return 0;
	}
}
