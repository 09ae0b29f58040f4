#ifndef CW_ALARMS_H
#define CW_ALARMS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "client.h"
#include "err.h"

/*
 * The CloudWatch alarm calls, in the client's region: DescribeAlarms
 * (metric and composite alarms, paged, filtered on the server),
 * DescribeAlarmHistory, SetAlarmState, ListTagsForResource,
 * ListMetrics, and DescribeMetricFilters of CloudWatch Logs.
 */

/* One alarm. The strings point into the set's responses; NULL when the
 * service left the member out. */
struct cw_alarm {
	const char *name, *arn, *state, *reason;
	const char *eval_state;		/* EvaluationState, rare */
	int64_t since_ms;		/* StateTransitionedTimestamp, else
					 * StateUpdatedTimestamp; 0: unknown */
	int composite;
	int actions_enabled;
	int nalarm_actions;		/* AlarmActions */
	const cJSON *json;		/* the whole item (cw-metric --alarm) */
	struct cw_buf firing;		/* composites in ALARM: the children
					 * in ALARM, one name a line (names
					 * hold no control characters) */
};

struct cw_alarms_set {
	struct cw_alarm *v;
	size_t n, cap;
	cJSON **pages;			/* the responses v points into */
	size_t npages, pcap;
};

struct cw_alarms_query {
	const char *state;		/* "ALARM", "OK", "INSUFFICIENT_DATA";
					 * NULL: any */
	const char *prefix;		/* AlarmNamePrefix; NULL or "": any */
	const char *const *names;	/* AlarmNames (any count) or NULL */
	size_t nnames;
	int children;			/* fill firing for composites in ALARM */
};

/* Appends the alarms q selects to out (zeroed before first use), with
 * MaxRecords 100 per call. Free with cw_alarms_set_release(). */
int cw_alarms_describe(struct cw_client *c, const struct cw_alarms_query *q,
	struct cw_alarms_set *out, struct cw_err *err);
void cw_alarms_set_release(struct cw_alarms_set *s);
/* Drops the repeats of a name from names[0..n), keeping the first of
 * each in its place and the order; returns the count left. -1 when out
 * of memory (names unchanged). */
long cw_alarms_unique_names(const char **names, size_t n);
/* The alarm named name in s, or NULL. */
const struct cw_alarm *cw_alarms_find(const struct cw_alarms_set *s,
	const char *name);

/* One DescribeAlarmHistory item; strings valid during the callback. */
struct cw_alarms_event {
	int64_t ms;		/* CW_AWSJSON_BAD_TIME: out of range */
	const char *type;	/* StateUpdate, Action, ConfigurationUpdate */
	const char *summary;
	const char *reason;	/* newState.stateReason of a StateUpdate, or
				 * NULL */
};

/* Calls fn for each history item of the alarm name (both alarm types),
 * newest first, following every page; fn returns 0 to go on, 1 to stop,
 * -1 (err set) to fail. */
int cw_alarms_history(struct cw_client *c, const char *name,
	int (*fn)(void *arg, const struct cw_alarms_event *e,
		struct cw_err *err),
	void *arg, struct cw_err *err);

/* SetAlarmState. */
int cw_alarms_set_state(struct cw_client *c, const char *name,
	const char *state, const char *reason, struct cw_err *err);

/* "alarm" -> "ALARM", "ok" -> "OK", "insufficient" -> "INSUFFICIENT_DATA",
 * "any" -> NULL (returns 0); -1 for anything else. */
int cw_alarms_parse_state(const char *s, const char **out,
	struct cw_err *err);

/* Called with every page of DescribeAlarms (MetricAlarms and
 * CompositeAlarms); returns 0 to go on, -1 to fail (filling err). */
typedef int cw_alarms_page_fn(void *arg, const cJSON *page,
	struct cw_err *err);

/* The pages of the alarms q selects (q->names and q->children aside),
 * 100 alarms a call, for who reads them whole. */
int cw_alarms_pages(struct cw_client *c, const struct cw_alarms_query *q,
	cw_alarms_page_fn *fn, void *arg, struct cw_err *err);

/* The tags of one alarm: *tags is the Tags list, freed by the caller. */
int cw_alarms_tags(struct cw_client *c, const char *arn, cJSON **tags,
	struct cw_err *err);

/* The value of tag key in a Tags list, or NULL. */
const char *cw_alarms_tag(const cJSON *tags, const char *key);

/* Every metric filter of a log group, appended (duplicated) to out; a
 * missing group has none. c is a CloudWatch Logs client. */
int cw_alarms_filters(struct cw_client *c, const char *group, cJSON *out,
	struct cw_err *err);

/* Every metric ListMetrics knows with this namespace and name, appended
 * (duplicated) to out. */
int cw_alarms_list_metrics(struct cw_client *c, const char *ns,
	const char *name, cJSON *out, struct cw_err *err);

#endif
