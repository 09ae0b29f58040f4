#include <stdlib.h>

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
	is_str(e.msg, "time 'soon': expected 10m, 2h, 3d, an ISO 8601 time "
		"or epoch seconds", "the error says what is accepted");
	return tap_done();
}
