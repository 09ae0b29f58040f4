#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsjson.h"
#include "banned.h"

#define BODY_MAX ((size_t)32 << 20)

/* Proxies and broken transfers answer with HTML or half a body. */
static void not_json(const char *op, const struct cw_http_response *r,
	struct cw_err *err)
{
	const char *b = cw_buf_str(&r->body);
	size_t n = strcspn(b, "\r\n");

	if (b[0] == '{' || b[0] == '[')
		cw_err_set(err, "%s: response is truncated or malformed JSON "
			"(%zu bytes)", op, r->body.len);
	else
		cw_err_set(err, "%s: response is not JSON: %.*s", op,
			(int)(n > 80 ? 80 : n), b);
}

int cw_awsjson_call(struct cw_client *c, const struct cw_service *svc,
	const char *op, const cJSON *req, cJSON **out, struct cw_err *err)
{
	return cw_awsjson_call_raw(c, svc, op, req, out, NULL, err);
}

int cw_awsjson_call_raw(struct cw_client *c, const struct cw_service *svc,
	const char *op, const cJSON *req, cJSON **out, struct cw_buf *raw,
	struct cw_err *err)
{
	char target[128], ctype[48];
	struct cw_header qm = { "x-amzn-query-mode", "true" };
	struct cw_header tg = { "X-Amz-Target", target };
	struct cw_header hdrs[2];
	struct cw_client_request rq = { 0 };
	struct cw_http_response resp = { 0 };
	char *body = NULL;
	int ret = -1;

	*out = NULL;
	snprintf(target, sizeof(target), "%s.%s", svc->target_prefix, op);
	snprintf(ctype, sizeof(ctype), "application/x-amz-json-%s",
		svc->json_version);
	hdrs[0] = tg;
	hdrs[1] = qm;
	body = req ? cJSON_PrintUnformatted(req) : strdup("{}");
	if (!body)
		return cw_err_set(err, "%s: out of memory", op);
	cw_buf_init(&resp.body, BODY_MAX);
	rq.content_type = ctype;
	rq.headers = hdrs;
	rq.nheaders = svc->query_mode ? 2 : 1;
	rq.body = body;
	rq.body_len = strlen(body);
	if (cw_client_send(c, &rq, &resp, err) < 0)
		goto out;
	*out = cJSON_ParseWithLength(resp.body.p ? resp.body.p : "{}",
		resp.body.p ? resp.body.len : 2);
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		not_json(op, &resp, err);
		goto out;
	}
	ret = 0;
	if (raw) {
		cw_buf_release(raw);
		*raw = resp.body;
		cw_buf_init(&resp.body, BODY_MAX);
	}
out:
	free(body);
	cw_http_response_release(&resp);
	return ret;
}

const char *cw_awsjson_str(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

double cw_awsjson_num(const cJSON *obj, const char *name, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

int cw_awsjson_next_page(cJSON *req, const cJSON *res, const char *name)
{
	const char *tok = cw_awsjson_str(res, name);
	cJSON *copy;

	cJSON_DeleteItemFromObjectCaseSensitive(req, name);
	if (!tok || !*tok)
		return 0;
	copy = cJSON_CreateString(tok);
	if (!copy || !cJSON_AddItemToObject(req, name, copy)) {
		cJSON_Delete(copy);
		return -1;
	}
	return 1;
}
