/*
 * libFuzzer target: filter patterns, compiled and matched.
 *
 * Input: two bytes, little-endian, give the pattern length n (clamped to
 * what is left); the next n bytes are the pattern, the rest is the event
 * line. Both are copied into buffers of their exact size, so a read past
 * either end is caught by ASan.
 *
 * Besides "no crash, no leak", the documented contracts are checked:
 * match and extract agree, the buffer fast paths (find, count) agree with
 * match line by line, and results do not depend on repetition; a line a
 * JSON pattern matches is strict JSON, and so is every value extracted
 * from it (what cw-filter -o json writes); the text search of JSON
 * keys and values agrees with the walk. Patterns of odd length are
 * tuned (cw_pattern_tune) on the line before the buffer paths run.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "json.h"
#include "pattern.h"
#include "pattern_int.h"
#include "../unit/patternfind.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_field(void *arg, const char *name, const char *value,
	size_t vlen, int json)
{
	size_t *n = arg;

	/* Touch every byte so ASan sees an out-of-bounds value. */
	if (!name || (vlen && !value) || (json != 0 && json != 1))
		abort();
	for (size_t i = 0; name[i]; i++)
		*n += (unsigned char)name[i];
	for (size_t i = 0; i < vlen; i++)
		*n += (unsigned char)value[i];
	if (json && !cw_json_valid(value, vlen))
		abort();
	return 0;
}

static int stop_field(void *arg, const char *name, const char *value,
	size_t vlen, int json)
{
	(void)arg;
	(void)name;
	(void)value;
	(void)vlen;
	(void)json;
	return 7;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_err err;
	struct cw_pattern *p = NULL;
	struct cw_buf out = CW_BUF_INIT;
	char *pat, *line, *two;
	size_t n, llen, sum = 0, linelen;
	const char *hit;
	int col = -1, m, e;

	if (size < 2)
		return 0;
	n = (size_t)data[0] | (size_t)data[1] << 8;
	data += 2;
	size -= 2;
	if (n > size)
		n = size;
	llen = size - n;

	pat = malloc(n ? n : 1);
	line = malloc(llen ? llen : 1);
	if (!pat || !line)
		abort();
	memcpy(pat, data, n);
	memcpy(line, data + n, llen);

	memset(&err, 0, sizeof(err));
	p = cw_pattern_compile(pat, n, &col, &err);
	if (!p) {
		/* A refusal says why, and where (0 or a column in 1..n+1). */
		if (!memchr(err.msg, 0, sizeof(err.msg)) || !err.msg[0])
			abort();
		if (col < 0 || (size_t)col > n + 1)
			abort();
		goto out;
	}
	if ((unsigned)cw_pattern_kind(p) > CW_PATTERN_SPACE)
		abort();

	m = cw_pattern_match(p, line, llen);
	if (m != 0 && m != 1 && m != -1)
		abort();
	if (m < 0)
		goto undecided;
	if (m == 1 && cw_pattern_kind(p) == CW_PATTERN_JSON &&
	    !cw_json_valid(line, llen))
		abort();
	if (cw_pattern_match(p, line, llen) != m)
		abort();
	/* The text search for keys and values, in the line or in its copy
	 * with the escapes blanked, answers what the walk does. */
	if (cw_pattern_kind(p) == CW_PATTERN_JSON &&
	    pat_json_match_plain(p, line, llen, PAT_JSON_WALK) != m)
		abort();

	e = cw_pattern_extract(p, line, llen, count_field, &sum);
	if (e != m)
		abort();
	e = cw_pattern_extract(p, line, llen, stop_field, NULL);
	if (e != 0 && e != 1 && e != 7)
		abort();
	if ((e == 0 && m == 1) || (e == 7 && m == 0))
		abort();

	if (cw_pattern_explain(p, &out) == 0 &&
	    (out.len == 0 || out.p[out.len - 1] != '\n'))
		abort();

	/* Tuned on the line itself, the search compares other bytes first,
	 * which must change no answer below. */
	if (n & 1)
		cw_pattern_tune(p, line, llen);

	/*
	 * The buffer paths over the line alone, and over the line twice.
	 * Only for lines where a message is the whole line: no '\n', no
	 * '\r' at the end, not empty.
	 */
	if (llen > 0 && !memchr(line, '\n', llen) && line[llen - 1] != '\r') {
		if (count_(p, line, llen) != (size_t)m)
			abort();
		hit = find_(p, line, llen, &linelen);
		if (m ? (hit != line || linelen != llen) : hit != NULL)
			abort();

		two = malloc(2 * llen + 2);
		if (!two)
			abort();
		memcpy(two, line, llen);
		two[llen] = '\n';
		memcpy(two + llen + 1, line, llen);
		two[2 * llen + 1] = '\n';
		if (count_(p, two, 2 * llen + 2) != 2 * (size_t)m)
			abort();
		/* Without the final '\n' the last line still counts. */
		if (count_(p, two, 2 * llen + 1) != 2 * (size_t)m)
			abort();
		hit = find_(p, two, 2 * llen + 2, &linelen);
		if (m ? (hit != two || linelen != llen) : hit != NULL)
			abort();
		free(two);
	} else {
		/* Anything goes, as long as nothing reads out of bounds. */
		(void)count_(p, line, llen);
		hit = find_(p, line, llen, &linelen);
		if (hit && (hit < line || hit + linelen > line + llen))
			abort();
	}

	goto out;
undecided:
	/* A line the regex cannot decide is reported as such, never as a
	 * match or a non-match. */
	if (cw_pattern_extract(p, line, llen, count_field, &sum) != -1)
		abort();
	if (llen > 0 && !memchr(line, '\n', llen) && line[llen - 1] != '\r') {
		const char *bad;
		int failed;

		hit = cw_pattern_find(p, line, llen, &linelen, &failed);
		if (hit != line || !failed ||
		    cw_pattern_count(p, line, llen, &bad) != 0 || bad != line)
			abort();
	}
out:
	cw_buf_release(&out);
	cw_pattern_free(p);
	free(pat);
	free(line);
	return 0;
}
