#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "awsjson.h"
#include "buf.h"
#include "lambda.h"
#include "banned.h"

#define API "/2015-03-31/functions/"

/* GET API name suffix: 1 found (resp holds it), 0 answered 404, -1. */
static int get(struct cw_client *c, const char *name, const char *suffix,
	const char *qualifier, struct cw_http_response *resp,
	struct cw_err *err)
{
	struct cw_buf path = CW_BUF_INIT, query = CW_BUF_INIT;
	struct cw_client_request rq = { .method = "GET" };
	int rc = -1;

	memset(resp, 0, sizeof(*resp));
	if (cw_buf_adds(&path, API) < 0
			|| cw_http_urlencode(&path, name, strlen(name), 0) < 0
			|| cw_buf_adds(&path, suffix) < 0
			|| (qualifier && (cw_buf_adds(&query, "Qualifier=") < 0
			|| cw_http_urlencode(&query, qualifier,
			strlen(qualifier), 0) < 0))) {
		cw_err_set(err, "out of memory");
		goto out;
	}
	rq.path = cw_buf_str(&path);
	rq.query = qualifier ? cw_buf_str(&query) : NULL;
	cw_err_clear(err);
	if (cw_client_send(c, &rq, resp, err) == 0)
		rc = 1;
	else if (err->status == 404)	/* ResourceNotFoundException */
		rc = 0;
out:
	cw_buf_release(&path);
	cw_buf_release(&query);
	return rc;
}

static int read_policy(const struct cw_http_response *resp, char **policy,
	struct cw_err *err)
{
	cJSON *doc = cJSON_ParseWithLength(cw_buf_str(&resp->body),
		resp->body.len);
	const char *p = cw_awsjson_str(doc, "Policy");

	*policy = p ? strdup(p) : NULL;
	cJSON_Delete(doc);
	if (!p)
		return cw_err_set(err, "GetPolicy: no policy in the answer");
	return *policy ? CW_LAMBDA_POLICY : cw_err_set(err, "out of memory");
}

int cw_lambda_policy(struct cw_client *c, const char *name,
	const char *qualifier, char **policy, struct cw_err *err)
{
	struct cw_http_response resp;
	int rc;

	*policy = NULL;
	rc = get(c, name, "/policy", qualifier, &resp, err);
	if (rc == 1)
		rc = read_policy(&resp, policy, err);
	cw_http_response_release(&resp);
	if (rc != 0)
		return rc;
	rc = get(c, name, "", qualifier, &resp, err);
	cw_http_response_release(&resp);
	return rc < 0 ? -1 : rc ? CW_LAMBDA_NO_POLICY : CW_LAMBDA_NO_FUNCTION;
}
