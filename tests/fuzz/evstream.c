/* libFuzzer target: the event-stream decoder on any bytes, whole and in
 * pieces; both ways must agree on what decodes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <string.h>

#include "crc32.h"
#include "err.h"
#include "evstream.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const struct cw_evstream_msg *m,
	struct cw_err *err)
{
	struct cw_evstream_class c;
	size_t i, *n = arg;

	(void)err;
	cw_evstream_classify(m, &c);
	for (i = 0; i < m->nheaders; i++)
		if (m->headers[i].p && m->headers[i].p[m->headers[i].len])
			abort();	/* values must stay NUL-terminated */
	if (m->payload[m->payload_len])
		abort();
	(*n)++;
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Random bytes almost never carry good CRCs: the same bytes again as one
 * message with the length and both CRCs made right, so the header parser
 * gets explored too. */
static void fixed_up(const uint8_t *data, size_t size)
{
	struct cw_err err;
	size_t n = 0;
	uint8_t *p;

	if (size < CW_EVSTREAM_MIN_MESSAGE || size > CW_EVSTREAM_MAX_MESSAGE)
		return;
	p = malloc(size);
	if (!p)
		return;
	memcpy(p, data, size);
	put32(p, (uint32_t)size);
	put32(p + 8, cw_crc32(0, p, 8));
	put32(p + size - 4, cw_crc32(0, p, size - 4));
	(void)cw_evstream_decode(p, size, count, &n, &err);
	free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_evstream *d;
	struct cw_err err;
	size_t whole = 0, pieces = 0, step, i;
	int r1, r2 = 0;

	r1 = cw_evstream_decode(data, size, count, &whole, &err);
	d = cw_evstream_new(0);
	if (!d)
		return 0;
	step = size ? data[0] % 13 + 1 : 1;
	for (i = 0; i < size && r2 == 0; i += step)
		r2 = cw_evstream_feed(d, data + i, size - i < step ?
			size - i : step, count, &pieces, &err);
	if (r2 == 0)
		r2 = cw_evstream_finish(d, &err);
	cw_evstream_free(d);
	if (r1 != r2 || whole != pieces)
		abort();
	fixed_up(data, size);
	return 0;
}
