#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "table.h"
#include "vis.h"
#include "banned.h"

static const char *const format_names[] = {
	"auto", "table", "tsv", "csv", "json"
};

int cw_table_parse_format(const char *s, enum cw_table_format *f,
	struct cw_err *err)
{
	size_t i;

	for (i = 1; i < sizeof(format_names) / sizeof(*format_names); i++)
		if (strcmp(s, format_names[i]) == 0) {
			*f = (enum cw_table_format)i;
			return 0;
		}
	return cw_err_set(err, "output format '%.32s': expected table, tsv, "
		"csv or json", s);
}

const char *cw_table_format_name(enum cw_table_format f)
{
	return format_names[f];
}

void cw_table_init(struct cw_table *t)
{
	memset(t, 0, sizeof(*t));
}

void cw_table_release(struct cw_table *t)
{
	size_t r, i;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->rows[r].n; i++)
			free(t->rows[r].v[i]);
		free(t->rows[r].v);
	}
	for (i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t->rows);
	free(t->cols);
	free(t->hidden);
	memset(t, 0, sizeof(*t));
}

long cw_table_col(struct cw_table *t, const char *name)
{
	char **cols;
	unsigned char *hidden;
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (long)i;
	if (t->ncols >= CW_TABLE_MAX_COLS)
		return -1;
	cols = realloc(t->cols, (t->ncols + 1) * sizeof(*cols));
	if (!cols)
		return -1;
	t->cols = cols;
	hidden = realloc(t->hidden, t->ncols + 1);
	if (!hidden)
		return -1;
	t->hidden = hidden;
	if (!(cols[t->ncols] = strdup(name)))
		return -1;
	hidden[t->ncols] = 0;
	return (long)t->ncols++;
}

void cw_table_hide(struct cw_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			t->hidden[i] = 1;
}

int cw_table_row(struct cw_table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct cw_table_row *rows = realloc(t->rows,
			cap * sizeof(*rows));

		if (!rows)
			return -1;
		t->rows = rows;
		t->cap = cap;
	}
	memset(&t->rows[t->nrows++], 0, sizeof(*t->rows));
	return 0;
}

int cw_table_set(struct cw_table *t, size_t col, const char *value)
{
	struct cw_table_row *r;
	char *v;

	if (!t->nrows || col >= t->ncols)
		return -1;
	r = &t->rows[t->nrows - 1];
	if (col >= r->n) {
		char **nv = realloc(r->v, t->ncols * sizeof(*nv));

		if (!nv)
			return -1;
		memset(nv + r->n, 0, (t->ncols - r->n) * sizeof(*nv));
		r->v = nv;
		r->n = t->ncols;
	}
	if (!(v = strdup(value)))
		return -1;
	free(r->v[col]);
	r->v[col] = v;
	return 0;
}

static const char *cell(const struct cw_table *t, size_t r, size_t c)
{
	return c < t->rows[r].n ? t->rows[r].v[c] : NULL;
}

const char *cw_table_get(const struct cw_table *t, size_t r,
	const char *name)
{
	size_t c;

	for (c = 0; r < t->nrows && c < t->ncols; c++)
		if (strcmp(t->cols[c], name) == 0)
			return cell(t, r, c);
	return NULL;
}

/* TSV in a pipe: only what would break the format is escaped, the
 * way TSV readers undo it. */
static int tsv_cell(struct cw_buf *out, const char *s,
	const struct cw_table_opts *o)
{
	static const char from[] = "\n\t\r\\", to[] = "ntr\\";
	const char *p;
	int rc = 0;

	if (o->tty)
		return cw_vis_x(out, s, strlen(s), CW_VIS_ALL, 0) < 0 ? -1 : 0;
	for (; rc == 0 && *s; s++) {
		p = strchr(from, *s);
		rc = p ? cw_buf_addc(out, '\\') || cw_buf_addc(out, to[p - from])
			: cw_buf_addc(out, *s);
	}
	return rc;
}

/* A whole decimal number, such as -12.5 or 1e-3: no spreadsheet reads
 * a formula in it. */
static int plain_decimal(const char *s)
{
	size_t digits = 0;

	s += *s == '-' || *s == '+';
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (digits && (*s == 'e' || *s == 'E')) {
		s += 1 + (s[1] == '-' || s[1] == '+');
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return digits && !*s;
}

/* Log text is anyone's: a cell a spreadsheet would run as a formula
 * gets a leading ' (as OWASP advises), unless it is only a number. */
static int formula(const char *s)
{
	return *s && strchr("=+-@\t\r", *s) && !plain_decimal(s);
}

/* On a terminal a quoted field keeps its tabs and newlines, and shows
 * the rest escaped. */
static int csv_cell(struct cw_buf *out, const char *s,
	const struct cw_table_opts *o)
{
	size_t n = strlen(s), run;
	int quote = strpbrk(s, ",\"\r\n") || (n && (s[0] == ' '
		|| s[n - 1] == ' '));
	int rc = quote ? cw_buf_addc(out, '"') : 0;

	if (rc == 0 && !o->csv_raw && formula(s))
		rc = cw_buf_addc(out, '\'');
	while (rc == 0 && *s) {
		run = strcspn(s, "\"");
		if (o->tty)
			rc = cw_vis_x(out, s, run, CW_VIS_UTF8, 0) < 0 ? -1 : 0;
		else
			rc = cw_buf_add(out, s, run);
		s += run;
		if (rc == 0 && *s == '"')
			rc = cw_buf_adds(out, "\"\""), s++;
	}
	return rc || (quote && cw_buf_addc(out, '"')) ? -1 : 0;
}

typedef int cell_fn(struct cw_buf *out, const char *s,
	const struct cw_table_opts *o);

static int delimited(const struct cw_table *t, const struct cw_table_opts *o,
	struct cw_buf *out, char sep, cell_fn *fn)
{
	struct cw_table_opts head = *o;
	size_t r, c;
	int rc = 0, first;

	/* The field names are the query's own, not log text. */
	head.csv_raw = 1;

	for (r = 0; rc == 0 && r <= t->nrows; r++) {
		first = 1;
		for (c = 0; rc == 0 && c < t->ncols; c++) {
			const char *v = r ? cell(t, r - 1, c) : t->cols[c];

			if (t->hidden[c])
				continue;
			if (!first)
				rc = cw_buf_addc(out, sep);
			first = 0;
			/* the marker is the user's, not log text */
			if (rc == 0)
				rc = fn(out, v ? v : o->null ? o->null : "",
					r && v ? o : &head);
		}
		if (rc == 0)
			rc = cw_buf_addc(out, '\n');
	}
	return rc;
}

static int json_rows(const struct cw_table *t, const struct cw_table_opts *o,
	struct cw_buf *out)
{
	size_t r, c;
	int rc = 0, first;

	for (r = 0; rc == 0 && r < t->nrows; r++) {
		rc = cw_buf_addc(out, '{');
		first = 1;
		for (c = 0; rc == 0 && c < t->ncols; c++) {
			const char *v = cell(t, r, c);

			if ((!v && !o->null) || t->hidden[c])
				continue;
			rc = (!first && cw_buf_addc(out, ','))
				|| cw_json_quote(out, t->cols[c],
					strlen(t->cols[c]))
				|| cw_buf_addc(out, ':')
				|| (v ? cw_json_quote(out, v, strlen(v))
					: cw_buf_adds(out, "null"));
			first = 0;
		}
		if (rc == 0)
			rc = cw_buf_adds(out, "}\n");
	}
	return rc;
}

/* Escaped text and its width, for alignment. */
struct shown {
	struct cw_buf text;
	long width;
};

static int show(struct shown *s, const char *v)
{
	cw_buf_reset(&s->text);
	if (cw_vis_x(&s->text, v, v ? strlen(v) : 0, CW_VIS_ALL, 0) < 0)
		return -1;
	/* display columns, as psql counts them: CJK and emoji take two */
	s->width = (long)cw_vis_cols(s->text.p, s->text.len);
	return 0;
}

static int pad(struct cw_buf *out, long n)
{
	int rc = 0;

	while (rc == 0 && n-- > 0)
		rc = cw_buf_addc(out, ' ');
	return rc;
}

static int is_number(const char *s)
{
	char *end;

	if (!s || !*s)
		return 1;
	strtod(s, &end);
	return *end == '\0';
}

/* What a cell shows: its value, or the null marker. */
static const char *shown_cell(const struct cw_table *t, size_t r, size_t c,
	const struct cw_table_opts *o)
{
	const char *v = cell(t, r, c);

	return v ? v : o->null;
}

static int measure(const struct cw_table *t, const struct cw_table_opts *o,
	long *width, char *right, struct shown *s)
{
	size_t r, c;

	for (c = 0; c < t->ncols; c++) {
		if (show(s, t->cols[c]) < 0)
			return -1;
		width[c] = s->width;
		right[c] = t->nrows > 0;
		for (r = 0; r < t->nrows; r++) {
			const char *v = cell(t, r, c);

			if (show(s, shown_cell(t, r, c, o)) < 0)
				return -1;
			if (s->width > width[c])
				width[c] = s->width;
			right[c] &= is_number(v);
		}
	}
	return 0;
}

static int aligned_line(const struct cw_table *t,
	const struct cw_table_opts *o, size_t r, const long *width,
	const char *right, struct shown *s, struct cw_buf *out)
{
	size_t c, last = 0;
	int rc = 0, first = 1;

	for (c = 0; c < t->ncols; c++)
		if (!t->hidden[c])
			last = c;
	for (c = 0; rc == 0 && c < t->ncols; c++) {
		if (t->hidden[c])
			continue;
		rc = show(s, r ? shown_cell(t, r - 1, c, o) : t->cols[c])
			|| cw_buf_adds(out, first ? " " : " | ");
		first = 0;
		if (rc == 0 && r && right[c])
			rc = pad(out, width[c] - s->width);
		if (rc == 0)
			rc = cw_buf_add(out, s->text.p, s->text.len);
		if (rc == 0 && (!r || !right[c]) && c != last)
			rc = pad(out, width[c] - s->width);
	}
	return rc || cw_buf_addc(out, '\n') ? -1 : 0;
}

static int rule(const struct cw_table *t, const long *width,
	struct cw_buf *out)
{
	size_t c;
	long i;
	int rc = 0, first = 1;

	for (c = 0; rc == 0 && c < t->ncols; c++) {
		if (t->hidden[c])
			continue;
		if (!first)
			rc = cw_buf_addc(out, '+');
		first = 0;
		for (i = 0; rc == 0 && i < width[c] + 2; i++)
			rc = cw_buf_addc(out, '-');
	}
	return rc || cw_buf_addc(out, '\n') ? -1 : 0;
}

/* Every row shows every column, so records have one shape. */
static int expanded(const struct cw_table *t, const struct cw_table_opts *o,
	struct shown *s, struct cw_buf *out)
{
	long namew = 0;
	size_t r, c;
	int rc = 0;

	for (c = 0; c < t->ncols; c++) {
		if (show(s, t->cols[c]) < 0)
			return -1;
		if (!t->hidden[c] && s->width > namew)
			namew = s->width;
	}
	for (r = 0; rc == 0 && r < t->nrows; r++) {
		rc = cw_buf_addf(out, "-[ RECORD %zu ]-----\n", r + 1);
		for (c = 0; rc == 0 && c < t->ncols; c++) {
			if (t->hidden[c])
				continue;
			rc = show(s, t->cols[c])
				|| cw_buf_add(out, s->text.p, s->text.len)
				|| pad(out, namew - s->width)
				|| cw_buf_adds(out, " | ")
				|| show(s, shown_cell(t, r, c, o))
				|| cw_buf_add(out, s->text.p, s->text.len)
				|| cw_buf_addc(out, '\n') ? -1 : 0;
		}
	}
	return rc;
}

static int aligned(const struct cw_table *t, const struct cw_table_opts *o,
	struct cw_buf *out)
{
	struct shown s = { CW_BUF_INIT, 0 };
	long *width = calloc(t->ncols + 1, sizeof(*width));
	char *right = calloc(t->ncols + 1, 1);
	size_t r;
	int rc = -1;

	if (!width || !right)
		goto out;
	if (o->expanded) {
		rc = expanded(t, o, &s, out);
		goto footer;
	}
	for (r = 0; r < t->ncols && t->hidden[r]; r++)
		;
	/* Rows that lack every field shown: nothing but the count. */
	if (r == t->ncols) {
		rc = 0;
		goto footer;
	}
	if (measure(t, o, width, right, &s) < 0)
		goto footer;
	rc = aligned_line(t, o, 0, width, right, &s, out)
		|| rule(t, width, out) ? -1 : 0;
	for (r = 1; rc == 0 && r <= t->nrows; r++)
		rc = aligned_line(t, o, r, width, right, &s, out);
footer:
	if (rc == 0 && o->footer)
		rc = cw_buf_addf(out, "(%zu row%s)\n", t->nrows,
			t->nrows == 1 ? "" : "s");
out:
	cw_buf_release(&s.text);
	free(width);
	free(right);
	return rc;
}

int cw_table_render(const struct cw_table *t, const struct cw_table_opts *o,
	struct cw_buf *out)
{
	enum cw_table_format f = o->format;

	if (f == CW_TABLE_AUTO)
		f = o->tty ? CW_TABLE_ALIGNED : CW_TABLE_TSV;
	switch (f) {
	case CW_TABLE_JSON:
		return json_rows(t, o, out);
	case CW_TABLE_CSV:
		return delimited(t, o, out, ',', csv_cell);
	case CW_TABLE_TSV:
		return delimited(t, o, out, '\t', tsv_cell);
	default:
		return aligned(t, o, out);
	}
}
