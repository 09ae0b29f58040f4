#ifndef CW_JSON_H
#define CW_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "buf.h"

/*
 * Strict JSON (RFC 8259) over raw text, for untrusted lines and answers
 * whose exact bytes matter. No tree is built. This is the one lexer:
 * lib/jsonpos and lib/pattern_json read JSON through it.
 *
 * One rule for escapes, wherever JSON is read. A \u escape needs four
 * hex digits and may name any code unit, so "\ud800" and "\u0000" are
 * well-formed: RFC 8259's grammar allows them, and refusing them would
 * make a JSON filter pattern miss events that a reader following the
 * grammar, as the service's does, takes as JSON. Decoded, a surrogate
 * pair is its character and a lone surrogate is U+FFFD (UTF-8 has no
 * lone surrogate); U+0000 is an ordinary character, carried with the
 * string's length. A reader that cannot carry it (jsonpos builds C
 * strings) refuses the text rather than cut the string short.
 */

/* Containers nested deeper than this are refused as not JSON. */
#define CW_JSON_MAX_DEPTH 1024

/* The end of the one JSON value at s (leading blanks skipped), or NULL
 * when s..e does not start with a well-formed value. */
const char *cw_json_skip(const char *s, const char *e);
/* 1 when s[0..n) is exactly one JSON value, blanks around it allowed. */
int cw_json_valid(const char *s, size_t n);
/* The value of member key (keylen bytes, compared unescaped) of the
 * well-formed object at obj, or NULL; the first of duplicate keys wins. */
const char *cw_json_member(const char *obj, const char *e, const char *key,
	size_t keylen);
/*
 * Walks an object's members or an array's elements without a tree.
 * Begin on the '{' or '[' (blanks before it allowed): -1 when there is
 * none. Each next gives one item in m (key NULL in an array) and returns
 * 1, 0 at the closing bracket (it->s is then just past it), -1 when
 * malformed. The value is checked whole and m->vend set, unless enter is
 * set: then m->vend is NULL, and the caller walks the value itself and
 * sets it->s to its end before the next call.
 */
struct cw_json_iter {
	const char *s, *e;
	int obj, first;
};

struct cw_json_item {
	const char *key;	/* the raw text between the quotes */
	size_t keylen;
	const char *v, *vend;
	int esc;		/* v is a string with an escape (not entered) */
};

int cw_json_iter_begin(struct cw_json_iter *it, const char *s,
	const char *e);
int cw_json_iter_next(struct cw_json_iter *it, struct cw_json_item *m,
	int enter);
/* The next member, when it is written exactly as "k": followed by a
 * scalar, with no blanks between: 1 with m filled as cw_json_iter_next
 * fills it, else 0 with it and m as they were. A fast path for objects whose
 * writer is known; cw_json_iter_next reads whatever else comes. */
int cw_json_iter_key(struct cw_json_iter *it, struct cw_json_item *m,
	const char *k, size_t klen);
/* 1 when m's key, unescaped, is k (klen bytes); CW_JSON_KEY_IS takes a
 * string literal. */
int cw_json_key_escaped(const struct cw_json_item *m, const char *k,
	size_t klen);
static inline int cw_json_key_is(const struct cw_json_item *m,
	const char *k, size_t klen)
{
	/* inline: called per member of large pages, most often with a
	 * literal, so the comparison compiles to a few loads */
	if (m->keylen == klen)
		return memcmp(m->key, k, klen) == 0;
	return m->keylen > klen && cw_json_key_escaped(m, k, klen);
}
#define CW_JSON_KEY_IS(m, lit) cw_json_key_is((m), lit, sizeof(lit) - 1)

/* Decodes the body s[0..n) of a string (no quotes) into o, which has
 * room for n bytes: the UTF-8 of an escape is never longer than the
 * escape. Lone surrogates become U+FFFD. Returns the decoded length. */
size_t cw_json_unescape(const char *s, size_t n, char *o);
/* 1 when the body s[0..n), decoded, is k[0..klen): no copy, no bound
 * on the length of either. */
int cw_json_unescaped_eq(const char *s, size_t n, const char *k,
	size_t klen);
/* Appends the decoded string at tok (on its opening quote, well-formed)
 * to b, NUL-terminated, and sets *len to its length. 0 or -1. */
int cw_json_string(struct cw_buf *b, const char *tok, const char *e,
	size_t *len);
/* The same for the whole string token tok..end, already checked (the
 * value of a cw_json_item): no second scan for its end. */
int cw_json_string_token(struct cw_buf *b, const char *tok,
	const char *end, size_t *len);
/* Appends the well-formed value v[0..n) re-encoded: blanks dropped,
 * strings decoded and written again as valid UTF-8 (invalid bytes and
 * lone surrogates become U+FFFD), numbers and literals as they are. */
int cw_json_normalize(struct cw_buf *b, const char *v, size_t n);

/* Appends s as a JSON string literal (quotes included), the one writer
 * of JSON strings: invalid UTF-8 bytes become U+FFFD so the output
 * always parses, and control characters, DEL and the C1 controls
 * (U+0080..U+009F) are written as escapes, so JSON read on a terminal
 * cannot drive it. */
int cw_json_quote(struct cw_buf *b, const char *s, size_t len);
/* Appends the cJSON tree v as text, indented when pretty, every string
 * written by cw_json_quote(). 0, or -1. */
struct cJSON;
int cw_json_print(struct cw_buf *b, const struct cJSON *v, int pretty);

/*
 * The scanner, inline: whoever walks JSON text calls it for every
 * string and number, and a call costs as much as scanning a short one.
 */

/* s past JSON's blanks (space, tab, CR, LF), at most e. */
static inline const char *cw_json_ws(const char *s, const char *e)
{
	/* most JSON from a service is compact: one test, no loop */
	if (s < e && (unsigned char)*s > ' ')
		return s;
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return s;
}

/* The value of the four hex digits at s, or -1. */
static inline long cw_json_hex4(const char *s, const char *e)
{
	long v = 0;
	int k, h;

	if (e - s < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		h = cw_buf_hexval(s[k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

#ifdef __SSE2__
/* s past the plain bytes of a string: up to a quote, a backslash or a
 * byte below 0x20, or to the last 15 bytes. Sixteen bytes at a time
 * over the plain text, which is most of a log line. */
static inline const char *cw_json_plain_run(const char *s, const char *e)
{
	const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'),
		ctl = _mm_set1_epi8(0x1f);

	while (e - s >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, q),
			_mm_cmpeq_epi8(x, bs)),
			_mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
		int bits = _mm_movemask_epi8(hit);

		if (bits)
			return s + __builtin_ctz((unsigned)bits);
		s += 16;
	}
	return s;
}
#else
/* Non-zero when some byte of x is a quote, a backslash or below 0x20:
 * the bytes a string scan must stop at (the classic bit tricks). */
static inline uint64_t cw_json_special(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL,
		highs = 0x8080808080808080ULL;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');

	return ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs) |
		((x - ones * 0x20) & ~x & highs);
}

/* The same eight bytes at a time, stopping at the word that holds one. */
static inline const char *cw_json_plain_run(const char *s, const char *e)
{
	uint64_t x;

	while (e - s >= 8) {
		memcpy(&x, s, 8);
		if (cw_json_special(x))
			break;
		s += 8;
	}
	return s;
}
#endif

/*
 * s on the opening quote: the byte after the closing one, or NULL when
 * the string is malformed, with *bad on what is wrong (e when it never
 * closes; a control byte; the backslash of a bad escape). *esc is set
 * when the string holds an escape.
 */
static inline __attribute__((always_inline)) const char *
cw_json_string_scan(const char *s, const char *e, int *esc,
	const char **bad)
{
	for (s++; s < e; s++) {
		unsigned char c;

		s = cw_json_plain_run(s, e);
		if (s >= e)
			break;
		c = (unsigned char)*s;
		if (c == '"')
			return s + 1;
		if (c < 0x20)
			return *bad = s, NULL;
		if (c != '\\')
			continue;
		*esc = 1;
		if (++s >= e)
			break;
		if (*s == 'u') {
			if (cw_json_hex4(s + 1, e) < 0)
				return *bad = s - 1, NULL;
			s += 4;
		} else if (!strchr("\"\\/bfnrt", *s) || !*s) {
			return *bad = s - 1, NULL;
		}
	}
	*bad = e;
	return NULL;
}

/* The end of the string at s (on its quote), or NULL. */
static inline const char *cw_json_string_end(const char *s, const char *e)
{
	const char *bad;
	int esc;

	return cw_json_string_scan(s, e, &esc, &bad);
}

/* Bits set in each byte of x that is no digit, none in a digit: x ^ '0'
 * leaves a digit's value, below 10, in the low nibble and 0 above; a low
 * nibble above 9 reaches bit 4 when 6 is added, and no byte carries. */
static inline uint64_t cw_json_non_digits(uint64_t x)
{
	uint64_t v = x ^ 0x3030303030303030ULL;

	return (v & 0xf0f0f0f0f0f0f0f0ULL) |
		(((v & 0x0f0f0f0f0f0f0f0fULL) + 0x0606060606060606ULL)
		& 0x1010101010101010ULL);
}

/* Past one or more digits, else NULL. Eight at a time: a time in
 * milliseconds has thirteen. */
static inline const char *cw_json_digits(const char *s, const char *e)
{
	const char *from = s;
	uint64_t x, nd;

	while (e - s >= 8) {
		memcpy(&x, s, 8);
		if ((nd = cw_json_non_digits(x)) != 0) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			s += __builtin_ctzll(nd) / 8;	/* the first byte */
			return s > from ? s : NULL;
#else
			break;
#endif
		}
		s += 8;
	}
	while (s < e && *s >= '0' && *s <= '9')
		s++;
	return s > from ? s : NULL;
}

/* The end of the number at s, or NULL:
 * -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static inline const char *cw_json_number_end(const char *s, const char *e)
{
	if (s < e && *s == '-')
		s++;
	if (s < e && *s == '0')
		s++;
	else if (!(s = cw_json_digits(s, e)))
		return NULL;
	if (s < e && *s == '.' && !(s = cw_json_digits(s + 1, e)))
		return NULL;
	if (s < e && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < e && (*s == '+' || *s == '-'))
			s++;
		s = cw_json_digits(s, e);
	}
	return s;
}

static inline const char *cw_json_literal_end(const char *s, const char *e,
	const char *w)
{
	size_t n = strlen(w);

	return (size_t)(e - s) >= n && memcmp(s, w, n) == 0 ? s + n : NULL;
}

/* The end of the string, number or literal at s (s < e), or NULL;
 * containers are the caller's. */
static inline const char *cw_json_scalar_end(const char *s, const char *e)
{
	switch (*s) {
	case '"': return cw_json_string_end(s, e);
	case 't': return cw_json_literal_end(s, e, "true");
	case 'f': return cw_json_literal_end(s, e, "false");
	case 'n': return cw_json_literal_end(s, e, "null");
	default: return cw_json_number_end(s, e);
	}
}

#endif
