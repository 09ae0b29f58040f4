/* Numbers from a server, bounded before any integer conversion. */
#include <math.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "awsjson.h"
#include "tap.h"
#include "banned.h"

int main(void)
{
	cJSON *o = cJSON_Parse("{\"huge\":1e300,\"neg\":-5,\"frac\":1.5,"
		"\"ms\":1700000000123,\"s\":\"12\",\"days\":30,\"big\":9.3e18,"
		"\"nhuge\":-1e300,\"inf\":1e999,\"ninf\":-1e999,"
		"\"sec\":1.700000000123E9,\"nbig\":-9.3e18}");
	static const char *const bad[] = { "huge", "nhuge", "big", "nbig",
		"inf", "ninf", "neg", "nan" };
	size_t i;

	is_int(cw_awsjson_time(o, "ms"), 1700000000123LL, "a time in ms");
	ok(cw_awsjson_time(o, "huge") == CW_AWSJSON_BAD_TIME, "1e300 is a bad time");
	ok(cw_awsjson_time(o, "neg") == CW_AWSJSON_BAD_TIME, "-5 is a bad time");
	ok(cw_awsjson_time(o, "big") == CW_AWSJSON_BAD_TIME, "9.3e18 is a bad time");
	is_int(cw_awsjson_time(o, "none"), 0, "absent is 0");
	is_int(cw_awsjson_time(o, "s"), 0, "a string is absent");
	is_int(cw_awsjson_count(o, "days", 1000, -1), 30, "a count");
	is_int(cw_awsjson_count(o, "huge", INT64_MAX, -1), -1, "1e300: the default");
	is_int(cw_awsjson_count(o, "big", INT64_MAX, -1), -1, "past 2^62: the default");
	is_int(cw_awsjson_count(o, "neg", 1000, -1), -1, "negative: the default");
	is_int(cw_awsjson_count(o, "frac", 1000, -1), -1, "a fraction: the default");
	is_int(cw_awsjson_count(o, "days", 10, -1), -1, "past max: the default");
	cJSON_AddNumberToObject(o, "nan", NAN);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(cw_awsjson_time(o, bad[i]) == CW_AWSJSON_BAD_TIME,
			"%s ms: a bad time", bad[i]);
		ok(cw_awsjson_seconds(o, bad[i]) == CW_AWSJSON_BAD_TIME,
			"%s s: a bad time", bad[i]);
		ok(cw_awsjson_count(o, bad[i], INT64_MAX, -1) == -1,
			"%s: no count", bad[i]);
	}
	is_int(cw_awsjson_seconds(o, "sec"), 1700000000123LL,
		"seconds with a fraction, to the ms");
	is_int(cw_awsjson_seconds(o, "days"), 30000, "whole seconds");
	is_int(cw_awsjson_seconds(o, "none"), 0, "absent seconds are 0");
	cJSON_Delete(o);
	return tap_done();
}
