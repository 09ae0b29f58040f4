#ifndef CW_CWALARM_H
#define CW_CWALARM_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "client.h"
#include "err.h"

/*
 * CloudWatch alarms as the on-call commands read them: DescribeAlarms
 * (metric and composite alarms, paged, filtered on the server),
 * DescribeAlarmHistory and SetAlarmState, in the client's region.
 */

/* One alarm. The strings point into the set's responses; NULL when the
 * service left the member out. */
struct cw_cwalarm {
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

struct cw_cwalarm_set {
	struct cw_cwalarm *v;
	size_t n, cap;
	cJSON **pages;			/* the responses v points into */
	size_t npages, pcap;
};

struct cw_cwalarm_query {
	const char *state;		/* "ALARM", "OK", "INSUFFICIENT_DATA";
					 * NULL: any */
	const char *prefix;		/* AlarmNamePrefix or NULL */
	const char *const *names;	/* AlarmNames (any count) or NULL */
	size_t nnames;
	int children;			/* fill firing for composites in ALARM */
};

/* Appends the alarms q selects to out (zeroed before first use), with
 * MaxRecords 100 per call. Free with cw_cwalarm_set_release(). */
int cw_cwalarm_describe(struct cw_client *c, const struct cw_cwalarm_query *q,
	struct cw_cwalarm_set *out, struct cw_err *err);
void cw_cwalarm_set_release(struct cw_cwalarm_set *s);
/* The alarm named name in s, or NULL. */
const struct cw_cwalarm *cw_cwalarm_find(const struct cw_cwalarm_set *s,
	const char *name);

/* One DescribeAlarmHistory item; strings valid during the callback. */
struct cw_cwalarm_event {
	int64_t ms;
	const char *type;	/* StateUpdate, Action, ConfigurationUpdate */
	const char *summary;
	const char *reason;	/* newState.stateReason of a StateUpdate, or
				 * NULL */
};

/* Calls fn for each history item of the alarm name (both alarm types),
 * newest first, following every page; fn returns 0 to go on, 1 to stop,
 * -1 (err set) to fail. */
int cw_cwalarm_history(struct cw_client *c, const char *name,
	int (*fn)(void *arg, const struct cw_cwalarm_event *e,
		struct cw_err *err),
	void *arg, struct cw_err *err);

/* SetAlarmState. */
int cw_cwalarm_set_state(struct cw_client *c, const char *name,
	const char *state, const char *reason, struct cw_err *err);

/* "alarm" -> "ALARM", "ok" -> "OK", "insufficient" -> "INSUFFICIENT_DATA",
 * "any" -> NULL (returns 0); -1 for anything else. */
int cw_cwalarm_parse_state(const char *s, const char **out,
	struct cw_err *err);

#endif
