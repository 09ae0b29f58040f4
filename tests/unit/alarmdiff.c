/* Normalization and comparison, each rule both ways: the form AWS
 * echoes is no change, a real change is one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmdef.h"
#include "alarmdiff.h"
#include "tap.h"
#include "banned.h"

static const char env[] = "{\"Region\":\"eu-west-2\",\"Prefixes\":[\"a\"],"
	"\"Vars\":{\"n\":5,\"l\":[\"arn:x:1\",\"arn:x:2\"]}}";

/* The fields of the plan for one definition against one live alarm:
 * "" when unchanged, "+" when created, else "Field,Field". */
static void plan_of(const char *def, const char *live, char *out,
	size_t size)
{
	struct cw_alarmset set;
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	struct cw_alarmdiff_live l;
	struct cw_alarmdiff_plan plan = { NULL, 0, 0 };
	struct cw_err err;
	cJSON *doc = cJSON_Parse(live);
	const cJSON *f;
	size_t n = 0;

	out[0] = '\0';
	cw_err_clear(&err);
	if (cw_alarmset_load_mem(&set, "production", env, sizeof(env) - 1, def,
			strlen(def), &errs, &err) < 0) {
		snprintf(out, size, "error: %.200s%.200s", err.msg,
			cw_buf_str(&errs.text));
		goto out;
	}
	cw_alarmdiff_live_init(&l);
	cw_alarmdiff_live_add(&l, doc, NULL);
	cw_alarmdiff_plan(&plan, &set, 1, &l);
	if (plan.n && plan.v[0].action == CW_ALARMDIFF_CREATE)
		snprintf(out, size, "+");
	else if (plan.n)
		cJSON_ArrayForEach(f, plan.v[0].fields)
			n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "",
				cJSON_GetStringValue(cJSON_GetObjectItem(f, "field")));
	cw_alarmdiff_plan_release(&plan);
	cw_alarmdiff_live_release(&l);
out:
	cJSON_Delete(doc);
	cw_alarmset_release(&set);
	cw_alarmdef_errors_release(&errs);
}

#define BASE "\"AlarmName\":\"a1\",\"Namespace\":\"N\",\"MetricName\":\"M\"," \
	"\"Statistic\":\"Sum\",\"Period\":60,\"EvaluationPeriods\":2," \
	"\"ComparisonOperator\":\"GreaterThanThreshold\""

static void rule(const char *def, const char *echo, const char *real,
	const char *field, const char *name)
{
	char d[2048], l[2048], got[512];

	snprintf(d, sizeof(d), "{\"Alarms\":[{" BASE ",%s}]}", def);
	snprintf(l, sizeof(l), "{\"MetricAlarms\":[{" BASE ",\"StateValue\":"
		"\"ALARM\",\"AlarmArn\":\"arn:aws:cloudwatch:eu-west-2:1:alarm:a1\","
		"%s}]}", echo);
	plan_of(d, l, got, sizeof(got));
	is_str(got, "", name);
	snprintf(l, sizeof(l), "{\"MetricAlarms\":[{" BASE ",%s}]}", real);
	plan_of(d, l, got, sizeof(got));
	is_str(got, field, name);
}

int main(void)
{
	char got[512];

	rule("\"Threshold\":1", "\"Threshold\":1,\"TreatMissingData\":\"missing\"",
		"\"Threshold\":1,\"TreatMissingData\":\"ignore\"",
		"TreatMissingData", "TreatMissingData absent is missing");
	rule("\"Threshold\":1", "\"Threshold\":1,\"DatapointsToAlarm\":2",
		"\"Threshold\":1,\"DatapointsToAlarm\":1", "DatapointsToAlarm",
		"DatapointsToAlarm absent is EvaluationPeriods");
	rule("\"Threshold\":1", "\"Threshold\":1,\"ActionsEnabled\":true",
		"\"Threshold\":1,\"ActionsEnabled\":false", "ActionsEnabled",
		"ActionsEnabled absent is true");
	rule("\"Threshold\":1", "\"Threshold\":1,\"OKActions\":[],"
		"\"AlarmActions\":[],\"InsufficientDataActions\":[]",
		"\"Threshold\":1,\"OKActions\":[\"arn:x:1\"]", "OKActions",
		"action lists absent are empty");
	rule("\"Threshold\":1,\"AlarmActions\":\"${l}\"",
		"\"Threshold\":1,\"AlarmActions\":[\"arn:x:2\",\"arn:x:1\"]",
		"\"Threshold\":1,\"AlarmActions\":[\"arn:x:2\"]", "AlarmActions",
		"action lists are sets");
	rule("\"Threshold\":\"${n}\"", "\"Threshold\":5.0",
		"\"Threshold\":5.5", "Threshold", "thresholds compare as numbers");
	rule("\"Threshold\":1,\"Dimensions\":[{\"Name\":\"b\",\"Value\":\"2\"},"
		"{\"Name\":\"a\",\"Value\":\"1\"}]",
		"\"Threshold\":1,\"Dimensions\":[{\"Name\":\"a\",\"Value\":\"1\"},"
		"{\"Name\":\"b\",\"Value\":\"2\"}]",
		"\"Threshold\":1,\"Dimensions\":[{\"Name\":\"a\",\"Value\":\"1\"}]",
		"Dimensions", "dimensions are sorted");
	rule("\"Threshold\":1", "\"Threshold\":1,\"AlarmDescription\":\"\"",
		"\"Threshold\":1,\"AlarmDescription\":\"x\"", "AlarmDescription",
		"AlarmDescription absent is empty");
	rule("\"Threshold\":1", "\"Threshold\":1,\"StateReason\":\"x\","
		"\"AlarmConfigurationUpdatedTimestamp\":1,\"EvaluationState\":"
		"\"PARTIAL_DATA\",\"SomethingNew\":{}",
		"\"Threshold\":1,\"Unit\":\"None\"", "Unit",
		"read-only and unknown fields are ignored; Unit None is a value");

	plan_of("{\"Alarms\":[{" BASE ",\"Threshold\":1,\"Region\":\"us-east-1\"}]}",
		"{\"MetricAlarms\":[{" BASE ",\"Threshold\":1,\"AlarmArn\":"
		"\"arn:aws:cloudwatch:eu-west-2:1:alarm:a1\"}]}", got, sizeof(got));
	is_str(got, "+", "an alarm of another region is not this one");

	{
		cJSON *names = cw_alarmdef_rule_names("ALARM(\"a b\") OR NOT "
			"OK(arn:aws:cloudwatch:r:1:alarm:c) AND AT_LEAST(2, "
			"ALARM, (d, \"e\")) OR TRUE");
		char *s = cJSON_PrintUnformatted(names);

		is_str(s, "[\"a b\",\"c\",\"d\",\"e\"]", "names in a rule");
		cJSON_free(s);
		cJSON_Delete(names);
	}
	return tap_done();
}
