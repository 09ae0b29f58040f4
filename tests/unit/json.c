/* lib/json: the strict validator, member look-up, decoding with lengths
 * and re-encoding for strict readers; and the one rule for escapes,
 * which lib/jsonpos and JSON patterns read through it. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonpos.h"
#include "pattern.h"
#include "tap.h"
#include "banned.h"

static int valid(const char *s)
{
	return cw_json_valid(s, strlen(s));
}

static const char *norm(const char *s)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	if (cw_json_normalize(&b, s, strlen(s)) < 0)
		return "(failed)";
	return cw_buf_str(&b);
}

static void test_valid(void)
{
	static const char *const good[] = {
		"{}", " [ ] ", "0", "-0", "1.5e+10", "-0.0E-0", "\"\"",
		"true", "false", "null", "{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\"}",
		"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\ud800\"", "\t\r\n{ \"a\" : 1 }\n",
		"\"\xff raw bytes\"",
	};
	static const char *const bad[] = {
		"", " ", "{", "}", "{\"a\":1}}", "{\"a\":tru}", "01", ".5", "5.",
		"+1", "-", "1e", "1e+", "\"a", "\"\\x\"", "\"\\u12\"",
		"\"a\tb\"", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "{'a':1}",
		"NaN", "Infinity", "nul", "truex", "[1 2]", "{\"a\":1 \"b\":2}",
		"{}{}", "[", "[[[]]", "\"\\", "{\"a\"::1}",
	};
	char deep[2 * CW_JSON_MAX_DEPTH + 4];
	size_t k;

	for (k = 0; k < sizeof(good) / sizeof(*good); k++)
		ok(valid(good[k]), "valid: good[%zu]", k);
	for (k = 0; k < sizeof(bad) / sizeof(*bad); k++)
		ok(!valid(bad[k]), "not JSON: bad[%zu]", k);
	memset(deep, '[', CW_JSON_MAX_DEPTH);
	memset(deep + CW_JSON_MAX_DEPTH, ']', CW_JSON_MAX_DEPTH);
	ok(cw_json_valid(deep, 2 * CW_JSON_MAX_DEPTH), "nesting at the limit");
	memset(deep, '[', CW_JSON_MAX_DEPTH + 1);
	memset(deep + CW_JSON_MAX_DEPTH + 1, ']', CW_JSON_MAX_DEPTH + 1);
	ok(!cw_json_valid(deep, 2 * CW_JSON_MAX_DEPTH + 2),
		"nesting past the limit is refused");
	ok(!cw_json_valid("{\"a\":1}", 6), "the length bounds the text");
}

static void test_member(void)
{
	static const char obj[] = "{\"x\":{\"message\":1},\"m\\u0065ssage\":"
		"\"a\\u0000b\",\"message\":\"second\"}";
	static const char arr[] = "[1]";
	struct cw_buf b = CW_BUF_INIT;
	const char *v = cw_json_member(obj, obj + sizeof(obj) - 1,
		"message", 7);
	size_t len = 0;

	ok(v && *v == '"', "member: found at the top level, escaped key");
	ok(v && cw_json_string(&b, v, obj + sizeof(obj) - 1, &len) == 0 &&
		len == 3 && memcmp(b.p, "a\0b", 3) == 0,
		"string: decoded with its U+0000 and its length");
	ok(!cw_json_member(obj, obj + sizeof(obj) - 1, "y", 1), "no such member");
	ok(!cw_json_member(arr, arr + 3, "a", 1), "not an object");
	cw_buf_release(&b);
}

static void test_normalize(void)
{
	is_str(norm(" { \"a\" : [ 1 , -2.5e3 ] } "), "{\"a\":[1,-2.5e3]}",
		"normalize drops blanks");
	is_str(norm("\"\\ud800x\""), "\"\xef\xbf\xbdx\"", "a lone surrogate "
		"becomes U+FFFD");
	is_str(norm("\"\\ud83d\\ude00\""), "\"\xf0\x9f\x98\x80\"",
		"a pair becomes its character");
	is_str(norm("\"a\xff\""), "\"a\\ufffd\"", "an invalid byte becomes "
		"U+FFFD");
	is_str(norm("\"\\u0000\\/\""), "\"\\u0000/\"", "U+0000 stays escaped");
	is_str(norm("{\"k\\u001b\":true}"), "{\"k\\u001b\":true}",
		"keys are re-encoded too");
}

/* The iterator walks members and elements, and tells a string with an
 * escape from one it can be read in place. */
static void test_iter(void)
{
	static const char doc[] = "{\"a\":\"plain\",\"b\":\"x\\ny\","
		"\"\\u0063\":[1,{\"d\":null}],\"e\":-2.5e3}";
	static const char bad[] = "{\"a\":\"x\\q\"}";
	struct cw_json_iter it;
	struct cw_json_item m;
	struct cw_buf seen = CW_BUF_INIT;
	int rc;

	ok(cw_json_iter_begin(&it, doc, doc + sizeof(doc) - 1) == 0 && it.obj,
		"an object begins");
	while ((rc = cw_json_iter_next(&it, &m, 0)) == 1)
		cw_buf_addf(&seen, "%.*s=%.*s%s;", (int)m.keylen, m.key,
			(int)(m.vend - m.v), m.v, m.esc ? "(esc)" : "");
	is_int(rc, 0, "the object ends");
	is_str(cw_buf_str(&seen), "a=\"plain\";b=\"x\\ny\"(esc);"
		"\\u0063=[1,{\"d\":null}];e=-2.5e3;",
		"each member whole; escapes marked on strings only");
	ok(cw_json_iter_begin(&it, bad, bad + sizeof(bad) - 1) == 0 &&
		cw_json_iter_next(&it, &m, 0) < 0, "a bad escape is refused");
	cw_buf_release(&seen);
}

static void test_iter_key(void)
{
	static const char doc[] = "{\"a\":\"x\\\"y\",\"bb\":12,"
		"\"c\":{\"d\":1}, \"e\":true,\"a_key_of_17_bytes\":0}";
	static const char bad[] = "{\"abcd\":\"x\\q\"}", arr[] = "[1]";
	struct cw_json_iter it, was;
	struct cw_json_item m;

	cw_json_iter_begin(&it, doc, doc + sizeof(doc) - 1);
	was = it;
	ok(!cw_json_iter_key(&it, &m, "b", 1) && it.s == was.s && it.first,
		"another key: nothing read");
	ok(cw_json_iter_key(&it, &m, "a", 1) == 1 && m.esc &&
		m.vend - m.v == 6 && !memcmp(m.v, "\"x\\\"y\"", 6),
		"a string member, its escape marked");
	ok(cw_json_iter_key(&it, &m, "bb", 2) == 1 && !m.esc &&
		m.vend - m.v == 2 && *m.v == '1', "a number member");
	ok(!cw_json_iter_key(&it, &m, "c", 1) &&
		cw_json_iter_next(&it, &m, 0) == 1 && *m.v == '{',
		"an object is left to the general walk");
	ok(!cw_json_iter_key(&it, &m, "e", 1) &&
		cw_json_iter_next(&it, &m, 0) == 1 && *m.v == 't',
		"so is a member after a blank");
	ok(!cw_json_iter_key(&it, &m, "a_key_of_17_bytez", 17) &&
		cw_json_iter_key(&it, &m, "a_key_of_17_bytes", 17) == 1,
		"a long key compared whole");
	ok(!cw_json_iter_key(&it, &m, "a", 1) &&
		cw_json_iter_next(&it, &m, 0) == 0, "none at the end");
	cw_json_iter_begin(&it, bad, bad + sizeof(bad) - 1);
	ok(!cw_json_iter_key(&it, &m, "abce", 4) &&
		!cw_json_iter_key(&it, &m, "abcd", 4) &&
		cw_json_iter_next(&it, &m, 0) < 0,
		"a bad value: not read, and refused by the general walk");
	cw_json_iter_begin(&it, arr, arr + sizeof(arr) - 1);
	ok(!cw_json_iter_key(&it, &m, "a", 1), "no key in an array");
}

/* One member, {"key":"value"} as written, and what both decode to. */
struct rule_case {
	const char *what;
	const char *key, *value;	/* escaped, without quotes */
	const char *k, *v;		/* decoded */
	size_t vlen;
};

/* lib/json reads the member and decodes the value. */
static void rule_json(const struct rule_case *c, const struct cw_buf *doc)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *m = cw_json_member(doc->p, doc->p + doc->len, c->k,
		strlen(c->k));
	size_t len = 0;

	ok(m && cw_json_string(&b, m, doc->p + doc->len, &len) == 0 &&
		len == c->vlen && memcmp(b.p, c->v, len) == 0,
		"json: %s", c->what);
	cw_buf_release(&b);
}

/* lib/jsonpos decodes the same, or refuses U+0000, which a C string of
 * cJSON's cannot hold. */
static void rule_jsonpos(const struct rule_case *c, const struct cw_buf *doc)
{
	struct cw_jsonpos pos = { 0 };
	struct cw_err err;
	cJSON *root, *m;

	cw_err_clear(&err);
	root = cw_jsonpos_parse(&pos, "f.json", doc->p, doc->len, &err);
	if (memchr(c->v, '\0', c->vlen)) {
		ok(!root && strstr(err.msg, "\\u0000 is not allowed"),
			"jsonpos: %s: refused", c->what);
	} else {
		m = root ? root->child : NULL;
		ok(m && strcmp(m->string, c->k) == 0 && cJSON_IsString(m) &&
			strlen(m->valuestring) == c->vlen &&
			memcmp(m->valuestring, c->v, c->vlen) == 0,
			"jsonpos: %s", c->what);
	}
	cJSON_Delete(root);
	cw_jsonpos_release(&pos);
}

/* A JSON pattern naming the decoded key and value matches. */
static void rule_pattern(const struct rule_case *c, const struct cw_buf *doc)
{
	struct cw_buf src = CW_BUF_INIT;
	struct cw_pattern *p;
	struct cw_err err;

	cw_buf_addf(&src, "{ $.['%s'] = \"", c->k);
	cw_buf_add(&src, c->v, c->vlen);
	cw_buf_adds(&src, "\" }");
	p = cw_pattern_compile(src.p, src.len, NULL, &err);
	ok(p && cw_pattern_match(p, doc->p, doc->len) == 1,
		"pattern: %s", c->what);
	cw_pattern_free(p);
	cw_buf_release(&src);
}

/*
 * The rule of json.h, one case at a time, read by all three: a lone
 * surrogate is U+FFFD, a pair its character, \u0000 the byte 0 (which
 * jsonpos refuses), and an escaped key its decoded name however long.
 */
static void test_one_rule(void)
{
	static char longkey[6 * 300 + 1], longname[301];
	const struct rule_case cases[] = {
		{ "a lone high surrogate is U+FFFD", "k", "x\\ud800y",
			"k", "x\xef\xbf\xbdy", 5 },
		{ "a lone low surrogate is U+FFFD", "k", "\\udc00",
			"k", "\xef\xbf\xbd", 3 },
		{ "a high surrogate before a non-surrogate", "k",
			"\\ud800\\u0041", "k", "\xef\xbf\xbd" "A", 4 },
		{ "a high surrogate at the end", "k", "\\udbff",
			"k", "\xef\xbf\xbd", 3 },
		{ "a pair is its character", "k", "\\ud83d\\ude00",
			"k", "\xf0\x9f\x98\x80", 4 },
		{ "\\u0000 is U+0000, length kept", "k", "a\\u0000b",
			"k", "a\0b", 3 },
		{ "an escaped key", "\\u006bey", "v", "key", "v", 1 },
		{ "a lone surrogate in a key", "k\\udfff", "v",
			"k\xef\xbf\xbd", "v", 1 },
		{ "a long escaped key", longkey, "v", longname, "v", 1 },
	};
	struct cw_buf doc = CW_BUF_INIT;
	size_t k;

	for (k = 0; k < 300; k++)
		memcpy(longkey + 6 * k, "\\u0061", 6);
	memset(longname, 'a', 300);
	for (k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		cw_buf_reset(&doc);
		cw_buf_addf(&doc, "{\"%s\":\"%s\"}", cases[k].key,
			cases[k].value);
		ok(cw_json_valid(doc.p, doc.len), "valid: %s", cases[k].what);
		rule_json(&cases[k], &doc);
		rule_jsonpos(&cases[k], &doc);
		rule_pattern(&cases[k], &doc);
	}
	cw_buf_release(&doc);
}

int main(void)
{
	test_iter();
	test_iter_key();
	test_valid();
	test_member();
	test_normalize();
	test_one_rule();
	return tap_done();
}
