/* lib/livetail against a scripted Live Tail wire and a fake
 * FilterLogEvents: sessions that end or drop are resumed and their gap
 * read again, each event printed once; sampling is told once; a refusal
 * is told apart; bad frames end the run. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crc32.h"
#include "livetail.h"
#include "tap.h"
#include "banned.h"

#define T0 1768471200000LL

struct frame {
	const char *kind;	/* "event", "exception" */
	const char *type;
	const char *json;
};

struct step {
	long status;		/* 0: a transport failure before any data */
	struct frame f[4];
	const char *broken;	/* after the frames: this transport failure */
	const char *body;	/* a non-2xx answer */
	int corrupt;		/* flip a byte of the last frame's CRC */
};

struct world {
	pthread_mutex_t lock;
	const struct step *steps;
	size_t nsteps, next;
	struct cw_buf bodies;	/* the requests, one a line */
	struct cw_buf out, notes, fetches;
	const struct cw_logs_event *fill;	/* what FilterLogEvents has */
	const int *from_call;	/* each there from this fetch on */
	size_t nfill;
	int calls;
	int fail_at, fails;	/* fetches fail_at.. fail this often, then pass */
	int64_t slept;
	struct cw_ctx ctx;
	struct cw_cancel cancel;
};

static int64_t w_now(void *arg)
{
	(void)arg;
	return T0;
}

static void w_sleep(void *arg, int64_t ms)
{
	((struct world *)arg)->slept += ms;
}

static uint32_t w_random(void *arg)
{
	(void)arg;
	return 0;
}

static void put_header(struct cw_buf *b, const char *name, const char *v)
{
	size_t n = strlen(v);

	cw_buf_addc(b, (char)strlen(name));
	cw_buf_adds(b, name);
	cw_buf_addc(b, 7);
	cw_buf_addc(b, (char)(n >> 8));
	cw_buf_addc(b, (char)(n & 0xff));
	cw_buf_adds(b, v);
}

static void put32(struct cw_buf *b, uint32_t v)
{
	char p[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8),
		(char)v };

	cw_buf_add(b, p, 4);
}

/* One event-stream message, appended to out. */
static void encode(struct cw_buf *out, const struct frame *f, int corrupt)
{
	struct cw_buf h = CW_BUF_INIT, m = CW_BUF_INIT;
	size_t total;

	put_header(&h, ":message-type", f->kind);
	put_header(&h, strcmp(f->kind, "event") == 0 ? ":event-type" :
		":exception-type", f->type);
	put_header(&h, ":content-type", "application/json");
	total = 12 + h.len + strlen(f->json) + 4;
	put32(&m, (uint32_t)total);
	put32(&m, (uint32_t)h.len);
	put32(&m, cw_crc32(0, m.p, 8));
	cw_buf_add(&m, h.p, h.len);
	cw_buf_adds(&m, f->json);
	put32(&m, cw_crc32(0, m.p, m.len) ^ (corrupt ? 1u : 0u));
	cw_buf_add(out, m.p, m.len);
	cw_buf_release(&h);
	cw_buf_release(&m);
}

static int fail(struct cw_err *err, const char *code)
{
	cw_err_clear(err);
	snprintf(err->code, sizeof(err->code), "%s", code);
	return cw_err_set(err, "fake: %s", code);
}

static int wire(void *arg, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct world *w = arg;
	const struct step *st = NULL;
	struct cw_buf b = CW_BUF_INIT;
	size_t i;

	cw_http_response_reset(resp);
	pthread_mutex_lock(&w->lock);
	cw_buf_add(&w->bodies, rq->body, rq->body_len);
	cw_buf_addc(&w->bodies, '\n');
	if (w->next < w->nsteps)
		st = &w->steps[w->next++];
	pthread_mutex_unlock(&w->lock);
	if (!st)
		return fail(err, "ScriptEnded");
	if (!st->status)
		return fail(err, "ConnectionError");
	resp->status = st->status;
	if (st->body)
		return cw_http_deliver(rq, resp, st->body, strlen(st->body))
			< 0 ? -1 : 0;
	for (i = 0; i < 4 && st->f[i].kind; i++) {
		cw_buf_reset(&b);
		encode(&b, &st->f[i], st->corrupt && (i == 3 ||
			!st->f[i + 1].kind));
		if (cw_http_deliver(rq, resp, b.p, b.len))
			break;
	}
	cw_buf_release(&b);
	return st->broken ? fail(err, st->broken) : 0;
}

static int fetch(void *arg, const char *group, int64_t from,
	cw_logs_event_fn *ev, void *ev_arg, struct cw_err *err)
{
	struct world *w = arg;
	size_t i;
	int r;

	cw_buf_addf(&w->fetches, "%s@%lld ", group, (long long)(from - T0));
	for (i = 0; i < w->nfill; i++) {
		if (strcmp(w->fill[i].group, group) || w->fill[i].timestamp < from
		    || w->from_call[i] > w->calls)
			continue;
		r = ev(ev_arg, &w->fill[i], err);
		if (r)
			return r < 0 ? -1 : 0;
	}
	/* a failure after some of the gap was given */
	if (w->fails && w->calls == w->fail_at) {
		w->fails--;
		cw_err_set(err, "fake: ThrottlingException");
		return CW_LIVETAIL_FETCH_AGAIN;
	}
	w->calls++;
	return 0;
}

static int emit(void *arg, const struct cw_logs_event *e, struct cw_err *err)
{
	struct world *w = arg;

	size_t i;

	(void)err;
	cw_buf_addf(&w->out, "%s:", e->group);
	for (i = 0; i < e->message_len; i++)
		cw_buf_adds(&w->out, e->message[i] ? (char[2]){ e->message[i],
			0 } : "\\0");
	cw_buf_addc(&w->out, ' ');
	return 0;
}

static void note(void *arg, const struct cw_livetail_notice *n)
{
	struct world *w = arg;

	if (n->kind == CW_LIVETAIL_SAMPLED)
		cw_buf_addf(&w->notes, "sampled:%zu ", n->session);
	else if (n->kind == CW_LIVETAIL_OUTAGE)
		cw_buf_addf(&w->notes, "outage:%zu:%s ", n->session, n->why);
	else if (n->kind == CW_LIVETAIL_OUTAGE_END)
		cw_buf_addf(&w->notes, "outage-end:%zu ", n->session);
	else if (n->kind == CW_LIVETAIL_RESTART_FAILED)
		cw_buf_addf(&w->notes, "failing:%zu:%s ", n->session, n->why);
	else
		cw_buf_addf(&w->notes, "%s:%zu:%s:%lld ",
			n->kind == CW_LIVETAIL_SHORT ? "short" : "resumed",
			n->session, n->why, (long long)(n->from_ms - T0));
}

static const char *const names[] = { "/a", "/b", "/c", "/d", "/e", "/f",
	"/g", "/h", "/i", "/j", "/k", "/l" };
static const char *const arns[] = {
	"arn:aws:logs:us-east-1:1:log-group:/a",
	"arn:aws:logs:us-east-1:1:log-group:/b",
	"arn:aws:logs:us-east-1:1:log-group:/c",
	"arn:aws:logs:us-east-1:1:log-group:/d",
	"arn:aws:logs:us-east-1:1:log-group:/e",
	"arn:aws:logs:us-east-1:1:log-group:/f",
	"arn:aws:logs:us-east-1:1:log-group:/g",
	"arn:aws:logs:us-east-1:1:log-group:/h",
	"arn:aws:logs:us-east-1:1:log-group:/i",
	"arn:aws:logs:us-east-1:1:log-group:/j",
	"arn:aws:logs:us-east-1:1:log-group:/k",
	"arn:aws:logs:us-east-1:1:log-group:/l" };

static struct cw_keys keys = { "AKIAIOSFODNN7EXAMPLE",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", NULL, 0, "test" };

static int run(struct world *w, const struct step *steps, size_t n,
	size_t ngroups, struct cw_err *err)
{
	struct cw_livetail_cfg cfg;
	struct cw_client c;

	pthread_mutex_init(&w->lock, NULL);
	cw_buf_init(&w->bodies, 0);
	cw_buf_init(&w->out, 0);
	cw_buf_init(&w->notes, 0);
	cw_buf_init(&w->fetches, 0);
	w->steps = steps;
	w->nsteps = n;
	w->cancel.wake_fd = -1;
	w->ctx.now_ms = w_now;
	w->ctx.sleep_ms = w_sleep;
	w->ctx.random = w_random;
	w->ctx.arg = w;
	w->ctx.cancel = &w->cancel;
	memset(&c, 0, sizeof(c));
	c.ctx = &w->ctx;
	c.fixed = &keys;
	c.wire = wire;
	c.wire_arg = w;
	c.max_attempts = 1;
	snprintf(c.region, sizeof(c.region), "us-east-1");
	snprintf(c.endpoint, sizeof(c.endpoint), "http://127.0.0.1:1");
	snprintf(c.service, sizeof(c.service), "logs");
	memset(&cfg, 0, sizeof(cfg));
	cfg.groups = names;
	cfg.arns = arns;
	cfg.ngroups = ngroups;
	cfg.pattern = "ERROR";
	cfg.start_ms = T0 - 600000;
	cfg.client = &c;
	cfg.fetch = fetch;
	cfg.fetch_arg = w;
	cfg.emit = emit;
	cfg.emit_arg = w;
	cfg.notice = note;
	cfg.notice_arg = w;
	cw_err_clear(err);
	return cw_livetail_run(&cfg, err);
}

static void release(struct world *w)
{
	cw_buf_release(&w->bodies);
	cw_buf_release(&w->out);
	cw_buf_release(&w->notes);
	cw_buf_release(&w->fetches);
	pthread_mutex_destroy(&w->lock);
}

#define START { "event", "sessionStart", "{\"sessionId\":\"s\"}" }
/* What the service sends first; skipped. */
#define INITIAL { "event", "initial-response", "{}" }
#define RESULT(g, m, ts) "{\"logGroupIdentifier\":\"arn:aws:logs:us-east-1:1:" \
	"log-group:" g "\",\"logStreamName\":\"s\",\"message\":\"" m \
	"\",\"timestamp\":" #ts ",\"ingestionTime\":" #ts "}"
#define UPDATE(sampled, results) { "event", "sessionUpdate", \
	"{\"sessionMetadata\":{\"sampled\":" sampled "},\"sessionResults\":[" \
	results "]}" }

static void test_resume(void)
{
	static const struct step steps[] = {
		{ 200, { INITIAL, START, UPDATE("false", RESULT("/a", "a",
			1768471200001) "," RESULT("/b", "b", 1768471200002)),
			{ "exception", "SessionTimeoutException",
			  "{\"message\":\"Session timed out.\"}" } }, 0, 0, 0 },
		{ 200, { START, UPDATE("false", RESULT("/a", "c", 1768471200004)
			"," RESULT("/a", "d", 1768471200005)) },
		  "ConnectionError", 0, 0 },
		{ 200, { START, UPDATE("true", RESULT("/b", "e", 1768471200006)),
			UPDATE("true", RESULT("/b", "f", 1768471200007)),
			UPDATE("false", "") }, 0, 0, 0 },
		{ 403, { { 0 } }, 0, "{\"__type\":\"AccessDeniedException\","
		  "\"message\":\"no more\"}", 0 },
	};
	/* The service's side: an event before the start, one in the
	 * first gap, and what the stream gave too, each there from the
	 * fetch that follows its ingestion. */
	static const int from_call[] = { 0, 2, 2, 2, 2 };
	static const struct cw_logs_event fill[] = {
		{ "/a", "s", "1", "old", 3, T0 - 1000, T0 - 1000 },
		{ "/b", "s", "2", "b", 1, T0 + 2, T0 + 2 },
		{ "/a", "s", "3", "x", 1, T0 + 3, T0 + 3 },
		{ "/a", "s", "4", "c", 1, T0 + 4, T0 + 4 },
		{ "/a", "s", "5", "d", 1, T0 + 5, T0 + 5 },
	};
	struct world w = { .fill = fill, .from_call = from_call, .nfill = 5 };
	const char *b;
	struct cw_err err;
	int r = run(&w, steps, 4, 2, &err);

	is_int(r, -1, "a session refused after the start ends the run "
		"(an initial-response frame first is skipped)");
	is_str(err.msg, "AccessDeniedException: no more", "with its error");
	is_str(cw_buf_str(&w.out), "/a:old /a:a /b:b /a:x /a:c /a:d /b:e /b:f ",
		"every event once: the window, the stream, the gaps");
	/* The clock stands still: every session is short. */
	is_str(cw_buf_str(&w.notes), "short:0:SessionTimeoutException: "
		"Session timed out.:-10000 sampled:0 ",
		"a run of short sessions told once, sampling told once");
	is_int(w.slept, 500 + 1000 + 2000,
		"each short session paused after, twice as long each time");
	is_str(cw_buf_str(&w.fetches), "/a@-600000 /b@-600000 /a@-10000 "
		"/b@-10000 /a@-10000 /b@-10000 ",
		"the window, then each gap from the margin before the end");
#define BODY "{\"logGroupIdentifiers\":[\"arn:aws:logs:us-east-1:1:" \
	"log-group:/a\",\"arn:aws:logs:us-east-1:1:log-group:/b\"]," \
	"\"logEventFilterPattern\":\"ERROR\"}\n"
	b = cw_buf_str(&w.bodies);
	is_str(b, BODY BODY BODY BODY, "each request names the ARNs and the "
		"pattern");
	is_int((long long)w.next, 4, "four sessions were asked for");
	release(&w);
}

/* A gap that cannot be read at first is read again, without end, and
 * what a failed attempt gave is not printed twice. */
static void test_backfill_again(void)
{
	static const struct step steps[] = {
		{ 200, { START, UPDATE("false", RESULT("/a", "a", 1768471200001)),
			{ "exception", "SessionTimeoutException",
			  "{\"message\":\"Session timed out.\"}" } }, 0, 0, 0 },
		{ 200, { START, UPDATE("false", RESULT("/a", "c", 1768471200004)) },
		  0, 0, 0 },
		{ 403, { { 0 } }, 0, "{\"__type\":\"AccessDeniedException\","
		  "\"message\":\"no more\"}", 0 },
	};
	static const int from_call[] = { 0, 1, 1 };
	static const struct cw_logs_event fill[] = {
		{ "/a", "s", "1", "old", 3, T0 - 1000, T0 - 1000 },
		{ "/a", "s", "3", "x", 1, T0 + 3, T0 + 3 },
		{ "/a", "s", "4", "c", 1, T0 + 4, T0 + 4 },
	};
	struct world w = { .fill = fill, .from_call = from_call, .nfill = 3,
		.fail_at = 1, .fails = 3 };
	struct cw_err err;
	int r = run(&w, steps, 3, 1, &err);

	is_int(r, -1, "the run ends at the refusal");
	is_str(cw_buf_str(&w.out), "/a:old /a:a /a:x /a:c ",
		"every event once, though the gap was given three times "
		"before it was read whole");
	is_str(cw_buf_str(&w.notes), "short:0:SessionTimeoutException: "
		"Session timed out.:-10000 outage:0:fake: ThrottlingException "
		"outage-end:0 ",
		"one notice when the reading fails, one when it is over");
	is_str(cw_buf_str(&w.fetches), "/a@-600000 /a@-10000 /a@-10000 "
		"/a@-10000 /a@-10000 ", "the gap read four times");
	/* The jitter is never random here: the least of each pause. */
	ok(w.slept >= 500 + 1000 + 2000, "with growing pauses between: "
		"%lld ms", (long long)w.slept);
	release(&w);
}

static void test_refused(void)
{
	static const struct step steps[] = {
		{ 400, { { 0 } }, 0, "{\"__type\":\"AccessDeniedException\","
		  "\"message\":\"not allowed\"}", 0 },
		{ 400, { { 0 } }, 0, "{\"__type\":\"AccessDeniedException\","
		  "\"message\":\"not allowed\"}", 0 },
	};
	struct world w = { 0 };
	struct cw_err err;
	int r = run(&w, steps, 2, 12, &err);
	const char *b = cw_buf_str(&w.bodies);

	is_int(r, CW_LIVETAIL_REFUSED, "refused at the start: told apart");
	is_str(err.msg, "AccessDeniedException: not allowed", "with why");
	is_str(cw_buf_str(&w.out), "", "nothing printed");
	ok(strstr(b, "/j\"],") && strstr(b, "{\"logGroupIdentifiers\":[\"arn:"
		"aws:logs:us-east-1:1:log-group:/k\",\"arn:aws:logs:us-east-1:"
		"1:log-group:/l\"]"), "12 groups: sessions of 10 and 2");
	release(&w);
}

static void test_empty_streams(void)
{
	static const struct step steps[] = {
		{ 200, { { 0 } }, 0, 0, 0 },
		{ 200, { { 0 } }, 0, 0, 0 },
		{ 400, { { 0 } }, 0, "{\"__type\":\"AccessDeniedException\","
		  "\"message\":\"no\"}", 0 },
	};
	struct world w = { 0 };
	struct cw_err err;
	int r = run(&w, steps, 3, 1, &err);

	is_int(r, CW_LIVETAIL_REFUSED, "empty streams, then a refusal");
	is_int(w.slept, 500 + 1000, "each empty stream is followed by a "
		"longer pause");
	release(&w);
}

static void test_nul(void)
{
	static const struct step steps[] = {
		{ 200, { START, UPDATE("false", RESULT("/a", "x\\u0000y", 1)
			"," RESULT("/a", "z", 2)) }, 0, 0, 0 },
		{ 403, { { 0 } }, 0, "{\"__type\":\"AccessDeniedException\"}",
		  0 },
	};
	struct world w = { 0 };
	struct cw_err err;

	run(&w, steps, 2, 1, &err);
	is_str(cw_buf_str(&w.out), "/a:x\\0y /a:z ",
		"a streamed message holds U+0000 whole");
	release(&w);
}

static void test_bad_frame(void)
{
	static const struct step steps[] = {
		{ 200, { START, UPDATE("false", RESULT("/a", "a", 1)) }, 0, 0, 1 },
	};
	struct world w = { 0 };
	struct cw_err err;
	int r = run(&w, steps, 1, 1, &err);

	is_int(r, -1, "a bad CRC ends the run");
	ok(strstr(err.msg, "event stream: message 2 at byte ") &&
		strstr(err.msg, ": message CRC mismatch"), "and says so: %s",
		err.msg);
	release(&w);
}

static void test_request(void)
{
	char *s = cw_livetail_request(arns, 1, NULL);

	is_str(s, "{\"logGroupIdentifiers\":[\"arn:aws:logs:us-east-1:1:"
		"log-group:/a\"]}", "a request without a pattern");
	free(s);
}

int main(void)
{
	test_request();
	test_resume();
	test_backfill_again();
	test_refused();
	test_empty_streams();
	test_nul();
	test_bad_frame();
	return tap_done();
}
