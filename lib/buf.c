#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "banned.h"

void cw_buf_init(struct cw_buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max ? max : CW_BUF_MAX_DEFAULT;
}

int cw_buf_grow(struct cw_buf *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (n > b->max || b->len > b->max - n)
		return -1;
	need = b->len + n + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > (size_t)-1 / 2 ? need : cap * 2;
	p = realloc(b->p, cap);
	if (!p)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

int cw_buf_add_grown(struct cw_buf *b, const void *data, size_t n)
{
	if (cw_buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int cw_buf_addf(struct cw_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || cw_buf_grow(b, (size_t)n) < 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

const char *cw_buf_str(const struct cw_buf *b)
{
	return b->p ? b->p : "";
}

void cw_buf_drop(struct cw_buf *b, size_t n)
{
	if (n >= b->len) {
		cw_buf_reset(b);
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
	b->p[b->len] = '\0';
}

void cw_buf_reset(struct cw_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void cw_buf_release(struct cw_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void cw_buf_wipe(struct cw_buf *b)
{
	if (b->p)
		explicit_bzero(b->p, b->cap);
	cw_buf_release(b);
}

char *cw_buf_detach(struct cw_buf *b, size_t *len)
{
	char *p;

	if (!b->p && cw_buf_grow(b, 0) < 0)
		return NULL;
	b->p[b->len] = '\0';
	p = b->p;
	if (len)
		*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void cw_buf_hex(const void *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = in;
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int cw_buf_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
