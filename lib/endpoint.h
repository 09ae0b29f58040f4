#ifndef CW_ENDPOINT_H
#define CW_ENDPOINT_H

#include <stddef.h>

#include "ctx.h"
#include "err.h"

struct cw_profile;

/* What differs between the services on the wire. */
struct cw_service {
	const char *name;		/* for messages: "CloudWatch Logs" */
	const char *env_id;		/* AWS_ENDPOINT_URL_<env_id> */
	const char *host;		/* logs -> https://logs.REGION.amazonaws.com */
	const char *signing_name;	/* credential scope service */
	const char *target_prefix;	/* X-Amz-Target "<prefix>.<Op>" */
	const char *json_version;	/* "1.0", "1.1", NULL: not JSON */
	int query_mode;			/* send x-amzn-query-mode: true */
};

extern const struct cw_service cw_service_logs;
extern const struct cw_service cw_service_livetail;
extern const struct cw_service cw_service_monitoring;
extern const struct cw_service cw_service_sts;
/* What alarm actions reach: SNS and Auto Scaling speak Query, KMS JSON
 * 1.1, Lambda REST-JSON. */
extern const struct cw_service cw_service_sns;
extern const struct cw_service cw_service_kms;
extern const struct cw_service cw_service_lambda;
extern const struct cw_service cw_service_autoscaling;

/* --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region.
 * profile may be NULL. Error when none is set. */
int cw_endpoint_region(const struct cw_ctx *ctx, const struct cw_profile *profile,
	const char *flag, char *out, size_t size, struct cw_err *err);

/* --endpoint-url, AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the
 * profile's endpoint_url, then the public endpoint for region. The result
 * has no trailing slash. */
int cw_endpoint_url(const struct cw_ctx *ctx, const struct cw_profile *profile,
	const struct cw_service *svc, const char *flag, const char *region,
	char *out, size_t size, struct cw_err *err);

/* Splits "scheme://host[:port][/path]" into the Host header value and
 * the base path (without trailing slash). */
int cw_endpoint_host(const char *url, char *host, size_t hsize,
	char *base, size_t bsize, struct cw_err *err);

#endif
