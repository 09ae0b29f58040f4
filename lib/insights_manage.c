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
