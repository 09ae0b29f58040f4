#include <string.h>
#include <wchar.h>

#include "vis.h"
#include "banned.h"

size_t cw_vis_utf8(const char *str, size_t n, uint32_t *cpp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len, i;
	uint32_t cp;

	if (n == 0)
		return 0;
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
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800)
			|| (len == 4 && (cp < 0x10000 || cp > 0x10ffff))
			|| (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cpp = cp;
	return len;
}

/* How many bytes at s[0..n) make the next character, and whether it is
 * one to escape under flags. */
static size_t next(const char *s, size_t n, unsigned flags, int *esc)
{
	unsigned char c = (unsigned char)*s;
	uint32_t cp;
	size_t len = cw_vis_utf8(s, n, &cp);

	if (len == 0) {
		/* 0x80..0x9f alone is a C1 control to an 8-bit terminal */
		*esc = (flags & CW_VIS_UTF8) || (c >= 0x80 && c < 0xa0);
		return 1;
	}
	if (cp == '\t' || cp == '\n')
		*esc = (flags & CW_VIS_LINE) != 0;
	else if (cp == '\\')
		*esc = (flags & CW_VIS_SLASH) != 0;
	else
		*esc = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
	return len;
}

static int add(struct cw_buf *b, const char *s, size_t n, int esc,
	unsigned flags)
{
	size_t i;

	if (!esc)
		return cw_buf_add(b, s, n);
	if (n == 1 && *s == '\\')
		return cw_buf_adds(b, "\\\\");
	for (i = 0; i < n; i++)
		if (cw_buf_addf(b, flags & CW_VIS_HEX ? "\\x%02x" : "\\%03o",
				(unsigned char)s[i]) < 0)
			return -1;
	return 0;
}

long cw_vis_x(struct cw_buf *b, const char *s, size_t len, unsigned flags,
	size_t maxcols)
{
	size_t i = 0, n, w, start;
	long cols = 0;
	int esc;

	if (!s)
		len = 0;
	while (i < len) {
		n = next(s + i, len - i, flags, &esc);
		start = b->len;
		if (add(b, s + i, n, esc, flags) < 0)
			return -1;
		/* an escape is as wide as it is long */
		w = esc ? b->len - start : 1;
		/* keep a column for the ellipsis when more follows */
		if (maxcols && cols + w > maxcols - (i + n < len ? 1 : 0)) {
			b->len = start;
			b->p[start] = '\0';
			return cw_buf_adds(b, flags & CW_VIS_UTF8TERM ?
				"\xe2\x80\xa6" : "~") < 0 ? -1 : cols + 1;
		}
		cols += (long)w;
		i += n;
	}
	return cols;
}

int cw_vis(struct cw_buf *b, const char *s, size_t len)
{
	return cw_vis_x(b, s, len, 0, 0) < 0 ? -1 : 0;
}

int cw_vis_line(struct cw_buf *b, const char *s, size_t maxcols, int utf8)
{
	unsigned f = CW_VIS_LINE | CW_VIS_UTF8 | (utf8 ? CW_VIS_UTF8TERM : 0);

	return cw_vis_x(b, s, s ? strlen(s) : 0, f, maxcols) < 0 ? -1 : 0;
}

size_t cw_vis_cols(const char *s, size_t len)
{
	size_t i = 0, n, cols = 0;
	uint32_t cp;
	int w;

	while (i < len) {
		n = cw_vis_utf8(s + i, len - i, &cp);
		w = !n || cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
		cols += w < 0 ? 1 : (size_t)w;
		i += n ? n : 1;
	}
	return cols;
}

size_t cw_vis_width(const char *s)
{
	struct cw_buf b = CW_BUF_INIT;
	long n = cw_vis_x(&b, s, s ? strlen(s) : 0,
		CW_VIS_LINE | CW_VIS_UTF8, 0);

	cw_buf_release(&b);
	return n < 0 ? 0 : (size_t)n;
}

void cw_vis_mask(char *s, unsigned flags)
{
	size_t i = 0, j = 0, n, len = strlen(s);
	int esc;

	while (i < len) {
		n = next(s + i, len - i, flags, &esc);
		if (esc)
			s[j++] = '?';
		else {
			memmove(s + j, s + i, n);
			j += n;
		}
		i += n;
	}
	s[j] = '\0';
}

int cw_vis_plan(struct cw_buf *b, const char *s, size_t len)
{
	return cw_vis_x(b, s, len, CW_VIS_PLAN, 0) < 0 ? -1 : 0;
}

void cw_vis_put_plan(FILE *fp, const char *s, size_t len)
{
	struct cw_buf b = CW_BUF_INIT;

	/* An empty text leaves the buffer unallocated: nothing to write. */
	if (cw_vis_plan(&b, s, len) == 0 && b.len)
		fwrite(b.p, 1, b.len, fp);
	cw_buf_release(&b);
}
