#ifndef CW_AWSJSON_H
#define CW_AWSJSON_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "endpoint.h"
#include "err.h"

/*
 * Calls operation op of svc over the AWS JSON protocol (1.0 or 1.1,
 * query-compatible when svc says so). req may be NULL for "{}"; it stays
 * the caller's. On success *out is the parsed result, freed by the caller
 * with cJSON_Delete(). On failure err holds "Code: message".
 */
int cw_awsjson_call(struct cw_client *c, const struct cw_service *svc,
	const char *op, const cJSON *req, cJSON **out, struct cw_err *err);
/* The string member name of obj, or NULL. */
const char *cw_awsjson_str(const cJSON *obj, const char *name);
/* The number member name of obj, or def. */
double cw_awsjson_num(const cJSON *obj, const char *name, double def);

/* A whole number member from 0 to max (at most 2^62), or def when it is
 * absent, not a number, fractional or outside: a server's 1e300 never
 * reaches an integer conversion. */
int64_t cw_awsjson_count(const cJSON *obj, const char *name, int64_t max,
	int64_t def);

/* A number member holding a time from a server, in ms: 0 when absent,
 * CW_AWSJSON_BAD_TIME when outside the library's time bounds (NaN,
 * 1e300, negative), so that it shows as such rather than wrapped. */
#define CW_AWSJSON_BAD_TIME INT64_MIN
int64_t cw_awsjson_time(const cJSON *obj, const char *name);
/* The same for a time in seconds, fractions kept to the ms (CloudWatch's
 * timestamps in the JSON 1.0 protocol). */
int64_t cw_awsjson_seconds(const cJSON *obj, const char *name);

/* Moves the pagination token of res (member name) into req (same name),
 * replacing the old one. Returns 1 when there is a next page, 0 when not,
 * -1 on allocation failure. */
int cw_awsjson_next_page(cJSON *req, const cJSON *res, const char *name);

/* Called with each page; returns 0 to go on, 1 to stop quietly, -1 to
 * fail (it fills err). It may keep the page by taking *res and setting
 * it to NULL; what it leaves is freed. */
typedef int cw_awsjson_page_fn(void *arg, cJSON **res, struct cw_err *err);

/*
 * Calls op once per page, moving the token member (nextToken,
 * NextToken) of each result into req, until a page has none. Empty
 * pages are followed. A token the server already gave in this run is an
 * error: following it would loop forever. req stays the caller's and
 * holds the last token afterwards. 0 done (or stopped by fn), -1 error.
 */
int cw_awsjson_paginate(struct cw_client *c, const struct cw_service *svc,
	const char *op, cJSON *req, const char *token, cw_awsjson_page_fn *fn,
	void *arg, struct cw_err *err);

/* Reads one page's raw body (len bytes, not NUL-terminated: what take
 * left of it, when there is one) and
 * appends the next page's token to next, empty when there is none. The
 * body is a buffer of the call's own: fn may write into it.
 * Returns 0 to go on, 1 to stop quietly, -1 to fail (it fills err), or
 * CW_AWSJSON_MALFORMED when the body is not the JSON it expects. */
#define CW_AWSJSON_MALFORMED (-2)
typedef int cw_awsjson_body_fn(void *arg, char *body, size_t len,
	struct cw_buf *next, struct cw_err *err);

/* Reads a page's body as it arrives: the bytes at data, len of them,
 * taken bytes of this page already read; returns how many it read and
 * no longer needs. Each page's (each attempt's) first call has taken
 * 0. See cw_http_response's take. */
typedef size_t cw_awsjson_take_fn(void *arg, const char *data, size_t len,
	size_t taken);

/*
 * The same as cw_awsjson_paginate, without a tree: for the pages that are
 * large and read once (FilterLogEvents), and strings holding U+0000.
 * take, when not NULL, reads each page as it arrives, and fn is given
 * only the bytes it left; under --debug (a trace in the context) the
 * whole body goes to fn, so that the trace shows it.
 */
int cw_awsjson_paginate_body(struct cw_client *c,
	const struct cw_service *svc, const char *op, cJSON *req,
	const char *token, cw_awsjson_take_fn *take, cw_awsjson_body_fn *fn,
	void *arg, struct cw_err *err);

#endif
