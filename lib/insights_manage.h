#ifndef CW_INSIGHTS_MANAGE_H
#define CW_INSIGHTS_MANAGE_H

#include <stdint.h>

#include "client.h"
#include "err.h"

/*
 * Logs Insights housekeeping beside lib/insights: saved queries removed,
 * the account's queries listed.
 */

/* DeleteQueryDefinition of the saved query id. */
int cw_insights_unsave(struct cw_client *c, const char *id,
	struct cw_err *err);

/* One query of the account (DescribeQueries); strings valid during the
 * callback, "" when the answer lacks them. */
struct cw_insights_info {
	const char *id, *query, *status, *group;
	int64_t created_ms;	/* 0 when unknown */
};
typedef int cw_insights_info_fn(void *arg, const struct cw_insights_info *i);
/* DescribeQueries over every page, those with status (NULL: all); fn
 * returns 0 to go on, 1 to stop, -1 to fail. */
int cw_insights_queries(struct cw_client *c, const char *status,
	cw_insights_info_fn *fn, void *arg, struct cw_err *err);

/* The name part of a log group ARN ("arn:...:log-group:NAME", with or
 * without ":*") into buf; 0, or -1 when s is not such an ARN or the name
 * does not fit. */
int cw_insights_arn_name(const char *s, char *buf, size_t size);

/* Whether name fits the service's pattern for a log group name in a
 * saved query (logGroupNames: [.\-_/#A-Za-z0-9]+, 1 to 512). */
int cw_insights_plain_name(const char *name);

#endif
