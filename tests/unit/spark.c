#include <stdlib.h>
#include <string.h>

#include "spark.h"
#include "tap.h"
#include "banned.h"

static const char *draw(const struct cw_spark *s, double lo, double hi,
	int utf8, int color)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_spark_draw(&b, s, lo, hi, utf8, color);
	return cw_buf_str(&b);
}

int main(void)
{
	struct cw_spark s;
	int64_t t[8];
	double v[8];
	struct cw_buf b = CW_BUF_INIT;
	int i;

	for (i = 0; i < 8; i++)
		t[i] = i * 60000, v[i] = i;
	ok(cw_spark_init(&s, 8, 0, 8 * 60000) == 0, "8 columns");
	cw_spark_fill(&s, t, v, 8, 60000, CW_SPARK_MEAN);
	is_str(draw(&s, 0, 7, 1, 0), "▁▂▃▄▅▆▇█", "one point a column: the eight levels");
	is_str(draw(&s, 0, 7, 0, 0), "_.-:=+*#", "ASCII ramp");
	s.mark[6] = s.mark[7] = 1;
	is_str(draw(&s, 0, 7, 1, 1), "▁▂▃▄▅▆\033[31m▇█\033[0m", "marked columns in red");
	is_str(draw(&s, 0, 0, 1, 0), "▄▄▄▄▄▄▄▄", "flat data: mid-height");
	cw_spark_release(&s);

	/* four columns, eight points: two a column */
	cw_spark_init(&s, 4, 0, 8 * 60000);
	cw_spark_fill(&s, t, v, 8, 60000, CW_SPARK_MAX);
	ok(s.v[0] == 1 && s.v[3] == 7, "max per column");
	cw_spark_release(&s);
	cw_spark_init(&s, 4, 0, 8 * 60000);
	cw_spark_fill(&s, t, v, 8, 60000, CW_SPARK_MEAN);
	ok(s.v[0] == 0.5 && s.v[3] == 6.5, "mean per column");
	cw_spark_release(&s);

	/* sixteen columns, eight points: each point spans two */
	cw_spark_init(&s, 16, 0, 8 * 60000);
	cw_spark_fill(&s, t, v, 8, 60000, CW_SPARK_MEAN);
	ok(s.have[0] && s.have[1] && s.v[1] == 0 && s.v[2] == 1, "coarse data stretches");
	cw_spark_release(&s);

	/* a gap stays a gap */
	cw_spark_init(&s, 8, 0, 8 * 60000);
	t[3] = 100 * 60000;
	cw_spark_fill(&s, t, v, 8, 60000, CW_SPARK_MEAN);
	is_str(draw(&s, 0, 7, 1, 0), "▁▂▃ ▅▆▇█", "a missing point is a space");
	cw_buf_release(&b);
	ok(cw_spark_axis(&b, &s, 1) == 0 && strlen(cw_buf_str(&b)) > 0, "an axis");
	cw_spark_release(&s);
	cw_spark_init(&s, 40, 0, 3600000);
	cw_buf_reset(&b);
	cw_spark_axis(&b, &s, 1);
	is_str(cw_buf_str(&b), "00:00             00:30            01:00", "axis: start, middle, end in UTC");
	cw_spark_release(&s);
	ok(cw_spark_init(&s, 0, 0, 1) < 0, "no columns refused");
	ok(cw_spark_init(&s, 4, 10, 10) < 0, "an empty window refused");
	cw_buf_release(&b);
	return tap_done();
}
