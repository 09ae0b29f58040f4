#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "awsjson.h"
#include "buf.h"
#include "evstream.h"
#include "json.h"
#include "livetail.h"
#include "merge.h"
#include "pace.h"
#include "seen.h"
#include "sigv4.h"
#include "vis.h"
#include "banned.h"

/* Events waiting to be printed, in bytes, before a session's reader
 * waits: the server then buffers, and samples past its own bound. */
#define QUEUE_MAX_BYTES ((size_t)64 << 20)
/* The printing thread looks at stop() and the signal this often. */
#define WAIT_MS 100
/* Digests of printed events outlive the backfill margin by this much:
 * a stream delivers what was ingested before a backfill within it. */
#define KEEP_EXTRA_MS 120000
/* A session that ends sooner than this after it was asked for is short:
 * the next one waits, 1 s growing to 30 s, so that a service that ends
 * every session at once is not asked again and again, each restart
 * reading its gap with FilterLogEvents (a quota the account shares). */
#define SHORT_MS 5000
/* One backoff (lib/pace) for restarts and gap reads that fail: about
 * PAUSE_MIN_MS, doubling up to PAUSE_MAX_MS, half of it jittered. */
#define PAUSE_MIN_MS 1000
#define PAUSE_MAX_MS 30000
/* A restart that keeps failing is told at most this often. */
#define TELL_EVERY_MS 60000
/* The service sends a frame every second, empty when nothing came: a
 * stream silent this long, inside a frame or between two, is dead, and
 * is resumed as a dropped one. The transfer's own read timeout, when
 * given, is used instead. */
#define STALL_MS 15000

enum item_kind {
	IT_EVENT, IT_STARTED, IT_SAMPLED, IT_FAILED, IT_RETRYING
};
enum state { ST_STARTING, ST_LIVE, ST_REFUSED, ST_DONE };

struct item {
	struct item *next;
	enum item_kind kind;
	size_t session;
	struct cw_logs_event e;		/* IT_EVENT: strings in mem */
	char *mem;
	size_t gi;			/* IT_EVENT: the group's index */
	int64_t from_ms;		/* IT_STARTED: backfill from; 0 none */
	int resumed;			/* IT_STARTED: see session_start() */
	struct cw_err err;		/* IT_FAILED, IT_RETRYING;
					 * IT_STARTED: why resumed */
};

struct cw_livetail;

struct session {
	struct cw_livetail *lt;
	size_t index, first, n;		/* groups first..first+n-1 */
	pthread_t th;
	int th_started;
	struct cw_client c;
	struct cw_http *http;
	struct cw_keys keys;		/* a copy, taken under the lock */
	struct cw_keys_source src;	/* the template's */
	char *body;
	struct cw_evstream *dec;
	enum state state;		/* under lt->lock */
	int started;			/* a sessionStart came, ever */
	int greeted;			/* one came on this connection */
	struct cw_pace_poll pace;	/* the pause before a restart */
	int short_run;			/* short sessions in a row */
	int64_t told_ms;		/* a failing restart was told; 0 not */
	int sampled;
	int64_t last_ms;		/* our clock at the last frame */
	int bad;			/* a bad frame or payload: ferr */
	struct cw_err ferr;
	char why[1024];			/* the exception that ended it */
	int resumed;
	char resumed_why[1024];
};

struct cw_livetail {
	const struct cw_livetail_cfg *cfg;
	const struct cw_ctx *ctx;
	struct session *s;
	size_t ns;
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* an item, a state, room */
	struct item *head, *tail;
	size_t bytes;
	int quit;
	struct cw_seen *seen;
};

static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

char *cw_livetail_request(const char *const *arns, size_t n,
	const char *pattern)
{
	cJSON *req = cJSON_CreateObject(), *list;
	char *s = NULL;
	size_t i;
	int ok = req != NULL;

	list = ok ? cJSON_AddArrayToObject(req, "logGroupIdentifiers") : NULL;
	ok = list != NULL;
	for (i = 0; ok && i < n; i++)
		ok = cJSON_AddItemToArray(list, cJSON_CreateString(arns[i]));
	if (ok && pattern && *pattern)
		ok = cJSON_AddStringToObject(req, "logEventFilterPattern",
			pattern) != NULL;
	if (ok)
		s = cJSON_PrintUnformatted(req);
	cJSON_Delete(req);
	return s;
}

static int quitting(struct cw_livetail *lt)
{
	int q;

	pthread_mutex_lock(&lt->lock);
	q = lt->quit;
	pthread_mutex_unlock(&lt->lock);
	return q || cw_ctx_cancelled(lt->ctx);
}

static void item_free(struct item *it)
{
	free(it->mem);
	free(it);
}

/* Appends it; waits while the queue is over its bound. */
static void push(struct session *s, struct item *it)
{
	struct cw_livetail *lt = s->lt;

	it->session = s->index;
	pthread_mutex_lock(&lt->lock);
	while (lt->bytes > QUEUE_MAX_BYTES && !lt->quit)
		pthread_cond_wait(&lt->changed, &lt->lock);
	if (lt->tail)
		lt->tail->next = it;
	else
		lt->head = it;
	lt->tail = it;
	lt->bytes += sizeof(*it) + it->e.message_len;
	pthread_cond_broadcast(&lt->changed);
	pthread_mutex_unlock(&lt->lock);
}

static struct item *new_item(enum item_kind kind)
{
	struct item *it = calloc(1, sizeof(*it));

	if (it)
		it->kind = kind;
	return it;
}

static void set_state(struct session *s, enum state st)
{
	pthread_mutex_lock(&s->lt->lock);
	s->state = st;
	pthread_cond_broadcast(&s->lt->changed);
	pthread_mutex_unlock(&s->lt->lock);
}

static int fail(struct session *s, const char *why)
{
	s->bad = 1;
	return cw_err_set(&s->ferr, "live tail: %s", why);
}

/* The session's group an identifier names: its ARN as sent, its name,
 * or the ARN's name part. */
static size_t group_of(const struct session *s, const char *ident)
{
	const struct cw_livetail_cfg *cfg = s->lt->cfg;
	const char *name = strstr(ident, ":log-group:");
	size_t i, n;

	name = name ? name + 11 : ident;
	n = strlen(name);
	if (n >= 2 && strcmp(name + n - 2, ":*") == 0)
		n -= 2;
	for (i = s->first; i < s->first + s->n; i++)
		if (strcmp(cfg->arns[i], ident) == 0 ||
		    strcmp(cfg->groups[i], ident) == 0 ||
		    (strlen(cfg->groups[i]) == n &&
		     memcmp(cfg->groups[i], name, n) == 0))
			return i;
	return (size_t)-1;
}

/* One result of a sessionUpdate as an item owning its strings. */
/*
 * cJSON ends a string at U+0000: when the update holds one, each message
 * is decoded again from the raw text, with its length. raw_next() gives
 * the message of the next raw element of sessionResults, in order.
 */
struct raw_results {
	const char *at, *end;	/* the next element; NULL when not used */
	struct cw_buf msg;
};

static void raw_start(struct raw_results *r, const struct cw_evstream_msg *m)
{
	const char *a;

	r->end = m->payload + m->payload_len;
	r->at = NULL;
	cw_buf_init(&r->msg, 0);
	if (!memmem(m->payload, m->payload_len, "\\u0000", 6))
		return;
	a = cw_json_member(m->payload, r->end, "sessionResults", 14);
	if (a && *a == '[')
		r->at = a + 1;
}

/* The next element's message into r->msg; 0 when there is none. */
static int raw_next(struct raw_results *r, size_t *len)
{
	const char *m, *next;
	int ok = 0;

	if (!r->at)
		return 0;
	m = cw_json_member(r->at, r->end, "message", 7);
	cw_buf_reset(&r->msg);
	if (m && *m == '"' && cw_json_string(&r->msg, m, r->end, len) == 0)
		ok = 1;
	next = cw_json_skip(r->at, r->end);
	next = next ? cw_json_ws(next, r->end) : NULL;
	r->at = next && next < r->end && *next == ',' ? next + 1 : NULL;
	return ok;
}

static int push_event(struct session *s, const cJSON *r,
	struct raw_results *raw)
{
	const char *ident = cw_awsjson_str(r, "logGroupIdentifier");
	const char *st = cw_awsjson_str(r, "logStreamName");
	const char *msg = cw_awsjson_str(r, "message");
	struct item *it;
	size_t gi, ls, lm = msg ? strlen(msg) : 0;

	if (raw_next(raw, &lm))
		msg = cw_buf_str(&raw->msg);

	if (!ident || !msg)
		return 0;
	gi = group_of(s, ident);
	if (gi == (size_t)-1)
		return 0;	/* not ours: nothing to print it as */
	st = st ? st : "";
	ls = strlen(st) + 1;
	it = new_item(IT_EVENT);
	if (!it || !(it->mem = malloc(ls + lm + 1))) {
		free(it);
		return fail(s, "out of memory");
	}
	it->gi = gi;
	it->e.group = s->lt->cfg->groups[gi];
	it->e.stream = memcpy(it->mem, st, ls);
	it->e.message = memcpy(it->mem + ls, msg, lm);
	it->mem[ls + lm] = '\0';
	it->e.message_len = lm;
	it->e.event_id = "";
	it->e.timestamp = cw_awsjson_time(r, "timestamp");
	it->e.ingestion_time = cw_awsjson_time(r, "ingestionTime");
	push(s, it);
	return 0;
}

static int session_update(struct session *s, const struct cw_evstream_msg *m)
{
	cJSON *j = cJSON_ParseWithLength(m->payload, m->payload_len);
	const cJSON *meta, *list, *r;
	struct raw_results raw;
	struct item *it;
	int sampled, rc = 0;

	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return fail(s, "sessionUpdate: not a JSON object");
	}
	meta = cJSON_GetObjectItemCaseSensitive(j, "sessionMetadata");
	sampled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(meta,
		"sampled"));
	if (sampled && !s->sampled && (it = new_item(IT_SAMPLED)))
		push(s, it);
	s->sampled = sampled;
	list = cJSON_GetObjectItemCaseSensitive(j, "sessionResults");
	raw_start(&raw, m);
	cJSON_ArrayForEach(r, list)
		if ((rc = push_event(s, r, &raw)) < 0)
			break;
	cw_buf_release(&raw.msg);
	cJSON_Delete(j);
	return rc;
}

static void session_start(struct session *s)
{
	const struct cw_livetail_cfg *cfg = s->lt->cfg;
	struct item *it = new_item(IT_STARTED);

	/* resumed: 0 the first start, 1 after a session, 2 after the first
	 * short one of a run, 3 after the others (not told). */
	if (it) {
		it->resumed = !s->started ? 0 : s->short_run < 2 ?
			1 + s->short_run : 3;
		if (s->started) {
			it->from_ms = s->last_ms - cfg->margin_ms;
			cw_err_set(&it->err, "%s", s->resumed_why);
		} else
			it->from_ms = cfg->start_ms;
		push(s, it);
	}
	if (!s->started)
		set_state(s, ST_LIVE);
	s->started = s->greeted = 1;
	s->told_ms = 0;
	/* Once live, a failed restart is paced and told by session_main. */
	s->c.max_attempts = 1;
}

/* An in-stream exception or error: "Type: message". */
static void ended(struct session *s, const struct cw_evstream_msg *m,
	const struct cw_evstream_class *c)
{
	cJSON *j = cJSON_ParseWithLength(m->payload, m->payload_len);
	const char *msg = *c->message ? c->message :
		cw_awsjson_str(j, "message");
	struct cw_buf b = CW_BUF_INIT;

	cw_buf_adds(&b, *c->type ? c->type : "error");
	if (msg && *msg) {
		cw_buf_adds(&b, ": ");
		cw_vis_line(&b, msg, 300, 0);
	}
	snprintf(s->why, sizeof(s->why), "%s", cw_buf_str(&b));
	cw_buf_release(&b);
	cJSON_Delete(j);
}

static int on_msg(void *arg, const struct cw_evstream_msg *m,
	struct cw_err *err)
{
	struct session *s = arg;
	struct cw_evstream_class c;

	(void)err;
	cw_evstream_classify(m, &c);
	if (c.kind == CW_EVSTREAM_EVENT) {
		int start = strcmp(c.type, "sessionStart") == 0;
		int update = strcmp(c.type, "sessionUpdate") == 0;

		/* Other events (the initial-response the JSON protocols
		 * send first) say nothing of the session: skipped, or a
		 * resumed session would read its gap from their time. */
		if (!start && !update)
			return 0;
		/* A resumed session reads again from the previous one's
		 * last frame: set the time after. */
		if (start)
			session_start(s);
		s->last_ms = cw_ctx_now_ms(s->lt->ctx);
		return update && session_update(s, m) < 0 ? -1 : 0;
	}
	if (c.kind == CW_EVSTREAM_UNKNOWN)
		return 0;
	ended(s, m, &c);
	return 1;
}

static int on_data(void *arg, const char *data, size_t len)
{
	struct session *s = arg;
	int r;

	if (quitting(s->lt))
		return -1;
	r = cw_evstream_feed(s->dec, data, len, on_msg, s, &s->ferr);
	if (r < 0)
		s->bad = 1;
	return r ? -1 : 0;
}

/* Keys for the session's client, copied under one lock: the chain may
 * refresh them for another session meanwhile. */
static int get_keys(void *arg, const struct cw_keys **out, struct cw_err *err)
{
	struct session *s = arg;
	const struct cw_keys *k = NULL;
	int r = 0;

	pthread_mutex_lock(&keys_lock);
	if (s->src.get)
		r = s->src.get(s->src.arg, &k, err);
	if (r == 0 && k)
		r = cw_keys_set(&s->keys, k->access_key, k->secret_key,
			k->token, k->expires_ms, "credentials", err);
	pthread_mutex_unlock(&keys_lock);
	*out = r == 0 && k ? &s->keys : NULL;
	return r;
}

enum outcome { OUT_ENDED, OUT_RETRY, OUT_REFUSED, OUT_FAILED, OUT_STOP };

/* One StartLiveTail, read to its end. */
static enum outcome stream_once(struct session *s, struct cw_err *err)
{
	struct cw_header target = { "X-Amz-Target",
		"Logs_20140328.StartLiveTail" };
	struct cw_client_request rq = {
		.content_type = "application/x-amz-json-1.1",
		.headers = &target, .nheaders = 1,
		.body = s->body, .body_len = strlen(s->body),
		.on_data = on_data, .on_data_arg = s,
	};
	struct cw_http_response resp = { 0 };
	size_t delivered;
	int rc;

	cw_evstream_free(s->dec);
	s->dec = cw_evstream_new(0);
	if (!s->dec)
		return cw_err_set(err, "live tail: out of memory"), OUT_FAILED;
	s->why[0] = '\0';
	rc = cw_client_send(&s->c, &rq, &resp, err);
	if (s->bad)
		*err = s->ferr;
	/* A body cut inside a frame, whether the connection was reset,
	 * stalled or closed cleanly, is one thing: a dropped session. */
	else if (!s->why[0] && (rc == 0 || resp.delivered)
			&& cw_evstream_finish(s->dec, &s->ferr) < 0)
		rc = -2;
	delivered = resp.delivered;
	cw_http_response_release(&resp);
	if (quitting(s->lt))
		return OUT_STOP;
	if (s->bad)
		return OUT_FAILED;
	/* The exception that ended a stream names the cause better than
	 * the transfer we then cut short. */
	if (rc == 0 || delivered) {
		snprintf(s->resumed_why, sizeof(s->resumed_why), "%s",
			s->why[0] ? s->why : rc == 0 ? "the stream ended"
			: err->msg[0] ? err->msg : s->ferr.msg);
		return OUT_ENDED;
	}
	if (s->started)
		return cw_client_retryable(err) ? OUT_RETRY : OUT_FAILED;
	return err->status >= 400 && err->status < 500 && err->status != 429
		? OUT_REFUSED : OUT_FAILED;
}

/* Sleeps ms in short slices; 1 when the run ends meanwhile. */
static int rest(struct session *s, int64_t ms)
{
	for (; ms > 0; ms -= WAIT_MS) {
		if (quitting(s->lt))
			return 1;
		cw_ctx_sleep_ms(s->lt->ctx, ms < WAIT_MS ? ms : WAIT_MS);
	}
	return quitting(s->lt);
}

/* After a stream that ended (OUT_ENDED, having lasted ms) or a restart
 * that failed (OUT_RETRY): the pause before the next StartLiveTail, 0
 * for none. A failing restart is told at once, then at most once a
 * minute. */
static int64_t pause_after(struct session *s, enum outcome o, int64_t ms,
	const struct cw_err *err)
{
	int64_t now = cw_ctx_now_ms(s->lt->ctx);
	struct item *it;

	if (o == OUT_RETRY) {
		if ((!s->told_ms || now - s->told_ms >= TELL_EVERY_MS) &&
		    (it = new_item(IT_RETRYING))) {
			s->told_ms = now;
			it->err = *err;
			push(s, it);
		}
	} else if (s->greeted && ms >= SHORT_MS) {
		s->short_run = 0;
		cw_pace_poll_events(&s->pace, 1);
		return 0;
	} else if (s->short_run < 3)
		s->short_run++;
	cw_pace_poll_failed(&s->pace, cw_ctx_random(s->lt->ctx));
	return cw_pace_poll_interval(&s->pace);
}

static void *session_main(void *arg)
{
	struct session *s = arg;
	struct item *it;
	struct cw_err err;
	enum outcome o;
	int64_t t0, pause;

	cw_pace_poll_init(&s->pace, PAUSE_MIN_MS, PAUSE_MIN_MS, PAUSE_MAX_MS);
	for (;;) {
		cw_err_clear(&err);
		s->greeted = 0;
		t0 = cw_ctx_now_ms(s->lt->ctx);
		o = stream_once(s, &err);
		if (o != OUT_ENDED && o != OUT_RETRY)
			break;
		pause = pause_after(s, o, cw_ctx_now_ms(s->lt->ctx) - t0, &err);
		if (pause && rest(s, pause))
			break;
	}
	if (o == OUT_ENDED || o == OUT_RETRY)
		o = OUT_STOP;
	if (o == OUT_FAILED && (it = new_item(IT_FAILED))) {
		it->err = err;
		push(s, it);
	}
	pthread_mutex_lock(&s->lt->lock);
	s->ferr = err;	/* read once the state says refused */
	pthread_mutex_unlock(&s->lt->lock);
	set_state(s, o == OUT_REFUSED ? ST_REFUSED : ST_DONE);
	return NULL;
}

/* ---- the printing thread ---------------------------------------------- */

/* The digest that stands for an event without an eventId. */
static int event_key(const struct cw_logs_event *e, char key[65])
{
	struct cw_buf b = CW_BUF_INIT;
	int r = cw_buf_addf(&b, "%s%c%lld%c", e->stream ? e->stream : "", 0,
		(long long)e->timestamp, 0);

	if (r == 0)
		r = cw_buf_add(&b, e->message ? e->message : "",
			e->message_len);
	if (r == 0)
		cw_sigv4_sha256_hex(b.p, b.len, key);
	cw_buf_release(&b);
	return r;
}

/* Digests are kept per group and source: the stream's, the backfill's. */
#define FROM_STREAM(gi) ((unsigned)(gi) * 2)
#define FROM_BACKFILL(gi) ((unsigned)(gi) * 2 + 1)

static int emit(struct cw_livetail *lt, const struct cw_logs_event *e,
	struct cw_err *err)
{
	return lt->cfg->emit(lt->cfg->emit_arg, e, err);
}

static int stream_event(struct cw_livetail *lt, struct item *it,
	struct cw_err *err)
{
	char key[65];

	if (event_key(&it->e, key) < 0)
		return cw_err_set(err, "live tail: out of memory");
	if (cw_seen_has(lt->seen, FROM_BACKFILL(it->gi), key))
		return 0;
	if (cw_seen_add(lt->seen, FROM_STREAM(it->gi), key,
	    it->e.timestamp) < 0)
		return cw_err_set(err, "live tail: out of memory");
	return emit(lt, &it->e, err);
}

/* What one backfill read: new events in time order, their digests added
 * once it is over (a line written twice in one millisecond prints twice). */
struct backfill {
	struct cw_livetail *lt;
	size_t gi;
	struct cw_merge *merge;
	struct { char key[65]; size_t gi; int64_t ts; } *keys;
	size_t nkeys, cap;
	size_t kept;		/* keys[0..kept) are in lt->seen already */
};

static int merged_out(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	return emit(arg, e, err);
}

static int backfill_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct backfill *b = arg;
	struct cw_logs_event ev = *e;
	void *p;

	if (cw_ctx_cancelled(b->lt->ctx))
		return 1;
	if (b->nkeys == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		p = realloc(b->keys, b->cap * sizeof(*b->keys));
		if (!p)
			return cw_err_set(err, "live tail: out of memory");
		b->keys = p;
	}
	if (event_key(e, b->keys[b->nkeys].key) < 0)
		return cw_err_set(err, "live tail: out of memory");
	if (cw_seen_has(b->lt->seen, FROM_STREAM(b->gi), b->keys[b->nkeys].key)
	    || cw_seen_has(b->lt->seen, FROM_BACKFILL(b->gi),
	    b->keys[b->nkeys].key))
		return 0;
	b->keys[b->nkeys].gi = b->gi;
	b->keys[b->nkeys].ts = e->timestamp;
	b->nkeys++;
	ev.group = b->lt->cfg->groups[b->gi];
	return cw_merge_push(b->merge, &ev, merged_out, b->lt, err);
}

/* The digests of what the backfill printed so far into lt->seen. */
static int keep_keys(struct backfill *b, struct cw_err *err)
{
	for (; b->kept < b->nkeys; b->kept++)
		if (cw_seen_add(b->lt->seen, FROM_BACKFILL(b->keys[b->kept].gi),
		    b->keys[b->kept].key, b->keys[b->kept].ts) < 0)
			return cw_err_set(err, "live tail: out of memory");
	return 0;
}

static void notice(struct cw_livetail *lt, enum cw_livetail_notice_kind k,
	size_t session, const char *why, int64_t from);
static int stopping(struct cw_livetail *lt);

/* One group's gap. A failure that passes is tried again after a growing
 * pause (the restarts' backoff), without end, with one notice when it starts and one when it
 * ends; what an attempt printed is kept first, so the next one does not
 * print it again. The fetch shares the credentials chain, and the HTTP
 * handle it refreshes through, with the sessions: under their lock. */
static int fetch_group(struct backfill *b, size_t session, int64_t from_ms,
	struct cw_err *err)
{
	struct cw_livetail *lt = b->lt;
	struct cw_pace_poll pace;
	int r, failed = 0;

	cw_pace_poll_init(&pace, PAUSE_MIN_MS, PAUSE_MIN_MS, PAUSE_MAX_MS);
	for (;;) {
		pthread_mutex_lock(&keys_lock);
		r = lt->cfg->fetch(lt->cfg->fetch_arg, lt->cfg->groups[b->gi],
			from_ms, backfill_event, b, err);
		pthread_mutex_unlock(&keys_lock);
		if (r != CW_LIVETAIL_FETCH_AGAIN)
			break;
		if (!failed++)
			notice(lt, CW_LIVETAIL_OUTAGE, session, err->msg, from_ms);
		if (keep_keys(b, err) < 0)
			return -1;
		cw_pace_poll_failed(&pace, cw_ctx_random(lt->ctx));
		cw_ctx_sleep_ms(lt->ctx, cw_pace_poll_interval(&pace));
		if (stopping(lt))
			return 0;
	}
	if (r == 0 && failed)
		notice(lt, CW_LIVETAIL_OUTAGE_END, session, NULL, from_ms);
	return r;
}

/* Reads the session's groups from from_ms and prints what is new. */
static int backfill(struct cw_livetail *lt, const struct session *s,
	int64_t from_ms, struct cw_err *err)
{
	struct backfill b = { lt, 0, NULL, NULL, 0, 0, 0 };
	int r = 0;

	b.merge = cw_merge_new(0, 0);
	if (!b.merge)
		return cw_err_set(err, "live tail: out of memory");
	for (b.gi = s->first; r == 0 && b.gi < s->first + s->n; b.gi++)
		r = fetch_group(&b, (size_t)(s - lt->s), from_ms, err);
	if (r == 0)
		r = cw_merge_flush(b.merge, merged_out, lt, err);
	if (r == 0)
		r = keep_keys(&b, err);
	cw_merge_free(b.merge);
	free(b.keys);
	return r;
}

static void notice(struct cw_livetail *lt, enum cw_livetail_notice_kind k,
	size_t session, const char *why, int64_t from)
{
	struct cw_livetail_notice n = { k, session, why, from };

	if (lt->cfg->notice)
		lt->cfg->notice(lt->cfg->notice_arg, &n);
}

static int handle(struct cw_livetail *lt, struct item *it, struct cw_err *err)
{
	switch (it->kind) {
	case IT_EVENT:
		return stream_event(lt, it, err);
	case IT_SAMPLED:
		notice(lt, CW_LIVETAIL_SAMPLED, it->session, NULL, 0);
		return 0;
	case IT_RETRYING:
		notice(lt, CW_LIVETAIL_RESTART_FAILED, it->session,
			it->err.msg, 0);
		return 0;
	case IT_STARTED:
		if (it->resumed == 1 || it->resumed == 2)
			notice(lt, it->resumed == 1 ? CW_LIVETAIL_RESUMED :
				CW_LIVETAIL_SHORT, it->session, it->err.msg,
				it->from_ms);
		return it->from_ms > 0 ? backfill(lt, &lt->s[it->session],
			it->from_ms, err) : 0;
	case IT_FAILED:
		*err = it->err;
		return -1;
	}
	return 0;
}

static int stopping(struct cw_livetail *lt)
{
	return cw_ctx_cancelled(lt->ctx) ||
		(lt->cfg->stop && lt->cfg->stop(lt->cfg->stop_arg));
}

static void deadline(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += (ms % 1000) * 1000000L;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

/* The next item, or NULL after a while without one. */
static struct item *pop(struct cw_livetail *lt)
{
	struct item *it;
	struct timespec ts;

	deadline(&ts, WAIT_MS);
	pthread_mutex_lock(&lt->lock);
	if (!lt->head)
		pthread_cond_timedwait(&lt->changed, &lt->lock, &ts);
	it = lt->head;
	if (it) {
		lt->head = it->next;
		if (!lt->head)
			lt->tail = NULL;
		lt->bytes -= sizeof(*it) + it->e.message_len;
		pthread_cond_broadcast(&lt->changed);
	}
	pthread_mutex_unlock(&lt->lock);
	return it;
}

/* Waits until every session is live or refused: 1 when one was refused
 * (err says why), 0 else, -1 when stopped. */
static int wait_started(struct cw_livetail *lt, struct cw_err *err)
{
	struct timespec ts;
	size_t i, starting, refused;

	for (;;) {
		if (stopping(lt))
			return -1;
		deadline(&ts, WAIT_MS);
		pthread_mutex_lock(&lt->lock);
		for (i = starting = refused = 0; i < lt->ns; i++) {
			starting += lt->s[i].state == ST_STARTING;
			if (lt->s[i].state == ST_REFUSED && !refused++)
				*err = lt->s[i].ferr;
		}
		if (starting && !refused)
			pthread_cond_timedwait(&lt->changed, &lt->lock, &ts);
		pthread_mutex_unlock(&lt->lock);
		if (refused)
			return 1;
		if (!starting)
			return 0;
	}
}

static int loop(struct cw_livetail *lt, struct cw_err *err)
{
	const struct cw_livetail_cfg *cfg = lt->cfg;
	struct item *it;
	int r = 0;

	while (r == 0 && !stopping(lt)) {
		it = pop(lt);
		if (!it)
			continue;
		r = handle(lt, it, err);
		item_free(it);
		cw_seen_expire(lt->seen, cw_ctx_now_ms(lt->ctx) -
			cfg->margin_ms - KEEP_EXTRA_MS);
	}
	return r;
}

static int session_setup(struct cw_livetail *lt, struct session *s,
	struct cw_err *err)
{
	const struct cw_livetail_cfg *cfg = lt->cfg;

	s->lt = lt;
	s->c = *cfg->client;
	s->src = cfg->client->keys;
	s->c.keys.get = get_keys;
	s->c.keys.arg = s;
	s->c.fixed = NULL;
	if (cfg->client->fixed) {
		s->src.get = NULL;
		if (cw_keys_set(&s->keys, cfg->client->fixed->access_key,
		    cfg->client->fixed->secret_key, cfg->client->fixed->token,
		    0, "credentials", err) < 0)
			return -1;
		s->c.fixed = &s->keys;
	}
	memset(&s->c.key, 0, sizeof(s->c.key));
	if (!s->c.wire) {
		struct cw_http_opts o = { 0 };

		if (cfg->http_opts)
			o = *cfg->http_opts;
		if (!o.timeout_ms)
			o.timeout_ms = STALL_MS;
		s->http = cw_http_new(lt->ctx, &o, err);
		if (!s->http)
			return -1;
		s->c.http = s->http;
	}
	s->body = cw_livetail_request(cfg->arns + s->first, s->n,
		cfg->pattern);
	if (!s->body)
		return cw_err_set(err, "live tail: out of memory");
	return 0;
}

static void teardown(struct cw_livetail *lt)
{
	struct item *it;
	size_t i;

	pthread_mutex_lock(&lt->lock);
	lt->quit = 1;
	pthread_cond_broadcast(&lt->changed);
	pthread_mutex_unlock(&lt->lock);
	for (i = 0; i < lt->ns; i++) {
		if (lt->s[i].th_started)
			pthread_join(lt->s[i].th, NULL);
		cw_evstream_free(lt->s[i].dec);
		cw_http_free(lt->s[i].http);
		cw_client_release(&lt->s[i].c);
		cw_keys_release(&lt->s[i].keys);
		free(lt->s[i].body);
	}
	while ((it = lt->head)) {
		lt->head = it->next;
		item_free(it);
	}
	cw_seen_free(lt->seen);
	free(lt->s);
	pthread_cond_destroy(&lt->changed);
	pthread_mutex_destroy(&lt->lock);
}

/* Session threads leave the signals to the printing thread. */
static int start_threads(struct cw_livetail *lt, struct cw_err *err)
{
	sigset_t all, old;
	size_t i;
	int r = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (i = 0; i < lt->ns && r == 0; i++) {
		r = pthread_create(&lt->s[i].th, NULL, session_main, &lt->s[i]);
		lt->s[i].th_started = r == 0;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		return cw_err_set(err, "live tail: cannot start a thread: %s",
			strerror(r));
	return 0;
}

static int init(struct cw_livetail *lt, const struct cw_livetail_cfg *cfg,
	struct cw_err *err)
{
	pthread_condattr_t ca;
	size_t i;

	memset(lt, 0, sizeof(*lt));
	lt->cfg = cfg;
	lt->ctx = cfg->client->ctx;
	pthread_mutex_init(&lt->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&lt->changed, &ca);
	pthread_condattr_destroy(&ca);
	lt->ns = (cfg->ngroups + CW_LIVETAIL_MAX_GROUPS - 1) /
		CW_LIVETAIL_MAX_GROUPS;
	lt->s = calloc(lt->ns, sizeof(*lt->s));
	lt->seen = cw_seen_new(cfg->seen_capacity ? cfg->seen_capacity :
		200000);
	if (!lt->s || !lt->seen)
		return cw_err_set(err, "live tail: out of memory");
	for (i = 0; i < lt->ns; i++) {
		lt->s[i].index = i;
		lt->s[i].first = i * CW_LIVETAIL_MAX_GROUPS;
		lt->s[i].n = cfg->ngroups - lt->s[i].first;
		if (lt->s[i].n > CW_LIVETAIL_MAX_GROUPS)
			lt->s[i].n = CW_LIVETAIL_MAX_GROUPS;
		if (session_setup(lt, &lt->s[i], err) < 0)
			return -1;
	}
	return 0;
}

int cw_livetail_run(const struct cw_livetail_cfg *cfg, struct cw_err *err)
{
	struct cw_livetail_cfg c = *cfg;
	struct cw_livetail lt;
	int r;

	if (!c.ngroups || !c.fetch || !c.emit || !c.client)
		return cw_err_set(err, "live tail: no group, fetch or emit");
	if (c.ngroups > CW_LIVETAIL_MAX_GROUPS * CW_LIVETAIL_MAX_SESSIONS)
		return cw_err_set(err, "live tail: at most %d log groups (%d "
			"sessions of %d)", CW_LIVETAIL_MAX_GROUPS *
			CW_LIVETAIL_MAX_SESSIONS, CW_LIVETAIL_MAX_SESSIONS,
			CW_LIVETAIL_MAX_GROUPS);
	if (!c.margin_ms)
		c.margin_ms = 10000;
	r = init(&lt, &c, err);
	if (r == 0)
		r = start_threads(&lt, err);
	if (r == 0)
		r = wait_started(&lt, err);
	if (r == 1)
		r = CW_LIVETAIL_REFUSED;
	else if (r == 0)
		r = loop(&lt, err);
	else if (cw_ctx_cancelled(lt.ctx))
		r = cw_cancel_err(err);
	else
		r = 0;	/* stopped */
	teardown(&lt);
	if (r == 0 && cw_ctx_cancelled(lt.ctx))
		r = cw_cancel_err(err);
	return r;
}
