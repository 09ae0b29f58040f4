#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsjson.h"
#include "endpoint.h"
#include "json.h"
#include "logs.h"
#include "timespec.h"
#include "banned.h"

/* A group name is sent as logGroupIdentifier when it is an ARN. */
static int add_group(cJSON *req, const char *group)
{
	const char *key = strncmp(group, "arn:", 4) == 0
		? "logGroupIdentifier" : "logGroupName";

	return cJSON_AddStringToObject(req, key, group) ? 0 : -1;
}

size_t cw_logs_group_len(const char *group)
{
	size_t n = strlen(group);

	if (strncmp(group, "arn:", 4) == 0 && n >= 2
			&& strcmp(group + n - 2, ":*") == 0)
		return n - 2;
	return n;
}

int cw_logs_group_wild(const char *group)
{
	size_t n = cw_logs_group_len(group);

	return n > 0 && group[n - 1] == '*';
}

static int each_group(const cJSON *res, cw_logs_group_fn *fn, void *arg,
	struct cw_err *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(res, "logGroups");
	const cJSON *g;
	int rc;

	cJSON_ArrayForEach(g, list) {
		struct cw_logs_group lg;

		lg.name = cw_awsjson_str(g, "logGroupName");
		if (!lg.name)
			continue;
		lg.arn = cw_awsjson_str(g, "arn");
		lg.created_ms = cw_awsjson_time(g, "creationTime");
		lg.retention_days = (int)cw_awsjson_count(g, "retentionInDays",
			1000000, 0);
		lg.stored_bytes = cw_awsjson_count(g, "storedBytes", INT64_MAX, 0);
		rc = fn(arg, &lg, err);
		if (rc)
			return rc;
	}
	return 0;
}

struct group_page {
	cw_logs_group_fn *fn;
	void *arg;
};

static int group_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct group_page *gp = arg;

	return each_group(*res, gp->fn, gp->arg, err);
}

int cw_logs_groups(struct cw_client *c, const char *prefix,
	cw_logs_group_fn *fn, void *arg, struct cw_err *err)
{
	struct group_page gp = { fn, arg };
	cJSON *req = cJSON_CreateObject();
	int rc;

	if (!req || (prefix && *prefix
			&& !cJSON_AddStringToObject(req, "logGroupNamePrefix",
				prefix))) {
		cJSON_Delete(req);
		return cw_err_set(err, "DescribeLogGroups: out of memory");
	}
	rc = cw_awsjson_paginate(c, &cw_service_logs, "DescribeLogGroups", req,
		"nextToken", group_page, &gp, err);
	cJSON_Delete(req);
	return rc;
}

/* FilterLogEvents takes at most this many events a page. */
#define FILTER_PAGE_MAX 10000

/* A page never holds more events than are still wanted. */
static int set_limit(cJSON *req, long left)
{
	cJSON_DeleteItemFromObjectCaseSensitive(req, "limit");
	return cJSON_AddNumberToObject(req, "limit", (double)(left <
		FILTER_PAGE_MAX ? left : FILTER_PAGE_MAX)) ? 0 : -1;
}

/*
 * One page of FilterLogEvents, read without a tree: the pages are large
 * and read once, and a message may hold U+0000. The page is walked once,
 * which also checks that it is JSON, noting where each event's strings
 * are; only then are the events decoded and handed over, so nothing of
 * a malformed page is printed.
 */
enum { EV_STREAM, EV_ID, EV_MESSAGE, EV_STRINGS };

/* 48 bytes an event, thousands a page: string tokens as offsets in the
 * page and lengths (0: none), not pointers. */
struct event_ref {
	int64_t timestamp, ingestion_time;
	uint32_t tok[EV_STRINGS], len[EV_STRINGS];
	unsigned char esc;	/* bit k: token k holds an escape */
};

struct event_page {
	const char *group;
	long left;
	cw_logs_event_fn *fn;
	void *arg;
	cJSON *req;
	char *page;		/* the page being read */
	struct event_ref *refs;	/* its events */
	size_t nrefs, cap;
	struct cw_buf strings;	/* one event's decoded strings */
	uint64_t *pages;
};

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The value of eight digit characters in x (the first in the low
 * byte), or -1 when one is no digit: a few instructions, not a loop. */
static inline int64_t eight_digits(uint64_t x)
{
	uint64_t d = x - 0x3030303030303030ULL;

	/* a byte below '0' borrows; one above '9' carries into bit 7 */
	if (((x | (x + 0x4646464646464646ULL)) & 0x8080808080808080ULL)
	    || (d & 0xf0f0f0f0f0f0f0f0ULL))
		return -1;
	d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffULL;
	d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffULL;
	return (int64_t)((d * 10000 + (d >> 32)) & 0xffffffffULL);
}

/* Nine to fifteen digits at s (a time has thirteen): the first n - 8
 * as leading zeros and digits, then the last eight. */
static int64_t long_digits(const char *s, size_t n)
{
	uint64_t hi, lo;
	int64_t a, b;

	memcpy(&hi, s, 8);
	memcpy(&lo, s + n - 8, 8);
	hi = (hi << (8 * (16 - n))) | (0x3030303030303030ULL >> (8 * (n - 8)));
	a = eight_digits(hi);
	b = eight_digits(lo);
	return a < 0 || b < 0 ? -1 : a * 100000000 + b;
}
#else
static int64_t long_digits(const char *s, size_t n)
{
	(void)s;
	(void)n;
	return -1;
}
#endif

/* Fifteen digits at most, all digits: exact in a double, and no strtod.
 * -1 when s is not that. */
static int64_t whole(const char *s, size_t n)
{
	int64_t v = 0;

	if (n > 15)
		return -1;
	if (n > 8 && (v = long_digits(s, n)) >= 0)
		return v;
	v = 0;
	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/* A time member as cw_awsjson_time reads it: 0 when not a number. */
static int64_t event_time(const struct cw_json_item *m)
{
	char num[64];
	size_t n = (size_t)(m->vend - m->v);
	int64_t w = whole(m->v, n), ms;
	double v = (double)w;

	if (w >= 0 && w <= CW_TIME_MAX)
		return w;
	if (*m->v != '-' && (*m->v < '0' || *m->v > '9'))
		return 0;
	if (w < 0) {
		if (n >= sizeof(num))
			return CW_AWSJSON_BAD_TIME;
		memcpy(num, m->v, n);
		num[n] = '\0';
		v = strtod(num, NULL);
	}
	return cw_timespec_from_number(v, 1, &ms) < 0 ? CW_AWSJSON_BAD_TIME
		: ms;
}

/* Which member of an event m is: EV_STREAM, EV_ID, EV_MESSAGE, or one
 * of these. */
enum { EV_TIME = EV_STRINGS, EV_INGESTED, EV_OTHER };

/* Member m, of kind k, into r, unless a duplicate key came first. */
static void take_member(const struct event_page *ep, struct event_ref *r,
	int k, const struct cw_json_item *m)
{
	if (k < EV_STRINGS && !r->len[k] && *m->v == '"') {
		r->tok[k] = (uint32_t)(m->v - ep->page);
		r->len[k] = (uint32_t)(m->vend - m->v);
		r->esc |= (m->esc != 0) << k;
	} else if (k == EV_TIME && !r->timestamp) {
		r->timestamp = event_time(m);
	} else if (k == EV_INGESTED && !r->ingestion_time) {
		r->ingestion_time = event_time(m);
	}
}

/* An event's keys in the order the service writes them. */
static const struct {
	const char *key;
	size_t len;
	int kind;
} event_keys[] = {
	{ "logStreamName", 13, EV_STREAM }, { "timestamp", 9, EV_TIME },
	{ "message", 7, EV_MESSAGE }, { "ingestionTime", 13, EV_INGESTED },
	{ "eventId", 7, EV_ID },
};

#define EVENT_KEYS (sizeof(event_keys) / sizeof(event_keys[0]))

/* Which member of an event m is, its key unescaped. */
static int member_kind(const struct cw_json_item *m)
{
	size_t i;

	for (i = 0; i < EVENT_KEYS; i++)
		if (cw_json_key_is(m, event_keys[i].key, event_keys[i].len))
			return event_keys[i].kind;
	return EV_OTHER;
}

/* The members of one event into r: as the service writes them first,
 * then whatever else the object holds. */
static int event_members(const struct event_page *ep,
	struct cw_json_iter *it, struct event_ref *r)
{
	struct cw_json_item m;
	size_t i;
	int rc;

	for (i = 0; i < EVENT_KEYS; i++) {
		if (!cw_json_iter_key(it, &m, event_keys[i].key,
		    event_keys[i].len))
			break;
		take_member(ep, r, event_keys[i].kind, &m);
	}
	while ((rc = cw_json_iter_next(it, &m, 0)) == 1)
		take_member(ep, r, member_kind(&m), &m);
	return rc;
}

static struct event_ref *new_ref(struct event_page *ep)
{
	if (ep->nrefs == ep->cap) {
		size_t cap = ep->cap ? 2 * ep->cap : 256;
		struct event_ref *r = realloc(ep->refs, cap * sizeof(*r));

		if (!r)
			return NULL;
		ep->refs = r;
		ep->cap = cap;
	}
	memset(&ep->refs[ep->nrefs], 0, sizeof(ep->refs[0]));
	return &ep->refs[ep->nrefs];
}

/* The element at m of the events array; one without a message, or that
 * is no object, is passed over. 0, -1 out of memory, or
 * CW_AWSJSON_MALFORMED. */
static int scan_event(struct event_page *ep, struct cw_json_iter *arr,
	const struct cw_json_item *m)
{
	struct cw_json_iter it;
	struct event_ref *r;

	if (cw_json_iter_begin(&it, m->v, arr->e) < 0 || !it.obj) {
		arr->s = cw_json_skip(m->v, arr->e);
		return arr->s ? 0 : CW_AWSJSON_MALFORMED;
	}
	if (!(r = new_ref(ep)))
		return -1;
	if (event_members(ep, &it, r) < 0)
		return CW_AWSJSON_MALFORMED;
	arr->s = it.s;
	if (r->len[EV_MESSAGE])
		ep->nrefs++;
	return 0;
}

static int scan_events(struct event_page *ep, struct cw_json_iter *top,
	const struct cw_json_item *m)
{
	struct cw_json_iter arr;
	struct cw_json_item el;
	int rc;

	if (cw_json_iter_begin(&arr, m->v, top->e) < 0)
		return CW_AWSJSON_MALFORMED;
	while ((rc = cw_json_iter_next(&arr, &el, 1)) == 1)
		if ((rc = scan_event(ep, &arr, &el)) != 0)
			return rc;
	top->s = arr.s;
	return rc < 0 ? CW_AWSJSON_MALFORMED : 0;
}

/* The page's members: the events noted, the token decoded into next. */
static int scan_page(struct event_page *ep, const char *body, size_t len,
	struct cw_buf *next)
{
	struct cw_json_iter top;
	struct cw_json_item m;
	size_t n;
	int rc, events = 0;

	if (cw_json_iter_begin(&top, body, body + len) < 0 || !top.obj)
		return CW_AWSJSON_MALFORMED;
	while ((rc = cw_json_iter_next(&top, &m, 1)) == 1) {
		if (!events && *m.v == '[' && CW_JSON_KEY_IS(&m, "events")) {
			events = 1;
			if ((rc = scan_events(ep, &top, &m)) != 0)
				return rc;
			continue;
		}
		if (!(top.s = m.vend = cw_json_skip(m.v, top.e)))
			return CW_AWSJSON_MALFORMED;
		if (!next->len && *m.v == '"'
		    && CW_JSON_KEY_IS(&m, "nextToken")
		    && cw_json_string_token(next, m.v, m.vend, &n) < 0)
			return -1;
	}
	if (rc < 0 || cw_json_ws(top.s, top.e) != top.e)
		return CW_AWSJSON_MALFORMED;
	return 0;
}

/* A string without escapes is read where it is in the page, once the
 * whole page was read: the message with its length (it is most of the
 * page, and may hold U+0000), the others ending in a NUL written over
 * their closing quote. The rest are decoded into the page's buffer. */
#define PLAIN ((size_t)-1)

/* The string at r->tok[k]: PLAIN, or where it was decoded, in *at. */
static int ref_string(struct event_page *ep, const struct event_ref *r,
	int k, size_t *at, size_t *len)
{
	const char *tok = ep->page + r->tok[k];

	*len = 0;
	*at = ep->strings.len;
	if (!r->len[k])
		return cw_buf_addc(&ep->strings, '\0');
	if (!(r->esc >> k & 1)) {
		*len = (size_t)r->len[k] - 2;
		*at = PLAIN;
		if (k != EV_MESSAGE)
			ep->page[r->tok[k] + r->len[k] - 1] = '\0';
		return 0;
	}
	if (cw_json_string_token(&ep->strings, tok, tok + r->len[k], len) < 0)
		return -1;
	ep->strings.len++;	/* past the NUL: the next string follows */
	return 0;
}

static const char *ref_text(const struct event_page *ep,
	const struct event_ref *r, int k, size_t at)
{
	return at == PLAIN ? ep->page + r->tok[k] + 1 : ep->strings.p + at;
}

static int emit_event(struct event_page *ep, const struct event_ref *r,
	struct cw_err *err)
{
	struct cw_logs_event ev = { 0 };
	size_t at[EV_STRINGS], len[EV_STRINGS];
	int k;

	cw_buf_reset(&ep->strings);
	for (k = 0; k < EV_STRINGS; k++)
		if (ref_string(ep, r, k, &at[k], &len[k]) < 0)
			return cw_err_set(err, "FilterLogEvents: out of memory");
	ev.group = ep->group;
	ev.stream = ref_text(ep, r, EV_STREAM, at[EV_STREAM]);
	ev.event_id = ref_text(ep, r, EV_ID, at[EV_ID]);
	if (strlen(ev.event_id) != len[EV_ID])
		ev.event_id = "";	/* cut at its U+0000, it would pass
					 * for another event's id */
	ev.message = ref_text(ep, r, EV_MESSAGE, at[EV_MESSAGE]);
	ev.message_len = len[EV_MESSAGE];
	ev.timestamp = r->timestamp;
	ev.ingestion_time = r->ingestion_time;
	return ep->fn(ep->arg, &ev, err);
}

static int event_page(void *arg, char *body, size_t len,
	struct cw_buf *next, struct cw_err *err)
{
	struct event_page *ep = arg;
	size_t i;
	int rc;

	ep->page = body;
	ep->nrefs = 0;
	if (len > UINT32_MAX)
		return cw_err_set(err, "FilterLogEvents: a page of more "
			"than 4 GB");
	if (ep->pages)
		++*ep->pages;
	rc = scan_page(ep, body, len, next);
	if (rc == -1)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	for (i = 0; rc == 0 && i < ep->nrefs; i++) {
		rc = emit_event(ep, &ep->refs[i], err);
		if (rc == 0 && ep->left > 0 && --ep->left == 0)
			rc = 1;
	}
	if (rc == 0 && ep->left > 0 && set_limit(ep->req, ep->left) < 0)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	return rc;
}

static cJSON *filter_request(const struct cw_logs_filter *f)
{
	cJSON *req = cJSON_CreateObject();
	int ok = req && add_group(req, f->group) == 0;

	if (ok && f->pattern && *f->pattern)
		ok = cJSON_AddStringToObject(req, "filterPattern", f->pattern)
			!= NULL;
	if (ok && f->stream_prefix && *f->stream_prefix)
		ok = cJSON_AddStringToObject(req, "logStreamNamePrefix",
			f->stream_prefix) != NULL;
	if (ok && f->start_ms)
		ok = cJSON_AddNumberToObject(req, "startTime",
			(double)f->start_ms) != NULL;
	if (ok && f->end_ms)
		ok = cJSON_AddNumberToObject(req, "endTime",
			(double)f->end_ms) != NULL;
	if (ok && f->limit)
		ok = set_limit(req, f->limit) == 0;
	if (!ok) {
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

int cw_logs_filter(struct cw_client *c, const struct cw_logs_filter *f,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err)
{
	struct event_page ep = { f->group, f->limit, fn, arg, NULL, NULL,
		NULL, 0, 0, CW_BUF_INIT, f->pages };
	int rc;

	ep.req = filter_request(f);
	if (!ep.req)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	rc = cw_awsjson_paginate_body(c, &cw_service_logs, "FilterLogEvents",
		ep.req, "nextToken", event_page, &ep, err);
	/* what the service (or something in its place) said, not a write */
	if (rc < 0 && (err->code[0] || err->status))
		cw_err_wrap(err, "log group %s", f->group);
	cw_buf_release(&ep.strings);
	free(ep.refs);
	cJSON_Delete(ep.req);
	return rc;
}
