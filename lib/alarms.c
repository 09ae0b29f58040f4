#include <stdlib.h>
#include <string.h>

#include "alarms.h"
#include "awsjson.h"
#include "endpoint.h"
#include "banned.h"

#define PAGE_RECORDS 100
#define NAMES_PER_CALL 100

/* Sorts by name, then by position: the first of equal names leads. */
static int cmp_at(const void *a, const void *b)
{
	const char *const *x = *(const char *const *const *)a;
	const char *const *y = *(const char *const *const *)b;
	int c = strcmp(*x, *y);

	return c ? c : x < y ? -1 : x > y;
}

long cw_alarms_unique_names(const char **names, size_t n)
{
	const char ***at = calloc(n ? n : 1, sizeof(*at));
	char *drop = calloc(n ? n : 1, 1);
	size_t i, k = 0;

	if (!at || !drop) {
		free(at);
		free(drop);
		return -1;
	}
	for (i = 0; i < n; i++)
		at[i] = &names[i];
	/* a sort, not a scan per name: argv may hold many thousands */
	qsort(at, n, sizeof(*at), cmp_at);
	for (i = 1; i < n; i++)
		if (strcmp(*at[i], *at[i - 1]) == 0)
			drop[at[i] - names] = 1;
	for (i = 0; i < n; i++)
		if (!drop[i])
			names[k++] = names[i];
	free(at);
	free(drop);
	return (long)k;
}

int cw_alarms_parse_state(const char *s, const char **out,
	struct cw_err *err)
{
	static const char *const map[][2] = {
		{ "alarm", "ALARM" }, { "ok", "OK" },
		{ "insufficient", "INSUFFICIENT_DATA" }, { "any", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(s, map[i][0]) == 0) {
			*out = map[i][1];
			return 0;
		}
	return cw_err_set(err, "--state '%.32s': expected alarm, ok, "
		"insufficient or any", s);
}

static int keep_page(struct cw_alarms_set *s, cJSON *page)
{
	cJSON **p;

	if (s->npages == s->pcap) {
		size_t cap = s->pcap ? s->pcap * 2 : 8;

		if (!(p = realloc(s->pages, cap * sizeof(*p))))
			return -1;
		s->pages = p;
		s->pcap = cap;
	}
	s->pages[s->npages++] = page;
	return 0;
}

/* A state's time; 0 (unknown) when absent or out of range. */
static int64_t since_ms(const cJSON *o, const char *name)
{
	int64_t ms = cw_awsjson_seconds(o, name);

	return ms == CW_AWSJSON_BAD_TIME ? 0 : ms;
}

static int add_alarm(struct cw_alarms_set *s, const cJSON *it, int composite)
{
	struct cw_alarm *a;
	const cJSON *acts = cJSON_GetObjectItemCaseSensitive(it, "AlarmActions");
	const cJSON *en = cJSON_GetObjectItemCaseSensitive(it, "ActionsEnabled");

	if (!cw_awsjson_str(it, "AlarmName"))
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		if (!(a = realloc(s->v, cap * sizeof(*a))))
			return -1;
		s->v = a;
		s->cap = cap;
	}
	a = &s->v[s->n++];
	memset(a, 0, sizeof(*a));
	cw_buf_init(&a->firing, 64 * 1024);
	a->name = cw_awsjson_str(it, "AlarmName");
	a->arn = cw_awsjson_str(it, "AlarmArn");
	a->state = cw_awsjson_str(it, "StateValue");
	a->reason = cw_awsjson_str(it, "StateReason");
	a->eval_state = cw_awsjson_str(it, "EvaluationState");
	a->since_ms = since_ms(it, "StateTransitionedTimestamp");
	if (!a->since_ms)
		a->since_ms = since_ms(it, "StateUpdatedTimestamp");
	a->composite = composite;
	a->actions_enabled = !cJSON_IsFalse(en);
	a->nalarm_actions = cJSON_IsArray(acts) ? cJSON_GetArraySize(acts) : 0;
	a->json = it;
	return 0;
}

static int add_page(struct cw_alarms_set *s, cJSON *res)
{
	static const char *const kinds[] = { "MetricAlarms", "CompositeAlarms" };
	const cJSON *arr, *it;
	size_t k;

	if (keep_page(s, res) < 0) {
		cJSON_Delete(res);
		return -1;
	}
	for (k = 0; k < 2; k++) {
		arr = cJSON_GetObjectItemCaseSensitive(res, kinds[k]);
		cJSON_ArrayForEach(it, arr)
			if (add_alarm(s, it, (int)k) < 0)
				return -1;
	}
	return 0;
}

/* add_page keeps the page (or frees it on failure). */
static int describe_page(void *arg, cJSON **res, struct cw_err *err)
{
	int rc = add_page(arg, *res);

	*res = NULL;
	return rc < 0 ? cw_err_set(err, "DescribeAlarms: out of memory") : 0;
}

/* Follows every page of one DescribeAlarms request. */
static int describe_pages(struct cw_client *c, cJSON *req,
	struct cw_alarms_set *out, struct cw_err *err)
{
	return cw_awsjson_paginate(c, &cw_service_monitoring, "DescribeAlarms",
		req, "NextToken", describe_page, out, err);
}

static cJSON *base_request(const struct cw_alarms_query *q)
{
	cJSON *req = cJSON_CreateObject();
	cJSON *types = cJSON_AddArrayToObject(req, "AlarmTypes");

	if (!types)
		goto fail;
	cJSON_AddItemToArray(types, cJSON_CreateString("MetricAlarm"));
	cJSON_AddItemToArray(types, cJSON_CreateString("CompositeAlarm"));
	if (cJSON_GetArraySize(types) != 2
			|| !cJSON_AddNumberToObject(req, "MaxRecords", PAGE_RECORDS)
			|| (q->state && !cJSON_AddStringToObject(req, "StateValue",
				q->state))
			|| (q->prefix && *q->prefix && !cJSON_AddStringToObject(req,
				"AlarmNamePrefix", q->prefix)))
		goto fail;
	return req;
fail:
	cJSON_Delete(req);
	return NULL;
}

/* AlarmNames takes at most 100 names a call. */
static int describe_names(struct cw_client *c, const struct cw_alarms_query *q,
	struct cw_alarms_set *out, struct cw_err *err)
{
	size_t i, j;
	cJSON *req, *names;
	int rc = 0;

	for (i = 0; rc == 0 && i < q->nnames; i += NAMES_PER_CALL) {
		req = base_request(q);
		names = req ? cJSON_AddArrayToObject(req, "AlarmNames") : NULL;
		for (j = i; names && j < q->nnames && j < i + NAMES_PER_CALL; j++)
			cJSON_AddItemToArray(names, cJSON_CreateString(q->names[j]));
		if (!names || cJSON_GetArraySize(names) != (int)(j - i))
			rc = cw_err_set(err, "DescribeAlarms: out of memory");
		else
			rc = describe_pages(c, req, out, err);
		cJSON_Delete(req);
	}
	return rc;
}

/* The children of a composite that are in ALARM now: its StateReason
 * names only the child that tripped it last. */
static int firing_children(struct cw_client *c, struct cw_alarm *a,
	struct cw_err *err)
{
	struct cw_alarms_set kids = { 0 };
	cJSON *req = cJSON_CreateObject();
	size_t i;
	int rc = -1;

	if (!req || !cJSON_AddStringToObject(req, "ChildrenOfAlarmName",
			a->name) || !cJSON_AddNumberToObject(req, "MaxRecords",
			PAGE_RECORDS)) {
		cw_err_set(err, "DescribeAlarms: out of memory");
		goto out;
	}
	if (describe_pages(c, req, &kids, err) < 0)
		goto out;
	for (i = 0; i < kids.n; i++) {
		if (!kids.v[i].state || strcmp(kids.v[i].state, "ALARM"))
			continue;
		if ((a->firing.len && cw_buf_addc(&a->firing, '\n') < 0)
				|| cw_buf_adds(&a->firing, kids.v[i].name) < 0)
			break;	/* a cut list still says enough */
	}
	rc = 0;
out:
	cJSON_Delete(req);
	cw_alarms_set_release(&kids);
	return rc;
}

int cw_alarms_describe(struct cw_client *c, const struct cw_alarms_query *q,
	struct cw_alarms_set *out, struct cw_err *err)
{
	size_t i, first = out->n;
	cJSON *req;
	int rc;

	if (q->names)
		rc = describe_names(c, q, out, err);
	else if (!(req = base_request(q)))
		rc = cw_err_set(err, "DescribeAlarms: out of memory");
	else {
		rc = describe_pages(c, req, out, err);
		cJSON_Delete(req);
	}
	for (i = first; rc == 0 && q->children && i < out->n; i++)
		if (out->v[i].composite && out->v[i].state
				&& strcmp(out->v[i].state, "ALARM") == 0)
			rc = firing_children(c, &out->v[i], err);
	return rc;
}

void cw_alarms_set_release(struct cw_alarms_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		cw_buf_release(&s->v[i].firing);
	for (i = 0; i < s->npages; i++)
		cJSON_Delete(s->pages[i]);
	free(s->v);
	free(s->pages);
	memset(s, 0, sizeof(*s));
}

const struct cw_alarm *cw_alarms_find(const struct cw_alarms_set *s,
	const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

/* HistoryData is JSON inside a string; newState.stateReason is what
 * changed the state. The caller deletes *doc. */
static const char *history_reason(const cJSON *it, cJSON **doc)
{
	const char *data = cw_awsjson_str(it, "HistoryData");
	const cJSON *ns;

	*doc = data ? cJSON_Parse(data) : NULL;
	ns = cJSON_GetObjectItemCaseSensitive(*doc, "newState");
	return cw_awsjson_str(ns, "stateReason");
}

static int history_page(const cJSON *res,
	int (*fn)(void *, const struct cw_alarms_event *, struct cw_err *),
	void *arg, struct cw_err *err)
{
	const cJSON *it;
	struct cw_alarms_event e;
	cJSON *doc;
	int rc = 0;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(res,
			"AlarmHistoryItems")) {
		e.ms = cw_awsjson_seconds(it, "Timestamp");
		e.type = cw_awsjson_str(it, "HistoryItemType");
		e.summary = cw_awsjson_str(it, "HistorySummary");
		e.reason = history_reason(it, &doc);
		rc = fn(arg, &e, err);
		cJSON_Delete(doc);
		if (rc)
			break;
	}
	return rc;
}

struct history {
	int (*fn)(void *, const struct cw_alarms_event *, struct cw_err *);
	void *arg;
};

static int history_pages(void *arg, cJSON **res, struct cw_err *err)
{
	struct history *h = arg;

	return history_page(*res, h->fn, h->arg, err);
}

int cw_alarms_history(struct cw_client *c, const char *name,
	int (*fn)(void *arg, const struct cw_alarms_event *e,
		struct cw_err *err),
	void *arg, struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *types;
	struct history hp;
	int rc = -1;

	types = req ? cJSON_AddArrayToObject(req, "AlarmTypes") : NULL;
	if (!types || !cJSON_AddStringToObject(req, "AlarmName", name)
			|| !cJSON_AddStringToObject(req, "ScanBy",
				"TimestampDescending")
			|| !cJSON_AddNumberToObject(req, "MaxRecords", 100)) {
		cw_err_set(err, "DescribeAlarmHistory: out of memory");
		goto out;
	}
	cJSON_AddItemToArray(types, cJSON_CreateString("MetricAlarm"));
	cJSON_AddItemToArray(types, cJSON_CreateString("CompositeAlarm"));
	hp.fn = fn;
	hp.arg = arg;
	rc = cw_awsjson_paginate(c, &cw_service_monitoring,
		"DescribeAlarmHistory", req, "NextToken", history_pages, &hp, err);
out:
	cJSON_Delete(req);
	return rc;
}

int cw_alarms_set_state(struct cw_client *c, const char *name,
	const char *state, const char *reason, struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res = NULL;
	int rc = -1;

	if (!req || !cJSON_AddStringToObject(req, "AlarmName", name)
			|| !cJSON_AddStringToObject(req, "StateValue", state)
			|| !cJSON_AddStringToObject(req, "StateReason", reason))
		cw_err_set(err, "SetAlarmState: out of memory");
	else
		rc = cw_awsjson_call(c, &cw_service_monitoring,
			"SetAlarmState", req, &res, err);
	cJSON_Delete(res);
	cJSON_Delete(req);
	return rc;
}

struct pages {
	cw_alarms_page_fn *fn;
	void *arg;
	int failed;		/* fn failed: its error says what */
};

static int each_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct pages *p = arg;

	p->failed = p->fn(p->arg, *res, err) < 0;
	return p->failed ? -1 : 0;
}

int cw_alarms_pages(struct cw_client *c, const struct cw_alarms_query *q,
	cw_alarms_page_fn *fn, void *arg, struct cw_err *err)
{
	struct pages p = { fn, arg, 0 };
	cJSON *req = base_request(q);
	int rc;

	if (!req)
		return cw_err_set(err, "DescribeAlarms: out of memory");
	rc = cw_awsjson_paginate(c, &cw_service_monitoring, "DescribeAlarms",
		req, "NextToken", each_page, &p, err);
	if (rc < 0 && !p.failed)
		cw_err_wrap(err, "DescribeAlarms");
	cJSON_Delete(req);
	return rc;
}

int cw_alarms_tags(struct cw_client *c, const char *arn, cJSON **tags,
	struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res = NULL;
	int rc = -1;

	*tags = NULL;
	if (!req || !cJSON_AddStringToObject(req, "ResourceARN", arn)) {
		cw_err_set(err, "ListTagsForResource: out of memory");
		goto out;
	}
	if (cw_awsjson_call(c, &cw_service_monitoring, "ListTagsForResource",
			req, &res, err) < 0) {
		cw_err_wrap(err, "ListTagsForResource %.200s", arn);
		goto out;
	}
	*tags = cJSON_DetachItemFromObjectCaseSensitive(res, "Tags");
	if (!*tags)
		*tags = cJSON_CreateArray();
	rc = *tags ? 0 : -1;
out:
	cJSON_Delete(res);
	cJSON_Delete(req);
	return rc;
}

const char *cw_alarms_tag(const cJSON *tags, const char *key)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, tags) {
		const char *k = cw_awsjson_str(t, "Key");

		if (k && strcmp(k, key) == 0)
			return cw_awsjson_str(t, "Value");
	}
	return NULL;
}

/* Where append_page copies the items of one list member of each page. */
struct append {
	const char *member;
	cJSON *out;
};

static int append_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct append *ap = arg;
	const cJSON *it;
	cJSON *dup;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(*res,
			ap->member)) {
		if (!(dup = cJSON_Duplicate(it, 1)))
			return cw_err_set(err, "out of memory");
		cJSON_AddItemToArray(ap->out, dup);
	}
	return 0;
}

int cw_alarms_filters(struct cw_client *c, const char *group, cJSON *out,
	struct cw_err *err)
{
	struct append ap = { "metricFilters", out };
	cJSON *req = cJSON_CreateObject();
	int rc;

	if (!req || !cJSON_AddStringToObject(req, "logGroupName", group))
		rc = cw_err_set(err, "DescribeMetricFilters: out of memory");
	else if ((rc = cw_awsjson_paginate(c, &cw_service_logs,
			"DescribeMetricFilters", req, "nextToken", append_page,
			&ap, err)) < 0) {
		/* a missing group has no filters */
		if (strcmp(err->code, "ResourceNotFoundException") == 0
				|| strstr(err->msg, "ResourceNotFoundException"))
			rc = 0;
		else
			cw_err_wrap(err, "DescribeMetricFilters %.200s", group);
	}
	cJSON_Delete(req);
	return rc;
}

int cw_alarms_list_metrics(struct cw_client *c, const char *ns,
	const char *name, cJSON *out, struct cw_err *err)
{
	struct append ap = { "Metrics", out };
	cJSON *req = cJSON_CreateObject();
	int rc;

	if (!req || !cJSON_AddStringToObject(req, "Namespace", ns)
			|| !cJSON_AddStringToObject(req, "MetricName", name))
		rc = cw_err_set(err, "ListMetrics: out of memory");
	else if ((rc = cw_awsjson_paginate(c, &cw_service_monitoring,
			"ListMetrics", req, "NextToken", append_page, &ap,
			err)) < 0)
		cw_err_wrap(err, "ListMetrics %.200s %.200s", ns, name);
	cJSON_Delete(req);
	return rc;
}
