#ifndef CW_PATTERN_H
#define CW_PATTERN_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * CloudWatch Logs filter patterns (man cw-patterns.7): compiled once into
 * a small program, matched against many event messages without allocating.
 * The same syntax serves FilterLogEvents, metric and subscription filters
 * and Live Tail; cw_pattern_compile() refuses what AWS refuses, with AWS's
 * reason.
 */
struct cw_pattern;

enum cw_pattern_kind {
	CW_PATTERN_ALL,		/* empty or " ": every event matches */
	CW_PATTERN_TERMS,	/* words and quoted phrases, ?OR, -NOT */
	CW_PATTERN_REGEX,	/* %regex% alone */
	CW_PATTERN_JSON,	/* { $.a = 1 && ... } */
	CW_PATTERN_SPACE	/* [ip, user, ..., status = 5*] */
};

/* The longest pattern AWS accepts, in characters. */
#define CW_PATTERN_MAX_LEN 1024

/*
 * Compiles src (len bytes, need not be NUL-terminated). NULL on a syntax
 * error or a pattern AWS refuses: err->msg holds AWS's reason; *col (if
 * not NULL) the 1-based column of the error, 0 if none. The caller frees
 * the result with cw_pattern_free().
 */
struct cw_pattern *cw_pattern_compile(const char *src, size_t len, int *col,
	struct cw_err *err);

/*
 * 1 when the event message line[0..len) matches, 0 when not, -1 when a
 * regular expression could not decide (PCRE2's match limit: a pattern
 * that backtracks too much on this line), which is neither. The line
 * need not be NUL-terminated; it may hold NUL bytes and invalid UTF-8,
 * which are ordinary bytes. A JSON pattern looks only at the selected
 * paths and never builds a tree; a line it would match must be
 * well-formed JSON as a whole. The one allocation, rare, is the
 * pattern's room to unescape a string longer than any before (up to 16
 * MiB). When that fails the line is undecided too (-1), and
 * cw_pattern_error() says why.
 */
int cw_pattern_match(const struct cw_pattern *p, const char *line,
	size_t len);

/* -1 with err filled when a match, find, count or extract since the
 * last call could not decide for want of memory; 0 otherwise (a regular
 * expression's match limit). Clears it. */
int cw_pattern_error(const struct cw_pattern *p, struct cw_err *err);

/*
 * The fast path over a whole buffer of '\n'-terminated lines (the last
 * one may lack its '\n'). Returns the start of the first line that
 * matches, or that cw_pattern_match() could not decide (*failed is then
 * 1, else 0), and sets *linelen to its length without the '\n'; returns
 * NULL when no line of buf matches or fails. A '\r' before the '\n'
 * stays in *linelen, for printing, but is not part of the message that
 * is matched. Term patterns, and the literals other patterns require,
 * are searched in the whole buffer first, so lines that cannot match are
 * never looked at. A compiled pattern holds the scratch space of its
 * matcher: use one per thread.
 */
const char *cw_pattern_find(const struct cw_pattern *p, const char *buf,
	size_t len, size_t *linelen, int *failed);

/* The number of matching lines of buf, with cw_pattern_find()'s rules,
 * up to the first line that fails: *failed is its start (NULL when none),
 * and the caller goes on after it. */
size_t cw_pattern_count(const struct cw_pattern *p, const char *buf,
	size_t len, const char **failed);

/*
 * Fits the buffer search to the text it will search: sample (its first
 * 32 KiB are read) is some of that text, such as the first read of a
 * file. Of the literals the search looks for, the two bytes compared
 * first become those least often found together in the sample ("rr" of
 * "error" rather than "er"). Optional, and it changes no answer, only
 * how many places are looked at closely.
 */
void cw_pattern_tune(struct cw_pattern *p, const char *sample, size_t n);

enum cw_pattern_kind cw_pattern_kind(const struct cw_pattern *p);

/*
 * Called once per extracted value. name is "$ip" or "$3" (the 1-based
 * field position) for space-delimited fields, the selector as written
 * ("$.a.b[0]") for JSON. For JSON, value[0..vlen) is the value as
 * strict JSON text (a string quoted and escaped again, as valid UTF-8,
 * invalid bytes and lone surrogates as U+FFFD) and json is 1; for fields it is
 * the bytes of the field without its quotes or brackets and json is 0.
 * The pointers are valid only during the call. A non-zero return stops
 * the extraction and is returned by cw_pattern_extract().
 */
typedef int cw_pattern_field_fn(void *arg, const char *name,
	const char *value, size_t vlen, int json);

/*
 * Extracts the values a metric filter would, from a line that matches:
 * every named (and unnamed) field of a space-delimited pattern, every
 * selector of a JSON pattern that resolves to a value. Returns 1 when the
 * line matched (fn was called), 0 when it did not (fn was not called), -1
 * when it could not be decided or on allocation failure, or fn's
 * non-zero return. Term and regex patterns extract nothing.
 */
int cw_pattern_extract(const struct cw_pattern *p, const char *line,
	size_t len, cw_pattern_field_fn *fn, void *arg);

/*
 * Appends the parsed pattern to out as an indented tree, one node per
 * line, ending in '\n'. 0, or -1 when out is full.
 */
int cw_pattern_explain(const struct cw_pattern *p, struct cw_buf *out);

/* NULL is allowed. */
/* Appends the pattern and, under it, a caret at the 1-based character
 * column col (tabs kept, so the caret lines up), each line ending in
 * '\n'; for the syntax errors of the commands. */
int cw_pattern_caret(struct cw_buf *out, const char *pattern, int col);

void cw_pattern_free(struct cw_pattern *p);

#endif
