#ifndef CW_CREDS_H
#define CW_CREDS_H

#include <stdint.h>

#include "ctx.h"
#include "err.h"
#include "keys.h"

struct cw_http;
struct cw_profile;

/* The resolved chain for one command run: finds a source once, then
 * hands out keys and refreshes temporary ones before they expire. */
struct cw_creds_provider;

struct cw_creds_opts {
	const char *profile;	/* --profile; NULL: AWS_PROFILE, then "default" */
	const char *region;	/* the resolved region, for STS */
	/* The shared files, already read by the caller (borrowed; it must
	 * outlive the provider). NULL: the provider reads them. */
	const struct cw_profile *files;
	/* Set: the keys are base's, used to assume this role (with
	 * external_id when not NULL), refreshed the same way. base is
	 * borrowed and must outlive the provider. */
	const char *role_arn;
	const char *external_id;
	struct cw_creds_provider *base;
};

/* Returns NULL and fills err when no source in the chain yields keys
 * (the message lists what was tried). http and ctx are borrowed. */
struct cw_creds_provider *cw_creds_provider_new(const struct cw_ctx *ctx,
	struct cw_http *http, const struct cw_creds_opts *opts,
	struct cw_err *err);

/* Points *out at current keys, refreshing them when they expire within
 * five minutes. The keys stay owned by the provider. */
int cw_creds_get(struct cw_creds_provider *p, const struct cw_keys **out,
	struct cw_err *err);
/* The provider as the key source of a client. */
struct cw_keys_source cw_creds_source(struct cw_creds_provider *p);
void cw_creds_provider_free(struct cw_creds_provider *p);

#endif
