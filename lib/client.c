#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "endpoint.h"
#include "timespec.h"
#include "banned.h"

#define BACKOFF_CAP_MS 20000
/* A server's Retry-After is honoured up to this: it is untrusted. */
#define RETRY_AFTER_MAX_MS 60000
#define MAX_HEADERS 16

static const char *const throttling_codes[] = {
	"Throttling", "ThrottlingException", "ThrottledException",
	"TooManyRequestsException", "RequestLimitExceeded",
	"RequestThrottled", "RequestThrottledException",
	"ProvisionedThroughputExceededException", "SlowDown",
	"BandwidthLimitExceeded", "EC2ThrottledException",
	"PriorRequestNotComplete", NULL
};

static int is_throttling(const struct cw_err *e)
{
	size_t i;

	for (i = 0; throttling_codes[i]; i++)
		if (strcmp(e->code, throttling_codes[i]) == 0)
			return 1;
	/* LimitExceeded is a quota on writes; only CloudWatch Logs uses the
	 * word for a rate, and then it says so. */
	return strcmp(e->code, "LimitExceededException") == 0
		&& strstr(e->msg, "Rate exceeded");
}

static int is_transient(const struct cw_err *e)
{
	if (e->status >= 500 || e->status == 429)
		return 1;
	if (e->status)
		return 0;
	return strcmp(e->code, "ConnectionError") == 0
		|| strcmp(e->code, "Timeout") == 0;
}

int cw_client_retryable(const struct cw_err *e)
{
	return is_throttling(e) || is_transient(e);
}

/* An error that says our clock is off, as opposed to a bad key. */
static int is_skew(const struct cw_err *e)
{
	return strcmp(e->code, "RequestTimeTooSkewed") == 0
		|| strcmp(e->code, "RequestExpired") == 0
		|| strcmp(e->code, "RequestInTheFuture") == 0
		|| (strstr(e->msg, "Signature expired")
			&& (strcmp(e->code, "InvalidSignatureException") == 0
			|| strcmp(e->code, "SignatureDoesNotMatch") == 0));
}

/* Copies at most n bytes of s into dst as one printable line. */
static void first_line(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, j = 0;

	while (n && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++, n--;
	for (i = 0; i < n && j + 1 < size && s[i] != '\n' && s[i] != '\r'; i++)
		dst[j++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[j] = '\0';
}

/* Decodes the five predefined XML entities of s[0..n) into dst, at most
 * size - 1 bytes; other entities stay as written. Returns the length. */
static size_t xml_unescape(char *dst, size_t size, const char *s, size_t n)
{
	static const struct { const char *e; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	size_t i = 0, j = 0, k, m;

	while (i < n && j + 1 < size) {
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			m = strlen(ents[k].e);
			if (n - i >= m && memcmp(s + i, ents[k].e, m) == 0)
				break;
		}
		if (k < sizeof(ents) / sizeof(ents[0])) {
			dst[j++] = ents[k].c;
			i += strlen(ents[k].e);
		} else
			dst[j++] = s[i++];
	}
	return j;
}

/* The text between <tag> and </tag>, bounded, as one line. */
static int xml_value(const char *body, const char *tag, char *out,
	size_t size)
{
	char open[40], close[40], text[1024];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	a = strstr(body, open);
	if (!a)
		return 0;
	a += strlen(open);
	b = strstr(a, close);
	if (!b)
		return 0;
	first_line(out, size, text, xml_unescape(text, sizeof(text), a,
		(size_t)(b - a)));
	return 1;
}

static void set_code(struct cw_err *err, const char *code, size_t n)
{
	const char *hash = memchr(code, '#', n), *colon;

	/* "com.amazon.coral.service#Code:extra" -> "Code" */
	while (hash) {
		n -= (size_t)(hash + 1 - code);
		code = hash + 1;
		hash = memchr(code, '#', n);
	}
	colon = memchr(code, ':', n);
	if (colon)
		n = (size_t)(colon - code);
	if (n >= sizeof(err->code))
		n = sizeof(err->code) - 1;
	memcpy(err->code, code, n);
	err->code[n] = '\0';
}

/* Where in the query a MalformedQueryException points (the model calls
 * the member reserved: it may be missing). */
static void error_location(const cJSON *j, struct cw_err *err)
{
	const cJSON *loc = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "queryCompileError"),
		"location");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(loc,
		"startCharOffset");

	/* the longest query is 10,000 characters */
	if (cJSON_IsNumber(at) && at->valuedouble >= 0
			&& at->valuedouble <= 100000)
		err->at = (long)at->valuedouble + 1;
}

static int decode_json_error(const char *body, struct cw_err *err,
	char *msg, size_t size)
{
	cJSON *j = cJSON_Parse(body), *t, *m;

	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return 0;
	}
	t = cJSON_GetObjectItemCaseSensitive(j, "__type");
	if (!cJSON_IsString(t))
		t = cJSON_GetObjectItemCaseSensitive(j, "code");
	m = cJSON_GetObjectItemCaseSensitive(j, "message");
	if (!cJSON_IsString(m))
		m = cJSON_GetObjectItemCaseSensitive(j, "Message");
	if (cJSON_IsString(t) && !err->code[0])
		set_code(err, t->valuestring, strlen(t->valuestring));
	if (cJSON_IsString(m))
		first_line(msg, size, m->valuestring, strlen(m->valuestring));
	error_location(j, err);
	cJSON_Delete(j);
	return err->code[0] != '\0';
}

void cw_client_decode_error(const struct cw_http_response *resp,
	struct cw_err *err)
{
	const char *body = cw_buf_str(&resp->body);
	char msg[600] = "", code[128];
	const char *semi;

	cw_err_clear(err);
	err->status = resp->status;
	if (resp->query_error[0]) {
		semi = strchr(resp->query_error, ';');
		set_code(err, resp->query_error, semi
			? (size_t)(semi - resp->query_error)
			: strlen(resp->query_error));
	} else if (resp->error_type[0])	/* "Code:http://internal..." */
		set_code(err, resp->error_type, strlen(resp->error_type));
	if (!decode_json_error(body, err, msg, sizeof(msg))
			&& xml_value(body, "Code", code, sizeof(code))) {
		if (!err->code[0])
			set_code(err, code, strlen(code));
		xml_value(body, "Message", msg, sizeof(msg));
	}
	if (err->code[0])
		cw_err_set(err, "%s%s%s", err->code, msg[0] ? ": " : "", msg);
	else {
		first_line(msg, 200, body, resp->body.len);
		cw_err_set(err, "HTTP %ld%s%s", resp->status,
			msg[0] ? ": " : "", msg);
	}
}

struct attempt {
	struct cw_buf url, authz;
	char host[256], base[256], path[1024], date[17];
	struct cw_header h[MAX_HEADERS];
	size_t nh;
};

static void attempt_release(struct attempt *a)
{
	cw_buf_release(&a->url);
	cw_buf_wipe(&a->authz);
}

/* Keys from any source end up in headers: checked here, once for all. */
static int get_keys(struct cw_client *c, const struct cw_keys **out,
	struct cw_err *err)
{
	*out = c->fixed;
	if (!*out && c->keys.get && c->keys.get(c->keys.arg, out, err) < 0)
		return -1;
	return *out ? cw_keys_check(*out, "credentials", err) : 0;
}

static int add_header(struct attempt *a, const char *name, const char *value)
{
	if (a->nh == MAX_HEADERS)
		return -1;
	a->h[a->nh].name = name;
	a->h[a->nh].value = value;
	a->nh++;
	return 0;
}

/* The request path under the endpoint's base path, "/" at least. */
static int full_path(struct attempt *a, const char *path, struct cw_err *err)
{
	int n;

	if (a->base[0] && strcmp(path, "/") == 0)
		path = "";
	n = snprintf(a->path, sizeof(a->path), "%s%s", a->base, path);
	if (n < 0 || (size_t)n >= sizeof(a->path))
		return cw_err_set(err, "request path too long");
	if (n == 0)
		a->path[0] = '/', a->path[1] = '\0';
	return 0;
}

/* Builds the URL and the signed header list for one attempt. */
static int prepare(struct cw_client *c, const struct cw_client_request *rq,
	struct attempt *a, struct cw_err *err)
{
	const struct cw_keys *k;
	struct cw_sigv4_request sr;
	const char *scheme_end = strstr(c->endpoint, "://");
	size_t i;

	if (!scheme_end || cw_endpoint_host(c->endpoint, a->host,
			sizeof(a->host), a->base, sizeof(a->base), err) < 0
			|| full_path(a, rq->path ? rq->path : "/", err) < 0
			|| get_keys(c, &k, err) < 0)
		return -1;
	cw_buf_reset(&a->url);
	if (cw_buf_addf(&a->url, "%.*s%s%s%s%s",
			(int)(scheme_end + 3 - c->endpoint), c->endpoint,
			a->host, a->path, rq->query ? "?" : "",
			rq->query ? rq->query : "") < 0)
		return cw_err_set(err, "%s: URL too long", c->endpoint);
	cw_sigv4_amz_date(cw_ctx_now_ms(c->ctx) + c->skew_ms, a->date);
	a->nh = 0;
	add_header(a, "Host", a->host);
	if (rq->content_type)
		add_header(a, "Content-Type", rq->content_type);
	for (i = 0; i < rq->nheaders; i++)
		if (add_header(a, rq->headers[i].name, rq->headers[i].value) < 0)
			return cw_err_set(err, "too many request headers");
	if (!k)
		return 0;
	add_header(a, "X-Amz-Date", a->date);
	if (k->token)
		add_header(a, "X-Amz-Security-Token", k->token);
	sr.method = rq->method ? rq->method : "POST";
	sr.path = a->path;
	sr.query = rq->query;
	sr.headers = a->h;
	sr.nheaders = a->nh;
	sr.body = rq->body;
	sr.body_len = rq->body_len;
	if (cw_sigv4_sign(&c->key, &sr, k->access_key, k->secret_key,
			c->region, c->service, a->date, &a->authz, err) < 0)
		return -1;
	/* The scope explains most SignatureDoesNotMatch; the header is
	 * redacted whole. */
	cw_ctx_trace(c->ctx, "signing for region %s, service %s, at %s",
		c->region, c->service, a->date);
	return add_header(a, "Authorization", cw_buf_str(&a->authz)) < 0
		? cw_err_set(err, "too many request headers") : 0;
}

static void trace_request(struct cw_client *c,
	const struct cw_client_request *rq, const struct attempt *a)
{
	size_t i;

	if (!c->ctx || !c->ctx->trace)
		return;
	cw_ctx_trace(c->ctx, "> %s %s", rq->method ? rq->method : "POST",
		cw_buf_str(&a->url));
	for (i = 0; i < a->nh; i++) {
		const char *n = a->h[i].name;
		int secret = !strcasecmp(n, "Authorization")
			|| !strcasecmp(n, "X-Amz-Security-Token");

		cw_ctx_trace(c->ctx, "> %s: %s", n,
			secret ? "<redacted>" : a->h[i].value);
	}
	if (c->secret_bodies)
		cw_ctx_trace(c->ctx, "> (%zu bytes, not shown)", rq->body_len);
	else if (rq->body_len)
		cw_ctx_trace(c->ctx, "> %.*s", (int)(rq->body_len > 2000 ? 2000
			: rq->body_len), (const char *)rq->body);
}

static void trace_response(struct cw_client *c,
	const struct cw_http_response *r)
{
	if (!c->ctx || !c->ctx->trace)
		return;
	cw_ctx_trace(c->ctx, "< HTTP %ld (%zu bytes)%s%s", r->status,
		r->body.len, r->request_id[0] ? " request-id " : "",
		r->request_id);
	if (!c->secret_bodies && r->body.len)
		cw_ctx_trace(c->ctx, "< %.*s", (int)(r->body.len > 2000 ? 2000
			: r->body.len), cw_buf_str(&r->body));
}

/* An answer without an AWS error code came from something else (a proxy,
 * a wrong --endpoint-url): "HTTP 404" alone would not say what. */
static void name_url(struct cw_err *err, long status, const char *url)
{
	char tail[sizeof(err->msg)];
	int n = snprintf(NULL, 0, "HTTP %ld", status);

	if (n < 0 || strncmp(err->msg, "HTTP ", 5) != 0)
		return;
	snprintf(tail, sizeof(tail), "%s", err->msg + n);
	cw_err_set(err, "HTTP %ld from %.512s%s", status, url, tail);
}

static int send_once(struct cw_client *c, const struct cw_client_request *rq,
	struct attempt *a, struct cw_http_response *resp, struct cw_err *err)
{
	struct cw_http_request hr;

	cw_err_clear(err);
	if (prepare(c, rq, a, err) < 0)
		return -2;	/* not retryable */
	trace_request(c, rq, a);
	hr.method = rq->method ? rq->method : "POST";
	hr.url = cw_buf_str(&a->url);
	hr.headers = a->h;
	hr.nheaders = a->nh;
	hr.body = rq->body;
	hr.body_len = rq->body_len;
	hr.on_data = rq->on_data;
	hr.on_data_arg = rq->on_data_arg;
	if ((c->wire ? c->wire(c->wire_arg, &hr, resp, err)
			: cw_http_send(c->http, &hr, resp, err)) < 0) {
		cw_ctx_trace(c->ctx, "< %s", err->msg);
		return -1;
	}
	trace_response(c, resp);
	if (resp->status >= 200 && resp->status < 300)
		return 0;
	cw_client_decode_error(resp, err);
	if (!err->code[0])
		name_url(err, resp->status, hr.url);
	return -1;
}

static int max_attempts(const struct cw_client *c)
{
	const char *v;
	long n;

	if (c->max_attempts)
		return c->max_attempts;
	v = cw_ctx_getenv(c->ctx, "AWS_MAX_ATTEMPTS");
	n = v ? strtol(v, NULL, 10) : 0;
	return n > 0 && n < 100 ? (int)n : 3;
}

/* Retry-After in ms: delta-seconds, or an HTTP date measured against
 * the response's own Date so our clock does not matter. -1: none. */
static int64_t retry_after_ms(const struct cw_http_response *r)
{
	const char *v = r->retry_after;
	int64_t at, now;
	char *end;
	long n;

	if (!v[0])
		return -1;
	n = strtol(v, &end, 10);
	if (end != v && *end == '\0')
		return n < 0 ? -1 : n > RETRY_AFTER_MAX_MS / 1000
			? RETRY_AFTER_MAX_MS : (int64_t)n * 1000;
	if (cw_timespec_http_date(v, &at) < 0
			|| cw_timespec_http_date(r->date, &now) < 0)
		return -1;
	return at <= now ? 0 : at - now > RETRY_AFTER_MAX_MS
		? RETRY_AFTER_MAX_MS : at - now;
}

/* 0 after the wait, -1 when cancelled during it. */
static int backoff(struct cw_client *c, int attempt, const struct cw_err *e,
	const struct cw_http_response *r)
{
	int64_t cap = 1000LL << (attempt < 6 ? attempt - 1 : 5), ms, after;

	if (cap > BACKOFF_CAP_MS)
		cap = BACKOFF_CAP_MS;
	ms = (int64_t)(cw_ctx_random(c->ctx) % (uint32_t)cap);
	after = r->status ? retry_after_ms(r) : -1;
	if (after > ms)
		ms = after;
	cw_ctx_trace(c->ctx, "retry %d in %lld ms%s: %s", attempt,
		(long long)ms, after == ms ? " (Retry-After)" : "", e->msg);
	if (c->max_attempts < 0 && !c->retry_notice && c->on_retry) {
		c->retry_notice = 1;
		c->on_retry(c->on_retry_arg, e->msg);
	}
	return cw_ctx_sleep_ms(c->ctx, ms);
}

/* Learns the server's clock from the Date header; 1 when it changed. */
static int correct_skew(struct cw_client *c, const struct cw_http_response *r)
{
	int64_t server, skew;

	if (cw_timespec_http_date(r->date, &server) < 0)
		return 0;
	skew = server - cw_ctx_now_ms(c->ctx);
	if (llabs(skew - c->skew_ms) < 60000)
		return 0;
	cw_ctx_trace(c->ctx, "clock skew: correcting by %lld s",
		(long long)(skew / 1000));
	c->skew_ms = skew;
	return 1;
}

int cw_client_send(struct cw_client *c, const struct cw_client_request *rq,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct attempt a = { CW_BUF_INIT, CW_BUF_INIT, "", "", "", "", {{0}}, 0 };
	int limit = max_attempts(c), attempt, rc = -1, skewed = 0;

	for (attempt = 1; ; attempt++) {
		if (cw_ctx_cancelled(c->ctx)) {
			rc = cw_cancel_err(err);
			break;
		}
		rc = send_once(c, rq, &a, resp, err);
		/* The caller has seen part of a stream: it resumes, not us. */
		if (rc != -1 || resp->delivered)
			break;
		if (!skewed && is_skew(err) && correct_skew(c, resp)) {
			skewed = 1;
			attempt--;
			continue;
		}
		if (!cw_client_retryable(err))
			break;
		if (limit > 0 && attempt >= limit)
			break;
		if (backoff(c, attempt, err, resp) < 0) {
			rc = cw_cancel_err(err);
			break;
		}
	}
	if (rc == 0)
		c->retry_notice = 0;
	attempt_release(&a);
	return rc == 0 ? 0 : -1;
}

void cw_client_release(struct cw_client *c)
{
	cw_sigv4_key_wipe(&c->key);
}
