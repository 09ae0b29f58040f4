#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sgr.h"
#include "spark.h"
#include "timespec.h"
#include "banned.h"

#define RED CW_SGR_RED
#define RESET CW_SGR_RESET

static const char *const blocks[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
static const char ascii[] = "_.-:=+*#";

int cw_spark_init(struct cw_spark *s, size_t cols, int64_t start_ms,
	int64_t end_ms)
{
	memset(s, 0, sizeof(*s));
	if (cols == 0 || end_ms <= start_ms)
		return -1;
	s->cols = cols;
	s->start_ms = start_ms;
	s->end_ms = end_ms;
	s->v = calloc(cols, sizeof(*s->v));
	s->have = calloc(cols, 1);
	s->mark = calloc(cols, 1);
	if (!s->v || !s->have || !s->mark) {
		cw_spark_release(s);
		return -1;
	}
	return 0;
}

void cw_spark_release(struct cw_spark *s)
{
	free(s->v);
	free(s->have);
	free(s->mark);
	memset(s, 0, sizeof(*s));
}

/* The column holding time t, clamped. */
static size_t column(const struct cw_spark *s, int64_t t)
{
	double f = (double)(t - s->start_ms) / (double)(s->end_ms - s->start_ms);
	double c = floor(f * (double)s->cols);

	/* NaN (a zero-wide window) goes to the first column, not to an
	 * undefined conversion */
	return !(c > 0) ? 0 : c >= (double)s->cols ? s->cols - 1 : (size_t)c;
}

void cw_spark_fill(struct cw_spark *s, const int64_t *t, const double *v,
	size_t n, int64_t period_ms, enum cw_spark_agg agg)
{
	unsigned *count = calloc(s->cols, sizeof(*count));
	size_t i, c, first, last;

	if (!count)
		return;
	for (i = 0; i < n; i++) {
		if (t[i] + period_ms <= s->start_ms || t[i] >= s->end_ms)
			continue;
		first = column(s, t[i]);
		last = column(s, t[i] + (period_ms > 0 ? period_ms - 1 : 0));
		for (c = first; c <= last; c++) {
			if (!count[c]++)
				s->v[c] = v[i];
			else if (agg == CW_SPARK_MAX)
				s->v[c] = fmax(s->v[c], v[i]);
			else if (agg == CW_SPARK_MIN)
				s->v[c] = fmin(s->v[c], v[i]);
			else
				s->v[c] += v[i];
			s->have[c] = 1;
		}
	}
	for (c = 0; agg == CW_SPARK_MEAN && c < s->cols; c++)
		if (count[c] > 1)
			s->v[c] /= count[c];
	free(count);
}

static int level(double v, double lo, double hi)
{
	double f;

	if (!(hi > lo))
		return 3;	/* flat data: mid-height */
	f = (v - lo) / (hi - lo);
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return (int)lrint(f * 7);
}

int cw_spark_draw(struct cw_buf *b, const struct cw_spark *s, double lo,
	double hi, int utf8, int color)
{
	size_t c;
	int rc = 0, red = 0, l;

	for (c = 0; c < s->cols && rc == 0; c++) {
		if (color && s->mark[c] != red) {
			rc |= cw_buf_adds(b, s->mark[c] ? RED : RESET);
			red = s->mark[c];
		}
		if (!s->have[c]) {
			rc |= cw_buf_addc(b, ' ');
			continue;
		}
		l = level(s->v[c], lo, hi);
		rc |= utf8 ? cw_buf_adds(b, blocks[l]) : cw_buf_addc(b, ascii[l]);
	}
	if (red)
		rc |= cw_buf_adds(b, RESET);
	return rc ? -1 : 0;
}

static void stamp(char *buf, size_t size, int64_t ms, int utc, int dates)
{
	if (!cw_timespec_format(buf, size, dates ? CW_TIMEFMT_DAY_MINUTE
			: CW_TIMEFMT_MINUTE, ms, utc))
		snprintf(buf, size, "?");
}

int cw_spark_axis(struct cw_buf *b, const struct cw_spark *s, int utc)
{
	char l[32], r[32], m[32];
	int dates = s->end_ms - s->start_ms > 86400LL * 1000;
	size_t ll, rl, ml, mid;

	stamp(l, sizeof(l), s->start_ms, utc, dates);
	stamp(r, sizeof(r), s->end_ms, utc, dates);
	stamp(m, sizeof(m), s->start_ms + (s->end_ms - s->start_ms) / 2, utc,
		dates);
	ll = strlen(l);
	rl = strlen(r);
	ml = strlen(m);
	if (s->cols < ll + rl + 1)
		return cw_buf_adds(b, l);
	mid = s->cols / 2 - ml / 2;
	if (mid > ll + 1 && mid + ml + 1 < s->cols - rl)
		return cw_buf_addf(b, "%s%*s%s%*s%s", l, (int)(mid - ll), "", m,
			(int)(s->cols - rl - mid - ml), "", r);
	return cw_buf_addf(b, "%s%*s%s", l, (int)(s->cols - ll - rl), "", r);
}
