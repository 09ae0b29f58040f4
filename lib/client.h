#ifndef CW_CLIENT_H
#define CW_CLIENT_H

#include <stddef.h>

#include "ctx.h"
#include "err.h"
#include "http.h"
#include "keys.h"
#include "sigv4.h"

/* A signed client for one AWS service: endpoint, region, credentials,
 * the cached signing key and the retry policy. */
struct cw_client {
	const struct cw_ctx *ctx;
	int64_t skew_ms;	/* server clock minus ours, learnt once */
	struct cw_http *http;			/* borrowed */
	struct cw_keys_source keys;	/* get NULL: unsigned */
	const struct cw_keys *fixed;	/* used instead when set */
	char region[64];
	char endpoint[512];	/* scheme://host[:port][/base], no trailing / */
	char service[32];	/* signing name: logs, monitoring, sts */
	struct cw_sigv4_key key;
	int max_attempts;	/* 0: AWS_MAX_ATTEMPTS or 3; -1: unlimited */
	int retry_notice;	/* an outage was reported */
	int secret_bodies;	/* never trace bodies (STS) */
	/* Called once per outage when retrying without limit. */
	void (*on_retry)(void *arg, const char *why);
	void *on_retry_arg;
	/* The transport; NULL: cw_http_send() over http. Unit tests put a
	 * scripted wire here. */
	cw_http_wire_fn *wire;
	void *wire_arg;
};

struct cw_client_request {
	const char *method;		/* NULL: POST */
	const char *path;		/* NULL: "/" */
	const char *query;		/* NULL: none */
	const char *content_type;
	const struct cw_header *headers;	/* extra, signed */
	size_t nheaders;
	const void *body;
	size_t body_len;
	/* Set for a stream (Live Tail): see cw_client_send(). */
	int (*on_data)(void *arg, const char *data, size_t len);
	void *on_data_arg;
};

/*
 * Signs and sends rq, retrying throttling, 5xx and transport failures
 * with full-jitter backoff (or the server's Retry-After when longer),
 * correcting clock skew once. 0 on a 2xx response (resp holds it;
 * release it). -1 otherwise with err->status, err->code and err->msg
 * ("Code: message") decoded from whatever the server said: JSON, the
 * query-error header, XML or a first line. resp's body cap, when set
 * with cw_buf_init() before the call, holds for every attempt.
 *
 * The context's cancellation flag ends the call at once, in a transfer
 * or a backoff sleep: -1 with err->code "Interrupted".
 *
 * The streaming call: with rq->on_data set, a 2xx body goes to it as it
 * arrives (return -1 there to stop; the call still returns 0) and
 * resp->delivered counts it. Any other status's body is buffered and
 * decoded into err. Nothing is retried once a byte reached on_data: a
 * stream that breaks after that returns -1 with resp->delivered > 0,
 * and the caller, which has seen the data, resumes from where it is.
 */
int cw_client_send(struct cw_client *c, const struct cw_client_request *rq,
	struct cw_http_response *resp, struct cw_err *err);

/* 1 when err is one cw_client_send() retries: throttling, 5xx, a
 * dropped connection or a timeout. */
int cw_client_retryable(const struct cw_err *e);

/* Fills err from a non-2xx response; exported for the protocols. */
void cw_client_decode_error(const struct cw_http_response *resp,
	struct cw_err *err);

void cw_client_release(struct cw_client *c);

#endif
