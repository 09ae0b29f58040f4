#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "asg.h"
#include "awsjson.h"
#include "buf.h"
#include "endpoint.h"
#include "kms.h"
#include "lambda.h"
#include "policy.h"
#include "pool.h"
#include "sns.h"
#include "banned.h"

#define AWS_SNS_KEY "alias/aws/sns"

/* "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE", split. */
struct arn {
	char service[32], region[64], account[32];
	const char *resource;
};

static int parse_arn(const char *s, struct arn *a)
{
	char *dst[3] = { a->service, a->region, a->account };
	size_t sizes[3] = { sizeof(a->service), sizeof(a->region),
		sizeof(a->account) };
	const char *p, *colon;
	int i;

	if (strncmp(s, "arn:", 4) != 0 || !(p = strchr(s + 4, ':')))
		return -1;
	for (i = 0, p++; i < 3; i++, p = colon + 1) {
		if (!(colon = strchr(p, ':')) || (size_t)(colon - p) >= sizes[i])
			return -1;
		memcpy(dst[i], p, (size_t)(colon - p));
		dst[i][colon - p] = '\0';
	}
	a->resource = p;
	return 0;
}

/* One alarm being checked. */
struct alarm {
	struct cw_actions *a;
	cJSON *problems;	/* where its problems go */
	const char *name, *region;
	const cJSON *def;
	const struct cw_alarmapply_io *io;
	const char *action;	/* the ARN being checked */
	struct arn arn;
	/* The alarm's account: the environment's AccountId, else the
	 * action's. It is the account that publishes or invokes. */
	const char *account;
	char alarm_arn[512];
};

static int problem(struct alarm *al, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int problem(struct alarm *al, const char *fmt, ...)
{
	char why[1024];
	cJSON *p = cJSON_CreateObject();
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!p || !cJSON_AddStringToObject(p, "alarm", al->name)
			|| !cJSON_AddStringToObject(p, "region", al->region)
			|| !cJSON_AddStringToObject(p, "action", al->action)
			|| !cJSON_AddStringToObject(p, "why", why)) {
		cJSON_Delete(p);
		return -1;
	}
	cJSON_AddItemToArray(al->problems, p);
	return 0;
}

int cw_actions_init(struct cw_actions *a)
{
	a->problems = cJSON_CreateArray();
	a->cache = cJSON_CreateObject();
	if (!a->problems || !a->cache) {
		cJSON_Delete(a->problems);
		cJSON_Delete(a->cache);
		a->problems = a->cache = NULL;
		return -1;
	}
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->ready, NULL);
	return 0;
}

void cw_actions_release(struct cw_actions *a)
{
	if (!a->problems)
		return;
	cJSON_Delete(a->problems);
	cJSON_Delete(a->cache);
	a->problems = a->cache = NULL;
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->ready);
}

/* ---- reading, once per thing */

/* Marks a record a thread is reading: no member a read adds. */
#define READING "__reading"

/*
 * The record of kind/region/name, read once for every region's thread.
 * When no thread read it yet, *fill is an object for this one to read it
 * into and hand to settle(); else *fill is NULL and the record is ready,
 * after waiting for the thread reading it. NULL with err when that read
 * failed.
 */
static cJSON *cached(struct alarm *al, const char *kind, const char *region,
	const char *name, cJSON **fill, struct cw_err *err)
{
	struct cw_actions *a = al->a;
	struct cw_buf k = CW_BUF_INIT;
	const char *failed;
	cJSON *rec = NULL;

	*fill = NULL;
	if (cw_buf_addf(&k, "%s\n%s\n%s", kind, region, name) < 0)
		return NULL;
	pthread_mutex_lock(&a->lock);
	rec = cJSON_GetObjectItemCaseSensitive(a->cache, cw_buf_str(&k));
	if (!rec) {
		if ((rec = cJSON_AddObjectToObject(a->cache, cw_buf_str(&k)))
				&& (!cJSON_AddTrueToObject(rec, READING)
				|| !(*fill = cJSON_CreateObject())))
			rec = NULL;	/* no memory: it stays pending */
		goto out;
	}
	while (cJSON_GetObjectItemCaseSensitive(rec, READING))
		pthread_cond_wait(&a->ready, &a->lock);
	if ((failed = cw_awsjson_str(rec, "failed"))) {
		cw_err_set(err, "%s", failed);
		rec = NULL;
	}
out:
	pthread_mutex_unlock(&a->lock);
	cw_buf_release(&k);
	return rec;
}

/* What a read into fill (rc: 0 or -1 with err) found becomes the
 * record's, for the threads waiting on it. Returns rc. */
static int settle(struct alarm *al, cJSON *rec, cJSON *fill, int rc,
	const struct cw_err *err)
{
	struct cw_actions *a = al->a;
	cJSON *x;

	pthread_mutex_lock(&a->lock);
	cJSON_DeleteItemFromObjectCaseSensitive(rec, READING);
	while ((x = fill->child)) {
		cJSON_DetachItemViaPointer(fill, x);
		cJSON_AddItemToObject(rec, x->string, x);
	}
	if (rc < 0)
		cJSON_AddStringToObject(rec, "failed", err->msg[0] ? err->msg
			: "out of memory");
	pthread_cond_broadcast(&a->ready);
	pthread_mutex_unlock(&a->lock);
	cJSON_Delete(fill);
	return rc;
}

/* A client for svc in region once op's turn came; NULL with err. */
static struct cw_client *client(struct alarm *al, const struct cw_service *svc,
	const char *region, const char *op, struct cw_err *err)
{
	const struct cw_alarmapply_io *io = al->io;

	if (io->pace(io->arg, op, err) < 0)
		return NULL;
	cw_err_clear(err);
	return io->client(io->arg, svc, region, err);
}

/* The answers that say something about one topic, key, function or
 * policy (the caller may not read it, the key is disabled, the name is
 * malformed) rather than about the run (credentials, network). */
static const char *const findings[] = {
	"AccessDenied", "AccessDeniedException", "AuthorizationError",
	"KMSInvalidStateException", "InvalidArnException",
	"InvalidParameter", "InvalidParameterValueException", NULL
};

/* After a failed read: a finding is kept as the record's "error", 0;
 * anything else stops the run. */
static int refused(cJSON *rec, const struct cw_err *err)
{
	size_t i;

	for (i = 0; findings[i]; i++)
		if (strcmp(err->code, findings[i]) == 0)
			return cJSON_AddStringToObject(rec, "error", err->msg)
				? 0 : -1;
	return -1;
}

static int add_flag(cJSON *rec, const char *name, int v)
{
	return cJSON_AddBoolToObject(rec, name, v) ? 0 : -1;
}

static int read_topic(struct alarm *al, cJSON *rec, struct cw_err *err)
{
	struct cw_client *c;
	cJSON *attrs;
	long pending;
	int confirmed;

	if (!(c = client(al, &cw_service_sns, al->arn.region,
			"GetTopicAttributes", err)))
		return -1;
	if (cw_sns_topic_attributes(c, al->action, &attrs, err) < 0)
		return strcmp(err->code, "NotFound") == 0
			? add_flag(rec, "missing", 1) : refused(rec, err);
	cJSON_AddItemToObject(rec, "attrs", attrs);
	if (!(c = client(al, &cw_service_sns, al->arn.region,
			"ListSubscriptionsByTopic", err)))
		return -1;
	if (cw_sns_confirmed(c, al->action, &confirmed, &pending, err) < 0) {
		cJSON *subs = cJSON_AddObjectToObject(rec, "subs");

		return subs ? refused(subs, err) : -1;
	}
	return add_flag(rec, "confirmed", confirmed) < 0
		|| !cJSON_AddNumberToObject(rec, "pending", (double)pending)
		? -1 : 0;
}

static int is_alias(const char *key)
{
	return strncmp(key, "alias/", 6) == 0 || strstr(key, ":alias/") != NULL;
}

static int read_key(struct alarm *al, cJSON *rec, const char *region,
	const char *key, struct cw_err *err)
{
	struct cw_client *c;
	char arn[512], *policy;
	int managed = 0;

	if (is_alias(key)) {	/* GetKeyPolicy takes no alias */
		if (!(c = client(al, &cw_service_kms, region, "DescribeKey",
				err)))
			return -1;
		if (cw_kms_describe(c, key, arn, sizeof(arn), &managed,
				err) < 0)
			return strcmp(err->code, "NotFoundException") == 0
				? add_flag(rec, "missing", 1)
				: refused(rec, err);
		key = arn;
	}
	if (add_flag(rec, "managed", managed) < 0
			|| !(c = client(al, &cw_service_kms, region,
			"GetKeyPolicy", err)))
		return -1;
	if (cw_kms_key_policy(c, key, &policy, err) < 0)
		return strcmp(err->code, "NotFoundException") == 0
			? add_flag(rec, "missing", 1) : refused(rec, err);
	rec = cJSON_AddStringToObject(rec, "policy", policy);
	free(policy);
	return rec ? 0 : -1;
}

static int read_function(struct alarm *al, cJSON *rec, const char *name,
	const char *qualifier, struct cw_err *err)
{
	struct cw_client *c;
	char *policy;
	int found;

	if (!(c = client(al, &cw_service_lambda, al->arn.region, "GetPolicy",
			err)))
		return -1;
	if ((found = cw_lambda_policy(c, name, qualifier, &policy, err)) < 0)
		return refused(rec, err);
	if (!cJSON_AddNumberToObject(rec, "found", found))
		found = -1;
	else if (policy && !cJSON_AddStringToObject(rec, "policy", policy))
		found = -1;
	free(policy);
	return found < 0 ? -1 : 0;
}

static int read_scaling_policy(struct alarm *al, cJSON *rec,
	struct cw_err *err)
{
	struct cw_client *c;
	int yes;

	if (!(c = client(al, &cw_service_autoscaling, al->arn.region,
			"DescribePolicies", err)))
		return -1;
	if ((yes = cw_asg_policy_exists(c, al->action, err)) < 0)
		return refused(rec, err);
	return add_flag(rec, "exists", yes);
}

/* ---- judging */

/* The key policy must let CloudWatch use the key for both calls. */
static int judge_key(struct alarm *al, const char *key, const char *policy)
{
	static const char *const need[2] = { "kms:Decrypt",
		"kms:GenerateDataKey" };
	struct cw_policy_ask q = { CW_ACTIONS_CLOUDWATCH, NULL, NULL, NULL,
		al->account, al->alarm_arn };
	struct cw_err err;
	int v[2], i;

	for (i = 0; i < 2; i++) {
		q.action = need[i];
		if ((v[i] = cw_policy_eval(policy, &q, &err)) < 0)
			return problem(al, "the policy of the topic's key %s: %s",
				key, err.msg);
	}
	if (v[0] == CW_POLICY_ALLOWED && v[1] == CW_POLICY_ALLOWED)
		return 0;
	if (v[0] != CW_POLICY_UNSURE && v[1] != CW_POLICY_UNSURE) {
		const char *what = v[0] == CW_POLICY_ALLOWED
			? "kms:GenerateDataKey*" : v[1] == CW_POLICY_ALLOWED
			? "kms:Decrypt" : "kms:Decrypt and kms:GenerateDataKey*";

		if (v[0] == CW_POLICY_DENIED || v[1] == CW_POLICY_DENIED)
			return problem(al, "the policy of the topic's key %s "
				"denies %s to %s: notifications are dropped",
				key, what, CW_ACTIONS_CLOUDWATCH);
		return problem(al, "the policy of the topic's key %s does not "
			"let %s use %s: notifications are dropped", key,
			CW_ACTIONS_CLOUDWATCH, what);
	}
	return problem(al, "cannot tell whether the policy of the topic's key "
		"%s lets %s use kms:Decrypt and kms:GenerateDataKey*: it "
		"grants them under a condition not judged here", key,
		CW_ACTIONS_CLOUDWATCH);
}

static int check_key(struct alarm *al, const char *key, struct cw_err *err)
{
	struct arn k;
	const char *region = al->arn.region;
	cJSON *rec, *fill;

	if (strcmp(key, AWS_SNS_KEY) == 0 || (parse_arn(key, &k) == 0
			&& strcmp(k.resource, AWS_SNS_KEY) == 0))
		return problem(al, "the topic is encrypted with the AWS managed "
			"key %s, which CloudWatch cannot use: notifications are "
			"dropped (use a customer managed key)", AWS_SNS_KEY);
	if (parse_arn(key, &k) == 0)
		region = k.region;
	if (!(rec = cached(al, "kms", region, key, &fill, err))
			|| (fill && settle(al, rec, fill, read_key(al, fill,
			region, key, err), err) < 0))
		return -1;
	if (cw_awsjson_str(rec, "error"))
		return problem(al, "cannot check the topic's key %s: %s", key,
			cw_awsjson_str(rec, "error"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "missing")))
		return problem(al, "the topic's key %s does not exist", key);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "managed")))
		return problem(al, "the topic is encrypted with an AWS managed "
			"key (%s), which CloudWatch cannot use: notifications "
			"are dropped (use a customer managed key)", key);
	return judge_key(al, key, cw_awsjson_str(rec, "policy"));
}

/* The topic policy must let the alarm's account or CloudWatch publish. */
static int judge_topic_policy(struct alarm *al, const char *policy)
{
	struct cw_policy_ask q = { NULL, al->account, "sns:Publish",
		al->action, al->account, al->alarm_arn };
	struct cw_err err;
	int acct, svc;

	if ((acct = cw_policy_eval(policy, &q, &err)) < 0)
		return problem(al, "the topic policy: %s", err.msg);
	q.account = NULL;
	q.service = CW_ACTIONS_CLOUDWATCH;
	svc = cw_policy_eval(policy, &q, &err);
	if (acct == CW_POLICY_ALLOWED || svc == CW_POLICY_ALLOWED)
		return 0;
	if (acct == CW_POLICY_UNSURE || svc == CW_POLICY_UNSURE)
		return problem(al, "cannot tell whether the topic policy lets "
			"account %s or %s publish: it allows sns:Publish under "
			"a condition not judged here", al->account,
			CW_ACTIONS_CLOUDWATCH);
	if (acct == CW_POLICY_DENIED || svc == CW_POLICY_DENIED)
		return problem(al, "the topic policy denies sns:Publish to "
			"account %s or %s", al->account,
			CW_ACTIONS_CLOUDWATCH);
	return problem(al, "the topic policy does not let account %s or %s "
		"publish (sns:Publish)", al->account,
		CW_ACTIONS_CLOUDWATCH);
}

static int judge_subscriptions(struct alarm *al, const cJSON *rec)
{
	const cJSON *subs = cJSON_GetObjectItemCaseSensitive(rec, "subs");
	double pending = cw_awsjson_num(rec, "pending", 0);

	if (subs)
		return problem(al, "cannot check the topic's subscriptions: %s",
			cw_awsjson_str(subs, "error"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "confirmed")))
		return 0;
	if (pending > 0)
		return problem(al, "the topic has no confirmed subscription "
			"(%.0f pending confirmation): nobody is notified",
			pending);
	return problem(al, "the topic has no subscription: nobody is "
		"notified");
}

static int check_topic(struct alarm *al, struct cw_err *err)
{
	const cJSON *attrs;
	const char *key, *policy;
	cJSON *rec, *fill;

	if (strcmp(al->arn.region, al->region) != 0)
		return problem(al, "the topic is in %s, the alarm in %s: "
			"CloudWatch publishes only to a topic in the alarm's "
			"region", al->arn.region, al->region);
	if (!al->io)
		return 0;
	if (!(rec = cached(al, "sns", al->arn.region, al->action, &fill, err))
			|| (fill && settle(al, rec, fill, read_topic(al, fill,
			err), err) < 0))
		return -1;
	if (cw_awsjson_str(rec, "error"))
		return problem(al, "cannot check the topic: %s",
			cw_awsjson_str(rec, "error"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "missing")))
		return problem(al, "the topic does not exist");
	attrs = cJSON_GetObjectItemCaseSensitive(rec, "attrs");
	key = cw_awsjson_str(attrs, "KmsMasterKeyId");
	policy = cw_awsjson_str(attrs, "Policy");
	if (key && *key && check_key(al, key, err) < 0)
		return -1;
	if (policy && *policy && judge_topic_policy(al, policy) < 0)
		return -1;
	return judge_subscriptions(al, rec);
}

static int judge_function(struct alarm *al, const cJSON *rec)
{
	struct cw_policy_ask q = { CW_ACTIONS_LAMBDA_ALARMS, NULL,
		"lambda:InvokeFunction", al->action, al->account,
		al->alarm_arn };
	struct cw_err err;
	int found = (int)cw_awsjson_num(rec, "found", 0), v;

	if (found == CW_LAMBDA_NO_FUNCTION)
		return problem(al, "the function does not exist");
	if (found == CW_LAMBDA_NO_POLICY)
		return problem(al, "the function has no resource policy, so "
			"CloudWatch alarms (%s) may not invoke it",
			CW_ACTIONS_LAMBDA_ALARMS);
	v = cw_policy_eval(cw_awsjson_str(rec, "policy"), &q, &err);
	if (v < 0)
		return problem(al, "the function's policy: %s", err.msg);
	if (v == CW_POLICY_ALLOWED)
		return 0;
	if (v == CW_POLICY_UNSURE)
		return problem(al, "cannot tell whether the function's policy "
			"lets %s invoke it: it allows lambda:InvokeFunction "
			"under a condition not judged here",
			CW_ACTIONS_LAMBDA_ALARMS);
	if (v == CW_POLICY_DENIED)
		return problem(al, "the function's policy denies "
			"lambda:InvokeFunction to %s", CW_ACTIONS_LAMBDA_ALARMS);
	return problem(al, "the function's policy does not let %s invoke it "
		"(lambda:InvokeFunction)", CW_ACTIONS_LAMBDA_ALARMS);
}

static int check_function(struct alarm *al, struct cw_err *err)
{
	char name[256], *qual;
	cJSON *rec, *fill;

	if (!al->io)
		return 0;
	if (strncmp(al->arn.resource, "function:", 9) != 0)
		return problem(al, "not a function ARN");
	snprintf(name, sizeof(name), "%s", al->arn.resource + 9);
	if ((qual = strchr(name, ':')))
		*qual++ = '\0';
	if (!(rec = cached(al, "lambda", al->arn.region, al->action, &fill,
			err)) || (fill && settle(al, rec, fill, read_function(al,
			fill, name, qual, err), err) < 0))
		return -1;
	if (cw_awsjson_str(rec, "error"))
		return problem(al, "cannot check the function: %s",
			cw_awsjson_str(rec, "error"));
	return judge_function(al, rec);
}

static int has_instance(const cJSON *dims)
{
	const cJSON *d;

	cJSON_ArrayForEach(d, dims) {
		const char *n = cw_awsjson_str(d, "Name");

		if (n && strcmp(n, "InstanceId") == 0)
			return 1;
	}
	return 0;
}

/* The alarm's metric, or one of its metric queries, names an instance. */
static int names_instance(const cJSON *def)
{
	const cJSON *q;

	if (has_instance(cJSON_GetObjectItemCaseSensitive(def, "Dimensions")))
		return 1;
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(def, "Metrics"))
		if (has_instance(cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(
				cJSON_GetObjectItemCaseSensitive(q, "MetricStat"),
				"Metric"), "Dimensions")))
			return 1;
	return 0;
}

/* An EC2 action needs its alarm's region and an instance. */
static int check_instance(struct alarm *al)
{
	if (strcmp(al->arn.region, al->region) != 0)
		return problem(al, "the EC2 action is for %s, the alarm in %s",
			al->arn.region, al->region);
	if (!names_instance(al->def))
		return problem(al, "the alarm's metric has no InstanceId "
			"dimension: the EC2 action has no instance to act on");
	return 0;
}

static int check_ec2(struct alarm *al)
{
	static const char *const verbs[] = { "stop", "terminate", "reboot",
		"recover" };
	const char *verb = al->arn.resource;
	size_t i;

	if (strcmp(al->arn.account, "ec2") != 0)
		return 0;
	for (i = 0; i < 4 && strcmp(verb, verbs[i]) != 0; i++)
		;
	if (i == 4)
		return problem(al, "not an EC2 action: expected stop, "
			"terminate, reboot or recover");
	return check_instance(al);
}

/* The older form, arn:aws:swf:R:A:action/actions/AWS_EC2.InstanceId.Stop/1.0,
 * acts on an instance too. */
static int check_swf(struct alarm *al)
{
	if (!strstr(al->arn.resource, "AWS_EC2.InstanceId."))
		return 0;
	return check_instance(al);
}

static int check_scaling(struct alarm *al, struct cw_err *err)
{
	cJSON *rec, *fill;

	if (strcmp(al->arn.region, al->region) != 0)
		return problem(al, "the scaling policy is in %s, the alarm in "
			"%s", al->arn.region, al->region);
	if (!al->io || strncmp(al->arn.resource, "scalingPolicy:", 14) != 0)
		return 0;
	if (!(rec = cached(al, "autoscaling", al->arn.region, al->action,
			&fill, err)) || (fill && settle(al, rec, fill,
			read_scaling_policy(al, fill, err), err) < 0))
		return -1;
	if (cw_awsjson_str(rec, "error"))
		return problem(al, "cannot check the scaling policy: %s",
			cw_awsjson_str(rec, "error"));
	if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "exists")))
		return problem(al, "the scaling policy does not exist");
	return 0;
}

/* One action; -1 when the run must stop. */
static int check_action(struct alarm *al, const char *account,
	struct cw_err *err)
{
	const char *svc = al->arn.service;

	al->account = account && *account ? account : al->arn.account;
	snprintf(al->alarm_arn, sizeof(al->alarm_arn),
		"arn:aws:cloudwatch:%s:%s:alarm:%s", al->region, al->account,
		al->name);
	if (strcmp(svc, "sns") == 0)
		return check_topic(al, err);
	if (strcmp(svc, "lambda") == 0)
		return check_function(al, err);
	if (strcmp(svc, "automate") == 0)
		return check_ec2(al);
	if (strcmp(svc, "swf") == 0)
		return check_swf(al);
	if (strcmp(svc, "autoscaling") == 0)
		return check_scaling(al, err);
	return 0;	/* Systems Manager, Incident Manager: not checked */
}

/* The actions of one alarm, its problems into problems. */
static int check_alarm(struct cw_actions *a, cJSON *problems,
	const char *name, const char *region, const char *account,
	const cJSON *def, const struct cw_alarmapply_io *io, struct cw_err *err)
{
	static const char *const lists[3] = { "AlarmActions", "OKActions",
		"InsufficientDataActions" };
	struct alarm al = { a, problems, name, region, def, io, NULL, { "",
		"", "", NULL }, NULL, "" };
	cJSON *seen = cJSON_CreateObject();
	const cJSON *v;
	int i, rc = 0;

	for (i = 0; rc == 0 && seen && i < 3; i++)
		cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(def,
				lists[i])) {
			/* The same ARN in two lists is one check. */
			if (!cJSON_IsString(v) || cJSON_GetObjectItemCaseSensitive(
					seen, v->valuestring))
				continue;
			cJSON_AddTrueToObject(seen, v->valuestring);
			al.action = v->valuestring;
			if (parse_arn(al.action, &al.arn) < 0)
				rc = problem(&al, "not an ARN");
			else
				rc = check_action(&al, account, err);
			if (rc < 0)
				break;
		}
	if (!seen)
		rc = -1;
	cJSON_Delete(seen);
	if (rc < 0 && !err->msg[0])
		cw_err_set(err, "out of memory");
	return rc;
}

int cw_actions_check_alarm(struct cw_actions *a, const char *name,
	const char *region, const char *account, const cJSON *def,
	const struct cw_alarmapply_io *io, struct cw_err *err)
{
	return check_alarm(a, a->problems, name, region, account, def, io,
		err);
}

/* The alarms of one region, checked by one thread: each alarm's
 * problems in a list of its own, joined in the alarms' order after. */
struct region_check {
	struct cw_actions *a;
	const struct cw_alarmset *sets;
	size_t nsets;
	const struct cw_alarmapply_io *io;
	const char *region;
	cJSON **problems;	/* per item, in the sets' order */
	int rc;
	struct cw_err err;
};

static void check_region(void *arg, size_t k)
{
	struct region_check *r = (struct region_check *)arg + k;
	const struct cw_alarmdef_item *it;
	size_t i, j, n = 0;

	cw_err_clear(&r->err);
	for (i = 0; i < r->nsets; i++)
		for (j = 0; j < r->sets[i].nitems; j++, n++) {
			it = &r->sets[i].items[j];
			if (r->rc < 0 || it->kind == CW_ALARMDEF_FILTER
					|| strcmp(it->region, r->region) != 0)
				continue;
			if (!(r->problems[n] = cJSON_CreateArray()))
				r->rc = cw_err_set(&r->err, "out of memory");
			else
				r->rc = check_alarm(r->a, r->problems[n],
					it->name, it->region,
					r->sets[i].account_id, it->def, r->io,
					&r->err);
		}
}

#define MAX_REGIONS 64

/* The distinct regions of the alarms of the sets, in their order. */
static int alarm_regions(const struct cw_alarmset *sets, size_t nsets,
	const char **out, size_t *n, size_t *nitems, struct cw_err *err)
{
	size_t i, j, k;

	*n = *nitems = 0;
	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].nitems; j++, (*nitems)++) {
			for (k = 0; k < *n && strcmp(out[k],
					sets[i].items[j].region) != 0; k++)
				;
			if (k < *n || sets[i].items[j].kind
					== CW_ALARMDEF_FILTER)
				continue;
			if (*n == MAX_REGIONS)
				return cw_err_set(err, "more than %d regions",
					MAX_REGIONS);
			out[(*n)++] = sets[i].items[j].region;
		}
	return 0;
}

int cw_actions_check(struct cw_actions *a, const struct cw_alarmset *sets,
	size_t nsets, const struct cw_alarmapply_io *io, struct cw_err *err)
{
	const char *r[MAX_REGIONS];
	struct region_check *rc = NULL;
	cJSON **problems = NULL, *p;
	size_t i, n, nitems;
	int status = -1;

	if (alarm_regions(sets, nsets, r, &n, &nitems, err) < 0)
		return -1;
	if (!(rc = calloc(n ? n : 1, sizeof(*rc)))
			|| !(problems = calloc(nitems ? nitems : 1,
				sizeof(*problems)))) {
		cw_err_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		rc[i] = (struct region_check){ .a = a, .sets = sets,
			.nsets = nsets, .io = io, .region = r[i],
			.problems = problems };
	cw_pool_run(n, CW_POOL_MAX, check_region, rc);
	status = 0;
	for (i = 0; status == 0 && i < n; i++)
		if (rc[i].rc < 0) {
			*err = rc[i].err;
			status = -1;
		}
	for (i = 0; status == 0 && i < nitems; i++)
		while (problems[i] && (p = cJSON_DetachItemFromArray(
				problems[i], 0)))
			cJSON_AddItemToArray(a->problems, p);
out:
	for (i = 0; problems && i < nitems; i++)
		cJSON_Delete(problems[i]);
	free(problems);
	free(rc);
	return status;
}
