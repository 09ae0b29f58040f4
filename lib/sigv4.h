#ifndef CW_SIGV4_H
#define CW_SIGV4_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "http.h"

/* A request as it will go on the wire. headers must hold every header to
 * sign, host and x-amz-date (and x-amz-security-token) included. */
struct cw_sigv4_request {
	const char *method;
	const char *path;	/* as sent; may be percent-encoded */
	const char *query;	/* as sent, without '?'; NULL or "" for none */
	const struct cw_header *headers;
	size_t nheaders;
	const void *body;
	size_t body_len;
};

/* The derived signing key, cached per date/region/service. Zero it to
 * start; cw_sigv4_key_wipe() when done. */
struct cw_sigv4_key {
	char scope[160];
	unsigned char key[32];
};

void cw_sigv4_key_wipe(struct cw_sigv4_key *k);

/* Formats ms since the epoch as "YYYYMMDDTHHMMSSZ" (out: 17 bytes). */
void cw_sigv4_amz_date(int64_t ms, char out[17]);

/*
 * Computes the Authorization header value for rq, signed with the keys
 * for region/service at amz_date ("YYYYMMDDTHHMMSSZ"), into authz
 * (reset first). Never traces or keeps the secret.
 */
int cw_sigv4_sign(struct cw_sigv4_key *cache, const struct cw_sigv4_request *rq,
	const char *access_key, const char *secret_key, const char *region,
	const char *service, const char *amz_date, struct cw_buf *authz,
	struct cw_err *err);

/* The steps, exposed for the test vectors and for --debug. */
int cw_sigv4_canonical_request(const struct cw_sigv4_request *rq,
	struct cw_buf *out, struct cw_buf *signed_headers, struct cw_err *err);
int cw_sigv4_string_to_sign(const char *canonical_request, const char *amz_date,
	const char *region, const char *service, struct cw_buf *out,
	struct cw_err *err);

/* Flags for the _flags variants: CW_SIGV4_NO_NORMALIZE signs the path as
 * sent, without removing dot segments or collapsing slashes (S3 style). */
#define CW_SIGV4_NO_NORMALIZE 1u

int cw_sigv4_sign_flags(struct cw_sigv4_key *cache,
	const struct cw_sigv4_request *rq, unsigned flags,
	const char *access_key, const char *secret_key, const char *region,
	const char *service, const char *amz_date, struct cw_buf *authz,
	struct cw_err *err);
int cw_sigv4_canonical_request_flags(const struct cw_sigv4_request *rq,
	unsigned flags, struct cw_buf *out, struct cw_buf *signed_headers,
	struct cw_err *err);

/*
 * Query-string signing (presigned URLs). The keys, the optional session
 * token and the validity in seconds; token_unsigned appends the token
 * after the signature instead of signing it (post-sts-header-after).
 */
struct cw_sigv4_params {
	const char *access_key;
	const char *secret_key;
	const char *token;	/* NULL: none */
	int token_unsigned;
	const char *region;
	const char *service;
	const char *amz_date;	/* "YYYYMMDDTHHMMSSZ" */
	long expires;		/* X-Amz-Expires, seconds */
	unsigned flags;		/* CW_SIGV4_NO_NORMALIZE */
};

/* The query string to sign: rq->query followed by the X-Amz-Algorithm,
 * -Credential, -Date, -Expires, -SignedHeaders (and -Security-Token when
 * signed) parameters, into out (reset first). */
int cw_sigv4_presign_query(const struct cw_sigv4_request *rq,
	const struct cw_sigv4_params *sp, struct cw_buf *out, struct cw_err *err);

/* The whole query string of a presigned URL, X-Amz-Signature included,
 * into out (reset first); rq->query is the request's own query. */
int cw_sigv4_presign(struct cw_sigv4_key *cache,
	const struct cw_sigv4_request *rq, const struct cw_sigv4_params *sp,
	struct cw_buf *out, struct cw_err *err);

/* Hex SHA-256 of data into out (65 bytes). */
void cw_sigv4_sha256_hex(const void *data, size_t len, char out[65]);
/* SHA-1, as hex: the name of an SSO token's cache file. */
void cw_sigv4_sha1_hex(const void *data, size_t len, char out[41]);

#endif
