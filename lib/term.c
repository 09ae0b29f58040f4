#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "term.h"
#include "banned.h"

int cw_term_width(int fd)
{
	struct winsize ws;

	if (!isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return 0;
	return ws.ws_col;
}

int cw_term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcasecmp(cs, "UTF-8") == 0
		|| strcasecmp(cs, "utf8") == 0);
}

/* Length of the valid UTF-8 sequence at s (NUL-terminated), 0 if none. */
static size_t utf8_seq(const unsigned char *s, unsigned *cp)
{
	size_t len, i;

	if (s[0] < 0x80)
		return *cp = s[0], 1;
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, *cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, *cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, *cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800)
			|| (len == 4 && (*cp < 0x10000 || *cp > 0x10ffff))
			|| (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* One character of s, visible; returns bytes consumed. */
static size_t vis_char(struct cw_buf *b, const unsigned char *s, int *rc)
{
	unsigned cp;
	size_t n = utf8_seq(s, &cp);

	if (n == 0)
		*rc = cw_buf_addf(b, "\\x%02x", s[0]), n = 1;
	else if (cp == '\n')
		*rc = cw_buf_adds(b, "\\n");
	else if (cp == '\t')
		*rc = cw_buf_adds(b, "\\t");
	else if (cp == '\r')
		*rc = cw_buf_adds(b, "\\r");
	else if (cp < 0x20 || cp == 0x7f)
		*rc = cw_buf_addf(b, "\\x%02x", cp);
	else if (cp >= 0x80 && cp < 0xa0)
		*rc = cw_buf_addf(b, "\\u%04x", cp);
	else
		*rc = cw_buf_add(b, s, n);
	return n;
}

int cw_term_vis(struct cw_buf *b, const char *s, size_t maxcols, int utf8)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t cols = 0, start, n, w;
	int rc = 0;

	while (*p && rc == 0) {
		start = b->len;
		n = vis_char(b, p, &rc);
		/* an escape is as wide as it is long */
		w = rc == 0 && b->p[start] == '\\' ? b->len - start : 1;
		/* keep a column for the ellipsis when more follows */
		if (rc == 0 && maxcols && cols + w > maxcols - (p[n] ? 1 : 0)) {
			b->len = start;
			b->p[start] = '\0';
			return cw_buf_adds(b, utf8 ? "\xe2\x80\xa6" : "~");
		}
		cols += w;
		p += n;
	}
	return rc;
}

void cw_term_age(char *buf, size_t size, int64_t ms)
{
	int64_t s = ms > 0 ? ms / 1000 : 0;

	if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else if (s < 48 * 3600)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd", (long long)(s / 86400));
}
