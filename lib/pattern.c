/*
 * Filter patterns: choosing the kind, term patterns, and the buffer
 * search that every kind shares. The rules and the choices made where
 * AWS leaves a question open are in man/cw-patterns.7.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"
#include "banned.h"

static size_t utf8_chars(const char *s, size_t n)
{
	size_t k, chars = 0;

	for (k = 0; k < n; k++)
		chars += ((unsigned char)s[k] & 0xc0) != 0x80;
	return chars;
}

static int add_term(struct pat_parse *ps, enum pat_term_kind kind,
	const char *s, size_t len)
{
	struct cw_pattern *p = ps->p;
	struct pat_term *terms;

	terms = realloc(p->terms, (p->nterms + 1) * sizeof(*terms));
	if (!terms)
		return pat_fail(ps, ps->i, "out of memory");
	p->terms = terms;
	terms[p->nterms].kind = kind;
	terms[p->nterms].len = len;
	terms[p->nterms].s = malloc(len + 1);
	if (!terms[p->nterms].s)
		return pat_fail(ps, ps->i, "out of memory");
	memcpy(terms[p->nterms].s, s, len);
	terms[p->nterms].s[len] = '\0';
	p->nterms++;
	return 0;
}

/* "..." with \" and \\ as escapes. A phrase of blanks only stands for
 * "anything": it is kept as the empty term, which every message holds. */
static int phrase(struct pat_parse *ps, enum pat_term_kind kind)
{
	size_t open = ps->i, k = 0, j;
	char *buf;
	int r;

	buf = malloc(ps->n - ps->i + 1);
	if (!buf)
		return pat_fail(ps, open, "out of memory");
	for (ps->i++; ps->i < ps->n && ps->s[ps->i] != '"'; ps->i++) {
		if (ps->s[ps->i] == '\\' && ps->i + 1 < ps->n &&
		    (ps->s[ps->i + 1] == '"' || ps->s[ps->i + 1] == '\\'))
			ps->i++;
		buf[k++] = ps->s[ps->i];
	}
	if (ps->i >= ps->n) {
		free(buf);
		return pat_fail(ps, open, "invalid filter pattern: "
			"unterminated quoted phrase");
	}
	ps->i++;
	if (ps->i < ps->n && !isspace((unsigned char)ps->s[ps->i])) {
		free(buf);
		return pat_fail(ps, ps->i, "invalid filter pattern: "
			"a quoted phrase must be followed by a blank");
	}
	for (j = 0; j < k && isspace((unsigned char)buf[j]); j++)
		;
	r = add_term(ps, kind, buf, j == k ? 0 : k);
	free(buf);
	return r;
}

/*
 * An unquoted word. '@' and '/' make AWS refuse the pattern; a '-' inside
 * a word starts an excluded term, which is what AWS does with
 * request-id-123 (it finds nothing where the text is present).
 */
static int word(struct pat_parse *ps, enum pat_term_kind kind)
{
	size_t from = ps->i, k;
	char c;

	while (ps->i < ps->n && !isspace((unsigned char)ps->s[ps->i])) {
		c = ps->s[ps->i];
		if (c == '@' || c == '/')
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"'%c' must be inside double quotes", c);
		if (c == '"')
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"'\"' inside a word");
		if (c == '%')
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"a regular expression must be the whole pattern");
		ps->i++;
	}
	for (k = from; k <= ps->i; k++) {
		if (k < ps->i && ps->s[k] != '-')
			continue;
		if (k > from && add_term(ps, kind, ps->s + from, k - from) < 0)
			return -1;
		from = k + 1;
		kind = PAT_NOT;
	}
	return 0;
}

static int token(struct pat_parse *ps)
{
	enum pat_term_kind kind = PAT_MUST;
	size_t at = ps->i;

	if (ps->s[ps->i] == '?' || ps->s[ps->i] == '-') {
		kind = ps->s[ps->i] == '?' ? PAT_MAY : PAT_NOT;
		ps->i++;
		/* "ERROR" - "Exiting": a lone sign applies to what follows. */
		pat_skip_ws(ps);
		if (ps->i >= ps->n || ps->s[ps->i] == '?' ||
		    ps->s[ps->i] == '-')
			return pat_fail(ps, at, "invalid filter pattern: "
				"'%c' without a term", ps->s[at]);
	}
	if (ps->s[ps->i] == '"')
		return phrase(ps, kind);
	return word(ps, kind);
}

/* Applies the ?-rule: ?-terms count only when nothing else is there. */
static void combine(struct cw_pattern *p)
{
	int k, j, may = 0, empty = 0;

	for (k = 0; k < p->nterms; k++)
		may += p->terms[k].kind == PAT_MAY;
	if (may == p->nterms) {
		p->any = 1;
	} else {
		for (k = j = 0; k < p->nterms; k++) {
			if (p->terms[k].kind == PAT_MAY)
				free(p->terms[k].s);
			else
				p->terms[j++] = p->terms[k];
		}
		p->nterms = j;
	}
	for (k = 0; k < p->nterms; k++)
		empty += p->terms[k].kind != PAT_NOT && p->terms[k].len == 0;
	/* A blank phrase holds anywhere: the pattern may match everything. */
	if ((p->any && empty) || (!p->any && empty == p->nterms))
		p->kind = CW_PATTERN_ALL;
}

/* The longest required term leads: it is the one the buffer search
 * looks for. */
static void pick_term(struct cw_pattern *p)
{
	struct pat_term t;
	int k, best = -1;

	if (p->any)
		return;
	for (k = 0; k < p->nterms; k++)
		if (p->terms[k].kind == PAT_MUST &&
		    (best < 0 || p->terms[k].len > p->terms[best].len))
			best = k;
	if (best <= 0)
		return;
	t = p->terms[0];
	p->terms[0] = p->terms[best];
	p->terms[best] = t;
}

static int terms_compile(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;

	p->kind = CW_PATTERN_TERMS;
	for (;;) {
		pat_skip_ws(ps);
		if (ps->i >= ps->n)
			break;
		if (token(ps) < 0)
			return -1;
	}
	combine(p);
	pick_term(p);
	return 0;
}

/* A regex with a literal every match holds is tried only on the lines
 * that hold it, found by the buffer search. */
static int regex_compile(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	size_t from = ps->i + 1, n;

	p->kind = CW_PATTERN_REGEX;
	if (pat_parse_regex(ps, &p->re, &p->bufre) < 0)
		return -1;
	n = ps->i - 1 - from;
	p->lit = malloc(n + 1);
	if (!p->lit)
		return pat_fail(ps, from, "out of memory");
	p->litlen = pat_regex_literal(ps->s + from, n, p->lit);
	if (p->litlen < 3) {
		free(p->lit);
		p->lit = NULL;
		p->litlen = 0;
	}
	return 0;
}

static int dispatch(struct pat_parse *ps)
{
	struct cw_pattern *p = ps->p;
	const char *s = ps->s;

	while (ps->n > ps->i && isspace((unsigned char)s[ps->n - 1]))
		ps->n--;
	pat_skip_ws(ps);
	if (ps->i >= ps->n) {
		p->kind = CW_PATTERN_ALL;
		return 0;
	}
	if (s[ps->i] == '{') {
		p->kind = CW_PATTERN_JSON;
		return pat_json_compile(ps);
	}
	if (s[ps->i] == '[') {
		p->kind = CW_PATTERN_SPACE;
		return pat_space_compile(ps);
	}
	if (s[ps->i] == '%' && ps->n - ps->i >= 2 && s[ps->n - 1] == '%' &&
	    memchr(s + ps->i + 1, '%', ps->n - ps->i - 2) == NULL)
		return regex_compile(ps);
	return terms_compile(ps);
}

static int literal_safe(const char *s, size_t n)
{
	return n > 0 && !memchr(s, '\n', n) && !memchr(s, '\r', n);
}

/* What the buffer search looks for: every ?-term, or the leading
 * required term, or the literal a JSON or space-delimited pattern needs.
 * Nothing when a needle could hold a line break or is empty. */
static void needles(struct cw_pattern *p)
{
	int k;

	if (p->kind == CW_PATTERN_TERMS && p->any) {
		if (p->nterms > PAT_MAX_NEEDLES)
			return;
		for (k = 0; k < p->nterms; k++)
			if (!literal_safe(p->terms[k].s, p->terms[k].len))
				return;
		for (k = 0; k < p->nterms; k++)
			pat_needle_init(&p->needles[k], p->terms[k].s,
				p->terms[k].len);
		p->nneedles = p->nterms;
	} else if (p->kind == CW_PATTERN_TERMS) {
		if (p->nterms && p->terms[0].kind == PAT_MUST &&
		    literal_safe(p->terms[0].s, p->terms[0].len)) {
			pat_needle_init(&p->needles[0], p->terms[0].s,
				p->terms[0].len);
			p->nneedles = 1;
		}
	} else if (p->fieldlit) {
		pat_needle_init(&p->needles[0], p->fieldlit, p->fieldlitlen);
		p->nneedles = 1;
		p->at_field = 1;
	} else if (p->lit && literal_safe(p->lit, p->litlen)) {
		pat_needle_init(&p->needles[0], p->lit, p->litlen);
		p->nneedles = 1;
	}
	if (p->disguise)
		pat_needle_init(&p->disguise_needle, p->disguise,
			strlen(p->disguise));
}

struct cw_pattern *cw_pattern_compile(const char *src, size_t len, int *col,
	struct cw_err *err)
{
	struct pat_parse ps = { src, len, 0, NULL, err, 0, 0, 0, 0 };
	struct cw_pattern *p;
	size_t chars = utf8_chars(src, len);

	if (col)
		*col = 0;
	if (chars > CW_PATTERN_MAX_LEN) {
		cw_err_set(err, "1 validation error detected: value at "
			"'filterPattern' failed to satisfy constraint: member "
			"must have length less than or equal to %d",
			CW_PATTERN_MAX_LEN);
		if (col)
			*col = CW_PATTERN_MAX_LEN + 1;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p) {
		p->scratch = calloc(1, sizeof(*p->scratch));
		p->src = malloc(len + 1);
	}
	if (!p || !p->scratch || !p->src) {
		cw_pattern_free(p);
		cw_err_set(err, "out of memory");
		return NULL;
	}
	memcpy(p->src, src, len);
	p->src[len] = '\0';
	p->srclen = len;
	p->root = -1;
	p->ellipsis = -1;
	ps.p = p;
	if (dispatch(&ps) < 0) {
		if (col)
			*col = (int)utf8_chars(src, ps.errpos) + 1;
		cw_pattern_free(p);
		return NULL;
	}
	needles(p);
	return p;
}

/* Only the bytes the search compares first change: no answer does. */
void cw_pattern_tune(struct cw_pattern *p, const char *sample, size_t n)
{
	struct pat_step *st;
	int k, j;

	if (n > PAT_TUNE_SAMPLE)
		n = PAT_TUNE_SAMPLE;
	for (k = 0; k < p->nneedles; k++)
		pat_needle_tune(&p->needles[k], sample, n);
	for (k = 0; k < p->nleaves; k++) {
		if (p->leaves[k].vnd.s)
			pat_needle_tune(&p->leaves[k].vnd, sample, n);
		for (j = 0; j < p->leaves[k].nsteps; j++) {
			st = &p->leaves[k].steps[j];
			if (st->kind == PAT_KEY && st->keylen)
				pat_needle_tune(&st->nd, sample, n);
		}
	}
}

enum cw_pattern_kind cw_pattern_kind(const struct cw_pattern *p)
{
	return p->kind;
}

static int has(const struct pat_term *t, const char *s, size_t n)
{
	return t->len == 0 || memmem(s, n, t->s, t->len) != NULL;
}

static int terms_match(const struct cw_pattern *p, const char *s, size_t n)
{
	int k;

	if (p->any) {
		for (k = 0; k < p->nterms; k++)
			if (has(&p->terms[k], s, n))
				return 1;
		return 0;
	}
	for (k = 0; k < p->nterms; k++)
		if (has(&p->terms[k], s, n) != (p->terms[k].kind == PAT_MUST))
			return 0;
	return 1;
}

int cw_pattern_match(const struct cw_pattern *p, const char *line, size_t len)
{
	if (p->kind == CW_PATTERN_ALL)
		return 1;
	/* CloudWatch has no empty events; only match-all patterns take one. */
	if (len == 0)
		return 0;
	switch (p->kind) {
	case CW_PATTERN_TERMS:
		return terms_match(p, line, len);
	case CW_PATTERN_REGEX:
		return pat_re_search(&p->re, line, len);
	case CW_PATTERN_JSON:
		return pat_json_match(p, line, len);
	case CW_PATTERN_SPACE:
		return pat_space_match(p, line, len);
	default:
		return 0;
	}
}

int cw_pattern_error(const struct cw_pattern *p, struct cw_err *err)
{
	if (!p->scratch->failed)
		return 0;
	p->scratch->failed = 0;
	return cw_err_set(err, "out of memory matching a JSON string");
}

/* --- the buffer search --- */

struct line {
	const char *s;
	size_t n;		/* the message: no '\n', no final '\r' */
	const char *next;	/* where the following line starts */
};

/* The line holding at; it starts no earlier than from. */
static void line_at(const char *end, const char *from, const char *at,
	struct line *l)
{
	const char *nl;

	l->s = at > from ? memrchr(from, '\n', at - from) : NULL;
	l->s = l->s ? l->s + 1 : from;
	nl = memchr(at, '\n', end - at);
	l->next = nl ? nl + 1 : end;
	l->n = (nl ? nl : end) - l->s;
	if (l->n && l->s[l->n - 1] == '\r')
		l->n--;
}

/* The line as it is in the buffer, '\r' included, for printing. */
static const char *found(const struct line *l, size_t *linelen)
{
	const char *end = l->next;

	if (end > l->s && end[-1] == '\n')
		end--;
	*linelen = end - l->s;
	return l->s;
}

/* The line, when it matches or a regex fails to decide it (*failed). */
static const char *decide(const struct cw_pattern *p, const struct line *l,
	size_t *linelen, int *failed)
{
	int r = cw_pattern_match(p, l->s, l->n);

	if (!r)
		return NULL;
	*failed = r < 0;
	return found(l, linelen);
}

/* A JSON line, told whether it holds a backslash: bs is the next one in
 * the buffer at or after the line's start, or NULL when there is none. */
static const char *decide_json(const struct cw_pattern *p,
	const struct line *l, const char *bs, size_t *linelen, int *failed)
{
	int r = l->n ? pat_json_match_plain(p, l->s, l->n,
		!bs || bs >= l->s + l->n) : 0;

	if (!r)
		return NULL;
	*failed = r < 0;
	return found(l, linelen);
}

/* Line by line: for patterns with nothing to search for. Backslashes,
 * which JSON lines rarely hold, are searched for in the whole buffer
 * rather than in each line. */
static const char *each_line(const struct cw_pattern *p, const char *s,
	const char *e, size_t *linelen, int *failed)
{
	const char *r, *bs = NULL, *at = s;
	int json = p->kind == CW_PATTERN_JSON, more = 1;
	struct line l;

	while (s < e) {
		if (json && more && (!bs || bs < s)) {
			bs = memchr(s, '\\', e - s);
			more = bs != NULL;
		}
		/* JSON: past the lines that cannot match */
		if (json && (at = pat_json_skip(p, s, bs, e)) == e)
			return NULL;
		line_at(e, s, json ? at : s, &l);
		r = json ? decide_json(p, &l, bs, linelen, failed) :
			decide(p, &l, linelen, failed);
		if (r)
			return r;
		s = l.next;
	}
	return NULL;
}

/* A JSON literal and the escape that could disguise it, found by one
 * search: a line holding either is looked at. */
static const char *by_escaped(const struct cw_pattern *p, const char *s,
	const char *e, size_t *linelen, int *failed)
{
	const struct pat_needle nd[2] = { p->needles[0], p->disguise_needle };
	const char *hit, *r;
	struct line l;
	int which;

	while (s < e && (hit = pat_search_two(nd, s, e - s, &which))) {
		line_at(e, s, hit, &l);
		if ((r = decide(p, &l, linelen, failed)))
			return r;
		s = l.next;
	}
	return NULL;
}

/* Looks only at lines holding one of the needles. */
static const char *by_literal(const struct cw_pattern *p, const char *s,
	const char *e, size_t *linelen, int *failed)
{
	const char *hit, *r;
	struct line l;
	int which;

	while (s < e) {
		hit = p->at_field ? pat_search_field(p->needles, s, e - s) :
			pat_search(p->needles, p->nneedles, s, e - s, &which);
		if (!hit)
			return NULL;
		line_at(e, s, hit, &l);
		if ((r = decide(p, &l, linelen, failed)))
			return r;
		s = l.next;
	}
	return NULL;
}

/* The match limit counts the work of one search, over every line of the
 * buffer: when it is reached, the lines are tried one by one, so that
 * only a line that fails alone is reported, and the others are decided. */
static const char *by_regex(const struct cw_pattern *p, const char *s,
	const char *e, size_t *linelen, int *failed)
{
	const char *r;
	struct line l;
	long off;

	while (s < e) {
		off = pat_re_first(&p->bufre, s, e - s);
		if (off == -1)
			return NULL;
		if (off == -2)
			return each_line(p, s, e, linelen, failed);
		line_at(e, s, s + off, &l);
		if ((r = decide(p, &l, linelen, failed)))
			return r;
		s = l.next;
	}
	return NULL;
}

const char *cw_pattern_find(const struct cw_pattern *p, const char *buf,
	size_t len, size_t *linelen, int *failed)
{
	const char *e = buf + len;
	struct line l;

	*linelen = 0;
	*failed = 0;
	if (len == 0)
		return NULL;
	if (p->kind == CW_PATTERN_ALL) {
		line_at(e, buf, buf, &l);
		return found(&l, linelen);
	}
	if (p->kind == CW_PATTERN_REGEX && !p->nneedles)
		return by_regex(p, buf, e, linelen, failed);
	if (p->nneedles && p->disguise)
		return by_escaped(p, buf, e, linelen, failed);
	if (p->nneedles)
		return by_literal(p, buf, e, linelen, failed);
	return each_line(p, buf, e, linelen, failed);
}

static size_t count_lines(const char *s, size_t n)
{
	const char *e = s + n, *q;
	size_t c = 0;

	while (s < e && (q = memchr(s, '\n', e - s))) {
		c++;
		s = q + 1;
	}
	return c + (s < e);
}

size_t cw_pattern_count(const struct cw_pattern *p, const char *buf,
	size_t len, const char **failed)
{
	const char *s = buf, *e = buf + len, *hit;
	size_t c = 0, n;
	int bad;

	*failed = NULL;
	if (p->kind == CW_PATTERN_ALL)
		return count_lines(buf, len);
	while (s < e && (hit = cw_pattern_find(p, s, e - s, &n, &bad))) {
		if (bad) {
			*failed = hit;
			break;
		}
		c++;
		hit = memchr(hit + n, '\n', e - hit - n);
		if (!hit)
			break;
		s = hit + 1;
	}
	return c;
}

int cw_pattern_extract(const struct cw_pattern *p, const char *line,
	size_t len, cw_pattern_field_fn *fn, void *arg)
{
	int r = cw_pattern_match(p, line, len);

	if (r <= 0)
		return r;
	if (p->kind == CW_PATTERN_JSON)
		return pat_json_extract(p, line, len, fn, arg);
	if (p->kind == CW_PATTERN_SPACE)
		return pat_space_extract(p, line, len, fn, arg);
	return 1;
}

static int explain_terms(const struct cw_pattern *p, struct cw_buf *out)
{
	static const char *const kinds[] = { "must", "any", "not" };
	int k;

	if (cw_buf_adds(out, p->any ? "terms (any of)\n" : "terms\n") < 0)
		return -1;
	for (k = 0; k < p->nterms; k++)
		if (cw_buf_addf(out, "  %s \"%s\"\n",
		    kinds[p->terms[k].kind], p->terms[k].s) < 0)
			return -1;
	return 0;
}

static int explain_space(const struct cw_pattern *p, struct cw_buf *out)
{
	const struct pat_field *f;
	int k;

	if (cw_buf_adds(out, "space-delimited\n") < 0)
		return -1;
	for (k = 0; k < p->nfields; k++) {
		f = &p->fields[k];
		if (f->ellipsis)
			cw_buf_adds(out, "  ...\n");
		else if (f->name)
			cw_buf_addf(out, "  field %s\n", f->name);
		else
			cw_buf_adds(out, "  field (unnamed)\n");
		if (f->root >= 0 && pat_explain_node(p, f->root, 2, out) < 0)
			return -1;
	}
	return 0;
}

int cw_pattern_explain(const struct cw_pattern *p, struct cw_buf *out)
{
	switch (p->kind) {
	case CW_PATTERN_ALL:
		return cw_buf_adds(out, "all (every event matches)\n");
	case CW_PATTERN_TERMS:
		return explain_terms(p, out);
	case CW_PATTERN_REGEX:
		return cw_buf_addf(out, "regex %.*s\n", (int)p->srclen,
			p->src);
	case CW_PATTERN_JSON:
		if (cw_buf_adds(out, "json\n") < 0)
			return -1;
		return pat_explain_node(p, p->root, 1, out);
	default:
		return explain_space(p, out);
	}
}

int cw_pattern_caret(struct cw_buf *out, const char *pattern, int col)
{
	const unsigned char *s = (const unsigned char *)pattern;
	int k = 1;

	if (cw_buf_adds(out, pattern) < 0 || cw_buf_addc(out, '\n') < 0)
		return -1;
	/* Columns count characters: UTF-8 continuation bytes take none. */
	for (; *s && k < col; s++) {
		if ((*s & 0xc0) == 0x80)
			continue;
		if (cw_buf_addc(out, *s == '\t' ? '\t' : ' ') < 0)
			return -1;
		k++;
	}
	return cw_buf_adds(out, "^\n");
}

void cw_pattern_free(struct cw_pattern *p)
{
	int k;

	if (!p)
		return;
	for (k = 0; k < p->nterms; k++)
		free(p->terms[k].s);
	free(p->terms);
	for (k = 0; k < p->nleaves; k++) {
		struct pat_leaf *l = &p->leaves[k];
		int j;

		for (j = 0; j < l->nsteps; j++)
			free(l->steps[j].key);
		free(l->steps);
		free(l->name);
		pat_test_free(&l->t);
	}
	free(p->leaves);
	for (k = 0; k < p->nfields; k++)
		free(p->fields[k].name);
	free(p->fields);
	free(p->nodes);
	free(p->ring);
	pat_re_free(&p->re);
	pat_re_free(&p->bufre);
	free(p->lit);
	if (p->scratch) {
		free(p->scratch->p);
		free(p->scratch->plain);
	}
	free(p->scratch);
	free(p->src);
	free(p);
}
