/* Resource policies judged for one principal, action and resource: the
 * JSON variants key, topic and function policies come in. */
#include <string.h>

#include "err.h"
#include "policy.h"
#include "tap.h"
#include "banned.h"

#define CW "cloudwatch.amazonaws.com"
#define ACCT "123456789012"
#define TOPIC "arn:aws:sns:us-east-1:123456789012:alerts"
#define ALARM "arn:aws:cloudwatch:us-east-1:123456789012:alarm:cpu-high"

static int eval(const char *policy, const char *service, const char *account,
	const char *action, const char *resource)
{
	struct cw_policy_ask q = { service, account, action, resource, ACCT,
		ALARM };
	struct cw_err err;

	cw_err_clear(&err);
	return cw_policy_eval(policy, &q, &err);
}

static void test_match(void)
{
	ok(cw_policy_match("kms:GenerateDataKey*", "kms:GenerateDataKey", 1),
		"a trailing * matches nothing more");
	ok(cw_policy_match("kms:*", "kms:Decrypt", 1), "kms:* covers kms:Decrypt");
	ok(cw_policy_match("KMS:decrypt", "kms:Decrypt", 1),
		"actions compare without case");
	ok(!cw_policy_match("arn:aws:sns:*:1:A", "arn:aws:sns:x:1:a", 0),
		"resources compare with case");
	ok(cw_policy_match("a*b?d*", "aXXbcdYY", 0), "* and ? together");
	ok(!cw_policy_match("kms:Decrypt*", "kms:Encrypt", 1), "no match");
	ok(cw_policy_match("*", "", 0) && !cw_policy_match("?", "", 0),
		"* matches empty, ? does not");
}

static void test_key_policies(void)
{
	const char *list = "{\"Version\":\"2012-10-17\",\"Statement\":[{"
		"\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"events.amazonaws.com\","
		"\"" CW "\"]},\"Action\":[\"kms:Decrypt\",\"kms:GenerateDataKey*\"],"
		"\"Resource\":\"*\"}]}";
	const char *str = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":"
		"{\"Service\":\"" CW "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}}";
	const char *root = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"AWS\":\"arn:aws:iam::" ACCT ":root\"},\"Action\":\"kms:*\","
		"\"Resource\":\"*\"}]}";
	const char *deny = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"\"*\",\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\","
		"\"Principal\":{\"Service\":\"" CW "\"},\"Action\":\"kms:Decrypt\","
		"\"Resource\":\"*\"}]}";
	const char *notaction = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"Service\":\"" CW "\"},\"NotAction\":\"kms:Decrypt\"}]}";
	const char *cond = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"Service\":\"" CW "\"},\"Action\":\"kms:*\",\"Condition\":"
		"{\"StringEquals\":{\"kms:ViaService\":\"sns.us-east-1.amazonaws.com\"}}}]}";

	ok(eval(list, CW, NULL, "kms:Decrypt", NULL) == CW_POLICY_ALLOWED
		&& eval(list, CW, NULL, "kms:GenerateDataKey", NULL)
		== CW_POLICY_ALLOWED, "lists of services and actions, GenerateDataKey*");
	ok(eval(list, "sns.amazonaws.com", NULL, "kms:Decrypt", NULL)
		== CW_POLICY_NOT_ALLOWED, "another service is not granted");
	ok(eval(str, CW, NULL, "kms:GenerateDataKey", NULL) == CW_POLICY_ALLOWED,
		"one statement as an object, strings, kms:*");
	ok(eval(root, CW, NULL, "kms:Decrypt", NULL) == CW_POLICY_NOT_ALLOWED,
		"the account's root does not grant a service");
	ok(eval(deny, CW, NULL, "kms:Decrypt", NULL) == CW_POLICY_DENIED
		&& eval(deny, CW, NULL, "kms:GenerateDataKey", NULL)
		== CW_POLICY_ALLOWED, "a Deny for the principal wins over \"*\"");
	ok(eval(notaction, CW, NULL, "kms:Decrypt", NULL) == CW_POLICY_NOT_ALLOWED
		&& eval(notaction, CW, NULL, "kms:GenerateDataKey", NULL)
		== CW_POLICY_ALLOWED, "NotAction");
	ok(eval(cond, CW, NULL, "kms:Decrypt", NULL) == CW_POLICY_UNSURE,
		"a condition not judged here: unsure, not allowed");
	ok(eval("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"Service\":\"" CW "\"},\"Action\":\"kms:*\",\"Condition\":"
		"[\"k*?\"]}]}", CW, NULL, "kms:Decrypt", NULL) == CW_POLICY_UNSURE
		&& eval("{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"Service\":\"" CW "\"},\"Action\":\"kms:*\",\"Condition\":"
		"{\"StringEquals\":[\"x\"]}}]}", CW, NULL, "kms:Decrypt", NULL)
		== CW_POLICY_UNSURE, "a Condition or block that is not an object: unsure");
}

static void test_topic_policies(void)
{
	const char *dflt = "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\","
		"\"Statement\":[{\"Sid\":\"__default_statement_ID\",\"Effect\":\"Allow\","
		"\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:GetTopicAttributes\","
		"\"SNS:Publish\",\"SNS:Subscribe\"],\"Resource\":\"" TOPIC "\","
		"\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\"" ACCT "\"}}}]}";
	const char *other = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"AWS\":\"arn:aws:iam::999999999999:root\"},\"Action\":\"sns:Publish\","
		"\"Resource\":\"" TOPIC "\"}]}";
	const char *svc = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"Service\":\"" CW "\"},\"Action\":\"sns:*\",\"Resource\":\"*\","
		"\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":"
		"\"arn:aws:cloudwatch:us-east-1:" ACCT ":alarm:*\"}}}]}";
	const char *wrongres = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"AWS\":\"" ACCT "\"},\"Action\":\"sns:Publish\","
		"\"Resource\":\"arn:aws:sns:us-east-1:" ACCT ":other\"}]}";
	const char *owner2 = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"\"*\",\"Action\":\"sns:Publish\",\"Condition\":{\"StringEquals\":"
		"{\"aws:SourceOwner\":[\"111111111111\",\"222222222222\"]}}}]}";
	const char *denyall = "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
		"{\"AWS\":\"" ACCT "\"},\"Action\":\"sns:Publish\"},{\"Effect\":\"Deny\","
		"\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" ACCT ":role/x\"},"
		"\"Action\":\"sns:Publish\"}]}";

	ok(eval(dflt, NULL, ACCT, "sns:Publish", TOPIC) == CW_POLICY_ALLOWED,
		"the default topic policy lets the account publish");
	ok(eval(other, NULL, ACCT, "sns:Publish", TOPIC) == CW_POLICY_NOT_ALLOWED
		&& eval(other, CW, NULL, "sns:Publish", TOPIC)
		== CW_POLICY_NOT_ALLOWED, "another account only: neither");
	ok(eval(svc, CW, NULL, "sns:Publish", TOPIC) == CW_POLICY_ALLOWED,
		"the service with an ArnLike source condition that holds");
	ok(eval(wrongres, NULL, ACCT, "sns:Publish", TOPIC) == CW_POLICY_NOT_ALLOWED,
		"a statement for another resource");
	ok(eval(owner2, NULL, ACCT, "sns:Publish", TOPIC) == CW_POLICY_NOT_ALLOWED,
		"a source-owner condition naming other accounts");
	ok(eval(denyall, NULL, ACCT, "sns:Publish", TOPIC) == CW_POLICY_DENIED,
		"Deny with NotPrincipal covers everyone else");
}

static void test_bad(void)
{
	struct cw_policy_ask q = { CW, NULL, "kms:Decrypt", NULL, NULL, NULL };
	struct cw_err err;

	cw_err_clear(&err);
	ok(cw_policy_eval("not json", &q, &err) < 0 && err.msg[0],
		"not JSON: an error");
	ok(cw_policy_eval("{\"Statement\":3}", &q, &err) < 0,
		"no statements: an error");
	ok(cw_policy_eval("{\"Statement\":[3,{\"Effect\":\"Allow\"}]}", &q,
		&err) == CW_POLICY_NOT_ALLOWED, "odd statements: nothing allowed");
}

int main(void)
{
	test_match();
	test_key_policies();
	test_topic_policies();
	test_bad();
	return tap_done();
}
