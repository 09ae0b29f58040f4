#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmapply.h"
#include "tap.h"
#include "banned.h"

static cJSON *tags(const char *json)
{
	return cJSON_Parse(json);
}

static void test_owner(void)
{
	cJSON *t = tags("[{\"Key\":\"ManagedBy\",\"Value\":\"cwkit\"},"
		"{\"Key\":\"cwkit:set\",\"Value\":\"shop/production\"}]");

	ok(cw_alarmapply_owner(t, "shop/production") == CW_ALARMAPPLY_OURS,
		"both tags for this set: ours");
	ok(cw_alarmapply_owner(t, "shop/staging") == CW_ALARMAPPLY_OTHER,
		"both tags for another set: another set's");
	cJSON_Delete(t);
	t = tags("[{\"Key\":\"ManagedBy\",\"Value\":\"cwkit\"}]");
	ok(cw_alarmapply_owner(t, "shop/production") == CW_ALARMAPPLY_UNOWNED,
		"ManagedBy alone: not owned");
	cJSON_Delete(t);
	t = tags("[{\"Key\":\"ManagedBy\",\"Value\":\"terraform\"},"
		"{\"Key\":\"cwkit:set\",\"Value\":\"shop/production\"}]");
	ok(cw_alarmapply_owner(t, "shop/production") == CW_ALARMAPPLY_UNOWNED,
		"another manager: not owned");
	cJSON_Delete(t);
	ok(cw_alarmapply_owner(NULL, "shop/production") == CW_ALARMAPPLY_UNOWNED,
		"no tags: not owned");
}

static char *str(const cJSON *j)
{
	return j ? cJSON_PrintUnformatted(j) : strdup("null");
}

static void test_tag_changes(void)
{
	cJSON *live = tags("[{\"Key\":\"a\",\"Value\":\"1\"},{\"Key\":\"b\","
		"\"Value\":\"2\"},{\"Key\":\"aws:x\",\"Value\":\"y\"}]");
	cJSON *want = tags("[{\"Key\":\"a\",\"Value\":\"1\"},{\"Key\":\"b\","
		"\"Value\":\"3\"},{\"Key\":\"c\",\"Value\":\"\"}]");
	cJSON *add;
	char *s;

	ok(cw_alarmapply_tag_changes(live, want, &add) == 0, "tag changes");
	is_str(s = str(add), "[{\"Key\":\"b\",\"Value\":\"3\"},{\"Key\":\"c\","
		"\"Value\":\"\"}]", "changed and new tags are set");
	free(s);
	cJSON_Delete(add);
	ok(cw_alarmapply_tag_changes(want, live, &add) == 0, "the other way");
	is_str(s = str(add), "[{\"Key\":\"b\",\"Value\":\"2\"}]",
		"only the keys wanted: c, set by another tool, stays");
	free(s);
	cJSON_Delete(add);
	ok(cw_alarmapply_tag_changes(want, want, &add) == 0 && !add,
		"the same tags: no change");
	cJSON_Delete(live);
	cJSON_Delete(want);
}

static const char env_text[] = "{\"Region\":\"us-east-1\","
	"\"Prefixes\":[\"t-\"],\"Vars\":{}}";

#define A(n) "{\"AlarmName\":\"" n "\",\"Namespace\":\"N\"," \
	"\"MetricName\":\"M\",\"Statistic\":\"Sum\",\"Period\":60," \
	"\"EvaluationPeriods\":1,\"Threshold\":1," \
	"\"ComparisonOperator\":\"GreaterThanThreshold\"}"
#define C(n, rule) "{\"AlarmName\":\"" n "\",\"AlarmRule\":\"" rule "\"}"

/* The op names and subjects of a build, one per line. */
static char *ops(const struct cw_alarmapply *a)
{
	size_t i;
	size_t cap = 8192, len = 0;
	char *out = calloc(1, cap);

	for (i = 0; i < a->n; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s\n",
			a->v[i].what);
	return out;
}

static void test_put_order(void)
{
	static const char defs[] = "{\"Alarms\":[" A("t-a") "," A("t-b") "],"
		"\"CompositeAlarms\":["
		C("t-top", "ALARM(t-mid) OR ALARM(t-a)") ","
		C("t-mid", "ALARM(t-low) AND ALARM(t-b)") ","
		C("t-low", "ALARM(t-a)") "]}";
	struct cw_alarmset set;
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan = { 0 };
	struct cw_alarmapply a = { 0 };
	struct cw_err err;
	char *s;

	memset(&set, 0, sizeof(set));
	cw_err_clear(&err);
	ok(cw_alarmset_load_mem(&set, "production", env_text,
		sizeof(env_text) - 1, defs, sizeof(defs) - 1, &errs, &err) == 0,
		"the set loads");
	cw_alarmdiff_live_init(&live);
	cw_alarmdiff_plan(&plan, &set, 1, &live);
	ok(cw_alarmapply_build(&a, &plan, NULL, 0, &err) == 0, "builds");
	is_str(s = ops(&a), "create alarm t-a (us-east-1)\n"
		"create alarm t-b (us-east-1)\n"
		"create composite alarm t-low (us-east-1)\n"
		"create composite alarm t-mid (us-east-1)\n"
		"create composite alarm t-top (us-east-1)\n",
		"metric alarms first, then composites children first");
	free(s);
	ok(cJSON_GetObjectItem(a.v[0].req, "Tags") != NULL,
		"a create carries the ownership tags");
	cw_alarmapply_release(&a);
	cw_alarmdiff_plan_release(&plan);
	cw_alarmdiff_live_release(&live);
	cw_alarmset_release(&set);
	cw_alarmdef_errors_release(&errs);
}

/* A defined alarm equal to its definition but for tags: the plan shows
 * the key the definition names, the build tags it without a Put, and a
 * key no definition names is neither shown nor removed. */
static void test_tag_plan(void)
{
	static const char defs[] = "{\"Alarms\":[{\"AlarmName\":\"t-a\","
		"\"Namespace\":\"N\",\"MetricName\":\"M\",\"Statistic\":\"Sum\","
		"\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":1,"
		"\"ComparisonOperator\":\"GreaterThanThreshold\","
		"\"Tags\":[{\"Key\":\"Team\",\"Value\":\"pay\"}]}]}";
	static const char res[] = "{\"MetricAlarms\":[{\"AlarmName\":\"t-a\","
		"\"AlarmArn\":\"arn:aws:cloudwatch:us-east-1:1:alarm:t-a\","
		"\"Namespace\":\"N\",\"MetricName\":\"M\",\"Statistic\":\"Sum\","
		"\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":1,"
		"\"ComparisonOperator\":\"GreaterThanThreshold\"}]}";
	struct cw_alarmset set;
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan = { 0 };
	struct cw_alarmapply a = { 0 };
	struct cw_buf text = CW_BUF_INIT;
	struct cw_err err;
	cJSON *page = cJSON_Parse(res), *lt[1];
	char *s;

	memset(&set, 0, sizeof(set));
	cw_err_clear(&err);
	ok(cw_alarmset_load_mem(&set, "production", env_text,
		sizeof(env_text) - 1, defs, sizeof(defs) - 1, &errs, &err) == 0,
		"a set with a Team tag loads");
	cw_alarmdiff_live_init(&live);
	cw_alarmdiff_live_add(&live, page, "us-east-1");
	cw_alarmdiff_plan(&plan, &set, 1, &live);
	is_int(plan.n == 1 ? (int)plan.v[0].action : -1, CW_ALARMDIFF_SAME,
		"the fields are in sync");
	lt[0] = tags("[{\"Key\":\"Team\",\"Value\":\"core\"},"
		"{\"Key\":\"CostCenter\",\"Value\":\"42\"},"
		"{\"Key\":\"ManagedBy\",\"Value\":\"cwkit\"},"
		"{\"Key\":\"cwkit:set\",\"Value\":\"mem/production\"}]");
	ok(cw_alarmdiff_tags(&plan.v[0], lt[0]) == 0
		&& plan.v[0].action == CW_ALARMDIFF_CHANGE,
		"a defined key with another value is a change");
	cw_alarmdiff_format_text(&plan, &text, 0);
	is_str(cw_buf_str(&text), "~ alarm t-a (us-east-1)\n"
		"    Tags.Team: \"core\" \xe2\x86\x92 \"pay\"\n"
		"Plan: 0 to add, 1 to change, 0 to delete, 0 unchanged.\n",
		"the plan names the key, old value first");
	ok(cw_alarmapply_build(&a, &plan, lt, 0, &err) == 0, "builds");
	is_str(s = ops(&a), "tag alarm t-a (us-east-1): Team\n",
		"one tag call naming the key, no Put");
	free(s);
	is_str(s = str(cJSON_GetObjectItem(a.v[0].req, "Tags")),
		"[{\"Key\":\"Team\",\"Value\":\"pay\"}]", "it sets Team alone");
	free(s);
	cw_alarmapply_release(&a);
	cw_buf_release(&text);
	cJSON_Delete(lt[0]);
	cJSON_Delete(page);
	cw_alarmdiff_plan_release(&plan);
	cw_alarmdiff_live_release(&live);
	cw_alarmset_release(&set);
	cw_alarmdef_errors_release(&errs);
}

/* A plan of deletions only, built by hand from live alarms. */
static void test_delete_order(void)
{
	struct cw_alarmset set;
	struct cw_alarmdiff_plan plan = { 0 };
	struct cw_alarmapply a = { 0 };
	struct cw_err err;
	cJSON *live = cJSON_CreateArray();
	char names[260][16];
	size_t i;
	char *s;

	memset(&set, 0, sizeof(set));
	set.name = "t/production";
	plan.n = plan.cap = 253;
	plan.v = calloc(plan.cap, sizeof(*plan.v));
	for (i = 0; i < 250; i++) {
		snprintf(names[i], sizeof(names[i]), "t-m%03zu", i);
		plan.v[i].kind = CW_ALARMDEF_METRIC;
	}
	snprintf(names[250], 16, "t-c1");
	snprintf(names[251], 16, "t-c2");
	snprintf(names[252], 16, "t-c0");
	for (i = 0; i < plan.n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "AlarmName", names[i]);
		if (i == 250)
			cJSON_AddStringToObject(o, "AlarmRule", "ALARM(t-c0)");
		if (i == 251)
			cJSON_AddStringToObject(o, "AlarmRule", "ALARM(t-c1) OR ALARM(t-m000)");
		if (i == 252)
			cJSON_AddStringToObject(o, "AlarmRule", "ALARM(t-m001)");
		if (i >= 250)
			plan.v[i].kind = CW_ALARMDEF_COMPOSITE;
		cJSON_AddItemToArray(live, o);
		plan.v[i].action = CW_ALARMDIFF_DELETE;
		plan.v[i].name = names[i];
		plan.v[i].region = "us-east-1";
		plan.v[i].set = &set;
		plan.v[i].live = o;
	}
	cw_err_clear(&err);
	ok(cw_alarmapply_build(&a, &plan, NULL, 0, &err) == 0 && a.n == 0,
		"without prune: no deletion");
	ok(cw_alarmapply_build(&a, &plan, NULL, 1, &err) == 0, "with prune");
	is_int((long long)a.n, 6, "three composites alone, 250 alarms in three calls");
	s = ops(&a);
	ok(strncmp(s, "delete composite alarm t-c2 (us-east-1)\n"
		"delete composite alarm t-c1 (us-east-1)\n"
		"delete composite alarm t-c0 (us-east-1)\n"
		"delete 100 alarms (us-east-1): t-m000, t-m001,", 142) == 0,
		"parents first, then the metric alarms");
	free(s);
	is_int(cJSON_GetArraySize(cJSON_GetObjectItem(a.v[5].req, "AlarmNames")),
		50, "the last batch holds the rest");
	cw_alarmapply_release(&a);

	/* A cycle cannot be ordered. */
	cJSON_ReplaceItemInObject((cJSON *)plan.v[252].live, "AlarmRule",
		cJSON_CreateString("ALARM(t-c2)"));
	ok(cw_alarmapply_build(&a, &plan, NULL, 1, &err) < 0, "a cycle: error");
	ok(strstr(err.msg, "cycle of composite alarms") != NULL, "named as such");
	cw_alarmapply_release(&a);
	free(plan.v);
	cJSON_Delete(live);
}

/* A filter whose log group the read did not find: one line of the text
 * plan naming filter, group and region, logGroupExists false in the
 * JSON, and a call FAILED already that names the reason; the other
 * filter is a call to make. */
static void test_missing_group(void)
{
#define F(n, g) "{\"logGroupName\":\"" g "\",\"filterName\":\"" n "\"," \
	"\"filterPattern\":\"ERROR\",\"metricTransformations\":[{" \
	"\"metricName\":\"M\",\"metricNamespace\":\"N\",\"metricValue\":\"1\"}]}"
	static const char defs[] = "{\"MetricFilters\":[" F("a", "/there") ","
		F("b", "/gone") "]}";
#undef F
	struct cw_alarmset set;
	struct cw_alarmdef_errors errs = { CW_BUF_INIT, 0 };
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan = { 0 };
	struct cw_alarmapply a = { 0 };
	struct cw_buf out = CW_BUF_INIT;
	struct cw_err err;
	cJSON *m;

	memset(&set, 0, sizeof(set));
	cw_err_clear(&err);
	ok(cw_alarmset_load_mem(&set, "production", env_text,
		sizeof(env_text) - 1, defs, sizeof(defs) - 1, &errs, &err) == 0,
		"the set loads");
	cw_alarmdiff_live_init(&live);
	m = cJSON_CreateObject();
	cJSON_AddStringToObject(m, "logGroupName", "/gone");
	cJSON_AddStringToObject(m, "__region", "us-east-1");
	cJSON_AddItemToArray(live.missing, m);
	cw_alarmdiff_plan(&plan, &set, 1, &live);
	ok(plan.n == 2 && !plan.v[0].group_missing && plan.v[1].group_missing,
		"the plan marks the filter on the missing group alone");
	cw_alarmdiff_format_text(&plan, &out, 0);
	is_str(cw_buf_str(&out), "+ metric filter /there a (us-east-1)\n"
		"+ metric filter /gone b (us-east-1)\n"
		"! metric filter b: log group /gone does not exist in us-east-1\n"
		"Plan: 2 to add, 0 to change, 0 to delete, 0 unchanged.\n",
		"text: one line under the filter's");
	cw_buf_release(&out);
	cw_alarmdiff_format_json(&plan, &out);
	ok(strstr(cw_buf_str(&out), "\"filterName\":\"b\",\"Region\":"
		"\"us-east-1\",\"set\":\"mem/production\",\"logGroupExists\":false")
		&& !strstr(strstr(cw_buf_str(&out), "\"logGroupExists\"") + 1,
			"\"logGroupExists\""), "json: logGroupExists false, once");
	cw_buf_release(&out);
	ok(cw_alarmapply_build(&a, &plan, NULL, 0, &err) == 0 && a.n == 2,
		"builds both calls");
	ok(a.v[0].state == CW_ALARMAPPLY_PENDING && !a.v[0].error,
		"the filter on a group that exists is to be made");
	ok(a.v[1].state == CW_ALARMAPPLY_FAILED,
		"the other is failed before it is made");
	is_str(a.v[1].error, "log group /gone does not exist in us-east-1",
		"naming the group and region");
	cw_alarmapply_release(&a);
	cw_alarmdiff_plan_release(&plan);
	cw_alarmdiff_live_release(&live);
	cw_alarmset_release(&set);
	cw_alarmdef_errors_release(&errs);
}

int main(void)
{
	test_owner();
	test_tag_changes();
	test_put_order();
	test_tag_plan();
	test_delete_order();
	test_missing_group();
	return tap_done();
}
