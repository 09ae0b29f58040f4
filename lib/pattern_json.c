/*
 * JSON patterns: { $.a.b[0] = "x*" && ($.n >= 5 || $.f IS TRUE) }.
 * Matching walks the raw text along each selector, skipping whatever the
 * selector does not name; no tree is built. A line counts as JSON when,
 * trimmed, it is one well-formed JSON object: the walk alone does not
 * check the parts no selector visits, so a line that would match is
 * checked whole before it does (a line that cannot match costs nothing
 * more).
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pattern_int.h"
#include "banned.h"

/* Selector names: anything but blanks and the pattern's own syntax. */
static int name_char(unsigned char c)
{
	return !isspace(c) && !strchr(".[]()=!<>&|{}\"'%,*", c);
}

/* A key the search can find as written: no escape can spell it. */
static int plain_key(const struct pat_step *st)
{
	size_t k;

	if (st->kind != PAT_KEY || st->keylen == 0)
		return 0;
	for (k = 0; k < st->keylen; k++)
		if (st->key[k] == '"' || st->key[k] == '\\' ||
		    (unsigned char)st->key[k] < 0x20)
			return 0;
	return 1;
}

static int add_step(struct pat_parse *ps, struct pat_leaf *l,
	enum pat_step_kind kind, const char *key, size_t keylen, long index)
{
	struct pat_step *steps, *st;

	steps = realloc(l->steps, (l->nsteps + 1) * sizeof(*steps));
	if (!steps)
		return pat_fail(ps, ps->i, "out of memory");
	l->steps = steps;
	st = &steps[l->nsteps++];
	st->kind = kind;
	st->index = index;
	st->key = NULL;
	st->keylen = keylen;
	if (key) {
		st->key = pat_memdup(key, keylen);
		if (!st->key)
			return pat_fail(ps, ps->i, "out of memory");
		if (keylen)
			pat_needle_init(&st->nd, st->key, keylen);
	}
	st->plain = plain_key(st);
	return 0;
}

/* [*], [n], ['key'] or ["key"]; ps->i is on the '['. */
static int bracket(struct pat_parse *ps, struct pat_leaf *l)
{
	size_t open = ps->i++;
	const char *s = ps->s, *q;
	long index = 0;

	if (ps->i < ps->n && s[ps->i] == '*') {
		ps->i++;
		if (add_step(ps, l, PAT_ANYINDEX, NULL, 0, 0) < 0)
			return -1;
	} else if (ps->i < ps->n && (s[ps->i] == '\'' || s[ps->i] == '"')) {
		q = memchr(s + ps->i + 1, s[ps->i], ps->n - ps->i - 1);
		if (!q)
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"unterminated key");
		if (add_step(ps, l, PAT_KEY, s + ps->i + 1,
		    q - s - ps->i - 1, 0) < 0)
			return -1;
		ps->i = q - s + 1;
	} else if (ps->i < ps->n && isdigit((unsigned char)s[ps->i])) {
		while (ps->i < ps->n && isdigit((unsigned char)s[ps->i])) {
			if (index > 100000000)
				return pat_fail(ps, ps->i, "invalid filter "
					"pattern: array index too large");
			index = index * 10 + (s[ps->i++] - '0');
		}
		if (add_step(ps, l, PAT_INDEX, NULL, 0, index) < 0)
			return -1;
	} else {
		return pat_fail(ps, ps->i, "invalid filter pattern: expected "
			"an index, * or a quoted key after '['");
	}
	if (ps->i >= ps->n || s[ps->i] != ']')
		return pat_fail(ps, open, "invalid filter pattern: "
			"'[' without ']'");
	ps->i++;
	return 0;
}

static int selector(struct pat_parse *ps, struct pat_leaf *l)
{
	size_t from = ps->i, k;
	int wild = 0;

	if (ps->i + 1 >= ps->n || ps->s[ps->i] != '$' ||
	    (ps->s[ps->i + 1] != '.' && ps->s[ps->i + 1] != '['))
		return pat_fail(ps, ps->i, "invalid filter pattern: "
			"a selector starts with '$.'");
	ps->i++;
	while (ps->i < ps->n) {
		size_t at = ps->i;

		if (ps->s[at] == '[') {
			if (bracket(ps, l) < 0)
				return -1;
		} else if (ps->s[at] != '.') {
			break;
		} else if (at + 1 < ps->n && ps->s[at + 1] == '*') {
			ps->i += 2;
			if (add_step(ps, l, PAT_ANYKEY, NULL, 0, 0) < 0)
				return -1;
		} else if (at + 1 < ps->n && ps->s[at + 1] == '[') {
			ps->i++;	/* $.['cluster.name'] */
		} else {
			for (ps->i++; ps->i < ps->n &&
			    name_char((unsigned char)ps->s[ps->i]); ps->i++)
				;
			if (ps->i == at + 1)
				return pat_fail(ps, at, "invalid filter "
					"pattern: empty name in selector");
			if (add_step(ps, l, PAT_KEY, ps->s + at + 1,
			    ps->i - at - 1, 0) < 0)
				return -1;
		}
	}
	if (!l->nsteps)
		return pat_fail(ps, from, "invalid filter pattern: "
			"a selector starts with '$.'");
	for (k = 0; k < (size_t)l->nsteps; k++)
		wild += l->steps[k].kind == PAT_ANYKEY ||
			l->steps[k].kind == PAT_ANYINDEX;
	if (wild > 1)
		return pat_fail(ps, from, "invalid filter pattern: "
			"at most one wildcard in a selector");
	if (wild && ++ps->nwild > PAT_MAX_WILD)
		return pat_fail(ps, from, "invalid filter pattern: "
			"at most %d wildcard selectors in a pattern",
			PAT_MAX_WILD);
	l->name = pat_memdup(ps->s + from, ps->i - from);
	return l->name ? 0 : pat_fail(ps, from, "out of memory");
}

/* A string test whose value, written between quotes in a line without
 * a backslash, is the whole string there. */
static int textual(const struct pat_test *t)
{
	size_t k;

	if (t->type != PAT_VSTR || t->glob ||
	    (t->op != PAT_EQ && t->op != PAT_NE))
		return 0;
	for (k = 0; k < t->len; k++)
		if (t->str[k] == '"' || t->str[k] == '\\' ||
		    (unsigned char)t->str[k] < 0x20)
			return 0;
	return 1;
}

static int json_leaf(struct pat_parse *ps)
{
	struct pat_leaf *l;
	int k;

	pat_skip_ws(ps);
	k = pat_add_leaf(ps);
	if (k < 0)
		return -1;
	if (selector(ps, &ps->p->leaves[k]) < 0)
		return -1;
	if (pat_parse_test(ps, &ps->p->leaves[k].t, 0) < 0)
		return -1;
	l = &ps->p->leaves[k];
	l->textual = textual(&l->t);
	if (l->textual && l->t.op == PAT_EQ && l->t.len >= 2)
		pat_needle_init(&l->vnd, l->t.str, l->t.len);
	return pat_add_node(ps, PAT_LEAF, k, -1);
}

/* ps covers the trimmed pattern, which starts with '{'. */
int pat_json_compile(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;

	if (ps->s[ps->n - 1] != '}' || ps->n < 2)
		return pat_fail(ps, ps->n, "if a filter pattern starts with "
			"'{' it must end with '}'");
	ps->n--;
	ps->i++;
	pat_skip_ws(ps);
	if (ps->i >= ps->n)
		return pat_fail(ps, ps->i, "invalid filter pattern: "
			"empty JSON pattern");
	p->root = pat_parse_or(ps, json_leaf);
	if (p->root < 0)
		return -1;
	pat_skip_ws(ps);
	if (ps->i < ps->n)
		return pat_fail(ps, ps->i, "invalid filter pattern: "
			"unexpected '%c'", ps->s[ps->i]);
	pat_pick_literal(p, p->root);
	return 0;
}

/* --- matching --- */

/* A string's end, or NULL; *esc set when it holds an escape. */
static inline const char *str_scan(const char *s, const char *e, int *esc)
{
	const char *bad;

	*esc = 0;
	return cw_json_string_scan(s, e, esc, &bad);
}

/*
 * The end of the value at s, or NULL. Containers are skipped by their
 * brackets alone: the walk only looks for the values its selectors name,
 * and a line that could match is checked whole (cw_json_valid) anyway.
 */
static const char *skip_value(const char *s, const char *e)
{
	size_t depth = 0;

	if (s >= e)
		return NULL;
	if (*s != '{' && *s != '[')
		return cw_json_scalar_end(s, e);
	for (; s < e; s++) {
		if (*s == '"') {
			s = cw_json_string_end(s, e);
			if (!s)
				return NULL;
			s--;
		} else if (*s == '{' || *s == '[') {
			depth++;
		} else if (*s == '}' || *s == ']') {
			if (--depth == 0)
				return s + 1;
		}
	}
	return NULL;
}

static int key_equal(const struct pat_step *st, const char *s, size_t n,
	int esc)
{
	if (!esc)
		return n == st->keylen && memcmp(s, st->key, n) == 0;
	return cw_json_unescaped_eq(s, n, st->key, st->keylen);
}

/* The string body, unescaped into the pattern's scratch when needed. */
static const char *string_value(const struct cw_pattern *p, const char *s,
	size_t n, int esc, size_t *len)
{
	struct pat_scratch *sc = p->scratch;
	char *q;

	*len = n;
	if (!esc)
		return s;
	if (sc->cap < n) {
		q = n <= PAT_MAX_SCRATCH ? realloc(sc->p, n) : NULL;
		if (!q) {
			sc->failed = 1;
			return NULL;
		}
		sc->p = q;
		sc->cap = n;
	}
	*len = cw_json_unescape(s, n, sc->p);
	return sc->p;
}

/*
 * The number at s when it is a plain integer of up to 15 digits without
 * a leading zero and nothing of a number follows (what pat_number reads
 * exactly): 1 with *x set; else 0, and the full reading decides.
 */
static int small_int(const char *s, const char *e, double *x)
{
	const char *from = s, *to = e - s > 15 ? s + 15 : e;
	int64_t n = 0;

	if (s >= e || *s < '1' || *s > '9')
		return 0;
	for (; s < to && *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (*s - '0');
	if (s < e && ((*s >= '0' && *s <= '9') || *s == '.' || *s == 'e' ||
	    *s == 'E'))
		return 0;
	*x = (double)n;
	return s > from;
}

static int test_value(const struct cw_pattern *p, const struct pat_test *t,
	const char *v, const char *e)
{
	const char *end, *str;
	size_t len;
	double x;
	int esc;

	switch (*v) {
	case '"':
		if (t->type == PAT_VNUM)
			return 0;
		end = str_scan(v, e, &esc);
		if (!end)
			return 0;
		str = string_value(p, v + 1, end - v - 2, esc, &len);
		return str ? pat_test_string(t, str, len) : -1;
	case 't':
	case 'f':
		if (t->op == PAT_ISTRUE || t->op == PAT_ISFALSE)
			return (t->op == PAT_ISTRUE) == (*v == 't');
		if (t->type == PAT_VNUM)
			return 0;
		end = skip_value(v, e);
		return end ? pat_test_string(t, v, end - v) : 0;
	case 'n':
		return t->op == PAT_ISNULL;
	case '{':
	case '[':
		return 0;
	default:
		if (t->type == PAT_VNUM && small_int(v, e, &x))
			return pat_test_value(t, x);
		end = skip_value(v, e);
		if (!end)
			return 0;
		if (t->type == PAT_VNUM)
			return pat_test_number(t, v, end - v);
		return pat_test_string(t, v, end - v);
	}
}

struct walk {
	const struct cw_pattern *p;
	const struct pat_leaf *l;
	const char *e;
	int found;		/* some value was reached */
	int undecided;		/* a regex failed to decide some value */
	int first;		/* stop at the first value (extraction) */
	const char *val;	/* the first value reached */
};

static int walk(struct walk *w, int k, const char *v);

/* One value of a wildcard: an undecided one leaves the others to try. */
static int any(struct walk *w, int k, const char *v)
{
	int r = walk(w, k, v);

	w->undecided |= r < 0;
	return r > 0;
}

static int walk_object(struct walk *w, int k, const char *s)
{
	const struct pat_step *st = &w->l->steps[k];
	const char *e = w->e, *kend;
	int want, esc;

	s = cw_json_ws(s + 1, e);
	if (s < e && *s == '}')
		return 0;
	while (s < e && *s == '"') {
		kend = str_scan(s, e, &esc);
		if (!kend)
			return 0;
		want = st->kind == PAT_ANYKEY ||
			key_equal(st, s + 1, kend - s - 2, esc);
		s = cw_json_ws(kend, e);
		if (s >= e || *s != ':')
			return 0;
		s = cw_json_ws(s + 1, e);
		/* The first of duplicate keys wins. */
		if (want && st->kind == PAT_KEY)
			return walk(w, k + 1, s);
		if (want && any(w, k + 1, s))
			return 1;
		s = skip_value(s, e);
		if (!s)
			return 0;
		s = cw_json_ws(s, e);
		if (s >= e || *s != ',')
			return 0;
		s = cw_json_ws(s + 1, e);
	}
	return 0;
}

static int walk_array(struct walk *w, int k, const char *s)
{
	const struct pat_step *st = &w->l->steps[k];
	const char *e = w->e;
	long i;

	s = cw_json_ws(s + 1, e);
	if (s < e && *s == ']')
		return 0;
	for (i = 0; s && s < e; i++) {
		if (st->kind == PAT_ANYINDEX && any(w, k + 1, s))
			return 1;
		if (st->kind == PAT_INDEX && i == st->index)
			return walk(w, k + 1, s);
		s = skip_value(s, e);
		if (!s)
			return 0;
		s = cw_json_ws(s, e);
		if (s >= e || *s != ',')
			return 0;
		s = cw_json_ws(s + 1, e);
	}
	return 0;
}

/* 1 when some value the selector reaches from v (step k on) passes. */
static int walk(struct walk *w, int k, const char *v)
{
	const struct pat_step *st;

	if (!v || v >= w->e)
		return 0;
	if (k == w->l->nsteps) {
		w->found = 1;
		if (!w->val)
			w->val = v;
		if (w->first)
			return 1;
		return test_value(w->p, &w->l->t, v, w->e);
	}
	st = &w->l->steps[k];
	if (*v == '{' && (st->kind == PAT_KEY || st->kind == PAT_ANYKEY))
		return walk_object(w, k, v);
	if (*v == '[' && (st->kind == PAT_INDEX || st->kind == PAT_ANYINDEX))
		return walk_array(w, k, v);
	return 0;
}

/* Where a scan of the text stands: inside a string or not, and how many
 * brackets are open; end bounds what may be read ahead. */
struct depth {
	const char *at, *end;
	int instr;
	long open;
};

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

/* Where 64 bytes hold quotes, opening and closing brackets: one bit a
 * byte. '[' and '{' differ only in 0x20, and so do ']' and '}'. */
struct marks {
	uint64_t q, o, c;
};

__attribute__((target("avx2")))
static inline void marks64(const char *s, struct marks *m)
{
	const __m256i q = _mm256_set1_epi8('"'), o = _mm256_set1_epi8('{'),
		c = _mm256_set1_epi8('}'), low = _mm256_set1_epi8(0x20);
	__m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)s);
	__m256i x1 = _mm256_loadu_si256((const __m256i *)(const void *)
		(s + 32));
	__m256i y0 = _mm256_or_si256(x0, low), y1 = _mm256_or_si256(x1, low);

	m->q = (uint64_t)(unsigned)_mm256_movemask_epi8(
		_mm256_cmpeq_epi8(x1, q)) << 32 |
		(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x0, q));
	m->o = (uint64_t)(unsigned)_mm256_movemask_epi8(
		_mm256_cmpeq_epi8(y1, o)) << 32 |
		(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(y0, o));
	m->c = (uint64_t)(unsigned)_mm256_movemask_epi8(
		_mm256_cmpeq_epi8(y1, c)) << 32 |
		(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(y0, c));
}

/*
 * The same as depth_to below, 64 bytes a turn. The last turn may stop
 * short of 64 bytes: it reads the whole block (up to d->end) and counts
 * only the bytes before `to`, so that a key a few bytes into a block
 * costs no byte-by-byte tail.
 */
__attribute__((target("avx2,popcnt,pclmul")))
static const char *depth_avx2(struct depth *d, const char *s, const char *to)
{
	struct marks m;

	while (s < to && d->end - s >= 64) {
		size_t n = to - s < 64 ? (size_t)(to - s) : 64;
		uint64_t keep = n == 64 ? ~(uint64_t)0 :
			((uint64_t)1 << n) - 1;
		uint64_t in;

		marks64(s, &m);
		in = m.q;

		/* bit i: an odd number of quotes at or before byte i, the
		 * product without carries of the quotes and all ones */
		in = (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(
			_mm_cvtsi64_si128((long long)in),
			_mm_set1_epi8((char)0xff), 0));
		if (d->instr)
			in = ~in;
		d->instr = in >> (n - 1) & 1;
		d->open += __builtin_popcountll(m.o & ~in & keep) -
			__builtin_popcountll(m.c & ~in & keep);
		s += n;
	}
	return s;
}
#define PAT_AVX2 1
#endif

/* Moves d to `to`. Without a backslash in the text a quote always opens
 * or closes a string, so the parity of the quotes tells strings apart,
 * sixteen bytes at a time. */
static void depth_to(struct depth *d, const char *to)
{
	const char *s = d->at;

#ifdef PAT_AVX2
	static int has_avx2 = -1;

	if (has_avx2 < 0)
		has_avx2 = __builtin_cpu_supports("avx2") &&
			__builtin_cpu_supports("popcnt") &&
			__builtin_cpu_supports("pclmul");
	if (has_avx2)
		s = depth_avx2(d, s, to);
#endif
#ifdef __SSE2__
	const __m128i q = _mm_set1_epi8('"'), o1 = _mm_set1_epi8('{'),
		o2 = _mm_set1_epi8('['), c1 = _mm_set1_epi8('}'),
		c2 = _mm_set1_epi8(']');

	while (to - s >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		unsigned qs = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, q));
		unsigned os = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, o1), _mm_cmpeq_epi8(x, o2)));
		unsigned cs = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, c1), _mm_cmpeq_epi8(x, c2)));
		unsigned in = qs;

		/* bit i: an odd number of quotes at or before byte i */
		in ^= in << 1;
		in ^= in << 2;
		in ^= in << 4;
		in ^= in << 8;
		if (d->instr)
			in = ~in;
		in &= 0xffff;
		d->instr = in >> 15;
		/* brackets are few: one step each */
		for (os &= ~in; os; os &= os - 1)
			d->open++;
		for (cs &= ~in; cs; cs &= cs - 1)
			d->open--;
		s += 16;
	}
#endif
	for (; s < to; s++) {
		if (*s == '"')
			d->instr = !d->instr;
		else if (!d->instr && (*s == '{' || *s == '['))
			d->open++;
		else if (!d->instr && (*s == '}' || *s == ']'))
			d->open--;
	}
	d->at = to;
}

/*
 * The next place in k..to where st->key is written as a member name:
 * between quotes, then blanks and ':'; *v is set to the value after it,
 * read up to e (k[-1] must be readable). Only for text without a
 * backslash, where every member so named is found; a place inside a
 * string may be found too (`{"a":":1"}` holds `":"` then ':'), and only
 * the depth tells.
 */
static const char *next_name(const struct pat_step *st, const char *k,
	const char *to, const char *e, const char **v)
{
	size_t n = st->keylen;
	int which;

	while (k < to && (k = pat_search(&st->nd, 1, k, to - k, &which))) {
		if (k[-1] == '"' && e - k > (ptrdiff_t)n && k[n] == '"') {
			*v = cw_json_ws(k + n + 1, e);
			if (*v < e && **v == ':') {
				*v = cw_json_ws(*v + 1, e);
				return k;
			}
		}
		k++;
	}
	return NULL;
}

/* Whether the name at k is one bracket deep and outside strings. */
static int at_top(struct depth *d, const char *k)
{
	depth_to(d, k - 1);
	return !d->instr && d->open == 1;
}

/*
 * The value of the first member named st->key at the top of the object
 * s..e (s on its '{'), or NULL: the key is searched for as text, and a
 * place it is found counts when it is at the top. Only for text without
 * a backslash, where that is what the walk finds; on text that is not
 * JSON the answers may differ, and the line is refused whole anyway.
 */
static const char *top_member(const struct pat_step *st, const char *s,
	const char *e)
{
	struct depth d = { s + 1, e, 0, 1 };
	const char *k = s + 1, *v;

	for (; (k = next_name(st, k, e, e, &v)) != NULL; k++)
		if (at_top(&d, k))
			return v;
	return NULL;
}

/*
 * test_value on a line without a backslash: the string of a textual test
 * written there is that string, and a string that differs from it as
 * text differs from it (what = decides at once; != still checks that the
 * string is one).
 */
static int test_plain(const struct cw_pattern *p, const struct pat_leaf *l,
	const char *v, const char *e)
{
	const struct pat_test *t = &l->t;
	size_t n = t->len;
	int same;

	if (!l->textual || *v != '"')
		return test_value(p, t, v, e);
	same = e - v > (ptrdiff_t)n + 1 && v[n + 1] == '"' &&
		memcmp(v + 1, t->str, n) == 0;
	if (t->op == PAT_EQ)
		return same;
	return same ? 0 : test_value(p, t, v, e);
}

#define PAT_DEFER 8

/*
 * The test of a top-level member $.key, as the walk answers it: the first
 * member of that name at the top decides. The depth scan costs more than
 * a test, and most places fail the test, so each place is tested first:
 * a failing one needs its depth only when a later one passes (it may be
 * the first at the top, which then decides), and a line where every
 * place fails is false with no depth scan at all.
 */
static int top_test(const struct cw_pattern *p, const struct pat_leaf *l,
	const char *s, const char *e, const char *orig)
{
	struct depth d = { s + 1, e, 0, 1 };
	const char *k = s + 1, *v, *failed[PAT_DEFER];
	int nfailed = 0, r, i;

	for (; (k = next_name(&l->steps[0], k, e, e, &v)) != NULL; k++) {
		r = v < e ? test_plain(p, l, orig + (v - s),
			orig + (e - s)) : 0;
		if (r == 0 && nfailed < PAT_DEFER && k - d.at > e - k) {
			failed[nfailed++] = k;
			continue;
		}
		for (i = 0; i < nfailed; i++)
			if (at_top(&d, failed[i]))
				return 0;
		nfailed = 0;
		if (at_top(&d, k))
			return r;
	}
	return 0;
}

/* Whether a line that matches must hold a place where the leaf's last
 * key is written with a value that passes (read as text). */
static int leaf_textual(const struct pat_leaf *l)
{
	return l->t.op != PAT_NOTEXISTS && l->steps[l->nsteps - 1].plain;
}

static int can_skip(const struct cw_pattern *p, int n)
{
	const struct pat_node *node = &p->nodes[n];

	switch (node->kind) {
	case PAT_AND:
		return can_skip(p, node->a) || can_skip(p, node->b);
	case PAT_OR:
		return can_skip(p, node->a) && can_skip(p, node->b);
	default:
		return leaf_textual(&p->leaves[node->a]);
	}
}

/* The first place in k..to where the string a textual = wants stands
 * between quotes, the value of a line that matches (to when none). */
static const char *value_skip(const struct pat_leaf *l, const char *k,
	const char *to, const char *e)
{
	size_t n = l->vnd.len;
	int which;

	for (; k < to && (k = pat_search(&l->vnd, 1, k, to - k, &which)); k++)
		if (k[-1] == '"' && e - k > (ptrdiff_t)n && k[n] == '"')
			return k;
	return to;
}

/* The first place in s..to the lines that may match hold (to when none
 * does); the text s..to holds no backslash, and values are read up to
 * e. Node n can skip. */
static const char *skip(const struct cw_pattern *p, int n, const char *s,
	const char *to, const char *e)
{
	const struct pat_node *node = &p->nodes[n];
	const struct pat_leaf *l;
	const char *a, *b, *k, *v;

	switch (node->kind) {
	case PAT_AND:
		if (!can_skip(p, node->b))
			return skip(p, node->a, s, to, e);
		if (!can_skip(p, node->a))
			return skip(p, node->b, s, to, e);
		/* a matching line holds both: none before the later first */
		a = skip(p, node->a, s, to, e);
		b = a < to ? skip(p, node->b, s, to, e) : to;
		return a > b ? a : b;
	case PAT_OR:
		a = skip(p, node->a, s, to, e);
		return skip(p, node->b, s, a, e);
	default:
		/* A member name or a string of a line starts past its first
		 * byte. */
		l = &p->leaves[node->a];
		if (l->vnd.s)
			return value_skip(l, s + 1, to, e);
		for (k = s + 1; (k = next_name(&l->steps[l->nsteps - 1], k,
		    to, e, &v)) != NULL; k++)
			if (v < e && test_plain(p, l, v, e) != 0)
				return k;
		return to;
	}
}

/*
 * The first place in s..e that a line that may match holds, for a search
 * line by line to start there: a line without a backslash can match only
 * where each textual leaf it needs finds a passing value somewhere in it
 * (at the top or not). bs is the first backslash at or after s, or NULL;
 * its line is always looked at. e when no line from s on can match.
 */
const char *pat_json_skip(const struct cw_pattern *p, const char *s,
	const char *bs, const char *e)
{
	const char *to = bs ? bs : e;

	if (p->root < 0 || !can_skip(p, p->root) || to - s < 2)
		return s;
	return skip(p, p->root, s, to, e);
}

/* s..e is the text searched, with no backslash when plain; orig is
 * where the same line starts as written, where values are read. */
static int leaf_match(const struct cw_pattern *p, const struct pat_leaf *l,
	const char *s, const char *e, int plain, const char *orig)
{
	struct walk w = { p, l, orig + (e - s), 0, 0, 0, NULL };
	const char *v;
	int r;

	if (plain && l->steps[0].plain && l->nsteps == 1 &&
	    l->t.op != PAT_NOTEXISTS)
		return top_test(p, l, s, e, orig);
	if (plain && l->steps[0].plain) {
		v = top_member(&l->steps[0], s, e);
		r = walk(&w, 1, v ? orig + (v - s) : NULL);
	} else {
		r = walk(&w, 0, orig);
	}
	if (l->t.op == PAT_NOTEXISTS)
		return !w.found;
	if (r > 0)
		return 1;
	return r < 0 || w.undecided ? -1 : 0;
}

static int eval(const struct cw_pattern *p, int n, const char *s,
	const char *e, int plain, const char *orig)
{
	const struct pat_node *node = &p->nodes[n];

	int a, b;

	/* Three-valued: an undecided regex (-1) decides nothing that the
	 * other side settles. */
	switch (node->kind) {
	case PAT_AND:
		if (!(a = eval(p, node->a, s, e, plain, orig)) ||
		    !(b = eval(p, node->b, s, e, plain, orig)))
			return 0;
		return a < 0 || b < 0 ? -1 : 1;
	case PAT_OR:
		if ((a = eval(p, node->a, s, e, plain, orig)) > 0 ||
		    (b = eval(p, node->b, s, e, plain, orig)) > 0)
			return 1;
		return a < 0 || b < 0 ? -1 : 0;
	default:
		return leaf_match(p, &p->leaves[node->a], s, e, plain, orig);
	}
}

/*
 * The line with both bytes of each escape made 0x01: the same strings,
 * members and depths at the same places, and no backslash, so that keys
 * are found as in a plain line (the values are read in the line). NULL
 * when an escape could spell a key or a textual value (\u, \/: any
 * other spells a quote, backslash or control byte, which neither
 * holds), or there is no room.
 */
static const char *plain_copy(const struct cw_pattern *p, const char *s,
	const char *e)
{
	struct pat_scratch *sc = p->scratch;
	size_t n = (size_t)(e - s);
	char *c, *b, *end;

	if (n > PAT_MAX_SCRATCH)
		return NULL;
	if (sc->plaincap < n) {
		c = realloc(sc->plain, n);
		if (!c)
			return NULL;
		sc->plain = c;
		sc->plaincap = n;
	}
	memcpy(sc->plain, s, n);
	end = sc->plain + n;
	for (b = sc->plain; (b = memchr(b, '\\', (size_t)(end - b))); b += 2) {
		if (end - b < 2 || b[1] == 'u' || b[1] == '/')
			return NULL;
		b[0] = b[1] = 1;
	}
	return sc->plain;
}

/* Trims the message; NULL unless it looks like a JSON object. */
static const char *object(const char *s, size_t n, const char **e)
{
	const char *end = s + n;

	s = cw_json_ws(s, end);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if (end - s < 2 || *s != '{' || end[-1] != '}')
		return NULL;
	*e = end;
	return s;
}

int pat_json_match_plain(const struct cw_pattern *p, const char *s,
	size_t n, int plain)
{
	const char *e, *c;
	int r;

	s = object(s, n, &e);
	if (!s)
		return 0;
	if (plain == -1)
		plain = !memchr(s, '\\', (size_t)(e - s));
	c = plain == 0 ? plain_copy(p, s, e) : NULL;
	if (c)
		r = eval(p, p->root, c, c + (e - s), 1, s);
	else
		r = eval(p, p->root, s, e, plain == 1, s);
	return r && cw_json_valid(s, (size_t)(e - s)) ? r : 0;
}

int pat_json_match(const struct cw_pattern *p, const char *s, size_t n)
{
	return pat_json_match_plain(p, s, n, -1);
}

int pat_json_extract(const struct cw_pattern *p, const char *s, size_t n,
	cw_pattern_field_fn *fn, void *arg)
{
	struct cw_buf v = CW_BUF_INIT;
	const char *e, *end;
	int k, j, r = pat_json_match(p, s, n);

	if (r <= 0)
		return r;
	s = object(s, n, &e);
	for (k = 0, r = 1; k < p->nleaves && r == 1; k++) {
		struct walk w = { p, &p->leaves[k], e, 0, 0, 1, NULL };

		for (j = 0; j < k; j++)
			if (strcmp(p->leaves[j].name, p->leaves[k].name) == 0)
				break;
		if (j < k || !walk(&w, 0, s))
			continue;
		end = skip_value(w.val, e);
		if (!end)
			continue;
		/* The raw text may hold what a strict reader refuses (a lone
		 * surrogate, invalid UTF-8): the value is written anew. */
		cw_buf_reset(&v);
		if (cw_json_normalize(&v, w.val, (size_t)(end - w.val)) < 0)
			r = -1;
		else if ((r = fn(arg, p->leaves[k].name, cw_buf_str(&v), v.len,
		    1)) == 0)
			r = 1;
	}
	cw_buf_release(&v);
	return r;
}
