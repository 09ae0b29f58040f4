#ifndef CW_TIMESPEC_H
#define CW_TIMESPEC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * Every time in the library is ms since the epoch within these bounds:
 * 1970-01-01 to the end of 9999-12-31 UTC, what the services accept and
 * four-digit years can show. Values outside come from nowhere but bad
 * input, and are refused (or, from a server, shown as out of range).
 */
#define CW_TIME_MIN ((int64_t)0)
#define CW_TIME_MAX ((int64_t)253402300799999)

/* 1 when ms is within the bounds. */
int cw_timespec_valid(int64_t ms);

/*
 * Parses a point in time given by a person into ms since the epoch:
 * relative to now_ms ("30s", "10m", "2h", "3d", "1w", meaning that long
 * ago), ISO 8601 with or without zone ("2026-11-23T06:00:00Z",
 * "...+01:00", "2026-11-23 06:00", "2026-11-23"; no zone is local time),
 * "now", or epoch seconds or milliseconds (by magnitude). Dates are
 * checked against the calendar (no February 30th). The message says
 * what was wrong with the time, not which option gave it:
 * "time '...': why".
 */
int cw_timespec_parse(const char *s, int64_t now_ms, int64_t *out,
	struct cw_err *err);

/* A machine's ISO 8601 time ("2026-01-02T03:04:05Z", fractions,
 * "+hh:mm" offsets, a trailing "UTC"; no zone is UTC), as STS, SSO
 * caches and credential processes write them. 0 or -1. */
int cw_timespec_iso(const char *s, int64_t *ms);

/* An HTTP Date header ("Sun, 06 Nov 1994 08:49:37 GMT"). 0 or -1. */
int cw_timespec_http_date(const char *s, int64_t *ms);

/* A JSON number of ms (or, with scale 1000, seconds) from a server: 0
 * with *ms set when it is a whole time within the bounds, -1 when not
 * (NaN, 1e300, negative). Scaled values are rounded to the ms; a
 * fraction of a ms unscaled is refused. The one place where a server's
 * time becomes an integer. */
int cw_timespec_from_number(double v, int64_t scale, int64_t *ms);

/* The formats of cwkit's times, for cw_timespec_format. */
#define CW_TIMEFMT_ISO "%Y-%m-%dT%H:%M:%SZ"	/* data, with utc set */
#define CW_TIMEFMT_AMZ "%Y%m%dT%H%M%SZ"		/* X-Amz-Date, utc set */
#define CW_TIMEFMT_FULL "%Y-%m-%d %H:%M:%S"	/* events */
#define CW_TIMEFMT_DAY_MINUTE "%m-%d %H:%M"	/* chart axes */
#define CW_TIMEFMT_MINUTE "%H:%M"

/* Writes the second of ms in fmt (strftime's), in UTC or the local
 * zone. Returns the length, 0 (buf "") when ms is out of range or the
 * text does not fit in size. The one place times are formatted. */
size_t cw_timespec_format(char *buf, size_t size, const char *fmt,
	int64_t ms, int utc) __attribute__((format(strftime, 3, 0)));

#endif
