#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "awsjson.h"
#include "endpoint.h"
#include "insights.h"
#include "banned.h"

static int call(struct cw_client *c, const char *op, cJSON *req, cJSON **res,
	struct cw_err *err)
{
	int rc;

	if (!req) {
		*res = NULL;
		return cw_err_set(err, "%s: out of memory", op);
	}
	rc = cw_awsjson_call(c, &cw_service_logs, op, req, res, err);
	cJSON_Delete(req);
	return rc;
}

/* Names and ARNs can be mixed only as logGroupIdentifiers. */
static int add_groups(cJSON *req, const char *const *groups, size_t n,
	int any_arn)
{
	cJSON *list = cJSON_AddArrayToObject(req,
		any_arn ? "logGroupIdentifiers" : "logGroupNames");
	size_t i;

	for (i = 0; list && i < n; i++)
		if (!cJSON_AddItemToArray(list, cJSON_CreateString(groups[i])))
			return -1;
	return list ? 0 : -1;
}

size_t cw_insights_query_chars(const char *query)
{
	size_t n = 0;

	/* Every byte but a UTF-8 continuation byte begins a character. */
	for (; *query; query++)
		n += ((unsigned char)*query & 0xC0) != 0x80;
	return n;
}

int cw_insights_has_source(const char *query)
{
	const char *p = query;

	for (;;) {
		p += strspn(p, " \t\r\n");
		if (*p != '#')
			break;
		p += strcspn(p, "\n");
	}
	return strncasecmp(p, "SOURCE", 6) == 0
		&& (p[6] == '\0' || strchr(" \t\r\n", p[6]));
}

static cJSON *start_request(const struct cw_insights_query *q)
{
	cJSON *req = cJSON_CreateObject();
	int any_arn = 0, ok;
	size_t i;

	for (i = 0; i < q->ngroups; i++)
		any_arn |= strncmp(q->groups[i], "arn:", 4) == 0;
	ok = req && (!q->ngroups
		|| add_groups(req, q->groups, q->ngroups, any_arn) == 0)
		&& cJSON_AddStringToObject(req, "queryString", q->query)
		&& cJSON_AddNumberToObject(req, "startTime", (double)q->start_s)
		&& cJSON_AddNumberToObject(req, "endTime", (double)q->end_s)
		&& (!q->limit || cJSON_AddNumberToObject(req, "limit",
			(double)q->limit));
	if (!ok) {
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

int cw_insights_start(struct cw_client *c, const struct cw_insights_query *q,
	char *id, size_t size, struct cw_err *err)
{
	cJSON *res;
	const char *s;
	int rc = -1;

	if (call(c, "StartQuery", start_request(q), &res, err) < 0)
		return -1;
	s = cw_awsjson_str(res, "queryId");
	if (!s || !*s || strlen(s) >= size)
		cw_err_set(err, "StartQuery: no usable queryId in the answer");
	else {
		memcpy(id, s, strlen(s) + 1);
		rc = 0;
	}
	cJSON_Delete(res);
	return rc;
}

static cJSON *id_request(const char *name, const char *value)
{
	cJSON *req = cJSON_CreateObject();

	if (req && !cJSON_AddStringToObject(req, name, value)) {
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

int cw_insights_results(struct cw_client *c, const char *id,
	const char *next, struct cw_insights_result *res, struct cw_err *err)
{
	cJSON *req = id_request("queryId", id);
	const cJSON *st;
	const char *s;

	memset(res, 0, sizeof(*res));
	if (req && next && !cJSON_AddStringToObject(req, "nextToken", next)) {
		cJSON_Delete(req);
		req = NULL;
	}
	if (call(c, "GetQueryResults", req, &res->doc, err) < 0)
		return -1;
	res->next = cw_awsjson_str(res->doc, "nextToken");
	if (res->next && !*res->next)
		res->next = NULL;
	s = cw_awsjson_str(res->doc, "status");
	snprintf(res->status, sizeof(res->status), "%s", s ? s : "Unknown");
	st = cJSON_GetObjectItemCaseSensitive(res->doc, "statistics");
	res->have_stats = cJSON_IsObject(st) && (cJSON_IsNumber(
		cJSON_GetObjectItemCaseSensitive(st, "recordsMatched"))
		|| cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(st,
		"recordsScanned")) || cJSON_IsNumber(
		cJSON_GetObjectItemCaseSensitive(st, "bytesScanned")));
	res->matched = cw_awsjson_num(st, "recordsMatched", 0);
	res->scanned = cw_awsjson_num(st, "recordsScanned", 0);
	res->bytes = cw_awsjson_num(st, "bytesScanned", 0);
	res->rows = cJSON_GetObjectItemCaseSensitive(res->doc, "results");
	if (!cJSON_IsArray(res->rows))
		res->rows = NULL;
	return 0;
}

void cw_insights_result_release(struct cw_insights_result *res)
{
	cJSON_Delete(res->doc);
	memset(res, 0, sizeof(*res));
}

int cw_insights_done(const char *status)
{
	return strcmp(status, "Scheduled") != 0
		&& strcmp(status, "Running") != 0;
}

int cw_insights_stop(struct cw_client *c, const char *id, struct cw_err *err)
{
	cJSON *res;
	int rc = call(c, "StopQuery", id_request("queryId", id), &res, err);

	cJSON_Delete(res);
	/* The query ended between our last poll and the stop. */
	if (rc < 0 && strcmp(err->code, "InvalidParameterException") == 0)
		return 0;
	return rc;
}

int cw_insights_fields(struct cw_client *c, const char *group,
	cw_insights_name_fn *fn, void *arg, struct cw_err *err)
{
	const char *key = strncmp(group, "arn:", 4) == 0
		? "logGroupIdentifier" : "logGroupName";
	const cJSON *f;
	cJSON *res;
	int rc = 0;

	if (call(c, "GetLogGroupFields", id_request(key, group), &res,
			err) < 0)
		return -1;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(res,
			"logGroupFields")) {
		const char *name = cw_awsjson_str(f, "name");

		if (name && (rc = fn(arg, name)) != 0)
			break;
	}
	cJSON_Delete(res);
	return rc < 0 ? -1 : 0;
}

int cw_insights_record(struct cw_client *c, const char *ptr, cJSON **out,
	struct cw_err *err)
{
	cJSON *res, *rec;

	*out = NULL;
	if (call(c, "GetLogRecord", id_request("logRecordPointer", ptr), &res,
			err) < 0)
		return -1;
	rec = cJSON_DetachItemFromObjectCaseSensitive(res, "logRecord");
	cJSON_Delete(res);
	if (!cJSON_IsObject(rec)) {
		cJSON_Delete(rec);
		return cw_err_set(err, "GetLogRecord: no logRecord in the answer");
	}
	*out = rec;
	return 0;
}

static int each_def(const cJSON *res, cw_insights_def_fn *fn, void *arg)
{
	const cJSON *d;
	int rc;

	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(res,
			"queryDefinitions")) {
		struct cw_insights_def def;

		def.id = cw_awsjson_str(d, "queryDefinitionId");
		def.name = cw_awsjson_str(d, "name");
		def.query = cw_awsjson_str(d, "queryString");
		def.groups = cJSON_GetObjectItemCaseSensitive(d,
			"logGroupNames");
		if (!def.id || !def.name || !def.query)
			continue;
		if ((rc = fn(arg, &def)) != 0)
			return rc;
	}
	return 0;
}

struct defs {
	cw_insights_def_fn *fn;
	void *arg;
};

static int defs_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct defs *d = arg;

	(void)err;
	return each_def(*res, d->fn, d->arg);
}

int cw_insights_defs(struct cw_client *c, const char *prefix,
	cw_insights_def_fn *fn, void *arg, struct cw_err *err)
{
	struct defs d = { fn, arg };
	cJSON *req = cJSON_CreateObject();
	int rc;

	if (!req || (prefix && *prefix && !cJSON_AddStringToObject(req,
			"queryDefinitionNamePrefix", prefix))) {
		cJSON_Delete(req);
		return cw_err_set(err, "DescribeQueryDefinitions: out of memory");
	}
	rc = cw_awsjson_paginate(c, &cw_service_logs, "DescribeQueryDefinitions",
		req, "nextToken", defs_page, &d, err);
	cJSON_Delete(req);
	return rc;
}

int cw_insights_save(struct cw_client *c, const char *id, const char *name,
	const char *query, const char *const *groups, size_t ngroups,
	struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res;
	int ok = req && cJSON_AddStringToObject(req, "name", name)
		&& cJSON_AddStringToObject(req, "queryString", query)
		&& (!id || cJSON_AddStringToObject(req, "queryDefinitionId", id))
		&& (!ngroups || add_groups(req, groups, ngroups, 0) == 0);

	if (!ok) {
		cJSON_Delete(req);
		req = NULL;
	}
	if (call(c, "PutQueryDefinition", req, &res, err) < 0)
		return -1;
	cJSON_Delete(res);
	return 0;
}

/* The Logs Insights vocabulary, for completion. Functions end in '(' so
 * a completed name is ready for its arguments. */
const char *const cw_insights_words[] = {
	"fields", "display", "filter", "stats", "sort", "limit", "parse",
	"dedup", "pattern", "diff", "anomaly", "unmask", "unnest",
	"filterIndex", "lookup", "SOURCE",
	"as", "by", "like", "in", "asc", "desc", "and", "or", "not",
	"@timestamp", "@message", "@logStream", "@log", "@ingestionTime",
	"@ptr", "@entity",
	"abs(", "ceil(", "floor(", "greatest(", "least(", "log(", "sqrt(",
	"ispresent(", "coalesce(", "isempty(", "isblank(", "concat(",
	"ltrim(", "rtrim(", "trim(", "strlen(", "toupper(", "tolower(",
	"substr(", "replace(", "strcontains(", "bin(", "datefloor(",
	"dateceil(", "fromMillis(", "toMillis(", "isValidIp(",
	"isValidIpV4(", "isValidIpV6(", "isIpInSubnet(", "isIpv4InSubnet(",
	"isIpv6InSubnet(", "jsonParse(", "count(", "count_distinct(",
	"sum(", "avg(", "min(", "max(", "pct(", "stddev(", "earliest(",
	"latest(", "sortsFirst(", "sortsLast(",
	NULL
};
