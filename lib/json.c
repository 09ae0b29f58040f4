/*
 * Strict JSON over raw text: a validator that needs no tree, member
 * look-up, string decoding with lengths, and re-encoding for output that
 * any strict parser reads.
 */
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "vis.h"
#include "banned.h"

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
	s = cw_json_ws(s, e);
	if (s >= e || *s != '"' || !(s = cw_json_string_end(s, e)))
		return NULL;
	s = cw_json_ws(s, e);
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
		s = cw_json_ws(s, e);
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
		s = cw_json_ws(s, e);
		if (s >= e)
			return NULL;
		if (*s == '{' || *s == '[') {
			int obj = *s == '{';
			const char *c = cw_json_ws(s + 1, e);

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
		s = cw_json_scalar_end(s, e);
		if (s)
			s = after(&n, s, e, &done);
	}
	return s;
}

int cw_json_valid(const char *s, size_t n)
{
	const char *e = s + n, *end = cw_json_skip(s, e);

	return end && cw_json_ws(end, e) == e;
}

const char *cw_json_member(const char *obj, const char *e, const char *k,
	size_t klen)
{
	const char *s = cw_json_ws(obj, e), *kend;
	int want;

	if (s >= e || *s != '{')
		return NULL;
	for (s = cw_json_ws(s + 1, e); s < e && *s == '"';
	    s = cw_json_ws(s + 1, e)) {
		kend = cw_json_string_end(s, e);
		if (!kend)
			return NULL;
		want = cw_json_unescaped_eq(s + 1, (size_t)(kend - s - 2), k,
			klen);
		s = cw_json_ws(kend, e);
		if (s >= e || *s != ':')
			return NULL;
		s = cw_json_ws(s + 1, e);
		if (want)
			return s < e ? s : NULL;
		s = cw_json_skip(s, e);
		if (!s || (s = cw_json_ws(s, e)) >= e || *s != ',')
			return NULL;
	}
	return NULL;
}

int cw_json_iter_begin(struct cw_json_iter *it, const char *s,
	const char *e)
{
	s = cw_json_ws(s, e);
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

	if (s >= it->e || *s != '"' || !(kend = cw_json_string_end(s, it->e)))
		return NULL;
	m->key = s + 1;
	m->keylen = (size_t)(kend - s - 2);
	s = cw_json_ws(kend, it->e);
	return s < it->e && *s == ':' ? cw_json_ws(s + 1, it->e) : NULL;
}

int cw_json_iter_next(struct cw_json_iter *it, struct cw_json_item *m,
	int enter)
{
	const char *s = cw_json_ws(it->s, it->e), *bad;

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
	s = cw_json_ws(s, it->e);
	s = it->obj ? member_key(it, s, m) : s;
	if (!s || s >= it->e)
		return -1;
	m->v = s;
	m->esc = 0;
	if (enter)
		m->vend = NULL;
	else if (!(m->vend = *s == '"' ? cw_json_string_scan(s, it->e, &m->esc,
	    &bad)
	    : *s == '{' || *s == '[' ? cw_json_skip(s, it->e)
	    : cw_json_scalar_end(s, it->e)))
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
	const char *s = it->s, *v, *vend, *bad;
	int esc = 0;

	if (!it->obj || (!it->first && (s >= it->e || *s++ != ','))
	    || it->e - s < (ptrdiff_t)klen + 4 || *s != '"'
	    || !key_eq(s + 1, k, klen) || s[klen + 1] != '"'
	    || s[klen + 2] != ':')
		return 0;
	v = s + klen + 3;
	if (*v == '"')
		vend = cw_json_string_scan(v, it->e, &esc, &bad);
	else if (*v >= '0' && *v <= '9')
		vend = cw_json_number_end(v, it->e);	/* a time: no dispatch */
	else if (*v != '{' && *v != '[')
		vend = cw_json_scalar_end(v, it->e);
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
	/* an escape is longer than what it stands for */
	if (m->keylen < klen || !memchr(m->key, '\\', m->keylen))
		return 0;
	return cw_json_unescaped_eq(m->key, m->keylen, k, klen);
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
		c = cw_json_hex4(s + 1, e);
		if (c < 0) {
			*o = 'u';
			return 1;
		}
		*sp = s + 5;
		if (c >= 0xd800 && c < 0xdc00 && e - *sp >= 6 &&
		    (*sp)[0] == '\\' && (*sp)[1] == 'u' &&
		    (lo = cw_json_hex4(*sp + 2, e)) >= 0xdc00 && lo < 0xe000) {
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			*sp += 6;
		} else if (c >= 0xd800 && c < 0xe000) {
			/* the one rule (json.h): UTF-8 has no lone
			 * surrogate, and the service's reader takes one */
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

/* The decoding of cw_json_unescape, compared as it goes. */
int cw_json_unescaped_eq(const char *s, size_t n, const char *k,
	size_t klen)
{
	const char *e = s + n, *bs;
	char u[4];
	size_t run;

	while (s < e) {
		bs = memchr(s, '\\', (size_t)(e - s));
		run = (size_t)((bs ? bs : e) - s);
		if (run > klen || memcmp(s, k, run) != 0)
			return 0;
		s += run;
		k += run;
		klen -= run;
		if (s + 1 < e) {
			s++;
			run = unescape1(&s, e, u);
		} else if (s < e) {
			u[0] = *s++;
			run = 1;
		} else {
			break;
		}
		if (run > klen || memcmp(u, k, run) != 0)
			return 0;
		k += run;
		klen -= run;
	}
	return klen == 0;
}

int cw_json_string(struct cw_buf *b, const char *tok, const char *e,
	size_t *len)
{
	const char *end = cw_json_string_end(tok, e);

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
		return cw_json_string_end(v, e);
	}
	end = strchr("{}[],:", *v) && *v ? v + 1 : cw_json_scalar_end(v, e);
	if (!end || cw_buf_add(b, v, (size_t)(end - v)) < 0)
		return NULL;
	return end;
}

int cw_json_normalize(struct cw_buf *b, const char *v, size_t n)
{
	struct cw_buf tmp = CW_BUF_INIT;
	const char *e = v + n;

	for (v = cw_json_ws(v, e); v && v < e; v = v ? cw_json_ws(v, e) : NULL)
		v = token(b, &tmp, v, e);
	cw_buf_release(&tmp);
	return v ? 0 : -1;
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
		else if (c < 0x20 || c == 0x7f)
			rc = cw_buf_addf(b, "\\u%04x", c);
		else if ((n = cw_vis_utf8(s + i, len - i, &cp)) > 0) {
			/* C1 controls escaped: the JSON may be read on a
			 * terminal, and parses the same */
			rc = cp >= 0x80 && cp < 0xa0
				? cw_buf_addf(b, "\\u%04x", (unsigned)cp)
				: cw_buf_add(b, p + i, n);
			i += n;
			continue;
		} else
			rc = cw_buf_adds(b, "\\ufffd");
		i++;
	}
	return rc == 0 ? cw_buf_addc(b, '"') : -1;
}

/* The value cJSON wrote at v[0..n), its strings written again by
 * cw_json_quote(), blanks and everything else kept. */
static int requote(struct cw_buf *b, const char *v, size_t n)
{
	struct cw_buf tmp = CW_BUF_INIT;
	const char *e = v + n, *q, *end = v;
	size_t len;
	int rc = 0;

	while (rc == 0 && (q = memchr(end, '"', (size_t)(e - end)))) {
		cw_buf_reset(&tmp);
		rc = cw_buf_add(b, end, (size_t)(q - end))
			|| !(end = cw_json_string_end(q, e))
			|| cw_json_string_token(&tmp, q, end, &len)
			|| cw_json_quote(b, cw_buf_str(&tmp), len) ? -1 : 0;
	}
	rc = rc || cw_buf_add(b, end, (size_t)(e - end)) ? -1 : 0;
	cw_buf_release(&tmp);
	return rc;
}

int cw_json_print(struct cw_buf *b, const cJSON *v, int pretty)
{
	char *s = pretty ? cJSON_Print(v) : cJSON_PrintUnformatted(v);
	int rc;

	if (!s)
		return -1;
	rc = requote(b, s, strlen(s));
	cJSON_free(s);
	return rc;
}
