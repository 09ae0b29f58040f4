/* Alarm times from a server, bounded before any integer conversion:
 * DescribeAlarms and DescribeAlarmHistory over the scripted wire. */
#include <stdio.h>
#include <string.h>

#include "fakewire.h"
#include "alarms.h"
#include "awsjson.h"
#include "client.h"
#include "tap.h"
#include "banned.h"

static char ak[] = "AKIAIOSFODNN7EXAMPLE";
static char sk[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
static struct cw_keys keys = { ak, sk, NULL, 0, "test" };
static struct fake_wire w;
static struct cw_client c;
static struct cw_buf got = CW_BUF_INIT;

/* Each alarm's since_ms: 1e300, -1e300, 9.3e18 and 1e999 (infinity,
 * as the parser reads it) are unknown; the last falls back to
 * StateUpdatedTimestamp; fractions of a second are kept to the ms. */
static void describe(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"MetricAlarms\":["
			"{\"AlarmName\":\"a\",\"StateTransitionedTimestamp\":1e300},"
			"{\"AlarmName\":\"b\",\"StateTransitionedTimestamp\":-1e300},"
			"{\"AlarmName\":\"c\",\"StateTransitionedTimestamp\":9.3e18},"
			"{\"AlarmName\":\"d\",\"StateTransitionedTimestamp\":1e999},"
			"{\"AlarmName\":\"e\",\"StateTransitionedTimestamp\":-1e999},"
			"{\"AlarmName\":\"f\",\"StateTransitionedTimestamp\":1700000000.123},"
			"{\"AlarmName\":\"g\",\"StateTransitionedTimestamp\":-9.3e18,"
			"\"StateUpdatedTimestamp\":1700000001}]}" },
	};
	struct cw_alarms_query q = { 0 };
	struct cw_alarms_set set = { 0 };
	struct cw_err e;
	size_t i;

	fake_client_init(&c, &w, s, 1, &keys);
	c.max_attempts = 1;
	ok(cw_alarms_describe(&c, &q, &set, &e) == 0, "DescribeAlarms read");
	cw_buf_reset(&got);
	for (i = 0; i < set.n; i++)
		cw_buf_addf(&got, "%s=%lld;", set.v[i].name,
			(long long)set.v[i].since_ms);
	is_str(cw_buf_str(&got), "a=0;b=0;c=0;d=0;e=0;f=1700000000123;"
		"g=1700000001000;", "times out of range are unknown");
	cw_alarms_set_release(&set);
}

static int record(void *arg, const struct cw_alarms_event *ev,
	struct cw_err *err)
{
	(void)arg;
	(void)err;
	if (ev->ms == CW_AWSJSON_BAD_TIME)
		cw_buf_adds(&got, "bad;");
	else
		cw_buf_addf(&got, "%lld;", (long long)ev->ms);
	return 0;
}

static void history(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"AlarmHistoryItems\":["
			"{\"Timestamp\":1e300},{\"Timestamp\":-1e300},"
			"{\"Timestamp\":9.3e18},{\"Timestamp\":1e999},"
			"{\"Timestamp\":1700000000.5},{}]}" },
	};
	struct cw_err e;

	fake_client_init(&c, &w, s, 1, &keys);
	c.max_attempts = 1;
	cw_buf_reset(&got);
	ok(cw_alarms_history(&c, "a", record, NULL, &e) == 0,
		"DescribeAlarmHistory read");
	is_str(cw_buf_str(&got), "bad;bad;bad;bad;1700000000500;0;",
		"history times out of range are bad times");
}

static void unique(void)
{
	const char *v[] = { "b", "a", "b", "c", "a", "b" };
	size_t i;

	is_int(cw_alarms_unique_names(v, 6), 3, "three names of six");
	cw_buf_reset(&got);
	for (i = 0; i < 3; i++)
		cw_buf_adds(&got, v[i]);
	is_str(cw_buf_str(&got), "bac", "each first, in the order given");
	is_int(cw_alarms_unique_names(v, 0), 0, "no names");
}

int main(void)
{
	unique();
	describe();
	history();
	cw_buf_release(&got);
	return tap_done();
}
