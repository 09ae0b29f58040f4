#ifndef CW_CREDS_H
#define CW_CREDS_H

#include <stdint.h>

#include "ctx.h"
#include "err.h"

struct cw_http;

/* A set of keys. Strings are owned by the struct; cw_creds_release()
 * wipes and frees them. */
struct cw_creds {
	char *access_key;
	char *secret_key;
	char *token;		/* NULL for long-term keys */
	int64_t expires_ms;	/* 0: never */
	char source[64];	/* "env", "profile dev", "web-identity", ... */
};

void cw_creds_release(struct cw_creds *c);

/* The resolved chain for one command run: finds a source once, then
 * hands out keys and refreshes temporary ones before they expire. */
struct cw_creds_provider;

struct cw_creds_opts {
	const char *profile;	/* --profile; NULL: AWS_PROFILE, then "default" */
	const char *region;	/* the resolved region, for STS */
};

/* Returns NULL and fills err when no source in the chain yields keys
 * (the message lists what was tried). http and ctx are borrowed. */
struct cw_creds_provider *cw_creds_provider_new(const struct cw_ctx *ctx,
	struct cw_http *http, const struct cw_creds_opts *opts,
	struct cw_err *err);

/* Points *out at current keys, refreshing them when they expire within
 * five minutes. The keys stay owned by the provider. */
int cw_creds_get(struct cw_creds_provider *p, const struct cw_creds **out,
	struct cw_err *err);
void cw_creds_provider_free(struct cw_creds_provider *p);

#endif
