/*
 * lib/pattern: the cases in pattern-cases.txt, then what a text file
 * cannot say (NUL bytes, long lines, limits, the buffer search, explain).
 *
 * pattern-cases.txt holds blocks separated by blank lines:
 *	# where the cases come from (doc example, rule, or "choice: ...")
 *	PATTERN
 *	+ a line that matches
 *	= $name:value | $other:value	(after a "+": what it extracts)
 *	- a line that does not match
 *	! COLUMN message		(the pattern is refused)
 * Each "+", "-" and "!" line is one test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "patternfind.h"
#include "tap.h"
#include "banned.h"

struct block {
	char note[512];
	char pattern[4096];
	struct cw_pattern *p;
	int col;
	struct cw_err err;
	char last[8192];	/* the last "+" line, for "=" */
};

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n'))
		s[--n] = '\0';
}

/* The buffer search must agree with the one-line answer: alone, with a
 * CRLF ending, and among other lines. */
static int find_agrees(const struct cw_pattern *p, const char *line, int want)
{
	static char buf[20000];
	const char *hit;
	size_t n, len = strlen(line);
	int r;

	if (len + 64 > sizeof(buf))
		return 1;
	n = (size_t)snprintf(buf, sizeof(buf), "%s\n", line);
	hit = find_(p, buf, n, &n);
	r = (hit != NULL) == want && (!hit || n == len);
	n = (size_t)snprintf(buf, sizeof(buf), "%s", line);
	hit = find_(p, buf, n, &n);
	r = r && (len == 0 || (hit != NULL) == want);
	if (len == 0 || (len && line[len - 1] == '\r'))
		return r;
	n = (size_t)snprintf(buf, sizeof(buf), "%s\r\n", line);
	hit = find_(p, buf, n, &n);
	r = r && (hit != NULL) == want;
	n = (size_t)snprintf(buf, sizeof(buf), "zz\n\n%s\nzz\n", line);
	return r && count_(p, buf, n) ==
		(size_t)want + 2 * (size_t)cw_pattern_match(p, "zz", 2) +
		(size_t)cw_pattern_match(p, "", 0);
}

struct fields {
	char s[4096];
};

static int collect(void *arg, const char *name, const char *v, size_t n,
	int json)
{
	struct fields *f = arg;
	size_t len = strlen(f->s);

	(void)json;
	snprintf(f->s + len, sizeof(f->s) - len, "%s%s:%.*s",
		len ? " | " : "", name, (int)n, v);
	return 0;
}

static void compile_block(struct block *b)
{
	cw_err_clear(&b->err);
	b->p = cw_pattern_compile(b->pattern, strlen(b->pattern), &b->col,
		&b->err);
}

static void refused(struct block *b, const char *spec)
{
	char *end;
	long col = strtol(spec, &end, 10);
	const char *msg = *end == ' ' ? end + 1 : end;

	if (!ok(!b->p && b->col == col && strstr(b->err.msg, msg),
	    "%s: refuses %s", b->note, b->pattern)) {
		diag("got column %d: %s", b->col,
			b->p ? "(compiled)" : b->err.msg);
		diag("expected column %ld: %s", col, msg);
	}
}

static void matches(struct block *b, const char *line, int want)
{
	int got;

	if (!b->p) {
		ok(0, "%s: %s ~ %s", b->note, b->pattern, line);
		diag("compile failed at column %d: %s", b->col, b->err.msg);
		return;
	}
	got = cw_pattern_match(b->p, line, strlen(line));
	if (!ok(got == want && find_agrees(b->p, line, want), "%s: %s %s %s",
	    b->note, b->pattern, want ? "~" : "!~", line))
		diag("match gave %d, find agrees %d", got,
			find_agrees(b->p, line, want));
	snprintf(b->last, sizeof(b->last), "%.8000s", line);
}

static void extracts(struct block *b, const char *want)
{
	struct fields f = { "" };

	if (b->p)
		cw_pattern_extract(b->p, b->last, strlen(b->last), collect, &f);
	is_str(f.s, want, "extracted values");
}

static int run_file(const char *path)
{
	struct block b;
	char line[8192];
	FILE *fp = fopen(path, "r");

	if (!fp) {
		printf("Bail out! cannot open %s\n", path);
		return -1;
	}
	memset(&b, 0, sizeof(b));
	while (fgets(line, sizeof(line), fp)) {
		chomp(line);
		if (line[0] == '\0') {
			cw_pattern_free(b.p);
			memset(&b, 0, sizeof(b));
		} else if (line[0] == '#' && !b.pattern[0]) {
			snprintf(b.note, sizeof(b.note), "%.500s", line + 2);
		} else if (!b.pattern[0] && !b.p) {
			snprintf(b.pattern, sizeof(b.pattern), "%.4000s", line);
			compile_block(&b);
		} else if (line[0] == '+' || line[0] == '-') {
			matches(&b, line[1] ? line + 2 : "", line[0] == '+');
		} else if (line[0] == '=') {
			extracts(&b, line + 2);
		} else if (line[0] == '!') {
			refused(&b, line + 2);
		}
	}
	cw_pattern_free(b.p);
	fclose(fp);
	return 0;
}

static struct cw_pattern *compile(const char *s)
{
	struct cw_err err;

	return cw_pattern_compile(s, strlen(s), NULL, &err);
}

static void test_bytes(void)
{
	struct cw_pattern *p = compile("ERROR");
	static const char nul[] = "a\0b ERROR\0";
	static const char bad[] = "\xff\xfe ERROR \xc3";

	ok(cw_pattern_match(p, nul, sizeof(nul) - 1),
		"NUL bytes are ordinary bytes");
	ok(cw_pattern_match(p, bad, sizeof(bad) - 1),
		"invalid UTF-8 is ordinary bytes");
	ok(!cw_pattern_match(p, nul, 4), "the length bounds the line");
	cw_pattern_free(p);
	p = compile("\"a\\\"b\"");
	ok(cw_pattern_match(p, "xa\"by", 5), "\\\" in a phrase is a quote");
	cw_pattern_free(p);
	p = cw_pattern_compile("[a = x\0y]", 9, NULL, NULL);
	ok(p && cw_pattern_match(p, "x\0y", 3) && !cw_pattern_match(p, "x", 1),
		"a NUL byte in a pattern value");
	cw_pattern_free(p);
	p = compile("%^a.b$%");
	ok(p && !cw_pattern_match(p, "a\nb", 3) && cw_pattern_match(p, "a b", 3),
		"choice: '.' does not match a newline in a multi-line event");
	ok(p && !cw_pattern_match(p, "a b\n", 4),
		"choice: '$' matches only at the very end");
	cw_pattern_free(p);
	p = compile("%b\\x00c%");
	ok(p && cw_pattern_match(p, "ab\0cd", 5), "regex \\x00 finds a NUL");
	cw_pattern_free(p);
}

static void test_limits(void)
{
	char src[1100], deep[200];
	struct cw_err err;
	struct cw_pattern *p;
	int col, k;

	memset(src, 'a', sizeof(src));
	p = cw_pattern_compile(src, 1024, &col, &err);
	ok(p != NULL, "1024 characters are accepted");
	cw_pattern_free(p);
	p = cw_pattern_compile(src, 1025, &col, &err);
	ok(!p && col == 1025 && strstr(err.msg, "less than or equal to 1024"),
		"1025 characters are refused");
	for (k = 0; k < 1024; k += 2)
		memcpy(src + k, "\xc3\xa9", 2);
	p = cw_pattern_compile(src, 1024, &col, &err);
	ok(p != NULL, "the limit counts characters, not bytes");
	cw_pattern_free(p);
	k = snprintf(deep, sizeof(deep), "{ ");
	for (col = 0; col < 33; col++)
		deep[k++] = '(';
	k += snprintf(deep + k, sizeof(deep) - k, "$.a = 1 ");
	for (col = 0; col < 33; col++)
		deep[k++] = ')';
	snprintf(deep + k, sizeof(deep) - k, " }");
	p = cw_pattern_compile(deep, strlen(deep), &col, &err);
	ok(!p && col == 35 && strstr(err.msg, "deeper than 32"),
		"parentheses nest at most 32 deep");
	cw_pattern_free(p);
}

/* A 300 KB line (past CloudWatch's 256 KB event) and a deep JSON line. */
static void test_long(void)
{
	size_t n = 300 * 1024, k;
	char *line = malloc(n + 64);
	struct cw_pattern *p;

	memset(line, 'x', n);
	memcpy(line + n - 5, "ERROR", 5);
	p = compile("ERROR");
	ok(cw_pattern_match(p, line, n), "a term at the end of 300 KB");
	cw_pattern_free(p);
	for (k = 0; k < 100000; k++)
		line[k] = '[';
	memcpy(line, "{\"a\":", 5);
	p = compile("{ $.b = 1 }");
	ok(!cw_pattern_match(p, line, 100000), "deep JSON, no crash");
	cw_pattern_free(p);
	p = compile("{ $.a[*] = 1 }");
	ok(!cw_pattern_match(p, line, 100000), "wildcard into deep JSON");
	cw_pattern_free(p);
	free(line);
}

static void test_find(void)
{
	static const char buf[] = "one ERROR\r\ntwo\nthree ERROR\nfour";
	struct cw_pattern *p = compile("ERROR");
	const char *hit;
	size_t n;

	hit = find_(p, buf, sizeof(buf) - 1, &n);
	ok(hit == buf && n == 10, "find keeps the \\r for printing");
	is_int((long long)count_(p, buf, sizeof(buf) - 1), 2,
		"count");
	cw_pattern_free(p);
	p = compile("");
	is_int((long long)count_(p, buf, sizeof(buf) - 1), 4,
		"count of everything counts the unterminated last line");
	is_int((long long)count_(p, "", 0), 0, "empty input");
	cw_pattern_free(p);
	p = compile("%ERROR$%");
	is_int((long long)count_(p, buf, sizeof(buf) - 1), 2,
		"regex $ before \\r\\n and before \\n");
	cw_pattern_free(p);
	p = compile("{ $.msg = \"caf\xc3\xa9\" }");
	ok(cw_pattern_match(p, "{\"msg\":\"caf\\u00e9\"}", 19),
		"\\u escapes decode to UTF-8");
	hit = find_(p, "{\"msg\":\"caf\\u00e9\"}\n", 20, &n);
	ok(hit != NULL, "the literal prefilter sees through \\u escapes");
	cw_pattern_free(p);
}

/* The search takes 64 bytes a turn, then the rest: a word is found
 * wherever it lies, at either edge of a turn and in the rest, alone or
 * with another after it, and nowhere once it is gone. */
static void test_search_edges(void)
{
	static char buf[300];
	struct cw_pattern *p = compile("ERROR");
	const char *hit;
	size_t len, at, n;
	int bad = 0;

	for (len = 5; len < sizeof(buf) && !bad; len++) {
		for (at = 0; at + 5 <= len && !bad; at++) {
			memset(buf, 'E', len);
			memcpy(buf + at, "ERROR", 5);
			if (at + 10 <= len)
				memcpy(buf + at + 5, "ERROR", 5);
			hit = find_(p, buf, len, &n);
			memset(buf, 'R', len);
			bad = !hit || n != len || hit != buf ||
				find_(p, buf, len, &n) != NULL;
		}
	}
	ok(!bad, "search: a word at every place of buffers up to %zu "
		"bytes", sizeof(buf) - 1);
	cw_pattern_free(p);
}

/* Tuned on a sample, the search compares other bytes first; it still
 * finds a literal at every place, and only there. */
static void test_tune(void)
{
	static const char *const pats[] = {
		"ERROR", "{ $.level = \"error\" }",
		"\"Connection refused by upstream\""
	};
	static const char *const words[] = {
		"ERROR", "{\"level\":\"error\"}",
		"Connection refused by upstream"
	};
	static char buf[300], sample[4096];
	struct cw_pattern *p;
	const char *hit;
	size_t len, at, n, wl, k;
	int bad = 0;

	/* Every pair but the last bytes is common in the sample. */
	for (k = 0; k + 8 < sizeof(sample); k += 8)
		memcpy(sample + k, "ERRORerr", 8);
	memcpy(sample, "Connection refused by nobody   ", 31);
	for (k = 0; k < 3 && !bad; k++) {
		p = compile(pats[k]);
		cw_pattern_tune(p, sample, sizeof(sample));
		wl = strlen(words[k]);
		for (len = wl; len < sizeof(buf) && !bad; len++) {
			for (at = 0; at + wl <= len && !bad; at++) {
				memset(buf, ' ', len);
				memcpy(buf + at, words[k], wl);
				hit = find_(p, buf, len, &n);
				bad = !hit || hit != buf || n != len ||
					count_(p, buf, len) != 1;
				buf[at + wl - 1] = ' ';
				bad = bad || find_(p, buf, len, &n) != NULL;
			}
		}
		cw_pattern_free(p);
	}
	ok(!bad, "tuned search: a literal at every place, none once cut");
	p = compile("ERROR");
	cw_pattern_tune(p, "", 0);
	is_int((long long)count_(p, "x ERROR\ny\n", 10), 1,
		"tuned on nothing: the search is unchanged");
	cw_pattern_free(p);
}

/*
 * A top-level key found by a text search, at every distance from the
 * line's start (the depth scan takes 64 bytes a turn and stops inside
 * the last one), behind a decoy of the same key in a string or a nested
 * object; and lines with and without backslashes in one buffer, each
 * decided as it would be alone.
 */
static void test_json_scan(void)
{
	static const char *const decoys[] = {
		"\"x\":\"\\\"k\\\":1 {\",", "\"x\":{\"k\":1,\"y\":[\"]\"]},",
		"\"x\":\"k\",", "", "\"x\":\"\\u0041\","
	};
	static char line[400], buf[4096];
	struct cw_pattern *p = compile("{ $.k = 1 }");
	size_t pad, d, n, len, want;
	int bad = 0, m;

	for (d = 0; d < 5 && !bad; d++) {
		for (pad = 0; pad < 140 && !bad; pad++) {
			n = (size_t)snprintf(line, sizeof(line), "{\"p\":\"%*s\","
				"%s\"k\":%d}", (int)pad, "", decoys[d],
				(int)(pad & 1));
			m = cw_pattern_match(p, line, n);
			bad = m != (int)(pad & 1);
			/* the same line among others: a plain one before, one
			 * with a backslash after */
			len = (size_t)snprintf(buf, sizeof(buf), "{\"k\":1}\n%s\n"
				"{\"k\":\"\\u0031\"}\n{\"k\":1}", line);
			want = 2 + (size_t)m;
			bad = bad || count_(p, buf, len) != want;
		}
	}
	ok(!bad, "JSON key found by search: every offset, decoys, "
		"backslashes in other lines");
	cw_pattern_free(p);
	p = compile("{ $.k = \"a\" || $.n > 5 }");
	len = (size_t)snprintf(buf, sizeof(buf), "{\"k\":\"a\\\"\",\"n\":1}\n"
		"{\"\\u006b\":\"a\"}\n{\"k\":\"b\",\"n\":6}\n"
		"{\"k\":\"b\",\"x\":{\"n\":9}}\n");
	is_int((long long)count_(p, buf, len), 2, "||: an escaped key "
		"counts, a nested one does not");
	cw_pattern_free(p);
}

/*
 * A JSON literal and the \u escape that may spell it are searched for
 * together, 64 bytes a turn: a line is decided wherever its backslash
 * or its literal stands from a turn's edge, before another line holding
 * the literal, at the buffer's very end, and after a line with another
 * backslash.
 */
static void test_escape_edges(void)
{
	static const char *const lines[] = {
		"{\"level\":\"\\u0065rror\",\"latencyMs\":600}",
		"{\"latencyMs\":600,\"level\":\"err\\u006fr\"}",
		"{\"\\u006cevel\":\"error\",\"latencyMs\":501}",
		"{\"level\":\"\\u0065rror\",\"latencyMs\":6}",
		"{\"m\":\"\\\"\",\"level\":\"error\",\"latencyMs\":600}",
	};
	static char buf[1024];
	struct cw_pattern *p = compile("{ $.level = \"error\" && "
		"$.latencyMs > 500 }");
	size_t k, pad, len;
	int bad = 0, want;

	for (k = 0; k < sizeof(lines) / sizeof(lines[0]) && !bad; k++) {
		want = k != 3;
		bad = cw_pattern_match(p, lines[k], strlen(lines[k])) != want;
		for (pad = 0; pad < 140 && !bad; pad++) {
			len = (size_t)snprintf(buf, sizeof(buf), "{\"p\":\"%*s\"}\n"
				"%s\n{\"level\":\"error\",\"latencyMs\":1}\n",
				(int)pad, "", lines[k]);
			bad = count_(p, buf, len) != (size_t)want;
			len = (size_t)snprintf(buf, sizeof(buf), "{\"m\":\"\\\\\"}"
				"\n{\"p\":\"%*s\"}\n%s", (int)pad, "", lines[k]);
			bad = bad || count_(p, buf, len) != (size_t)want;
		}
	}
	ok(!bad, "JSON literal or its escape: every offset from a turn");
	cw_pattern_free(p);
}

/* tmpl with its '@' replaced by s, into out; the length. */
static size_t fill(char *out, const char *tmpl, const char *s)
{
	const char *at = strchr(tmpl, '@');
	size_t n = (size_t)(at - tmpl), k = strlen(s), r = strlen(at + 1);

	memcpy(out, tmpl, n);
	memcpy(out + n, s, k);
	memcpy(out + n + k, at + 1, r + 1);
	return n + k + r;
}

/* A line that matches nothing, after the ones a test is about, so that
 * these fall within the turns of the field search, not after them. */
static size_t pad(char *out)
{
	memset(out, 'z', 140);
	out[0] = '\n';
	out[140] = '\0';
	return 140;
}

/* A field's start is searched for 64 places a turn (AVX-512 where the
 * machine has it, AVX2 else, as under valgrind), then the rest: a
 * status found after every byte that may stand before a field's value,
 * at every place of the buffer, and not after a byte that may not. */
static void test_field_edges(void)
{
	static const char *const yes[] = {
		"@ 5y", "@\t5y", "@\v5y", "@\f5y", "@\r5y", "@ \"5y\"",
		"@ [5y]", "\"@\"5y", "[@]5y", "5@ 5"
	};
	static const char *const no[] = { "@ x5y", "@.5y", "@-5 y" };
	static char buf[400], first[200];
	struct cw_pattern *p = compile("[a, b = 5*]");
	size_t len, k, w, lines;
	int bad = 0;

	for (w = 1; w < 140 && !bad; w++) {
		memset(first, 'a', w);
		first[w] = '\0';
		for (k = 0; k < 13 && !bad; k++) {
			for (lines = 0; lines < 3 && !bad; lines++) {
				len = (size_t)snprintf(buf, sizeof(buf),
					"%.*s", (int)(4 * lines), "z z\nz z\n");
				len += fill(buf + len, k < 10 ? yes[k] : no[k - 10],
					first);
				bad = cw_pattern_match(p, buf + 4 * lines,
					len - 4 * lines) != (k < 10);
				len += pad(buf + len);
				bad |= count_(p, buf, len) != (k < 10);
			}
		}
	}
	ok(!bad, "field search: a value's start after each byte that may "
		"stand before it, at every place");
	is_int((long long)count_(p, "x 1\n5 2\nx 5\n", 12), 1,
		"field search: the first field of a line after the first");
	cw_pattern_free(p);
}

/* Lines one by one, as a reference for the buffer search. */
static size_t count_lines_(const struct cw_pattern *p, const char *buf,
	size_t len)
{
	const char *s = buf, *e = buf + len, *nl;
	size_t c = 0;

	while (s < e) {
		nl = memchr(s, '\n', (size_t)(e - s));
		if (!nl)
			nl = e;
		c += cw_pattern_match(p, s, (size_t)(nl - s)) > 0;
		s = nl + 1;
	}
	return c;
}

/* Every byte before the prefix, at every place of two turns of the
 * field search, for a one-byte prefix and a longer one: the search
 * finds what the lines alone match. */
static void test_field_bytes(void)
{
	static const char *const pats[] = { "[a, b = 5*]", "[a, b = 5x*, c]" };
	static char buf[450];
	struct cw_pattern *p;
	size_t len, w, k;
	int c, bad = 0;

	for (k = 0; k < 2; k++) {
		p = compile(pats[k]);
		for (c = 1; c < 256 && !bad; c++)
			for (w = 0; w < 140 && !bad; w++) {
				memset(buf, 'a', w);
				buf[w] = (char)c;
				len = w + 1 + (size_t)snprintf(buf + w + 1,
					sizeof(buf) - w - 1, "5xy z\nq 5 5x\n");
				len += pad(buf + len);
				bad = count_(p, buf, len) !=
					count_lines_(p, buf, len);
			}
		ok(!bad, "field search: %s after every byte at every place "
			"finds what lines alone match", pats[k]);
		cw_pattern_free(p);
	}
}

static void test_explain(void)
{
	struct cw_pattern *p;
	struct cw_buf out = CW_BUF_INIT;

	p = compile("{ $.a = 1 && ($.b = \"x*\" || $.c IS NULL) && $.d = %y% }");
	cw_pattern_explain(p, &out);
	is_str(cw_buf_str(&out), "json\n"
		"  and\n"
		"    $.a = 1 (number)\n"
		"    or\n"
		"      $.b = \"x*\" (string, wildcard)\n"
		"      $.c IS NULL\n"
		"    $.d = %y% (regex)\n", "explain json");
	cw_pattern_free(p);
	cw_buf_reset(&out);
	p = compile("[ip, ..., status = 5* || status = 429, bytes > 1000]");
	cw_pattern_explain(p, &out);
	is_str(cw_buf_str(&out), "space-delimited\n"
		"  field ip\n"
		"  ...\n"
		"  field status\n"
		"    or\n"
		"      status = 5* (string, wildcard)\n"
		"      status = 429 (number)\n"
		"  field bytes\n"
		"    bytes > 1000 (number)\n", "explain space-delimited");
	cw_pattern_free(p);
	cw_buf_reset(&out);
	p = compile("ERROR -DEBUG \"a b\"");
	cw_pattern_explain(p, &out);
	is_str(cw_buf_str(&out), "terms\n  must \"ERROR\"\n  not \"DEBUG\"\n"
		"  must \"a b\"\n", "explain terms");
	cw_pattern_free(p);
	cw_buf_release(&out);
}

static int no_field(void *arg, const char *name, const char *v, size_t n,
	int json)
{
	(void)arg; (void)name; (void)v; (void)n; (void)json;
	return 0;
}

/* A regex that reaches the match limit decides nothing: -1, never 0. */
static void test_undecided(void)
{
	static char line[4000], buf[8000];
	struct cw_pattern *p = compile("%a*a*a*a*a*b%");
	const char *hit, *bad;
	size_t n, len;
	int failed;

	memset(line, 'a', 3000);
	memcpy(line + 3000, "cb", 3);
	is_int(cw_pattern_match(p, line, 3002), -1, "regex: match limit is -1");
	is_int(cw_pattern_match(p, "xb", 2), 1, "regex: a short line decides");
	len = (size_t)snprintf(buf, sizeof(buf), "xx\n%s\nb\n", line);
	hit = cw_pattern_find(p, buf, len, &n, &failed);
	ok(hit == buf + 3 && n == 3002 && failed, "find returns the undecided "
		"line, flagged");
	hit = cw_pattern_find(p, hit + n + 1, len - 3006, &n, &failed);
	ok(hit && *hit == 'b' && n == 1 && !failed, "and the next line after it");
	is_int((long long)cw_pattern_count(p, buf, len, &bad), 0,
		"count stops at the undecided line");
	ok(bad == buf + 3, "count says where");
	is_int(cw_pattern_extract(p, line, 3002, no_field, NULL), -1,
		"extract: -1");
	cw_pattern_free(p);

	len = (size_t)snprintf(buf, sizeof(buf), "{\"a\":\"%s\",\"n\":1}",
		line);
	p = compile("{ $.a = %a*a*a*a*a*b% }");
	is_int(cw_pattern_match(p, buf, len), -1, "JSON: -1");
	cw_pattern_free(p);
	p = compile("{ $.a = %a*a*a*a*a*b% || $.n = 1 }");
	is_int(cw_pattern_match(p, buf, len), 1, "JSON: || decided by the other side");
	cw_pattern_free(p);
	p = compile("{ $.a = %a*a*a*a*a*b% && $.n = 2 }");
	is_int(cw_pattern_match(p, buf, len), 0, "JSON: && decided by the other side");
	cw_pattern_free(p);
	p = compile("{ $.a != %a*a*a*a*a*b% }");
	is_int(cw_pattern_match(p, buf, len), -1, "JSON: != of -1 is -1");
	cw_pattern_free(p);
	p = compile("{ $.* = %a*a*a*a*a*b% }");
	is_int(cw_pattern_match(p, buf, len), -1, "JSON wildcard: -1");
	cw_pattern_free(p);
	p = compile("{ $.a NOT EXISTS }");
	is_int(cw_pattern_match(p, buf, len - 1), 0,
		"JSON: an unclosed object never matches");
	cw_pattern_free(p);

	len = (size_t)snprintf(buf, sizeof(buf), "%s 1", line);
	p = compile("[w = %a*a*a*a*a*b%, n]");
	is_int(cw_pattern_match(p, buf, len), -1, "space-delimited: -1");
	cw_pattern_free(p);
	p = compile("[w = %a*a*a*a*a*b%, n = 2]");
	is_int(cw_pattern_match(p, buf, len), 0, "space-delimited: another "
		"field decides");
	cw_pattern_free(p);
}

int main(int argc, char **argv)
{
	const char *cases = argc > 1 ? argv[1] : "tests/unit/pattern-cases.txt";

	if (run_file(cases) < 0)
		return 1;
	test_bytes();
	test_limits();
	test_long();
	test_find();
	test_search_edges();
	test_tune();
	test_json_scan();
	test_escape_edges();
	test_field_edges();
	test_field_bytes();
	test_explain();
	test_undecided();
	return tap_done();
}
