#include <stdio.h>
#include <string.h>

#include "awsjson.h"
#include "endpoint.h"
#include "json.h"
#include "logs.h"
#include "banned.h"

/* A group name is sent as logGroupIdentifier when it is an ARN. */
static int add_group(cJSON *req, const char *group)
{
	const char *key = strncmp(group, "arn:", 4) == 0
		? "logGroupIdentifier" : "logGroupName";

	return cJSON_AddStringToObject(req, key, group) ? 0 : -1;
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

/*
 * cJSON ends a string at U+0000. When the answer holds one, the messages
 * are decoded again from the raw text, with their lengths: the element
 * of the raw "events" array that goes with each cJSON event, in order.
 */
struct raw_events {
	const char *at, *end;	/* the next element, NULL when not used */
	struct cw_buf msg;
};

static void raw_start(struct raw_events *r, const struct cw_buf *body)
{
	const char *e = body->p + body->len, *a;

	r->at = NULL;
	r->end = e;
	cw_buf_init(&r->msg, 0);
	if (!body->p || !memmem(body->p, body->len, "\\u0000", 6))
		return;
	a = cw_json_member(body->p, e, "events", 6);
	if (a && *a == '[')
		r->at = a + 1;
}

/* The message of the next raw element, in ev; the next element after. */
static void raw_message(struct raw_events *r, struct cw_logs_event *ev)
{
	const char *m, *next;

	if (!r->at)
		return;
	m = cw_json_member(r->at, r->end, "message", 7);
	cw_buf_reset(&r->msg);
	if (m && *m == '"' && cw_json_string(&r->msg, m, r->end,
	    &ev->message_len) == 0)
		ev->message = cw_buf_str(&r->msg);
	next = cw_json_skip(r->at, r->end);
	next = next ? cw_json_ws(next, r->end) : NULL;
	r->at = next && next < r->end && *next == ',' ? next + 1 : NULL;
}

static int each_event(const char *group, const cJSON *res,
	const struct cw_buf *body, long *left, cw_logs_event_fn *fn,
	void *arg, struct cw_err *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(res, "events");
	const cJSON *e;
	struct raw_events raw;
	int rc = 0;

	raw_start(&raw, body);
	cJSON_ArrayForEach(e, list) {
		struct cw_logs_event ev;

		ev.group = group;
		ev.stream = cw_awsjson_str(e, "logStreamName");
		ev.event_id = cw_awsjson_str(e, "eventId");
		ev.message = cw_awsjson_str(e, "message");
		ev.message_len = ev.message ? strlen(ev.message) : 0;
		ev.timestamp = cw_awsjson_time(e, "timestamp");
		ev.ingestion_time = cw_awsjson_time(e, "ingestionTime");
		if (ev.message)
			raw_message(&raw, &ev);
		else if (raw.at)
			raw_message(&raw, &(struct cw_logs_event){ 0 });
		if (!ev.message)
			continue;
		if (!ev.stream)
			ev.stream = "";
		if (!ev.event_id)
			ev.event_id = "";
		rc = fn(arg, &ev, err);
		if (rc)
			break;
		if (*left > 0 && --*left == 0) {
			rc = 1;
			break;
		}
	}
	cw_buf_release(&raw.msg);
	return rc;
}

/* A page never holds more events than are still wanted. */
static int set_limit(cJSON *req, long left)
{
	cJSON_DeleteItemFromObjectCaseSensitive(req, "limit");
	return cJSON_AddNumberToObject(req, "limit", (double)(left <
		FILTER_PAGE_MAX ? left : FILTER_PAGE_MAX)) ? 0 : -1;
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

struct event_page {
	const char *group;
	long left;
	cw_logs_event_fn *fn;
	void *arg;
	cJSON *req;
	const struct cw_buf *body;
};

/* One page's events; the next page asks only for what --limit leaves. */
static int event_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct event_page *ep = arg;
	int rc = each_event(ep->group, *res, ep->body, &ep->left, ep->fn,
		ep->arg, err);

	if (rc == 0 && ep->left > 0 && set_limit(ep->req, ep->left) < 0)
		rc = cw_err_set(err, "FilterLogEvents: out of memory");
	return rc;
}

int cw_logs_filter(struct cw_client *c, const struct cw_logs_filter *f,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err)
{
	struct cw_buf body = CW_BUF_INIT;
	struct event_page ep = { f->group, f->limit, fn, arg, NULL, &body };
	int rc;

	ep.req = filter_request(f);
	if (!ep.req)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	rc = cw_awsjson_paginate_raw(c, &cw_service_logs, "FilterLogEvents",
		ep.req, "nextToken", &body, event_page, &ep, err);
	if (rc < 0 && err->code[0])
		cw_err_wrap(err, "log group %s", f->group);
	cw_buf_release(&body);
	cJSON_Delete(ep.req);
	return rc;
}
