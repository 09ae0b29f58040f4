/* lib/evstream: frames from the emulator's encoder (tests/fakeaws/
 * eventstream.py), whole and in pieces, and hand-made bad frames. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crc32.h"
#include "evstream.h"
#include "tap.h"
#include "banned.h"

/* Produced by tests/fakeaws/eventstream.py:
 *   event("sessionStart", {...}), event("sessionUpdate", {...}),
 *   exception("SessionTimeoutException", ...), error("InternalFailure",
 *   "boom"), encode([one header of each type], b"pay"), encode([], b""). */
static const char f_start[] =
	"\x00\x00\x00\xa4\x00\x00\x00\x52\x65\xe0\xd6\xe7\x0d\x3a\x6d\x65"
	"\x73\x73\x61\x67\x65\x2d\x74\x79\x70\x65\x07\x00\x05\x65\x76\x65"
	"\x6e\x74\x0b\x3a\x65\x76\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00"
	"\x0c\x73\x65\x73\x73\x69\x6f\x6e\x53\x74\x61\x72\x74\x0d\x3a\x63"
	"\x6f\x6e\x74\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00\x10\x61\x70"
	"\x70\x6c\x69\x63\x61\x74\x69\x6f\x6e\x2f\x6a\x73\x6f\x6e\x7b\x22"
	"\x72\x65\x71\x75\x65\x73\x74\x49\x64\x22\x3a\x22\x72\x31\x22\x2c"
	"\x22\x73\x65\x73\x73\x69\x6f\x6e\x49\x64\x22\x3a\x22\x73\x31\x22"
	"\x2c\x22\x6c\x6f\x67\x47\x72\x6f\x75\x70\x49\x64\x65\x6e\x74\x69"
	"\x66\x69\x65\x72\x73\x22\x3a\x5b\x22\x2f\x61\x70\x70\x22\x5d\x7d"
	"\xb2\x3b\xd0\xe2";
static const char f_update[] =
	"\x00\x00\x01\x14\x00\x00\x00\x53\xc9\x7c\x3d\xc0\x0d\x3a\x6d\x65"
	"\x73\x73\x61\x67\x65\x2d\x74\x79\x70\x65\x07\x00\x05\x65\x76\x65"
	"\x6e\x74\x0b\x3a\x65\x76\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00"
	"\x0d\x73\x65\x73\x73\x69\x6f\x6e\x55\x70\x64\x61\x74\x65\x0d\x3a"
	"\x63\x6f\x6e\x74\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00\x10\x61"
	"\x70\x70\x6c\x69\x63\x61\x74\x69\x6f\x6e\x2f\x6a\x73\x6f\x6e\x7b"
	"\x22\x73\x65\x73\x73\x69\x6f\x6e\x4d\x65\x74\x61\x64\x61\x74\x61"
	"\x22\x3a\x7b\x22\x73\x61\x6d\x70\x6c\x65\x64\x22\x3a\x66\x61\x6c"
	"\x73\x65\x7d\x2c\x22\x73\x65\x73\x73\x69\x6f\x6e\x52\x65\x73\x75"
	"\x6c\x74\x73\x22\x3a\x5b\x7b\x22\x6c\x6f\x67\x53\x74\x72\x65\x61"
	"\x6d\x4e\x61\x6d\x65\x22\x3a\x22\x61\x22\x2c\x22\x6c\x6f\x67\x47"
	"\x72\x6f\x75\x70\x49\x64\x65\x6e\x74\x69\x66\x69\x65\x72\x22\x3a"
	"\x22\x2f\x61\x70\x70\x22\x2c\x22\x6d\x65\x73\x73\x61\x67\x65\x22"
	"\x3a\x22\x68\x69\x22\x2c\x22\x74\x69\x6d\x65\x73\x74\x61\x6d\x70"
	"\x22\x3a\x31\x37\x30\x30\x30\x30\x30\x30\x30\x30\x30\x30\x30\x2c"
	"\x22\x69\x6e\x67\x65\x73\x74\x69\x6f\x6e\x54\x69\x6d\x65\x22\x3a"
	"\x31\x37\x30\x30\x30\x30\x30\x30\x30\x30\x31\x30\x30\x7d\x5d\x7d"
	"\x1a\xa9\x90\x35";
static const char f_timeout[] =
	"\x00\x00\x00\xa7\x00\x00\x00\x65\x9a\xfd\x09\x38\x0d\x3a\x6d\x65"
	"\x73\x73\x61\x67\x65\x2d\x74\x79\x70\x65\x07\x00\x09\x65\x78\x63"
	"\x65\x70\x74\x69\x6f\x6e\x0f\x3a\x65\x78\x63\x65\x70\x74\x69\x6f"
	"\x6e\x2d\x74\x79\x70\x65\x07\x00\x17\x53\x65\x73\x73\x69\x6f\x6e"
	"\x54\x69\x6d\x65\x6f\x75\x74\x45\x78\x63\x65\x70\x74\x69\x6f\x6e"
	"\x0d\x3a\x63\x6f\x6e\x74\x65\x6e\x74\x2d\x74\x79\x70\x65\x07\x00"
	"\x10\x61\x70\x70\x6c\x69\x63\x61\x74\x69\x6f\x6e\x2f\x6a\x73\x6f"
	"\x6e\x7b\x22\x6d\x65\x73\x73\x61\x67\x65\x22\x3a\x20\x22\x53\x65"
	"\x73\x73\x69\x6f\x6e\x20\x74\x69\x6d\x65\x64\x20\x6f\x75\x74\x20"
	"\x61\x66\x74\x65\x72\x20\x31\x30\x20\x73\x65\x63\x6f\x6e\x64\x73"
	"\x2e\x22\x7d\x93\xd4\xa3\x30";
static const char f_error[] =
	"\x00\x00\x00\x5a\x00\x00\x00\x4a\x81\x88\xa0\x8d\x0d\x3a\x6d\x65"
	"\x73\x73\x61\x67\x65\x2d\x74\x79\x70\x65\x07\x00\x05\x65\x72\x72"
	"\x6f\x72\x0b\x3a\x65\x72\x72\x6f\x72\x2d\x63\x6f\x64\x65\x07\x00"
	"\x0f\x49\x6e\x74\x65\x72\x6e\x61\x6c\x46\x61\x69\x6c\x75\x72\x65"
	"\x0e\x3a\x65\x72\x72\x6f\x72\x2d\x6d\x65\x73\x73\x61\x67\x65\x07"
	"\x00\x04\x62\x6f\x6f\x6d\xd7\x8e\x07\x03";
static const char f_types[] =
	"\x00\x00\x00\x68\x00\x00\x00\x55\xd7\x61\x46\x9e\x01\x74\x00\x01"
	"\x66\x01\x01\x62\x02\xfb\x01\x73\x03\xfe\xd4\x01\x69\x04\xff\xfe"
	"\xee\x90\x01\x6c\x05\xff\xff\xff\x00\x00\x00\x00\x00\x01\x79\x06"
	"\x00\x03\x00\x01\xff\x03\x73\x74\x72\x07\x00\x06\x68\xc3\xa9\x6c"
	"\x6c\x6f\x02\x74\x73\x08\x00\x00\x01\x8b\xcf\xe5\x68\x7b\x01\x75"
	"\x09\x12\x34\x56\x78\x9a\xbc\xde\xf0\x12\x34\x56\x78\x9a\xbc\xde"
	"\xf0\x70\x61\x79\x2e\x92\x5a\xe3";
static const char f_empty[] =
	"\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2\x48\xeb\x7d\x98\xc8\xff";

#define LEN(a) (sizeof(a) - 1)

/* What the callback saw. */
struct seen {
	int n;
	int stop_at;		/* return 1 at this message (1-based) */
	int fail_at;		/* return -1 at this message */
	struct cw_evstream_class c;
	char type[64], message[64], payload[512];
	size_t payload_len, nheaders;
	struct cw_evstream_header h[16];
	char names[16][16], values[16][32];
};

static int collect(void *arg, const struct cw_evstream_msg *m,
	struct cw_err *err)
{
	struct seen *s = arg;
	size_t i;

	s->n++;
	cw_evstream_classify(m, &s->c);
	snprintf(s->type, sizeof(s->type), "%s", s->c.type);
	snprintf(s->message, sizeof(s->message), "%s", s->c.message);
	s->payload_len = m->payload_len;
	snprintf(s->payload, sizeof(s->payload), "%s", m->payload);
	s->nheaders = m->nheaders;
	for (i = 0; i < m->nheaders && i < 16; i++) {
		s->h[i] = m->headers[i];
		snprintf(s->names[i], 16, "%s", m->headers[i].name);
		if (m->headers[i].p)
			memcpy(s->values[i], m->headers[i].p,
				m->headers[i].len < 32 ? m->headers[i].len : 32);
	}
	if (s->n == s->fail_at)
		return cw_err_set(err, "callback failed");
	return s->n == s->stop_at;
}

static int decode(const char *p, size_t n, struct seen *s, struct cw_err *e)
{
	memset(s, 0, sizeof(*s));
	cw_err_clear(e);
	return cw_evstream_decode(p, n, collect, s, e);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A frame with good CRCs around raw header bytes and a payload. */
static size_t frame(unsigned char *out, const void *h, size_t hlen,
	const char *payload)
{
	size_t plen = strlen(payload), total = 16 + hlen + plen;

	put32(out, (uint32_t)total);
	put32(out + 4, (uint32_t)hlen);
	put32(out + 8, cw_crc32(0, out, 8));
	memcpy(out + 12, h, hlen);
	memcpy(out + 12 + hlen, payload, plen);
	put32(out + total - 4, cw_crc32(0, out, total - 4));
	return total;
}

static void test_crc32(void)
{
	is_int(cw_crc32(0, "123456789", 9), 0xcbf43926,
		"crc32 check value of \"123456789\"");
	is_int(cw_crc32(cw_crc32(0, "1234", 4), "56789", 5), 0xcbf43926,
		"crc32 continues across pieces");
	is_int(cw_crc32(0, "", 0), 0, "crc32 of nothing is 0");
}

static void test_messages(void)
{
	struct seen s;
	struct cw_err e;

	ok(decode(f_start, LEN(f_start), &s, &e) == 0 && s.n == 1,
		"sessionStart decodes");
	ok(s.c.kind == CW_EVSTREAM_EVENT, "sessionStart is an event");
	is_str(s.type, "sessionStart", "its :event-type");
	is_str(s.payload, "{\"requestId\":\"r1\",\"sessionId\":\"s1\","
		"\"logGroupIdentifiers\":[\"/app\"]}", "its JSON payload");
	is_int((long long)s.nheaders, 3, "three headers");
	is_str(s.names[2], ":content-type", "header names in order");

	ok(decode(f_update, LEN(f_update), &s, &e) == 0, "sessionUpdate");
	is_str(s.type, "sessionUpdate", "sessionUpdate :event-type");
	ok(strstr(s.payload, "\"message\":\"hi\"") != NULL,
		"sessionUpdate payload carries the event");

	ok(decode(f_timeout, LEN(f_timeout), &s, &e) == 0, "exception");
	ok(s.c.kind == CW_EVSTREAM_EXCEPTION, "exception message type");
	is_str(s.type, "SessionTimeoutException", "its :exception-type");

	ok(decode(f_error, LEN(f_error), &s, &e) == 0, "error message");
	ok(s.c.kind == CW_EVSTREAM_ERROR, "error message type");
	is_str(s.type, "InternalFailure", "its :error-code");
	is_str(s.message, "boom", "its :error-message");

	ok(decode(f_empty, LEN(f_empty), &s, &e) == 0 && s.n == 1,
		"a 16-byte message without headers or payload");
	ok(s.nheaders == 0 && s.payload_len == 0 && s.payload[0] == '\0',
		"nothing in it");
	ok(s.c.kind == CW_EVSTREAM_UNKNOWN && s.type[0] == '\0',
		"no :message-type classifies as unknown");
}

static void test_types(void)
{
	static const char uuid[] = "\x12\x34\x56\x78\x9a\xbc\xde\xf0"
		"\x12\x34\x56\x78\x9a\xbc\xde\xf0";
	struct seen s;
	struct cw_err e;

	ok(decode(f_types, LEN(f_types), &s, &e) == 0, "every header type");
	is_int((long long)s.nheaders, 10, "ten headers");
	ok(s.h[0].type == CW_EVSTREAM_TRUE && s.h[0].i == 1, "true");
	ok(s.h[1].type == CW_EVSTREAM_FALSE && s.h[1].i == 0, "false");
	ok(s.h[2].type == CW_EVSTREAM_BYTE && s.h[2].i == -5, "byte -5");
	ok(s.h[3].type == CW_EVSTREAM_INT16 && s.h[3].i == -300,
		"int16 -300");
	ok(s.h[4].type == CW_EVSTREAM_INT32 && s.h[4].i == -70000,
		"int32 -70000");
	ok(s.h[5].type == CW_EVSTREAM_INT64 &&
		s.h[5].i == -((int64_t)1 << 40), "int64 -2^40");
	ok(s.h[6].type == CW_EVSTREAM_BYTES && s.h[6].len == 3 &&
		memcmp(s.values[6], "\x00\x01\xff", 3) == 0,
		"bytes with a NUL byte");
	ok(s.h[7].type == CW_EVSTREAM_STRING && s.h[7].len == 6 &&
		memcmp(s.values[7], "h\xc3\xa9llo", 6) == 0, "UTF-8 string");
	ok(s.h[8].type == CW_EVSTREAM_TIMESTAMP &&
		s.h[8].i == 1700000000123LL, "timestamp in ms");
	ok(s.h[9].type == CW_EVSTREAM_UUID && s.h[9].len == 16 &&
		memcmp(s.values[9], uuid, 16) == 0, "uuid, 16 bytes");
	is_str(s.payload, "pay", "payload after typed headers");
}

/* The five Python frames back to back, fed in pieces of every size. */
static void test_pieces(void)
{
	struct cw_buf all = CW_BUF_INIT;
	struct seen s;
	struct cw_err e;
	struct cw_evstream *d;
	size_t step, i, bad = 0;

	cw_buf_add(&all, f_start, LEN(f_start));
	cw_buf_add(&all, f_types, LEN(f_types));
	cw_buf_add(&all, f_update, LEN(f_update));
	cw_buf_add(&all, f_empty, LEN(f_empty));
	cw_buf_add(&all, f_timeout, LEN(f_timeout));
	for (step = 1; step <= all.len; step++) {
		memset(&s, 0, sizeof(s));
		d = cw_evstream_new(0);
		for (i = 0; i < all.len; i += step)
			if (cw_evstream_feed(d, all.p + i, all.len - i < step ?
			    all.len - i : step, collect, &s, &e) != 0)
				break;
		if (i < all.len || cw_evstream_finish(d, &e) != 0 || s.n != 5 ||
		    cw_evstream_count(d) != 5 ||
		    strcmp(s.type, "SessionTimeoutException") != 0)
			bad++;
		cw_evstream_free(d);
	}
	is_int((long long)bad, 0, "five messages in pieces of 1..all bytes");

	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	d = cw_evstream_new(0);
	is_int(cw_evstream_feed(d, all.p, all.len, collect, &s, &e), 1,
		"a callback returning 1 stops the feed");
	is_int(s.n, 2, "after the second message");
	cw_evstream_free(d);

	memset(&s, 0, sizeof(s));
	s.fail_at = 1;
	d = cw_evstream_new(0);
	is_int(cw_evstream_feed(d, all.p, all.len, collect, &s, &e), -1,
		"a failing callback fails the feed");
	is_str(e.msg, "callback failed", "with the callback's error");
	cw_evstream_free(d);
	cw_buf_release(&all);
}

static void expect_error(const void *p, size_t n, const char *want,
	const char *name)
{
	struct seen s;
	struct cw_err e;
	int r = decode(p, n, &s, &e);

	ok(r == -1 && s.n == 0 && strstr(e.msg, want) != NULL, "%s", name);
	if (r != -1 || !strstr(e.msg, want))
		diag("r=%d msg '%s', expected '%s'", r, e.msg, want);
}

static void test_bad_frames(void)
{
	unsigned char b[512];
	size_t n;

	memcpy(b, f_start, LEN(f_start));
	b[100] ^= 1;
	expect_error(b, LEN(f_start), "message 1 at byte 0: message CRC "
		"mismatch (frame says 0xb23bd0e2, computed 0x",
		"a flipped payload bit fails the message CRC");
	memcpy(b, f_start, LEN(f_start));
	b[LEN(f_start) - 1] ^= 0x80;
	expect_error(b, LEN(f_start), "message CRC mismatch",
		"a flipped message CRC bit fails");
	memcpy(b, f_start, LEN(f_start));
	b[3] ^= 1;
	expect_error(b, LEN(f_start), "prelude CRC mismatch",
		"a changed length fails the prelude CRC");
	memcpy(b, f_start, LEN(f_start));
	b[9] ^= 1;
	expect_error(b, LEN(f_start), "prelude CRC mismatch",
		"a flipped prelude CRC bit fails");

	expect_error(f_start, LEN(f_start) - 5,
		"message 1 at byte 0: truncated frame: 159 of 164 bytes",
		"a frame cut short is a truncated frame");
	expect_error(f_start, 5, "truncated frame: 5 of the 12 prelude bytes",
		"a prelude cut short is a truncated frame");

	put32(b, 15);
	put32(b + 4, 0);
	put32(b + 8, cw_crc32(0, b, 8));
	expect_error(b, 15, "bad message length (total 15, headers 0)",
		"a total below 16 is refused");
	put32(b, (uint32_t)(16 << 20) + 1);
	put32(b + 8, cw_crc32(0, b, 8));
	expect_error(b, 12, "bad message length (total 16777217",
		"a total over 16 MiB is refused before buffering");
	put32(b, 40);
	put32(b + 4, 25);
	put32(b + 8, cw_crc32(0, b, 8));
	expect_error(b, 12, "bad headers length (total 40, headers 25)",
		"headers longer than the message are refused");
	put32(b, (uint32_t)(1 << 20));
	put32(b + 4, (128 << 10) + 1);
	put32(b + 8, cw_crc32(0, b, 8));
	expect_error(b, 12, "bad headers length",
		"headers over 128 KiB are refused");

	n = frame(b, "\x01x\x0a", 3, "p");
	expect_error(b, n, "unknown header value type 10 in header 'x'",
		"an unknown header type is named");
	n = frame(b, "\x02\x1b\x07\x0f", 4, "");
	expect_error(b, n, "unknown header value type 15 in header '?" "?'",
		"header names in errors are printable");
	n = frame(b, "\x00\x00", 2, "");
	expect_error(b, n, "bad header: empty name", "an empty name is bad");
	n = frame(b, "\x05" "ab", 3, "");
	expect_error(b, n, "bad header: truncated name",
		"a name past the headers is bad");
	n = frame(b, "\x01s\x07\x00\x09" "abc", 8, "");
	expect_error(b, n, "bad header: truncated value of 's'",
		"a string past the headers is bad");
	n = frame(b, "\x01s\x07\x00", 4, "");
	expect_error(b, n, "truncated value of 's'",
		"a string length past the headers is bad");
	n = frame(b, "\x01l\x05\x00\x00\x00", 6, "");
	expect_error(b, n, "truncated value of 'l'", "a short int64 is bad");
	n = frame(b, "\x01u\x09\x00\x00\x00", 6, "");
	expect_error(b, n, "truncated value of 'u'", "a short uuid is bad");
	n = frame(b, "\x01t", 2, "");
	expect_error(b, n, "truncated name", "a header without type is bad");
}

static void test_after_error(void)
{
	struct cw_evstream *d = cw_evstream_new(64);
	unsigned char b[128];
	struct seen s;
	struct cw_err e;

	memset(&s, 0, sizeof(s));
	ok(cw_evstream_feed(d, f_start, LEN(f_start), collect, &s, &e) == -1 &&
		strstr(e.msg, "bad message length (total 164") != NULL,
		"a message over the decoder's own cap is refused");
	ok(cw_evstream_feed(d, f_empty, LEN(f_empty), collect, &s, &e) == -1 &&
		strstr(e.msg, "after a bad frame") != NULL && s.n == 0,
		"nothing is decoded after a bad frame");
	is_int(cw_evstream_finish(d, &e), 0, "finish after failure is quiet");
	cw_evstream_free(d);

	d = cw_evstream_new(0);
	memcpy(b, f_empty, 16);
	memcpy(b + 16, f_empty, 16);
	b[20] ^= 1;
	memset(&s, 0, sizeof(s));
	ok(cw_evstream_feed(d, b, 32, collect, &s, &e) == -1 && s.n == 1 &&
		strstr(e.msg, "message 2 at byte 16: prelude CRC") != NULL,
		"the error names the message and its offset");
	cw_evstream_free(d);
	cw_evstream_free(NULL);
}

static void test_lookup(void)
{
	struct cw_evstream_header h[2] = {
		{ ":message-type", CW_EVSTREAM_INT32, 7, NULL, 0 },
		{ ":event-type", CW_EVSTREAM_STRING, 0, "x", 1 },
	};
	struct cw_evstream_msg m = { h, 2, "", 0 };
	struct cw_evstream_class c;

	ok(cw_evstream_header(&m, ":event-type") == &h[1], "header by name");
	ok(cw_evstream_header(&m, "nope") == NULL, "absent header is NULL");
	ok(cw_evstream_string(&m, ":message-type") == NULL,
		"a non-string header is no string");
	cw_evstream_classify(&m, &c);
	ok(c.kind == CW_EVSTREAM_UNKNOWN && strcmp(c.type, "") == 0,
		"a :message-type of the wrong type is unknown");
}

/* Many frames written by the Python encoder now, fed in odd pieces. */
static void test_python_stream(void)
{
	static const char script[] = "python3 -c '"
		"import sys; sys.path.insert(0, \"tests/fakeaws\")\n"
		"import eventstream as es\n"
		"out = sys.stdout.buffer\n"
		"for i in range(300):\n"
		"    out.write(es.encode([(\":message-type\", \"event\"),\n"
		"        (\":event-type\", \"e%d\" % i), (\"n\", (es.T_LONG, i))],\n"
		"        b\"x\" * (i * 37 % 5000)))\n"
		"'";
	FILE *fp = popen(script, "r");
	struct cw_evstream *d = cw_evstream_new(0);
	struct seen s;
	struct cw_err e;
	char chunk[977];
	size_t n;
	int r = 0;

	memset(&s, 0, sizeof(s));
	while (fp && r == 0 && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		r = cw_evstream_feed(d, chunk, n, collect, &s, &e);
	ok(fp && pclose(fp) == 0, "python3 wrote the frames");
	ok(r == 0 && cw_evstream_finish(d, &e) == 0, "all of them decode");
	is_int(s.n, 300, "300 messages");
	is_str(s.type, "e299", "the last one's :event-type");
	ok(s.h[2].type == CW_EVSTREAM_INT64 && s.h[2].i == 299,
		"the last one's int64 header");
	is_int((long long)s.payload_len, 299 * 37 % 5000,
		"the last one's payload length");
	cw_evstream_free(d);
}

int main(void)
{
	test_crc32();
	test_messages();
	test_types();
	test_pieces();
	test_bad_frames();
	test_after_error();
	test_lookup();
	test_python_stream();
	return tap_done();
}
