#ifndef CW_SPARK_H
#define CW_SPARK_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/*
 * A series drawn as one line of eighth blocks (▁ to █), or of "_.-:=+*#"
 * without UTF-8, on a time axis cut into columns.
 */

/* How a column sums up the points that fall in it. */
enum cw_spark_agg { CW_SPARK_MEAN, CW_SPARK_MAX, CW_SPARK_MIN };

struct cw_spark {
	size_t cols;
	int64_t start_ms, end_ms;
	double *v;		/* per column */
	unsigned char *have;	/* the column has data (else a gap) */
	unsigned char *mark;	/* drawn highlighted (breaching) */
};

/* Allocates cols columns over [start_ms, end_ms). */
int cw_spark_init(struct cw_spark *s, size_t cols, int64_t start_ms,
	int64_t end_ms);
void cw_spark_release(struct cw_spark *s);

/* Places n points (t ascending), each covering period_ms, into the
 * columns: a column takes every point that overlaps it, so coarse data
 * stretches over several columns and fine data is summed up by agg. */
void cw_spark_fill(struct cw_spark *s, const int64_t *t, const double *v,
	size_t n, int64_t period_ms, enum cw_spark_agg agg);

/* Draws the columns scaled to [lo, hi]; marked columns in red when
 * color. Gaps are spaces. */
int cw_spark_draw(struct cw_buf *b, const struct cw_spark *s, double lo,
	double hi, int utf8, int color);

/* A time axis as wide as the columns: the start at the left, the end at
 * the right, local time or UTC. */
int cw_spark_axis(struct cw_buf *b, const struct cw_spark *s, int utc);

#endif
