#ifndef CW_METRIC_H
#define CW_METRIC_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "err.h"

/*
 * CloudWatch metric data for cw-metric: GetMetricData queries built from
 * a metric or taken from an alarm (metric math included), paged until
 * the end, oldest point first. Results are matched to the queries by
 * their Id, in whatever order and pages they come: the drawn query's go
 * to the series, an anomaly detection band's (the alarm's
 * ThresholdMetricId) to lines of their own, one per result label.
 */

#define CW_METRIC_MAX_BANDS 4	/* lines of one band: lower, upper */

/* How a threshold is crossed. */
enum cw_metric_cmp {
	CW_METRIC_NONE,
	CW_METRIC_GT, CW_METRIC_GE, CW_METRIC_LT, CW_METRIC_LE
};

/* One line of the picture: what to ask for and what came back. */
struct cw_metric_series {
	char label[512];	/* for display; from the command; a band
				 * line's: the result's Label */
	cJSON *queries;		/* MetricDataQueries */
	char id[256];		/* the Id of the query drawn */
	char band_id[256];	/* the anomaly band's Id; "" none */
	struct cw_metric_series *bands;	/* its lines, as they came */
	size_t nbands;
	int period;		/* seconds */
	char stat[64];		/* "Average", "p95", "math" */
	enum cw_metric_cmp cmp;
	double threshold;
	int64_t *t_ms;		/* ascending */
	double *v;
	size_t n, cap;
};

/* 1 when s is a statistic GetMetricData takes: SampleCount, Sum,
 * Average, Minimum, Maximum, pNN[.N], tmNN, wmNN, tcNN, tsNN, IQM,
 * TM(a:b) and the like with % or absolute bounds, PR(a:b). */
int cw_metric_stat_valid(const char *s);

/* Checks a --period against the rules for data start_ms old at now_ms
 * (1, 5, 10, 20, 30 or n*60 within 3 hours; n*60 to 15 days; n*300 to
 * 63 days; n*3600 beyond); the message names opt. */
int cw_metric_period_check(const char *opt, long period, int64_t start_ms,
	int64_t now_ms, struct cw_err *err);
/* The smallest legal period of at least 60 s that gives at most points
 * points over [start_ms, end_ms). */
int cw_metric_period_for(int64_t start_ms, int64_t end_ms, int64_t now_ms,
	size_t points);

/* Sets s up for one metric: namespace, name, dims as "NAME=VALUE"
 * strings. */
int cw_metric_series_metric(struct cw_metric_series *s, const char *ns,
	const char *name, char *const *dims, size_t ndims, int period,
	const char *stat, struct cw_err *err);
/* Sets s up from a DescribeAlarms item: its metric or its Metrics[]
 * (metric math: the query drawn is the first that returns data and is
 * not the ThresholdMetricId), its period, statistic and threshold. */
int cw_metric_series_alarm(struct cw_metric_series *s, const cJSON *alarm,
	struct cw_err *err);
void cw_metric_series_release(struct cw_metric_series *s);

/* GetMetricData over [start_ms, end_ms) for s->queries, every page,
 * filling s->t_ms and s->v, and s->bands; each line oldest point first.
 * Results of other Ids are left out. */
int cw_metric_fetch(struct cw_client *c, struct cw_metric_series *s,
	int64_t start_ms, int64_t end_ms, struct cw_err *err);

/* Whether v breaches s's threshold. */
int cw_metric_breach(const struct cw_metric_series *s, double v);

#endif
