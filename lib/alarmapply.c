#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alarmapply.h"
#include "alarms.h"
#include "awsjson.h"
#include "buf.h"
#include "logs.h"
#include "pool.h"
#include "banned.h"

/* ---- reading the account */

struct page_arg {
	struct cw_alarmdiff_live *live;
	const struct cw_alarmapply_io *io;
	const char *region;
};

static int take_page(void *arg, const cJSON *page, struct cw_err *err)
{
	struct page_arg *p = arg;

	if (cw_alarmdiff_live_add(p->live, page, p->region) < 0)
		return cw_err_set(err, "out of memory");
	/* The next page is the next call: its turn comes first. */
	return cw_awsjson_str(page, "NextToken") ? p->io->pace(p->io->arg,
		"DescribeAlarms", err) : 0;
}

static int seen(const char **list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

#define MAX_REGIONS 64
#define MAX_GROUPS 1024

/* The distinct regions of the sets and their items. */
static int regions(const struct cw_alarmset *sets, size_t nsets,
	const char **out, size_t *n, struct cw_err *err)
{
	size_t i, j;
	const char *r;

	*n = 0;
	for (i = 0; i < nsets; i++)
		for (j = 0; j <= sets[i].nitems; j++) {
			r = j ? sets[i].items[j - 1].region : sets[i].region;
			if (!*r || seen(out, *n, r))
				continue;
			if (*n == MAX_REGIONS)
				return cw_err_set(err, "more than %d regions",
					MAX_REGIONS);
			out[(*n)++] = r;
		}
	return 0;
}

/* 1 when set lives in region: its own, or one of its items'. */
static int set_in(const struct cw_alarmset *set, const char *region)
{
	size_t i;

	if (strcmp(set->region, region) == 0)
		return 1;
	for (i = 0; i < set->nitems; i++)
		if (strcmp(set->items[i].region, region) == 0)
			return 1;
	return 0;
}

/* 1 when prefix j of set i is read already in region, for an earlier
 * set there, or does not concern it. */
static int prefix_done(const struct cw_alarmset *sets, size_t i, size_t j,
	const char *region)
{
	size_t a, b;

	if (!set_in(&sets[i], region))
		return 1;
	for (a = 0; a <= i; a++)
		for (b = 0; b < (a == i ? j : sets[a].nprefixes); b++)
			if (set_in(&sets[a], region)
					&& strcmp(sets[a].prefixes[b],
						sets[i].prefixes[j]) == 0)
				return 1;
	return 0;
}

static int read_alarms(struct cw_alarmdiff_live *live,
	const struct cw_alarmset *sets, size_t nsets, const char *region,
	const struct cw_alarmapply_io *io, struct cw_err *err)
{
	struct page_arg pa = { live, io, region };
	struct cw_client *c = io->client(io->arg, &cw_service_monitoring,
		region, err);
	size_t i, j;
	struct cw_alarms_query q = { 0 };

	if (!c)
		return -1;
	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].nprefixes; j++) {
			q.prefix = sets[i].prefixes[j];
			if (!prefix_done(sets, i, j, region) && (io->pace(
					io->arg, "DescribeAlarms", err) < 0
					|| cw_alarms_pages(c, &q, take_page, &pa,
						err) < 0))
				return -1;
		}
	return 0;
}

/* ---- the filters' log groups: PutMetricFilter fails on a group that
 * does not exist, so the plan says so before anything is written. */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct log groups of the filters in region, sorted. */
static size_t filter_groups(const struct cw_alarmset *sets, size_t nsets,
	const char *region, const char **out)
{
	size_t i, j, n = 0;

	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].nitems; j++) {
			const struct cw_alarmdef_item *it = &sets[i].items[j];

			if (it->kind == CW_ALARMDEF_FILTER && n < MAX_GROUPS
					&& strcmp(it->region, region) == 0
					&& !seen(out, n, it->group))
				out[n++] = it->group;
		}
	qsort(out, n, sizeof(*out), cmp_name);
	return n;
}

/* The names one prefix call answers for: want[0..n), all starting with
 * the prefix; found[i] set as they are listed. */
struct group_find {
	const char *const *want;
	char *found;
	size_t n, left;
};

static int find_group(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	struct group_find *f = arg;
	size_t i;

	(void)err;
	for (i = 0; i < f->n; i++)
		if (!f->found[i] && strcmp(f->want[i], g->name) == 0) {
			f->found[i] = 1;
			f->left--;
		}
	/* every name found: the later pages cannot change the answer */
	return f->left == 0;
}

static int add_missing(struct cw_alarmdiff_live *live, const char *group,
	const char *region)
{
	cJSON *m = cJSON_CreateObject();

	if (!m || !cJSON_AddStringToObject(m, "logGroupName", group)
			|| !cJSON_AddStringToObject(m, "__region", region)) {
		cJSON_Delete(m);
		return -1;
	}
	cJSON_AddItemToArray(live->missing, m);
	return 0;
}

/*
 * One DescribeLogGroups a name, its name the prefix, paged; a name that
 * starts with a name asked for already is answered by that call (sorted,
 * such names follow it). The groups not listed go to live->missing.
 */
static int check_groups(struct cw_alarmdiff_live *live, const char **want,
	size_t n, const char *region, const struct cw_alarmapply_io *io,
	struct cw_err *err)
{
	char *found = calloc(n ? n : 1, 1);
	struct cw_client *c = NULL;
	struct group_find f;
	size_t i = 0, j;
	int rc = found ? 0 : cw_err_set(err, "out of memory");

	while (rc == 0 && i < n) {
		for (j = i + 1; j < n && strncmp(want[j], want[i],
				strlen(want[i])) == 0; j++)
			;
		f = (struct group_find){ want + i, found + i, j - i, j - i };
		if ((!c && !(c = io->client(io->arg, &cw_service_logs, region,
				err))) || io->pace(io->arg, "DescribeLogGroups",
				err) < 0 || cw_logs_groups(c, want[i], find_group,
				&f, err) < 0)
			rc = -1;
		i = j;
	}
	for (i = 0; rc == 0 && i < n; i++)
		if (!found[i] && add_missing(live, want[i], region) < 0)
			rc = cw_err_set(err, "out of memory");
	free(found);
	return rc;
}

static int missing(const struct cw_alarmdiff_live *live, const char *group,
	const char *region)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, live->missing)
		if (strcmp(cw_awsjson_str(m, "logGroupName"), group) == 0
				&& strcmp(cw_awsjson_str(m, "__region"),
					region) == 0)
			return 1;
	return 0;
}

static int read_filters(struct cw_alarmdiff_live *live,
	const struct cw_alarmset *sets, size_t nsets, const char *region,
	const struct cw_alarmapply_io *io, struct cw_err *err)
{
	const char **done = calloc(MAX_GROUPS, sizeof(*done));
	struct cw_client *c = NULL;
	cJSON *list = cJSON_CreateArray(), *f;
	size_t i, j, n = 0;
	int rc = done && list ? 0 : cw_err_set(err, "out of memory");

	if (rc == 0 && (n = filter_groups(sets, nsets, region, done)))
		rc = check_groups(live, done, n, region, io, err);
	n = 0;
	for (i = 0; rc == 0 && i < nsets; i++)
		for (j = 0; rc == 0 && j < sets[i].nitems; j++) {
			const struct cw_alarmdef_item *it = &sets[i].items[j];

			if (it->kind != CW_ALARMDEF_FILTER || strcmp(it->region,
					region) != 0 || seen(done, n, it->group)
					|| n == MAX_GROUPS
					|| missing(live, it->group, region))
				continue;
			if (!c && !(c = io->client(io->arg, &cw_service_logs,
					region, err)))
				rc = -1;
			else if (io->pace(io->arg, "DescribeMetricFilters",
					err) < 0)
				rc = -1;
			else {
				done[n++] = it->group;
				rc = cw_alarms_filters(c, it->group, list, err);
			}
		}
	while (rc == 0 && (f = cJSON_DetachItemFromArray(list, 0))) {
		cJSON_AddStringToObject(f, "__region", region);
		cJSON_AddItemToArray(live->filters, f);
	}
	cJSON_Delete(list);
	free(done);
	return rc;
}

/* One region's reads, into a live of its own. */
struct region_read {
	const struct cw_alarmset *sets;
	size_t nsets;
	const struct cw_alarmapply_io *io;
	const char *region;
	struct cw_alarmdiff_live live;
	int rc;
	struct cw_err err;
};

static void read_region(void *arg, size_t i)
{
	struct region_read *r = (struct region_read *)arg + i;

	cw_err_clear(&r->err);
	r->rc = cw_alarmdiff_live_init(&r->live) < 0
		? cw_err_set(&r->err, "out of memory")
		: read_alarms(&r->live, r->sets, r->nsets, r->region, r->io,
			&r->err) < 0 || read_filters(&r->live, r->sets,
			r->nsets, r->region, r->io, &r->err) < 0 ? -1 : 0;
}

/* Moves every item of from to the end of to. */
static void move_all(cJSON *to, cJSON *from)
{
	cJSON *x;

	while ((x = cJSON_DetachItemFromArray(from, 0)))
		cJSON_AddItemToArray(to, x);
}

int cw_alarmapply_read(struct cw_alarmdiff_live *live,
	const struct cw_alarmset *sets, size_t nsets,
	const struct cw_alarmapply_io *io, struct cw_err *err)
{
	const char *r[MAX_REGIONS];
	struct region_read *rr;
	size_t i, n;
	int rc = 0;

	if (regions(sets, nsets, r, &n, err) < 0)
		return -1;
	if (!(rr = calloc(n ? n : 1, sizeof(*rr))))
		return cw_err_set(err, "out of memory");
	for (i = 0; i < n; i++)
		rr[i] = (struct region_read){ .sets = sets, .nsets = nsets,
			.io = io, .region = r[i] };
	cw_pool_run(n, CW_POOL_MAX, read_region, rr);
	/* in the regions' order, whichever answered first */
	for (i = 0; i < n; i++) {
		if (rc == 0 && rr[i].rc < 0) {
			*err = rr[i].err;
			rc = -1;
		}
		if (rc == 0) {
			move_all(live->metric, rr[i].live.metric);
			move_all(live->composite, rr[i].live.composite);
			move_all(live->filters, rr[i].live.filters);
			move_all(live->missing, rr[i].live.missing);
		}
		cw_alarmdiff_live_release(&rr[i].live);
	}
	free(rr);
	return rc;
}

/* One region's ListTagsForResource calls. */
struct region_tags {
	const struct cw_alarmdiff_plan *plan;
	const struct cw_alarmapply_io *io;
	cJSON **tags;
	const char *region;
	int rc;
	struct cw_err err;
};

static void tags_in_region(void *arg, size_t k)
{
	struct region_tags *r = (struct region_tags *)arg + k;
	const struct cw_alarmdiff_entry *e;
	struct cw_client *c = NULL;
	const char *arn;
	size_t i;

	cw_err_clear(&r->err);
	for (i = 0; r->rc == 0 && i < r->plan->n; i++) {
		e = &r->plan->v[i];
		if (!e->live || e->kind == CW_ALARMDEF_FILTER
				|| strcmp(e->region, r->region) != 0
				|| !(arn = cw_awsjson_str(e->live, "AlarmArn")))
			continue;
		if ((!c && !(c = r->io->client(r->io->arg,
				&cw_service_monitoring, r->region, &r->err)))
				|| r->io->pace(r->io->arg, "ListTagsForResource",
				&r->err) < 0 || cw_alarms_tags(c, arn,
				&r->tags[i], &r->err) < 0)
			r->rc = -1;
	}
}

int cw_alarmapply_tags(const struct cw_alarmdiff_plan *plan,
	const struct cw_alarmapply_io *io, cJSON **tags, struct cw_err *err)
{
	const char *r[MAX_REGIONS];
	struct region_tags *rt;
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < plan->n; i++)
		if (plan->v[i].live && !seen(r, n, plan->v[i].region)) {
			if (n == MAX_REGIONS)
				return cw_err_set(err, "more than %d regions",
					MAX_REGIONS);
			r[n++] = plan->v[i].region;
		}
	if (!(rt = calloc(n ? n : 1, sizeof(*rt))))
		return cw_err_set(err, "out of memory");
	for (i = 0; i < n; i++)
		rt[i] = (struct region_tags){ .plan = plan, .io = io,
			.tags = tags, .region = r[i] };
	cw_pool_run(n, CW_POOL_MAX, tags_in_region, rt);
	for (i = 0; rc == 0 && i < n; i++)
		if (rt[i].rc < 0) {
			*err = rt[i].err;
			rc = -1;
		}
	free(rt);
	return rc;
}

/* ---- ownership and tags */

enum cw_alarmapply_owner cw_alarmapply_owner(const cJSON *tags,
	const char *set)
{
	const char *o = cw_alarms_tag(tags, CW_ALARMDEF_OWNER_KEY);
	const char *s = cw_alarms_tag(tags, CW_ALARMDEF_SET_KEY);

	if (!o || !s || strcmp(o, CW_ALARMDEF_OWNER_VALUE) != 0)
		return CW_ALARMAPPLY_UNOWNED;
	return strcmp(s, set) == 0 ? CW_ALARMAPPLY_OURS : CW_ALARMAPPLY_OTHER;
}

static int reserved(const char *key)
{
	return strncmp(key, "aws:", 4) == 0;
}

int cw_alarmapply_tag_changes(const cJSON *live, const cJSON *want,
	cJSON **add)
{
	const cJSON *t;
	const char *k, *v, *have;

	if (!(*add = cJSON_CreateArray()))
		return -1;
	cJSON_ArrayForEach(t, want) {
		k = cw_awsjson_str(t, "Key");
		v = cw_awsjson_str(t, "Value");
		if (!k || reserved(k))
			continue;
		have = cw_alarms_tag(live, k);
		if (have && strcmp(have, v ? v : "") == 0)
			continue;
		if (!cJSON_AddItemToArray(*add, cJSON_Duplicate(t, 1))) {
			cJSON_Delete(*add);
			*add = NULL;
			return -1;
		}
	}
	if (!cJSON_GetArraySize(*add)) {
		cJSON_Delete(*add);
		*add = NULL;
	}
	return 0;
}

/* ---- the calls */

static struct cw_alarmapply_op *add_op(struct cw_alarmapply *a,
	enum cw_alarmapply_kind kind, const char *op, const char *region,
	cJSON *req)
{
	struct cw_alarmapply_op *o;

	if (!req)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;

		if (!(o = realloc(a->v, cap * sizeof(*o)))) {
			cJSON_Delete(req);
			return NULL;
		}
		a->v = o;
		a->cap = cap;
	}
	o = &a->v[a->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->op = op;
	o->region = region ? region : "";
	o->req = req;
	return o;
}

static const char *kind_word(enum cw_alarmdef_kind k)
{
	return k == CW_ALARMDEF_COMPOSITE ? "composite alarm"
		: k == CW_ALARMDEF_FILTER ? "metric filter" : "alarm";
}

/* "verb kind [group ]name (region)" */
static char *label(const char *verb, const struct cw_alarmdiff_entry *e)
{
	struct cw_buf b = CW_BUF_INIT;

	cw_buf_addf(&b, "%s %s ", verb, kind_word(e->kind));
	if (e->group)
		cw_buf_addf(&b, "%s ", e->group);
	cw_buf_adds(&b, e->name);
	if (e->region && *e->region)
		cw_buf_addf(&b, " (%s)", e->region);
	return cw_buf_detach(&b, NULL);
}

static int put_op(struct cw_alarmapply *a, const struct cw_alarmdiff_entry *e)
{
	static const char *const ops[] = { "PutMetricAlarm",
		"PutCompositeAlarm", "PutMetricFilter" };
	static const enum cw_alarmapply_kind kinds[] = {
		CW_ALARMAPPLY_PUT_METRIC, CW_ALARMAPPLY_PUT_COMPOSITE,
		CW_ALARMAPPLY_PUT_FILTER };
	struct cw_alarmapply_op *o = add_op(a, kinds[e->kind], ops[e->kind],
		e->region, cw_alarmdef_request(e->set, e->item));

	struct cw_buf why = CW_BUF_INIT;

	if (!o || !(o->what = label(e->action == CW_ALARMDIFF_CREATE
			? "create" : "update", e)))
		return -1;
	if (!e->group_missing)
		return 0;
	/* Failed before it is made: the service would refuse it. */
	o->state = CW_ALARMAPPLY_FAILED;
	if (cw_buf_addf(&why, "log group %s does not exist in %s", e->group,
			e->region) < 0) {
		cw_buf_release(&why);
		return -1;
	}
	o->error = cw_buf_detach(&why, NULL);
	return o->error ? 0 : -1;
}

/* A change in tags only is the tag call's: CloudWatch ignores the Tags
 * of a Put that updates an alarm. */
static int is_put(const struct cw_alarmdiff_entry *e,
	enum cw_alarmdef_kind kind)
{
	return e->kind == kind && cw_alarmdiff_needs_put(e);
}

/* Index of the entry named name in list (of n plan indexes), or -1. */
static long find(const struct cw_alarmdiff_plan *plan, const size_t *list,
	size_t n, const char *name, const char *region)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct cw_alarmdiff_entry *e = &plan->v[list[i]];

		if (strcmp(e->name, name) == 0 && (!*region || !*e->region
				|| strcmp(e->region, region) == 0))
			return (long)i;
	}
	return -1;
}

static const char *rule_of(const struct cw_alarmdiff_entry *e, int live)
{
	return cw_awsjson_str(live ? e->live : e->item->def, "AlarmRule");
}

/*
 * Orders the composite entries in list so each comes after the
 * composites its rule names (children first), or before them (parents
 * first). Rules come from the definitions for puts, from the account for
 * deletions.
 */
static int order_composites(const struct cw_alarmdiff_plan *plan,
	size_t *list, size_t n, int parents_first, int live,
	struct cw_err *err)
{
	size_t *out = calloc(n ? n : 1, sizeof(*out)), done = 0, i;
	char *placed = calloc(n ? n : 1, 1);
	cJSON **kids = calloc(n ? n : 1, sizeof(*kids));
	int rc = -1, progress = 1;

	if (!out || !placed || !kids) {
		cw_err_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *rule = rule_of(&plan->v[list[i]], live);

		kids[i] = cw_alarmdef_rule_names(rule ? rule : "");
	}
	while (done < n && progress) {
		progress = 0;
		for (i = 0; i < n; i++) {
			const cJSON *k;
			int ready = 1;

			if (placed[i])
				continue;
			/* Children first: wait for my children. Parents
			 * first: wait for every composite naming me. */
			if (!parents_first) {
				cJSON_ArrayForEach(k, kids[i]) {
					long j = find(plan, list, n,
						k->valuestring,
						plan->v[list[i]].region);

					if (j >= 0 && (size_t)j != i
							&& !placed[j])
						ready = 0;
				}
			} else {
				size_t j;

				for (j = 0; j < n && ready; j++)
					cJSON_ArrayForEach(k, kids[j])
						if (j != i && !placed[j]
								&& strcmp(k->valuestring,
								plan->v[list[i]].name) == 0)
							ready = 0;
			}
			if (ready) {
				placed[i] = 1;
				out[done++] = list[i];
				progress = 1;
			}
		}
	}
	if (done < n) {
		for (i = 0; i < n && placed[i]; i++)
			;
		cw_err_set(err, "composite alarm %.255s: its rule is part of a "
			"cycle of composite alarms", plan->v[list[i]].name);
		goto out;
	}
	memcpy(list, out, n * sizeof(*list));
	rc = 0;
out:
	for (i = 0; kids && i < n; i++)
		cJSON_Delete(kids[i]);
	free(kids);
	free(placed);
	free(out);
	return rc;
}

/* "tag alarm NAME (REGION): KEY, KEY": the keys the call sets. */
static char *tag_label(const struct cw_alarmdiff_entry *e, const cJSON *add)
{
	struct cw_buf b = CW_BUF_INIT;
	char *head = label("tag", e);
	const cJSON *t;
	const char *sep = ": ";

	if (!head)
		return NULL;
	cw_buf_adds(&b, head);
	free(head);
	cJSON_ArrayForEach(t, add) {
		cw_buf_addf(&b, "%s%s", sep, cw_awsjson_str(t, "Key"));
		sep = ", ";
	}
	return cw_buf_detach(&b, NULL);
}

static int tag_ops(struct cw_alarmapply *a, const struct cw_alarmdiff_entry *e,
	const cJSON *live_tags)
{
	cJSON *want = cw_alarmdef_request(e->set, e->item), *add, *req;
	const char *arn = cw_awsjson_str(e->live, "AlarmArn");
	struct cw_alarmapply_op *o;
	int rc = -1;

	if (!want || cw_alarmapply_tag_changes(live_tags,
			cJSON_GetObjectItemCaseSensitive(want, "Tags"),
			&add) < 0)
		goto out;
	rc = 0;
	if (add && arn) {
		if (!(req = cJSON_CreateObject())) {
			cJSON_Delete(add);
			rc = -1;
			goto out;
		}
		cJSON_AddStringToObject(req, "ResourceARN", arn);
		cJSON_AddItemToObject(req, "Tags", add);
		if (!(o = add_op(a, CW_ALARMAPPLY_TAG, "TagResource", e->region,
				req)) || !(o->what = tag_label(e, add)))
			rc = -1;
	} else
		cJSON_Delete(add);
out:
	cJSON_Delete(want);
	return rc;
}

static int delete_op(struct cw_alarmapply *a, const struct cw_alarmdiff_plan
	*plan, const size_t *list, size_t n, const char *region)
{
	cJSON *req = cJSON_CreateObject(), *names;
	struct cw_alarmapply_op *o;
	struct cw_buf b = CW_BUF_INIT;
	size_t i;

	if (!req || !(names = cJSON_AddArrayToObject(req, "AlarmNames"))) {
		cJSON_Delete(req);
		return -1;
	}
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(names, cJSON_CreateString(
			plan->v[list[i]].name));
	if (!(o = add_op(a, CW_ALARMAPPLY_DELETE, "DeleteAlarms", region, req)))
		return -1;
	if (n == 1)
		o->what = label("delete", &plan->v[list[0]]);
	else {
		cw_buf_addf(&b, "delete %zu alarms (%s): ", n, region);
		for (i = 0; i < n; i++)
			cw_buf_addf(&b, "%s%s", i ? ", " : "",
				plan->v[list[i]].name);
		o->what = cw_buf_detach(&b, NULL);
	}
	return o->what ? 0 : -1;
}

/* Metric alarm deletions, by region, 100 a call. */
static int delete_metrics(struct cw_alarmapply *a,
	const struct cw_alarmdiff_plan *plan, size_t *list, size_t n)
{
	size_t i, j, k, m;
	char *used = calloc(n ? n : 1, 1);
	size_t *batch = calloc(CW_ALARMAPPLY_DELETE_BATCH, sizeof(*batch));
	int rc = used && batch ? 0 : -1;

	for (i = 0; rc == 0 && i < n; i++) {
		if (used[i])
			continue;
		for (j = i, m = 0; j < n && m < CW_ALARMAPPLY_DELETE_BATCH; j++) {
			k = list[j];
			if (used[j] || strcmp(plan->v[k].region,
					plan->v[list[i]].region) != 0)
				continue;
			used[j] = 1;
			batch[m++] = k;
		}
		rc = delete_op(a, plan, batch, m, plan->v[list[i]].region);
	}
	free(used);
	free(batch);
	return rc;
}

static size_t select_entries(const struct cw_alarmdiff_plan *plan,
	size_t *list, int (*pick)(const struct cw_alarmdiff_entry *, int),
	int arg)
{
	size_t i, n = 0;

	for (i = 0; i < plan->n; i++)
		if (pick(&plan->v[i], arg))
			list[n++] = i;
	return n;
}

static int pick_put(const struct cw_alarmdiff_entry *e, int kind)
{
	return is_put(e, (enum cw_alarmdef_kind)kind);
}

static int pick_delete(const struct cw_alarmdiff_entry *e, int kind)
{
	return e->action == CW_ALARMDIFF_DELETE
		&& e->kind == (enum cw_alarmdef_kind)kind;
}

int cw_alarmapply_build(struct cw_alarmapply *a,
	const struct cw_alarmdiff_plan *plan, cJSON *const *tags, int prune,
	struct cw_err *err)
{
	size_t *list = calloc(plan->n ? plan->n : 1, sizeof(*list)), n, i;
	static const enum cw_alarmdef_kind order[] = { CW_ALARMDEF_FILTER,
		CW_ALARMDEF_METRIC, CW_ALARMDEF_COMPOSITE };
	int rc = -1, k;

	if (!list)
		goto nomem;
	for (k = 0; k < 3; k++) {
		n = select_entries(plan, list, pick_put, (int)order[k]);
		if (order[k] == CW_ALARMDEF_COMPOSITE && order_composites(plan,
				list, n, 0, 0, err) < 0)
			goto out;
		for (i = 0; i < n; i++)
			if (put_op(a, &plan->v[list[i]]) < 0)
				goto nomem;
	}
	for (i = 0; tags && i < plan->n; i++) {
		const struct cw_alarmdiff_entry *e = &plan->v[i];

		if (tags[i] && e->item && e->live && e->kind
				!= CW_ALARMDEF_FILTER && (e->action
				== CW_ALARMDIFF_SAME || e->action
				== CW_ALARMDIFF_CHANGE) && tag_ops(a, e,
				tags[i]) < 0)
			goto nomem;
	}
	if (prune) {
		n = select_entries(plan, list, pick_delete,
			CW_ALARMDEF_COMPOSITE);
		if (order_composites(plan, list, n, 1, 1, err) < 0)
			goto out;
		for (i = 0; i < n; i++)	/* one composite a call */
			if (delete_op(a, plan, &list[i], 1,
					plan->v[list[i]].region) < 0)
				goto nomem;
		n = select_entries(plan, list, pick_delete, CW_ALARMDEF_METRIC);
		if (delete_metrics(a, plan, list, n) < 0)
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	cw_err_set(err, "out of memory");
out:
	free(list);
	return rc;
}

void cw_alarmapply_release(struct cw_alarmapply *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].what);
		free(a->v[i].error);
		cJSON_Delete(a->v[i].req);
	}
	free(a->v);
	memset(a, 0, sizeof(*a));
}

const struct cw_service *cw_alarmapply_service(const struct cw_alarmapply_op *o)
{
	return o->kind == CW_ALARMAPPLY_PUT_FILTER ? &cw_service_logs
		: &cw_service_monitoring;
}
