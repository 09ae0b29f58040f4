#ifndef CW_ASG_H
#define CW_ASG_H

#include "client.h"
#include "err.h"

/* Amazon EC2 Auto Scaling over the Query protocol (Version
 * 2011-01-01). c is a client for cw_service_autoscaling in the
 * policy's region. */

/* 1 when the scaling policy policy_arn
 * (arn:aws:autoscaling:R:A:scalingPolicy:ID:autoScalingGroupName/G:policyName/P)
 * exists with this very ARN, 0 when not, -1 with err (an ARN of another
 * shape too). */
int cw_asg_policy_exists(struct cw_client *c, const char *policy_arn,
	struct cw_err *err);

#endif
