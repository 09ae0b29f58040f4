/*
 * Strict JSON over raw text: a validator that needs no tree, member
 * look-up, string decoding with lengths, and re-encoding for output that
 * any strict parser reads.
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "json.h"
#include "banned.h"

static const char *ws(const char *s, const char *e)
{
	/* most JSON from a service is compact: one test, no loop */
	if (s < e && (unsigned char)*s > ' ')
		return s;
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	return s;
}

const char *cw_json_ws(const char *s, const char *e)
{
	return ws(s, e);
}

static long hex4(const char *s, const char *e)
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
static inline const char *plain_run(const char *s, const char *e)
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
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Non-zero when some byte of x is a quote, a backslash or below 0x20:
 * the bytes a string scan must stop at (the classic bit tricks). */
static uint64_t special(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');

	return ((q - ONES) & ~q & HIGHS) | ((b - ONES) & ~b & HIGHS) |
		((x - ONES * 0x20) & ~x & HIGHS);
}

/* The same eight bytes at a time, stopping at the word that holds one. */
static const char *plain_run(const char *s, const char *e)
{
	uint64_t x;

	while (e - s >= 8) {
		memcpy(&x, s, 8);
		if (special(x))
			break;
		s += 8;
	}
	return s;
}
#endif

/* s on the opening quote: the byte after the closing one, or NULL; *esc
 * is set when the string holds an escape. Inline: a page of events is
 * mostly strings, and the call cost as much as scanning a short one. */
static inline __attribute__((always_inline)) const char *string_scan(
	const char *s, const char *e, int *esc)
{
	for (s++; s < e; s++) {
		unsigned char c;

		s = plain_run(s, e);
		if (s >= e)
			break;
		c = (unsigned char)*s;
		if (c == '"')
			return s + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		*esc = 1;
		if (++s >= e)
			return NULL;
		if (*s == 'u') {
			if (hex4(s + 1, e) < 0)
				return NULL;
			s += 4;
		} else if (!strchr("\"\\/bfnrt", *s) || !*s) {
			return NULL;
		}
	}
	return NULL;
}

static inline const char *string_end(const char *s, const char *e)
{
	int esc;

	return string_scan(s, e, &esc);
}

/* Bits set in each byte of x that is no digit, none in a digit: x ^ '0'
 * leaves a digit's value, below 10, in the low nibble and 0 above; a low
 * nibble above 9 reaches bit 4 when 6 is added, and no byte carries. */
static uint64_t non_digits(uint64_t x)
{
	uint64_t v = x ^ 0x3030303030303030ULL;

	return (v & 0xf0f0f0f0f0f0f0f0ULL) |
		(((v & 0x0f0f0f0f0f0f0f0fULL) + 0x0606060606060606ULL)
		& 0x1010101010101010ULL);
}

/* Eight at a time: a time in milliseconds has thirteen. */
static inline const char *digits(const char *s, const char *e)
{
	const char *from = s;
	uint64_t x, nd;

	while (e - s >= 8) {
		memcpy(&x, s, 8);
		if ((nd = non_digits(x)) != 0) {
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

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static const char *number_end(const char *s, const char *e)
{
	if (s < e && *s == '-')
		s++;
	if (s < e && *s == '0')
		s++;
	else if (!(s = digits(s, e)))
		return NULL;
	if (s < e && *s == '.' && !(s = digits(s + 1, e)))
		return NULL;
	if (s < e && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < e && (*s == '+' || *s == '-'))
			s++;
		s = digits(s, e);
	}
	return s;
}

static const char *literal_end(const char *s, const char *e, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(e - s) >= n && memcmp(s, w, n) == 0 ? s + n : NULL;
}

/* A scalar, or NULL; containers are the caller's. */
static const char *scalar_end(const char *s, const char *e)
{
	switch (*s) {
	case '"': return string_end(s, e);
	case 't': return literal_end(s, e, "true");
	case 'f': return literal_end(s, e, "false");
	case 'n': return literal_end(s, e, "null");
	default: return number_end(s, e);
	}
}

/* One bit per open container: 1 for an object. */
struct nest {
	unsigned char bits[CW_JSON_MAX_DEPTH / 8];
	int depth;
};

static int push(struct nest *n, int obj)
{
	if (n->depth >= CW_JSON_MAX_DEPTH)
		return -1;
	if (obj)
		n->bits[n->depth / 8] |= (unsigned char)(1u << n->depth % 8);
	else
		n->bits[n->depth / 8] &= (unsigned char)~(1u << n->depth % 8);
	n->depth++;
	return 0;
}

static int in_object(const struct nest *n)
{
	return n->bits[(n->depth - 1) / 8] >> (n->depth - 1) % 8 & 1;
}

/* s after '{' or ',' in an object: past the key and its ':'. */
static const char *key(const char *s, const char *e)
{
	s = ws(s, e);
	if (s >= e || *s != '"' || !(s = string_end(s, e)))
		return NULL;
	s = ws(s, e);
	return s < e && *s == ':' ? s + 1 : NULL;
}

/* After a value: closes containers; returns where the next value starts
 * (*done 0) or the end of the outermost one (*done 1). */
static const char *after(struct nest *n, const char *s, const char *e,
	int *done)
{
	for (;;) {
		if (n->depth == 0) {
			*done = 1;
			return s;
		}
		s = ws(s, e);
		if (s >= e)
			return NULL;
		if (*s == ',')
			return in_object(n) ? key(s + 1, e) : s + 1;
		if (*s != (in_object(n) ? '}' : ']'))
			return NULL;
		n->depth--;
		s++;
	}
}

const char *cw_json_skip(const char *s, const char *e)
{
	struct nest n;
	int done = 0;

	n.depth = 0;
	while (s && !done) {
		s = ws(s, e);
		if (s >= e)
			return NULL;
		if (*s == '{' || *s == '[') {
			int obj = *s == '{';
			const char *c = ws(s + 1, e);

			if (n.depth >= CW_JSON_MAX_DEPTH)
				return NULL;

			if (c < e && *c == (obj ? '}' : ']')) {
				s = after(&n, c + 1, e, &done);
				continue;
			}
			if (push(&n, obj) < 0)
				return NULL;
			s = obj ? key(s + 1, e) : s + 1;
			continue;
		}
		s = scalar_end(s, e);
		if (s)
			s = after(&n, s, e, &done);
	}
	return s;
}

int cw_json_valid(const char *s, size_t n)
{
	const char *e = s + n, *end = cw_json_skip(s, e);

	return end && ws(end, e) == e;
}

const char *cw_json_member(const char *obj, const char *e, const char *k,
	size_t klen)
{
	const char *s = ws(obj, e), *kend;
	char tmp[256];
	size_t n;

	if (s >= e || *s != '{')
		return NULL;
	for (s = ws(s + 1, e); s < e && *s == '"'; s = ws(s + 1, e)) {
		kend = string_end(s, e);
		if (!kend)
			return NULL;
		n = (size_t)(kend - s - 2);
		n = n <= sizeof(tmp) ? cw_json_unescape(s + 1, n, tmp)
			: (size_t)-1;
		s = ws(kend, e);
		if (s >= e || *s != ':')
			return NULL;
		s = ws(s + 1, e);
		if (n == klen && memcmp(tmp, k, klen) == 0)
			return s < e ? s : NULL;
		s = cw_json_skip(s, e);
		if (!s || (s = ws(s, e)) >= e || *s != ',')
			return NULL;
	}
	return NULL;
}

int cw_json_iter_begin(struct cw_json_iter *it, const char *s,
	const char *e)
{
	s = ws(s, e);
	if (s >= e || (*s != '{' && *s != '['))
		return -1;
	it->obj = *s == '{';
	it->first = 1;
	it->s = s + 1;
	it->e = e;
	return 0;
}

/* it->s before a member's key: past the key and its ':', into m. */
static const char *member_key(struct cw_json_iter *it, const char *s,
	struct cw_json_item *m)
{
	const char *kend;

	if (s >= it->e || *s != '"' || !(kend = string_end(s, it->e)))
		return NULL;
	m->key = s + 1;
	m->keylen = (size_t)(kend - s - 2);
	s = ws(kend, it->e);
	return s < it->e && *s == ':' ? ws(s + 1, it->e) : NULL;
}

int cw_json_iter_next(struct cw_json_iter *it, struct cw_json_item *m,
	int enter)
{
	const char *s = ws(it->s, it->e);

	if (s >= it->e)
		return -1;
	if (*s == (it->obj ? '}' : ']')) {
		it->s = s + 1;
		return 0;
	}
	if (!it->first && *s++ != ',')
		return -1;
	it->first = 0;
	m->key = NULL;
	m->keylen = 0;
	s = it->obj ? member_key(it, ws(s, it->e), m) : ws(s, it->e);
	if (!s || s >= it->e)
		return -1;
	m->v = s;
	m->esc = 0;
	if (enter)
		m->vend = NULL;
	else if (!(m->vend = *s == '"' ? string_scan(s, it->e, &m->esc)
	    : *s == '{' || *s == '[' ? cw_json_skip(s, it->e)
	    : scalar_end(s, it->e)))
		return -1;
	it->s = enter ? s : m->vend;
	return 1;
}

/* a[0..n) == b[0..n). A key is short: from 4 to 16 bytes it takes two
 * loads a side (they may overlap), as memcmp with a constant size
 * compiles to, where a call to memcmp costs more than the comparison. */
static int key_eq(const char *a, const char *b, size_t n)
{
	uint64_t x, y, z, w;

	if (n < 4 || n > 16)
		return memcmp(a, b, n) == 0;
	if (n < 8) {
		uint32_t p, q, r, t;

		memcpy(&p, a, 4);
		memcpy(&q, b, 4);
		memcpy(&r, a + n - 4, 4);
		memcpy(&t, b + n - 4, 4);
		return ((p ^ q) | (r ^ t)) == 0;
	}
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	memcpy(&z, a + n - 8, 8);
	memcpy(&w, b + n - 8, 8);
	return ((x ^ y) | (z ^ w)) == 0;
}

int cw_json_iter_key(struct cw_json_iter *it, struct cw_json_item *m,
	const char *k, size_t klen)
{
	const char *s = it->s, *v, *vend;
	int esc = 0;

	if (!it->obj || (!it->first && (s >= it->e || *s++ != ','))
	    || it->e - s < (ptrdiff_t)klen + 4 || *s != '"'
	    || !key_eq(s + 1, k, klen) || s[klen + 1] != '"'
	    || s[klen + 2] != ':')
		return 0;
	v = s + klen + 3;
	if (*v == '"')
		vend = string_scan(v, it->e, &esc);
	else if (*v >= '0' && *v <= '9')
		vend = number_end(v, it->e);	/* a time: no dispatch */
	else if (*v != '{' && *v != '[')
		vend = scalar_end(v, it->e);
	else
		return 0;
	if (!vend)
		return 0;
	m->vend = vend;
	m->key = s + 1;
	m->keylen = klen;
	m->v = v;
	m->esc = esc;
	it->s = m->vend;
	it->first = 0;
	return 1;
}

/* A key longer than k, which may still be k written with escapes. */
int cw_json_key_escaped(const struct cw_json_item *m, const char *k,
	size_t klen)
{
	size_t n;
	char tmp[256];

	/* an escape is longer than what it stands for */
	if (m->keylen < klen || m->keylen > sizeof(tmp)
	    || !memchr(m->key, '\\', m->keylen))
		return 0;
	n = cw_json_unescape(m->key, m->keylen, tmp);
	return n == klen && memcmp(tmp, k, klen) == 0;
}

static size_t put_utf8(char *o, long c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* One escape at *sp (after the backslash); returns bytes written to o. */
static size_t unescape1(const char **sp, const char *e, char *o)
{
	const char *s = *sp;
	long c, lo;

	*sp = s + 1;
	switch (*s) {
	case 'b': *o = '\b'; return 1;
	case 'f': *o = '\f'; return 1;
	case 'n': *o = '\n'; return 1;
	case 'r': *o = '\r'; return 1;
	case 't': *o = '\t'; return 1;
	case 'u':
		c = hex4(s + 1, e);
		if (c < 0) {
			*o = 'u';
			return 1;
		}
		*sp = s + 5;
		if (c >= 0xd800 && c < 0xdc00 && e - *sp >= 6 &&
		    (*sp)[0] == '\\' && (*sp)[1] == 'u' &&
		    (lo = hex4(*sp + 2, e)) >= 0xdc00 && lo < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			*sp += 6;
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		return put_utf8(o, c);
	default: *o = *s; return 1;
	}
}

size_t cw_json_unescape(const char *s, size_t n, char *o)
{
	const char *e = s + n, *bs;
	size_t k = 0, run;

	while (s < e) {
		/* the plain text up to the next escape in one copy */
		bs = memchr(s, '\\', (size_t)(e - s));
		run = (size_t)((bs ? bs : e) - s);
		memmove(o + k, s, run);
		k += run;
		s += run;
		if (s + 1 < e) {
			s++;
			k += unescape1(&s, e, o + k);
		} else if (s < e) {
			o[k++] = *s++;
		}
	}
	return k;
}

int cw_json_string(struct cw_buf *b, const char *tok, const char *e,
	size_t *len)
{
	const char *end = string_end(tok, e);

	return end ? cw_json_string_token(b, tok, end, len) : -1;
}

int cw_json_string_token(struct cw_buf *b, const char *tok,
	const char *end, size_t *len)
{
	size_t n = (size_t)(end - tok - 2), at = b->len;

	if (cw_buf_grow(b, n + 1) < 0)
		return -1;
	*len = cw_json_unescape(tok + 1, n, b->p + at);
	b->len = at + *len;
	b->p[b->len] = '\0';
	return 0;
}

/* One token of a well-formed value: strings re-encoded through tmp. */
static const char *token(struct cw_buf *b, struct cw_buf *tmp,
	const char *v, const char *e)
{
	const char *end;
	size_t len;

	if (*v == '"') {
		cw_buf_reset(tmp);
		if (cw_json_string(tmp, v, e, &len) < 0 ||
		    cw_json_quote(b, cw_buf_str(tmp), len) < 0)
			return NULL;
		return string_end(v, e);
	}
	end = strchr("{}[],:", *v) && *v ? v + 1 : scalar_end(v, e);
	if (!end || cw_buf_add(b, v, (size_t)(end - v)) < 0)
		return NULL;
	return end;
}

int cw_json_normalize(struct cw_buf *b, const char *v, size_t n)
{
	struct cw_buf tmp = CW_BUF_INIT;
	const char *e = v + n;

	for (v = ws(v, e); v && v < e; v = v ? ws(v, e) : NULL)
		v = token(b, &tmp, v, e);
	cw_buf_release(&tmp);
	return v ? 0 : -1;
}

size_t cw_json_utf8(const char *str, size_t n, uint32_t *cpp)
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

int cw_json_quote(struct cw_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;
	int rc = cw_buf_addc(b, '"');

	while (rc == 0 && i < len) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\')
			rc = cw_buf_addc(b, '\\') || cw_buf_addc(b, (char)c);
		else if (c == '\n')
			rc = cw_buf_adds(b, "\\n");
		else if (c == '\r')
			rc = cw_buf_adds(b, "\\r");
		else if (c == '\t')
			rc = cw_buf_adds(b, "\\t");
		else if (c < 0x20)
			rc = cw_buf_addf(b, "\\u%04x", c);
		else if ((n = cw_json_utf8(s + i, len - i, &cp)) > 0) {
			rc = cw_buf_add(b, p + i, n);
			i += n;
			continue;
		} else
			rc = cw_buf_adds(b, "\\ufffd");
		i++;
	}
	return rc == 0 ? cw_buf_addc(b, '"') : -1;
}
