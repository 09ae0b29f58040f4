#include <stdio.h>
#include <string.h>

#include "awsjson.h"
#include "endpoint.h"
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

static int each_event(const char *group, const cJSON *res, long *left,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(res, "events");
	const cJSON *e;
	int rc;

	cJSON_ArrayForEach(e, list) {
		struct cw_logs_event ev;

		ev.group = group;
		ev.stream = cw_awsjson_str(e, "logStreamName");
		ev.event_id = cw_awsjson_str(e, "eventId");
		ev.message = cw_awsjson_str(e, "message");
		ev.timestamp = cw_awsjson_time(e, "timestamp");
		ev.ingestion_time = cw_awsjson_time(e, "ingestionTime");
		if (!ev.message)
			continue;
		if (!ev.stream)
			ev.stream = "";
		if (!ev.event_id)
			ev.event_id = "";
		rc = fn(arg, &ev, err);
		if (rc)
			return rc;
		if (*left > 0 && --*left == 0)
			return 1;
	}
	return 0;
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
};

static int event_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct event_page *ep = arg;

	return each_event(ep->group, *res, &ep->left, ep->fn, ep->arg, err);
}

int cw_logs_filter(struct cw_client *c, const struct cw_logs_filter *f,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err)
{
	struct event_page ep = { f->group, f->limit, fn, arg };
	cJSON *req = filter_request(f);
	int rc;

	if (!req)
		return cw_err_set(err, "FilterLogEvents: out of memory");
	rc = cw_awsjson_paginate(c, &cw_service_logs, "FilterLogEvents", req,
		"nextToken", event_page, &ep, err);
	if (rc < 0 && err->code[0])
		cw_err_wrap(err, "log group %s", f->group);
	cJSON_Delete(req);
	return rc;
}
