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
 * One page of FilterLogEvents, read as it arrives, without a tree: the
 * pages are large (1 MB) and read once, and a message may hold U+0000.
 * Each event is kept, decoded and without its JSON, as soon as it is
 * all here, and the bytes it came in are let go; the events are handed
 * over only once the whole page was read and found to be JSON, so
 * nothing of a malformed or cut page is printed.
 */
enum { EV_STREAM, EV_ID, EV_MESSAGE, EV_STRINGS };

/* One event's string tokens, as offsets from where it begins in the
 * page and lengths (0: none), while it is read. */
struct event_ref {
	int64_t timestamp, ingestion_time;
	uint32_t tok[EV_STRINGS], len[EV_STRINGS];
	unsigned char esc;	/* bit k: token k holds an escape */
};

/* A kept event: this head, then its stream, id and message, decoded,
 * each followed by a NUL. */
struct held_head {
	int64_t timestamp, ingestion_time;
	uint32_t len[EV_STRINGS];
};

/* Where the reading of a page is: before its '{', before a member's
 * key, after a member, before an event, after an event, past its '}'. */
enum { AT_OPEN, AT_KEY, AT_MEMBER_END, AT_EVENT, AT_EVENT_END, AT_DONE };

struct event_page {
	const char *group;
	long left;
	cw_logs_event_fn *fn;
	void *arg;
	cJSON *req;
	uint64_t *pages;
	const char *page;	/* where the event being read begins */
	int at, first;		/* first: no member or event yet */
	int events;		/* the events member was met */
	int in_page;		/* a page is being read */
	int oom;
	int no_ids;		/* the ids are not kept */
	size_t want;		/* read on once this many bytes are here */
	struct cw_buf held;	/* the page's events */
	struct cw_buf token;	/* its nextToken, decoded */
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

/* The end of the value at s when it is all here: one the bytes end
 * right after (a number) may go on, unless the page ended there. */
static const char *whole_value(const char *s, const char *e, int end)
{
	const char *v = cw_json_skip(s, e);

	return v && (v < e || end) ? v : NULL;
}

/* Appends the string token k of r to the kept events, decoded, with a
 * NUL; its length into *len. */
static int hold_string(struct event_page *ep, const struct event_ref *r,
	int k, uint32_t *len)
{
	const char *tok = ep->page + r->tok[k];
	size_t n = 0;
	int rc = 0;

	if (!r->len[k] || (k == EV_ID && ep->no_ids))
		rc = 0;
	else if (!(r->esc >> k & 1))
		rc = cw_buf_add(&ep->held, tok + 1, n = r->len[k] - 2);
	else
		rc = cw_json_string_token(&ep->held, tok, tok + r->len[k], &n);
	*len = (uint32_t)n;
	return rc < 0 ? -1 : cw_buf_addc(&ep->held, '\0');
}

/* The length of token k of r as kept, when it holds no escape. */
static size_t plain_len(const struct event_page *ep,
	const struct event_ref *r, int k)
{
	return !r->len[k] || (k == EV_ID && ep->no_ids) ? 0 : r->len[k] - 2;
}

/* An event without escapes, most of them: room made once, each string
 * copied once. */
static int hold_plain(struct event_page *ep, const struct event_ref *r)
{
	struct held_head h = { r->timestamp, r->ingestion_time, { 0 } };
	size_t size = sizeof(h) + EV_STRINGS;
	char *o;
	int k;

	for (k = 0; k < EV_STRINGS; k++)
		size += h.len[k] = (uint32_t)plain_len(ep, r, k);
	if (cw_buf_grow(&ep->held, size) < 0)
		return -1;
	o = ep->held.p + ep->held.len;
	memcpy(o, &h, sizeof(h));
	o += sizeof(h);
	for (k = 0; k < EV_STRINGS; k++) {
		memcpy(o, ep->page + r->tok[k] + 1, h.len[k]);
		o += h.len[k];
		*o++ = '\0';
	}
	ep->held.len += size;
	ep->held.p[ep->held.len] = '\0';
	return 0;
}

static int hold_event(struct event_page *ep, const struct event_ref *r)
{
	struct held_head h = { r->timestamp, r->ingestion_time, { 0 } };
	size_t at = ep->held.len;
	int k;

	if (!r->esc)
		return hold_plain(ep, r);
	if (cw_buf_add(&ep->held, &h, sizeof(h)) < 0)
		return -1;
	for (k = 0; k < EV_STRINGS; k++)
		if (hold_string(ep, r, k, &h.len[k]) < 0)
			return -1;
	memcpy(ep->held.p + at, &h, sizeof(h));
	return 0;
}

/* The element of the events array at p: an event is kept when it is
 * an object with a message, anything else passed over. Past it, or
 * NULL when it is not all here. */
static const char *read_event(struct event_page *ep, const char *p,
	const char *e, int end)
{
	struct cw_json_iter it;
	struct event_ref r;

	if (*p != '{')
		return whole_value(p, e, end);
	memset(&r, 0, sizeof(r));
	ep->page = p;
	/* an object ends at its '}': a cut one fails here */
	if (cw_json_iter_begin(&it, p, e) < 0 || event_members(ep, &it, &r) < 0)
		return NULL;
	if (r.len[EV_MESSAGE] && hold_event(ep, &r) < 0) {
		ep->oom = 1;
		return NULL;
	}
	return it.s;
}

/* A member of the page at p, on its key: the events array is entered,
 * the token decoded, anything else passed over. */
static const char *read_member(struct event_page *ep, const char *p,
	const char *e, int end)
{
	struct cw_json_item m;
	const char *k = p, *v;
	size_t n;

	if (*p != '"' || !(p = cw_json_string_end(p, e)))
		return NULL;
	m.key = k + 1;
	m.keylen = (size_t)(p - k - 2);
	p = cw_json_ws(p, e);
	if (p == e || *p != ':' || (p = cw_json_ws(p + 1, e)) == e)
		return NULL;
	if (!ep->events && *p == '[' && CW_JSON_KEY_IS(&m, "events")) {
		ep->events = ep->first = 1;
		ep->at = AT_EVENT;
		return p + 1;
	}
	if (!(v = whole_value(p, e, end)))
		return NULL;
	if (!ep->token.len && *p == '"' && CW_JSON_KEY_IS(&m, "nextToken")
	    && cw_json_string_token(&ep->token, p, v, &n) < 0) {
		ep->oom = 1;
		return NULL;
	}
	ep->at = AT_MEMBER_END;
	return v;
}

/* Goes to state at past the one byte at p. */
static const char *step_to(struct event_page *ep, int at, const char *p)
{
	ep->at = at;
	ep->first = at == AT_KEY && *p == '{';
	return p + 1;
}

/* One step of a page's reading at s: past what it read, or NULL when
 * what comes is not all here (at the page's end: is malformed). */
static const char *read_step(struct event_page *ep, const char *s,
	const char *e, int end)
{
	const char *p = cw_json_ws(s, e);

	if (p == e)
		return p;
	switch (ep->at) {
	case AT_OPEN:
		return *p == '{' ? step_to(ep, AT_KEY, p) : NULL;
	case AT_KEY:
		if (ep->first && *p == '}')
			return step_to(ep, AT_DONE, p);
		return read_member(ep, p, e, end);
	case AT_MEMBER_END:
		if (*p == ',')
			return step_to(ep, AT_KEY, p);
		return *p == '}' ? step_to(ep, AT_DONE, p) : NULL;
	case AT_EVENT:
		if (ep->first && *p == ']')
			return step_to(ep, AT_MEMBER_END, p);
		ep->at = AT_EVENT_END;
		if ((s = read_event(ep, p, e, end)))
			return s;
		ep->at = AT_EVENT;
		return NULL;
	case AT_EVENT_END:
		if (*p == ',') {
			ep->first = 0;
			ep->at = AT_EVENT;
			return p + 1;
		}
		return *p == ']' ? step_to(ep, AT_MEMBER_END, p) : NULL;
	default:	/* AT_DONE: blanks only */
		return NULL;
	}
}

/* Reads s..e as far as it can: how many bytes it is done with. */
static size_t read_page(struct event_page *ep, const char *s, const char *e,
	int end)
{
	const char *p = s, *q;

	while (p < e && (q = read_step(ep, p, e, end)))
		p = q;
	return (size_t)(p - s);
}

static void begin_page(struct event_page *ep)
{
	ep->at = AT_OPEN;
	ep->first = ep->events = ep->oom = 0;
	ep->in_page = 1;
	ep->want = 0;
	cw_buf_reset(&ep->held);
	cw_buf_reset(&ep->token);
}

/* The page as it arrives (cw_awsjson_take_fn). What is not all here is
 * read again once the bytes held have doubled: a large event or a
 * malformed page costs its length a few times, not once a piece. */
static size_t take_page(void *arg, const char *data, size_t len,
	size_t taken)
{
	struct event_page *ep = arg;
	size_t n;

	if (!taken)
		begin_page(ep);
	if (len < ep->want)
		return 0;
	n = read_page(ep, data, data + len, 0);
	ep->want = 2 * (len - n);
	return n;
}

static int emit_held(struct event_page *ep, struct cw_err *err)
{
	const char *s = ep->held.p, *e = s + ep->held.len;
	int rc = 0;

	while (rc == 0 && s < e) {
		struct cw_logs_event ev;
		struct held_head h;

		memcpy(&h, s, sizeof(h));
		ev.group = ep->group;
		ev.stream = s += sizeof(h);
		ev.event_id = s += h.len[EV_STREAM] + 1;
		/* cut at its U+0000, it would pass for another event's id */
		if (strlen(ev.event_id) != h.len[EV_ID])
			ev.event_id = "";
		ev.message = s += h.len[EV_ID] + 1;
		ev.message_len = h.len[EV_MESSAGE];
		s += h.len[EV_MESSAGE] + 1;
		ev.timestamp = h.timestamp;
		ev.ingestion_time = h.ingestion_time;
		rc = ep->fn(ep->arg, &ev, err);
		if (rc == 0 && ep->left > 0 && --ep->left == 0)
			rc = 1;
	}
	return rc;
}

/* The rest of the page (all of it, when it was not read as it came). */
static int event_page(void *arg, char *body, size_t len,
	struct cw_buf *next, struct cw_err *err)
{
	struct event_page *ep = arg;
	int rc;

	if (!ep->in_page)
		begin_page(ep);
	ep->in_page = 0;
	if (ep->pages)
		++*ep->pages;
	if (read_page(ep, body, body + len, 1) != len || ep->at != AT_DONE)
		return ep->oom ? cw_err_set(err, "FilterLogEvents: out of "
			"memory") : CW_AWSJSON_MALFORMED;
	if (cw_buf_add(next, cw_buf_str(&ep->token), ep->token.len) < 0)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	rc = emit_held(ep, err);
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
	struct event_page ep = { 0 };
	int rc;

	ep.group = f->group;
	ep.left = f->limit;
	ep.fn = fn;
	ep.arg = arg;
	ep.pages = f->pages;
	ep.no_ids = f->no_ids;
	cw_buf_init(&ep.held, 0);
	cw_buf_init(&ep.token, 0);
	ep.req = filter_request(f);
	if (!ep.req)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	rc = cw_awsjson_paginate_body(c, &cw_service_logs, "FilterLogEvents",
		ep.req, "nextToken", take_page, event_page, &ep, err);
	/* what the service (or something in its place) said, not a write */
	if (rc < 0 && (err->code[0] || err->status))
		cw_err_wrap(err, "log group %s", f->group);
	cw_buf_release(&ep.held);
	cw_buf_release(&ep.token);
	cJSON_Delete(ep.req);
	return rc;
}
