/*
 * libFuzzer target: the one JSON string writer, cw_json_quote(), and
 * cw_json_print() that writes cJSON trees through it, over any bytes.
 *
 * Checked: what comes out is valid JSON (the strict validator) of valid
 * UTF-8 holding no byte a terminal acts on: no control character, no
 * DEL, no C1 control U+0080..U+009F unescaped; a quoted string decodes
 * to the input when the input is valid UTF-8; cw_json_print() writes
 * the same for a string value and key, and a tree cJSON parsed from the
 * input comes out valid.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when s[0..n) is strict UTF-8 and, when safe, holds no control
 * character (but the tab and newline of an indented layout; the strict
 * parse refuses them in a string), DEL or C1 control: written apart
 * from the code under test. */
static int utf8_ok(const unsigned char *s, size_t n, int safe)
{
	size_t i = 0, len, k;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			if (safe && ((s[i] < 0x20 && s[i] != '\t' &&
			    s[i] != '\n') || s[i] == 0x7f))
				return 0;
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			len = 2, cp = s[i] & 0x1f;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3, cp = s[i] & 0x0f;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) ||
		    (safe && cp < 0xa0))
			return 0;
		i += len;
	}
	return 1;
}

static void check(const struct cw_buf *b)
{
	if (!cw_json_valid(b->p, b->len) ||
	    !utf8_ok((const unsigned char *)b->p, b->len, 1))
		abort();
}

static void quote(const char *s, size_t n)
{
	struct cw_buf q = CW_BUF_INIT, d = CW_BUF_INIT;
	size_t len;

	if (cw_json_quote(&q, s, n) < 0)
		abort();
	check(&q);
	if (utf8_ok((const unsigned char *)s, n, 0) &&
	    (cw_json_string(&d, q.p, q.p + q.len, &len) < 0 || len != n ||
	     memcmp(d.p, s, n) != 0))
		abort();
	cw_buf_release(&q);
	cw_buf_release(&d);
}

/* s (NUL-terminated) as a value and a key, through cw_json_print(). */
static void print_string(const char *s)
{
	cJSON *o = cJSON_CreateObject();
	struct cw_buf b = CW_BUF_INIT, q = CW_BUF_INIT;
	int pretty;

	if (!o || !cJSON_AddStringToObject(o, s, s))
		abort();
	for (pretty = 0; pretty < 2; pretty++) {
		cw_buf_reset(&b);
		cw_buf_reset(&q);
		if (cw_json_print(&b, o, pretty) < 0)
			abort();
		check(&b);
		/* the value is written as cw_json_quote() writes it */
		if (cw_json_quote(&q, s, strlen(s)) < 0 ||
		    !memmem(b.p, b.len, q.p, q.len))
			abort();
	}
	cJSON_Delete(o);
	cw_buf_release(&b);
	cw_buf_release(&q);
}

static void print_parsed(const char *s, size_t n)
{
	cJSON *v = cJSON_ParseWithLength(s, n);
	struct cw_buf b = CW_BUF_INIT;

	if (!v)
		return;
	/* a number cJSON cannot write (inf) is its own null */
	if (cw_json_print(&b, v, (n & 1) != 0) == 0)
		check(&b);
	cJSON_Delete(v);
	cw_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	quote(s, size);
	print_string(s);
	print_parsed(s, size);
	free(s);
	return 0;
}
