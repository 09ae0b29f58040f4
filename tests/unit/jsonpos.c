#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpos.h"
#include "tap.h"
#include "banned.h"

static cJSON *parse(struct cw_jsonpos *pos, const char *text,
	struct cw_err *err)
{
	cw_err_clear(err);
	return cw_jsonpos_parse(pos, "f.json", text, strlen(text), err);
}

static void where(struct cw_jsonpos *pos, const cJSON *node, int line,
	int col, const char *what)
{
	const struct cw_jsonpos_loc *l = cw_jsonpos_get(pos, node);

	if (!ok(l && l->line == line && l->col == col, "%s at %d:%d", what,
			line, col) && l)
		diag("got %d:%d", l->line, l->col);
}

static void positions(void)
{
	struct cw_jsonpos pos = { 0 };
	struct cw_err err;
	cJSON *doc = parse(&pos, "{\n  \"a\": [1, \"x\",\n\t{\"b\": true}],\n"
		"  \"s\": \"\\u00e9\\ud83d\\ude00\"\n}", &err), *a, *copy;

	ok(doc != NULL, "parses");
	a = cJSON_GetObjectItemCaseSensitive(doc, "a");
	where(&pos, doc, 1, 1, "the document");
	where(&pos, a, 2, 3, "a member: where its name is");
	where(&pos, cJSON_GetArrayItem(a, 1), 2, 12, "a list item: where it is");
	where(&pos, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(a, 2),
		"b"), 3, 3, "after a tab: columns count bytes");
	is_str(cJSON_GetObjectItemCaseSensitive(doc, "s")->valuestring,
		"\xc3\xa9\xf0\x9f\x98\x80", "\\u escapes and surrogate pairs as UTF-8");
	copy = cw_jsonpos_dup(&pos, a);
	where(&pos, cJSON_GetArrayItem(copy, 1), 2, 12, "a copy keeps positions");
	cJSON_Delete(copy);
	cJSON_Delete(doc);
	cw_jsonpos_release(&pos);
}

static void bad(const char *text, const char *want, const char *what)
{
	struct cw_jsonpos pos = { 0 };
	struct cw_err err;
	cJSON *doc = parse(&pos, text, &err);

	ok(doc == NULL, "%s: refused", what);
	is_str(err.msg, want, what);
	cJSON_Delete(doc);
	cw_jsonpos_release(&pos);
}

/* The one rule of json.h: lone surrogates are U+FFFD, as lib/json
 * decodes them (tests/unit/json.c reads the same cases through both). */
static void surrogates(void)
{
	struct cw_jsonpos pos = { 0 };
	struct cw_err err;
	cJSON *doc = parse(&pos, "[\"\\ud800x\", \"\\udc00\", \"\\ud800\\u0041\"]",
		&err);

	ok(doc != NULL, "lone surrogates are accepted");
	is_str(doc ? cJSON_GetArrayItem(doc, 0)->valuestring : NULL,
		"\xef\xbf\xbdx", "a lone high surrogate is U+FFFD");
	is_str(doc ? cJSON_GetArrayItem(doc, 1)->valuestring : NULL,
		"\xef\xbf\xbd", "a lone low surrogate is U+FFFD");
	is_str(doc ? cJSON_GetArrayItem(doc, 2)->valuestring : NULL,
		"\xef\xbf\xbd" "A", "a high surrogate before another escape");
	cJSON_Delete(doc);
	cw_jsonpos_release(&pos);
}

static void errors(void)
{
	char *deep = malloc(200);

	bad("{\"a\": 1,}", "f.json:1:9: malformed JSON: expected a member name "
		"in double quotes", "trailing comma");
	bad("{\"a\": 1, \"a\": 2}", "f.json:1:10: malformed JSON: duplicate "
		"member name", "duplicate member");
	bad("[1,\n 01]", "f.json:2:3: malformed JSON: expected ',' or ']'",
		"leading zero");
	bad("\"a\nb\"", "f.json:1:3: malformed JSON: control character in "
		"string", "raw newline in a string");
	bad("[\"a\\u0000\"]", "f.json:1:2: malformed JSON: \\u0000 is not "
		"allowed", "U+0000 refused where the string starts");
	bad("{\"\\u0000\": 1}", "f.json:1:2: malformed JSON: \\u0000 is not "
		"allowed", "U+0000 in a name");
	bad("\"a\\ub\"", "f.json:1:3: malformed JSON: bad \\u escape",
		"short \\u escape");
	bad("\"a\\qb\"", "f.json:1:3: malformed JSON: bad escape",
		"unknown escape");
	bad("[\"ab", "f.json:1:5: malformed JSON: unterminated string",
		"unterminated string");
	bad("\"\\", "f.json:1:3: malformed JSON: unterminated string",
		"a backslash at the end");
	bad("[1.]", "f.json:1:2: malformed JSON: bad number", "bad fraction");
	bad("[-x]", "f.json:1:2: malformed JSON: expected a value", "a lone minus");
	bad("[1 2]", "f.json:1:4: malformed JSON: expected ',' or ']'",
		"missing comma");
	bad("", "f.json:1:1: malformed JSON: unexpected end of input", "empty");
	bad("nul", "f.json:1:1: malformed JSON: expected a value", "bad literal");
	memset(deep, '[', 199);
	deep[199] = '\0';
	bad(deep, "f.json:1:65: malformed JSON: nested too deeply", "depth bound");
	free(deep);
}

int main(void)
{
	positions();
	surrogates();
	errors();
	return tap_done();
}
