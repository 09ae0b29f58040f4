#ifndef CW_POLICY_H
#define CW_POLICY_H

#include "err.h"

/*
 * Resource policies (KMS key policies, SNS topic policies, Lambda
 * function policies) judged for one question: may this principal do
 * this action on this resource. Only what the document says is judged:
 * Allow and Deny statements, Principal and NotPrincipal (string "*",
 * AWS account ids or root ARNs, Service names, each a string or a list),
 * Action and NotAction with wildcards (case-insensitive), Resource and
 * NotResource with wildcards, and conditions on the source account and
 * ARN (StringEquals, StringLike, ArnEquals, ArnLike). Any other
 * condition cannot be judged here.
 */

enum cw_policy_verdict {
	CW_POLICY_NOT_ALLOWED,	/* no statement allows it */
	CW_POLICY_ALLOWED,
	CW_POLICY_UNSURE,	/* allowed only under a condition not judged */
	CW_POLICY_DENIED	/* a Deny statement matches */
};

struct cw_policy_ask {
	const char *service;	/* the asking service principal, or NULL */
	const char *account;	/* the asking account (12 digits), or NULL */
	const char *action;	/* "kms:Decrypt" */
	const char *resource;	/* NULL: any resource matches */
	/* What aws:SourceAccount / aws:SourceOwner and aws:SourceArn hold
	 * for the request; NULL: unknown, so such a condition is unsure. */
	const char *source_account;
	const char *source_arn;
};

/* The verdict on q for the JSON policy text; -1 with err when the text
 * is not a policy document. */
int cw_policy_eval(const char *policy, const struct cw_policy_ask *q,
	struct cw_err *err);

/* 1 when s matches pattern, where '*' is any run and '?' any one
 * character; nocase compares ASCII letters without case. */
int cw_policy_match(const char *pattern, const char *s, int nocase);

#endif
