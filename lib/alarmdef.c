#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alarmdef.h"
#include "near.h"
#include "pattern.h"
#include "vis.h"
#include "banned.h"

/* ---- the model */

enum ftype { T_STR, T_INT, T_NUM, T_BOOL, T_LIST, T_DIMS, T_TAGS,
	T_METRICS, T_XFORMS };

#define M (1u << CW_ALARMDEF_METRIC)
#define C (1u << CW_ALARMDEF_COMPOSITE)
#define F (1u << CW_ALARMDEF_FILTER)

static const char *const statistics[] = { "SampleCount", "Average", "Sum",
	"Minimum", "Maximum", NULL };
static const char *const comparisons[] = { "GreaterThanOrEqualToThreshold",
	"GreaterThanThreshold", "LessThanThreshold",
	"LessThanOrEqualToThreshold", "LessThanLowerOrGreaterThanUpperThreshold",
	"LessThanLowerThreshold", "GreaterThanUpperThreshold", NULL };
static const char *const treat_missing[] = { "breaching", "notBreaching",
	"ignore", "missing", NULL };
static const char *const low_sample[] = { "evaluate", "ignore", NULL };
static const char *const units[] = { "Seconds", "Microseconds",
	"Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
	"Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
	"Percent", "Count", "Bytes/Second", "Kilobytes/Second",
	"Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
	"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
	"Terabits/Second", "Count/Second", "None", NULL };

struct field {
	const char *name;
	enum ftype type;
	unsigned kinds;
	long lo, hi;		/* string length, number or list size */
	const char *const *enumv;
};

static const struct field fields[] = {
	{ "AlarmName", T_STR, M | C, 1, 255, NULL },
	{ "AlarmDescription", T_STR, M | C, 0, 1024, NULL },
	{ "ActionsEnabled", T_BOOL, M | C, 0, 0, NULL },
	{ "OKActions", T_LIST, M | C, 0, 5, NULL },
	{ "AlarmActions", T_LIST, M | C, 0, 5, NULL },
	{ "InsufficientDataActions", T_LIST, M | C, 0, 5, NULL },
	{ "MetricName", T_STR, M, 1, 255, NULL },
	{ "Namespace", T_STR, M, 1, 255, NULL },
	{ "Statistic", T_STR, M, 1, 255, statistics },
	{ "ExtendedStatistic", T_STR, M, 1, 255, NULL },
	{ "Dimensions", T_DIMS, M, 0, 30, NULL },
	{ "Period", T_INT, M, 1, 0, NULL },
	{ "Unit", T_STR, M, 1, 255, units },
	{ "EvaluationPeriods", T_INT, M, 1, 0, NULL },
	{ "DatapointsToAlarm", T_INT, M, 1, 0, NULL },
	{ "Threshold", T_NUM, M, 0, 0, NULL },
	{ "ComparisonOperator", T_STR, M, 1, 255, comparisons },
	{ "TreatMissingData", T_STR, M, 1, 255, treat_missing },
	{ "EvaluateLowSampleCountPercentile", T_STR, M, 1, 255, low_sample },
	{ "Metrics", T_METRICS, M, 1, 20, NULL },
	{ "ThresholdMetricId", T_STR, M, 1, 255, NULL },
	{ "AlarmRule", T_STR, C, 1, 10240, NULL },
	{ "ActionsSuppressor", T_STR, C, 1, 1600, NULL },
	{ "ActionsSuppressorWaitPeriod", T_INT, C, 0, 0, NULL },
	{ "ActionsSuppressorExtensionPeriod", T_INT, C, 0, 0, NULL },
	{ "Tags", T_TAGS, M | C, 0, 50, NULL },
	{ "logGroupName", T_STR, F, 1, 512, NULL },
	{ "filterName", T_STR, F, 1, 512, NULL },
	{ "filterPattern", T_STR, F, 0, 1024, NULL },
	{ "metricTransformations", T_XFORMS, F, 1, 1, NULL },
	{ "Environments", T_LIST, M | C | F, 1, 100, NULL },
	{ "Region", T_STR, M | C | F, 1, 64, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static const struct field *field_of(const char *name)
{
	const struct field *f;

	for (f = fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The member of a definition of one of kinds (a mask of 1u << kind)
 * nearest to a misspelt name. */
static const char *near_field(const char *name, unsigned kinds)
{
	const struct field *f;
	struct cw_near n;

	cw_near_init(&n, name, strlen(name));
	for (f = fields; f->name; f++)
		if (f->kinds & kinds)
			cw_near_try(&n, f->name);
	return n.best;
}

/* The name of e (NULL-terminated) nearest to s, or NULL. */
static const char *near_enum(const char *const *e, const char *s)
{
	struct cw_near n;

	cw_near_init(&n, s, strlen(s));
	for (; *e; e++)
		cw_near_try(&n, *e);
	return n.best;
}

static const char *kind_word(enum cw_alarmdef_kind k)
{
	return k == CW_ALARMDEF_COMPOSITE ? "composite alarm"
		: k == CW_ALARMDEF_FILTER ? "metric filter" : "alarm";
}

/* ---- errors */

void cw_alarmdef_error(struct cw_alarmdef_errors *errs,
	struct cw_alarmset *set, const cJSON *node, const char *item,
	const char *field, const char *fmt, ...)
{
	const struct cw_jsonpos_loc *l = cw_jsonpos_get(&set->pos, node);
	va_list ap;
	char why[512];

	errs->count++;
	if (errs->count > CW_ALARMDEF_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* Values quoted from a file never reach a terminal raw. */
	cw_vis_mask(why, CW_VIS_LINE | CW_VIS_UTF8);
	if (l)
		cw_buf_addf(&errs->text, "%s:%d:%d: ", l->file, l->line, l->col);
	else
		cw_buf_addf(&errs->text, "%s: ", set->dir ? set->dir : "?");
	if (item)
		cw_buf_addf(&errs->text, "%s: ", item);
	if (field)
		cw_buf_addf(&errs->text, "%s: ", field);
	cw_buf_addf(&errs->text, "%s\n", why);
}

void cw_alarmdef_errors_release(struct cw_alarmdef_errors *errs)
{
	cw_buf_release(&errs->text);
	errs->count = 0;
}

/* What a check reports on: the item's label for messages. */
struct ctx {
	struct cw_alarmset *set;
	struct cw_alarmdef_errors *errs;
	const char *env;
	const cJSON *vars;
	enum cw_alarmdef_kind kind;
	char label[320];	/* alarm "name" */
};

#define ERR(x, node, field, ...) \
	cw_alarmdef_error((x)->errs, (x)->set, (node), \
		(x)->label[0] ? (x)->label : NULL, (field), \
		__VA_ARGS__)

static void set_label(struct ctx *x, const cJSON *def)
{
	const char *key = x->kind == CW_ALARMDEF_FILTER ? "filterName"
		: "AlarmName";
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(def, key);
	char name[260];

	snprintf(name, sizeof(name), "%s",
		cJSON_IsString(n) ? n->valuestring : "?");
	cw_vis_mask(name, CW_VIS_LINE | CW_VIS_UTF8);
	snprintf(x->label, sizeof(x->label), "%s \"%s\"", kind_word(x->kind),
		name);
}

/* ---- basic checks */

static long utf8_chars(const char *s)
{
	long n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int in_enum(const char *const *e, const char *s)
{
	for (; *e; e++)
		if (strcmp(*e, s) == 0)
			return 1;
	return 0;
}

static int numeric_text(const char *s)
{
	char *end;

	if (!*s || isspace((unsigned char)*s))
		return 0;
	(void)strtod(s, &end);
	return *end == '\0';
}

static const char *type_name(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsArray(v))
		return "a list";
	if (cJSON_IsObject(v))
		return "an object";
	return "null";
}

/* 0 when v has the JSON type the field takes. */
static int want_type(struct ctx *x, const cJSON *v, const char *field,
	enum ftype t)
{
	int ok;
	const char *want;

	switch (t) {
	case T_STR: ok = cJSON_IsString(v); want = "a string"; break;
	case T_INT: case T_NUM:
		ok = cJSON_IsNumber(v); want = "a number"; break;
	case T_BOOL: ok = cJSON_IsBool(v); want = "true or false"; break;
	case T_XFORMS: case T_LIST: case T_DIMS: case T_TAGS: case T_METRICS:
		ok = cJSON_IsArray(v); want = "a list"; break;
	default: ok = 0; want = "?"; break;
	}
	if (ok)
		return 0;
	if ((t == T_INT || t == T_NUM) && cJSON_IsString(v)
			&& numeric_text(v->valuestring))
		ERR(x, v, field, "expected a JSON number, not the string \"%s\"",
			v->valuestring);
	else
		ERR(x, v, field, "expected %s, not %s", want, type_name(v));
	return -1;
}

static int check_string(struct ctx *x, const cJSON *v, const char *field,
	long lo, long hi, const char *const *e)
{
	long n;

	if (want_type(x, v, field, T_STR) < 0)
		return -1;
	if (e && !in_enum(e, v->valuestring)) {
		ERR(x, v, field, "\"%.80s\" is not one of the values the API "
			"takes (%s, ...)", v->valuestring, e[0]);
		return -1;
	}
	n = utf8_chars(v->valuestring);
	if (n < lo || (hi && n > hi)) {
		ERR(x, v, field, "length %ld, must be %ld to %ld", n, lo, hi);
		return -1;
	}
	return 0;
}

static int check_int(struct ctx *x, const cJSON *v, const char *field,
	long lo)
{
	if (want_type(x, v, field, T_INT) < 0)
		return -1;
	if (v->valuedouble != floor(v->valuedouble) || v->valuedouble > 1e9
			|| v->valuedouble < lo) {
		ERR(x, v, field, "%g: expected a whole number of at least %ld",
			v->valuedouble, lo);
		return -1;
	}
	return 0;
}

static int period_ok(double p, int small)
{
	long n;

	/* a definition's 1e300 never reaches the conversion */
	if (!(p >= 1 && p <= 1e9) || p != floor(p))
		return 0;
	n = (long)p;

	if (small && (n == 1 || n == 5))
		return 1;
	return n == 10 || n == 20 || n == 30 || (n >= 60 && n % 60 == 0);
}

static int digits(const char **s, int max)
{
	int n = 0;

	while (isdigit((unsigned char)**s) && n < max + 1)
		(*s)++, n++;
	return n > 0 && n <= max;
}

/* NN or NN.N…, at most 100. */
static int percent_ok(const char **s)
{
	const char *b = *s;

	if (!digits(s, 3))
		return 0;
	if (**s == '.') {
		(*s)++;
		if (!digits(s, 10))
			return 0;
	}
	return strtod(b, NULL) <= 100;
}

/* pNN, tmNN, IQM, PR(a:b), TM(a%:b%) and friends, as the API takes them. */
static int extended_stat_ok(const char *s)
{
	static const char *const lower[] = { "p", "tm", "tc", "ts", "wm", NULL };
	static const char *const upper[] = { "TM", "TC", "TS", "WM", NULL };
	size_t i, n;

	if (strcmp(s, "IQM") == 0)
		return 1;
	for (i = 0; lower[i]; i++) {
		n = strlen(lower[i]);
		if (strncmp(s, lower[i], n) == 0 && isdigit((unsigned char)s[n])) {
			s += n;
			return percent_ok(&s) && !*s;
		}
	}
	if (strncmp(s, "PR(", 3) == 0) {
		s += 3;
		n = strspn(s, "0123456789.:");
		return n > 1 && strchr(s, ':') && strcmp(s + n, ")") == 0;
	}
	for (i = 0; upper[i]; i++)
		if (strncmp(s, upper[i], 2) == 0 && s[2] == '(') {
			s += 3;
			if (*s != ':' && (!percent_ok(&s) || *s++ != '%'))
				return 0;
			if (*s++ != ':')
				return 0;
			if (*s != ')' && (!percent_ok(&s) || *s++ != '%'))
				return 0;
			return strcmp(s, ")") == 0;
		}
	return 0;
}

static int stat_ok(const char *s)
{
	return in_enum(statistics, s) || extended_stat_ok(s);
}

/* ---- structured members */

static const char *smem(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void check_actions(struct ctx *x, const cJSON *v, const char *field,
	long max)
{
	const cJSON *a;
	int n = cJSON_GetArraySize(v);

	if (n > max)
		ERR(x, v, field, "%d actions, at most %ld", n, max);
	cJSON_ArrayForEach(a, v)
		if (check_string(x, a, field, 1, 1024, NULL) == 0
				&& strncmp(a->valuestring, "arn:", 4) != 0)
			ERR(x, a, field, "\"%.80s\" is not an ARN",
				a->valuestring);
}

static int only_keys(struct ctx *x, const cJSON *obj, const char *field,
	const char *const *keys)
{
	const cJSON *m;
	const char *near;
	int bad = 0;

	if (!cJSON_IsObject(obj)) {
		ERR(x, obj, field, "expected an object, not %s", type_name(obj));
		return -1;
	}
	cJSON_ArrayForEach(m, obj)
		if (!in_enum(keys, m->string)) {
			near = near_enum(keys, m->string);
			ERR(x, m, field, "unknown member \"%.64s\"%s%s%s",
				m->string, near ? ": did you mean " : "",
				near ? near : "", near ? "?" : "");
			bad = 1;
		}
	return bad ? -1 : 0;
}

static void check_dims(struct ctx *x, const cJSON *v, const char *field)
{
	static const char *const keys[] = { "Name", "Value", NULL };
	const cJSON *d, *e, *n, *val;

	if (cJSON_GetArraySize(v) > 30)
		ERR(x, v, field, "%d dimensions, at most 30",
			cJSON_GetArraySize(v));
	cJSON_ArrayForEach(d, v) {
		if (only_keys(x, d, field, keys) < 0)
			continue;
		n = cJSON_GetObjectItemCaseSensitive(d, "Name");
		val = cJSON_GetObjectItemCaseSensitive(d, "Value");
		if (!n || !val) {
			ERR(x, d, field, "a dimension needs Name and Value");
			continue;
		}
		if (check_string(x, n, field, 1, 255, NULL) < 0
				|| check_string(x, val, field, 1, 1024, NULL) < 0)
			continue;
		for (e = v->child; e != d; e = e->next) {
			const char *en = smem(e, "Name");

			if (en && strcmp(en, n->valuestring) == 0)
				ERR(x, n, field, "dimension \"%.64s\" given twice",
					n->valuestring);
		}
	}
}

static void check_tags(struct ctx *x, const cJSON *v, const char *field)
{
	static const char *const keys[] = { "Key", "Value", NULL };
	const cJSON *t, *k, *val;

	if (cJSON_GetArraySize(v) > 50)
		ERR(x, v, field, "%d tags, at most 50", cJSON_GetArraySize(v));
	cJSON_ArrayForEach(t, v) {
		if (only_keys(x, t, field, keys) < 0)
			continue;
		k = cJSON_GetObjectItemCaseSensitive(t, "Key");
		val = cJSON_GetObjectItemCaseSensitive(t, "Value");
		if (!k || !val) {
			ERR(x, t, field, "a tag needs Key and Value");
			continue;
		}
		if (check_string(x, k, field, 1, 128, NULL) == 0
				&& strncasecmp(k->valuestring, "aws:", 4) == 0)
			ERR(x, k, field, "the prefix aws: is reserved");
		check_string(x, val, field, 0, 256, NULL);
	}
}

static int metric_id_ok(const char *s)
{
	if (!islower((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static void check_metric_stat(struct ctx *x, const cJSON *ms)
{
	static const char *const keys[] = { "Metric", "Period", "Stat", "Unit",
		NULL };
	static const char *const mkeys[] = { "Namespace", "MetricName",
		"Dimensions", NULL };
	const char *f = "Metrics.MetricStat";
	const cJSON *m, *p, *st, *v;

	if (only_keys(x, ms, f, keys) < 0)
		return;
	m = cJSON_GetObjectItemCaseSensitive(ms, "Metric");
	p = cJSON_GetObjectItemCaseSensitive(ms, "Period");
	st = cJSON_GetObjectItemCaseSensitive(ms, "Stat");
	if (!m || !p || !st)
		ERR(x, ms, f, "Metric, Period and Stat are required");
	if (p && check_int(x, p, "Metrics.MetricStat.Period", 1) == 0
			&& !period_ok(p->valuedouble, 1))
		ERR(x, p, "Metrics.MetricStat.Period", "%g: must be 1, 5, 10, "
			"20, 30 or a multiple of 60", p->valuedouble);
	if (st && check_string(x, st, "Metrics.MetricStat.Stat", 1, 255,
			NULL) == 0 && !stat_ok(st->valuestring))
		ERR(x, st, "Metrics.MetricStat.Stat", "\"%.64s\" is not a "
			"statistic", st->valuestring);
	if ((v = cJSON_GetObjectItemCaseSensitive(ms, "Unit")))
		check_string(x, v, "Metrics.MetricStat.Unit", 1, 255, units);
	if (!m || only_keys(x, m, "Metrics.MetricStat.Metric", mkeys) < 0)
		return;
	if ((v = cJSON_GetObjectItemCaseSensitive(m, "Namespace")))
		check_string(x, v, "Metrics.MetricStat.Metric.Namespace", 1, 255,
			NULL);
	if ((v = cJSON_GetObjectItemCaseSensitive(m, "MetricName")))
		check_string(x, v, "Metrics.MetricStat.Metric.MetricName", 1,
			255, NULL);
	if ((v = cJSON_GetObjectItemCaseSensitive(m, "Dimensions"))
			&& want_type(x, v, "Metrics.MetricStat.Metric.Dimensions",
				T_DIMS) == 0)
		check_dims(x, v, "Metrics.MetricStat.Metric.Dimensions");
}

/* One MetricDataQuery; returns 1 when it returns data. */
static int check_query(struct ctx *x, const cJSON *q, const cJSON *list)
{
	static const char *const keys[] = { "Id", "MetricStat", "Expression",
		"Label", "ReturnData", "Period", "AccountId", NULL };
	const cJSON *id, *ms, *ex, *rd, *v, *o;

	if (only_keys(x, q, "Metrics", keys) < 0)
		return 0;
	id = cJSON_GetObjectItemCaseSensitive(q, "Id");
	if (!id)
		ERR(x, q, "Metrics", "a query needs an Id");
	else if (check_string(x, id, "Metrics.Id", 1, 255, NULL) == 0) {
		if (!metric_id_ok(id->valuestring))
			ERR(x, id, "Metrics.Id", "\"%.64s\" must start with a "
				"lowercase letter and hold only letters, digits "
				"and _", id->valuestring);
		for (o = list->child; o != q; o = o->next)
			if (smem(o, "Id") && strcmp(smem(o, "Id"),
					id->valuestring) == 0)
				ERR(x, id, "Metrics.Id", "\"%.64s\" used twice",
					id->valuestring);
	}
	ms = cJSON_GetObjectItemCaseSensitive(q, "MetricStat");
	ex = cJSON_GetObjectItemCaseSensitive(q, "Expression");
	if (!ms == !ex)
		ERR(x, q, "Metrics", "a query needs exactly one of MetricStat "
			"and Expression");
	if (ms)
		check_metric_stat(x, ms);
	if (ex)
		check_string(x, ex, "Metrics.Expression", 1, 2048, NULL);
	if ((v = cJSON_GetObjectItemCaseSensitive(q, "Label")))
		check_string(x, v, "Metrics.Label", 0, 2048, NULL);
	if ((v = cJSON_GetObjectItemCaseSensitive(q, "AccountId")))
		check_string(x, v, "Metrics.AccountId", 1, 255, NULL);
	if ((v = cJSON_GetObjectItemCaseSensitive(q, "Period"))
			&& check_int(x, v, "Metrics.Period", 1) == 0
			&& !period_ok(v->valuedouble, 1))
		ERR(x, v, "Metrics.Period", "%g: must be 1, 5, 10, 20, 30 or a "
			"multiple of 60", v->valuedouble);
	rd = cJSON_GetObjectItemCaseSensitive(q, "ReturnData");
	if (rd && want_type(x, rd, "Metrics.ReturnData", T_BOOL) < 0)
		return 0;
	/* Absent means true, as GetMetricData and the service read it. */
	return !rd || cJSON_IsTrue(rd);
}

static void check_metrics(struct ctx *x, const cJSON *v, const cJSON *def)
{
	const cJSON *q, *tid = cJSON_GetObjectItemCaseSensitive(def,
		"ThresholdMetricId");
	int n = cJSON_GetArraySize(v), returning = 0, found = 0, r;

	if (n < 1 || n > 20)
		ERR(x, v, "Metrics", "%d queries, must be 1 to 20", n);
	cJSON_ArrayForEach(q, v) {
		r = check_query(x, q, v);
		if (cJSON_IsString(tid) && smem(q, "Id")
				&& strcmp(smem(q, "Id"), tid->valuestring) == 0) {
			found = 1;
			if (!r)
				ERR(x, q, "Metrics", "the anomaly band \"%.64s\" "
					"must return data", tid->valuestring);
			continue;	/* the band returns data beside one */
		}
		returning += r;
	}
	if (n > 0 && returning != 1)
		ERR(x, v, "Metrics", "%d queries return data (ReturnData true or "
			"absent)%s; exactly one must", returning,
			cJSON_IsString(tid) ? " besides the band" : "");
	if (cJSON_IsString(tid) && !found)
		ERR(x, tid, "ThresholdMetricId", "\"%.64s\" is no Id of Metrics",
			tid->valuestring);
}

static void check_xforms(struct ctx *x, const cJSON *v)
{
	static const char *const keys[] = { "metricName", "metricNamespace",
		"metricValue", "defaultValue", "dimensions", "unit", NULL };
	const char *f = "metricTransformations";
	const cJSON *t, *m, *d;
	static const char *const req[] = { "metricName", "metricNamespace",
		"metricValue" };
	size_t i;

	if (cJSON_GetArraySize(v) != 1)
		ERR(x, v, f, "exactly one transformation is allowed");
	cJSON_ArrayForEach(t, v) {
		if (only_keys(x, t, f, keys) < 0)
			continue;
		for (i = 0; i < 3; i++) {
			m = cJSON_GetObjectItemCaseSensitive(t, req[i]);
			if (!m)
				ERR(x, t, f, "%s is required", req[i]);
			else if (check_string(x, m, f, 1, i == 2 ? 100 : 255,
					NULL) == 0 && i < 2
					&& strpbrk(m->valuestring, ":*$"))
				ERR(x, m, f, "%s must not hold :, * or $", req[i]);
		}
		if ((m = cJSON_GetObjectItemCaseSensitive(t, "defaultValue")))
			want_type(x, m, "metricTransformations.defaultValue",
				T_NUM);
		if ((m = cJSON_GetObjectItemCaseSensitive(t, "unit")))
			check_string(x, m, "metricTransformations.unit", 1, 255,
				units);
		if (!(d = cJSON_GetObjectItemCaseSensitive(t, "dimensions")))
			continue;
		if (!cJSON_IsObject(d)) {
			ERR(x, d, "metricTransformations.dimensions", "expected an "
				"object of names and values");
			continue;
		}
		if (cJSON_GetArraySize(d) > 3)
			ERR(x, d, "metricTransformations.dimensions", "at most 3");
		cJSON_ArrayForEach(m, d)
			check_string(x, m, "metricTransformations.dimensions", 1,
				255, NULL);
	}
}

static void check_member(struct ctx *x, const cJSON *m, const cJSON *def,
	const struct field *f)
{
	if (want_type(x, m, f->name, f->type) < 0)
		return;
	switch (f->type) {
	case T_STR:
		check_string(x, m, f->name, f->lo, f->hi, f->enumv);
		break;
	case T_INT:
		check_int(x, m, f->name, f->lo);
		break;
	case T_LIST:
		check_actions(x, m, f->name, f->hi);
		break;
	case T_DIMS:
		check_dims(x, m, f->name);
		break;
	case T_TAGS:
		check_tags(x, m, f->name);
		break;
	case T_METRICS:
		check_metrics(x, m, def);
		break;
	case T_XFORMS:
		check_xforms(x, m);
		break;
	default:
		break;
	}
}

/* A region name goes into a host name: letters, digits and dashes. */
static void check_region(struct ctx *x, const cJSON *v)
{
	const char *s;

	if (check_string(x, v, "Region", 1, 64, NULL) < 0)
		return;
	for (s = v->valuestring; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s)
				&& *s != '-') {
			ERR(x, v, "Region", "\"%.64s\" is not a region name",
				v->valuestring);
			return;
		}
}

/* AccountId: twelve digits, as the account ids STS answers. */
static void check_account(struct ctx *x, const cJSON *v)
{
	const char *s;

	if (check_string(x, v, "AccountId", 12, 12, NULL) < 0)
		return;
	for (s = v->valuestring; *s; s++)
		if (!isdigit((unsigned char)*s)) {
			ERR(x, v, "AccountId", "\"%.64s\" is not an account "
				"id (12 digits)", v->valuestring);
			return;
		}
}

/* RoleArn: arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME. */
static void check_role_arn(struct ctx *x, const cJSON *v)
{
	const char *s, *p;

	if (check_string(x, v, "RoleArn", 20, 2048, NULL) < 0)
		return;
	s = v->valuestring;
	p = strchr(s + 4, ':');
	if (strncmp(s, "arn:", 4) != 0 || !p || strncmp(p, ":iam::", 6) != 0
			|| strspn(p + 6, "0123456789") != 12
			|| strncmp(p + 18, ":role/", 6) != 0 || !p[24]
			|| p[strlen(p) - 1] == '/')
		ERR(x, v, "RoleArn", "\"%.128s\" is not an IAM role ARN "
			"(arn:aws:iam::ACCOUNT:role/NAME)", s);
}

/* ---- the rules between members */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int is_anomaly_op(const char *op)
{
	return op && (strcmp(op, "LessThanLowerOrGreaterThanUpperThreshold") == 0
		|| strcmp(op, "LessThanLowerThreshold") == 0
		|| strcmp(op, "GreaterThanUpperThreshold") == 0);
}

static void need(struct ctx *x, const cJSON *def, const char *k)
{
	if (!get(def, k))
		ERR(x, def, k, "required");
}

static void check_single_metric(struct ctx *x, const cJSON *def)
{
	const cJSON *st = get(def, "Statistic"), *ext = get(def,
		"ExtendedStatistic"), *p = get(def, "Period"), *ns;

	need(x, def, "Namespace");
	need(x, def, "Period");
	if (!st == !ext)
		ERR(x, def, "Statistic", "exactly one of Statistic and "
			"ExtendedStatistic is required");
	if (cJSON_IsString(ext) && !extended_stat_ok(ext->valuestring))
		ERR(x, ext, "ExtendedStatistic", "\"%.64s\" is not a percentile "
			"or trimmed statistic", ext->valuestring);
	if (cJSON_IsNumber(p) && !period_ok(p->valuedouble, 0))
		ERR(x, p, "Period", "%g: must be 10, 20, 30 or a multiple of 60",
			p->valuedouble);
	ns = get(def, "Namespace");
	if (cJSON_IsString(ns) && ns->valuestring[0] == ':')
		ERR(x, ns, "Namespace", "must not start with ':'");
}

static void check_metric_rules(struct ctx *x, const cJSON *def)
{
	static const char *const single[] = { "MetricName", "Namespace",
		"Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
		NULL };
	const cJSON *op = get(def, "ComparisonOperator");
	const cJSON *n = get(def, "EvaluationPeriods");
	const cJSON *m = get(def, "DatapointsToAlarm"), *p = get(def, "Period");
	const char *const *k;

	need(x, def, "EvaluationPeriods");
	need(x, def, "ComparisonOperator");
	if (get(def, "Metrics")) {
		for (k = single; *k; k++)
			if (get(def, *k))
				ERR(x, get(def, *k), *k, "not allowed with Metrics");
	} else if (get(def, "MetricName"))
		check_single_metric(x, def);
	else
		ERR(x, def, "MetricName", "one of MetricName and Metrics is "
			"required");
	if (cJSON_IsString(op) && is_anomaly_op(op->valuestring)) {
		if (!get(def, "ThresholdMetricId"))
			ERR(x, op, "ComparisonOperator", "%s needs "
				"ThresholdMetricId", op->valuestring);
		if (get(def, "Threshold"))
			ERR(x, get(def, "Threshold"), "Threshold", "not allowed "
				"with an anomaly detection band");
	} else if (cJSON_IsString(op)) {
		if (get(def, "ThresholdMetricId"))
			ERR(x, get(def, "ThresholdMetricId"), "ThresholdMetricId",
				"needs an anomaly band ComparisonOperator");
		need(x, def, "Threshold");
	}
	if (cJSON_IsNumber(m) && cJSON_IsNumber(n)
			&& m->valuedouble > n->valuedouble)
		ERR(x, m, "DatapointsToAlarm", "%g is more than "
			"EvaluationPeriods (%g)", m->valuedouble, n->valuedouble);
	if (cJSON_IsNumber(p) && cJSON_IsNumber(n)) {
		double limit = p->valuedouble < 3600 ? 86400 : 604800;

		if (p->valuedouble * n->valuedouble > limit)
			ERR(x, n, "EvaluationPeriods", "Period x EvaluationPeriods "
				"is %g s, at most %g", p->valuedouble
				* n->valuedouble, limit);
	}
}

static int rule_parens_ok(const char *s)
{
	int depth = 0, quoted = 0;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*s == '(')
			depth++;
		else if (*s == ')' && --depth < 0)
			return 0;
	}
	return depth == 0 && !quoted;
}

static void check_composite_rules(struct ctx *x, const cJSON *def)
{
	const cJSON *r = get(def, "AlarmRule"), *s = get(def,
		"ActionsSuppressor");
	const char *w[] = { "ActionsSuppressorWaitPeriod",
		"ActionsSuppressorExtensionPeriod" };
	size_t n, i;

	need(x, def, "AlarmRule");
	if (cJSON_IsString(r) && (n = strlen(r->valuestring)) > 0) {
		if (isspace((unsigned char)r->valuestring[0])
				|| isspace((unsigned char)r->valuestring[n - 1]))
			ERR(x, r, "AlarmRule", "leading or trailing whitespace");
		if (!rule_parens_ok(r->valuestring))
			ERR(x, r, "AlarmRule", "unbalanced parentheses or quotes");
	}
	for (i = 0; i < 2; i++)
		if (s && !get(def, w[i]))
			ERR(x, s, w[i], "required with ActionsSuppressor");
		else if (!s && get(def, w[i]))
			ERR(x, get(def, w[i]), w[i], "only with ActionsSuppressor");
}

static void check_filter_rules(struct ctx *x, const cJSON *def)
{
	const cJSON *n = get(def, "filterName"), *p = get(def, "filterPattern");
	struct cw_pattern *pat;
	struct cw_err e;
	int col = 0;

	need(x, def, "logGroupName");
	need(x, def, "filterName");
	need(x, def, "filterPattern");
	need(x, def, "metricTransformations");
	if (cJSON_IsString(n) && strpbrk(n->valuestring, ":*"))
		ERR(x, n, "filterName", "must not hold : or *");
	if (!cJSON_IsString(p))
		return;
	cw_err_clear(&e);
	pat = cw_pattern_compile(p->valuestring, strlen(p->valuestring), &col,
		&e);
	if (!pat)
		ERR(x, p, "filterPattern", "column %d: %s", col, e.msg);
	cw_pattern_free(pat);
}

static void check_name(struct ctx *x, const cJSON *def)
{
	const cJSON *n = get(def, "AlarmName");
	const char *s;

	if (!n) {
		ERR(x, def, "AlarmName", "required");
		return;
	}
	if (!cJSON_IsString(n))
		return;
	for (s = n->valuestring; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f) {
			ERR(x, n, "AlarmName", "control character");
			return;
		}
	if (x->set->nprefixes && !cw_alarmset_owns_name(x->set,
			n->valuestring))
		ERR(x, n, "AlarmName", "does not start with a prefix of the "
			"set (%s%s)", x->set->prefixes[0],
			x->set->nprefixes > 1 ? ", ..." : "");
}

static void check_item(struct ctx *x, const cJSON *def)
{
	const cJSON *m;
	const struct field *f;
	const char *near;

	cJSON_ArrayForEach(m, def) {
		f = field_of(m->string);
		near = f && (f->kinds & (1u << x->kind)) ? NULL
			: near_field(m->string, 1u << x->kind);
		if (!f || !(f->kinds & (1u << x->kind)))
			ERR(x, m, m->string, "not a member of %s%s%s%s",
				x->kind == CW_ALARMDEF_METRIC ? "PutMetricAlarm"
				: x->kind == CW_ALARMDEF_COMPOSITE
				? "PutCompositeAlarm" : "PutMetricFilter",
				near ? ": did you mean " : "", near ? near : "",
				near ? "?" : "");
		else
			check_member(x, m, def, f);
	}
	if (x->kind == CW_ALARMDEF_METRIC) {
		check_name(x, def);
		check_metric_rules(x, def);
	} else if (x->kind == CW_ALARMDEF_COMPOSITE) {
		check_name(x, def);
		check_composite_rules(x, def);
	} else
		check_filter_rules(x, def);
}

/* ---- ${var} substitution */

static int var_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.';
}

/* Length of "${name}" at s, 0 when s does not start one. */
static size_t var_ref(const char *s, char *name, size_t size)
{
	size_t n = 2;

	if (s[0] != '$' || s[1] != '{')
		return 0;
	while (var_name_char(s[n]))
		n++;
	if (s[n] != '}' || n == 2 || n - 2 >= size)
		return 0;
	memcpy(name, s + 2, n - 2);
	name[n - 2] = '\0';
	return n + 1;
}

/* Makes node (keeping its key and position) a copy of val. */
static int become(struct ctx *x, cJSON *node, const cJSON *val)
{
	cJSON *d = cJSON_Duplicate(val, 1), *c;

	if (!d)
		return -1;
	if (cJSON_IsString(node))
		cJSON_free(node->valuestring);
	node->type = d->type;
	node->valuestring = d->valuestring;
	node->valuedouble = d->valuedouble;
	node->valueint = d->valueint;
	node->child = d->child;
	d->child = NULL;
	d->valuestring = NULL;
	cJSON_Delete(d);
	for (c = node->child; c; c = c->next)
		if (cw_jsonpos_copy(&x->set->pos, c, node) < 0)
			return -1;
	return 0;
}

static const cJSON *lookup(struct ctx *x, cJSON *node, const char *name,
	const char *field)
{
	const cJSON *v = get(x->vars, name);

	if (!v)
		ERR(x, node, field, "unknown variable ${%s} (not in the Vars of "
			"env/%s.json)", name, x->env);
	return v;
}

static int interpolate(struct ctx *x, cJSON *node, const char *field)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *s = node->valuestring;
	const cJSON *v;
	char name[128];
	size_t n;
	int rc = 0;

	while (*s) {
		if (!(n = var_ref(s, name, sizeof(name)))) {
			if (s[0] == '$' && s[1] == '{') {
				ERR(x, node, field, "malformed ${...} reference");
				rc = 1;
			}
			cw_buf_addc(&b, *s++);
			continue;
		}
		s += n;
		if (!(v = lookup(x, node, name, field)))
			rc = 1;
		else if (cJSON_IsString(v))
			cw_buf_adds(&b, v->valuestring);
		else if (cJSON_IsNumber(v))
			cw_buf_addf(&b, "%.15g", v->valuedouble);
		else {
			ERR(x, node, field, "variable ${%s} is a list; only a "
				"whole string \"${%s}\" can take it", name, name);
			rc = 1;
		}
	}
	if (rc == 0 && b.p) {
		cJSON_free(node->valuestring);
		node->valuestring = cJSON_malloc(b.len + 1);
		if (!node->valuestring)
			rc = -1;
		else
			memcpy(node->valuestring, b.p, b.len + 1);
	}
	cw_buf_release(&b);
	return rc;
}

static int substitute(struct ctx *x, cJSON *node, const char *field)
{
	cJSON *c;
	const cJSON *v;
	char name[128];
	size_t n;

	if (cJSON_IsString(node)) {
		if (!strstr(node->valuestring, "${"))
			return 0;
		n = var_ref(node->valuestring, name, sizeof(name));
		if (n && node->valuestring[n] == '\0')
			return (v = lookup(x, node, name, field))
				? become(x, node, v) : 0;
		return interpolate(x, node, field) < 0 ? -1 : 0;
	}
	for (c = node->child; c; c = c->next)
		if (substitute(x, c, field) < 0)
			return -1;
	return 0;
}

/* ---- Defaults */

static int has_key(const cJSON *tags, const char *key)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, tags)
		if (smem(t, "Key") && strcmp(smem(t, "Key"), key) == 0)
			return 1;
	return 0;
}

static int merge_tags(struct ctx *x, cJSON *mine, const cJSON *theirs)
{
	const cJSON *t;
	cJSON *d;

	cJSON_ArrayForEach(t, theirs) {
		if (!smem(t, "Key") || has_key(mine, smem(t, "Key")))
			continue;
		if (!(d = cw_jsonpos_dup(&x->set->pos, t)))
			return -1;
		cJSON_AddItemToArray(mine, d);
	}
	return 0;
}

static int apply_defaults(struct ctx *x, cJSON *item, const cJSON *defaults)
{
	const cJSON *d;
	const struct field *f;
	cJSON *mine, *copy;

	cJSON_ArrayForEach(d, defaults) {
		f = field_of(d->string);
		if (!f || !(f->kinds & (1u << x->kind)))
			continue;
		mine = cJSON_GetObjectItemCaseSensitive(item, d->string);
		if (mine) {
			if (strcmp(d->string, "Tags") == 0 && cJSON_IsArray(mine)
					&& cJSON_IsArray(d)
					&& merge_tags(x, mine, d) < 0)
				return -1;
			continue;
		}
		if (!(copy = cw_jsonpos_dup(&x->set->pos, d)))
			return -1;
		cJSON_AddItemToObject(item, d->string, copy);
	}
	return 0;
}

static void check_defaults(struct ctx *x, const cJSON *defaults)
{
	const cJSON *d;
	const char *near;

	if (!cJSON_IsObject(defaults)) {
		ERR(x, defaults, "Defaults", "expected an object");
		return;
	}
	cJSON_ArrayForEach(d, defaults) {
		near = field_of(d->string) ? NULL : near_field(d->string, ~0u);
		if (!field_of(d->string) || strcmp(d->string, "AlarmName") == 0
				|| strcmp(d->string, "filterName") == 0)
			ERR(x, d, "Defaults", "\"%.64s\" cannot be a "
				"default%s%s%s", d->string,
				near ? ": did you mean " : "", near ? near : "",
				near ? "?" : "");
	}
}

/* ---- loading */

int cw_alarmset_owns_name(const struct cw_alarmset *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->nprefixes; i++)
		if (strncmp(name, set->prefixes[i], strlen(set->prefixes[i])) == 0)
			return 1;
	return 0;
}

static const char *keep_file(struct cw_alarmset *set, const char *path)
{
	char **f = realloc(set->files, (set->nfiles + 1) * sizeof(*f));

	if (!f)
		return NULL;
	set->files = f;
	if (!(f[set->nfiles] = strdup(path)))
		return NULL;
	return f[set->nfiles++];
}

/* Parses path, keeping the tree in set->docs. */
static cJSON *load_doc(struct cw_alarmset *set, const char *path,
	const char *text, size_t len, struct cw_alarmdef_errors *errs)
{
	struct cw_err e;
	const char *file = keep_file(set, path);
	cJSON *doc;

	cw_err_clear(&e);
	if (!file) {
		errs->count++;
		cw_buf_addf(&errs->text, "%s: out of memory\n", path);
		return NULL;
	}
	doc = text ? cw_jsonpos_parse(&set->pos, file, text, len, &e)
		: cw_jsonpos_load(&set->pos, file, &e);
	if (!doc) {
		errs->count++;
		cw_buf_addf(&errs->text, "%s\n", e.msg);
		return NULL;
	}
	cJSON_AddItemToArray(set->docs, doc);
	return doc;
}

static int load_env_vars(struct ctx *x, const cJSON *env)
{
	const cJSON *m, *e;

	cJSON_ArrayForEach(m, env) {
		if (strcmp(m->string, "Region") == 0)
			check_region(x, m);
		else if (strcmp(m->string, "AccountId") == 0)
			check_account(x, m);
		else if (strcmp(m->string, "Profile") == 0)
			check_string(x, m, "Profile", 1, 128, NULL);
		else if (strcmp(m->string, "RoleArn") == 0)
			check_role_arn(x, m);
		else if (strcmp(m->string, "ExternalId") == 0)
			check_string(x, m, "ExternalId", 2, 1224, NULL);
		else if (strcmp(m->string, "Prefixes") == 0) {
			if (want_type(x, m, "Prefixes", T_LIST) < 0)
				continue;
			if (!m->child)
				ERR(x, m, "Prefixes", "at least one prefix is "
					"required");
			cJSON_ArrayForEach(e, m)
				check_string(x, e, "Prefixes", 1, 255, NULL);
		} else if (strcmp(m->string, "Vars") == 0) {
			if (!cJSON_IsObject(m)) {
				ERR(x, m, "Vars", "expected an object");
				continue;
			}
			cJSON_ArrayForEach(e, m) {
				const cJSON *s;

				if (cJSON_IsString(e) || cJSON_IsNumber(e))
					continue;
				if (!cJSON_IsArray(e)) {
					ERR(x, e, "Vars", "${%.64s}: expected a "
						"string, a number or a list of "
						"strings", e->string);
					continue;
				}
				cJSON_ArrayForEach(s, e)
					if (!cJSON_IsString(s))
						ERR(x, s, "Vars", "${%.64s}: a list "
							"holds strings only",
							e->string);
			}
		} else
			ERR(x, m, m->string, "unknown key in an environment "
				"file (Region, Prefixes, Vars, AccountId, "
				"Profile, RoleArn, ExternalId)");
	}
	if (!get(env, "Prefixes"))
		ERR(x, env, "Prefixes", "required");
	/* Two ways to the keys would leave one of them unused. */
	if (get(env, "Profile") && get(env, "RoleArn"))
		ERR(x, get(env, "RoleArn"), "RoleArn", "Profile and RoleArn "
			"together: name one of them");
	if (get(env, "ExternalId") && !get(env, "RoleArn"))
		ERR(x, get(env, "ExternalId"), "ExternalId", "needs RoleArn");
	if ((get(env, "Profile") || get(env, "RoleArn"))
			&& !get(env, "AccountId"))
		ERR(x, env, "AccountId", "required with Profile or RoleArn: "
			"the account they must lead to");
	return 0;
}

/* 1 when path is a folder with an env/ folder: a set. */
static int is_set(const char *path)
{
	struct cw_buf env = CW_BUF_INIT;
	struct stat st;
	int yes = cw_buf_addf(&env, "%s/env", path) == 0
		&& stat(env.p, &st) == 0 && S_ISDIR(st.st_mode);

	cw_buf_release(&env);
	return yes;
}

/* The folders under dir that are definition sets (they have env/), as
 * "dir/a, dir/b" in list; how many. */
static int sets_under(const char *dir, struct cw_buf *list)
{
	struct dirent **ents;
	struct cw_buf sub = CW_BUF_INIT;
	int n, i, k = 0;

	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return 0;
	for (i = 0; i < n; i++) {
		sub.len = 0;
		if (ents[i]->d_name[0] != '.' && cw_buf_addf(&sub, "%s/%s",
				dir, ents[i]->d_name) == 0 && is_set(sub.p)
				&& cw_buf_addf(list, "%s%s", k ? ", " : "",
					sub.p) == 0)
			k++;
		free(ents[i]);
	}
	free(ents);
	cw_buf_release(&sub);
	return k;
}

/*
 * dir has no environment env: the error says what there is instead, on
 * its one line: the environment meant and those there are, or the sets
 * under dir when it is a folder of sets rather than one.
 */
static int no_env(const char *dir, const char *env, int errnum,
	struct cw_err *err)
{
	char *paths[1] = { (char *)dir }, **names = NULL;
	struct cw_buf list = CW_BUF_INIT;
	struct cw_err none;
	struct cw_near near;
	size_t i;

	cw_near_init(&near, env, strlen(env));
	if (cw_alarmdef_environments(paths, 1, &names, &none) == 0) {
		for (i = 0; names[i]; i++) {
			cw_near_try(&near, names[i]);
			cw_buf_addf(&list, "%s%s", i ? ", " : "", names[i]);
		}
		if (near.best)
			cw_err_set(err, "%s: no environment %s: did you mean "
				"%s? (its environments: %s)", dir, env,
				near.best, cw_buf_str(&list));
		else
			cw_err_set(err, "%s: no environment %s (its "
				"environments: %s)", dir, env,
				cw_buf_str(&list));
	} else if (sets_under(dir, &list) > 0)
		cw_err_set(err, "%s: not a definition set (no env/ folder): "
			"name one of the sets in it: %s", dir,
			cw_buf_str(&list));
	else
		cw_err_set(err, "%s: no environment %s (%s)", dir, env,
			strerror(errnum));
	cw_alarmdef_names_free(names);
	cw_buf_release(&list);
	return -1;
}

/* The environment file, or text instead when it is not NULL. */
static int load_env(struct cw_alarmset *set, struct ctx *x, const char *dir,
	const char *env, const char *text, size_t len, struct cw_err *err)
{
	struct cw_buf path = CW_BUF_INIT;
	const cJSON *doc, *p, *r;
	size_t i = 0;
	int rc = -1;

	if (cw_buf_addf(&path, "%s/env/%s.json", dir, env) < 0)
		return cw_err_set(err, "out of memory");
	if (!text && access(path.p, F_OK) != 0) {
		no_env(dir, env, errno, err);
		goto out;
	}
	rc = 0;
	if (!(doc = load_doc(set, path.p, text, len, x->errs)))
		goto out;
	if (!cJSON_IsObject(doc)) {
		ERR(x, doc, NULL, "an environment file is a JSON object");
		goto out;
	}
	load_env_vars(x, doc);
	x->vars = get(doc, "Vars");
	set->account_id = cJSON_GetStringValue(get(doc, "AccountId"));
	set->profile = cJSON_GetStringValue(get(doc, "Profile"));
	set->role_arn = cJSON_GetStringValue(get(doc, "RoleArn"));
	set->external_id = cJSON_GetStringValue(get(doc, "ExternalId"));
	r = get(doc, "Region");
	set->region = strdup(cJSON_IsString(r) ? r->valuestring : "");
	p = get(doc, "Prefixes");
	set->prefixes = calloc((size_t)cJSON_GetArraySize(p) + 1,
		sizeof(char *));
	if (!set->region || !set->prefixes) {
		rc = cw_err_set(err, "out of memory");
		goto out;
	}
	cJSON_ArrayForEach(r, p)
		if (cJSON_IsString(r) && r->valuestring[0]
				&& !(set->prefixes[i++] = strdup(r->valuestring)))
			rc = cw_err_set(err, "out of memory");
	set->nprefixes = i;
out:
	cw_buf_release(&path);
	return rc;
}

static int add_item(struct cw_alarmset *set, enum cw_alarmdef_kind kind,
	cJSON *def, const char *region)
{
	struct cw_alarmdef_item *it;
	const char *name = smem(def, kind == CW_ALARMDEF_FILTER ? "filterName"
		: "AlarmName");

	if (set->nitems == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;

		it = realloc(set->items, cap * sizeof(*it));
		if (!it)
			return -1;
		set->items = it;
		set->cap = cap;
	}
	it = &set->items[set->nitems++];
	it->kind = kind;
	it->name = name ? name : "";
	it->group = kind == CW_ALARMDEF_FILTER ? smem(def, "logGroupName") : NULL;
	if (!it->group && kind == CW_ALARMDEF_FILTER)
		it->group = "";
	it->region = region;
	it->def = def;
	return 0;
}

/* Environments: 1 when the item exists in x->env, 0 when not. */
static int selected(struct ctx *x, const cJSON *item)
{
	const cJSON *envs = get(item, "Environments"), *e;

	if (!envs)
		return 1;
	if (want_type(x, envs, "Environments", T_LIST) < 0)
		return 0;
	cJSON_ArrayForEach(e, envs)
		if (cJSON_IsString(e) && strcmp(e->valuestring, x->env) == 0)
			return 1;
	return 0;
}

/* Takes key out of item into set->spare; returns its string or "". */
static const char *detach(struct ctx *x, cJSON *item, const char *key)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(item, key);

	if (!v)
		return "";
	cJSON_AddItemToArray(x->set->spare, v);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int load_item(struct ctx *x, cJSON *item, const cJSON *defaults)
{
	const char *region;
	cJSON *m;
	int before;

	if (!cJSON_IsObject(item)) {
		snprintf(x->label, sizeof(x->label), "%s", kind_word(x->kind));
		ERR(x, item, NULL, "expected an object, not %s",
			type_name(item));
		return 0;
	}
	if (defaults && apply_defaults(x, item, defaults) < 0)
		return -1;
	set_label(x, item);
	if (!selected(x, item))
		return 0;
	before = x->errs->count;
	cJSON_ArrayForEach(m, item)
		if (substitute(x, m, m->string) < 0)
			return -1;
	set_label(x, item);
	if (x->errs->count > before)	/* the values are not there to check */
		return 0;
	detach(x, item, "Environments");
	if (get(item, "Region"))
		check_region(x, get(item, "Region"));
	region = detach(x, item, "Region");
	check_item(x, item);
	return add_item(x->set, x->kind, item, *region ? region
		: x->set->region);
}

static int load_file(struct ctx *x, const char *path, const char *text,
	size_t len)
{
	static const char *const lists[] = { "Alarms", "CompositeAlarms",
		"MetricFilters" };
	const cJSON *doc, *m, *defaults;
	cJSON *item;
	int i;

	if (!(doc = load_doc(x->set, path, text, len, x->errs)))
		return 0;
	x->label[0] = '\0';
	if (!cJSON_IsObject(doc)) {
		cw_alarmdef_error(x->errs, x->set, doc, NULL, NULL, "a definition "
			"file is a JSON object");
		return 0;
	}
	cJSON_ArrayForEach(m, doc)
		if (strcmp(m->string, "Defaults") != 0 && strcmp(m->string,
				"Alarms") != 0 && strcmp(m->string,
				"CompositeAlarms") != 0 && strcmp(m->string,
				"MetricFilters") != 0)
			cw_alarmdef_error(x->errs, x->set, m, NULL, m->string,
				"unknown key (Defaults, Alarms, CompositeAlarms, "
				"MetricFilters)");
	defaults = get(doc, "Defaults");
	if (defaults) {
		snprintf(x->label, sizeof(x->label), "Defaults");
		check_defaults(x, defaults);
		if (!cJSON_IsObject(defaults))
			defaults = NULL;
	}
	for (i = 0; i < 3; i++) {
		m = get(doc, lists[i]);
		if (!m)
			continue;
		if (!cJSON_IsArray(m)) {
			cw_alarmdef_error(x->errs, x->set, m, NULL, lists[i],
				"expected a list");
			continue;
		}
		x->kind = (enum cw_alarmdef_kind)i;
		cJSON_ArrayForEach(item, m)
			if (load_item(x, item, defaults) < 0)
				return -1;
	}
	return 0;
}

static int json_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5
		&& strcmp(d->d_name + n - 5, ".json") == 0;
}

static int load_files(struct ctx *x, const char *dir, struct cw_err *err)
{
	struct dirent **list = NULL;
	struct cw_buf path = CW_BUF_INIT;
	struct stat st;
	int n, i, rc = 0;

	n = scandir(dir, &list, json_file, alphasort);
	if (n < 0)
		return cw_err_set(err, "%s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		cw_buf_reset(&path);
		if (rc == 0 && cw_buf_addf(&path, "%s/%s", dir,
				list[i]->d_name) < 0)
			rc = cw_err_set(err, "out of memory");
		if (rc == 0 && stat(path.p, &st) == 0 && S_ISREG(st.st_mode)
				&& load_file(x, path.p, NULL, 0) < 0)
			rc = cw_err_set(err, "out of memory");
		free(list[i]);
	}
	free(list);
	cw_buf_release(&path);
	return rc;
}

/* ---- composite rules */

/* The next token of an AlarmRule: a bracket or comma, a "quoted" name
 * or a word. Returns its length (0 at the end); *q is 1 when quoted. */
static size_t rule_token(const char **s, int *q)
{
	const char *p = *s;
	size_t n = 0;

	while (isspace((unsigned char)*p))
		p++;
	*s = p;
	*q = 0;
	if (!*p)
		return 0;
	if (strchr("(),", *p))
		return 1;
	if (*p == '"') {
		*q = 1;
		for (n = 1; p[n] && p[n] != '"'; n++)
			if (p[n] == '\\' && p[n + 1])
				n++;
		return p[n] ? n + 1 : n;
	}
	while (p[n] && !isspace((unsigned char)p[n]) && !strchr("(),\"", p[n]))
		n++;
	return n;
}

static int add_name(cJSON *out, const char *s, size_t n, int quoted)
{
	char *name, *arn;
	cJSON *v;

	if (quoted) {
		s++;
		n = n >= 2 ? n - 2 : 0;
	}
	if (!(name = strndup(s, n)))
		return -1;
	arn = strstr(name, ":alarm:");
	v = cJSON_CreateString(strncmp(name, "arn:", 4) == 0 && arn ? arn + 7
		: name);
	free(name);
	if (!v)
		return -1;
	cJSON_AddItemToArray(out, v);
	return 0;
}

static int word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

cJSON *cw_alarmdef_rule_names(const char *rule)
{
	cJSON *out = cJSON_CreateArray();
	const char *s = rule, *w;
	size_t n, wn;
	int q, at_least = 0, list = 0;

	while (out && (n = rule_token(&s, &q)) > 0) {
		w = s, wn = n;
		s += n;
		if (list) {	/* AT_LEAST(n, STATE, (a, b, ...)) */
			if (*w == ')')
				list = 0;
			else if (*w != ',' && add_name(out, w, wn, q) < 0)
				goto fail;
			continue;
		}
		if (at_least == 1 && *w == '(') {
			list = 1;
			at_least = 0;
			continue;
		}
		if (word_is(w, wn, "AT_LEAST")) {
			at_least = -1;	/* its own '(' comes first */
			continue;
		}
		if (at_least == -1 && *w == '(') {
			at_least = 1;
			continue;
		}
		if (!q && (word_is(w, wn, "ALARM") || word_is(w, wn, "OK")
				|| word_is(w, wn, "INSUFFICIENT_DATA"))) {
			if ((n = rule_token(&s, &q)) != 1 || *s != '(')
				continue;
			s++;
			if ((n = rule_token(&s, &q)) > 0 && !strchr("(),", *s)) {
				if (add_name(out, s, n, q) < 0)
					goto fail;
				s += n;
			}
		}
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

static ssize_t find_alarm(const struct cw_alarmset *set, const char *name,
	const char *region)
{
	size_t i;

	for (i = 0; i < set->nitems; i++)
		if (set->items[i].kind != CW_ALARMDEF_FILTER
				&& strcmp(set->items[i].name, name) == 0
				&& strcmp(set->items[i].region, region) == 0)
			return (ssize_t)i;
	return -1;
}

/* Depth-first over composite children; 1 when a cycle passes item i. */
static int cycle_from(struct cw_alarmset *set, size_t i, char *color,
	struct cw_buf *path)
{
	const cJSON *r = get(set->items[i].def, "AlarmRule"), *c;
	cJSON *names;
	ssize_t j;
	int found = 0;

	if (color[i] == 1)
		return cw_buf_addf(path, "%s", set->items[i].name), 1;
	if (color[i] == 2 || set->items[i].kind != CW_ALARMDEF_COMPOSITE
			|| !cJSON_IsString(r))
		return 0;
	color[i] = 1;
	names = cw_alarmdef_rule_names(r->valuestring);
	cJSON_ArrayForEach(c, names) {
		j = find_alarm(set, c->valuestring, set->items[i].region);
		if (j >= 0 && cycle_from(set, (size_t)j, color, path)) {
			found = 1;
			break;
		}
	}
	cJSON_Delete(names);
	color[i] = 2;
	if (found && path->len < 2000)
		cw_buf_addf(path, " <- %s", set->items[i].name);
	return found;
}

static int check_rules(struct ctx *x)
{
	struct cw_alarmset *set = x->set;
	struct cw_buf path = CW_BUF_INIT;
	char *color = calloc(set->nitems + 1, 1);
	const cJSON *r, *c;
	cJSON *names, *ext;
	size_t i;

	if (!color)
		return -1;
	for (i = 0; i < set->nitems; i++) {
		if (set->items[i].kind != CW_ALARMDEF_COMPOSITE)
			continue;
		r = get(set->items[i].def, "AlarmRule");
		if (!cJSON_IsString(r) || !(names =
				cw_alarmdef_rule_names(r->valuestring)))
			continue;
		cJSON_ArrayForEach(c, names) {
			if (find_alarm(set, c->valuestring,
					set->items[i].region) >= 0)
				continue;
			ext = cJSON_CreateObject();
			cJSON_AddStringToObject(ext, "name", c->valuestring);
			cJSON_AddNumberToObject(ext, "item", (double)i);
			cJSON_AddItemToArray(set->external, ext);
		}
		cJSON_Delete(names);
		memset(color, 0, set->nitems);
		cw_buf_reset(&path);
		if (cycle_from(set, i, color, &path)) {
			x->kind = CW_ALARMDEF_COMPOSITE;
			set_label(x, set->items[i].def);
			ERR(x, r, "AlarmRule", "cycle: %s", cw_buf_str(&path));
		}
	}
	free(color);
	cw_buf_release(&path);
	return 0;
}

static int start(struct cw_alarmset *set, struct ctx *x, const char *dir,
	const char *env, struct cw_alarmdef_errors *errs, struct cw_err *err)
{
	const char *base;
	size_t n;

	memset(set, 0, sizeof(*set));
	memset(x, 0, sizeof(*x));
	x->set = set;
	x->errs = errs;
	x->env = env;
	n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	set->dir = strndup(dir, n);
	set->docs = cJSON_CreateArray();
	set->spare = cJSON_CreateArray();
	set->external = cJSON_CreateArray();
	if (!set->dir || !set->docs || !set->spare || !set->external)
		return cw_err_set(err, "out of memory");
	base = strrchr(set->dir, '/');
	base = base && base[1] ? base + 1 : set->dir;
	if (!(set->name = malloc(strlen(base) + strlen(env) + 2)))
		return cw_err_set(err, "out of memory");
	snprintf(set->name, strlen(base) + strlen(env) + 2, "%s/%s", base, env);
	return 0;
}

int cw_alarmset_load(struct cw_alarmset *set, const char *dir,
	const char *env, struct cw_alarmdef_errors *errs, struct cw_err *err)
{
	struct ctx x;
	int before = errs->count;

	if (start(set, &x, dir, env, errs, err) < 0
			|| load_env(set, &x, set->dir, env, NULL, 0, err) < 0)
		return -1;
	if (!set->region && !(set->region = strdup("")))
		return cw_err_set(err, "out of memory");
	if (load_files(&x, set->dir, err) < 0 || check_rules(&x) < 0)
		return -1;
	return errs->count > before ? -1 : 0;
}

int cw_alarmset_load_mem(struct cw_alarmset *set, const char *env,
	const char *env_text, size_t env_len, const char *text, size_t len,
	struct cw_alarmdef_errors *errs, struct cw_err *err)
{
	struct ctx x;
	int before = errs->count;

	if (start(set, &x, "mem", env, errs, err) < 0
			|| load_env(set, &x, set->dir, env, env_text, env_len,
				err) < 0)
		return -1;
	if (!set->region && !(set->region = strdup("")))
		return cw_err_set(err, "out of memory");
	if (load_file(&x, "mem/definitions.json", text, len) < 0
			|| check_rules(&x) < 0)
		return -1;
	return errs->count > before ? -1 : 0;
}

void cw_alarmset_check_unique(struct cw_alarmset *sets, size_t n,
	struct cw_alarmdef_errors *errs)
{
	size_t a, b, i, j, end;
	const struct cw_alarmdef_item *x, *y;
	const struct cw_jsonpos_loc *l;
	char label[320];

	for (a = 0; a < n; a++)
		for (i = 0; i < sets[a].nitems; i++) {
			x = &sets[a].items[i];
			for (b = 0; b <= a; b++) {
				end = b == a ? i : sets[b].nitems;
				for (j = 0; j < end; j++) {
					y = &sets[b].items[j];
					if ((x->kind == CW_ALARMDEF_FILTER)
						!= (y->kind == CW_ALARMDEF_FILTER)
						|| strcmp(x->name, y->name) != 0
						|| strcmp(x->region, y->region) != 0
						|| (x->group && strcmp(x->group,
							y->group) != 0))
						continue;
					l = cw_jsonpos_get(&sets[b].pos,
						get(y->def, x->group
						? "filterName" : "AlarmName"));
					snprintf(label, sizeof(label),
						"%s \"%.255s\"", kind_word(x->kind),
						x->name);
					cw_alarmdef_error(errs, &sets[a],
						get(x->def, x->group ? "filterName"
						: "AlarmName"), label, NULL,
						"defined twice (first at %s:%d:%d)",
						l ? l->file : "?", l ? l->line : 0,
						l ? l->col : 0);
					goto next;
				}
			}
next:
			;
		}
}

void cw_alarmset_release(struct cw_alarmset *set)
{
	size_t i;

	free(set->dir);
	free(set->name);
	free(set->region);
	for (i = 0; set->prefixes && set->prefixes[i]; i++)
		free(set->prefixes[i]);
	free(set->prefixes);
	free(set->items);
	cJSON_Delete(set->docs);
	cJSON_Delete(set->spare);
	cJSON_Delete(set->external);
	for (i = 0; i < set->nfiles; i++)
		free(set->files[i]);
	free(set->files);
	cw_jsonpos_release(&set->pos);
	memset(set, 0, sizeof(*set));
}

static int set_tag(cJSON *tags, const char *key, const char *value)
{
	cJSON *t;

	cJSON_ArrayForEach(t, tags)
		if (smem(t, "Key") && strcmp(smem(t, "Key"), key) == 0) {
			cJSON_ReplaceItemInObjectCaseSensitive(t, "Value",
				cJSON_CreateString(value));
			return 0;
		}
	if (!(t = cJSON_CreateObject()) || !cJSON_AddStringToObject(t, "Key",
			key) || !cJSON_AddStringToObject(t, "Value", value)) {
		cJSON_Delete(t);
		return -1;
	}
	cJSON_AddItemToArray(tags, t);
	return 0;
}

cJSON *cw_alarmdef_request(const struct cw_alarmset *set,
	const struct cw_alarmdef_item *item)
{
	cJSON *r = cJSON_Duplicate(item->def, 1), *tags;

	if (!r || item->kind == CW_ALARMDEF_FILTER)
		return r;
	tags = cJSON_GetObjectItemCaseSensitive(r, "Tags");
	if (!tags)
		tags = cJSON_AddArrayToObject(r, "Tags");
	if (!tags || set_tag(tags, CW_ALARMDEF_OWNER_KEY,
			CW_ALARMDEF_OWNER_VALUE) < 0
			|| set_tag(tags, CW_ALARMDEF_SET_KEY, set->name) < 0) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

int cw_alarmsets_load(struct cw_alarmset **sets, size_t *nsets,
	char *const *paths, size_t n, const char *env,
	struct cw_alarmdef_errors *errs, struct cw_err *err)
{
	size_t i;

	*nsets = 0;
	if (!(*sets = calloc(n ? n : 1, sizeof(**sets))))
		return cw_err_set(err, "out of memory");
	for (i = 0; i < n; i++) {
		++*nsets;
		if (cw_alarmset_load(&(*sets)[i], paths[i], env, errs, err) < 0
				&& err->msg[0])
			return -1;
	}
	cw_alarmset_check_unique(*sets, *nsets, errs);
	return 0;
}

void cw_alarmsets_release(struct cw_alarmset *sets, size_t n)
{
	size_t i;

	for (i = 0; sets && i < n; i++)
		cw_alarmset_release(&sets[i]);
	free(sets);
}

int cw_alarmdef_errors_report(const struct cw_alarmdef_errors *errs,
	const char *prog, FILE *fp)
{
	if (!errs->count)
		return 0;
	fputs(errs->text.p ? errs->text.p : "", fp);
	if (errs->count > CW_ALARMDEF_MAX_ERRORS)
		fprintf(fp, "%s: %d more problems not shown\n", prog,
			errs->count - CW_ALARMDEF_MAX_ERRORS);
	fprintf(fp, "%s: %d problem%s in the definitions\n", prog,
		errs->count, errs->count == 1 ? "" : "s");
	return 1;
}

const struct cw_alarmdef_item *cw_alarmsets_find(
	const struct cw_alarmset *sets, size_t n, const char *name)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sets[i].nitems; j++)
			if (sets[i].items[j].kind != CW_ALARMDEF_FILTER
					&& strcmp(sets[i].items[j].name, name) == 0)
				return &sets[i].items[j];
	return NULL;
}

/* ---- environments */

static int add_env(char ***names, size_t *n, const char *file)
{
	size_t len = strlen(file) - 5, i;
	char **grown;

	for (i = 0; i < *n; i++)
		if (strlen((*names)[i]) == len
				&& strncmp((*names)[i], file, len) == 0)
			return 0;
	if (!(grown = realloc(*names, (*n + 2) * sizeof(*grown))))
		return -1;
	*names = grown;
	if (!(grown[*n] = strndup(file, len)))
		return -1;
	grown[++*n] = NULL;
	return 0;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The env/NAME.json of the set in path, added to *names. */
static int set_environments(const char *path, char ***names, size_t *count,
	struct cw_err *err)
{
	struct dirent **list;
	struct cw_buf dir = CW_BUF_INIT;
	int k, m, rc = 0;

	if (cw_buf_addf(&dir, "%s/env", path) < 0)
		rc = cw_err_set(err, "out of memory");
	else if ((m = scandir(dir.p, &list, json_file, alphasort)) < 0)
		rc = cw_err_set(err, "%s: %s", dir.p, strerror(errno));
	else {
		for (k = 0; k < m; k++) {
			if (rc == 0 && add_env(names, count,
					list[k]->d_name) < 0)
				rc = cw_err_set(err, "out of memory");
			free(list[k]);
		}
		free(list);
	}
	cw_buf_release(&dir);
	return rc;
}

int cw_alarmdef_environments(char *const *paths, size_t n, char ***names,
	struct cw_err *err)
{
	size_t i, count = 0;
	int rc = 0;

	if (!(*names = calloc(1, sizeof(**names))))
		return cw_err_set(err, "out of memory");
	for (i = 0; i < n && rc == 0; i++)
		rc = set_environments(paths[i], names, &count, err);
	if (rc == 0 && !count)
		rc = cw_err_set(err, "no environment file (env/NAME.json) in "
			"the sets given");
	qsort(*names, count, sizeof(**names), by_name);
	return rc;
}

/* The environments of the sets directly under dir. */
static int folder_environments(const char *dir, char ***names,
	size_t *count, struct cw_err *err)
{
	struct dirent **ents;
	struct cw_buf sub = CW_BUF_INIT;
	int n, i, rc = 0;

	if ((n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return cw_err_set(err, "%s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		sub.len = 0;
		if (rc == 0 && ents[i]->d_name[0] != '.') {
			if (cw_buf_addf(&sub, "%s/%s", dir,
					ents[i]->d_name) < 0)
				rc = cw_err_set(err, "out of memory");
			else if (is_set(sub.p))
				rc = set_environments(sub.p, names, count, err);
		}
		free(ents[i]);
	}
	free(ents);
	cw_buf_release(&sub);
	return rc;
}

int cw_alarmdef_environments_any(char *const *paths, size_t n,
	char ***names, struct cw_err *err)
{
	size_t i, count = 0;
	int rc = 0;

	if (!(*names = calloc(1, sizeof(**names))))
		return cw_err_set(err, "out of memory");
	for (i = 0; i < n && rc == 0; i++)
		rc = is_set(paths[i])
			? set_environments(paths[i], names, &count, err)
			: folder_environments(paths[i], names, &count, err);
	qsort(*names, count, sizeof(**names), by_name);
	return rc;
}

int cw_alarmdef_has_environment(const char *path, const char *env)
{
	struct cw_buf f = CW_BUF_INIT;
	int rc = cw_buf_addf(&f, "%s/env/%s.json", path, env) == 0
		&& access(f.p, F_OK) == 0;

	cw_buf_release(&f);
	return rc;
}

int cw_alarmdef_paths_with(char *const *paths, int n, const char *env,
	int only_having, char **out)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (!only_having || cw_alarmdef_has_environment(paths[i], env))
			out[k++] = paths[i];
	return k;
}

void cw_alarmdef_names_free(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}
