#ifndef CW_TIMESPEC_H
#define CW_TIMESPEC_H

#include <stdint.h>

#include "err.h"

/*
 * Parses a point in time into ms since the epoch: relative to now_ms
 * ("30s", "10m", "2h", "3d", "1w", meaning that long ago), ISO 8601 with
 * or without zone ("2026-11-23T06:00:00Z", "...+01:00", "2026-11-23
 * 06:00", "2026-11-23"; no zone is local time), "now", or epoch seconds
 * or milliseconds (by magnitude).
 */
int cw_timespec_parse(const char *s, int64_t now_ms, int64_t *out,
	struct cw_err *err);

/* The --since/--until window of the commands: since defaults to
 * def_since ("10m"), until to unbounded (*end 0). An until before since
 * is an error. Messages name the option. */
int cw_timespec_window(const char *since, const char *until,
	const char *def_since, int64_t now_ms, int64_t *start, int64_t *end,
	struct cw_err *err);

#endif
