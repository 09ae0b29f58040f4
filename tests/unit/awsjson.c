/* Numbers from a server, bounded before any integer conversion. */
#include <stdint.h>

#include <cjson/cJSON.h>

#include "awsjson.h"
#include "tap.h"
#include "banned.h"

int main(void)
{
	cJSON *o = cJSON_Parse("{\"huge\":1e300,\"neg\":-5,\"frac\":1.5,"
		"\"ms\":1700000000123,\"s\":\"12\",\"days\":30,\"big\":9.3e18}");

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
	cJSON_Delete(o);
	return tap_done();
}
