#ifndef CW_ALARMS_H
#define CW_ALARMS_H

#include <cjson/cJSON.h>

#include "client.h"
#include "err.h"

/*
 * The CloudWatch alarm calls the alarm commands share: pages of
 * DescribeAlarms, ListTagsForResource, DescribeMetricFilters.
 */

/* Called with every page of DescribeAlarms (MetricAlarms and
 * CompositeAlarms); returns 0 to go on, -1 to fail (filling err). */
typedef int cw_alarms_page_fn(void *arg, const cJSON *page,
	struct cw_err *err);

/* Every metric and composite alarm whose name starts with prefix, 100 a
 * call. *calls (when not NULL) counts the calls made. */
int cw_alarms_describe(struct cw_client *c, const char *prefix,
	cw_alarms_page_fn *fn, void *arg, int *calls, struct cw_err *err);

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
