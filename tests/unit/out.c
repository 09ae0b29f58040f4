#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "tap.h"
#include "banned.h"

static const char *json(const char *s, size_t n)
{
	static struct cw_buf b = CW_BUF_INIT;

	cw_buf_reset(&b);
	cw_out_json_string(&b, s, n);
	return cw_buf_str(&b);
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
		struct cw_logs_event ev = { "/g", "s", "1", "a\tb", 1000, 2000 };
		struct cw_out o = { .format = CW_OUT_JSON };
		char *mem = NULL;
		size_t len = 0;

		o.fp = open_memstream(&mem, &len);
		cw_out_setup(&o, 0, 0);
		cw_out_event(&o, &ev);
		ev.message = "second";
		o.format = CW_OUT_RAW;
		cw_out_event(&o, &ev);
		fclose(o.fp);
		is_str(mem, "{\"group\":\"/g\",\"stream\":\"s\",\"timestamp\":1000,"
			"\"ingestionTime\":2000,\"eventId\":\"1\",\"message\":"
			"\"a\\tb\"}\nsecond\n", "events print whole through the reused line");
		cw_out_release(&o);
		free(mem);
	}
	return tap_done();
}
