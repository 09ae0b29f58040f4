#ifndef CW_TEST_PATTERNFIND_H
#define CW_TEST_PATTERNFIND_H

/* Shared by the pattern unit test and its fuzz target. */

#include <stddef.h>

#include "pattern.h"

/* The buffer search, for lines that a regex decides (no failures). */
static const char *find_(const struct cw_pattern *p, const char *buf,
	size_t len, size_t *linelen)
{
	int failed;
	const char *hit = cw_pattern_find(p, buf, len, linelen, &failed);

	return failed ? NULL : hit;
}

static size_t count_(const struct cw_pattern *p, const char *buf,
	size_t len)
{
	const char *failed;

	return cw_pattern_count(p, buf, len, &failed);
}

#endif
