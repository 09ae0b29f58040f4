/*
 * The one time parser of the library: what people type (--since), what
 * machines write (ISO 8601 from STS and SSO), HTTP dates, and numbers
 * from servers, all checked against the calendar and the bounds.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "timespec.h"
#include "banned.h"

struct civil {
	int y, mo, d, h, mi, s, ms;
	int has_zone;
	long offset_s;
};

int cw_timespec_valid(int64_t ms)
{
	return ms >= CW_TIME_MIN && ms <= CW_TIME_MAX;
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian, y >= 1970. */
static int64_t epoch_days(int y, int m, int d)
{
	int64_t n = 0;
	int i;

	n = (int64_t)(y - 1970) * 365 + (y - 1969) / 4 - (y - 1901) / 100
		+ (y - 1601) / 400;
	for (i = 1; i < m; i++)
		n += month_days(y, i);
	return n + d - 1;
}

static int valid_civil(const struct civil *c)
{
	return c->y <= 9999 && c->mo >= 1 && c->mo <= 12
		&& c->d >= 1 && c->d <= month_days(c->y, c->mo)
		&& c->h <= 23 && c->mi <= 59 && c->s <= 60;
}

/* -1, out of range, before 1970. */
static int64_t utc_ms(const struct civil *c)
{
	if (c->y < 1970)
		return -1;
	return ((epoch_days(c->y, c->mo, c->d) * 24 + c->h) * 60 + c->mi)
		* 60000 + (int64_t)c->s * 1000 + c->ms - c->offset_s * 1000;
}

static int digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -1;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return 0;
}

static int expect(const char **s, char c)
{
	if (**s != c)
		return -1;
	(*s)++;
	return 0;
}

/* "", "Z", "UTC", "+hh:mm", "+hhmm", "-hh". */
static int zone(const char *z, struct civil *c)
{
	int h = 0, m = 0, sign;

	c->has_zone = *z != '\0';
	c->offset_s = 0;
	if (!*z || strcasecmp(z, "Z") == 0 || strcmp(z, "UTC") == 0)
		return 0;
	if (*z != '+' && *z != '-')
		return -1;
	sign = *z++ == '-' ? -1 : 1;
	if (digits(&z, 2, &h) < 0)
		return -1;
	if (*z == ':')
		z++;
	if (*z && digits(&z, 2, &m) < 0)
		return -1;
	if (*z || h > 23 || m > 59)
		return -1;
	c->offset_s = sign * (h * 3600L + m * 60L);
	return 0;
}

/* "YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][zone]"; need_time: the time part
 * is required. Fields are checked, not normalised. */
static int iso_fields(const char *s, int need_time, struct civil *c)
{
	int digits_seen = 0;

	memset(c, 0, sizeof(*c));
	if (digits(&s, 4, &c->y) < 0 || expect(&s, '-') < 0
			|| digits(&s, 2, &c->mo) < 0 || expect(&s, '-') < 0
			|| digits(&s, 2, &c->d) < 0)
		return -1;
	if (*s == 'T' || *s == 't' || (*s == ' ' && isdigit((unsigned char)s[1]))) {
		s++;
		if (digits(&s, 2, &c->h) < 0 || expect(&s, ':') < 0
				|| digits(&s, 2, &c->mi) < 0)
			return -1;
		if (*s == ':' && (s++, digits(&s, 2, &c->s) < 0))
			return -1;
	} else if (need_time)
		return -1;
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++, digits_seen++)
			if (digits_seen < 3)
				c->ms = c->ms * 10 + (*s - '0');
		if (!digits_seen)
			return -1;
		for (; digits_seen < 3; digits_seen++)
			c->ms *= 10;
	}
	return zone(s, c) < 0 || !valid_civil(c) ? -1 : 0;
}

/* A zoneless time is local: mktime knows the rules of TZ. */
static int local_ms(const struct civil *c, int64_t *out)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = c->y - 1900;
	tm.tm_mon = c->mo - 1;
	tm.tm_mday = c->d;
	tm.tm_hour = c->h;
	tm.tm_min = c->mi;
	tm.tm_sec = c->s;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (int64_t)t * 1000 + c->ms;
	return 0;
}

int cw_timespec_iso(const char *s, int64_t *ms)
{
	struct civil c;
	int64_t v;

	if (!s || iso_fields(s, 1, &c) < 0)
		return -1;
	v = utc_ms(&c);
	if (!cw_timespec_valid(v))
		return -1;
	*ms = v;
	return 0;
}

int cw_timespec_http_date(const char *s, int64_t *ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct civil c;
	const char *comma = strchr(s, ','), *m;
	int64_t v;

	memset(&c, 0, sizeof(c));
	if (!comma)
		return -1;
	s = comma + 1;
	while (*s == ' ')
		s++;
	if (digits(&s, 2, &c.d) < 0 || expect(&s, ' ') < 0 || strlen(s) < 4)
		return -1;
	for (m = months; *m && strncmp(m, s, 3) != 0; m += 3)
		;
	if (!*m || s[3] != ' ')
		return -1;
	c.mo = (int)(m - months) / 3 + 1;
	s += 4;
	if (digits(&s, 4, &c.y) < 0 || expect(&s, ' ') < 0
			|| digits(&s, 2, &c.h) < 0 || expect(&s, ':') < 0
			|| digits(&s, 2, &c.mi) < 0 || expect(&s, ':') < 0
			|| digits(&s, 2, &c.s) < 0
			|| (*s && strcmp(s, " GMT") != 0) || !valid_civil(&c))
		return -1;
	v = utc_ms(&c);
	if (!cw_timespec_valid(v))
		return -1;
	*ms = v;
	return 0;
}

int cw_timespec_from_number(double v, int64_t scale, int64_t *ms)
{
	double x = v * (double)scale;

	/* seconds carry their ms as a decimal fraction (1.700000000123E9),
	 * which a double holds only to about a microsecond */
	if (scale > 1)
		x = round(x);
	if (!isfinite(x) || x < (double)CW_TIME_MIN || x > (double)CW_TIME_MAX
			|| x != floor(x))
		return -1;
	*ms = (int64_t)x;
	return 0;
}

/* 1 parsed, 0 not this form, -1 this form but out of range. */
static int relative(const char *s, int64_t now_ms, int64_t *out)
{
	static const struct { char unit; int64_t ms; } units[] = {
		{ 's', 1000 }, { 'm', 60000 }, { 'h', 3600000 },
		{ 'd', 86400000 }, { 'w', 604800000 },
	};
	char *end;
	long long n;
	size_t i;

	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (end == s || !*end || end[1] != '\0')
		return 0;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (*end != units[i].unit)
			continue;
		if (errno || n > (now_ms - CW_TIME_MIN) / units[i].ms)
			return -1;
		*out = now_ms - n * units[i].ms;
		return 1;
	}
	return 0;
}

static int epoch(const char *s, int64_t *out)
{
	char *end;
	long long n;

	if (!isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (end == s || *end)
		return 0;
	if (errno)
		return -1;
	/* Seconds until the year 5138, milliseconds after. */
	*out = n < 100000000000LL ? n * 1000 : n;
	return cw_timespec_valid(*out) ? 1 : -1;
}

static int iso(const char *s, int64_t *out)
{
	struct civil c;

	if (!isdigit((unsigned char)*s) || strlen(s) < 10 || s[4] != '-')
		return 0;
	if (iso_fields(s, 0, &c) < 0)
		return -2;
	if (c.has_zone)
		*out = utc_ms(&c);
	else if (local_ms(&c, out) < 0)
		return -1;
	return cw_timespec_valid(*out) ? 1 : -1;
}

int cw_timespec_parse(const char *s, int64_t now_ms, int64_t *out,
	struct cw_err *err)
{
	int rc;

	if (strcmp(s, "now") == 0) {
		*out = now_ms;
		return 0;
	}
	if ((rc = relative(s, now_ms, out)) == 0 && (rc = epoch(s, out)) == 0)
		rc = iso(s, out);
	if (rc > 0)
		return 0;
	if (rc == -1)
		return cw_err_set(err, "time '%.64s': out of range (1970 to "
			"9999)", s);
	if (rc == -2)
		return cw_err_set(err, "time '%.64s': not a valid date and "
			"time", s);
	/* every form, so no one has to guess twice */
	return cw_err_set(err, "time '%.64s': expected now, an age (30s, 10m, "
		"2h, 3d, 1w), an ISO 8601 time (2026-01-31, 2026-01-31T08:00, "
		"2026-01-31T08:00:00Z or +01:00) or epoch seconds or "
		"milliseconds", s);
}

size_t cw_timespec_format(char *buf, size_t size, const char *fmt,
	int64_t ms, int utc)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	size_t n;

	if (!size)
		return 0;
	buf[0] = '\0';
	if (!cw_timespec_valid(ms)
			|| !(utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)))
		return 0;
	/* fmt is checked where it is written: the prototype says strftime */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	n = strftime(buf, size, fmt, &tm);
#pragma GCC diagnostic pop
	if (!n)
		buf[0] = '\0';
	return n;
}
