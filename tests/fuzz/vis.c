/*
 * libFuzzer target: the terminal escaper (lib/vis) over any bytes. The
 * first byte picks the flags and a column limit.
 *
 * Checked, for every choice: nothing a terminal acts on comes out (a
 * byte below 0x20 but tab and newline, and those too with CW_VIS_LINE,
 * DEL, a C1 control U+0080..U+009F as UTF-8 or a lone byte 0x80..0x9f);
 * with CW_VIS_UTF8 the output is valid UTF-8; with a limit, no more
 * columns than the limit are reported; cw_vis_mask() leaves nothing
 * a terminal acts on either, and valid UTF-8.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vis.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The length of the strict UTF-8 character at s[0..n) and its code
 * point, or 0: written apart from the code under test. */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cpp)
{
	size_t len, k;
	uint32_t cp;

	if (s[0] < 0x80)
		return *cpp = s[0], 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cpp = cp;
	return len;
}

static void check(const struct cw_buf *b, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)b->p;
	size_t i = 0, n;
	uint32_t cp;

	while (i < b->len) {
		n = utf8_char(s + i, b->len - i, &cp);
		if (n == 0) {
			if ((flags & CW_VIS_UTF8) || (s[i] >= 0x80 && s[i] < 0xa0))
				abort();
			i++;
			continue;
		}
		if (cp == '\t' || cp == '\n') {
			if (flags & CW_VIS_LINE)
				abort();
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			abort();
		i += n;
	}
}

static void mask(const uint8_t *data, size_t size)
{
	struct cw_buf b = CW_BUF_INIT;
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	cw_vis_mask(s, CW_VIS_LINE | CW_VIS_UTF8);
	if (cw_buf_adds(&b, s) < 0)
		abort();
	check(&b, CW_VIS_LINE | CW_VIS_UTF8);
	cw_buf_release(&b);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_buf b = CW_BUF_INIT;
	unsigned flags;
	size_t cols;
	long got;

	if (size < 1)
		return 0;
	flags = data[0] & 0x1f;
	cols = data[0] >> 5 ? (size_t)(data[0] >> 5) * 3 : 0;
	got = cw_vis_x(&b, (const char *)data + 1, size - 1, flags, cols);
	if (got < 0 || (cols && (size_t)got > cols))
		abort();
	check(&b, flags);
	cw_buf_reset(&b);
	if (cw_vis_plan(&b, (const char *)data + 1, size - 1) < 0)
		abort();
	check(&b, CW_VIS_PLAN);
	cw_buf_release(&b);
	mask(data + 1, size - 1);
	return 0;
}
