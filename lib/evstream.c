#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc32.h"
#include "evstream.h"
#include "banned.h"

/* Past a message this big the buffer is given back, so one large message
 * does not pin its memory for the rest of a long session. */
#define KEEP_BUF ((size_t)256 << 10)

struct cw_evstream {
	unsigned char *buf;	/* the message being collected */
	size_t cap, have, need;	/* need: 12 for the prelude, then total */
	size_t max;
	uint64_t count;		/* messages completed */
	uint64_t offset;	/* stream offset of the current message */
	int failed;
	struct cw_evstream_header *hdr;	/* decoded headers, reused */
	size_t hdr_cap;
	char *arena;		/* NUL-terminated names and values */
	size_t arena_cap;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Header names come from the server: shown with only printable ASCII. */
static void printable(char *dst, size_t size, const char *s)
{
	size_t j = 0;

	for (; *s && j + 1 < size; s++)
		dst[j++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	dst[j] = '\0';
}

struct cw_evstream *cw_evstream_new(size_t max_message)
{
	struct cw_evstream *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	if (!max_message || max_message > CW_EVSTREAM_MAX_MESSAGE)
		max_message = CW_EVSTREAM_MAX_MESSAGE;
	if (max_message < CW_EVSTREAM_MIN_MESSAGE)
		max_message = CW_EVSTREAM_MIN_MESSAGE;
	d->max = max_message;
	d->need = CW_EVSTREAM_PRELUDE;
	return d;
}

void cw_evstream_free(struct cw_evstream *d)
{
	if (!d)
		return;
	free(d->buf);
	free(d->hdr);
	free(d->arena);
	free(d);
}

uint64_t cw_evstream_count(const struct cw_evstream *d)
{
	return d->count;
}

static int fail(struct cw_evstream *d, struct cw_err *err, const char *why,
	const char *detail)
{
	d->failed = 1;
	return cw_err_set(err, "event stream: message %" PRIu64
		" at byte %" PRIu64 ": %s%s", d->count + 1, d->offset, why,
		detail);
}

static int reserve(void **p, size_t *cap, size_t n, size_t size)
{
	void *q;

	if (n <= *cap)
		return 0;
	q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Checks the 12-byte prelude and sets need to the message's length. */
static int check_prelude(struct cw_evstream *d, struct cw_err *err)
{
	uint32_t total = be32(d->buf), hlen = be32(d->buf + 4);
	uint32_t want = be32(d->buf + 8), got = cw_crc32(0, d->buf, 8);
	char detail[96];

	if (want != got) {
		snprintf(detail, sizeof(detail), " (frame says 0x%08" PRIx32
			", computed 0x%08" PRIx32 ")", want, got);
		return fail(d, err, "prelude CRC mismatch", detail);
	}
	snprintf(detail, sizeof(detail), " (total %" PRIu32 ", headers %"
		PRIu32 ")", total, hlen);
	if (total < CW_EVSTREAM_MIN_MESSAGE || total > d->max)
		return fail(d, err, "bad message length", detail);
	if (hlen > CW_EVSTREAM_MAX_HEADERS ||
	    hlen > total - CW_EVSTREAM_MIN_MESSAGE)
		return fail(d, err, "bad headers length", detail);
	if (reserve((void **)&d->buf, &d->cap, total, 1) < 0)
		return fail(d, err, "out of memory", "");
	d->need = total;
	return 0;
}

/* The fixed size of a value of type t, or -1 for the variable ones. */
static int fixed_size(int t)
{
	static const signed char size[] = { 0, 0, 1, 2, 4, 8, -1, -1, 8, 16 };

	return size[t];
}

static int64_t fixed_value(int t, const unsigned char *v)
{
	switch (t) {
	case CW_EVSTREAM_TRUE:
		return 1;
	case CW_EVSTREAM_FALSE:
		return 0;
	case CW_EVSTREAM_BYTE:
		return (int8_t)v[0];
	case CW_EVSTREAM_INT16:
		return (int16_t)(uint16_t)(v[0] << 8 | v[1]);
	case CW_EVSTREAM_INT32:
		return (int32_t)be32(v);
	default:
		return (int64_t)be64(v);
	}
}

/* Reads the value of a header of type h->type at *pos (< end) into h,
 * copying bytes, strings and uuids into the arena at *a. -1 when the
 * value runs past end. */
static int read_value(const unsigned char **pos, const unsigned char *end,
	char **a, struct cw_evstream_header *h)
{
	const unsigned char *p = *pos;
	size_t vlen;

	h->i = 0;
	h->p = NULL;
	h->len = 0;
	if (h->type == CW_EVSTREAM_UUID) {
		vlen = 16;
	} else if (fixed_size(h->type) >= 0) {
		vlen = (size_t)fixed_size(h->type);
		if ((size_t)(end - p) < vlen)
			return -1;
		h->i = fixed_value(h->type, p);
		*pos = p + vlen;
		return 0;
	} else {
		if (end - p < 2)
			return -1;
		vlen = (size_t)p[0] << 8 | p[1];
		p += 2;
	}
	if ((size_t)(end - p) < vlen)
		return -1;
	memcpy(*a, p, vlen);
	(*a)[vlen] = '\0';
	h->p = *a;
	h->len = vlen;
	*a += vlen + 1;
	*pos = p + vlen;
	return 0;
}

/* Decodes one header at *pos (< end) into h, copying its name into the
 * arena at *a. */
static int read_header(struct cw_evstream *d, const unsigned char *end,
	const unsigned char **pos, char **a, struct cw_evstream_header *h,
	struct cw_err *err)
{
	const unsigned char *p = *pos;
	size_t nlen = *p++;
	char name[64], detail[128];

	if (nlen == 0)
		return fail(d, err, "bad header: empty name", "");
	if ((size_t)(end - p) < nlen + 1)
		return fail(d, err, "bad header: truncated name", "");
	memcpy(*a, p, nlen);
	(*a)[nlen] = '\0';
	h->name = *a;
	*a += nlen + 1;
	p += nlen;
	h->type = *p++;
	printable(name, sizeof(name), h->name);
	if (h->type > CW_EVSTREAM_UUID) {
		snprintf(detail, sizeof(detail), " %d in header '%s'", h->type,
			name);
		return fail(d, err, "unknown header value type", detail);
	}
	*pos = p;
	if (read_value(pos, end, a, h) < 0) {
		snprintf(detail, sizeof(detail), " '%s'", name);
		return fail(d, err, "bad header: truncated value of", detail);
	}
	return 0;
}

static int read_headers(struct cw_evstream *d, size_t hlen, size_t *n,
	struct cw_err *err)
{
	const unsigned char *p = d->buf + CW_EVSTREAM_PRELUDE, *end = p + hlen;
	char *a;

	/* Each header's copy fits in the bytes it took on the wire: its
	 * length and type bytes pay for the two NULs. */
	if (reserve((void **)&d->arena, &d->arena_cap, hlen + 1, 1) < 0)
		return fail(d, err, "out of memory", "");
	a = d->arena;
	*n = 0;
	while (p < end) {
		if (*n == d->hdr_cap && reserve((void **)&d->hdr,
		    &d->hdr_cap, d->hdr_cap * 2 + 8, sizeof(*d->hdr)) < 0)
			return fail(d, err, "out of memory", "");
		if (read_header(d, end, &p, &a, &d->hdr[*n], err) < 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/* The whole message is in buf: check it, decode it, hand it over. */
static int deliver(struct cw_evstream *d, cw_evstream_fn *fn, void *arg,
	struct cw_err *err)
{
	size_t total = d->need, hlen = be32(d->buf + 4), n = 0;
	uint32_t want = be32(d->buf + total - 4);
	uint32_t got = cw_crc32(0, d->buf, total - 4);
	struct cw_evstream_msg m;
	char detail[96];
	int r;

	if (want != got) {
		snprintf(detail, sizeof(detail), " (frame says 0x%08" PRIx32
			", computed 0x%08" PRIx32 ")", want, got);
		return fail(d, err, "message CRC mismatch", detail);
	}
	if (read_headers(d, hlen, &n, err) < 0)
		return -1;
	d->buf[total - 4] = '\0';	/* the CRC is checked: NUL the payload */
	m.headers = d->hdr;
	m.nheaders = n;
	m.payload = (const char *)d->buf + CW_EVSTREAM_PRELUDE + hlen;
	m.payload_len = total - CW_EVSTREAM_MIN_MESSAGE - hlen;
	r = fn(arg, &m, err);
	if (r < 0)
		d->failed = 1;
	d->count++;
	d->offset += total;
	d->have = 0;
	d->need = CW_EVSTREAM_PRELUDE;
	if (d->cap > KEEP_BUF) {
		free(d->buf);
		d->buf = NULL;
		d->cap = 0;
	}
	return r;
}

int cw_evstream_feed(struct cw_evstream *d, const void *data, size_t n,
	cw_evstream_fn *fn, void *arg, struct cw_err *err)
{
	const unsigned char *p = data;
	size_t take;
	int r;

	if (d->failed)
		return cw_err_set(err, "event stream: read after a bad frame");
	while (n) {
		if (reserve((void **)&d->buf, &d->cap, d->need, 1) < 0)
			return fail(d, err, "out of memory", "");
		take = d->need - d->have < n ? d->need - d->have : n;
		memcpy(d->buf + d->have, p, take);
		d->have += take;
		p += take;
		n -= take;
		if (d->have < d->need)
			break;
		if (d->need == CW_EVSTREAM_PRELUDE) {
			if (check_prelude(d, err) < 0)
				return -1;
			continue;
		}
		r = deliver(d, fn, arg, err);
		if (r)
			return r;
	}
	return 0;
}

int cw_evstream_finish(const struct cw_evstream *d, struct cw_err *err)
{
	if (d->failed || !d->have)
		return 0;
	if (d->need == CW_EVSTREAM_PRELUDE)
		return cw_err_set(err, "event stream: message %" PRIu64
			" at byte %" PRIu64 ": truncated frame: %zu of the %d "
			"prelude bytes", d->count + 1, d->offset, d->have,
			CW_EVSTREAM_PRELUDE);
	return cw_err_set(err, "event stream: message %" PRIu64 " at byte %"
		PRIu64 ": truncated frame: %zu of %zu bytes", d->count + 1,
		d->offset, d->have, d->need);
}

int cw_evstream_decode(const void *buf, size_t len, cw_evstream_fn *fn,
	void *arg, struct cw_err *err)
{
	struct cw_evstream *d = cw_evstream_new(0);
	int r;

	if (!d)
		return cw_err_set(err, "event stream: out of memory");
	r = cw_evstream_feed(d, buf, len, fn, arg, err);
	if (r == 0)
		r = cw_evstream_finish(d, err);
	cw_evstream_free(d);
	return r;
}

const struct cw_evstream_header *cw_evstream_header(
	const struct cw_evstream_msg *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nheaders; i++)
		if (strcmp(m->headers[i].name, name) == 0)
			return &m->headers[i];
	return NULL;
}

const char *cw_evstream_string(const struct cw_evstream_msg *m,
	const char *name)
{
	const struct cw_evstream_header *h = cw_evstream_header(m, name);

	return h && h->type == CW_EVSTREAM_STRING ? h->p : NULL;
}

void cw_evstream_classify(const struct cw_evstream_msg *m,
	struct cw_evstream_class *c)
{
	const char *mt = cw_evstream_string(m, ":message-type");
	const char *type = NULL, *msg = NULL;

	c->kind = CW_EVSTREAM_UNKNOWN;
	if (mt && strcmp(mt, "event") == 0) {
		c->kind = CW_EVSTREAM_EVENT;
		type = cw_evstream_string(m, ":event-type");
	} else if (mt && strcmp(mt, "exception") == 0) {
		c->kind = CW_EVSTREAM_EXCEPTION;
		type = cw_evstream_string(m, ":exception-type");
	} else if (mt && strcmp(mt, "error") == 0) {
		c->kind = CW_EVSTREAM_ERROR;
		type = cw_evstream_string(m, ":error-code");
		msg = cw_evstream_string(m, ":error-message");
	}
	c->type = type ? type : "";
	c->message = msg ? msg : "";
}
