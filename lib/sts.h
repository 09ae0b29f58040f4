#ifndef CW_STS_H
#define CW_STS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "client.h"
#include "err.h"
#include "keys.h"

/*
 * AWS STS over the Query protocol: form-encoded POST bodies (Action,
 * Version=2011-06-15), XML results. The client c is set up by the caller
 * for service "sts" (endpoint, region, signing); its secret_bodies is set
 * here so neither tokens nor keys reach the trace.
 */

struct cw_sts_assume {
	const char *role_arn;
	const char *session_name;
	const char *external_id;	/* NULL: none */
	int duration_s;			/* 0: the role's default */
	const char *serial_number;	/* MFA device, NULL: none */
	const char *token_code;		/* the MFA code */
};

/* AssumeRole. On success out holds new keys the caller releases with
 * cw_keys_release(); out->source is left as it was. */
int cw_sts_assume_role(struct cw_client *c, const struct cw_sts_assume *a,
	struct cw_keys *out, struct cw_err *err);

/* AssumeRoleWithWebIdentity: an unsigned call (c->keys.get and
 * c->fixed must be NULL). token is the OIDC token, a secret. Ownership as above. */
int cw_sts_assume_role_with_web_identity(struct cw_client *c,
	const char *role_arn, const char *session_name, const char *token,
	int duration_s, struct cw_keys *out, struct cw_err *err);

struct cw_sts_identity {
	char account[32];
	char arn[512];
	char user_id[256];
};

int cw_sts_get_caller_identity(struct cw_client *c, struct cw_sts_identity *out,
	struct cw_err *err);

/* The pieces, exposed for tests and fuzzing. */

/* The <Credentials> of an AssumeRole* result into out (fields freed by
 * cw_keys_release). Bounded to 1 MiB; DOCTYPEs are refused. */
int cw_sts_parse_credentials(const char *xml, size_t len, struct cw_keys *out,
	struct cw_err *err);
int cw_sts_parse_identity(const char *xml, size_t len,
	struct cw_sts_identity *out, struct cw_err *err);
#endif
