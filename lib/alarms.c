#include <string.h>

#include "alarms.h"
#include "awsjson.h"
#include "endpoint.h"
#include "banned.h"

static cJSON *types(void)
{
	const char *t[] = { "MetricAlarm", "CompositeAlarm" };

	return cJSON_CreateStringArray(t, 2);
}

int cw_alarms_describe(struct cw_client *c, const char *prefix,
	cw_alarms_page_fn *fn, void *arg, int *calls, struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res = NULL;
	int more, rc = -1;

	if (!req || !cJSON_AddItemToObject(req, "AlarmTypes", types())
			|| !cJSON_AddNumberToObject(req, "MaxRecords", 100)
			|| (prefix && *prefix && !cJSON_AddStringToObject(req,
				"AlarmNamePrefix", prefix))) {
		cw_err_set(err, "DescribeAlarms: out of memory");
		goto out;
	}
	do {
		if (cw_awsjson_call(c, &cw_service_monitoring, "DescribeAlarms",
				req, &res, err) < 0) {
			cw_err_wrap(err, "DescribeAlarms");
			goto out;
		}
		if (calls)
			(*calls)++;
		if (fn(arg, res, err) < 0)
			goto out;
		more = cw_awsjson_next_page(req, res, "NextToken");
		cJSON_Delete(res);
		res = NULL;
	} while (more > 0);
	rc = more < 0 ? cw_err_set(err, "DescribeAlarms: out of memory") : 0;
out:
	cJSON_Delete(res);
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

int cw_alarms_filters(struct cw_client *c, const char *group, cJSON *out,
	struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res = NULL, *f;
	int more = 0, rc = -1;

	if (!req || !cJSON_AddStringToObject(req, "logGroupName", group)) {
		cw_err_set(err, "DescribeMetricFilters: out of memory");
		goto out;
	}
	do {
		if (cw_awsjson_call(c, &cw_service_logs, "DescribeMetricFilters",
				req, &res, err) < 0) {
			if (strcmp(err->code, "ResourceNotFoundException") == 0
					|| strstr(err->msg,
						"ResourceNotFoundException")) {
				rc = 0;
				goto out;
			}
			cw_err_wrap(err, "DescribeMetricFilters %.200s", group);
			goto out;
		}
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(res,
				"metricFilters"))
			cJSON_AddItemToArray(out, cJSON_Duplicate(f, 1));
		more = cw_awsjson_next_page(req, res, "nextToken");
		cJSON_Delete(res);
		res = NULL;
	} while (more > 0);
	rc = more < 0 ? -1 : 0;
out:
	cJSON_Delete(res);
	cJSON_Delete(req);
	return rc;
}

int cw_alarms_list_metrics(struct cw_client *c, const char *ns,
	const char *name, cJSON *out, struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res = NULL, *m;
	int more = 0, rc = -1;

	if (!req || !cJSON_AddStringToObject(req, "Namespace", ns)
			|| !cJSON_AddStringToObject(req, "MetricName", name)) {
		cw_err_set(err, "ListMetrics: out of memory");
		goto out;
	}
	do {
		if (cw_awsjson_call(c, &cw_service_monitoring, "ListMetrics",
				req, &res, err) < 0) {
			cw_err_wrap(err, "ListMetrics %.200s %.200s", ns, name);
			goto out;
		}
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(res,
				"Metrics"))
			cJSON_AddItemToArray(out, cJSON_Duplicate(m, 1));
		more = cw_awsjson_next_page(req, res, "NextToken");
		cJSON_Delete(res);
		res = NULL;
	} while (more > 0);
	rc = more < 0 ? -1 : 0;
out:
	cJSON_Delete(res);
	cJSON_Delete(req);
	return rc;
}
