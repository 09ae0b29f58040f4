/* FilterLogEvents pages read without a tree, over the scripted wire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakewire.h"
#include "awsjson.h"
#include "client.h"
#include "logs.h"
#include "tap.h"
#include "banned.h"

static char ak[] = "AKIAIOSFODNN7EXAMPLE";
static char sk[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
static struct cw_keys keys = { ak, sk, NULL, 0, "test" };
static struct fake_wire w;
static struct cw_client c;
static struct cw_buf got = CW_BUF_INIT;
static struct cw_err e;

/* Each event as "stream|id|message(len)|timestamp|ingestion;". */
static int record(void *arg, const struct cw_logs_event *ev,
	struct cw_err *err)
{
	size_t i;

	(void)arg;
	(void)err;
	cw_buf_addf(&got, "%s|%s|", ev->stream, ev->event_id);
	for (i = 0; i < ev->message_len; i++)
		cw_buf_addc(&got, ev->message[i] ? ev->message[i] : '0');
	cw_buf_addf(&got, "(%zu)|%lld|%lld;", ev->message_len,
		(long long)ev->timestamp, (long long)ev->ingestion_time);
	return 0;
}

/* Reads the scripted pages of group /g; the return of cw_logs_filter. */
static int attempts = 1;

static int run(const struct fake_step *steps, size_t n, long limit)
{
	struct cw_logs_filter f = { "/g", NULL, NULL, 0, 0, limit, NULL, 0 };

	fake_client_init(&c, &w, steps, n, &keys);
	c.max_attempts = attempts;
	cw_buf_reset(&got);
	cw_err_clear(&e);
	return cw_logs_filter(&c, &f, record, NULL, &e);
}

static void pages(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"searchedLogStreams\":[{\"a\":1}],"
			"\"events\":[{\"logStreamName\":\"s1\",\"timestamp\":5,"
			"\"message\":\"one\",\"ingestionTime\":6,\"eventId\":"
			"\"e1\"},{\"message\":\"two\",\"timestamp\":7}],"
			"\"nextToken\":\"t1\"}" },
		{ .status = 200, .body = " { \"nextToken\" : \"\" , \"events\" :"
			" [ ] } " },
	};

	is_int(run(s, 2, 0), 0, "two pages read");
	is_str(cw_buf_str(&got), "s1|e1|one(3)|5|6;||two(3)|7|0;",
		"events in order; a missing stream or id is empty");
	is_int((long long)w.next, 2, "an empty token ends the paging");
}

static void strings(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":[{\"message\":"
			"\"a\\u0000b\\n\\u00e9\\ud83d\\ude00\",\"eventId\":\"x\","
			"\"eventId\":\"dup\",\"\\u006dessage\":\"second\"},"
			"{\"logStreamName\":\"s\"},[1],\"str\",{\"message\":5}]}" },
	};

	is_int(run(s, 1, 0), 0, "a page of odd events read");
	is_str(cw_buf_str(&got), "|x|a0b\n\xc3\xa9\xf0\x9f\x98\x80(10)|0|0;",
		"U+0000 kept with the length, escapes decoded, the first of "
		"duplicate keys; events with no message string passed over");
}

/* An eventId cut at its U+0000 would pass for another event's id: it is
 * given as none. */
static void nul_id(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":[{\"message\":\"a\","
			"\"eventId\":\"x\\u0000a\"},{\"message\":\"b\","
			"\"eventId\":\"x\\u0000b\"},{\"message\":\"c\","
			"\"eventId\":\"x\\u0041\"}]}" },
	};

	is_int(run(s, 1, 0), 0, "eventIds holding U+0000 read");
	is_str(cw_buf_str(&got), "||a(1)|0|0;||b(1)|0|0;|xA|c(1)|0|0;",
		"an eventId holding U+0000 is given as empty, not cut");
}

static void limit(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":[{\"message\":\"a\"},"
			"{\"message\":\"b\"},{\"message\":\"c\"}],"
			"\"nextToken\":\"more\"}" },
	};

	is_int(run(s, 1, 2), 0, "--limit 2 stops in the page");
	is_str(cw_buf_str(&got), "||a(1)|0|0;||b(1)|0|0;", "two events");
}

static void times(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":[{\"message\":\"m\","
			"\"timestamp\":1e300,\"ingestionTime\":-5},"
			"{\"message\":\"n\",\"timestamp\":1.7e12,"
			"\"ingestionTime\":\"12\"},{\"message\":\"o\","
			"\"timestamp\":9999999999999999}]}" },
	};
	char want[200];

	is_int(run(s, 1, 0), 0, "times of every shape read");
	snprintf(want, sizeof(want), "||m(1)|%lld|%lld;||n(1)|1700000000000|0;"
		"||o(1)|%lld|0;", (long long)CW_AWSJSON_BAD_TIME,
		(long long)CW_AWSJSON_BAD_TIME, (long long)CW_AWSJSON_BAD_TIME);
	is_str(cw_buf_str(&got), want, "out of range is a bad time, a "
		"string is no time, as cw_awsjson_time reads them");
}

/* Whole times of eight to fifteen digits, read eight at a time, and
 * numbers that only look like them. */
static void digits(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":["
			"{\"message\":\"a\",\"timestamp\":12345678,"
			"\"ingestionTime\":123456789},"
			"{\"message\":\"b\",\"timestamp\":1732960000123,"
			"\"ingestionTime\":253402300799999},"
			"{\"message\":\"c\",\"timestamp\":253402300800000,"
			"\"ingestionTime\":1234567890.0},"
			"{\"message\":\"d\",\"timestamp\":17329600.5e5,"
			"\"ingestionTime\":1000000000000000}]}" },
	};
	char want[300];

	is_int(run(s, 1, 0), 0, "times of 8 to 16 digits read");
	snprintf(want, sizeof(want), "||a(1)|12345678|123456789;"
		"||b(1)|1732960000123|253402300799999;||c(1)|%lld|1234567890;"
		"||d(1)|1732960050000|%lld;", (long long)CW_AWSJSON_BAD_TIME,
		(long long)CW_AWSJSON_BAD_TIME);
	is_str(cw_buf_str(&got), want, "digits, the last valid time, one "
		"past it, a fraction and an exponent");
}

/* Strings without escapes are read in place: the message is handed over
 * where it lies in the page, with its length; keys may be escaped. */
static void in_place(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":["
			"{\"logStreamName\":\"s\\u0031\",\"eventId\":\"i\","
			"\"message\":\"plain \\\"quoted\\\"\"},"
			"{\"\\u006cogStreamName\":\"s2\",\"eventI\\u0064\":"
			"\"j\",\"\\u0074imestamp\":42,\"message\":\"x y\"}]}" },
	};

	is_int(run(s, 1, 0), 0, "escaped and plain strings read");
	is_str(cw_buf_str(&got), "s1|i|plain \"quoted\"(14)|0|0;"
		"s2|j|x y(3)|42|0;", "each decoded, lengths exact");
}

/* Members in the service's order are read key by key; the rest of an
 * event, or one in another shape, as any object. */
static void service_order(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":["
			"{\"logStreamName\":\"s\",\"timestamp\":5,\"message\":"
			"\"m\",\"ingestionTime\":6,\"eventId\":\"i\","
			"\"timestamp\":9,\"message\":\"dup\"},"
			"{\"logStreamName\":7,\"timestamp\":{\"a\":1},"
			"\"message\":\"n\",\"logStreamName\":\"t\"},"
			"{\"logStreamName\":\"u\", \"timestamp\":8,"
			"\"message\":\"o\"}]}" },
	};

	is_int(run(s, 1, 0), 0, "events in the service's order read");
	is_str(cw_buf_str(&got), "s|i|m(1)|5|6;t||n(1)|0|0;u||o(1)|8|0;",
		"the first of duplicates; a member of another type, or after "
		"a blank, read by the general walk");
}

static void malformed(void)
{
	static const char *const bodies[] = {
		"{\"events\":[{\"message\":\"a\"},{\"message\":\"b\"}",
		"{\"events\":[{\"message\":\"a\"}]} x",
		"{\"events\":[{\"message\":\"a\"},{\"message\":tru}]}",
		"{\"events\":[{\"logStreamName\":\"s\",\"message\":\"a\\q\"}]}",
		"{\"events\":[{\"message\":\"a\"}],\"nextToken\":}",
		"[{\"message\":\"a\"}]",
		"<html>502 Bad Gateway</html>",
		"",
	};
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct fake_step s = { .status = 200, .body = bodies[i] };

		is_int(run(&s, 1, 0), -1, "a malformed page fails");
		is_str(cw_buf_str(&got), "", "...and nothing of it is given");
		ok(strstr(e.msg, "FilterLogEvents: response is") != NULL,
			"...saying so: %s", e.msg);
	}
}

static void repeat(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .body = "{\"events\":[],\"nextToken\":\"a\"}" },
		{ .status = 200, .body = "{\"events\":[],\"nextToken\":\"a\"}" },
	};

	is_int(run(s, 2, 0), -1, "a token given twice stops the paging");
	ok(strstr(e.msg, "repeats an earlier nextToken") != NULL, "%s", e.msg);
}

#define BAD "-9223372036854775808"	/* CW_AWSJSON_BAD_TIME */

/* A page of every shape the reader meets, read whole. */
static const char shapes[] = " {\"searchedLogStreams\":[{\"a\":[1,2]}],"
	"\"events\" : [ {\"logStreamName\":\"s1\",\"timestamp\":1732960000123,"
	"\"message\":\"one \\u00e9\\\"\",\"ingestionTime\":6,\"eventId\":"
	"\"e1\"}, 17, \"x\", {\"\\u006dessage\":\"two\",\"timestamp\":-7e2},"
	"{\"message\":\"\\ud83d\\ude00\",\"eventId\":\"i\\u0000\"},"
	"{\"logStreamName\":\"no message\"} ], \"n\":12345,"
	"\"nextToken\":\"t\\u0031\", \"z\":true } ";

/* The page cut in two, then in three, at every byte: the same events,
 * the same token, as read whole. */
static void cuts(void)
{
	struct fake_step s[2] = { { .status = 200, .body = shapes },
		{ .status = 200, .body = "{}" } };
	size_t n = strlen(shapes), i, j, bad = 0;
	char whole[512], a[512], b[512], d[512];

	is_int(run(s, 2, 0), 0, "a page of every shape read whole");
	snprintf(whole, sizeof(whole), "%s", cw_buf_str(&got));
	is_str(whole, "s1|e1|one \xc3\xa9\"(7)|1732960000123|6;"
		"||two(3)|" BAD "|0;||\xf0\x9f\x98\x80(4)|0|0;", "its events");
	s[0].body = NULL;
	for (i = 0; i <= n; i += 1)
		for (j = i; j <= n; j += i < 40 || i > n - 40 ? 1 : 7) {
			snprintf(a, sizeof(a), "%.*s", (int)i, shapes);
			snprintf(b, sizeof(b), "%.*s", (int)(j - i), shapes + i);
			snprintf(d, sizeof(d), "%s", shapes + j);
			s[0].chunks[0] = a;
			s[0].chunks[1] = b;
			s[0].chunks[2] = d;
			if (run(s, 2, 0) != 0 || strcmp(cw_buf_str(&got), whole)
			    || w.next != 2) {
				if (!bad++)
					diag("cut at %zu and %zu: %s", i, j,
						cw_buf_str(&got));
			}
		}
	is_int((long long)bad, 0, "cut anywhere, the page reads the same");
}

/* A page that breaks mid-body gives nothing; read again, each event
 * comes once. */
static void broken(void)
{
	static const struct fake_step s[] = {
		{ .status = 200, .chunks = { "{\"events\":[{\"message\":\"a\"},"
			"{\"message\":\"b\"},{\"mess" }, .broken = "ConnectionError" },
		{ .status = 200, .body = "{\"events\":[{\"message\":\"a\"},"
			"{\"message\":\"b\"},{\"message\":\"c\"}]}" },
	};

	is_int(run(s, 1, 0), -1, "a page cut by a dropped connection fails");
	is_str(cw_buf_str(&got), "", "...and nothing of it is given");
	attempts = 2;
	is_int(run(s, 2, 0), 0, "read again, it is read");
	attempts = 1;
	is_str(cw_buf_str(&got), "||a(1)|0|0;||b(1)|0|0;||c(1)|0|0;",
		"each event once");
}

/* An event of 300 KB, in four pieces. */
static void huge(void)
{
	struct fake_step s = { .status = 200 };
	char *one = malloc(200001), *two = malloc(100001);
	const char *g;

	memset(one, 'x', 200000);
	one[200000] = '\0';
	memset(two, 'y', 100000);
	two[100000] = '\0';
	s.chunks[0] = "{\"events\":[{\"message\":\"";
	s.chunks[1] = one;
	s.chunks[2] = two;
	s.chunks[3] = "\",\"eventId\":\"big\"}]}";
	is_int(run(&s, 1, 0), 0, "an event of 300 KB read");
	g = cw_buf_str(&got);
	ok(got.len == 5 + 300000 + 13 && strncmp(g, "|big|", 5) == 0
		&& g[5] == 'x' && g[200005] == 'y'
		&& strcmp(g + 300005, "(300000)|0|0;") == 0,
		"whole, its length exact");
	free(one);
	free(two);
}

/* A page of 512 KB in pieces is never held whole: what is held at once
 * is one piece and the event it cut. */
static void held(void)
{
	struct fake_step s = { .status = 200 };
	size_t per = 256 << 10, el = 128, i, k = 0;
	char *part = malloc(per + 1);

	for (i = 0; i + el <= per; i += el) {
		memset(part + i, 'x', el);
		memcpy(part + i, "{\"message\":\"", 12);
		memcpy(part + i + el - 3, "\"},", 3);
	}
	part[i] = '\0';
	s.chunks[0] = "{\"events\":[";
	s.chunks[1] = s.chunks[2] = part;
	s.chunks[3] = "{\"message\":\"end\"}]}";
	is_int(run(&s, 1, 0), 0, "a page of 512 KB in pieces read");
	for (i = 0; i < got.len; i++)
		k += got.p[i] == ';';
	is_int((long long)k, (long long)(2 * per / el + 1), "every event given");
	ok(w.body_peak < per + el, "at most a piece and an event held "
		"at once: %zu bytes", w.body_peak);
	free(part);
}

/* A page read as it comes is bounded as a whole, not by what it holds
 * at once: 33 MB of elements, each let go at once, pass the 32 MB cap. */
static void bound(void)
{
	struct fake_step s = { .status = 200 };
	size_t per = (size_t)11 << 20, el = 1024, i;
	char *part = malloc(per + 1);

	for (i = 0; i + el <= per; i += el) {
		memset(part + i, 'x', el);
		part[i] = '"';
		memcpy(part + i + el - 2, "\",", 2);
	}
	part[i] = '\0';
	s.chunks[0] = "{\"events\":[";
	s.chunks[1] = s.chunks[2] = s.chunks[3] = part;
	is_int(run(&s, 1, 0), -1, "a page of 33 MB read as it comes fails");
	ok(strstr(e.msg, "larger than") != NULL, "...as too large: %s", e.msg);
	is_str(cw_buf_str(&got), "", "...and nothing of it is given");
	free(part);
}

int main(void)
{
	pages();
	strings();
	nul_id();
	limit();
	times();
	digits();
	in_place();
	service_order();
	malformed();
	repeat();
	cuts();
	broken();
	huge();
	held();
	bound();
	cw_buf_release(&got);
	return tap_done();
}
