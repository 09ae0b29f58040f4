#ifndef CW_EVSTREAM_H
#define CW_EVSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * The AWS event-stream framing (application/vnd.amazon.eventstream) that
 * StartLiveTail answers with. Each message, big-endian:
 *
 *   total length u32, headers length u32, CRC32 of those 8 bytes,
 *   headers (name length u8, name, type u8, value), payload,
 *   CRC32 of everything before it.
 *
 * The decoder is fed the body in any pieces and hands over whole,
 * checked messages; it holds at most one message in memory.
 */

#define CW_EVSTREAM_PRELUDE 12
#define CW_EVSTREAM_MIN_MESSAGE 16		/* prelude + message CRC */
#define CW_EVSTREAM_MAX_MESSAGE ((size_t)16 << 20)
#define CW_EVSTREAM_MAX_HEADERS ((size_t)128 << 10)

enum cw_evstream_type {
	CW_EVSTREAM_TRUE = 0,
	CW_EVSTREAM_FALSE = 1,
	CW_EVSTREAM_BYTE = 2,
	CW_EVSTREAM_INT16 = 3,
	CW_EVSTREAM_INT32 = 4,
	CW_EVSTREAM_INT64 = 5,
	CW_EVSTREAM_BYTES = 6,
	CW_EVSTREAM_STRING = 7,
	CW_EVSTREAM_TIMESTAMP = 8,	/* ms since the epoch */
	CW_EVSTREAM_UUID = 9
};

/* One header. name is NUL-terminated. For bytes, string and uuid, p/len
 * hold the value (p is NUL-terminated too, so a string without NUL bytes
 * reads as a C string); for the others, i holds it (1/0 for true/false). */
struct cw_evstream_header {
	const char *name;
	int type;
	int64_t i;
	const char *p;
	size_t len;
};

/* A decoded message; everything in it lives until the callback returns.
 * payload is NUL-terminated (not counted in payload_len). */
struct cw_evstream_msg {
	const struct cw_evstream_header *headers;
	size_t nheaders;
	const char *payload;
	size_t payload_len;
};

/* Return 0 to go on, 1 to stop quietly, -1 to fail (filling err). */
typedef int cw_evstream_fn(void *arg, const struct cw_evstream_msg *m,
	struct cw_err *err);

struct cw_evstream;

/* max_message 0 means CW_EVSTREAM_MAX_MESSAGE (also the upper bound).
 * NULL when out of memory. Free with cw_evstream_free(). */
struct cw_evstream *cw_evstream_new(size_t max_message);
void cw_evstream_free(struct cw_evstream *d);

/*
 * Feeds n more bytes of the stream; calls fn for each message completed.
 * Returns 0 when all bytes were taken, 1 when fn stopped, -1 on a bad
 * frame (bad CRC, length or header) or a failing fn. A bad frame leaves
 * the decoder failed: the framing cannot be found again in the stream.
 */
int cw_evstream_feed(struct cw_evstream *d, const void *data, size_t n,
	cw_evstream_fn *fn, void *arg, struct cw_err *err);

/* At the end of the body: -1 when it stopped inside a message (a truncated
 * frame), else 0. */
int cw_evstream_finish(const struct cw_evstream *d, struct cw_err *err);

/* Messages completed so far. */
uint64_t cw_evstream_count(const struct cw_evstream *d);

/* The first header called name, or NULL. */
const struct cw_evstream_header *cw_evstream_header(
	const struct cw_evstream_msg *m, const char *name);

/* The value of the string header called name, or NULL when absent or of
 * another type. */
const char *cw_evstream_string(const struct cw_evstream_msg *m,
	const char *name);

enum cw_evstream_kind {
	CW_EVSTREAM_EVENT,	/* :message-type event */
	CW_EVSTREAM_EXCEPTION,	/* :message-type exception (modeled) */
	CW_EVSTREAM_ERROR,	/* :message-type error (unmodeled) */
	CW_EVSTREAM_UNKNOWN	/* anything else, or no :message-type */
};

/* What a message is. type is the :event-type, :exception-type or
 * :error-code ("" when missing); message is :error-message for errors,
 * else "". Both point into m. */
struct cw_evstream_class {
	enum cw_evstream_kind kind;
	const char *type;
	const char *message;
};

void cw_evstream_classify(const struct cw_evstream_msg *m,
	struct cw_evstream_class *c);

/* Decodes the one whole message in buf[0..len) (len must be its total
 * length) and calls fn with it: for tests and fuzzing. Returns what fn
 * returns, or -1 on a bad frame. */
int cw_evstream_decode(const void *buf, size_t len, cw_evstream_fn *fn,
	void *arg, struct cw_err *err);

#endif
