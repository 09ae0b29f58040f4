#ifndef CW_TABLE_H
#define CW_TABLE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/*
 * Rows of named string cells, rendered as an aligned table, TSV, CSV or
 * one JSON object per row. Columns are added as they are first seen, so
 * rows that lack a field show an empty cell (JSON omits it), or the
 * null marker of the options. Aligned
 * columns are measured in display columns (cw_vis_cols()): the caller
 * sets a UTF-8 LC_CTYPE for CJK and emoji to line up.
 */
enum cw_table_format {
	CW_TABLE_AUTO,		/* aligned on a tty, TSV in a pipe */
	CW_TABLE_ALIGNED,
	CW_TABLE_TSV,
	CW_TABLE_CSV,
	CW_TABLE_JSON
};

struct cw_table_row {
	char **v;		/* v[i] NULL: no such field in this row */
	size_t n;
};

struct cw_table {
	char **cols;
	unsigned char *hidden;	/* per column: left out of the output */
	size_t ncols;
	struct cw_table_row *rows;
	size_t nrows, cap;
};

struct cw_table_opts {
	enum cw_table_format format;
	int expanded;		/* aligned: one "name | value" line per field */
	int tty;		/* control bytes escaped visibly, always */
	int footer;		/* aligned: "(N rows)" after the table */
	int csv_raw;		/* CSV: a cell starting = + - @ tab or CR is
				 * left as it is, not prefixed with ' */
	const char *null;	/* a field the row lacks, in every layout
				 * (JSON: null); NULL: an empty cell, and
				 * JSON leaves the member out */
};

int cw_table_parse_format(const char *s, enum cw_table_format *f,
	struct cw_err *err);
const char *cw_table_format_name(enum cw_table_format f);

void cw_table_init(struct cw_table *t);
void cw_table_release(struct cw_table *t);
/* Columns beyond this many are refused: rows come from servers. */
#define CW_TABLE_MAX_COLS 1024

/* The index of column name, added when new; -1 when out of memory or
 * past CW_TABLE_MAX_COLS. */
long cw_table_col(struct cw_table *t, const char *name);
/* Hides a column from cw_table_render (its values stay readable). */
void cw_table_hide(struct cw_table *t, const char *name);
/* Starts a new row; cw_table_set() fills the last one. */
int cw_table_row(struct cw_table *t);
int cw_table_set(struct cw_table *t, size_t col, const char *value);
/* The value of column name in row r, or NULL. */
const char *cw_table_get(const struct cw_table *t, size_t r,
	const char *name);

/* Appends the whole rendering to out. -1 when out of memory. */
int cw_table_render(const struct cw_table *t, const struct cw_table_opts *o,
	struct cw_buf *out);

#endif
