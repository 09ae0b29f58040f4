/* libFuzzer target: the SNS answers' readers and the resource policy
 * judge on any bytes (a policy is server text too). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "err.h"
#include "policy.h"
#include "sns.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct cw_policy_ask q = { "cloudwatch.amazonaws.com", "123456789012",
		"kms:Decrypt", "arn:aws:sns:us-east-1:123456789012:t",
		"123456789012", "arn:aws:cloudwatch:us-east-1:1:alarm:a" };
	cJSON *attrs = cJSON_CreateObject();
	struct cw_err err;
	char next[256], *text = malloc(size + 1);
	int confirmed = 0;
	long pending = 0;

	(void)cw_sns_parse_attributes(s, size, attrs, &err);
	(void)cw_sns_parse_subscriptions(s, size, &confirmed, &pending, next,
		sizeof(next), &err);
	if (text) {	/* a policy is a NUL-terminated string */
		memcpy(text, data, size);
		text[size] = '\0';
		(void)cw_policy_eval(text, &q, &err);
		(void)cw_policy_match(text, "kms:GenerateDataKey", 1);
	}
	free(text);
	cJSON_Delete(attrs);
	return 0;
}
