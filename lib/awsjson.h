#ifndef CW_AWSJSON_H
#define CW_AWSJSON_H

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
/* The same, and the body as received in *raw, the caller's buffer,
 * whose content it replaces: cJSON ends a string at U+0000, and some
 * callers need every byte. */
int cw_awsjson_call_raw(struct cw_client *c, const struct cw_service *svc,
	const char *op, const cJSON *req, cJSON **out, struct cw_buf *raw,
	struct cw_err *err);

/* The string member name of obj, or NULL. */
const char *cw_awsjson_str(const cJSON *obj, const char *name);
/* The number member name of obj, or def. */
double cw_awsjson_num(const cJSON *obj, const char *name, double def);

/* Moves the pagination token of res (member name) into req (same name),
 * replacing the old one. Returns 1 when there is a next page, 0 when not,
 * -1 on allocation failure. */
int cw_awsjson_next_page(cJSON *req, const cJSON *res, const char *name);

#endif
