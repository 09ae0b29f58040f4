#include <stdlib.h>
#include <string.h>

#include "fakewire.h"
#include "metric.h"
#include "tap.h"
#include "banned.h"

#define MIN (60 * 1000LL)
#define HOUR (60 * MIN)
#define DAY (24 * HOUR)

static char ak[] = "AKIAIOSFODNN7EXAMPLE";
static char sk[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
static struct cw_keys keys = { ak, sk, NULL, 0, "test" };

/* "t=v ..." of a line, in seconds. */
static const char *points(const struct cw_metric_series *s)
{
	static char buf[256];
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < s->n && k < sizeof(buf); i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%lld=%g",
			i ? " " : "", (long long)(s->t_ms[i] / 1000), s->v[i]);
	return buf;
}

/* An anomaly alarm: results matched by Id in whatever order they come,
 * over two pages, a query not drawn left out, each line sorted. */
static void anomaly_band(void)
{
	static const struct fake_step steps[] = {
		{ .status = 200, .body = "{\"MetricDataResults\":["
			"{\"Id\":\"ad1\",\"Label\":\"b Upper\","
			"\"Timestamps\":[120,60],\"Values\":[9,8]},"
			"{\"Id\":\"x\",\"Label\":\"x\",\"Timestamps\":[60],"
			"\"Values\":[99]},"
			"{\"Id\":\"m1\",\"Label\":\"m\",\"Timestamps\":[60],"
			"\"Values\":[1],\"StatusCode\":\"PartialData\"},"
			"{\"Id\":\"ad1\",\"Label\":\"b Lower\","
			"\"Timestamps\":[60],\"Values\":[0]}],"
			"\"NextToken\":\"t\"}" },
		{ .status = 200, .body = "{\"MetricDataResults\":["
			"{\"Id\":\"ad1\",\"Label\":\"b Lower\","
			"\"Timestamps\":[120],\"Values\":[-1]},"
			"{\"Id\":\"m1\",\"Label\":\"m\",\"Timestamps\":[120],"
			"\"Values\":[2]}]}" },
	};
	cJSON *a = cJSON_Parse("{\"AlarmName\":\"odd\",\"Metrics\":["
		"{\"Id\":\"ad1\",\"Expression\":\"ANOMALY_DETECTION_BAND(m1)\"},"
		"{\"Id\":\"x\",\"Expression\":\"m1*2\",\"ReturnData\":false},"
		"{\"Id\":\"m1\",\"MetricStat\":{\"Metric\":{\"Namespace\":\"N\","
		"\"MetricName\":\"M\"},\"Period\":60,\"Stat\":\"Average\"}}],"
		"\"ThresholdMetricId\":\"ad1\",\"ComparisonOperator\":"
		"\"LessThanLowerOrGreaterThanUpperThreshold\"}");
	struct cw_metric_series s;
	struct fake_wire w;
	struct cw_client c;
	struct cw_err e;

	memset(&s, 0, sizeof(s));
	fake_client_init(&c, &w, steps, 2, &keys);
	c.max_attempts = 1;
	ok(cw_metric_series_alarm(&s, a, &e) == 0, "an anomaly detection alarm");
	is_str(s.id, "m1", "the query drawn: the one returned that is not the band");
	is_int(cw_metric_fetch(&c, &s, 0, 180000, &e), 0, "two pages read");
	is_str(points(&s), "60=1 120=2", "the metric: its own points only");
	is_int((long long)s.nbands, 2, "the band: two lines");
	if (s.nbands == 2) {
		is_str(s.bands[0].label, "b Upper", "a line by its label");
		is_str(points(&s.bands[0]), "60=8 120=9", "its points, oldest first");
		is_str(s.bands[1].label, "b Lower", "the other");
		is_str(points(&s.bands[1]), "60=0 120=-1", "its points across pages");
	}
	cw_metric_series_release(&s);
	cw_client_release(&c);
	cJSON_Delete(a);
}

int main(void)
{
	static const char *const good[] = { "Average", "Sum", "Minimum",
		"Maximum", "SampleCount", "p95", "p99.9", "p0", "p100", "tm90",
		"wm99", "tc10", "ts50.5", "IQM", "TM(10%:90%)", "TM(150:1000)",
		"WM(:95%)", "TC(10%:)", "PR(:300)", "PR(100:2000)" };
	static const char *const bad[] = { "Mean", "average", "p", "p101",
		"p99.12345678901", "pp9", "tm", "TM()", "TM(:)", "TM(10%:90%",
		"PR(a:b)", "", "p9x", "IQM2", "p1000" };
	struct cw_metric_series s;
	struct cw_err e;
	char *dims[] = { "Service=api", "Az=eu-west-1a" };
	char *text;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(cw_metric_stat_valid(good[i]), "statistic %s", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(!cw_metric_stat_valid(bad[i]), "not a statistic: '%s'", bad[i]);

	ok(cw_metric_period_check("--period", 60, 0, HOUR, &e) == 0, "60 s");
	ok(cw_metric_period_check("--period", 10, 0, HOUR, &e) == 0, "10 s within 3 h");
	ok(cw_metric_period_check("--period", 45, 0, HOUR, &e) < 0, "45 s refused");
	ok(cw_metric_period_check("--period", 10, 0, 4 * HOUR, &e) < 0, "10 s for older data refused");
	ok(cw_metric_period_check("--period", 120, 0, 20 * DAY, &e) < 0, "120 s for 20-day-old data refused");
	ok(cw_metric_period_check("--period", 600, 0, 20 * DAY, &e) == 0, "600 s for 20-day-old data");
	ok(cw_metric_period_check("--period", 1800, 0, 70 * DAY, &e) < 0, "1800 s for 70-day-old data refused");
	is_int(cw_metric_period_for(0, 3 * HOUR, 3 * HOUR, 60), 180, "3 h in 60 points: 180 s");
	is_int(cw_metric_period_for(0, HOUR, HOUR, 1440), 60, "never below 60 s");
	is_int(cw_metric_period_for(0, 30 * DAY, 30 * DAY, 100), 26100, "old data: a multiple of 300");

	memset(&s, 0, sizeof(s));
	ok(cw_metric_series_metric(&s, "Shop", "Latency", dims, 2, 300, "p95", &e) == 0, "a metric");
	text = cJSON_PrintUnformatted(s.queries);
	is_str(text, "[{\"MetricStat\":{\"Metric\":{\"Dimensions\":[{\"Name\":\"Service\",\"Value\":\"api\"},{\"Name\":\"Az\",\"Value\":\"eu-west-1a\"}],\"Namespace\":\"Shop\",\"MetricName\":\"Latency\"},\"Period\":300,\"Stat\":\"p95\"},\"Id\":\"m0\"}]",
		"the query GetMetricData takes");
	free(text);
	cw_metric_series_release(&s);
	dims[0] = "nodim";
	ok(cw_metric_series_metric(&s, "Shop", "Latency", dims, 1, 60, "Sum", &e) < 0, "a dimension without =");
	cw_metric_series_release(&s);

	{
		cJSON *a = cJSON_Parse("{\"AlarmName\":\"x\",\"Namespace\":\"N\",\"MetricName\":\"M\",\"ExtendedStatistic\":\"p99\",\"Period\":120,\"Unit\":\"Seconds\",\"Threshold\":5,\"ComparisonOperator\":\"LessThanThreshold\",\"Dimensions\":[{\"Name\":\"A\",\"Value\":\"b\"}]}");

		ok(cw_metric_series_alarm(&s, a, &e) == 0, "a metric alarm");
		is_int(s.period, 120, "its period");
		is_str(s.stat, "p99", "its extended statistic");
		ok(s.cmp == CW_METRIC_LT && s.threshold == 5, "its threshold");
		ok(cw_metric_breach(&s, 4.9) && !cw_metric_breach(&s, 5), "below breaches a LessThan alarm");
		text = cJSON_PrintUnformatted(s.queries);
		ok(strstr(text, "\"Unit\":\"Seconds\"") && strstr(text, "{\"Name\":\"A\",\"Value\":\"b\"}"), "its unit and dimensions");
		free(text);
		cw_metric_series_release(&s);
		cJSON_Delete(a);
	}
	anomaly_band();
	return tap_done();
}
