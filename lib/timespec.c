#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timespec.h"
#include "banned.h"

static int relative(const char *s, int64_t now_ms, int64_t *out)
{
	static const struct { char unit; int64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 },
		{ 'd', 86400000 }, { 'w', 604800000 },
	};
	char *end;
	long long n;
	size_t i;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s || !isdigit((unsigned char)*s) || !*end
			|| end[1] != '\0')
		return 0;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (*end == units[i].unit && n < INT64_MAX / units[i].ms) {
			*out = now_ms - n * units[i].ms;
			return 1;
		}
	return 0;
}

static int epoch(const char *s, int64_t *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno || end == s || *end || !isdigit((unsigned char)*s))
		return 0;
	/* Seconds until the year 5138, milliseconds after. */
	*out = n < 100000000000LL ? n * 1000 : n;
	return 1;
}

/* "Z", "+hh:mm", "+hhmm", "-hh" -> offset in seconds; 0 when absent. */
static int zone(const char *z, int *has_zone, long *offset)
{
	int h = 0, m = 0, n = 0;

	*has_zone = 0;
	*offset = 0;
	if (!*z)
		return 1;
	*has_zone = 1;
	if ((z[0] == 'Z' || z[0] == 'z') && !z[1])
		return 1;
	if ((z[0] != '+' && z[0] != '-')
			|| (sscanf(z + 1, "%2d:%2d%n", &h, &m, &n) != 2
			&& sscanf(z + 1, "%2d%2d%n", &h, &m, &n) != 2
			&& sscanf(z + 1, "%2d%n", &h, &n) != 1)
			|| z[1 + n] || h > 23 || m > 59)
		return 0;
	*offset = (h * 3600L + m * 60L) * (z[0] == '-' ? -1 : 1);
	return 1;
}

static int iso(const char *s, int64_t *out)
{
	static const char *const forms[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M",
		"%Y-%m-%d %H:%M", "%Y-%m-%d",
	};
	struct tm tm;
	const char *rest = NULL;
	long ms = 0, offset;
	int has_zone, digits = 0;
	size_t i;
	time_t t;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]) && !rest; i++) {
		memset(&tm, 0, sizeof(tm));
		rest = strptime(s, forms[i], &tm);
	}
	if (!rest)
		return 0;
	if (*rest == '.') {
		for (rest++; isdigit((unsigned char)*rest); rest++, digits++)
			if (digits < 3)
				ms = ms * 10 + (*rest - '0');
		while (digits > 0 && digits < 3)
			ms *= 10, digits++;
	}
	if (!zone(rest, &has_zone, &offset))
		return 0;
	tm.tm_isdst = -1;
	t = has_zone ? timegm(&tm) - offset : mktime(&tm);
	if (t == (time_t)-1)
		return 0;
	*out = (int64_t)t * 1000 + ms;
	return 1;
}

int cw_timespec_parse(const char *s, int64_t now_ms, int64_t *out,
	struct cw_err *err)
{
	if (strcmp(s, "now") == 0) {
		*out = now_ms;
		return 0;
	}
	if (relative(s, now_ms, out) || epoch(s, out) || iso(s, out))
		return 0;
	return cw_err_set(err, "time '%.64s': expected 10m, 2h, 3d, an ISO "
		"8601 time or epoch seconds", s);
}

int cw_timespec_window(const char *since, const char *until,
	const char *def_since, int64_t now_ms, int64_t *start, int64_t *end,
	struct cw_err *err)
{
	*end = 0;
	if (cw_timespec_parse(since ? since : def_since, now_ms, start,
			err) < 0)
		return cw_err_wrap(err, "--since");
	if (until && cw_timespec_parse(until, now_ms, end, err) < 0)
		return cw_err_wrap(err, "--until");
	if (*end && *end < *start)
		return cw_err_set(err, "--until is before --since");
	return 0;
}
