#ifndef CW_LAMBDA_H
#define CW_LAMBDA_H

#include "client.h"
#include "err.h"

/* AWS Lambda over REST-JSON, for what an alarm's invocation needs. c is
 * a client for cw_service_lambda in the function's region. */

enum cw_lambda_found {
	CW_LAMBDA_NO_FUNCTION,	/* GetFunction: no such function */
	CW_LAMBDA_NO_POLICY,	/* the function has no resource policy */
	CW_LAMBDA_POLICY	/* *policy holds it */
};

/* GetPolicy of function name (a name, not an ARN) and qualifier (a
 * version or alias, NULL for none); when there is none, GetFunction
 * tells a function without policy from no function. Returns one of the
 * above with *policy (freed by the caller) set for CW_LAMBDA_POLICY, or
 * -1 with err. */
int cw_lambda_policy(struct cw_client *c, const char *name,
	const char *qualifier, char **policy, struct cw_err *err);

#endif
