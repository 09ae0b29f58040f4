/* The one escaper (lib/vis) and the one JSON string writer (lib/json)
 * over every byte, the C1 controls as UTF-8, and malformed UTF-8. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "vis.h"
#include "tap.h"
#include "banned.h"

static const char *vis(const char *s, size_t n, unsigned flags)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_vis_x(&b, s, n, flags, 0);
	return cw_buf_str(&b);
}

static const char *quote(const char *s, size_t n)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_json_quote(&b, s, n);
	return cw_buf_str(&b);
}

/* Strict UTF-8, written apart from the code under test. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, len, k;
	unsigned long cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		len = s[i] >= 0xf0 && s[i] < 0xf8 ? 4 : s[i] >= 0xe0 && s[i]
			< 0xf0 ? 3 : s[i] >= 0xc0 && s[i] < 0xe0 ? 2 : 0;
		if (!len || n - i < len)
			return 0;
		cp = s[i] & (0x7f >> len);
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < (len == 2 ? 0x80UL : len == 3 ? 0x800UL : 0x10000UL)
				|| cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* No byte a terminal takes as a control: below 0x20 but those in keep,
 * DEL, or a C1 control alone or as UTF-8. */
static int safe(const char *str, const char *keep)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; s[i]; i++)
		if ((s[i] < 0x20 && !strchr(keep, s[i])) || s[i] == 0x7f
				|| (s[i] >= 0x80 && s[i] < 0xa0 && !(i && s[i - 1]
				>= 0xc0)) || (s[i] == 0xc2 && s[i + 1] >= 0x80
				&& s[i + 1] < 0xa0))
			return 0;
	return 1;
}

static void test_bytes(void)
{
	char want[8], c;
	int i, bad_plan = 0, bad_vis = 0, bad_json = 0, bad_safe = 0;
	const char *got;

	for (i = 0; i < 256; i++) {
		c = (char)i;
		/* the plans: everything but printable ASCII as \xNN */
		if (i >= 0x20 && i < 0x7f && i != '\\')
			snprintf(want, sizeof(want), "%c", i);
		else if (i == '\\')
			snprintf(want, sizeof(want), "\\");
		else
			snprintf(want, sizeof(want), "\\x%02x", i);
		got = vis(&c, 1, CW_VIS_PLAN);
		if (strcmp(got, want) != 0 && ++bad_plan)
			diag("plan %#x: %s", i, got);
		bad_safe += !safe(got, "") || !utf8_ok((const void *)got,
			strlen(got));
		/* log data: controls octal, tab and newline and 0xa0.. kept */
		if ((i < 0x20 && i != '\t' && i != '\n') || (i >= 0x7f
				&& i < 0xa0))
			snprintf(want, sizeof(want), "\\%03o", i);
		else
			snprintf(want, sizeof(want), "%c", i);
		got = vis(&c, 1, 0);
		if (strcmp(got, want) != 0 && ++bad_vis)
			diag("vis %#x: %s", i, got);
		bad_safe += !safe(got, "\t\n");
		got = quote(&c, 1);
		bad_json += !cw_json_valid(got, strlen(got));
		bad_safe += !safe(got, "") || !utf8_ok((const void *)got,
			strlen(got));
		if (i >= 0x7f && strcmp(got, i < 0x80 ? "\"\\u007f\""
				: "\"\\ufffd\"") != 0 && ++bad_json)
			diag("json %#x: %s", i, got);
	}
	ok(!bad_plan, "plan escape of each byte 0x00..0xff alone");
	ok(!bad_vis, "vis escape of each byte 0x00..0xff alone");
	ok(!bad_json, "json quote of each byte 0x00..0xff alone");
	ok(!bad_safe, "no control byte and valid UTF-8 out, every byte in");
}

static void test_c1(void)
{
	char in[3], want[16];
	int cp, bad_plan = 0, bad_line = 0, bad_vis = 0, bad_json = 0;
	struct cw_buf b = CW_BUF_INIT;
	size_t len;
	const char *got;

	for (cp = 0x80; cp < 0xa0; cp++) {
		in[0] = (char)0xc2;
		in[1] = (char)cp;
		in[2] = '\0';
		snprintf(want, sizeof(want), "\\xc2\\x%02x", cp);
		bad_plan += strcmp(vis(in, 2, CW_VIS_PLAN), want) != 0;
		snprintf(want, sizeof(want), "\\302\\%03o", cp);
		bad_vis += strcmp(vis(in, 2, 0), want) != 0;
		bad_line += strcmp(vis(in, 2, CW_VIS_LINE | CW_VIS_UTF8),
			want) != 0;
		snprintf(want, sizeof(want), "\"\\u%04x\"", cp);
		got = quote(in, 2);
		bad_json += strcmp(got, want) != 0;
		/* parses back to the same bytes */
		cw_buf_reset(&b);
		bad_json += cw_json_string(&b, got, got + strlen(got), &len)
			< 0 || len != 2 || memcmp(b.p, in, 2) != 0;
	}
	cw_buf_release(&b);
	ok(!bad_plan, "plan: U+0080..U+009F as UTF-8 escaped");
	ok(!bad_vis, "vis: U+0080..U+009F as UTF-8 escaped");
	ok(!bad_line, "one-line view: U+0080..U+009F as UTF-8 escaped");
	ok(!bad_json, "json: U+0080..U+009F as \\u0080..\\u009f, read back "
		"the same");
	is_str(vis("\xc2\x9b" "31m\xc2\x9d" "0;x\x07", 11, CW_VIS_PLAN),
		"\\xc2\\x9b31m\\xc2\\x9d0;x\\x07", "plan: CSI and OSC");
	is_str(vis("caf\xc3\xa9 \xc2\xa0\xe2\x86\x92", 11, CW_VIS_PLAN),
		"caf\xc3\xa9 \xc2\xa0\xe2\x86\x92", "plan: UTF-8 text kept");
	is_str(quote("caf\xc3\xa9 \xc2\xa0", 8), "\"caf\xc3\xa9 \xc2\xa0\"",
		"json: UTF-8 text kept");
}

static void test_malformed(void)
{
	uint32_t cp;

	is_str(vis("\xc0\x9b", 2, CW_VIS_PLAN), "\\xc0\\x9b",
		"plan: overlong ESC escaped");
	is_str(vis("\xe0\x82\x9b", 3, CW_VIS_PLAN), "\\xe0\\x82\\x9b",
		"plan: three-byte overlong C1 escaped");
	is_str(vis("\xed\xa0\x80", 3, CW_VIS_PLAN), "\\xed\\xa0\\x80",
		"plan: a surrogate escaped");
	is_str(vis("\xf4\x90\x80\x80", 4, CW_VIS_PLAN),
		"\\xf4\\x90\\x80\\x80", "plan: past U+10FFFF escaped");
	is_str(vis("a\xe2\x82", 3, CW_VIS_PLAN), "a\\xe2\\x82",
		"plan: a truncated sequence escaped");
	is_str(vis("\xc0\x9b", 2, 0), "\xc0\\233",
		"vis: the C1 byte of an overlong form escaped");
	is_str(quote("\xc0\x9b", 2), "\"\\ufffd\\ufffd\"",
		"json: overlong as U+FFFD");
	is_str(quote("\xed\xa0\x80", 3), "\"\\ufffd\\ufffd\\ufffd\"",
		"json: surrogate as U+FFFD");
	is_str(quote("\x7f\x1b", 2), "\"\\u007f\\u001b\"", "json: DEL, ESC");
	ok(cw_vis_utf8("\xf4\x8f\xbf\xbf", 4, &cp) == 4 && cp == 0x10ffff,
		"utf8: U+10FFFF read");
	ok(cw_vis_utf8("\xed\xbf\xbf", 3, &cp) == 0
		&& cw_vis_utf8("\xc1\xbf", 2, &cp) == 0
		&& cw_vis_utf8("\xf8\x88\x80\x80\x80", 5, &cp) == 0,
		"utf8: surrogate, overlong, five bytes refused");
}

/* cw_json_print writes what cJSON writes, its strings by cw_json_quote. */
static void test_print(void)
{
	cJSON *o = cJSON_CreateObject();
	struct cw_buf b = CW_BUF_INIT;
	char *ref;

	cJSON_AddStringToObject(o, "a", "x\"\\y\n");
	cJSON_AddNumberToObject(o, "n", 0.1);
	cJSON_AddItemToObject(o, "l", cJSON_CreateIntArray((int[]){ 1, 2 },
		2));
	ref = cJSON_Print(o);
	ok(cw_json_print(&b, o, 1) == 0 && strcmp(cw_buf_str(&b), ref) == 0,
		"print: indented text as cJSON writes it");
	cJSON_free(ref);
	ref = cJSON_PrintUnformatted(o);
	cw_buf_reset(&b);
	ok(cw_json_print(&b, o, 0) == 0 && strcmp(cw_buf_str(&b), ref) == 0,
		"print: compact text as cJSON writes it");
	cJSON_free(ref);
	cJSON_AddStringToObject(o, "k\xc2\x9b", "\xc2\x9d" "0;t\x07\xff");
	cw_buf_reset(&b);
	cw_json_print(&b, o, 0);
	ok(strstr(cw_buf_str(&b), "\"k\\u009b\":\"\\u009d0;t\\u0007\\ufffd\"")
		!= NULL && safe(cw_buf_str(&b), "")
		&& cw_json_valid(b.p, b.len), "print: C1 in keys and values "
		"escaped, invalid UTF-8 as U+FFFD, valid JSON");
	cw_buf_release(&b);
	cJSON_Delete(o);
}

/* Display columns as a terminal shows them, in a UTF-8 locale. */
static void test_cols(void)
{
	static const struct { const char *s; size_t cols; } cases[] = {
		{ "abc", 3 },
		{ "\xe6\x97\xa5\xe6\x9c\xac", 4 },	/* CJK: two each */
		{ "\xf0\x9f\x99\x82", 2 },		/* an emoji */
		{ "e\xcc\x81", 1 },			/* e + combining acute */
		{ "\xff", 1 },				/* not UTF-8: one */
		{ "\\377", 4 },			/* its escape: as shown */
		{ "", 0 },
	};
	size_t i;

	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		ok(1, "# SKIP no C.UTF-8 locale");
		return;
	}
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		is_int((long long)cw_vis_cols(cases[i].s, strlen(cases[i].s)),
			(long long)cases[i].cols, cases[i].s);
	setlocale(LC_CTYPE, "C");
}

static void test_mask(void)
{
	char s[] = "t-\a \033[31m \xc2\x9b" "2J \xc2\x85 \x9b caf\xc3\xa9 \\ \xe2\x82";

	cw_vis_mask(s, CW_VIS_LINE | CW_VIS_UTF8);
	is_str(s, "t-? ?[31m ?2J ? ? caf\xc3\xa9 \\ ??",
		"mask: C0, C1 as UTF-8 and alone, bad UTF-8 as one ? each");
}

int main(void)
{
	test_bytes();
	test_c1();
	test_malformed();
	test_print();
	test_mask();
	test_cols();
	return tap_done();
}
