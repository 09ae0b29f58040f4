#include <stdio.h>
#include <string.h>

#include "asg.h"
#include "query.h"
#include "banned.h"

#define ASG_VERSION "2011-01-01"
#define GROUP_KEY ":autoScalingGroupName/"
#define POLICY_KEY ":policyName/"

struct found {
	const char *arn;
	int yes;
};

static int on_policy(void *arg, const char *parent, const char *name,
	const char *text, size_t len, const char **why)
{
	struct found *f = arg;

	(void)len;
	(void)why;
	if (strcmp(parent, "member") == 0 && strcmp(name, "PolicyARN") == 0
			&& strcmp(text, f->arn) == 0)
		f->yes = 1;
	return 0;
}

int cw_asg_policy_exists(struct cw_client *c, const char *policy_arn,
	struct cw_err *err)
{
	const char *g = strstr(policy_arn, GROUP_KEY);
	const char *p = strstr(policy_arn, POLICY_KEY);
	char group[256], policy[256];
	const char *pairs[] = { "Action", "DescribePolicies",
		"Version", ASG_VERSION, "AutoScalingGroupName", group,
		"PolicyNames.member.1", policy };
	struct cw_http_response resp;
	struct found f = { policy_arn, 0 };
	int rc;

	if (!g || !p || p < g)
		return cw_err_set(err, "not a scaling policy ARN");
	g += strlen(GROUP_KEY);
	snprintf(group, sizeof(group), "%.*s", (int)(p - g), g);
	snprintf(policy, sizeof(policy), "%s", p + strlen(POLICY_KEY));
	cw_err_clear(err);
	if (cw_query_call(c, pairs, 4, &resp, err) < 0) {
		cw_http_response_release(&resp);
		/* The group is gone, and so is its policy. */
		return strcmp(err->code, "ValidationError") == 0 ? 0 : -1;
	}
	rc = cw_query_xml("autoscaling response", cw_buf_str(&resp.body),
		resp.body.len, on_policy, &f, err);
	cw_http_response_release(&resp);
	return rc < 0 ? -1 : f.yes;
}
