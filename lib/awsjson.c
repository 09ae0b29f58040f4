#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsjson.h"
#include "timespec.h"
#include "banned.h"

#define BODY_MAX ((size_t)32 << 20)

/* Proxies and broken transfers answer with HTML or half a body. */
static void not_json(const char *op, const struct cw_http_response *r,
	struct cw_err *err)
{
	const char *b = cw_buf_str(&r->body);
	size_t n = strcspn(b, "\r\n");

	if (!r->body.len && !r->taken)
		cw_err_set(err, "%s: response is empty", op);
	else if (r->taken || b[0] == '{' || b[0] == '[')
		cw_err_set(err, "%s: response is truncated or malformed JSON "
			"(%zu bytes)", op, r->taken + r->body.len);
	else
		cw_err_set(err, "%s: response is not JSON: %.*s", op,
			(int)(n > 80 ? 80 : n), b);
}

/* Sends op with req and leaves the answer's body in resp. */
static int send_call(struct cw_client *c, const struct cw_service *svc,
	const char *op, const cJSON *req, struct cw_http_response *resp,
	struct cw_err *err)
{
	char target[128], ctype[48];
	struct cw_header hdrs[2] = { { "X-Amz-Target", target },
		{ "x-amzn-query-mode", "true" } };
	struct cw_client_request rq = { 0 };
	char *body;
	int rc;

	snprintf(target, sizeof(target), "%s.%s", svc->target_prefix, op);
	snprintf(ctype, sizeof(ctype), "application/x-amz-json-%s",
		svc->json_version);
	body = req ? cJSON_PrintUnformatted(req) : strdup("{}");
	if (!body)
		return cw_err_set(err, "%s: out of memory", op);
	if (!resp->body.max)
		cw_buf_init(&resp->body, BODY_MAX);
	rq.content_type = ctype;
	rq.headers = hdrs;
	rq.nheaders = svc->query_mode ? 2 : 1;
	rq.body = body;
	rq.body_len = strlen(body);
	rc = cw_client_send(c, &rq, resp, err);
	free(body);
	return rc;
}

int cw_awsjson_call(struct cw_client *c, const struct cw_service *svc,
	const char *op, const cJSON *req, cJSON **out, struct cw_err *err)
{
	struct cw_http_response resp = { 0 };
	int ret = -1;

	*out = NULL;
	if (send_call(c, svc, op, req, &resp, err) < 0)
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
out:
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

int64_t cw_awsjson_count(const cJSON *obj, const char *name, int64_t max,
	int64_t def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	double d;

	if (!cJSON_IsNumber(v))
		return def;
	d = v->valuedouble;
	if (max > ((int64_t)1 << 62))
		max = (int64_t)1 << 62;
	return d >= 0 && d <= (double)max && d == floor(d) ? (int64_t)d : def;
}

static int64_t scaled_time(const cJSON *obj, const char *name,
	int64_t scale)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	int64_t ms;

	if (!cJSON_IsNumber(v))
		return 0;
	return cw_timespec_from_number(v->valuedouble, scale, &ms) < 0
		? CW_AWSJSON_BAD_TIME : ms;
}

int64_t cw_awsjson_time(const cJSON *obj, const char *name)
{
	return scaled_time(obj, name, 1);
}

int64_t cw_awsjson_seconds(const cJSON *obj, const char *name)
{
	return scaled_time(obj, name, 1000);
}

/* The tokens seen in one pagination, as 64-bit hashes in an open
 * addressing table: a page costs 8 bytes, whatever the token's size. */
struct seen {
	uint64_t *h;
	size_t n, cap;
};

static uint64_t token_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;	/* 0 marks a free slot */
}

static int seen_grow(struct seen *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64, i, j;
	uint64_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -1;
	for (i = 0; i < t->cap; i++) {
		if (!t->h[i])
			continue;
		for (j = t->h[i] & (cap - 1); h[j]; j = (j + 1) & (cap - 1))
			;
		h[j] = t->h[i];
	}
	free(t->h);
	t->h = h;
	t->cap = cap;
	return 0;
}

/* 1 when tok was seen before, 0 when it is new (now recorded), -1 when
 * out of memory. */
static int seen_add(struct seen *t, const char *tok)
{
	uint64_t h = token_hash(tok);
	size_t i;

	if (2 * (t->n + 1) > t->cap && seen_grow(t) < 0)
		return -1;
	for (i = h & (t->cap - 1); t->h[i]; i = (i + 1) & (t->cap - 1))
		if (t->h[i] == h)
			return 1;
	t->h[i] = h;
	t->n++;
	return 0;
}

/* Records the token req now holds; an error when it came back. */
static int check_token(struct seen *t, const cJSON *req, const char *op,
	const char *token, struct cw_err *err)
{
	const char *tok = cw_awsjson_str(req, token);

	switch (tok ? seen_add(t, tok) : 0) {
	case 0:
		return 0;
	case 1:
		return cw_err_set(err, "%s: page %zu repeats an earlier %s: "
			"stopped instead of looping", op, t->n + 1, token);
	default:
		return cw_err_set(err, "%s: out of memory", op);
	}
}

int cw_awsjson_paginate(struct cw_client *c, const struct cw_service *svc,
	const char *op, cJSON *req, const char *token, cw_awsjson_page_fn *fn,
	void *arg, struct cw_err *err)
{
	struct seen t = { NULL, 0, 0 };
	cJSON *res = NULL;
	int rc, more;

	if (check_token(&t, req, op, token, err) < 0)
		return -1;
	do {
		if (cw_awsjson_call(c, svc, op, req, &res, err) < 0) {
			rc = -1;
			break;
		}
		/* the token first: fn may keep the page */
		more = cw_awsjson_next_page(req, res, token);
		rc = more < 0 ? cw_err_set(err, "%s: out of memory", op)
			: fn(arg, &res, err);
		cJSON_Delete(res);
		if (rc == 0 && more && check_token(&t, req, op, token, err) < 0)
			rc = -1;
	} while (rc == 0 && more > 0);
	free(t.h);
	return rc < 0 ? -1 : 0;
}

/* Puts the token the page gave (NUL-terminated in next) into req. */
static int set_token(cJSON *req, const char *name, const struct cw_buf *next)
{
	cJSON_DeleteItemFromObjectCaseSensitive(req, name);
	if (!next->len)
		return 0;
	return cJSON_AddStringToObject(req, name, cw_buf_str(next)) ? 1 : -1;
}

/* One page through fn; a body fn cannot read is told apart from one
 * that is not JSON at all. */
static int body_page(const char *op, const struct cw_http_response *resp,
	cw_awsjson_body_fn *fn, void *arg, struct cw_buf *next,
	struct cw_err *err)
{
	char empty[] = "{}", *b = resp->body.p ? resp->body.p : empty;
	size_t n = resp->body.p || resp->taken ? resp->body.len : 2;
	int rc;

	cw_buf_reset(next);
	rc = fn(arg, b, n, next, err);
	if (rc == CW_AWSJSON_MALFORMED) {
		not_json(op, resp, err);
		rc = -1;
	}
	return rc;
}

int cw_awsjson_paginate_body(struct cw_client *c,
	const struct cw_service *svc, const char *op, cJSON *req,
	const char *token, cw_awsjson_take_fn *take, cw_awsjson_body_fn *fn,
	void *arg, struct cw_err *err)
{
	struct seen t = { NULL, 0, 0 };
	struct cw_http_response resp = { 0 };
	struct cw_buf next = CW_BUF_INIT;
	int rc, more = 0;

	if (check_token(&t, req, op, token, err) < 0)
		return -1;
	if (!c->ctx || !c->ctx->trace) {
		resp.take = take;
		resp.take_arg = arg;
	}
	do {
		rc = send_call(c, svc, op, req, &resp, err) < 0 ? -1
			: body_page(op, &resp, fn, arg, &next, err);
		if (rc == 0 && (more = set_token(req, token, &next)) < 0)
			rc = cw_err_set(err, "%s: out of memory", op);
		if (rc == 0 && more && check_token(&t, req, op, token, err) < 0)
			rc = -1;
	} while (rc == 0 && more > 0);
	cw_http_response_release(&resp);
	cw_buf_release(&next);
	free(t.h);
	return rc < 0 ? -1 : 0;
}
