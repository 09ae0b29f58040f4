#ifndef CW_PATTERN_INT_H
#define CW_PATTERN_INT_H

/*
 * Inside lib/pattern*.c only: the compiled program and the helpers the
 * pattern kinds share. Nothing here is part of the library's interface.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "pattern.h"

/* Parentheses deeper than this are refused: AWS documents no limit, and a
 * bound keeps the recursive parser and evaluator on a small stack. */
#define PAT_MAX_DEPTH 32
#define PAT_MAX_REGEX 2		/* per JSON or space-delimited pattern */
#define PAT_MAX_WILD 3		/* wildcard selectors per JSON pattern */

enum pat_op {
	PAT_EQ, PAT_NE, PAT_LT, PAT_LE, PAT_GT, PAT_GE,
	PAT_ISNULL, PAT_ISTRUE, PAT_ISFALSE, PAT_NOTEXISTS
};

enum pat_vtype { PAT_VNONE, PAT_VSTR, PAT_VNUM, PAT_VRE };

struct pat_re {
	pcre2_code *code;
	pcre2_match_data *md;	/* one per regex: matching never allocates */
	int jit;
};

enum { PAT_GLOB_ANY = 1, PAT_GLOB_PREFIX, PAT_GLOB_SUFFIX };

/* The right-hand side of one comparison. */
struct pat_test {
	enum pat_op op;
	enum pat_vtype type;
	char *str;		/* unescaped string value; '*' is a wildcard */
	size_t len;
	int glob;		/* 0: no '*'; else one of PAT_GLOB_* */
	double num;
	struct pat_re re;
	char *text;		/* the value as written, for explain */
};

/* A literal to search for, and the two bytes the search compares first. */
struct pat_needle {
	const char *s;
	size_t len;
	size_t i1, i2;
};

enum pat_step_kind { PAT_KEY, PAT_INDEX, PAT_ANYKEY, PAT_ANYINDEX };

struct pat_step {
	enum pat_step_kind kind;
	char *key;		/* PAT_KEY: the unescaped name */
	size_t keylen;
	long index;		/* PAT_INDEX */
	struct pat_needle nd;	/* the key, searched for as text */
	int plain;		/* a key no escape can spell: nd finds it */
};

/* One comparison: a JSON selector or a space-delimited field, and a test. */
struct pat_leaf {
	struct pat_step *steps;
	int nsteps;
	int field;		/* space-delimited: the entry's index */
	char *name;		/* selector or field name as written */
	struct pat_test t;
	int textual;		/* JSON: t is = or != a string that no
				 * escape can spell, compared as text */
	struct pat_needle vnd;	/* JSON: = such a string, searched for
				 * (s NULL when none) */
};

enum pat_node_kind { PAT_AND, PAT_OR, PAT_LEAF };

struct pat_node {
	enum pat_node_kind kind;
	int a, b;		/* children (AND, OR) or a = leaf index */
};

enum pat_term_kind { PAT_MUST, PAT_MAY, PAT_NOT };

struct pat_term {
	enum pat_term_kind kind;
	char *s;
	size_t len;
};

/* A space-delimited pattern entry. */
struct pat_field {
	char *name;		/* NULL for an unnamed entry */
	int ellipsis;
	int root;		/* condition tree, -1 when none */
};

/* A field of a space-delimited event. */
struct pat_span {
	const char *s;
	size_t n;
	long pos;		/* 1-based */
};

#define PAT_MAX_NEEDLES 8	/* ?OR terms searched in one pass */

void pat_needle_init(struct pat_needle *nd, const char *s, size_t len);
/* Moves the two bytes compared first to the pair that occurs least
 * often together in sample, text like what will be searched. */
#define PAT_TUNE_SAMPLE ((size_t)32 << 10)	/* what tuning looks at */
void pat_needle_tune(struct pat_needle *nd, const char *sample, size_t n);
const char *pat_search(const struct pat_needle *nd, int k, const char *h,
	size_t n, int *which);
/* The same for k = 2, where nd[1]'s first byte is rare in the text. */
const char *pat_search_two(const struct pat_needle *nd, const char *h,
	size_t n, int *which);
/* The first place the needle starts a space-delimited field. */
const char *pat_search_field(const struct pat_needle *nd, const char *h,
	size_t n);

/* The only state a match changes: room to unescape JSON strings, grown
 * rarely and bounded. When it cannot grow, the value is undecided (a
 * match answers -1, never a false "no") and failed is set for
 * cw_pattern_error() to say why. */
#define PAT_MAX_SCRATCH ((size_t)16 << 20)

struct pat_scratch {
	char *p;
	size_t cap;
	int failed;
	char *plain;		/* a JSON line with its escapes blanked */
	size_t plaincap;
};

struct cw_pattern {
	enum cw_pattern_kind kind;
	char *src;		/* the trimmed pattern */
	size_t srclen;

	struct pat_term *terms;	/* CW_PATTERN_TERMS, after the ?-rule */
	int nterms;
	int any;		/* only ?-terms: one of them suffices */

	struct pat_re re;	/* CW_PATTERN_REGEX, one message at a time */
	struct pat_re bufre;	/* the same, rewritten to search a buffer */

	struct pat_node *nodes;	/* JSON and space-delimited conditions */
	int nnodes, root;
	struct pat_leaf *leaves;
	int nleaves;
	struct pat_field *fields;
	int nfields, ellipsis;	/* ellipsis: its entry index, or -1 */
	struct pat_span *ring;	/* the last fields, for entries after "..." */

	/* A literal every matching line contains (NULL when none), and the
	 * text that could disguise it (a JSON escape), which forces a look
	 * at lines holding it. */
	char *lit;
	size_t litlen;
	const char *disguise;
	/* Space-delimited: the text some field's value must start with
	 * (NULL when none), searched for at the start of fields. */
	const char *fieldlit;
	size_t fieldlitlen;
	int litentry;		/* the left entry fieldlit is of, or -1 */
	int at_field;		/* needles[0] is fieldlit */
	struct pat_needle needles[PAT_MAX_NEEDLES];	/* what the buffer */
	int nneedles;					/* search looks for */
	struct pat_needle disguise_needle;

	struct pat_scratch *scratch;	/* JSON unescaping, grows rarely */
};

/* The parser's state; errors record the byte offset for the column. */
struct pat_parse {
	const char *s;
	size_t n, i;
	struct cw_pattern *p;
	struct cw_err *err;
	size_t errpos;
	int depth, nregex, nwild;
};

/* The parser base (pattern_parse.c), below comparisons and regexes. */
int pat_fail(struct pat_parse *ps, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pat_skip_ws(struct pat_parse *ps);
char *pat_memdup(const char *s, size_t n);
int pat_add_node(struct pat_parse *ps, enum pat_node_kind kind, int a, int b);
int pat_add_leaf(struct pat_parse *ps);

/* Values and comparisons (pattern_cond.c). */
int pat_parse_test(struct pat_parse *ps, struct pat_test *t, int space);
int pat_number(const char *s, size_t n, double *v);
int pat_glob(const char *pat, size_t pn, const char *s, size_t sn);
/* 1, 0, or -1 on a regex match error. */
int pat_test_string(const struct pat_test *t, const char *s, size_t n);
int pat_test_number(const struct pat_test *t, const char *s, size_t n);
/* The same for a number already read (t a numeric test). */
int pat_test_value(const struct pat_test *t, double v);
void pat_test_free(struct pat_test *t);
const char *pat_op_name(enum pat_op op);

/* Regular expressions (pattern_regex.c). */
int pat_parse_regex(struct pat_parse *ps, struct pat_re *re,
	struct pat_re *bufre);
/* 1 a match, 0 none, -1 a match error (the match limit). */
int pat_re_search(const struct pat_re *re, const char *s, size_t n);
/* Offset of the first match in s, -1 when none, -2 on a match error. */
long pat_re_first(const struct pat_re *re, const char *s, size_t n);
/* The longest run of bytes every match holds, into out (n bytes of
 * room): its length, 0 when there is none. */
size_t pat_regex_literal(const char *re, size_t n, char *out);
void pat_re_free(struct pat_re *re);

/* JSON patterns (pattern_json.c). */
int pat_json_compile(struct pat_parse *ps);
/* The matchers: 1, 0, or -1 when a regex failed to decide. */
int pat_json_match(const struct cw_pattern *p, const char *s, size_t n);
/* The same, told whether s holds no backslash (1), holds one (0), or
 * not told (-1); PAT_JSON_WALK: by the walk alone, for tests. */
#define PAT_JSON_WALK (-2)
int pat_json_match_plain(const struct cw_pattern *p, const char *s,
	size_t n, int plain);
/* Where a search line by line may start in s..e: see pattern_json.c. */
const char *pat_json_skip(const struct cw_pattern *p, const char *s,
	const char *bs, const char *e);
int pat_json_extract(const struct cw_pattern *p, const char *s, size_t n,
	cw_pattern_field_fn *fn, void *arg);

/* Space-delimited patterns (pattern_space.c). */
int pat_space_compile(struct pat_parse *ps);
int pat_space_match(const struct cw_pattern *p, const char *s, size_t n);
int pat_space_extract(const struct cw_pattern *p, const char *s, size_t n,
	cw_pattern_field_fn *fn, void *arg);

/* Shared by JSON and space-delimited patterns. */
int pat_parse_or(struct pat_parse *ps, int (*leaf)(struct pat_parse *));
void pat_pick_literal(struct cw_pattern *p, int root);
int pat_explain_node(const struct cw_pattern *p, int n, int depth,
	struct cw_buf *out);

#endif
