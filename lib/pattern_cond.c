/*
 * What JSON and space-delimited patterns share: the && / || / () parser,
 * comparison values (strings with '*' wildcards, numbers, regexes) and
 * their tests, the literal prefilter, and explain.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"
#include "banned.h"

static int at(struct pat_parse *ps, const char *tok)
{
	size_t n = strlen(tok);

	return ps->n - ps->i >= n && memcmp(ps->s + ps->i, tok, n) == 0;
}

static int parse_unary(struct pat_parse *ps, int (*leaf)(struct pat_parse *))
{
	size_t open;
	int n;

	pat_skip_ws(ps);
	if (ps->i >= ps->n || ps->s[ps->i] != '(')
		return leaf(ps);
	open = ps->i++;
	if (++ps->depth > PAT_MAX_DEPTH)
		return pat_fail(ps, open, "invalid filter pattern: "
			"parentheses nested deeper than %d", PAT_MAX_DEPTH);
	n = pat_parse_or(ps, leaf);
	if (n < 0)
		return -1;
	pat_skip_ws(ps);
	if (ps->i >= ps->n || ps->s[ps->i] != ')')
		return pat_fail(ps, open, "invalid filter pattern: "
			"'(' without ')'");
	ps->i++;
	ps->depth--;
	return n;
}

static int parse_and(struct pat_parse *ps, int (*leaf)(struct pat_parse *))
{
	int n, m;

	n = parse_unary(ps, leaf);
	for (;;) {
		if (n < 0)
			return -1;
		pat_skip_ws(ps);
		if (!at(ps, "&&"))
			return n;
		ps->i += 2;
		m = parse_unary(ps, leaf);
		if (m < 0)
			return -1;
		n = pat_add_node(ps, PAT_AND, n, m);
	}
}

/* or := and ( "||" and )*; && binds tighter, as the docs state. */
int pat_parse_or(struct pat_parse *ps, int (*leaf)(struct pat_parse *))
{
	int n, m;

	n = parse_and(ps, leaf);
	for (;;) {
		if (n < 0)
			return -1;
		pat_skip_ws(ps);
		if (!at(ps, "||"))
			return n;
		ps->i += 2;
		m = parse_and(ps, leaf);
		if (m < 0)
			return -1;
		n = pat_add_node(ps, PAT_OR, n, m);
	}
}

/* Up to 15 digits, the common case, without strtod: exact in a double. */
static int plain_integer(const char *s, size_t n, double *v)
{
	int64_t x = 0;
	size_t i = s[0] == '-';

	if (i == n)
		return 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		x = x * 10 + (s[i] - '0');
	}
	*v = s[0] == '-' ? -(double)x : (double)x;
	return 1;
}

/* Whole-string number: [+-]? (digits [. digits*] | . digits) [eE [+-]? digits] */
int pat_number(const char *s, size_t n, double *v)
{
	char tmp[128], *end;
	size_t i = 0, digits = 0;

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	if (n <= 15 && plain_integer(s, n, v))
		return 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && isdigit((unsigned char)s[i]))
			i++, digits++;
	}
	if (!digits)
		return -1;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !isdigit((unsigned char)s[i]))
			return -1;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i != n)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	return 0;
}

/* '*' matches any run of bytes, the empty one included. */
int pat_glob(const char *pat, size_t pn, const char *s, size_t sn)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;

	while (si < sn) {
		if (pi < pn && pat[pi] == '*') {
			star = pi++;
			mark = si;
		} else if (pi < pn && pat[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else {
			return 0;
		}
	}
	while (pi < pn && pat[pi] == '*')
		pi++;
	return pi == pn;
}

/* memcmp() == 0, without a call for the short prefixes of field tests. */
static int same(const char *a, const char *b, size_t n)
{
	size_t k;

	if (n > 8)
		return memcmp(a, b, n) == 0;
	for (k = 0; k < n; k++)
		if (a[k] != b[k])
			return 0;
	return 1;
}

/* A string (or the text of a number or boolean) against = / != / regex. */
int pat_test_string(const struct pat_test *t, const char *s, size_t n)
{
	int r;

	if (t->op != PAT_EQ && t->op != PAT_NE)
		return 0;
	if (t->type == PAT_VRE) {
		r = pat_re_search(&t->re, s, n);
		if (r < 0)
			return -1;
	} else if (t->type != PAT_VSTR)
		return 0;
	else if (t->glob == PAT_GLOB_PREFIX)
		r = n >= t->len - 1 && same(s, t->str, t->len - 1);
	else if (t->glob == PAT_GLOB_SUFFIX)
		r = n >= t->len - 1 &&
			memcmp(s + n - (t->len - 1), t->str + 1, t->len - 1) == 0;
	else if (t->glob)
		r = pat_glob(t->str, t->len, s, n);
	else
		r = n == t->len && same(s, t->str, n);
	return t->op == PAT_EQ ? r : !r;
}

/* s must read as a number, or every numeric comparison is false. */
int pat_test_number(const struct pat_test *t, const char *s, size_t n)
{
	double v;

	if (t->type != PAT_VNUM || pat_number(s, n, &v) < 0)
		return 0;
	return pat_test_value(t, v);
}

int pat_test_value(const struct pat_test *t, double v)
{
	switch (t->op) {
	case PAT_EQ: return v == t->num;
	case PAT_NE: return v != t->num;
	case PAT_LT: return v < t->num;
	case PAT_LE: return v <= t->num;
	case PAT_GT: return v > t->num;
	case PAT_GE: return v >= t->num;
	default: return 0;
	}
}

const char *pat_op_name(enum pat_op op)
{
	static const char *const names[] = {
		"=", "!=", "<", "<=", ">", ">=",
		"IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"
	};

	return names[op];
}

void pat_test_free(struct pat_test *t)
{
	free(t->str);
	free(t->text);
	pat_re_free(&t->re);
}

static int keyword(struct pat_parse *ps, const char *word)
{
	size_t n = strlen(word);

	if (!at(ps, word))
		return 0;
	if (ps->i + n < ps->n && !isspace((unsigned char)ps->s[ps->i + n]) &&
	    ps->s[ps->i + n] != ')' && ps->s[ps->i + n] != '&' &&
	    ps->s[ps->i + n] != '|')
		return 0;
	ps->i += n;
	return 1;
}

/* IS NULL, IS TRUE, IS FALSE, NOT EXISTS (JSON only). */
static int parse_keyword(struct pat_parse *ps, struct pat_test *t)
{
	size_t pos = ps->i;

	if (keyword(ps, "IS")) {
		pat_skip_ws(ps);
		if (keyword(ps, "NULL"))
			t->op = PAT_ISNULL;
		else if (keyword(ps, "TRUE"))
			t->op = PAT_ISTRUE;
		else if (keyword(ps, "FALSE"))
			t->op = PAT_ISFALSE;
		else if (keyword(ps, "NOT"))
			return pat_fail(ps, pos, "invalid filter pattern: "
				"IS NOT is not supported");
		else
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"IS takes NULL, TRUE or FALSE");
		return 1;
	}
	if (keyword(ps, "NOT")) {
		pat_skip_ws(ps);
		if (!keyword(ps, "EXISTS"))
			return pat_fail(ps, ps->i, "invalid filter pattern: "
				"NOT takes EXISTS");
		t->op = PAT_NOTEXISTS;
		return 1;
	}
	if (keyword(ps, "EXISTS"))
		return pat_fail(ps, pos, "invalid filter pattern: "
			"EXISTS is not supported, use NOT EXISTS or = *");
	return 0;
}

static int parse_op(struct pat_parse *ps, struct pat_test *t)
{
	static const struct { const char *tok; enum pat_op op; } ops[] = {
		{ "!=", PAT_NE }, { "<=", PAT_LE }, { ">=", PAT_GE },
		{ "=", PAT_EQ }, { "<", PAT_LT }, { ">", PAT_GT }
	};
	size_t k;

	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		if (at(ps, ops[k].tok)) {
			ps->i += strlen(ops[k].tok);
			t->op = ops[k].op;
			return 0;
		}
	}
	return pat_fail(ps, ps->i, "invalid filter pattern: expected an "
		"operator (= != < <= > >=)");
}

static int copy_text(struct pat_parse *ps, struct pat_test *t, size_t from)
{
	t->text = pat_memdup(ps->s + from, ps->i - from);
	return t->text ? 0 : pat_fail(ps, from, "out of memory");
}

/* "..." with \" and \\ as escapes; other backslashes stay as they are. */
static int parse_quoted(struct pat_parse *ps, struct pat_test *t)
{
	size_t open = ps->i, k = 0;
	char *out;

	out = malloc(ps->n - ps->i + 1);
	if (!out)
		return pat_fail(ps, open, "out of memory");
	for (ps->i++; ps->i < ps->n && ps->s[ps->i] != '"'; ps->i++) {
		if (ps->s[ps->i] == '\\' && ps->i + 1 < ps->n &&
		    (ps->s[ps->i + 1] == '"' || ps->s[ps->i + 1] == '\\'))
			ps->i++;
		out[k++] = ps->s[ps->i];
	}
	if (ps->i >= ps->n) {
		free(out);
		return pat_fail(ps, open, "invalid filter pattern: "
			"unterminated quoted string");
	}
	ps->i++;
	out[k] = '\0';
	t->str = out;
	t->len = k;
	t->type = PAT_VSTR;
	return 0;
}

static int bare_end(struct pat_parse *ps, int space)
{
	char c = ps->s[ps->i];

	if (isspace((unsigned char)c) || c == ')' || (!space && c == '}') ||
	    (space && (c == ',' || c == ']')))
		return 1;
	return at(ps, "&&") || at(ps, "||");
}

static int parse_bare(struct pat_parse *ps, struct pat_test *t, int space)
{
	size_t from = ps->i;

	while (ps->i < ps->n && !bare_end(ps, space))
		ps->i++;
	if (ps->i == from)
		return pat_fail(ps, from, "invalid filter pattern: "
			"missing value");
	if (pat_number(ps->s + from, ps->i - from, &t->num) == 0) {
		t->type = PAT_VNUM;
		return 0;
	}
	t->str = pat_memdup(ps->s + from, ps->i - from);
	if (!t->str)
		return pat_fail(ps, from, "out of memory");
	t->len = ps->i - from;
	t->type = PAT_VSTR;
	return 0;
}

/* "x*" and "*x", the common wildcards, compare without pat_glob(). */
static int glob_kind(const char *s, size_t n)
{
	const char *star = memchr(s, '*', n);

	if (!star)
		return 0;
	if (star == s + n - 1)
		return PAT_GLOB_PREFIX;
	if (star == s && !memchr(s + 1, '*', n - 1))
		return PAT_GLOB_SUFFIX;
	return PAT_GLOB_ANY;
}

/* Operator and value after a selector or field name. */
int pat_parse_test(struct pat_parse *ps, struct pat_test *t, int space)
{
	size_t from;
	int r;

	pat_skip_ws(ps);
	if (!space) {
		r = parse_keyword(ps, t);
		if (r)
			return r < 0 ? -1 : 0;
	}
	if (parse_op(ps, t) < 0)
		return -1;
	pat_skip_ws(ps);
	from = ps->i;
	if (ps->i >= ps->n)
		return pat_fail(ps, ps->i, "invalid filter pattern: "
			"missing value");
	if (ps->s[ps->i] == '%') {
		if (t->op != PAT_EQ && t->op != PAT_NE)
			return pat_fail(ps, from, "invalid filter pattern: "
				"a regular expression takes = or !=");
		if (++ps->nregex > PAT_MAX_REGEX)
			return pat_fail(ps, from, "invalid filter pattern: "
				"more than %d regular expressions", PAT_MAX_REGEX);
		if (pat_parse_regex(ps, &t->re, NULL) < 0)
			return -1;
		t->type = PAT_VRE;
	} else if (ps->s[ps->i] == '"') {
		if (parse_quoted(ps, t) < 0)
			return -1;
	} else if (parse_bare(ps, t, space) < 0) {
		return -1;
	}
	if (t->type == PAT_VSTR) {
		t->glob = glob_kind(t->str, t->len);
		if (t->op != PAT_EQ && t->op != PAT_NE)
			return pat_fail(ps, from, "invalid filter pattern: "
				"%s needs a number", pat_op_name(t->op));
	}
	return copy_text(ps, t, from);
}

/*
 * The longest run of literal bytes some required (= string) test needs.
 * JSON text may spell a character as an escape, so for JSON the run
 * stops at bytes that are always escaped, and lines holding "\u" are
 * looked at whatever the literal says.
 */
static void best_segment(struct cw_pattern *p, const struct pat_test *t,
	const char **best, size_t *bestlen)
{
	size_t i, start = 0;
	int json = p->kind == CW_PATTERN_JSON;

	for (i = 0; i <= t->len; i++) {
		unsigned char c = i < t->len ? (unsigned char)t->str[i] : '*';

		if (c == '*' || c == '\n' || c == '\r' || (json &&
		    (c == '"' || c == '\\' || c == '/' || c < 0x20))) {
			if (i - start > *bestlen) {
				*best = t->str + start;
				*bestlen = i - start;
			}
			start = i + 1;
		}
	}
}

static void required(struct cw_pattern *p, int n, const char **best,
	size_t *bestlen)
{
	const struct pat_node *node = &p->nodes[n];
	const struct pat_test *t;

	if (node->kind == PAT_AND) {
		required(p, node->a, best, bestlen);
		required(p, node->b, best, bestlen);
	} else if (node->kind == PAT_LEAF) {
		t = &p->leaves[node->a].t;
		if (t->op == PAT_EQ && t->type == PAT_VSTR)
			best_segment(p, t, best, bestlen);
	}
}

void pat_pick_literal(struct cw_pattern *p, int root)
{
	const char *best = NULL;
	size_t bestlen = 0;
	int k;

	if (root >= 0)
		required(p, root, &best, &bestlen);
	for (k = 0; p->fields && k < p->nfields; k++)
		if (p->fields[k].root >= 0)
			required(p, p->fields[k].root, &best, &bestlen);
	if (bestlen < 2)
		return;
	p->lit = pat_memdup(best, bestlen);
	if (p->lit)
		p->litlen = bestlen;
	p->disguise = p->kind == CW_PATTERN_JSON ? "\\u" : NULL;
}

static int indent(struct cw_buf *out, int depth)
{
	int k;

	for (k = 0; k < depth; k++)
		if (cw_buf_adds(out, "  ") < 0)
			return -1;
	return 0;
}

static int explain_leaf(const struct pat_leaf *l, struct cw_buf *out)
{
	const struct pat_test *t = &l->t;
	static const char *const types[] = { "", "string", "number", "regex" };

	if (t->op >= PAT_ISNULL)
		return cw_buf_addf(out, "%s %s\n", l->name, pat_op_name(t->op));
	return cw_buf_addf(out, "%s %s %s (%s%s)\n", l->name,
		pat_op_name(t->op), t->text, types[t->type],
		t->glob ? ", wildcard" : "");
}

static int explain_children(const struct cw_pattern *p, int n,
	enum pat_node_kind kind, int depth, struct cw_buf *out)
{
	const struct pat_node *node = &p->nodes[n];

	/* a && b && c prints as one "and" with three children. */
	if (node->kind != kind)
		return pat_explain_node(p, n, depth, out);
	if (explain_children(p, node->a, kind, depth, out) < 0)
		return -1;
	return explain_children(p, node->b, kind, depth, out);
}

int pat_explain_node(const struct cw_pattern *p, int n, int depth,
	struct cw_buf *out)
{
	const struct pat_node *node = &p->nodes[n];

	if (indent(out, depth) < 0)
		return -1;
	if (node->kind == PAT_LEAF)
		return explain_leaf(&p->leaves[node->a], out);
	if (cw_buf_adds(out, node->kind == PAT_AND ? "and\n" : "or\n") < 0)
		return -1;
	return explain_children(p, n, node->kind, depth + 1, out) < 0 ? -1 :
		0;
}
