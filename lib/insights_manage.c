#include <string.h>

#include "awsjson.h"
#include "endpoint.h"
#include "insights_manage.h"
#include "banned.h"

int cw_insights_unsave(struct cw_client *c, const char *id,
	struct cw_err *err)
{
	cJSON *req = cJSON_CreateObject(), *res = NULL;
	int rc;

	if (!req || !cJSON_AddStringToObject(req, "queryDefinitionId", id)) {
		cJSON_Delete(req);
		return cw_err_set(err, "DeleteQueryDefinition: out of memory");
	}
	rc = cw_awsjson_call(c, &cw_service_logs, "DeleteQueryDefinition",
		req, &res, err);
	cJSON_Delete(req);
	cJSON_Delete(res);
	return rc;
}

struct infos {
	cw_insights_info_fn *fn;
	void *arg;
};

static const char *str(const cJSON *o, const char *name)
{
	const char *s = cw_awsjson_str(o, name);

	return s ? s : "";
}

static int infos_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct infos *in = arg;
	const cJSON *q;
	int rc;

	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(*res,
			"queries")) {
		struct cw_insights_info i;
		int64_t t = cw_awsjson_time(q, "createTime");

		i.id = str(q, "queryId");
		if (!*i.id)
			continue;
		i.query = str(q, "queryString");
		i.status = str(q, "status");
		i.group = str(q, "logGroupName");
		i.created_ms = t == CW_AWSJSON_BAD_TIME ? 0 : t;
		if ((rc = in->fn(in->arg, &i)) != 0) {
			if (rc < 0)
				cw_err_set(err, "DescribeQueries: out of memory");
			return rc;
		}
	}
	return 0;
}

int cw_insights_queries(struct cw_client *c, const char *status,
	cw_insights_info_fn *fn, void *arg, struct cw_err *err)
{
	struct infos in = { fn, arg };
	cJSON *req = cJSON_CreateObject();
	int rc;

	if (!req || (status && !cJSON_AddStringToObject(req, "status",
			status))) {
		cJSON_Delete(req);
		return cw_err_set(err, "DescribeQueries: out of memory");
	}
	rc = cw_awsjson_paginate(c, &cw_service_logs, "DescribeQueries", req,
		"nextToken", infos_page, &in, err);
	cJSON_Delete(req);
	return rc;
}

int cw_insights_arn_name(const char *s, char *buf, size_t size)
{
	const char *p = strncmp(s, "arn:", 4) == 0 ? strstr(s, ":log-group:")
		: NULL;
	size_t n;

	if (!p)
		return -1;
	p += strlen(":log-group:");
	n = strcspn(p, ":");
	if (n == 0 || n >= size)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

int cw_insights_plain_name(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= 512 && strspn(name, ".-_/#"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789") == n;
}
