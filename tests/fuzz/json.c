/*
 * libFuzzer target: lib/json over any bytes, as cw-filter --events reads
 * cw-tail -o json lines and as -o json writes values.
 *
 * Checked: the validator never reads out of bounds; what it accepts
 * normalizes to text it accepts again, as valid UTF-8, which is a
 * fixed point from the second pass on (the first may turn an invalid
 * byte into the escape \ufffd, which then becomes U+FFFD itself); the "message" of an accepted object decodes to no more
 * bytes than its escaped form; any bytes quoted by cw_json_quote()
 * are a valid JSON string of valid UTF-8; walking a container with the
 * iterator, entering every nested one, succeeds exactly when the
 * validator accepts it, and ends where the validator's skip ends; the
 * iterator's fast path by key agrees with it member by member; lib/jsonpos
 * accepts only what the validator accepts, refuses what it accepts only
 * for its own limits, and decodes every string member as lib/json does.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonpos.h"
#include "out.h"
#include "banned.h"

/* What jsonpos may refuse that the validator accepts: its own limits. */
static int jsonpos_limit(const char *msg)
{
	static const char *const why[] = {
		"nested too deeply", "duplicate member name", "too many members",
		"number too long", "\\u0000 is not allowed",
	};
	size_t k;

	for (k = 0; k < sizeof(why) / sizeof(*why); k++)
		if (strstr(msg, why[k]))
			return 1;
	return 0;
}

static void jsonpos_agrees(const char *s, size_t n)
{
	struct cw_jsonpos pos = { 0 };
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err err;
	const cJSON *m;
	const char *v;
	size_t len;
	cJSON *root;

	if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		return;		/* jsonpos skips a byte-order mark */
	cw_err_clear(&err);
	root = cw_jsonpos_parse(&pos, "f", s, n, &err);
	if (!root && cw_json_valid(s, n) && !jsonpos_limit(err.msg))
		abort();
	if (root && !cw_json_valid(s, n))
		abort();
	for (m = cJSON_IsObject(root) ? root->child : NULL; m; m = m->next) {
		if (!cJSON_IsString(m))
			continue;
		v = cw_json_member(s, s + n, m->string, strlen(m->string));
		cw_buf_reset(&b);
		if (!v || cw_json_string(&b, v, s + n, &len) < 0 ||
		    len != strlen(m->valuestring) ||
		    memcmp(b.p, m->valuestring, len) != 0)
			abort();
	}
	cJSON_Delete(root);
	cw_jsonpos_release(&pos);
	cw_buf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0)
			len = 2, cp = s[i] & 0x1f;
		else if ((s[i] & 0xf0) == 0xe0)
			len = 3, cp = s[i] & 0x0f;
		else if ((s[i] & 0xf8) == 0xf0)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static void normalize(struct cw_buf *out, const char *s, size_t n)
{
	if (cw_json_normalize(out, s, n) < 0 ||
	    !cw_json_valid(out->p, out->len) ||
	    !utf8_ok((const unsigned char *)out->p, out->len))
		abort();
}

static void round_trip(const char *s, size_t n)
{
	struct cw_buf a = CW_BUF_INIT, b = CW_BUF_INIT, c = CW_BUF_INIT;

	normalize(&a, s, n);
	normalize(&b, a.p, a.len);
	normalize(&c, b.p, b.len);
	if (b.len != c.len || memcmp(b.p, c.p, b.len) != 0)
		abort();
	cw_buf_release(&a);
	cw_buf_release(&b);
	cw_buf_release(&c);
}

static void message(const char *s, size_t n)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *m = cw_json_member(s, s + n, "message", 7);
	size_t len;

	if (m && *m == '"') {
		if (cw_json_string(&b, m, s + n, &len) < 0 ||
		    len > (size_t)(s + n - m))
			abort();
	}
	cw_buf_release(&b);
}

/* A string read without entering it is marked as escaped exactly when
 * it holds a backslash. The fast path by key reads a member the same
 * way, or not at all; never one that the general path refuses. */
static void check_member(struct cw_json_iter it)
{
	struct cw_json_iter k = it;
	struct cw_json_item m, km;
	int rc = cw_json_iter_next(&it, &m, 0);

	if (rc == 1 && *m.v == '"' &&
	    (m.esc != 0) != (memchr(m.v, '\\', (size_t)(m.vend - m.v)) != NULL))
		abort();
	if (rc != 1 || !m.key) {
		if (cw_json_iter_key(&k, &km, "message", 7) != 0)
			abort();
		return;
	}
	if (cw_json_iter_key(&k, &km, m.key, m.keylen) == 1 &&
	    (km.v != m.v || km.vend != m.vend || km.esc != m.esc ||
	     km.key != m.key || k.s != it.s || k.first))
		abort();
}

/* Walks the container at s; its end, or NULL when malformed. */
static const char *walk(const char *s, const char *e, int depth)
{
	struct cw_json_iter it;
	struct cw_json_item m;
	int rc;

	if (cw_json_iter_begin(&it, s, e) < 0)
		return cw_json_skip(s, e);
	if (depth >= CW_JSON_MAX_DEPTH)
		return NULL;	/* as deep as the validator goes */
	for (check_member(it); (rc = cw_json_iter_next(&it, &m, 1)) == 1;
	    check_member(it)) {
		if ((it.obj != 0) != (m.key != NULL))
			abort();
		it.s = walk(m.v, e, depth + 1);
		if (!it.s)
			return NULL;
	}
	return rc == 0 ? it.s : NULL;
}

static void iterate(const char *s, size_t n)
{
	const char *e = s + n, *end = walk(s, e, 0);
	int ok = end && cw_json_ws(end, e) == e;

	if (ok != cw_json_valid(s, n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	struct cw_buf q = CW_BUF_INIT;

	if (!s)
		abort();
	memcpy(s, data, size);
	if (cw_json_valid(s, size)) {
		round_trip(s, size);
		message(s, size);
	}
	iterate(s, size);
	jsonpos_agrees(s, size);
	if (cw_json_quote(&q, s, size) < 0 ||
	    !cw_json_valid(q.p, q.len) ||
	    !utf8_ok((const unsigned char *)q.p, q.len))
		abort();
	cw_buf_release(&q);
	free(s);
	return 0;
}
