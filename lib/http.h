#ifndef CW_HTTP_H
#define CW_HTTP_H

#include <stddef.h>

#include "buf.h"
#include "ctx.h"
#include "err.h"

struct cw_header {
	const char *name;
	const char *value;
};

/* One libcurl easy handle reused for every request of a command, so
 * connections are kept alive. TLS verification is always on. */
struct cw_http;

struct cw_http_opts {
	const char *ca_bundle;		/* NULL: AWS_CA_BUNDLE, then system */
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* 0: 60 s for the whole transfer */
};

struct cw_http_request {
	const char *method;
	const char *url;
	const struct cw_header *headers;
	size_t nheaders;
	const void *body;
	size_t body_len;
	/* Streaming bodies (Live Tail): each chunk of a 2xx body goes
	 * here as it arrives instead of into resp->body; return -1 to stop
	 * (the send still succeeds). Any other status's body is buffered
	 * in resp->body, to be decoded as an error. */
	int (*on_data)(void *arg, const char *data, size_t len);
	void *on_data_arg;
};

struct cw_http_response {
	long status;
	struct cw_buf body;		/* capped at body.max, kept across sends */
	size_t delivered;		/* bytes handed to rq->on_data */
	char date[64];			/* Date header, "" when absent */
	char query_error[160];		/* x-amzn-query-error header */
	char error_type[160];		/* x-amzn-ErrorType (REST-JSON) */
	char request_id[128];		/* x-amzn-RequestId or x-amz-request-id */
	char content_type[128];
	char retry_after[32];
	/*
	 * Set by the caller, kept by every reset: a 2xx body is offered to
	 * take as it arrives, each time a piece was added to body, whole
	 * from its first unread byte; take returns how many of the bytes
	 * it read and no longer needs, which leave body, and are counted
	 * in taken. A new attempt begins with taken 0. A body read as it
	 * comes is so held only in part; the cap holds for all of it.
	 */
	size_t (*take)(void *arg, const char *data, size_t len,
		size_t taken);
	void *take_arg;
	size_t taken;
};

/* Returns NULL and fills err when libcurl cannot be set up. Free with
 * cw_http_free(). ctx is borrowed and must outlive the handle. */
struct cw_http *cw_http_new(const struct cw_ctx *ctx,
	const struct cw_http_opts *opts, struct cw_err *err);
void cw_http_free(struct cw_http *h);

/*
 * Sends one request. 0 when a response arrived, whatever its status;
 * -1 on a transport failure (err->msg says what, err->code is one of
 * "ConnectionError", "Timeout", "TLSError", "ResolveError" so the retry
 * logic can classify it, or "Interrupted" when the context's
 * cancellation flag was set: the transfer stops within 100 ms of a
 * signal). resp must be zeroed, initialised or released before the
 * first use; its body's cap (cw_buf_init) holds for every send, and a
 * body past it fails the send. The caller releases it with
 * cw_http_response_release().
 */
int cw_http_send(struct cw_http *h, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err);
/* Empties resp (the body's cap is reset to the default). */
void cw_http_response_release(struct cw_http_response *resp);
/* Empties resp for the next send, keeping the body's cap. */
void cw_http_response_reset(struct cw_http_response *resp);

/*
 * The transport a client sends through, with cw_http_send()'s contract:
 * cw_http_wire() over a struct cw_http, or a test's scripted wire.
 */
typedef int cw_http_wire_fn(void *arg, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err);
/* cw_http_send() with arg a struct cw_http. */
int cw_http_wire(void *h, const struct cw_http_request *rq,
	struct cw_http_response *resp, struct cw_err *err);

/*
 * Routes len body bytes the way cw_http_send() does, for a wire that
 * already knows resp->status: a 2xx body to rq->on_data when set
 * (counted in resp->delivered), anything else into resp->body. 0, 1
 * when on_data asked to stop, -1 past the body's cap.
 */
int cw_http_deliver(const struct cw_http_request *rq,
	struct cw_http_response *resp, const char *data, size_t len);

/* Percent-encodes s into out the way SigV4 and AWS Query bodies want:
 * every byte but A-Z a-z 0-9 - _ . ~ as %XX (uppercase hex). */
enum {
	CW_URLENC_KEEP_SLASH = 1,	/* '/' as is: SigV4 paths */
	CW_URLENC_SPACE_PLUS = 2	/* ' ' as '+': form bodies, as botocore */
};
int cw_http_urlencode(struct cw_buf *out, const char *s, size_t len,
	int flags);

#endif
