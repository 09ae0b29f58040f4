#ifndef CW_BUF_H
#define CW_BUF_H

#include <stddef.h>
#include <string.h>

/*
 * A growable byte buffer with a size cap. p is always NUL-terminated once
 * anything was added (cw_buf_str() returns "" before that). An append that
 * would pass max fails with -1 and leaves the buffer as it was.
 */
struct cw_buf {
	char *p;
	size_t len, cap, max;
};

#define CW_BUF_MAX_DEFAULT ((size_t)64 << 20)
#define CW_BUF_INIT { NULL, 0, 0, CW_BUF_MAX_DEFAULT }

/* max 0 means CW_BUF_MAX_DEFAULT. Allocates nothing. */
void cw_buf_init(struct cw_buf *b, size_t max);
int cw_buf_add_grown(struct cw_buf *b, const void *data, size_t n);

/* Appends are inline when there is room: output formats a line out of
 * many short pieces, once per event. */
static inline int cw_buf_add(struct cw_buf *b, const void *data, size_t n)
{
	if (n >= b->cap - b->len || b->len + n > b->max)
		return cw_buf_add_grown(b, data, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

static inline int cw_buf_adds(struct cw_buf *b, const char *s)
{
	return cw_buf_add(b, s, strlen(s));
}

static inline int cw_buf_addc(struct cw_buf *b, char c)
{
	return cw_buf_add(b, &c, 1);
}

int cw_buf_addf(struct cw_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Makes room for n more bytes without changing len. */
int cw_buf_grow(struct cw_buf *b, size_t n);
const char *cw_buf_str(const struct cw_buf *b);
/* Removes the first n bytes (at most len), keeps the memory. */
void cw_buf_drop(struct cw_buf *b, size_t n);
/* Empties the buffer, keeps the memory. */
void cw_buf_reset(struct cw_buf *b);
/* Frees the memory; the buffer is empty and reusable afterwards. */
void cw_buf_release(struct cw_buf *b);
/* Like release, but zeroes the bytes first: for secrets. */
void cw_buf_wipe(struct cw_buf *b);
/* Hands the string to the caller, who frees it; the buffer is emptied.
 * Never returns NULL unless allocation fails. */
char *cw_buf_detach(struct cw_buf *b, size_t *len);

/* in[0..n) as lowercase hex in out (2n + 1 bytes, NUL-terminated). */
void cw_buf_hex(const void *in, size_t n, char *out);
/* The value of the hex digit c (either case), -1 when it is not one. */
int cw_buf_hexval(char c);

#endif
