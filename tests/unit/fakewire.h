#ifndef CW_FAKEWIRE_H
#define CW_FAKEWIRE_H

/*
 * A scripted wire and a fake clock for the client's unit tests: put
 * fake_wire in struct cw_client's wire, fake_wire_ctx() in its ctx. Each
 * request takes the next step of the script; time passes only through
 * the script's latencies and the client's sleeps, in milliseconds, and
 * nothing really sleeps.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cancel.h"
#include "client.h"
#include "ctx.h"
#include "http.h"

#define FAKE_MAX 32

struct fake_step {
	long status;		/* 0: a transport failure, code below */
	const char *code;	/* "ConnectionError", "Timeout", ... */
	const char *body;	/* one chunk, or chunks[] for a stream */
	const char *chunks[4];
	const char *broken;	/* after the body: this transport failure */
	const char *retry_after;
	int64_t latency_ms;
};

struct fake_wire {
	const struct fake_step *steps;
	size_t nsteps, next;
	int64_t now_ms;		/* our clock */
	int64_t server_skew_ms;	/* the server's clock runs this far ahead */
	int64_t slept[FAKE_MAX];
	size_t nslept;
	int64_t cancel_at_ms;	/* a signal comes then; 0: never */
	uint32_t random;
	struct cw_cancel cancel;
	char amz_date[FAKE_MAX][17];	/* X-Amz-Date of each request */
	size_t body_peak;	/* the most of a body held at once */
	struct cw_ctx ctx;
};

static void fake_tick(struct fake_wire *w, int64_t ms)
{
	w->now_ms += ms;
	if (w->cancel_at_ms && w->now_ms >= w->cancel_at_ms)
		w->cancel.signo = 2;
}

static int64_t fake_now(void *arg)
{
	return ((struct fake_wire *)arg)->now_ms;
}

static void fake_sleep(void *arg, int64_t ms)
{
	struct fake_wire *w = arg;

	if (w->nslept < FAKE_MAX)
		w->slept[w->nslept++] = ms;
	fake_tick(w, ms);
}

static uint32_t fake_random(void *arg)
{
	return ((struct fake_wire *)arg)->random;
}

static void fake_http_date(int64_t ms, char *out, size_t size)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Starts at 2026-01-15 10:00:00 UTC with a never-random jitter. */
__attribute__((unused))
static struct cw_ctx *fake_wire_init(struct fake_wire *w,
	const struct fake_step *steps, size_t n)
{
	memset(w, 0, sizeof(*w));
	w->steps = steps;
	w->nsteps = n;
	w->now_ms = 1768471200000;
	w->random = 999999;
	w->cancel.wake_fd = -1;
	w->ctx.now_ms = fake_now;
	w->ctx.sleep_ms = fake_sleep;
	w->ctx.random = fake_random;
	w->ctx.arg = w;
	w->ctx.cancel = &w->cancel;
	return &w->ctx;
}

static void fake_record(struct fake_wire *w, const struct cw_http_request *rq)
{
	size_t i, k = w->next < FAKE_MAX ? w->next : FAKE_MAX - 1;

	for (i = 0; i < rq->nheaders; i++)
		if (strcmp(rq->headers[i].name, "X-Amz-Date") == 0)
			snprintf(w->amz_date[k], sizeof(w->amz_date[k]), "%s",
				rq->headers[i].value);
}

static int fake_fail(struct cw_err *err, const char *code)
{
	cw_err_clear(err);
	snprintf(err->code, sizeof(err->code), "%s", code);
	return cw_err_set(err, "fake: %s", code);
}

/* cw_http_wire_fn: answers with the next step of the script. */
__attribute__((unused))
static int fake_wire(void *arg, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct fake_wire *w = arg;
	const struct fake_step *st;
	const char *one[2];
	const char *const *c;
	int rc = 0;

	cw_http_response_reset(resp);
	if (w->next >= w->nsteps)
		return fake_fail(err, "ScriptEnded");
	fake_record(w, rq);
	st = &w->steps[w->next++];
	fake_tick(w, st->latency_ms);
	if (cw_cancel_requested(&w->cancel))
		return cw_cancel_err(err);
	if (!st->status)
		return fake_fail(err, st->code);
	resp->status = st->status;
	fake_http_date(w->now_ms + w->server_skew_ms, resp->date,
		sizeof(resp->date));
	if (st->retry_after)
		snprintf(resp->retry_after, sizeof(resp->retry_after), "%s",
			st->retry_after);
	one[0] = st->body;
	one[1] = NULL;
	for (c = st->body ? one : st->chunks; *c && rc == 0; c++) {
		rc = cw_http_deliver(rq, resp, *c, strlen(*c));
		if (resp->body.len > w->body_peak)
			w->body_peak = resp->body.len;
	}
	if (rc < 0)
		return cw_err_set(err, "fake: response body larger than %zu "
			"bytes", resp->body.max);
	if (rc == 0 && st->broken)
		return fake_fail(err, st->broken);
	return 0;
}

/* A Logs client in us-east-1 signing with keys over the scripted wire w. */
__attribute__((unused))
static void fake_client_init(struct cw_client *c, struct fake_wire *w,
	const struct fake_step *steps, size_t n, const struct cw_keys *keys)
{
	memset(c, 0, sizeof(*c));
	c->ctx = fake_wire_init(w, steps, n);
	c->wire = fake_wire;
	c->wire_arg = w;
	c->fixed = keys;
	snprintf(c->region, sizeof(c->region), "us-east-1");
	snprintf(c->endpoint, sizeof(c->endpoint),
		"https://logs.us-east-1.amazonaws.com");
	snprintf(c->service, sizeof(c->service), "logs");
}

#endif
