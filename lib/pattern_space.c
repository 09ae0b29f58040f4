/*
 * Space-delimited patterns: [ip, user, ..., status = 5* || status = 4*,
 * bytes > 1000]. The event is cut into fields at blanks; "..." and [...]
 * are single fields whose values leave out the quotes or brackets.
 * Entries before "..." take fields from the left, entries after it from
 * the right; without "...", the last entry takes the rest of the line.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"
#include "banned.h"

static int name_char(unsigned char c)
{
	return !isspace(c) && !strchr(",=!<>&|()[]\"%", c);
}

static size_t name_end(struct pat_parse *ps, size_t i)
{
	while (i < ps->n && name_char((unsigned char)ps->s[i]))
		i++;
	return i;
}

static int space_leaf(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	struct pat_field *f = &p->fields[p->nfields - 1];
	struct pat_leaf *l;
	size_t from, to;
	int k;

	pat_skip_ws(ps);
	from = ps->i;
	to = name_end(ps, from);
	if (to == from)
		return pat_fail(ps, from, "invalid filter pattern: "
			"expected a field name");
	if (!f->name) {
		f->name = pat_memdup(ps->s + from, to - from);
		if (!f->name)
			return pat_fail(ps, from, "out of memory");
	} else if (strlen(f->name) != to - from ||
	    memcmp(f->name, ps->s + from, to - from) != 0) {
		return pat_fail(ps, from, "invalid filter pattern: a condition "
			"in the entry of '%s' names another field", f->name);
	}
	ps->i = to;
	k = pat_add_leaf(ps);
	if (k < 0)
		return -1;
	l = &p->leaves[k];
	l->field = p->nfields - 1;
	l->name = pat_memdup(ps->s + from, to - from);
	if (!l->name)
		return pat_fail(ps, from, "out of memory");
	if (pat_parse_test(ps, &l->t, 1) < 0)
		return -1;
	return pat_add_node(ps, PAT_LEAF, k, -1);
}

static int add_field(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	struct pat_field *fields;

	fields = realloc(p->fields, (p->nfields + 1) * sizeof(*fields));
	if (!fields)
		return pat_fail(ps, ps->i, "out of memory");
	p->fields = fields;
	memset(&fields[p->nfields], 0, sizeof(*fields));
	fields[p->nfields].root = -1;
	p->nfields++;
	return 0;
}

static int entry(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	struct pat_field *f;
	size_t from = ps->i, to;

	if (add_field(ps) < 0)
		return -1;
	f = &p->fields[p->nfields - 1];
	if (ps->n - ps->i >= 3 && memcmp(ps->s + ps->i, "...", 3) == 0) {
		if (p->ellipsis >= 0)
			return pat_fail(ps, from, "invalid filter pattern: "
				"more than one '...'");
		p->ellipsis = p->nfields - 1;
		f->ellipsis = 1;
		ps->i += 3;
		return 0;
	}
	if (ps->i >= ps->n || ps->s[ps->i] == ',')
		return 0;
	to = name_end(ps, from);
	ps->i = to;
	pat_skip_ws(ps);
	if (to > from && (ps->i >= ps->n || ps->s[ps->i] == ',')) {
		f->name = pat_memdup(ps->s + from, to - from);
		return f->name ? 0 : pat_fail(ps, from, "out of memory");
	}
	ps->i = from;
	f->root = pat_parse_or(ps, space_leaf);
	return f->root < 0 ? -1 : 0;
}

/* The longest text a required (= string) test wants its value to start
 * with, through the "and"s of a field's conditions. */
static void prefix(struct cw_pattern *p, int n, const char **best,
	size_t *bestlen)
{
	const struct pat_node *node = &p->nodes[n];
	const struct pat_test *t;
	const char *star;
	size_t len;

	if (node->kind == PAT_AND) {
		prefix(p, node->a, best, bestlen);
		prefix(p, node->b, best, bestlen);
		return;
	}
	if (node->kind != PAT_LEAF)
		return;
	t = &p->leaves[node->a].t;
	if (t->op != PAT_EQ || t->type != PAT_VSTR)
		return;
	star = memchr(t->str, '*', t->len);
	len = star ? (size_t)(star - t->str) : t->len;
	if (len > *bestlen && !memchr(t->str, '\n', len) &&
	    !memchr(t->str, '\r', len)) {
		*best = t->str;
		*bestlen = len;
	}
}

/*
 * A field's value starts the line or follows a blank, the '"' or '['
 * that opens it, or the '"' or ']' that closes the field before it, so
 * a line can match only where such a place starts
 * with the prefix a required test wants: the buffer search looks for
 * that (a "5" after a blank for status = 5*), which is rarer than the
 * text alone.
 */
static void pick_prefix(struct cw_pattern *p)
{
	const char *best = NULL;
	size_t bestlen = 0, was;
	int k, bestk = -1;

	for (k = 0; k < p->nfields; k++)
		if (p->fields[k].root >= 0) {
			was = bestlen;
			prefix(p, p->fields[k].root, &best, &bestlen);
			bestk = bestlen > was ? k : bestk;
		}
	if (bestlen == 0 || bestlen < p->litlen)
		return;
	p->fieldlit = best;
	p->fieldlitlen = bestlen;
	/* The last entry without "..." may take the rest of the line, quotes
	 * and all; entries after "..." count from the right. */
	if (bestk < (p->ellipsis >= 0 ? p->ellipsis : p->nfields - 1))
		p->litentry = bestk;
}

int pat_space_compile(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	int right;

	if (ps->s[ps->n - 1] != ']' || ps->n < 2)
		return pat_fail(ps, ps->n, "invalid filter pattern: "
			"'[' without ']'");
	ps->n--;
	ps->i++;
	pat_skip_ws(ps);
	if (ps->i >= ps->n)
		return pat_fail(ps, ps->i, "invalid filter pattern: "
			"no fields between '[' and ']'");
	p->ellipsis = -1;
	p->litentry = -1;
	for (;;) {
		pat_skip_ws(ps);
		if (entry(ps) < 0)
			return -1;
		pat_skip_ws(ps);
		if (ps->i >= ps->n)
			break;
		if (ps->s[ps->i] != ',')
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"unexpected '%c'", ps->s[ps->i]);
		ps->i++;
	}
	right = p->ellipsis >= 0 ? p->nfields - p->ellipsis - 1 : 0;
	p->ring = calloc(right + 1, sizeof(*p->ring));
	if (!p->ring)
		return pat_fail(ps, 0, "out of memory");
	pat_pick_literal(p, -1);
	pick_prefix(p);
	return 0;
}

/* --- matching --- */

static const unsigned char blanks[256] = {
	[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1
};

static int blank(char c)
{
	return blanks[(unsigned char)c];
}

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The first blank at or after s, or e: sixteen bytes at a time while
 * that many are left. */
static const char *blank_end(const char *s, const char *e)
{
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t'),
		four = _mm_set1_epi8(4);

	while (e - s >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
		__m128i d = _mm_sub_epi8(x, tab);
		/* ' ', or '\t' to '\r': the blanks */
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, sp),
			_mm_cmpeq_epi8(_mm_min_epu8(d, four), d)));

		if (m)
			return s + __builtin_ctz(m);
		s += 16;
	}
#endif
	while (s < e && !blank(*s))
		s++;
	return s;
}

/* The first c at or after s, or NULL: as blank_end, without a call,
 * since the quoted fields it looks through are short. */
static const char *byte_at(const char *s, const char *e, char c)
{
#ifdef __SSE2__
	const __m128i cc = _mm_set1_epi8(c);

	while (e - s >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)s),
			cc));

		if (m)
			return s + __builtin_ctz(m);
		s += 16;
	}
#endif
	while (s < e && *s != c)
		s++;
	return s < e ? s : NULL;
}

/* The next field at or after s; NULL at the end of the line. A "..." or
 * [...] field that never closes runs to the end of the line. */
static inline const char *next_field(const char *s, const char *e,
	struct pat_span *f)
{
	const char *q;
	char close;

	while (s < e && blank(*s))
		s++;
	if (s >= e)
		return NULL;
	if (*s == '"' || *s == '[') {
		close = *s == '"' ? '"' : ']';
		q = byte_at(s + 1, e, close);
		f->s = s + 1;
		f->n = (q ? q : e) - s - 1;
		return q ? q + 1 : e;
	}
	q = blank_end(s, e);
	f->s = s;
	f->n = q - s;
	return q;
}

static int eval(const struct cw_pattern *p, int n, const char *v, size_t len)
{
	const struct pat_node *node = &p->nodes[n];
	const struct pat_test *t;

	int a, b;

	/* Three-valued: an undecided regex (-1) decides nothing that the
	 * other side settles. */
	switch (node->kind) {
	case PAT_AND:
		if (!(a = eval(p, node->a, v, len)) ||
		    !(b = eval(p, node->b, v, len)))
			return 0;
		return a < 0 || b < 0 ? -1 : 1;
	case PAT_OR:
		if ((a = eval(p, node->a, v, len)) > 0 ||
		    (b = eval(p, node->b, v, len)) > 0)
			return 1;
		return a < 0 || b < 0 ? -1 : 0;
	default:
		t = &p->leaves[node->a].t;
		if (t->type == PAT_VNUM)
			return pat_test_number(t, v, len);
		return pat_test_string(t, v, len);
	}
}

/* Visits one entry's value: 0 stops the layout. */
typedef int visit_fn(void *arg, int entry, const struct pat_span *f);

struct layout {
	const struct cw_pattern *p;
	visit_fn *fn;
	void *arg;
	int middle;		/* also visit the fields "..." covers */
};

/* The last entry of a pattern without "...": the rest of the line, or
 * its single field when only one is left. */
static int rest(struct layout *lo, const char *s, const char *e, long pos)
{
	struct pat_span f;
	const char *after;

	after = next_field(s, e, &f);
	if (!after)
		return 0;
	while (after < e && blank(*after))
		after++;
	if (after < e) {
		while (s < e && blank(*s))
			s++;
		while (e > s && blank(e[-1]))
			e--;
		f.s = s;
		f.n = e - s;
	}
	f.pos = pos;
	return lo->fn(lo->arg, lo->p->nfields - 1, &f);
}

static int layout(struct layout *lo, const char *s, size_t n)
{
	const struct cw_pattern *p = lo->p;
	const char *e = s + n;
	struct pat_span f, *ring = p->ring;
	int left = p->ellipsis >= 0 ? p->ellipsis : p->nfields - 1;
	int right = p->ellipsis >= 0 ? p->nfields - p->ellipsis - 1 : 0;
	long pos = 0, k;

	for (k = 0; k < left; k++) {
		s = next_field(s, e, &f);
		if (!s)
			return 0;
		f.pos = ++pos;
		if (!lo->fn(lo->arg, (int)k, &f))
			return 0;
	}
	if (p->ellipsis < 0)
		return rest(lo, s, e, pos + 1);
	if (right == 0 && !lo->middle)
		return 1;
	/* The last "right" fields, in a ring; what falls out is "...". */
	while ((s = next_field(s, e, &f))) {
		f.pos = ++pos;
		if (right && pos - left > right && lo->middle &&
		    !lo->fn(lo->arg, p->ellipsis, &ring[(pos - left) % right]))
			return 0;
		if (right)
			ring[(pos - left) % right] = f;
		else if (lo->middle && !lo->fn(lo->arg, p->ellipsis, &f))
			return 0;
	}
	if (pos - left < right)
		return 0;
	for (k = 0; k < right; k++)
		if (!lo->fn(lo->arg, p->ellipsis + 1 + (int)k,
		    &ring[(pos - right + 1 + k - left) % right]))
			return 0;
	return 1;
}

struct check {
	const struct cw_pattern *p;
	int undecided;		/* some field's regex failed to decide */
};

static int check(void *arg, int entry, const struct pat_span *f)
{
	struct check *c = arg;
	int root = c->p->fields[entry].root, r;

	if (root < 0)
		return 1;
	r = eval(c->p, root, f->s, f->n);
	c->undecided |= r < 0;
	return r != 0;
}

/* Whether the entry a required prefix is of can start with it: most
 * lines the buffer search brings fail here, at the cost of cutting the
 * fields up to that one alone. */
static int may_match(const struct cw_pattern *p, const char *s, size_t n)
{
	const char *e = s + n;
	struct pat_span f;
	int k;

	for (k = 0; k <= p->litentry; k++)
		if (!(s = next_field(s, e, &f)))
			return 0;
	return f.n >= p->fieldlitlen &&
		memcmp(f.s, p->fieldlit, p->fieldlitlen) == 0;
}

int pat_space_match(const struct cw_pattern *p, const char *s, size_t n)
{
	struct check c = { p, 0 };
	struct layout lo = { p, check, &c, 0 };
	int r;

	if (p->litentry >= 0 && !may_match(p, s, n))
		return 0;
	r = layout(&lo, s, n);

	return r && c.undecided ? -1 : r;
}

struct extract {
	const struct cw_pattern *p;
	cw_pattern_field_fn *fn;
	void *arg;
	int r;
};

static int emit(void *arg, int entry, const struct pat_span *f)
{
	struct extract *x = arg;
	const struct pat_field *fld = &x->p->fields[entry];
	char name[1100];

	if (fld->name && !fld->ellipsis)
		snprintf(name, sizeof(name), "$%s", fld->name);
	else
		snprintf(name, sizeof(name), "$%ld", f->pos);
	x->r = x->fn(x->arg, name, f->s, f->n, 0);
	return x->r == 0;
}

int pat_space_extract(const struct cw_pattern *p, const char *s, size_t n,
	cw_pattern_field_fn *fn, void *arg)
{
	struct extract x = { p, fn, arg, 0 };
	struct layout lo = { p, emit, &x, 1 };
	int r = pat_space_match(p, s, n);

	if (r <= 0)
		return r;
	layout(&lo, s, n);
	return x.r ? x.r : 1;
}
