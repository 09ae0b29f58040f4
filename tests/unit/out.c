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
	test_hold();
	return tap_done();
}
