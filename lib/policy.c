#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "policy.h"
#include "banned.h"

/* A condition's truth: false, true, or not judged here. */
enum truth { NO, YES, UNKNOWN };

static int same_char(char a, char b, int nocase)
{
	if (nocase) {
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
	}
	return a == b;
}

/* Iterative glob: on a mismatch, the last '*' takes one more character. */
int cw_policy_match(const char *p, const char *s, int nocase)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p && (*p == '?' || same_char(*p, *s, nocase))) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else
			return 0;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* 1 when some string of v (a string or a list of strings) passes fn. */
static int any_of(const cJSON *v, int (*fn)(const char *, const void *),
	const void *arg)
{
	const cJSON *e;

	if (cJSON_IsString(v))
		return fn(v->valuestring, arg);
	cJSON_ArrayForEach(e, v)
		if (cJSON_IsString(e) && fn(e->valuestring, arg))
			return 1;
	return 0;
}

static int is_account(const char *p, const void *arg)
{
	const char *acct = arg;
	char root[64];

	if (strcmp(p, "*") == 0)
		return 1;
	if (!acct)
		return 0;
	snprintf(root, sizeof(root), "arn:aws:iam::%s:root", acct);
	return strcmp(p, acct) == 0 || strcmp(p, root) == 0;
}

static int is_service(const char *p, const void *arg)
{
	return arg && (strcmp(p, "*") == 0 || strcmp(p, arg) == 0);
}

static int principal_matches(const cJSON *p, const struct cw_policy_ask *q)
{
	if (cJSON_IsString(p))
		return strcmp(p->valuestring, "*") == 0;
	return any_of(cJSON_GetObjectItemCaseSensitive(p, "AWS"), is_account,
			q->account)
		|| any_of(cJSON_GetObjectItemCaseSensitive(p, "Service"),
			is_service, q->service);
}

static int action_like(const char *pattern, const void *action)
{
	return cw_policy_match(pattern, action, 1);
}

static int resource_like(const char *pattern, const void *resource)
{
	return cw_policy_match(pattern, resource, 0);
}

/* Whether the statement's Principal, Action and Resource cover q. */
static int covers(const cJSON *st, const struct cw_policy_ask *q)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(st, "Principal");
	const cJSON *np = cJSON_GetObjectItemCaseSensitive(st, "NotPrincipal");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(st, "Action");
	const cJSON *na = cJSON_GetObjectItemCaseSensitive(st, "NotAction");
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(st, "Resource");
	const cJSON *nr = cJSON_GetObjectItemCaseSensitive(st, "NotResource");

	if (p ? !principal_matches(p, q) : !np || principal_matches(np, q))
		return 0;
	if (a ? !any_of(a, action_like, q->action)
			: !na || any_of(na, action_like, q->action))
		return 0;
	if (!q->resource)
		return 1;
	return r ? any_of(r, resource_like, q->resource)
		: !nr || !any_of(nr, resource_like, q->resource);
}

struct test {
	const char *value;
	int like;	/* wildcards count */
};

static int value_is(const char *v, const void *arg)
{
	const struct test *t = arg;

	return t->like ? cw_policy_match(v, t->value, 0)
		: strcmp(v, t->value) == 0;
}

/* One operator's block: every key must hold. */
static enum truth block(const char *op, const cJSON *keys,
	const struct cw_policy_ask *q)
{
	const cJSON *k;
	struct test t;
	enum truth all = YES;
	int like;

	/* Only an object's members carry the names read below. */
	if (!cJSON_IsObject(keys))
		return UNKNOWN;
	if (strcmp(op, "StringEquals") == 0 || strcmp(op, "ArnEquals") == 0)
		like = 0;
	else if (strcmp(op, "StringLike") == 0 || strcmp(op, "ArnLike") == 0)
		like = 1;
	else
		return UNKNOWN;
	cJSON_ArrayForEach(k, keys) {
		if (strcasecmp(k->string, "aws:SourceAccount") == 0
				|| strcasecmp(k->string, "aws:SourceOwner") == 0)
			t.value = q->source_account;
		else if (strcasecmp(k->string, "aws:SourceArn") == 0)
			t.value = q->source_arn;
		else
			t.value = NULL;
		t.like = like;
		if (!t.value)
			all = UNKNOWN;
		else if (!any_of(k, value_is, &t))
			return NO;
	}
	return all;
}

static enum truth condition(const cJSON *st, const struct cw_policy_ask *q)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(st, "Condition"), *op;
	enum truth all = YES, t;

	if (c && !cJSON_IsObject(c))
		return UNKNOWN;
	cJSON_ArrayForEach(op, c) {
		if ((t = block(op->string, op, q)) == NO)
			return NO;
		if (t == UNKNOWN)
			all = UNKNOWN;
	}
	return all;
}

struct tally {
	int allow, maybe_allow, deny, maybe_deny;
};

static void judge(const cJSON *st, const struct cw_policy_ask *q,
	struct tally *n)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(st, "Effect");
	enum truth t;

	if (!cJSON_IsString(e) || !covers(st, q) || (t = condition(st, q)) == NO)
		return;
	if (strcmp(e->valuestring, "Deny") == 0)
		*(t == YES ? &n->deny : &n->maybe_deny) = 1;
	else if (strcmp(e->valuestring, "Allow") == 0)
		*(t == YES ? &n->allow : &n->maybe_allow) = 1;
}

int cw_policy_eval(const char *policy, const struct cw_policy_ask *q,
	struct cw_err *err)
{
	cJSON *doc = cJSON_Parse(policy);
	const cJSON *sts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
	const cJSON *st;
	struct tally n = { 0, 0, 0, 0 };

	if (cJSON_IsObject(sts))	/* one statement, not in a list */
		judge(sts, q, &n);
	else if (cJSON_IsArray(sts))
		cJSON_ArrayForEach(st, sts)
			judge(st, q, &n);
	else {
		cJSON_Delete(doc);
		return cw_err_set(err, "not a policy document");
	}
	cJSON_Delete(doc);
	if (n.deny)
		return CW_POLICY_DENIED;
	if (n.allow && !n.maybe_deny)
		return CW_POLICY_ALLOWED;
	return n.allow || n.maybe_allow ? CW_POLICY_UNSURE
		: CW_POLICY_NOT_ALLOWED;
}
