#ifndef CW_JSON_H
#define CW_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/*
 * Strict JSON (RFC 8259) over raw text, for untrusted lines and answers
 * whose exact bytes matter: string lengths are carried, so U+0000 in a
 * string is an ordinary character. No tree is built.
 */

/* Containers nested deeper than this are refused as not JSON. */
#define CW_JSON_MAX_DEPTH 1024

/* s past JSON's blanks (space, tab, CR, LF), at most e. */
const char *cw_json_ws(const char *s, const char *e);
/* The end of the one JSON value at s (leading blanks skipped), or NULL
 * when s..e does not start with a well-formed value. */
const char *cw_json_skip(const char *s, const char *e);
/* 1 when s[0..n) is exactly one JSON value, blanks around it allowed. */
int cw_json_valid(const char *s, size_t n);
/* The value of member key (keylen bytes, compared unescaped) of the
 * well-formed object at obj, or NULL; the first of duplicate keys wins. */
const char *cw_json_member(const char *obj, const char *e, const char *key,
	size_t keylen);
/*
 * Walks an object's members or an array's elements without a tree.
 * Begin on the '{' or '[' (blanks before it allowed): -1 when there is
 * none. Each next gives one item in m (key NULL in an array) and returns
 * 1, 0 at the closing bracket (it->s is then just past it), -1 when
 * malformed. The value is checked whole and m->vend set, unless enter is
 * set: then m->vend is NULL, and the caller walks the value itself and
 * sets it->s to its end before the next call.
 */
struct cw_json_iter {
	const char *s, *e;
	int obj, first;
};

struct cw_json_item {
	const char *key;	/* the raw text between the quotes */
	size_t keylen;
	const char *v, *vend;
	int esc;		/* v is a string with an escape (not entered) */
};

int cw_json_iter_begin(struct cw_json_iter *it, const char *s,
	const char *e);
int cw_json_iter_next(struct cw_json_iter *it, struct cw_json_item *m,
	int enter);
/* The next member, when it is written exactly as "k": followed by a
 * scalar, with no blanks between: 1 with m filled as cw_json_iter_next
 * fills it, else 0 with it and m as they were. A fast path for objects whose
 * writer is known; cw_json_iter_next reads whatever else comes. */
int cw_json_iter_key(struct cw_json_iter *it, struct cw_json_item *m,
	const char *k, size_t klen);
/* 1 when m's key, unescaped, is k (klen bytes); CW_JSON_KEY_IS takes a
 * string literal. */
int cw_json_key_escaped(const struct cw_json_item *m, const char *k,
	size_t klen);
static inline int cw_json_key_is(const struct cw_json_item *m,
	const char *k, size_t klen)
{
	/* inline: called per member of large pages, most often with a
	 * literal, so the comparison compiles to a few loads */
	if (m->keylen == klen)
		return memcmp(m->key, k, klen) == 0;
	return m->keylen > klen && cw_json_key_escaped(m, k, klen);
}
#define CW_JSON_KEY_IS(m, lit) cw_json_key_is((m), lit, sizeof(lit) - 1)

/* Decodes the body s[0..n) of a string (no quotes) into o, which has
 * room for n bytes: the UTF-8 of an escape is never longer than the
 * escape. Lone surrogates become U+FFFD. Returns the decoded length. */
size_t cw_json_unescape(const char *s, size_t n, char *o);
/* Appends the decoded string at tok (on its opening quote, well-formed)
 * to b, NUL-terminated, and sets *len to its length. 0 or -1. */
int cw_json_string(struct cw_buf *b, const char *tok, const char *e,
	size_t *len);
/* The same for the whole string token tok..end, already checked (the
 * value of a cw_json_item): no second scan for its end. */
int cw_json_string_token(struct cw_buf *b, const char *tok,
	const char *end, size_t *len);
/* Appends the well-formed value v[0..n) re-encoded: blanks dropped,
 * strings decoded and written again as valid UTF-8 (invalid bytes and
 * lone surrogates become U+FFFD), numbers and literals as they are. */
int cw_json_normalize(struct cw_buf *b, const char *v, size_t n);

/* Appends s as a JSON string literal (quotes included); invalid UTF-8
 * bytes become U+FFFD so the output always parses. */
int cw_json_quote(struct cw_buf *b, const char *s, size_t len);

/* The length of the valid UTF-8 sequence at s[0..n) and its code point
 * in *cp; 0 when the bytes there are not one (overlong, surrogate,
 * truncated). */
size_t cw_json_utf8(const char *s, size_t n, uint32_t *cp);

#endif
