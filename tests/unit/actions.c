/* Alarm actions: the SNS and Query answers read as AWS writes them, and
 * the checks that need no call (regions, EC2 actions, ARN shapes). */
#include <string.h>

#include <cjson/cJSON.h>

#include "actions.h"
#include "err.h"
#include "query.h"
#include "sns.h"
#include "tap.h"
#include "banned.h"

static const char attrs_xml[] =
	"<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
	"  <GetTopicAttributesResult>\n"
	"    <Attributes>\n"
	"      <entry>\n"
	"        <key>Owner</key>\n"
	"        <value>123456789012</value>\n"
	"      </entry>\n"
	"      <entry>\n"
	"        <key>Policy</key>\n"
	"        <value>{&quot;Version&quot;:&quot;2008-10-17&quot;,&quot;Statement&quot;:[]}</value>\n"
	"      </entry>\n"
	"      <entry><key>KmsMasterKeyId</key><value>alias/aws/sns</value></entry>\n"
	"      <entry><key>DisplayName</key><value/></entry>\n"
	"    </Attributes>\n"
	"  </GetTopicAttributesResult>\n"
	"  <ResponseMetadata><RequestId>057f074c-33a7-11df-9540-99d0768312d3</RequestId></ResponseMetadata>\n"
	"</GetTopicAttributesResponse>\n";

static const char subs_xml[] =
	"<ListSubscriptionsByTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
	"  <ListSubscriptionsByTopicResult>\n"
	"    <Subscriptions>\n"
	"      <member>\n"
	"        <TopicArn>arn:aws:sns:us-east-1:123456789012:My-Topic</TopicArn>\n"
	"        <Protocol>email</Protocol>\n"
	"        <SubscriptionArn>PendingConfirmation</SubscriptionArn>\n"
	"        <Owner>123456789012</Owner>\n"
	"        <Endpoint>example@amazon.com</Endpoint>\n"
	"      </member>\n"
	"      <member>\n"
	"        <SubscriptionArn>Deleted</SubscriptionArn>\n"
	"      </member>\n"
	"    </Subscriptions>\n"
	"    <NextToken>page+2/=</NextToken>\n"
	"  </ListSubscriptionsByTopicResult>\n"
	"</ListSubscriptionsByTopicResponse>\n";

static const char one_sub[] = "<a><member><SubscriptionArn>"
	"arn:aws:sns:us-east-1:1:t:5f6e</SubscriptionArn></member></a>";

static void test_sns_answers(void)
{
	cJSON *a = cJSON_CreateObject();
	struct cw_err err;
	char next[64];
	int confirmed = 0;
	long pending = 0;
	const char *p;

	cw_err_clear(&err);
	ok(cw_sns_parse_attributes(attrs_xml, strlen(attrs_xml), a, &err) == 0,
		"GetTopicAttributes answer read");
	p = cJSON_GetStringValue(cJSON_GetObjectItem(a, "Policy"));
	ok(p && strcmp(p, "{\"Version\":\"2008-10-17\",\"Statement\":[]}") == 0,
		"the policy unescaped");
	p = cJSON_GetStringValue(cJSON_GetObjectItem(a, "KmsMasterKeyId"));
	ok(p && strcmp(p, "alias/aws/sns") == 0, "the key");
	p = cJSON_GetStringValue(cJSON_GetObjectItem(a, "DisplayName"));
	ok(p && !*p, "an empty value");
	cJSON_Delete(a);

	ok(cw_sns_parse_subscriptions(subs_xml, strlen(subs_xml), &confirmed,
		&pending, next, sizeof(next), &err) == 0 && !confirmed
		&& pending == 1 && strcmp(next, "page+2/=") == 0,
		"pending and deleted are not confirmed; the next token");
	ok(cw_sns_parse_subscriptions(one_sub, strlen(one_sub), &confirmed, &pending, next, sizeof(next), &err) == 0
		&& confirmed && !next[0], "an ARN is a confirmed subscription");
	ok(cw_sns_parse_attributes("<!DOCTYPE x [<!ENTITY a \"b\">]><x/>", 34,
		NULL, &err) < 0 && strstr(err.msg, "DOCTYPE"),
		"a DOCTYPE is refused");
	ok(cw_sns_parse_attributes("<a><b>", 6, NULL, &err) < 0
		&& strstr(err.msg, "sns response: malformed XML"),
		"a cut answer: malformed");
}

/* The problems of one alarm checked without calls, "why" joined by |. */
static const char *offline(const char *def_json, char *out, size_t size)
{
	struct cw_actions a;
	struct cw_err err;
	cJSON *def = cJSON_Parse(def_json);
	const cJSON *p;
	size_t n = 0;

	out[0] = '\0';
	cw_err_clear(&err);
	if (cw_actions_init(&a) < 0 || cw_actions_check_alarm(&a, "x",
			"us-east-1", NULL, def, NULL, &err) < 0)
		snprintf(out, size, "error: %s", err.msg);
	else
		cJSON_ArrayForEach(p, a.problems)
			n += (size_t)snprintf(out + n, size - n, "%s%s",
				n ? "|" : "", cJSON_GetStringValue(
				cJSON_GetObjectItem(p, "why")));
	cw_actions_release(&a);
	cJSON_Delete(def);
	return out;
}

static void test_offline(void)
{
	char b[2048];

	ok(strcmp(offline("{\"AlarmActions\":[\"arn:aws:sns:eu-west-1:1:t\"],"
		"\"OKActions\":[\"arn:aws:sns:eu-west-1:1:t\"]}", b, sizeof(b)),
		"the topic is in eu-west-1, the alarm in us-east-1: CloudWatch "
		"publishes only to a topic in the alarm's region") == 0,
		"a topic in another region, once for two lists: %s", b);
	ok(strcmp(offline("{\"AlarmActions\":[\"arn:aws:sns:us-east-1:1:t\","
		"\"arn:aws:lambda:us-east-1:1:function:f\"]}", b, sizeof(b)),
		"") == 0, "in the region: nothing to say without reading");
	ok(strcmp(offline("{\"AlarmActions\":[\"arn:aws:automate:us-east-1:"
		"ec2:reboot\"],\"Dimensions\":[{\"Name\":\"AutoScalingGroupName\","
		"\"Value\":\"w\"}]}", b, sizeof(b)), "the alarm's metric has no "
		"InstanceId dimension: the EC2 action has no instance to act on")
		== 0, "an EC2 action without an instance");
	ok(strcmp(offline("{\"AlarmActions\":[\"arn:aws:automate:us-east-1:"
		"ec2:recover\"],\"Metrics\":[{\"Id\":\"m\",\"MetricStat\":{"
		"\"Metric\":{\"Dimensions\":[{\"Name\":\"InstanceId\",\"Value\":"
		"\"i-1\"}]}}}]}", b, sizeof(b)), "") == 0,
		"an EC2 action on metric math naming an instance");
	ok(strcmp(offline("{\"InsufficientDataActions\":[\"arn:aws:automate:"
		"us-east-1:ec2:explode\",\"arn:aws:automate:us-west-2:ec2:stop\","
		"\"sns-topic\"],\"Dimensions\":[{\"Name\":\"InstanceId\",\"Value\":"
		"\"i-1\"}]}", b, sizeof(b)), "not an EC2 action: expected stop, "
		"terminate, reboot or recover|the EC2 action is for us-west-2, the "
		"alarm in us-east-1|not an ARN") == 0, "a bad verb, another region, "
		"not an ARN: %s", b);
	ok(strcmp(offline("{\"AlarmActions\":[\"arn:aws:swf:us-east-1:1:"
		"action/actions/AWS_EC2.InstanceId.Stop/1.0\"]}", b, sizeof(b)),
		"the alarm's metric has no InstanceId dimension: the EC2 action "
		"has no instance to act on") == 0, "the older EC2 action form");
	ok(strcmp(offline("{\"AlarmActions\":[\"arn:aws:ssm:us-east-1:1:"
		"opsitem:3#CATEGORY=Security\",\"arn:aws:autoscaling:us-west-2:1:"
		"scalingPolicy:u:autoScalingGroupName/g:policyName/p\"]}", b,
		sizeof(b)), "the scaling policy is in us-west-2, the alarm in "
		"us-east-1") == 0, "OpsItems pass; a scaling policy elsewhere");
}

int main(void)
{
	test_sns_answers();
	test_offline();
	return tap_done();
}
