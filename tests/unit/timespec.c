#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "timespec.h"
#include "tap.h"
#include "banned.h"

static const int64_t now = 1795000000000LL;	/* 2026-11-18T... UTC */

static int64_t parse(const char *s)
{
	struct cw_err e;
	int64_t t = -1;

	if (cw_timespec_parse(s, now, &t, &e) < 0)
		return -1;
	return t;
}

/* Calendar dates are checked, not normalised into the next month. */
static void calendar(void)
{
	static const char *const bad[] = {
		"2026-02-30", "2026-02-29", "2025-02-29T00:00:00Z", "2026-04-31",
		"2026-06-31 12:00", "2100-02-29", "2026-11-23T24:00:00Z",
		"2026-11-23T23:60Z", "2026-00-10", "2026-11-00", "2026-11-23T06:00:00.Z",
	};
	size_t i;

	setenv("TZ", "UTC", 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse(bad[i]) == -1, "%s is refused", bad[i]);
	is_int(parse("2024-02-29"), 1709164800000LL, "2024-02-29, a leap day");
	is_int(parse("2000-02-29T00:00:00Z"), 951782400000LL,
		"2000-02-29: a leap year though divisible by 100");
	is_int(parse("2026-12-31T23:59:59.999Z"), 1798761599999LL,
		"the last ms of a year");
}

/* Every time is within 1970..9999, whatever its form. */
static void bounds(void)
{
	static const char *const bad[] = {
		"99999999999999999", "253402300800000",
		"9223372036854775807", "9223372036854775808", "2968w",
		"20776d", "99999999999999w", "1969-12-31T23:59:59Z",
		"0000-01-01", "2026-01-01T00:00:00+25",
	};
	struct cw_err e;
	int64_t t = 0;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(parse(bad[i]) == -1, "%s is refused", bad[i]);
	is_int(parse("253402300799999"), CW_TIME_MAX, "the last ms of 9999");
	is_int(parse("2967w"), now - 2967 * 604800000LL, "2967 weeks ago is still after 1970");
	cw_timespec_parse("99999999999999999", now, &t, &e);
	is_str(e.msg, "time '99999999999999999': out of range (1970 to 9999)",
		"the error says it is out of range");
	cw_timespec_parse("2026-02-30", now, &t, &e);
	is_str(e.msg, "time '2026-02-30': not a valid date and time",
		"a bad date says so");
	ok(strstr(e.msg, "--since") == NULL, "no option name in the library's message");
}

static void machine(void)
{
	int64_t t = -1;

	ok(cw_timespec_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t) == 0
		&& t == 784111777000LL, "an HTTP date");
	ok(cw_timespec_http_date("Mon, 30 Feb 2026 08:49:37 GMT", &t) < 0,
		"an HTTP date on February 30th is refused");
	ok(cw_timespec_http_date("Sun, 06 Nov 1994 08:49:37 GMT junk", &t) < 0,
		"an HTTP date with junk is refused");
	ok(cw_timespec_iso("2026-02-29T00:00:00Z", &t) < 0, "ISO: no February 29th in 2026");
	ok(cw_timespec_from_number(1e300, 1, &t) < 0, "1e300 is out of range");
	ok(cw_timespec_from_number(-1, 1, &t) < 0, "-1 is out of range");
	ok(cw_timespec_from_number(NAN, 1, &t) < 0, "NaN is out of range");
	ok(cw_timespec_from_number(9.3e18, 1, &t) < 0, "past INT64_MAX is out of range");
	ok(cw_timespec_from_number(1.5, 1, &t) < 0, "a fraction of a ms is refused");
	ok(cw_timespec_from_number(1795000000123.0, 1, &t) == 0
		&& t == 1795000000123LL, "a plain ms value");
	ok(cw_timespec_from_number(1795000000, 1000, &t) == 0
		&& t == 1795000000000LL, "seconds scaled to ms");
	ok(cw_timespec_from_number(1795000000.123, 1000, &t) == 0
		&& t == 1795000000123LL, "a fraction of a second kept to the ms");
	ok(cw_timespec_from_number(-1e300, 1000, &t) < 0
		&& cw_timespec_from_number(9.3e18, 1000, &t) < 0,
		"scaled seconds out of range");
	ok(cw_timespec_valid(CW_TIME_MAX) && !cw_timespec_valid(CW_TIME_MAX + 1)
		&& !cw_timespec_valid(INT64_MIN), "valid() follows the bounds");
}

int main(void)
{
	struct cw_err e;
	int64_t t;

	setenv("TZ", "UTC", 1);
	is_int(parse("30s"), now - 30000, "30s is thirty seconds ago");
	is_int(parse("10m"), now - 600000, "10m");
	is_int(parse("2h"), now - 7200000, "2h");
	is_int(parse("3d"), now - 3 * 86400000LL, "3d");
	is_int(parse("1w"), now - 604800000LL, "1w");
	is_int(parse("now"), now, "now");
	is_int(parse("1700000000"), 1700000000000LL, "epoch seconds");
	is_int(parse("1700000000123"), 1700000000123LL, "epoch milliseconds");
	is_int(parse("2026-11-23T06:00:00Z"), 1795413600000LL, "ISO 8601 UTC");
	is_int(parse("2026-11-23T07:00:00+01:00"), 1795413600000LL,
		"ISO 8601 with an offset");
	is_int(parse("2026-11-23T01:00:00-0500"), 1795413600000LL,
		"ISO 8601 with a compact negative offset");
	is_int(parse("2026-11-23T06:00:00.250Z"), 1795413600250LL,
		"fractional seconds");
	is_int(parse("2026-11-23 06:00"), 1795413600000LL,
		"no zone is local time (TZ=UTC here)");
	is_int(parse("2026-11-23"), 1795392000000LL, "a date alone is midnight");
	setenv("TZ", "Europe/London", 1);
	is_int(parse("2026-07-01 12:00"), 1782903600000LL,
		"local time follows TZ, summer time included");
	ok(parse("10x") == -1, "an unknown unit is refused");
	ok(parse("-5m") == -1, "a negative duration is refused");
	ok(parse("") == -1, "empty is refused");
	ok(parse("2026-13-01") == -1, "month 13 is refused");
	ok(parse("2026-11-23T06:00:00+25:00") == -1, "offset +25:00 is refused");
	ok(parse("99999999999999999999999m") == -1, "overflow is refused");
	cw_timespec_parse("soon", now, &t, &e);
	is_str(e.msg, "time 'soon': expected now, an age (30s, 10m, 2h, 3d, "
		"1w), an ISO 8601 time (2026-01-31, 2026-01-31T08:00, "
		"2026-01-31T08:00:00Z or +01:00) or epoch seconds or milliseconds",
		"the error lists every accepted form");
	ok(parse("30s") > 0 && parse("1w") > 0 && parse("2026-01-31") > 0
		&& parse("2026-01-31T08:00") > 0
		&& parse("2026-01-31T08:00:00Z") > 0
		&& parse("2026-01-31T08:00:00+01:00") > 0
		&& parse("1769846400") > 0 && parse("1769846400000") > 0,
		"each form the error shows is accepted");
	calendar();
	bounds();
	machine();
	return tap_done();
}
