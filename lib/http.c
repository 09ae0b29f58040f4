#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <dlfcn.h>

#include "http.h"
#include "banned.h"

/*
 * libcurl is loaded on first use, not linked: with its thirty-odd
 * dependencies it costs 5 MB of memory and 50 ms at every start, which a
 * command filtering a pipe must not pay when it never goes on the
 * network. The ABI of libcurl.so.4 has been stable since 2006.
 */
#define CURL_SONAME "libcurl.so.4"

static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_reset)(CURL *);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int,
		int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
} api;

/*
 * Debian's libcurl pulls in GnuTLS through librtmp, and GnuTLS sets
 * itself up when loaded: 600 KB of memory and a millisecond for a
 * library only an rtmps:// transfer would use, a protocol we never
 * enable. GnuTLS skips that when GNUTLS_NO_IMPLICIT_INIT is set at load;
 * librtmp sets GnuTLS up itself when it needs it. Lazy binding resolves
 * a symbol of the thirty libraries only when it is called.
 */
static void *dlopen_quiet_gnutls(const char *soname)
{
	static const char var[] = "GNUTLS_NO_IMPLICIT_INIT";
	int ours = !getenv(var) && setenv(var, "1", 0) == 0;
	void *lib = dlopen(soname, RTLD_LAZY | RTLD_LOCAL);

	if (ours)
		unsetenv(var);
	return lib;
}

static int load_curl(struct cw_err *err)
{
	static const struct { const char *name; void **fn; } syms[] = {
		{ "curl_global_init", (void **)&api.global_init },
		{ "curl_easy_init", (void **)&api.easy_init },
		{ "curl_easy_setopt", (void **)&api.easy_setopt },
		{ "curl_easy_getinfo", (void **)&api.easy_getinfo },
		{ "curl_easy_reset", (void **)&api.easy_reset },
		{ "curl_easy_cleanup", (void **)&api.easy_cleanup },
		{ "curl_easy_strerror", (void **)&api.easy_strerror },
		{ "curl_slist_append", (void **)&api.slist_append },
		{ "curl_slist_free_all", (void **)&api.slist_free_all },
		{ "curl_multi_init", (void **)&api.multi_init },
		{ "curl_multi_add_handle", (void **)&api.multi_add_handle },
		{ "curl_multi_remove_handle", (void **)&api.multi_remove_handle },
		{ "curl_multi_perform", (void **)&api.multi_perform },
		{ "curl_multi_poll", (void **)&api.multi_poll },
		{ "curl_multi_info_read", (void **)&api.multi_info_read },
		{ "curl_multi_cleanup", (void **)&api.multi_cleanup },
	};
	static void *lib;
	size_t i;

	if (lib)
		return 0;
	lib = dlopen_quiet_gnutls(CURL_SONAME);
	if (!lib)
		return cw_err_set(err, "http: cannot load %s: %s", CURL_SONAME,
			dlerror());
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!(*syms[i].fn = dlsym(lib, syms[i].name)))
			return cw_err_set(err, "http: %s: no %s", CURL_SONAME,
				syms[i].name);
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cw_err_set(err, "http: cannot initialise libcurl");
	return 0;
}

/* What loading libcurl came to: 0, or why it failed. Clients are made
 * in several threads at once (one a region), and neither dlopen of the
 * same library twice nor curl_global_init may race: it runs once. */
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static struct cw_err curl_failure;
static int curl_failed;

static void load_curl_once(void)
{
	cw_err_clear(&curl_failure);
	curl_failed = load_curl(&curl_failure) < 0;
}

static int curl_loaded(struct cw_err *err)
{
	pthread_once(&curl_once, load_curl_once);
	if (curl_failed)
		return cw_err_set(err, "%s", curl_failure.msg);
	return 0;
}

struct cw_http {
	CURL *curl;
	CURLM *multi;		/* holds the connections between transfers */
	const struct cw_ctx *ctx;
	char *ca_bundle;
	long connect_timeout_ms, timeout_ms;
	char errbuf[CURL_ERROR_SIZE];
};

/* Where the body of the current transfer goes. */
struct sink {
	struct cw_http *h;
	const struct cw_http_request *rq;
	struct cw_http_response *resp;
	int overflow, stopped;
};

struct cw_http *cw_http_new(const struct cw_ctx *ctx,
	const struct cw_http_opts *opts, struct cw_err *err)
{
	struct cw_http *h;
	const char *ca;

	if (curl_loaded(err) < 0)
		return NULL;
	h = calloc(1, sizeof(*h));
	if (!h || !(h->curl = api.easy_init())
			|| !(h->multi = api.multi_init())) {
		cw_http_free(h);
		cw_err_set(err, "http: cannot initialise libcurl");
		return NULL;
	}
	h->ctx = ctx;
	ca = opts && opts->ca_bundle ? opts->ca_bundle
		: cw_ctx_getenv(ctx, "AWS_CA_BUNDLE");
	h->ca_bundle = ca ? strdup(ca) : NULL;
	h->connect_timeout_ms = opts && opts->connect_timeout_ms
		? opts->connect_timeout_ms : 10000;
	h->timeout_ms = opts && opts->timeout_ms ? opts->timeout_ms : 60000;
	return h;
}

void cw_http_free(struct cw_http *h)
{
	if (!h)
		return;
	if (h->multi)
		api.multi_cleanup(h->multi);
	if (h->curl)
		api.easy_cleanup(h->curl);
	free(h->ca_bundle);
	free(h);
}

void cw_http_response_release(struct cw_http_response *resp)
{
	cw_buf_release(&resp->body);
	memset(resp, 0, sizeof(*resp));
	cw_buf_init(&resp->body, 0);
}

/* Reads the body's held bytes, those take has not done with. */
static void take_held(struct cw_http_response *resp)
{
	size_t n = resp->take(resp->take_arg, resp->body.p, resp->body.len,
		resp->taken);

	resp->taken += n;
	cw_buf_drop(&resp->body, n);
}

/* What a piece must hold to end what the last one cut, but for a large
 * item: read joined with the bytes held, the rest read in place. */
#define TAKE_JOIN 4096

/*
 * A piece of a 2xx body that resp->take reads as it comes. It is read
 * where libcurl put it, and only what take leaves is copied; what the
 * last piece left is read on with the start of this one, and once that
 * is done the piece is read in place from where take stopped.
 */
static int deliver_taken(struct cw_http_response *resp, const char *data,
	size_t len)
{
	struct cw_buf *b = &resp->body;
	size_t k = len < TAKE_JOIN ? len : TAKE_JOIN, n;

	if (len > b->max - resp->taken - b->len)
		return -1;
	if (b->len) {
		if (cw_buf_add(b, data, k) < 0)
			return -1;
		take_held(resp);
		if (b->len > k) {	/* what was held is not all here */
			if (cw_buf_add(b, data + k, len - k) < 0)
				return -1;
			if (len > k)
				take_held(resp);
			return 0;
		}
		/* what is left is the piece's own: read on in place */
		data += k - b->len;
		len -= k - b->len;
		cw_buf_reset(b);
	}
	n = resp->take(resp->take_arg, data, len, resp->taken);
	resp->taken += n;
	return cw_buf_add(b, data + n, len - n) < 0 ? -1 : 0;
}

int cw_http_deliver(const struct cw_http_request *rq,
	struct cw_http_response *resp, const char *data, size_t len)
{
	int ok = resp->status >= 200 && resp->status < 300;

	if (rq->on_data && ok) {
		resp->delivered += len;
		return rq->on_data(rq->on_data_arg, data, len) < 0 ? 1 : 0;
	}
	if (resp->take && ok)
		return deliver_taken(resp, data, len);
	return cw_buf_add(&resp->body, data, len) < 0 ? -1 : 0;
}

/* The body's memory is kept: a caller paging through large answers
 * reuses one buffer. */
void cw_http_response_reset(struct cw_http_response *resp)
{
	struct cw_buf body = resp->body;
	size_t (*take)(void *, const char *, size_t, size_t) = resp->take;
	void *take_arg = resp->take_arg;

	memset(resp, 0, sizeof(*resp));
	cw_buf_reset(&body);
	if (!body.max)		/* a zeroed response: the default cap */
		body.max = CW_BUF_MAX_DEFAULT;
	resp->body = body;
	resp->take = take;
	resp->take_arg = take_arg;
}

/* A body of known length is given its room at once: grown by doubling,
 * a 1 MB page leaves the smaller buffers behind, resident. */
static void presize(struct sink *s)
{
	struct cw_buf *b = &s->resp->body;
	curl_off_t n = -1;

	if (b->len || s->rq->on_data || s->resp->take ||
	    api.easy_getinfo(s->h->curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
	    &n) != CURLE_OK || n <= 0 || (uint64_t)n >= b->max)
		return;
	(void)cw_buf_grow(b, (size_t)n);	/* else it grows as it comes */
}

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sink *s = arg;
	size_t len = size * n;
	int rc;

	/* The status is known once the body begins. */
	api.easy_getinfo(s->h->curl, CURLINFO_RESPONSE_CODE, &s->resp->status);
	presize(s);
	rc = cw_http_deliver(s->rq, s->resp, data, len);
	s->stopped = rc == 1;
	s->overflow = rc < 0;
	return rc == 0 ? len : 0;
}

/* libcurl calls this at least every second while a transfer runs;
 * non-zero aborts it. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
	curl_off_t ultotal, curl_off_t ulnow)
{
	const struct cw_http *h = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return cw_ctx_cancelled(h->ctx) != 0;
}

/* Copies a header's value into dst when its name matches. */
static void grab(const char *line, size_t len, const char *name,
	char *dst, size_t size)
{
	size_t nlen = strlen(name), vlen;
	const char *v;

	if (len <= nlen || line[nlen] != ':' || strncasecmp(line, name, nlen))
		return;
	v = line + nlen + 1;
	vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if (vlen >= size)
		vlen = size - 1;
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

static size_t on_header(char *line, size_t size, size_t n, void *arg)
{
	struct cw_http_response *r = ((struct sink *)arg)->resp;
	size_t len = size * n;

	grab(line, len, "date", r->date, sizeof(r->date));
	grab(line, len, "x-amzn-query-error", r->query_error,
		sizeof(r->query_error));
	grab(line, len, "x-amzn-errortype", r->error_type,
		sizeof(r->error_type));
	grab(line, len, "x-amzn-requestid", r->request_id,
		sizeof(r->request_id));
	grab(line, len, "x-amz-request-id", r->request_id,
		sizeof(r->request_id));
	grab(line, len, "content-type", r->content_type,
		sizeof(r->content_type));
	grab(line, len, "retry-after", r->retry_after, sizeof(r->retry_after));
	return len;
}

static struct curl_slist *make_headers(const struct cw_http_request *rq,
	struct cw_err *err)
{
	struct curl_slist *list = NULL, *next;
	struct cw_buf line = CW_BUF_INIT;
	size_t i;

	/* curl adds these on its own; AWS signs what we send, nothing else. */
	list = api.slist_append(list, "Expect:");
	list = list ? api.slist_append(list, "Accept:") : NULL;
	for (i = 0; list && i < rq->nheaders; i++) {
		cw_buf_reset(&line);
		if (cw_buf_addf(&line, "%s: %s", rq->headers[i].name,
				rq->headers[i].value) < 0) {
			api.slist_free_all(list);
			list = NULL;
			break;
		}
		next = api.slist_append(list, cw_buf_str(&line));
		if (!next) {
			api.slist_free_all(list);
			list = NULL;
		}
		list = next;
	}
	cw_buf_wipe(&line);
	if (!list)
		cw_err_set(err, "http: out of memory");
	return list;
}

static void classify(CURLcode rc, const char *detail, const char *url,
	struct cw_err *err)
{
	const char *code = "ConnectionError";

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		code = "Timeout";
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		code = "ResolveError";
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CACERT_BADFILE:
		code = "TLSError";
		break;
	default:
		break;
	}
	snprintf(err->code, sizeof(err->code), "%s", code);
	cw_err_set(err, "%s: %s", url,
		detail && *detail ? detail : api.easy_strerror(rc));
}

static void setup(struct cw_http *h, const struct cw_http_request *rq,
	struct curl_slist *hdrs, struct sink *s)
{
	CURL *c = h->curl;

	api.easy_reset(c);
	api.easy_setopt(c, CURLOPT_URL, rq->url);
	api.easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	api.easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms);
	if (!rq->on_data)
		api.easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	else {
		/* A stream may idle; a dead one is noticed by low speed. */
		api.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
		api.easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
			h->timeout_ms / 1000);
	}
	api.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	api.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (h->ca_bundle)
		api.easy_setopt(c, CURLOPT_CAINFO, h->ca_bundle);
	api.easy_setopt(c, CURLOPT_USERAGENT, "cwkit/" CW_VERSION);
	api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	api.easy_setopt(c, CURLOPT_WRITEDATA, s);
	api.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	api.easy_setopt(c, CURLOPT_HEADERDATA, s);
	api.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	api.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	api.easy_setopt(c, CURLOPT_XFERINFODATA, h);
	api.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* 120 KB reads, not 16 KB: a FilterLogEvents page is 1 MB */
	api.easy_setopt(c, CURLOPT_BUFFERSIZE, 122880L);
	if (strcmp(rq->method, "GET") == 0)
		api.easy_setopt(c, CURLOPT_HTTPGET, 1L);
	else {
		api.easy_setopt(c, CURLOPT_POSTFIELDS,
			rq->body ? (const char *)rq->body : "");
		api.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
			(curl_off_t)rq->body_len);
		if (strcmp(rq->method, "POST") != 0)
			api.easy_setopt(c, CURLOPT_CUSTOMREQUEST, rq->method);
	}
}

/*
 * curl_easy_perform(), but the wait between reads also wakes on the
 * cancellation pipe: a signal stops the transfer at once, not at
 * libcurl's next tick up to a second later.
 */
static CURLcode perform(struct cw_http *h)
{
	struct cw_cancel *c = h->ctx ? h->ctx->cancel : NULL;
	struct curl_waitfd wake = { c ? c->wake_fd : -1, CURL_WAIT_POLLIN, 0 };
	CURLcode rc = CURLE_ABORTED_BY_CALLBACK;
	CURLMsg *m;
	int running = 1, left;

	if (api.multi_add_handle(h->multi, h->curl) != CURLM_OK)
		return CURLE_FAILED_INIT;
	while (running && !cw_cancel_requested(c)) {
		if (api.multi_perform(h->multi, &running) != CURLM_OK
				|| (running && api.multi_poll(h->multi, &wake,
				wake.fd >= 0, 1000, NULL) != CURLM_OK)) {
			rc = CURLE_RECV_ERROR;
			break;
		}
		if (wake.fd >= 0 && !cw_cancel_requested(c))
			cw_cancel_drain(c);
	}
	while ((m = api.multi_info_read(h->multi, &left)))
		if (m->msg == CURLMSG_DONE && m->easy_handle == h->curl)
			rc = m->data.result;
	api.multi_remove_handle(h->multi, h->curl);
	return rc;
}

int cw_http_send(struct cw_http *h, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct sink s = { h, rq, resp, 0, 0 };
	struct curl_slist *hdrs;
	CURLcode rc;
	int ret = -1;

	cw_http_response_reset(resp);
	if (cw_ctx_cancelled(h->ctx))
		return cw_cancel_err(err);
	hdrs = make_headers(rq, err);
	if (!hdrs)
		return -1;
	setup(h, rq, hdrs, &s);
	h->errbuf[0] = '\0';
	rc = perform(h);
	api.easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	if (s.overflow) {
		cw_err_set(err, "%s: response body larger than %zu bytes",
			rq->url, resp->body.max);
		goto out;
	}
	if (rc == CURLE_ABORTED_BY_CALLBACK && cw_ctx_cancelled(h->ctx)) {
		cw_cancel_err(err);
		goto out;
	}
	if (rc != CURLE_OK && !(s.stopped && rc == CURLE_WRITE_ERROR)) {
		classify(rc, h->errbuf, rq->url, err);
		goto out;
	}
	ret = 0;
out:
	/* Signed headers carry the session token; the list held copies. */
	api.slist_free_all(hdrs);
	return ret;
}

int cw_http_wire(void *h, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err)
{
	return cw_http_send(h, rq, resp, err);
}

/* RFC 3986 unreserved, independent of the locale. */
static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		|| (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'
		|| c == '~';
}

int cw_http_urlencode(struct cw_buf *out, const char *s, size_t len,
	int flags)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[3] = { '%', hex[c >> 4], hex[c & 15] };

		int rc;

		if (unreserved(c) || (c == '/' && flags & CW_URLENC_KEEP_SLASH))
			rc = cw_buf_addc(out, (char)c);
		else if (c == ' ' && flags & CW_URLENC_SPACE_PLUS)
			rc = cw_buf_addc(out, '+');
		else
			rc = cw_buf_add(out, e, 3);
		if (rc < 0)
			return -1;
	}
	return 0;
}
