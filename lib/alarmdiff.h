#ifndef CW_ALARMDIFF_H
#define CW_ALARMDIFF_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "alarmdef.h"
#include "buf.h"

/*
 * Normalizes definitions and live alarms on an allowlist of fields
 * (man cw-alarms.5, NORMALIZATION) and compares them into a plan.
 */

/* What the account holds, as DescribeAlarms and DescribeMetricFilters
 * return it; each object carries its region in "__region". */
struct cw_alarmdiff_live {
	cJSON *metric;		/* MetricAlarms */
	cJSON *composite;	/* CompositeAlarms */
	cJSON *filters;		/* metricFilters */
	cJSON *missing;		/* the filters' log groups not found:
				 * {"logGroupName", "__region"} */
	cJSON *regions;		/* saved files: the regions they cover, ""
				 * any; NULL when read live: every one */
};

enum cw_alarmdiff_action {
	CW_ALARMDIFF_SAME,
	CW_ALARMDIFF_CREATE,
	CW_ALARMDIFF_CHANGE,
	CW_ALARMDIFF_DELETE,
	CW_ALARMDIFF_ORPHAN,	/* under the prefixes, not defined: delete
				 * only when owned (tags) */
	CW_ALARMDIFF_KEEP	/* owned, not defined, kept: no --prune */
};

struct cw_alarmdiff_entry {
	enum cw_alarmdiff_action action;
	enum cw_alarmdef_kind kind;
	const char *name, *group, *region;
	const struct cw_alarmdef_item *item;	/* NULL for orphans */
	const struct cw_alarmset *set;		/* the set it belongs to */
	const cJSON *live;			/* NULL for creates */
	cJSON *fields;		/* changes: [{"field","old","new"}] */
	int ntags;		/* of them, "Tags.KEY" fields: no Put */
	int group_missing;	/* a filter whose log group does not exist */
};

struct cw_alarmdiff_plan {
	struct cw_alarmdiff_entry *v;
	size_t n, cap;
};

int cw_alarmdiff_live_init(struct cw_alarmdiff_live *live);
void cw_alarmdiff_live_release(struct cw_alarmdiff_live *live);
/* Adds (copies of) the MetricAlarms and CompositeAlarms of a
 * DescribeAlarms result or a saved describe-alarms file, in region; with
 * region NULL, in the region of each AlarmArn ("" when it has none:
 * any region). */
int cw_alarmdiff_live_add(struct cw_alarmdiff_live *live, const cJSON *res,
	const char *region);

/* Adds a saved describe-alarms file: its alarms in the region of their
 * AlarmArn, and those regions as covered (any region when no alarm has
 * an ARN: the file cannot say). -1 on allocation failure. */
int cw_alarmdiff_live_add_file(struct cw_alarmdiff_live *live,
	const cJSON *doc);
/* 1 when live holds what region has ("" : unknown, taken as covered). */
int cw_alarmdiff_live_covers(const struct cw_alarmdiff_live *live,
	const char *region);
/* The regions the items of the sets use that live does not cover, each
 * once: a new array, NULL on allocation failure. Those items are left
 * out of the plan. */
cJSON *cw_alarmdiff_uncovered(const struct cw_alarmset *sets, size_t nsets,
	const struct cw_alarmdiff_live *live);

/* The normalized form of a definition or live object of kind: only the
 * compared fields, defaults filled, lists sorted. Free it. */
cJSON *cw_alarmdiff_normalize(enum cw_alarmdef_kind kind, const cJSON *obj);

/* A definition written from a live object: its name members plus the
 * normalized fields that differ from their defaults. Free it. */
cJSON *cw_alarmdiff_export(enum cw_alarmdef_kind kind, const cJSON *obj);

/* Compares every item of the sets with live. 0, or -1 on allocation
 * failure. */
int cw_alarmdiff_plan(struct cw_alarmdiff_plan *plan,
	const struct cw_alarmset *sets, size_t nsets,
	const struct cw_alarmdiff_live *live);
void cw_alarmdiff_plan_release(struct cw_alarmdiff_plan *plan);

/* Compares the tags a defined alarm's definition names, and the
 * ownership tags of its set, with live_tags (its Tags list): each key
 * with another value or missing becomes a "Tags.KEY" field and the entry
 * a change, as cw-alarm-apply will set it. Keys the definition does not
 * name are not looked at: another tool's tags are not ours to judge.
 * 0, or -1 on allocation failure. */
int cw_alarmdiff_tags(struct cw_alarmdiff_entry *e, const cJSON *live_tags);
/* 1 when the entry needs a Put: created, or changed in more than tags. */
int cw_alarmdiff_needs_put(const struct cw_alarmdiff_entry *e);

/* Without prune, the deletions stay: they become kept entries, shown
 * as not managed and not counted as differences. Their number. */
size_t cw_alarmdiff_keep(struct cw_alarmdiff_plan *plan);

struct cw_alarmdiff_counts {
	int add, change, del, same, kept;
};

void cw_alarmdiff_count(const struct cw_alarmdiff_plan *plan,
	struct cw_alarmdiff_counts *c);

/* The plan as text (+ ~ - lines, the kept alarms as not managed, and
 * the "Plan:" line) or as one JSON document. color: ANSI colors for a
 * terminal. cw-alarm-diff and cw-alarm-apply print the same. */
int cw_alarmdiff_format_text(const struct cw_alarmdiff_plan *plan,
	struct cw_buf *out, int color);
int cw_alarmdiff_format_json(const struct cw_alarmdiff_plan *plan,
	struct cw_buf *out);

/* "arn:aws:cloudwatch:REGION:..." -> REGION into out; "" when not. */
void cw_alarmdiff_arn_region(const char *arn, char *out, size_t size);

#endif
