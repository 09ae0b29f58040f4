#ifndef CW_LOGS_H
#define CW_LOGS_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "err.h"

/* One log group; strings valid only during the callback. */
struct cw_logs_group {
	const char *name;
	const char *arn;
	int64_t created_ms;
	int retention_days;	/* 0: never expire */
	int64_t stored_bytes;
};

/* One log event; strings valid only during the callback. The message
 * may hold U+0000: message_len, not strlen, is its length. An eventId
 * holding U+0000 is given as "", since a C string cannot hold it: it is
 * one a reader cannot tell events apart by. */
struct cw_logs_event {
	const char *group;
	const char *stream;
	const char *event_id;
	const char *message;
	size_t message_len;
	int64_t timestamp;
	int64_t ingestion_time;
};

/* A callback returns 0 to go on, 1 to stop quietly, -1 to fail (it
 * fills err itself). */
typedef int cw_logs_group_fn(void *arg, const struct cw_logs_group *g,
	struct cw_err *err);
typedef int cw_logs_event_fn(void *arg, const struct cw_logs_event *e,
	struct cw_err *err);

/* How much of a group as a user gives it names the group: an ARN as
 * DescribeLogGroups writes it ends in ":*", which no request takes back
 * (logGroupIdentifier's pattern has no '*'), so it is left out. */
size_t cw_logs_group_len(const char *group);
/* 1 when group is PREFIX*, a wildcard; an ARN's ":*" is none. */
int cw_logs_group_wild(const char *group);

/* DescribeLogGroups over every page; prefix may be NULL. */
int cw_logs_groups(struct cw_client *c, const char *prefix,
	cw_logs_group_fn *fn, void *arg, struct cw_err *err);

struct cw_logs_filter {
	const char *group;		/* name or ARN */
	const char *pattern;		/* NULL: everything */
	const char *stream_prefix;	/* NULL: all streams */
	int64_t start_ms, end_ms;	/* 0: unbounded */
	long limit;			/* 0: no limit */
	uint64_t *pages;		/* NULL, or adds the pages answered */
	int no_ids;			/* eventId not wanted: given as "" */
};

/* FilterLogEvents over every page, empty pages included, events in the
 * order the service returns them. */
int cw_logs_filter(struct cw_client *c, const struct cw_logs_filter *f,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err);

#endif
