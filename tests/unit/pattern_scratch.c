/* A JSON match that cannot get room to unescape a string is reported as
 * an error, not silently as "no match". */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pattern.h"
#include "tap.h"
#include "banned.h"

/* {"a":"x\u0041\u0041..."} with an escaped string body of n bytes. */
static char *line_of(size_t n, size_t *len)
{
	struct cw_buf b = CW_BUF_INIT;
	size_t i;

	cw_buf_init(&b, n + 64);
	cw_buf_adds(&b, "{\"a\":\"x");
	for (i = 0; i + 6 <= n; i += 6)
		cw_buf_adds(&b, "\\u0041");
	cw_buf_adds(&b, "\"}");
	return cw_buf_detach(&b, len);
}

int main(void)
{
	struct cw_pattern *p;
	struct cw_err err;
	char *line;
	size_t len;
	const char *bad;

	cw_err_clear(&err);
	p = cw_pattern_compile("{ $.a = \"xA*\" }", 15, NULL, &err);
	ok(p != NULL, "a JSON pattern compiles");
	line = line_of(1000, &len);
	is_int(cw_pattern_match(p, line, len), 1, "an escaped string matches");
	is_int(cw_pattern_error(p, &err), 0, "and no error is pending");
	free(line);

	line = line_of(((size_t)17 << 20), &len);
	is_int(cw_pattern_match(p, line, len), -1,
		"past the 16 MiB room: undecided, never a false no");
	is_int(cw_pattern_error(p, &err), -1, "but an error is pending");
	is_str(err.msg, "out of memory matching a JSON string", "that says why");
	is_int(cw_pattern_error(p, &err), 0, "reported once, then cleared");
	bad = NULL;
	is_int(cw_pattern_count(p, line, len, &bad), 0, "the buffer count: nothing counted");
	ok(bad == line, "and the line is named as failed");
	is_int(cw_pattern_error(p, &err), -1, "and the error is there too");
	free(line);

	line = line_of(64, &len);
	is_int(cw_pattern_match(p, line, len), 1, "a later short line matches again");
	is_int(cw_pattern_error(p, &err), 0, "without an error");
	free(line);
	cw_pattern_free(p);

	p = cw_pattern_compile("ERROR", 5, NULL, &err);
	is_int(cw_pattern_error(p, &err), 0, "term patterns never have one");
	cw_pattern_free(p);
	return tap_done();
}
