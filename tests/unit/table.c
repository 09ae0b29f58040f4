#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "tap.h"
#include "vis.h"
#include "banned.h"

static const char *esc(const char *s, size_t n, long *width)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	*width = cw_vis_x(&b, s, n, CW_VIS_ALL, 0);
	return cw_buf_str(&b);
}

static const char *null_marker;

static const char *render(const struct cw_table *t, enum cw_table_format f,
	int tty, int expanded)
{
	static struct cw_buf b = CW_BUF_INIT;
	struct cw_table_opts o = { f, expanded, tty, 0, 0, null_marker };

	cw_buf_reset(&b);
	if (cw_table_render(t, &o, &b) < 0)
		return "(failed)";
	return cw_buf_str(&b);
}

static void add(struct cw_table *t, const char *name, const char *value)
{
	cw_table_set(t, (size_t)cw_table_col(t, name), value);
}

static void escapes(void)
{
	long w;

	is_str(esc("plain", 5, &w), "plain", "plain text kept");
	ok(w == 5, "width of plain text");
	is_str(esc("a\nb\tc\\", 6, &w), "a\\012b\\011c\\\\", "newline, tab, backslash");
	is_str(esc("\033[31m", 5, &w), "\\033[31m", "ESC shown, not sent");
	ok(w == 8, "width counts the escape");
	is_str(esc("caf\xc3\xa9", 5, &w), "caf\xc3\xa9", "UTF-8 kept");
	ok(w == 4, "width in code points");
	is_str(esc("\xc2\x9b" "2J", 4, &w), "\\302\\2332J", "C1 CSI shown");
	is_str(esc("a\xff", 2, &w), "a\\377", "invalid byte shown");
	is_str(esc("a\0b", 3, &w), "a\\000b", "NUL shown");
	is_str(esc("\x7f", 1, &w), "\\177", "DEL shown");
}

static void formats(void)
{
	struct cw_table t;
	enum cw_table_format f;
	struct cw_err e;

	cw_table_init(&t);
	cw_table_row(&t);
	add(&t, "name", "a,b");
	add(&t, "n", "10");
	add(&t, "@ptr", "p1");
	cw_table_row(&t);
	add(&t, "n", "7");
	add(&t, "extra", "x\"y\tz");
	add(&t, "@ptr", "p2");
	cw_table_hide(&t, "@ptr");
	is_str(render(&t, CW_TABLE_TSV, 0, 0), "name\tn\textra\na,b\t10\t\n"
		"\t7\tx\"y\\tz\n", "TSV: header, empty cells, tab escaped");
	is_str(render(&t, CW_TABLE_CSV, 0, 0), "name,n,extra\n\"a,b\",10,\n"
		",7,\"x\"\"y\tz\"\n", "CSV: RFC 4180 quoting");
	is_str(render(&t, CW_TABLE_JSON, 0, 0),
		"{\"name\":\"a,b\",\"n\":\"10\"}\n{\"n\":\"7\",\"extra\":"
		"\"x\\\"y\\tz\"}\n", "JSON: missing fields left out");
	is_str(render(&t, CW_TABLE_ALIGNED, 1, 0),
		" name | n  | extra\n------+----+----------\n a,b  | 10 | \n"
		"      |  7 | x\"y\\011z\n", "aligned: numbers right, escaped");
	is_str(render(&t, CW_TABLE_ALIGNED, 1, 1),
		"-[ RECORD 1 ]-----\nname  | a,b\nn     | 10\nextra | \n"
		"-[ RECORD 2 ]-----\nname  | \nn     | 7\n"
		"extra | x\"y\\011z\n",
		"expanded: one field per line, the missing ones too");
	null_marker = "(null)";
	is_str(render(&t, CW_TABLE_ALIGNED, 1, 0),
		" name   | n  | extra\n--------+----+----------\n"
		" a,b    | 10 | (null)\n (null) |  7 | x\"y\\011z\n",
		"aligned: the null marker, numbers still right");
	is_str(render(&t, CW_TABLE_ALIGNED, 1, 1),
		"-[ RECORD 1 ]-----\nname  | a,b\nn     | 10\nextra | (null)\n"
		"-[ RECORD 2 ]-----\nname  | (null)\nn     | 7\n"
		"extra | x\"y\\011z\n", "expanded: the null marker");
	is_str(render(&t, CW_TABLE_TSV, 0, 0), "name\tn\textra\na,b\t10\t"
		"(null)\n(null)\t7\tx\"y\\tz\n", "TSV: the null marker");
	null_marker = "-";
	is_str(render(&t, CW_TABLE_CSV, 0, 0), "name,n,extra\n\"a,b\",10,-\n"
		"-,7,\"x\"\"y\tz\"\n", "CSV: the marker as it is, not a formula");
	is_str(render(&t, CW_TABLE_JSON, 0, 0),
		"{\"name\":\"a,b\",\"n\":\"10\",\"extra\":null}\n{\"name\":null,"
		"\"n\":\"7\",\"extra\":\"x\\\"y\\tz\"}\n",
		"JSON: with a marker, missing fields are null");
	null_marker = NULL;
	is_str(render(&t, CW_TABLE_AUTO, 0, 0), render(&t, CW_TABLE_TSV, 0, 0),
		"auto: TSV off a terminal");
	is_str(cw_table_get(&t, 1, "@ptr"), "p2", "hidden values stay readable");
	ok(cw_table_get(&t, 5, "@ptr") == NULL, "no such row");
	ok(cw_table_parse_format("csv", &f, &e) == 0 && f == CW_TABLE_CSV,
		"csv parses");
	ok(cw_table_parse_format("yaml", &f, &e) < 0, "yaml refused");
	cw_table_release(&t);

	cw_table_init(&t);
	cw_table_row(&t);
	add(&t, "@ptr", "p");
	cw_table_hide(&t, "@ptr");
	is_str(render(&t, CW_TABLE_ALIGNED, 1, 0), "",
		"nothing shown: no header, no rule");
	cw_table_release(&t);
}

static const char *csv(const char *value, int raw)
{
	static struct cw_buf b = CW_BUF_INIT;
	struct cw_table_opts o = { CW_TABLE_CSV, 0, 0, 0, raw, NULL };
	struct cw_table t;

	cw_table_init(&t);
	cw_table_row(&t);
	add(&t, "=name", value);
	cw_buf_reset(&b);
	if (cw_table_render(&t, &o, &b) < 0)
		return "(failed)";
	cw_table_release(&t);
	/* the header, the query's own field name, is never changed */
	if (strncmp(cw_buf_str(&b), "=name\n", 6) != 0)
		return "(header changed)";
	return cw_buf_str(&b) + 6;
}

static void formulas(void)
{
	is_str(csv("=HYPERLINK(\"http://x\",\"y\")", 0),
		"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n",
		"= gets a leading ', inside the quotes");
	is_str(csv("+1+cmd|' /C calc'!A0", 0), "'+1+cmd|' /C calc'!A0\n",
		"+ gets a leading '");
	is_str(csv("-2+3", 0), "'-2+3\n", "- gets a leading '");
	is_str(csv("@SUM(A1)", 0), "'@SUM(A1)\n", "@ gets a leading '");
	is_str(csv("\t=1", 0), "'\t=1\n", "a leading tab gets a leading '");
	is_str(csv("\r=1", 0), "\"'\r=1\"\n", "a leading CR gets a leading '");
	is_str(csv("a=1", 0), "a=1\n", "= inside a cell left alone");
	is_str(csv("-12.5", 0), "-12.5\n", "a negative number left alone");
	is_str(csv("+1e-3", 0), "+1e-3\n", "a signed exponent left alone");
	is_str(csv("-1e", 0), "'-1e\n", "not quite a number: neutralised");
	is_str(csv("-.", 0), "'-.\n", "a sign and a dot: neutralised");
	is_str(csv("-", 0), "'-\n", "a lone -: neutralised");
	is_str(csv("=1+2", 1), "=1+2\n", "csv_raw: left as it is");
	is_str(csv("", 0), "\n", "an empty cell stays empty");
}

int main(void)
{
	escapes();
	formats();
	formulas();
	return tap_done();
}
