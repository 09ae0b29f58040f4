#ifndef CW_ACTIONS_H
#define CW_ACTIONS_H

#include <pthread.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "alarmapply.h"
#include "alarmdef.h"
#include "err.h"

/*
 * Whether the actions of alarms can deliver: SNS topics (exists, in the
 * alarm's region, a key CloudWatch may use, a confirmed subscription, a
 * policy that lets the alarm publish), Lambda functions (exist, invokable
 * by CloudWatch alarms), EC2 actions (an InstanceId dimension) and Auto
 * Scaling policies (exist). Each topic, key, function and policy is read
 * once; the reads are kept in the cache for the run.
 */

struct cw_actions {
	/* The problems found, in the order of the alarms and their
	 * actions: [{"alarm", "region", "action", "why"}]. */
	cJSON *problems;
	cJSON *cache;	/* what was read, by "service\nregion\nname" */
	/* The regions are checked at once: the cache is shared, and a
	 * thing one of them is reading is waited for, not read again. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
};

int cw_actions_init(struct cw_actions *a);
void cw_actions_release(struct cw_actions *a);

/*
 * Checks every action of every metric and composite alarm of the sets
 * (items with their region filled), each as an alarm of its set's
 * account (AccountId) when the set names one. io NULL checks only what
 * needs no call (regions, EC2 dimensions). What the service refuses to show
 * (AccessDenied, ...) is a problem, "cannot check: why"; 0 when the run
 * went through, -1 with err when it could not (network, a signal).
 * The alarms of each region are checked by a thread of their own (io is
 * called from several at once), at most CW_POOL_MAX at a time; the
 * problems are in the alarms' order whatever the timing.
 */
int cw_actions_check(struct cw_actions *a, const struct cw_alarmset *sets,
	size_t nsets, const struct cw_alarmapply_io *io, struct cw_err *err);

/* The same for one alarm (its Put request members), for tests. account
 * is the alarm's (an environment's AccountId); NULL or "": the account
 * in each action's ARN. */
int cw_actions_check_alarm(struct cw_actions *a, const char *name,
	const char *region, const char *account, const cJSON *def,
	const struct cw_alarmapply_io *io, struct cw_err *err);

/* The service principals the checks ask about. */
#define CW_ACTIONS_CLOUDWATCH "cloudwatch.amazonaws.com"
#define CW_ACTIONS_LAMBDA_ALARMS "lambda.alarms.cloudwatch.amazonaws.com"

#endif
