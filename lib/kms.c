#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "awsjson.h"
#include "endpoint.h"
#include "kms.h"
#include "banned.h"

static cJSON *key_request(const char *key)
{
	cJSON *req = cJSON_CreateObject();

	if (req && !cJSON_AddStringToObject(req, "KeyId", key)) {
		cJSON_Delete(req);
		return NULL;
	}
	return req;
}

int cw_kms_describe(struct cw_client *c, const char *key, char *arn,
	size_t size, int *aws_managed, struct cw_err *err)
{
	cJSON *req = key_request(key), *res = NULL;
	const cJSON *md;
	const char *a, *mgr;
	int rc = -1;

	if (!req)
		return cw_err_set(err, "out of memory");
	if (cw_awsjson_call(c, &cw_service_kms, "DescribeKey", req, &res,
			err) < 0)
		goto out;
	md = cJSON_GetObjectItemCaseSensitive(res, "KeyMetadata");
	a = cw_awsjson_str(md, "Arn");
	mgr = cw_awsjson_str(md, "KeyManager");
	if (!a) {
		cw_err_set(err, "DescribeKey: no key ARN in the answer");
		goto out;
	}
	snprintf(arn, size, "%s", a);
	*aws_managed = mgr && strcmp(mgr, "AWS") == 0;
	rc = 0;
out:
	cJSON_Delete(req);
	cJSON_Delete(res);
	return rc;
}

int cw_kms_key_policy(struct cw_client *c, const char *key, char **policy,
	struct cw_err *err)
{
	cJSON *req = key_request(key), *res = NULL;
	const char *p;
	int rc = -1;

	*policy = NULL;
	if (!req || !cJSON_AddStringToObject(req, "PolicyName", "default")) {
		cJSON_Delete(req);
		return cw_err_set(err, "out of memory");
	}
	if (cw_awsjson_call(c, &cw_service_kms, "GetKeyPolicy", req, &res,
			err) < 0)
		goto out;
	if (!(p = cw_awsjson_str(res, "Policy")))
		cw_err_set(err, "GetKeyPolicy: no policy in the answer");
	else if (!(*policy = strdup(p)))
		cw_err_set(err, "out of memory");
	else
		rc = 0;
out:
	cJSON_Delete(req);
	cJSON_Delete(res);
	return rc;
}
