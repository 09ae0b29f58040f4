#ifndef CW_SNS_H
#define CW_SNS_H

#include <cjson/cJSON.h>

#include "client.h"
#include "err.h"

/*
 * Amazon SNS over the Query protocol (Version 2010-03-31), for what an
 * alarm's notification needs. c is a client for cw_service_sns in the
 * topic's region.
 */

/* GetTopicAttributes: *attrs gets an object of name -> string value
 * (Policy, KmsMasterKeyId, ...), freed by the caller. -1 with err;
 * err->code is "NotFound" when there is no such topic. */
int cw_sns_topic_attributes(struct cw_client *c, const char *topic_arn,
	cJSON **attrs, struct cw_err *err);

/* ListSubscriptionsByTopic, page after page until a confirmed
 * subscription shows: *confirmed 1 when one did, else 0 and *pending
 * counts those waiting for confirmation. */
int cw_sns_confirmed(struct cw_client *c, const char *topic_arn,
	int *confirmed, long *pending, struct cw_err *err);

/* The answers' readers, for tests and fuzzing. */
int cw_sns_parse_attributes(const char *xml, size_t len, cJSON *attrs,
	struct cw_err *err);
/* Adds the page's subscriptions to *confirmed / *pending and copies its
 * NextToken into next ("" when none). */
int cw_sns_parse_subscriptions(const char *xml, size_t len, int *confirmed,
	long *pending, char *next, size_t size, struct cw_err *err);

#endif
