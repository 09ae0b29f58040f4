#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmdiff.h"
#include "json.h"
#include "sgr.h"
#include "vis.h"
#include "banned.h"

/* ---- normalization helpers */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static const char *smem(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void copy(cJSON *out, const cJSON *obj, const char *k)
{
	const cJSON *v = get(obj, k);

	if (v && !cJSON_IsNull(v))
		cJSON_AddItemToObject(out, k, cJSON_Duplicate(v, 1));
}

static void copy_str(cJSON *out, const cJSON *obj, const char *k,
	const char *def)
{
	const char *s = smem(obj, k);

	if (s || def)
		cJSON_AddStringToObject(out, k, s ? s : def);
}

/* A number, also when AWS or a hand-written file gives it as a string. */
static void copy_num(cJSON *out, const cJSON *obj, const char *k,
	const cJSON *def)
{
	const cJSON *v = get(obj, k);
	char *end;
	double d;

	if (cJSON_IsNumber(v))
		cJSON_AddNumberToObject(out, k, v->valuedouble);
	else if (cJSON_IsString(v) && (d = strtod(v->valuestring, &end),
			*v->valuestring && !*end))
		cJSON_AddNumberToObject(out, k, d);
	else if (v && !cJSON_IsNull(v))
		cJSON_AddItemToObject(out, k, cJSON_Duplicate(v, 1));
	else if (cJSON_IsNumber(def))
		cJSON_AddNumberToObject(out, k, def->valuedouble);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An action list as a set: sorted, without repeats; absent is []. */
static void copy_set(cJSON *out, const cJSON *obj, const char *k)
{
	const cJSON *v = get(obj, k), *e;
	int n = cJSON_GetArraySize(v), i, m = 0;
	const char **s = calloc((size_t)n + 1, sizeof(*s));
	cJSON *arr = cJSON_CreateArray();

	if (!s || !arr) {
		free(s);
		cJSON_Delete(arr);
		return;
	}
	cJSON_ArrayForEach(e, v)
		if (cJSON_IsString(e))
			s[m++] = e->valuestring;
	qsort(s, (size_t)m, sizeof(*s), cmp_str);
	for (i = 0; i < m; i++)
		if (i == 0 || strcmp(s[i], s[i - 1]) != 0)
			cJSON_AddItemToArray(arr, cJSON_CreateString(s[i]));
	free(s);
	cJSON_AddItemToObject(out, k, arr);
}

/* Sorts the items of arr by the string member key (then by the whole
 * item printed), in place. The key is qsort_r's argument: plans are
 * made on several threads at once. */
static int cmp_items(const void *a, const void *b, void *key)
{
	const char *x = smem(*(cJSON *const *)a, key);
	const char *y = smem(*(cJSON *const *)b, key);

	return strcmp(x ? x : "", y ? y : "");
}

static cJSON *sorted(cJSON *arr, const char *key)
{
	int n = cJSON_GetArraySize(arr), i = 0;
	cJSON **v, *e, *out = cJSON_CreateArray();

	if (!out || n == 0)
		return cJSON_Delete(arr), out;
	if (!(v = calloc((size_t)n, sizeof(*v))))
		return cJSON_Delete(arr), cJSON_Delete(out), NULL;
	while ((e = cJSON_DetachItemFromArray(arr, 0)))
		v[i++] = e;
	qsort_r(v, (size_t)i, sizeof(*v), cmp_items, (void *)key);
	for (n = 0; n < i; n++)
		cJSON_AddItemToArray(out, v[n]);
	free(v);
	cJSON_Delete(arr);
	return out;
}

/* Dimensions as a map: sorted by Name; absent is []. */
static void copy_dims(cJSON *out, const cJSON *obj, const char *k)
{
	const cJSON *v = get(obj, k), *d;
	cJSON *arr = cJSON_CreateArray(), *e;

	cJSON_ArrayForEach(d, v) {
		if (!(e = cJSON_CreateObject()))
			continue;
		copy(e, d, "Name");
		copy(e, d, "Value");
		cJSON_AddItemToArray(arr, e);
	}
	cJSON_AddItemToObject(out, k, sorted(arr, "Name"));
}

static void copy_bool(cJSON *out, const cJSON *obj, const char *k, int def)
{
	const cJSON *v = get(obj, k);

	cJSON_AddBoolToObject(out, k, cJSON_IsBool(v) ? cJSON_IsTrue(v) : def);
}

/* ---- per kind */

static cJSON *norm_query(const cJSON *q)
{
	cJSON *o = cJSON_CreateObject(), *ms, *m;
	const cJSON *qs = get(q, "MetricStat"), *qm = get(qs, "Metric");
	const char *label = smem(q, "Label");

	copy_str(o, q, "Id", NULL);
	copy_str(o, q, "Expression", NULL);
	if (label && *label)
		copy_str(o, q, "Label", NULL);
	/* Absent ReturnData means true, as the service reads it. */
	copy_bool(o, q, "ReturnData", 1);
	copy_num(o, q, "Period", NULL);
	copy_str(o, q, "AccountId", NULL);
	if (qs) {
		ms = cJSON_AddObjectToObject(o, "MetricStat");
		m = cJSON_AddObjectToObject(ms, "Metric");
		copy_str(m, qm, "Namespace", NULL);
		copy_str(m, qm, "MetricName", NULL);
		copy_dims(m, qm, "Dimensions");
		copy_num(ms, qs, "Period", NULL);
		copy_str(ms, qs, "Stat", NULL);
		copy_str(ms, qs, "Unit", NULL);
	}
	return o;
}

static void copy_metrics(cJSON *out, const cJSON *obj)
{
	const cJSON *v = get(obj, "Metrics"), *q;
	cJSON *arr;

	if (!cJSON_IsArray(v))
		return;
	arr = cJSON_CreateArray();
	cJSON_ArrayForEach(q, v)
		cJSON_AddItemToArray(arr, norm_query(q));
	cJSON_AddItemToObject(out, "Metrics", sorted(arr, "Id"));
}

static void copy_common(cJSON *o, const cJSON *obj)
{
	copy_str(o, obj, "AlarmDescription", "");
	copy_bool(o, obj, "ActionsEnabled", 1);
	copy_set(o, obj, "OKActions");
	copy_set(o, obj, "AlarmActions");
	copy_set(o, obj, "InsufficientDataActions");
}

static cJSON *norm_metric(const cJSON *obj)
{
	cJSON *o = cJSON_CreateObject();
	const char *lsc = smem(obj, "EvaluateLowSampleCountPercentile");

	copy_common(o, obj);
	copy_str(o, obj, "MetricName", NULL);
	copy_str(o, obj, "Namespace", NULL);
	copy_str(o, obj, "Statistic", NULL);
	copy_str(o, obj, "ExtendedStatistic", NULL);
	if (cJSON_GetArraySize(get(obj, "Metrics")) == 0)
		copy_dims(o, obj, "Dimensions");
	copy_num(o, obj, "Period", NULL);
	copy_str(o, obj, "Unit", NULL);
	copy_num(o, obj, "EvaluationPeriods", NULL);
	copy_num(o, obj, "DatapointsToAlarm", get(obj, "EvaluationPeriods"));
	copy_num(o, obj, "Threshold", NULL);
	copy_str(o, obj, "ComparisonOperator", NULL);
	copy_str(o, obj, "TreatMissingData", "missing");
	/* Meaningful for percentiles only, where absent means evaluate. */
	if (lsc && *lsc)
		copy_str(o, obj, "EvaluateLowSampleCountPercentile", NULL);
	else if (get(obj, "ExtendedStatistic"))
		cJSON_AddStringToObject(o, "EvaluateLowSampleCountPercentile",
			"evaluate");
	copy_metrics(o, obj);
	copy_str(o, obj, "ThresholdMetricId", NULL);
	return o;
}

static char *trimmed(const char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return strndup(s, n);
}

static cJSON *norm_composite(const cJSON *obj)
{
	cJSON *o = cJSON_CreateObject();
	const char *rule = smem(obj, "AlarmRule");
	char *t;

	copy_common(o, obj);
	if (rule && (t = trimmed(rule))) {
		cJSON_AddStringToObject(o, "AlarmRule", t);
		free(t);
	}
	copy_str(o, obj, "ActionsSuppressor", NULL);
	copy_num(o, obj, "ActionsSuppressorWaitPeriod", NULL);
	copy_num(o, obj, "ActionsSuppressorExtensionPeriod", NULL);
	return o;
}

static cJSON *norm_xform(const cJSON *t)
{
	cJSON *o = cJSON_CreateObject(), *d, *e;
	const cJSON *dims = get(t, "dimensions"), *m;

	copy_str(o, t, "metricName", NULL);
	copy_str(o, t, "metricNamespace", NULL);
	copy_str(o, t, "metricValue", NULL);
	copy_num(o, t, "defaultValue", NULL);
	if (cJSON_GetArraySize(dims) > 0) {
		d = cJSON_CreateArray();
		cJSON_ArrayForEach(m, dims) {
			e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "k", m->string);
			cJSON_AddItemToObject(e, "v", cJSON_Duplicate(m, 1));
			cJSON_AddItemToArray(d, e);
		}
		d = sorted(d, "k");
		e = cJSON_AddObjectToObject(o, "dimensions");
		cJSON_ArrayForEach(m, d)
			cJSON_AddItemToObject(e, smem(m, "k"),
				cJSON_Duplicate(get(m, "v"), 1));
		cJSON_Delete(d);
	}
	copy_str(o, t, "unit", NULL);
	return o;
}

static cJSON *norm_filter(const cJSON *obj)
{
	cJSON *o = cJSON_CreateObject(), *arr = cJSON_CreateArray();
	const cJSON *t;

	copy_str(o, obj, "filterPattern", "");
	cJSON_ArrayForEach(t, get(obj, "metricTransformations"))
		cJSON_AddItemToArray(arr, norm_xform(t));
	cJSON_AddItemToObject(o, "metricTransformations", arr);
	return o;
}

/* Services differ in listing an unset list as [] or leaving it out: an
 * empty list goes, at every depth, so both read alike. */
static void drop_empty(cJSON *o)
{
	cJSON *m = o ? o->child : NULL, *next;

	for (; m; m = next) {
		next = m->next;
		if (cJSON_IsArray(m) && !m->child && cJSON_IsObject(o))
			cJSON_Delete(cJSON_DetachItemViaPointer(o, m));
		else if (cJSON_IsArray(m) || cJSON_IsObject(m))
			drop_empty(m);
	}
}

cJSON *cw_alarmdiff_normalize(enum cw_alarmdef_kind kind, const cJSON *obj)
{
	cJSON *o;

	switch (kind) {
	case CW_ALARMDEF_METRIC: o = norm_metric(obj); break;
	case CW_ALARMDEF_COMPOSITE: o = norm_composite(obj); break;
	default: o = norm_filter(obj); break;
	}
	drop_empty(o);
	return o;
}

/* 1 when member m of a normalized object holds its default. */
static int is_default(const cJSON *n, const cJSON *m)
{
	const char *k = m->string;

	if (cJSON_IsArray(m) && !m->child)
		return 1;
	if (strcmp(k, "AlarmDescription") == 0)
		return !*m->valuestring;
	if (strcmp(k, "ActionsEnabled") == 0)
		return cJSON_IsTrue(m);
	if (strcmp(k, "TreatMissingData") == 0)
		return strcmp(m->valuestring, "missing") == 0;
	if (strcmp(k, "DatapointsToAlarm") == 0)
		return cJSON_Compare(m, get(n, "EvaluationPeriods"), 1);
	if (strcmp(k, "EvaluateLowSampleCountPercentile") == 0)
		return strcmp(m->valuestring, "evaluate") == 0;
	return 0;
}

cJSON *cw_alarmdiff_export(enum cw_alarmdef_kind kind, const cJSON *obj)
{
	cJSON *n = cw_alarmdiff_normalize(kind, obj), *o = cJSON_CreateObject();
	cJSON *m;

	if (!n || !o)
		return cJSON_Delete(n), cJSON_Delete(o), NULL;
	if (kind == CW_ALARMDEF_FILTER) {
		copy_str(o, obj, "logGroupName", NULL);
		copy_str(o, obj, "filterName", NULL);
	} else
		copy_str(o, obj, "AlarmName", NULL);
	cJSON_ArrayForEach(m, n)
		if (kind == CW_ALARMDEF_FILTER || !is_default(n, m))
			cJSON_AddItemToObject(o, m->string,
				cJSON_Duplicate(m, 1));
	cJSON_Delete(n);
	return o;
}

/* ---- live state */

int cw_alarmdiff_live_init(struct cw_alarmdiff_live *live)
{
	live->metric = cJSON_CreateArray();
	live->composite = cJSON_CreateArray();
	live->filters = cJSON_CreateArray();
	live->missing = cJSON_CreateArray();
	live->regions = NULL;
	return live->metric && live->composite && live->filters
		&& live->missing ? 0 : -1;
}

void cw_alarmdiff_live_release(struct cw_alarmdiff_live *live)
{
	cJSON_Delete(live->regions);
	cJSON_Delete(live->metric);
	cJSON_Delete(live->composite);
	cJSON_Delete(live->filters);
	cJSON_Delete(live->missing);
	memset(live, 0, sizeof(*live));
}

void cw_alarmdiff_arn_region(const char *arn, char *out, size_t size)
{
	const char *p = arn;
	int i;

	out[0] = '\0';
	if (!arn || strncmp(arn, "arn:", 4) != 0)
		return;
	for (i = 0; i < 3 && p; i++)
		if ((p = strchr(p, ':')))
			p++;
	if (p && strchr(p, ':'))
		snprintf(out, size, "%.*s", (int)(strchr(p, ':') - p), p);
}

static int add_live(cJSON *to, const cJSON *from, const char *region)
{
	const cJSON *a;
	cJSON *d;
	char r[64];

	cJSON_ArrayForEach(a, from) {
		if (!cJSON_IsObject(a) || !smem(a, "AlarmName"))
			continue;
		if (!region)
			cw_alarmdiff_arn_region(smem(a, "AlarmArn"), r, sizeof(r));
		if (!(d = cJSON_Duplicate(a, 1)))
			return -1;
		cJSON_DeleteItemFromObjectCaseSensitive(d, "__region");
		cJSON_AddStringToObject(d, "__region", region ? region : r);
		cJSON_AddItemToArray(to, d);
	}
	return 0;
}

int cw_alarmdiff_live_add(struct cw_alarmdiff_live *live, const cJSON *res,
	const char *region)
{
	return add_live(live->metric, get(res, "MetricAlarms"), region)
		|| add_live(live->composite, get(res, "CompositeAlarms"), region)
		? -1 : 0;
}

static int has_string(const cJSON *arr, const char *s)
{
	const cJSON *e;

	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && strcmp(e->valuestring, s) == 0)
			return 1;
	return 0;
}

static int add_region(cJSON *arr, const char *r)
{
	if (has_string(arr, r))
		return 0;
	return cJSON_AddItemToArray(arr, cJSON_CreateString(r)) ? 0 : -1;
}

int cw_alarmdiff_live_add_file(struct cw_alarmdiff_live *live,
	const cJSON *doc)
{
	static const char *const lists[] = { "MetricAlarms",
		"CompositeAlarms" };
	const cJSON *a;
	char r[64];
	int i, any = 0;

	if (cw_alarmdiff_live_add(live, doc, NULL) < 0)
		return -1;
	if (!live->regions && !(live->regions = cJSON_CreateArray()))
		return -1;
	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(a, get(doc, lists[i])) {
			cw_alarmdiff_arn_region(smem(a, "AlarmArn"), r,
				sizeof(r));
			if (!*r)
				continue;
			any = 1;
			if (add_region(live->regions, r) < 0)
				return -1;
		}
	return any ? 0 : add_region(live->regions, "");
}

int cw_alarmdiff_live_covers(const struct cw_alarmdiff_live *live,
	const char *region)
{
	return !live->regions || !region || !*region
		|| has_string(live->regions, "")
		|| has_string(live->regions, region);
}

cJSON *cw_alarmdiff_uncovered(const struct cw_alarmset *sets, size_t nsets,
	const struct cw_alarmdiff_live *live)
{
	cJSON *out = cJSON_CreateArray();
	const char *r;
	size_t i, j;

	for (i = 0; out && i < nsets; i++)
		for (j = 0; j < sets[i].nitems; j++) {
			r = sets[i].items[j].region;
			if (!cw_alarmdiff_live_covers(live, r)
					&& add_region(out, r) < 0) {
				cJSON_Delete(out);
				return NULL;
			}
		}
	return out;
}

/* ---- the plan */

static struct cw_alarmdiff_entry *add_entry(struct cw_alarmdiff_plan *p)
{
	struct cw_alarmdiff_entry *e;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;

		if (!(e = realloc(p->v, cap * sizeof(*e))))
			return NULL;
		p->v = e;
		p->cap = cap;
	}
	e = &p->v[p->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

/* Region of a live object, "" meaning any (a saved file without ARNs). */
static int same_region(const cJSON *live, const char *region)
{
	const char *r = smem(live, "__region");

	return !r || !*r || !*region || strcmp(r, region) == 0;
}

static cJSON *find_live(const struct cw_alarmdiff_live *live,
	const struct cw_alarmdef_item *it, enum cw_alarmdef_kind *kind)
{
	cJSON *lists[2] = { live->metric, live->composite }, *a;
	int i;

	if (it->kind == CW_ALARMDEF_FILTER) {
		*kind = CW_ALARMDEF_FILTER;
		cJSON_ArrayForEach(a, live->filters)
			if (smem(a, "filterName") && smem(a, "logGroupName")
					&& strcmp(smem(a, "filterName"),
						it->name) == 0
					&& strcmp(smem(a, "logGroupName"),
						it->group) == 0
					&& same_region(a, it->region))
				return a;
		return NULL;
	}
	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(a, lists[i])
			if (strcmp(smem(a, "AlarmName"), it->name) == 0
					&& same_region(a, it->region)) {
				*kind = (enum cw_alarmdef_kind)i;
				return a;
			}
	return NULL;
}

static int add_field(cJSON *fields, const char *name, const cJSON *old,
	const cJSON *new)
{
	cJSON *f = cJSON_CreateObject();

	if (!f)
		return -1;
	cJSON_AddStringToObject(f, "field", name);
	cJSON_AddItemToObject(f, "old", old ? cJSON_Duplicate(old, 1)
		: cJSON_CreateNull());
	cJSON_AddItemToObject(f, "new", new ? cJSON_Duplicate(new, 1)
		: cJSON_CreateNull());
	cJSON_AddItemToArray(fields, f);
	return 0;
}

/* The fields that differ between the normalized forms, in their order. */
static cJSON *compare(enum cw_alarmdef_kind kind, const cJSON *live,
	const cJSON *def)
{
	cJSON *a = cw_alarmdiff_normalize(kind, live);
	cJSON *b = cw_alarmdiff_normalize(kind, def);
	cJSON *fields = cJSON_CreateArray();
	cJSON *none = cJSON_CreateArray();
	const cJSON *m;

	/* An absent list was an empty one: shown as []. */
	cJSON_ArrayForEach(m, b)
		if (!cJSON_Compare(get(a, m->string), m, 1))
			add_field(fields, m->string, get(a, m->string)
				? get(a, m->string) : cJSON_IsArray(m) ? none
				: NULL, m);
	cJSON_ArrayForEach(m, a)
		if (!get(b, m->string))
			add_field(fields, m->string, m, cJSON_IsArray(m) ? none
				: NULL);
	cJSON_Delete(none);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return fields;
}

/* 1 when the log group of filter it was not found in its region. */
static int group_missing(const struct cw_alarmdiff_live *live,
	const struct cw_alarmdef_item *it)
{
	const cJSON *g;
	const char *n, *r;

	if (it->kind != CW_ALARMDEF_FILTER)
		return 0;
	cJSON_ArrayForEach(g, live->missing)
		if ((n = smem(g, "logGroupName")) && (r = smem(g, "__region"))
				&& strcmp(n, it->group) == 0
				&& strcmp(r, it->region) == 0)
			return 1;
	return 0;
}

static int plan_item(struct cw_alarmdiff_plan *plan,
	const struct cw_alarmset *set, const struct cw_alarmdef_item *it,
	const struct cw_alarmdiff_live *live)
{
	struct cw_alarmdiff_entry *e = add_entry(plan);
	enum cw_alarmdef_kind kind = it->kind;
	cJSON *l = find_live(live, it, &kind), *t;

	if (!e)
		return -1;
	e->kind = it->kind;
	e->name = it->name;
	e->group = it->group;
	e->region = it->region;
	e->item = it;
	e->set = set;
	e->live = l;
	e->group_missing = group_missing(live, it);
	if (!l) {
		e->action = CW_ALARMDIFF_CREATE;
		return 0;
	}
	if (!get(l, "__seen"))
		cJSON_AddTrueToObject(l, "__seen");
	if (kind != it->kind) {
		e->fields = cJSON_CreateArray();
		t = cJSON_CreateString(kind == CW_ALARMDEF_METRIC
			? "MetricAlarm" : "CompositeAlarm");
		add_field(e->fields, "AlarmType", t, NULL);
		cJSON_Delete(t);
	} else
		e->fields = compare(it->kind, l, it->def);
	if (!e->fields)
		return -1;
	e->action = e->fields->child ? CW_ALARMDIFF_CHANGE : CW_ALARMDIFF_SAME;
	return 0;
}

static const cJSON *tag_value(const cJSON *tags, const char *key)
{
	const cJSON *t;
	const char *k;

	cJSON_ArrayForEach(t, tags)
		if ((k = smem(t, "Key")) && strcmp(k, key) == 0)
			return get(t, "Value");
	return NULL;
}

static int tag_field(struct cw_alarmdiff_entry *e, const char *key,
	const cJSON *old, const cJSON *new)
{
	struct cw_buf name = CW_BUF_INIT;
	int rc;

	if (!e->fields && !(e->fields = cJSON_CreateArray()))
		return -1;
	rc = cw_buf_addf(&name, "Tags.%s", key) < 0 ? -1
		: add_field(e->fields, cw_buf_str(&name), old, new);
	cw_buf_release(&name);
	if (rc == 0) {
		e->ntags++;
		e->action = CW_ALARMDIFF_CHANGE;
	}
	return rc;
}

/* An ownership tag the alarm lacks or holds with another value. */
static int owner_tag(struct cw_alarmdiff_entry *e, const cJSON *live_tags,
	const char *key, const char *value)
{
	const cJSON *have = tag_value(live_tags, key);
	cJSON *want;
	int rc;

	if (cJSON_IsString(have) && strcmp(have->valuestring, value) == 0)
		return 0;
	if (!(want = cJSON_CreateString(value)))
		return -1;
	rc = tag_field(e, key, have, want);
	cJSON_Delete(want);
	return rc;
}

int cw_alarmdiff_tags(struct cw_alarmdiff_entry *e, const cJSON *live_tags)
{
	const cJSON *t, *want, *have;
	const char *k;

	if (!e->item || !e->live || e->kind == CW_ALARMDEF_FILTER
			|| (e->action != CW_ALARMDIFF_SAME
				&& e->action != CW_ALARMDIFF_CHANGE))
		return 0;
	cJSON_ArrayForEach(t, get(e->item->def, "Tags")) {
		k = smem(t, "Key");
		want = get(t, "Value");
		if (!k || strncmp(k, "aws:", 4) == 0
				|| strcmp(k, CW_ALARMDEF_OWNER_KEY) == 0
				|| strcmp(k, CW_ALARMDEF_SET_KEY) == 0)
			continue;
		have = tag_value(live_tags, k);
		if (have && cJSON_Compare(have, want, 1))
			continue;
		if (tag_field(e, k, have, want) < 0)
			return -1;
	}
	return owner_tag(e, live_tags, CW_ALARMDEF_OWNER_KEY,
		CW_ALARMDEF_OWNER_VALUE) < 0 || owner_tag(e, live_tags,
		CW_ALARMDEF_SET_KEY, e->set->name) < 0 ? -1 : 0;
}

int cw_alarmdiff_needs_put(const struct cw_alarmdiff_entry *e)
{
	return e->action == CW_ALARMDIFF_CREATE
		|| (e->action == CW_ALARMDIFF_CHANGE
			&& cJSON_GetArraySize(e->fields) > e->ntags);
}

/* Live alarms under a set's prefixes that no set defines. */
static int plan_orphans(struct cw_alarmdiff_plan *plan,
	const struct cw_alarmset *sets, size_t nsets, cJSON *list,
	enum cw_alarmdef_kind kind)
{
	struct cw_alarmdiff_entry *e;
	cJSON *a;
	size_t i, j;
	const char *r;

	cJSON_ArrayForEach(a, list) {
		if (get(a, "__seen"))
			continue;
		r = smem(a, "__region");
		for (i = 0; i < nsets; i++) {
			if (!cw_alarmset_owns_name(&sets[i], smem(a, "AlarmName")))
				continue;
			/* Only in the regions the set lives in. */
			for (j = 0; j < sets[i].nitems; j++)
				if (!r || !*r || strcmp(sets[i].items[j].region,
						r) == 0)
					break;
			if (j == sets[i].nitems && !(r && strcmp(r,
					sets[i].region) == 0) && *sets[i].region)
				continue;
			if (!(e = add_entry(plan)))
				return -1;
			e->action = CW_ALARMDIFF_ORPHAN;
			e->kind = kind;
			e->name = smem(a, "AlarmName");
			e->region = r ? r : "";
			e->set = &sets[i];
			e->live = a;
			break;
		}
	}
	return 0;
}

int cw_alarmdiff_plan(struct cw_alarmdiff_plan *plan,
	const struct cw_alarmset *sets, size_t nsets,
	const struct cw_alarmdiff_live *live)
{
	size_t i, j;

	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].nitems; j++)
			if (cw_alarmdiff_live_covers(live,
					sets[i].items[j].region)
					&& plan_item(plan, &sets[i],
						&sets[i].items[j], live) < 0)
				return -1;
	return plan_orphans(plan, sets, nsets, live->metric,
			CW_ALARMDEF_METRIC) < 0
		|| plan_orphans(plan, sets, nsets, live->composite,
			CW_ALARMDEF_COMPOSITE) < 0 ? -1 : 0;
}

void cw_alarmdiff_plan_release(struct cw_alarmdiff_plan *plan)
{
	size_t i;

	for (i = 0; i < plan->n; i++)
		cJSON_Delete(plan->v[i].fields);
	free(plan->v);
	memset(plan, 0, sizeof(*plan));
}

size_t cw_alarmdiff_keep(struct cw_alarmdiff_plan *plan)
{
	size_t i, n = 0;

	for (i = 0; i < plan->n; i++)
		if (plan->v[i].action == CW_ALARMDIFF_DELETE) {
			plan->v[i].action = CW_ALARMDIFF_KEEP;
			n++;
		}
	return n;
}

/* The counts of the entries in region (every entry: NULL). */
static void count_in(const struct cw_alarmdiff_plan *plan,
	const char *region, struct cw_alarmdiff_counts *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < plan->n; i++) {
		if (region && (!plan->v[i].region
				|| strcmp(plan->v[i].region, region) != 0))
			continue;
		switch (plan->v[i].action) {
		case CW_ALARMDIFF_SAME: c->same++; break;
		case CW_ALARMDIFF_CREATE: c->add++; break;
		case CW_ALARMDIFF_CHANGE: c->change++; break;
		case CW_ALARMDIFF_DELETE: c->del++; break;
		case CW_ALARMDIFF_KEEP: c->kept++; break;
		default: break;
		}
	}
}

void cw_alarmdiff_count(const struct cw_alarmdiff_plan *plan,
	struct cw_alarmdiff_counts *c)
{
	count_in(plan, NULL, c);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The regions the plan's entries name, sorted, each once; NULL when
 * fewer than two (out of memory included: the totals still hold). */
static const char **plan_regions(const struct cw_alarmdiff_plan *plan,
	size_t *n)
{
	const char **r = calloc(plan->n + 1, sizeof(*r));
	size_t i, j;

	*n = 0;
	for (i = 0; r && i < plan->n; i++) {
		const char *x = plan->v[i].region;

		if (!x || !*x || plan->v[i].action == CW_ALARMDIFF_ORPHAN)
			continue;
		for (j = 0; j < *n && strcmp(r[j], x) != 0; j++)
			;
		if (j == *n)
			r[(*n)++] = x;
	}
	if (*n < 2) {
		free(r);
		return NULL;
	}
	qsort(r, *n, sizeof(*r), by_name);
	return r;
}

static int add_counts(struct cw_buf *out, const char *region,
	const struct cw_alarmdiff_counts *c)
{
	return cw_buf_addf(out, "Plan%s%s: %d to add, %d to change, "
		"%d to delete, %d unchanged.\n", region ? " in " : "",
		region ? region : "", c->add, c->change, c->del, c->same);
}

/* The totals, after one line a region when the plan spans several and
 * has something to do: a plan in sync stays one line. */
static int summary_text(const struct cw_alarmdiff_plan *plan,
	struct cw_buf *out)
{
	struct cw_alarmdiff_counts c;
	size_t n = 0, i;
	const char **r;
	int rc = 0;

	count_in(plan, NULL, &c);
	r = c.add || c.change || c.del ? plan_regions(plan, &n) : NULL;
	for (i = 0; r && i < n && rc == 0; i++) {
		count_in(plan, r[i], &c);
		rc = add_counts(out, r[i], &c);
	}
	free(r);
	count_in(plan, NULL, &c);
	return rc ? -1 : add_counts(out, NULL, &c);
}

/* ---- output */

static const char *kind_word(enum cw_alarmdef_kind k)
{
	return k == CW_ALARMDEF_COMPOSITE ? "composite alarm"
		: k == CW_ALARMDEF_FILTER ? "metric filter" : "alarm";
}

static const char *type_name(enum cw_alarmdef_kind k)
{
	return k == CW_ALARMDEF_COMPOSITE ? "CompositeAlarm"
		: k == CW_ALARMDEF_FILTER ? "MetricFilter" : "MetricAlarm";
}

static int add_value(struct cw_buf *b, const cJSON *v)
{
	struct cw_buf t = CW_BUF_INIT;
	int rc;

	if (!v || cJSON_IsNull(v))
		return cw_buf_adds(b, "(none)");
	rc = cw_json_print(&t, v, 0) || cw_vis_plan(b, t.p, t.len) ? -1 : 0;
	cw_buf_release(&t);
	return rc;
}

/* The filter cannot be written: PutMetricFilter needs its log group. */
static int missing_text(struct cw_buf *b, const struct cw_alarmdiff_entry *e)
{
	return cw_buf_adds(b, "! metric filter ")
		|| cw_vis_plan(b, e->name, strlen(e->name))
		|| cw_buf_adds(b, ": log group ")
		|| cw_vis_plan(b, e->group, strlen(e->group))
		|| cw_buf_addf(b, " does not exist in %s\n", e->region)
		? -1 : 0;
}

static int entry_text(struct cw_buf *b, const struct cw_alarmdiff_entry *e,
	int color)
{
	static const char *const sign[] = { " ", "+", "~", "-", "?", " " };
	static const char *const col[] = { "", CW_SGR_GREEN, CW_SGR_YELLOW,
		CW_SGR_RED, "", "" };
	const cJSON *f;
	int rc;

	rc = cw_buf_addf(b, "%s%s %s ", color ? col[e->action] : "",
		sign[e->action], kind_word(e->kind));
	if (!rc && e->group)
		rc = cw_vis_plan(b, e->group, strlen(e->group))
			|| cw_buf_addc(b, ' ');
	rc = rc || cw_vis_plan(b, e->name, strlen(e->name));
	if (!rc && e->region && *e->region)
		rc = cw_buf_addf(b, " (%s)", e->region);
	rc = rc || cw_buf_addf(b, "%s\n", color ? CW_SGR_RESET : "");
	if (e->group_missing)
		rc = rc || missing_text(b, e);
	if (e->action != CW_ALARMDIFF_CHANGE)
		return rc ? -1 : 0;
	cJSON_ArrayForEach(f, e->fields) {
		const char *name = cJSON_GetStringValue(get(f, "field"));

		/* a Tags.KEY field holds a definition's key */
		rc = rc || cw_buf_adds(b, "    ")
			|| cw_vis_plan(b, name, strlen(name))
			|| cw_buf_adds(b, ": ")
			|| add_value(b, get(f, "old"))
			|| cw_buf_adds(b, " \xe2\x86\x92 ")
			|| add_value(b, get(f, "new"))
			|| cw_buf_addc(b, '\n');
	}
	return rc ? -1 : 0;
}

int cw_alarmdiff_format_text(const struct cw_alarmdiff_plan *plan,
	struct cw_buf *out, int color)
{
	struct cw_alarmdiff_counts c;
	size_t i;

	for (i = 0; i < plan->n; i++) {
		const struct cw_alarmdiff_entry *e = &plan->v[i];

		if (e->action == CW_ALARMDIFF_SAME
				|| e->action == CW_ALARMDIFF_ORPHAN
				|| e->action == CW_ALARMDIFF_KEEP)
			continue;
		if (entry_text(out, e, color) < 0)
			return -1;
	}
	cw_alarmdiff_count(plan, &c);
	if (c.kept && cw_buf_addf(out, "Not managed: %d alarm%s of the sets "
			"no definition names; --prune deletes %s:\n", c.kept,
			c.kept == 1 ? "" : "s", c.kept == 1 ? "it" : "them") < 0)
		return -1;
	for (i = 0; c.kept && i < plan->n; i++)
		if (plan->v[i].action == CW_ALARMDIFF_KEEP
				&& entry_text(out, &plan->v[i], 0) < 0)
			return -1;
	return summary_text(plan, out);
}

static cJSON *entry_json(const struct cw_alarmdiff_entry *e)
{
	static const char *const act[] = { "unchanged", "create", "change",
		"delete", "orphan", "not managed" };
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "action", act[e->action]);
	cJSON_AddStringToObject(o, "type", type_name(e->kind));
	if (e->group)
		cJSON_AddStringToObject(o, "logGroupName", e->group);
	cJSON_AddStringToObject(o, e->kind == CW_ALARMDEF_FILTER ? "filterName"
		: "AlarmName", e->name);
	if (e->region && *e->region)
		cJSON_AddStringToObject(o, "Region", e->region);
	if (e->set)
		cJSON_AddStringToObject(o, "set", e->set->name);
	if (e->group_missing)
		cJSON_AddFalseToObject(o, "logGroupExists");
	if (e->action == CW_ALARMDIFF_CHANGE)
		cJSON_AddItemToObject(o, "fields", cJSON_Duplicate(e->fields, 1));
	if (e->item && e->set)
		cJSON_AddItemToObject(o, "request", cw_alarmdef_request(e->set,
			e->item));
	return o;
}

int cw_alarmdiff_format_json(const struct cw_alarmdiff_plan *plan,
	struct cw_buf *out)
{
	struct cw_alarmdiff_counts c;
	cJSON *doc = cJSON_CreateObject(), *arr, *sum;
	size_t i;
	int rc;

	if (!doc)
		return -1;
	arr = cJSON_AddArrayToObject(doc, "changes");
	for (i = 0; i < plan->n; i++)
		if (plan->v[i].action != CW_ALARMDIFF_SAME
				&& plan->v[i].action != CW_ALARMDIFF_ORPHAN
				&& plan->v[i].action != CW_ALARMDIFF_KEEP)
			cJSON_AddItemToArray(arr, entry_json(&plan->v[i]));
	cw_alarmdiff_count(plan, &c);
	if (c.kept && (arr = cJSON_AddArrayToObject(doc, "unmanaged")))
		for (i = 0; i < plan->n; i++)
			if (plan->v[i].action == CW_ALARMDIFF_KEEP)
				cJSON_AddItemToArray(arr,
					entry_json(&plan->v[i]));
	sum = cJSON_AddObjectToObject(doc, "summary");
	cJSON_AddNumberToObject(sum, "add", c.add);
	cJSON_AddNumberToObject(sum, "change", c.change);
	cJSON_AddNumberToObject(sum, "delete", c.del);
	cJSON_AddNumberToObject(sum, "unchanged", c.same);
	rc = cw_json_print(out, doc, 0) || cw_buf_addc(out, '\n') ? -1 : 0;
	cJSON_Delete(doc);
	return rc;
}
