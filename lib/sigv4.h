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

#endif
