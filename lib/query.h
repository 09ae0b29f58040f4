#ifndef CW_QUERY_H
#define CW_QUERY_H

#include <stddef.h>

#include "buf.h"
#include "client.h"
#include "err.h"
#include "http.h"

/*
 * The Query protocol (STS, SNS, Auto Scaling): a form-encoded POST of
 * Action, Version and the operation's members, an XML result. Errors
 * come decoded by the client, the one decoder of XML errors.
 */

/* Most pairs in one request. */
#define CW_QUERY_MAX_PAIRS 16

/* Appends "k=v&..." with keys sorted, space as '+', every byte but
 * A-Z a-z 0-9 - _ . ~ as %XX, as botocore does: servers that re-encode
 * before checking the signature accept nothing else. pairs holds n
 * key/value pairs (2n strings); pairs with a NULL value are skipped. */
int cw_query_form(struct cw_buf *out, const char *const *pairs, size_t n);

/* POSTs the form of pairs with c; 0 with the 2xx answer in resp (release
 * it with cw_http_response_release), -1 with err. The body is wiped
 * after the call: STS bodies carry tokens. */
int cw_query_call(struct cw_client *c, const char *const *pairs, size_t n,
	struct cw_http_response *resp, struct cw_err *err);

/* Called at the end of each element with its parent's name ("" at the
 * top), its own name and its text (NUL-terminated, the text after its
 * last child for an element with children). Return -1 to stop the
 * parse with why set (a static string). */
typedef int cw_query_xml_fn(void *arg, const char *parent, const char *name,
	const char *text, size_t len, const char **why);

/*
 * Parses an answer, calling fn for every element. what names the answer
 * in messages ("sts response"). Bounded to 1 MiB, 32 levels and 64 KiB
 * of text an element; DOCTYPEs are refused (no entity expansion). Text
 * buffers are wiped, for answers that carry keys. 0, or -1 with err.
 */
int cw_query_xml(const char *what, const char *xml, size_t len,
	cw_query_xml_fn *fn, void *arg, struct cw_err *err);

#endif
