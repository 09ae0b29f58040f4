#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "out.h"
#include "tap.h"
#include "vis.h"
#include "banned.h"

static const char *json(const char *s, size_t n)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_json_quote(&b, s, n);
	return cw_buf_str(&b);
}

static const char *vis(const char *s, size_t n)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_vis(&b, s, n);
	return cw_buf_str(&b);
}

/* Prints ev in format f, on a terminal or not; returns what was written. */
static char *print(struct cw_logs_event *ev, enum cw_out_format f, int tty)
{
	struct cw_out o = { .format = f };
	char *mem = NULL;
	size_t len = 0;

	o.fp = open_memstream(&mem, &len);
	cw_out_setup(&o, tty, 1);
	o.utc = 1;
	cw_out_event(&o, ev);
	fclose(o.fp);
	cw_out_release(&o);
	return mem;
}

/* A message is its length, not its first NUL, in every format. */
static void test_nul(void)
{
	static const char msg[] = "a\0ERROR tail";
	struct cw_logs_event ev = { "/g", "s", "1", msg, sizeof(msg) - 1, 0,
		0 };
	char *m;

	m = print(&ev, CW_OUT_JSON, 0);
	ok(strstr(m, "\"message\":\"a\\u0000ERROR tail\"}") != NULL,
		"json: U+0000 written as \\u0000, the rest kept");
	free(m);
	m = print(&ev, CW_OUT_RAW, 0);
	ok(memcmp(m, "a\0ERROR tail\n", 13) == 0, "raw to a pipe: the NUL "
		"and the rest");
	free(m);
	m = print(&ev, CW_OUT_SHORT, 1);
	ok(strstr(m, " s a\\000ERROR tail\n") != NULL, "short on a tty: the "
		"NUL shown, the rest kept");
	free(m);
}

static void test_vis(void)
{
	static const char osc[] = "\033]0;pwned\007\033[2J\033[Hdone";
	struct cw_logs_event ev = { "/g", "s\033[31m", "1", osc,
		sizeof(osc) - 1, 0, 0 };
	char *m;

	is_str(vis("a\tb\nc", 5), "a\tb\nc", "vis keeps tab and newline");
	is_str(vis("\033]0;t\007", 6), "\\033]0;t\\007", "vis: OSC title");
	is_str(vis("\r\177x", 3), "\\015\\177x", "vis: CR and DEL");
	is_str(vis("\xc2\x9b" "2J", 4), "\\302\\2332J", "vis: C1 CSI");
	is_str(vis("caf\xc3\xa9 \xc2\xa0", 8), "caf\xc3\xa9 \xc2\xa0",
		"vis keeps UTF-8 text");
	is_str(vis("\xc2", 1), "\xc2", "vis: a lone lead byte at the end");
	m = print(&ev, CW_OUT_RAW, 1);
	is_str(m, "\\033]0;pwned\\007\\033[2J\\033[Hdone\n",
		"raw on a tty: escapes shown");
	free(m);
	m = print(&ev, CW_OUT_SHORT, 1);
	ok(strstr(m, " s\\033[31m \\033]0;") != NULL,
		"short on a tty: the stream name escaped too");
	free(m);
	m = print(&ev, CW_OUT_RAW, 0);
	is_str(m, "\033]0;pwned\007\033[2J\033[Hdone\n",
		"raw to a pipe: bytes as they are");
	free(m);
}

/* Prints ev as o says (its fp and the rest set up here); returns what
 * was written. */
static char *print_as(struct cw_out o, const struct cw_logs_event *ev,
	int tty, int color)
{
	const char *const *marks = o.marks, *const *fields = o.fields;
	int width = o.width, no_source = o.no_source, show = o.show_group;
	size_t nm = o.nmarks, nf = o.nfields, skip = o.group_skip;
	char *mem = NULL;
	size_t len = 0;

	o.fp = open_memstream(&mem, &len);
	cw_out_setup(&o, tty, !color);
	o.utc = 1;
	o.now_ms = ev->timestamp;
	o.marks = marks;
	o.nmarks = nm;
	o.fields = fields;
	o.nfields = nf;
	o.width = width;
	o.no_source = no_source;
	o.show_group = show;
	o.group_skip = skip;
	o.utf8 = 1;
	cw_out_event(&o, ev);
	fclose(o.fp);
	cw_out_release(&o);
	return mem;
}

/* --highlight and severities: our colours around data still escaped. */
static const char *marks_utf8[1];

static void test_marks(void)
{
	static const char *const marks[] = { "time", "\033[31m" };
	static const char msg[] = "ERROR on TIMEout \033[31mred\033]0;x\007 "
		"noERROR";
	struct cw_logs_event ev = { "/g", "s", "1", msg, sizeof(msg) - 1,
		1795413600250LL, 0 };
	struct cw_out o = { .format = CW_OUT_RAW, .marks = marks,
		.nmarks = 2 };
	char *m;

	m = print_as(o, &ev, 1, 1);
	is_str(m, "\033[1m\033[31mERROR\033[0m on \033[7m\033[33mTIME\033[0m"
		"out \033[7m\033[36m\\033[31m\033[0mred\\033]0;x\\007 noERROR\n",
		"colour: the severity and the terms marked, every ESC of the "
		"data escaped");
	free(m);
	m = print_as(o, &ev, 1, 0);
	ok(strstr(m, "\033[") == NULL && strstr(m, "TIMEout \\033[31m"),
		"no colour: nothing marked, data escaped");
	free(m);
	m = print_as(o, &ev, 0, 1);
	ok(strcmp(m, msg) == 0 || (strncmp(m, msg, sizeof(msg) - 1) == 0 &&
		strcmp(m + sizeof(msg) - 1, "\n") == 0), "a pipe: the bytes as they came");
	free(m);
	ev.message = "{\"level\":\"Warning\",\"msg\":\"ERROR x\"}";
	ev.message_len = strlen(ev.message);
	o.nmarks = 0;
	m = print_as(o, &ev, 1, 1);
	is_str(m, "{\"level\":\"\033[33mWarning\033[0m\",\"msg\":\"ERROR x\"}\n",
		"JSON: the level's value coloured, not words elsewhere");
	free(m);
	ev.message = "caf\xc3\xa9";
	ev.message_len = 5;
	marks_utf8[0] = "\xa9";
	o.marks = marks_utf8;
	o.nmarks = 1;
	m = print_as(o, &ev, 1, 1);
	is_str(m, "caf\033[7m\033[33m\xc3\xa9\033[0m\n",
		"a term inside a character marks the whole character");
	free(m);
}

/* --fields: the members' values, or a JSON object of them. */
static void test_fields(void)
{
	static const char *const fields[] = { "level", "msg", "a.b", "no" };
	static const char msg[] = "{\"msg\":\"disk\\u001b full\",\"level\":"
		"\"error\",\"a\":{\"b\":[1, 2]}}";
	struct cw_logs_event ev = { "/g", "s", "1", msg, sizeof(msg) - 1,
		1795413600250LL, 0 };
	struct cw_out o = { .format = CW_OUT_RAW, .fields = fields,
		.nfields = 4 };
	char *m;

	m = print_as(o, &ev, 0, 0);
	is_str(m, "error disk\033 full [1,2]\n", "raw: the values in the "
		"order asked, strings decoded");
	free(m);
	m = print_as(o, &ev, 1, 1);
	is_str(m, "\033[1m\033[31merror\033[0m disk\\033 full [1,2]\n",
		"a terminal: the level coloured, the decoded ESC escaped");
	free(m);
	o.format = CW_OUT_JSON;
	m = print_as(o, &ev, 0, 0);
	ok(strstr(m, ",\"message\":{\"level\":\"error\",\"msg\":\"disk\\u001b "
		"full\",\"a.b\":[1,2]}}\n") != NULL, "json: message an object "
		"of the fields it has");
	free(m);
	ev.message = "not json";
	ev.message_len = 8;
	m = print_as(o, &ev, 0, 0);
	ok(strstr(m, ",\"message\":\"not json\"}") != NULL,
		"json: a message that is no object stays whole");
	free(m);
}

/* Short on a terminal: time of day, a column cut in the middle. */
static void test_fitted(void)
{
	struct cw_logs_event ev = { "/ecs/prod/api", "ecs/api/0123456789abcdef",
		"1", "m", 1, 1795413600250LL, 0 };
	struct cw_out o = { .format = CW_OUT_SHORT, .width = 80,
		.show_group = 1, .group_skip = 10 };
	char *m;

	m = print_as(o, &ev, 1, 0);
	is_str(m, "06:00:00.250 api/ecs/a\xe2\x80\xa6" "6789abcdef m\n",
		"80 columns: a column of 20, cut in the middle");
	free(m);
	o.width = 200;
	m = print_as(o, &ev, 1, 0);
	is_str(m, "06:00:00.250 api/ecs/api/0123456789abcdef"
		"                     m\n", "200 columns: 48, the name whole");
	free(m);
	o.width = 40;
	m = print_as(o, &ev, 1, 0);
	is_str(m, "06:00:00.250 api/e\xe2\x80\xa6" "abcdef m\n",
		"40 columns: cut in the middle to 12");
	free(m);
	ev.stream = "s";
	m = print_as(o, &ev, 1, 0);
	is_str(m, "06:00:00.250 api/s        m\n", "a short one padded");
	free(m);
	o.no_source = 1;
	m = print_as(o, &ev, 1, 0);
	is_str(m, "06:00:00.250 m\n", "--no-prefix: no column");
	free(m);
	o.width = 0;
	o.no_source = 0;
	m = print_as(o, &ev, 0, 0);
	is_str(m, "2026-11-23 06:00:00.250 /ecs/prod/api/s m\n",
		"no width: the full time and names");
	free(m);
}

/* What fp's file holds, NUL-terminated, in *len bytes; the caller frees. */
static char *file_text(FILE *fp, size_t *len)
{
	long n = ftell(fp);
	char *t = malloc(n > 0 ? (size_t)n + 1 : 1);

	*len = n > 0 ? (size_t)n : 0;
	if (t && pread(fileno(fp), t, *len, 0) != (ssize_t)*len)
		*len = 0;
	if (t)
		t[*len] = '\0';
	return t;
}

/* Held lines reach the file in whole blocks of 64 KiB, the rest by
 * cw_out_flush(); the short time keeps each event's milliseconds. */
static void test_hold(void)
{
	struct cw_logs_event ev = { "/g", "s", "1", NULL, 0, 1795413600000LL,
		0 };
	struct cw_out o = { .format = CW_OUT_SHORT };
	char *text, msg[40], want[80];
	struct cw_buf all = CW_BUF_INIT;
	size_t len, seen = 0, bad = 0;
	int i;

	o.fp = tmpfile();
	cw_out_setup(&o, 0, 1);
	o.utc = 1;
	cw_out_hold(&o);
	for (i = 0; i < 3000; i++) {
		ev.timestamp = 1795413600000LL + i;
		ev.message_len = (size_t)snprintf(msg, sizeof(msg), "event %d", i);
		ev.message = msg;
		cw_out_event(&o, &ev);
		len = (size_t)ftell(o.fp);
		if (i == 0)
			is_int((long long)len, 0, "a held line is not written");
		if (len % 65536 != 0)
			bad++;
		seen = len;
	}
	ok(seen > 0 && bad == 0, "blocks of 64 KiB written before the end");
	is_int(cw_out_flush(&o), 0, "flushed");
	text = file_text(o.fp, &len);
	snprintf(want, sizeof(want), "2026-11-23 06:00:02.999 s event 2999\n");
	ok(text && len > strlen(want) &&
		strcmp(text + len - strlen(want), want) == 0,
		"the last line written by cw_out_flush");
	for (i = 0; i < 3000; i++)
		cw_buf_addf(&all, "2026-11-23 06:00:0%d.%03d s event %d\n",
			i / 1000, i % 1000, i);
	ok(text && len == all.len && memcmp(text, all.p, len) == 0,
		"every line whole across the blocks, its own milliseconds");
	cw_buf_release(&all);
	free(text);
	fclose(o.fp);
	cw_out_release(&o);
}

int main(void)
{
	struct cw_err e;
	enum cw_out_format f;
	char t[64];

	is_str(json("plain", 5), "\"plain\"", "plain string");
	is_str(json("a\"b\\c", 5), "\"a\\\"b\\\\c\"", "quote and backslash");
	is_str(json("\n\r\t\x01", 4), "\"\\n\\r\\t\\u0001\"", "control characters");
	is_str(json("caf\xc3\xa9", 5), "\"caf\xc3\xa9\"", "valid UTF-8 kept");
	is_str(json("a\xff" "b", 3), "\"a\\ufffdb\"", "invalid byte replaced");
	is_str(json("\xc0\xaf", 2), "\"\\ufffd\\ufffd\"", "overlong form replaced");
	is_str(json("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\"", "surrogate replaced");
	is_str(json("a\0b", 3), "\"a\\u0000b\"", "NUL escaped");
	is_str(json("\xe2\x82", 2), "\"\\ufffd\\ufffd\"", "truncated sequence replaced");

	ok(cw_out_parse_format("json", &f, &e) == 0 && f == CW_OUT_JSON, "json");
	ok(cw_out_parse_format("xml", &f, &e) < 0, "xml refused");

	setenv("TZ", "UTC", 1);
	cw_out_time(t, sizeof(t), 1795413600250LL, 1);
	is_str(t, "2026-11-23 06:00:00.250", "UTC time with milliseconds");
	{
		struct cw_out o = { .fp = NULL, .format = CW_OUT_AUTO };

		cw_out_setup(&o, 1, 0);
		ok(o.format == CW_OUT_SHORT && o.color, "tty: short, color");
		o.format = CW_OUT_AUTO;
		cw_out_setup(&o, 0, 0);
		ok(o.format == CW_OUT_RAW && !o.color, "pipe: raw, no color");
		o.format = CW_OUT_AUTO;
		cw_out_setup(&o, 1, 1);
		ok(!o.color, "NO_COLOR on a tty: no color");
		cw_out_release(&o);
	}
	{
		struct cw_logs_event ev = { "/g", "s", "1", "a\tb", 3, 1000,
			2000 };
		struct cw_out o = { .format = CW_OUT_JSON };
		char *mem = NULL;
		size_t len = 0;

		o.fp = open_memstream(&mem, &len);
		cw_out_setup(&o, 0, 0);
		cw_out_event(&o, &ev);
		ev.message = "second";
		ev.message_len = 6;
		o.format = CW_OUT_RAW;
		cw_out_event(&o, &ev);
		fclose(o.fp);
		is_str(mem, "{\"group\":\"/g\",\"stream\":\"s\",\"timestamp\":1000,"
			"\"ingestionTime\":2000,\"eventId\":\"1\",\"message\":"
			"\"a\\tb\"}\nsecond\n", "events print whole through the reused line");
		cw_out_release(&o);
		free(mem);
	}
	test_nul();
	test_vis();
	test_marks();
	test_fields();
	test_fitted();
	test_hold();
	return tap_done();
}
