/*
 * %regex%: the subset CloudWatch documents, checked character by
 * character first, then compiled by PCRE2 (JIT when the machine has it)
 * without UTF or UCP, so \d \w \s stay ASCII and '.' is one byte.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_int.h"
#include "banned.h"

/* Letters, digits, the documented symbols and operators, and the space
 * that a documented example uses. Everything else, '(' and ')' and any
 * byte above 0x7f among them, AWS refuses. */
static int allowed(unsigned char c)
{
	return isalnum(c) || (c && strchr(":_#=@/;,- ^$?[]{}|\\*+.", c));
}

/*
 * The PCRE2 text of re[0..n). "{,n}" becomes "{0,n}", since the docs
 * let either bound go. For the buffer search ("buffer"), '$' also
 * matches before "\r\n" and a negated class stops at '\n', so a search
 * over many lines finds every line a single-line search would.
 */
static char *translate(const char *re, size_t n, int buffer)
{
	struct cw_buf out = CW_BUF_INIT;
	size_t i;
	int inclass = 0, r = 0;

	for (i = 0; i < n && r == 0; i++) {
		char c = re[i];

		if (c == '\\' && i + 1 < n) {
			r = cw_buf_add(&out, re + i, 2);
			i++;
		} else if (inclass) {
			if (c == ']')
				inclass = 0;
			r = cw_buf_add(&out, &c, 1);
		} else if (c == '[') {
			inclass = 1;
			if (buffer && i + 1 < n && re[i + 1] == '^') {
				r = cw_buf_add(&out, "[^\\n", 4);
				i++;
			} else {
				r = cw_buf_add(&out, "[", 1);
			}
			/* A ']' first in a class is literal. */
			if (r == 0 && i + 1 < n && re[i + 1] == ']')
				r = cw_buf_add(&out, "\\]", 2), i++;
		} else if (c == '{' && i + 1 < n && re[i + 1] == ',') {
			r = cw_buf_add(&out, "{0", 2);
		} else if (c == '$' && buffer) {
			r = cw_buf_add(&out, "(?=\\r?$)", 8);
		} else {
			r = cw_buf_add(&out, &c, 1);
		}
	}
	if (r < 0) {
		cw_buf_release(&out);
		return NULL;
	}
	return cw_buf_detach(&out, NULL);
}

static int compile(struct pat_parse *ps, struct pat_re *re, const char *src,
	size_t n, size_t at, int buffer)
{
	pcre2_compile_context *cc;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	char *text;
	int code;

	text = translate(src, n, buffer);
	cc = pcre2_compile_context_create(NULL);
	if (!text || !cc) {
		free(text);
		pcre2_compile_context_free(cc);
		return pat_fail(ps, at, "out of memory");
	}
	pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
	re->code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
		buffer ? PCRE2_MULTILINE : PCRE2_DOLLAR_ENDONLY, &code, &off, cc);
	pcre2_compile_context_free(cc);
	free(text);
	if (!re->code) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		return pat_fail(ps, at, "invalid filter pattern: "
			"regular expression: %s", (char *)msg);
	}
	re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!re->md)
		return pat_fail(ps, at, "out of memory");
	return 0;
}

/*
 * ps->i is on the opening '%'; on success it is past the closing one.
 * bufre, when not NULL, receives the buffer-search form.
 */
int pat_parse_regex(struct pat_parse *ps, struct pat_re *re,
	struct pat_re *bufre)
{
	size_t open = ps->i, i;
	const char *end;

	end = memchr(ps->s + open + 1, '%', ps->n - open - 1);
	if (!end)
		return pat_fail(ps, open, "invalid filter pattern: "
			"regular expression without its closing '%%'");
	if (end == ps->s + open + 1)
		return pat_fail(ps, open, "invalid filter pattern: "
			"empty regular expression");
	for (i = open + 1; ps->s + i < end; i++)
		if (!allowed((unsigned char)ps->s[i]))
			return pat_fail(ps, i, "invalid character(s) in term");
	ps->i = end - ps->s + 1;
	if (compile(ps, re, ps->s + open + 1, end - ps->s - open - 1,
	    open + 1, 0) < 0)
		return -1;
	if (bufre && compile(ps, bufre, ps->s + open + 1,
	    end - ps->s - open - 1, open + 1, 1) < 0)
		return -1;
	return 0;
}

/* Past the class that starts at re[i] ('['), or n. */
static size_t class_end(const char *re, size_t i, size_t n)
{
	i++;
	if (i < n && re[i] == '^')
		i++;
	if (i < n && re[i] == ']')
		i++;
	for (; i < n && re[i] != ']'; i++)
		if (re[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

/* The literal byte the atom at re[*i] stands for, or -1 for anything
 * else (a class, an escape like \d, '.', an anchor, a quantifier); *i
 * ends on the atom's last byte. */
static int atom(const char *re, size_t *i, size_t n)
{
	unsigned char c = (unsigned char)re[*i];

	if (c == '\\' && *i + 1 < n) {
		c = (unsigned char)re[++*i];
		return isalnum(c) ? -1 : c;
	}
	if (c == '[') {
		*i = class_end(re, *i, n) - 1;
		return -1;
	}
	if (c == '{') {
		while (*i + 1 < n && re[*i] != '}')
			++*i;
		return -1;
	}
	return isalnum(c) || (c && strchr(" :_#=@/;,-", c)) ? c : -1;
}

/*
 * The longest run of bytes that every match of re[0..n) holds, copied
 * to out (n bytes of room); 0 when there is none. CloudWatch's regexes
 * have no groups, so without '|' a match is the atoms in order: a run
 * is the literal atoms between the others, less one that a '*', '?' or
 * '{' may leave out, and it ends after one that '+' repeats.
 */
size_t pat_regex_literal(const char *re, size_t n, char *out)
{
	char *run;
	size_t i, best = 0, cur = 0;
	int c;
	char q;

	/* \x41, \1, \p{L} and their like run on past their letter */
	for (i = 0; i + 1 < n; i++)
		if (re[i] == '\\' && isalnum((unsigned char)re[++i]) &&
		    !strchr("dDwWsSbB", re[i]))
			return 0;
	if (memchr(re, '|', n) || !(run = malloc(n + 1)))
		return 0;
	for (i = 0; i <= n; i++) {
		c = i < n ? atom(re, &i, n) : -1;
		q = i + 1 < n ? re[i + 1] : 0;
		if (c >= 0 && q != '*' && q != '?' && q != '{') {
			run[cur++] = (char)c;
			if (q != '+')
				continue;
			i++;
		}
		if (cur > best) {
			best = cur;
			memcpy(out, run, cur);
		}
		cur = 0;
	}
	free(run);
	return best;
}

static int run(const struct pat_re *re, const char *s, size_t n)
{
	if (re->jit)
		return pcre2_jit_match(re->code, (PCRE2_SPTR)s, n, 0, 0,
			re->md, NULL);
	return pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, NULL);
}

/* A match error (PCRE2's match or depth limit) is not a non-match: it
 * is -1, and the caller says so. */
int pat_re_search(const struct pat_re *re, const char *s, size_t n)
{
	int rc = run(re, s, n);

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc >= 0 ? 1 : -1;
}

long pat_re_first(const struct pat_re *re, const char *s, size_t n)
{
	int rc = run(re, s, n);

	if (rc == PCRE2_ERROR_NOMATCH)
		return -1;
	if (rc < 0)
		return -2;
	return (long)pcre2_get_ovector_pointer(re->md)[0];
}

void pat_re_free(struct pat_re *re)
{
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	re->md = NULL;
	re->code = NULL;
}
