#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sns.h"
#include "banned.h"

#define SNS_VERSION "2010-03-31"
#define MAX_PAGES 1000	/* a server that pages forever stops here */

/* <Attributes><entry><key>K</key><value>V</value></entry>... */
struct attrs {
	cJSON *obj;
	char *key;
};

static int on_attr(void *arg, const char *parent, const char *name,
	const char *text, size_t len, const char **why)
{
	struct attrs *a = arg;

	(void)len;
	if (strcmp(parent, "entry") != 0)
		return 0;
	if (strcmp(name, "key") == 0) {
		free(a->key);
		a->key = strdup(text);
	} else if (strcmp(name, "value") == 0 && a->key) {
		cJSON_DeleteItemFromObjectCaseSensitive(a->obj, a->key);
		if (!cJSON_AddStringToObject(a->obj, a->key, text)) {
			*why = "out of memory";
			return -1;
		}
	}
	return 0;
}

int cw_sns_parse_attributes(const char *xml, size_t len, cJSON *attrs,
	struct cw_err *err)
{
	struct attrs a = { attrs, NULL };
	int rc = cw_query_xml("sns response", xml, len, on_attr, &a, err);

	free(a.key);
	return rc;
}

int cw_sns_topic_attributes(struct cw_client *c, const char *topic_arn,
	cJSON **attrs, struct cw_err *err)
{
	const char *pairs[] = { "Action", "GetTopicAttributes",
		"Version", SNS_VERSION, "TopicArn", topic_arn };
	struct cw_http_response resp;
	int rc = -1;

	if (!(*attrs = cJSON_CreateObject()))
		return cw_err_set(err, "out of memory");
	if (cw_query_call(c, pairs, 3, &resp, err) == 0)
		rc = cw_sns_parse_attributes(cw_buf_str(&resp.body),
			resp.body.len, *attrs, err);
	cw_http_response_release(&resp);
	if (rc < 0) {
		cJSON_Delete(*attrs);
		*attrs = NULL;
	}
	return rc;
}

struct subs {
	int *confirmed;
	long *pending;
	char *next;
	size_t size;
};

static int on_sub(void *arg, const char *parent, const char *name,
	const char *text, size_t len, const char **why)
{
	struct subs *s = arg;

	(void)len;
	(void)why;
	if (strcmp(name, "NextToken") == 0
			&& strcmp(parent, "ListSubscriptionsByTopicResult") == 0)
		snprintf(s->next, s->size, "%s", text);
	else if (strcmp(name, "SubscriptionArn") == 0
			&& strcmp(parent, "member") == 0) {
		/* Until confirmed, the ARN is this word (or "Deleted"). */
		if (strncmp(text, "arn:", 4) == 0)
			*s->confirmed = 1;
		else if (strcmp(text, "PendingConfirmation") == 0)
			++*s->pending;
	}
	return 0;
}

int cw_sns_parse_subscriptions(const char *xml, size_t len, int *confirmed,
	long *pending, char *next, size_t size, struct cw_err *err)
{
	struct subs s = { confirmed, pending, next, size };

	next[0] = '\0';
	return cw_query_xml("sns response", xml, len, on_sub, &s, err);
}

int cw_sns_confirmed(struct cw_client *c, const char *topic_arn,
	int *confirmed, long *pending, struct cw_err *err)
{
	char next[1024] = "", token[1024];
	const char *pairs[] = { "Action", "ListSubscriptionsByTopic",
		"Version", SNS_VERSION, "TopicArn", topic_arn,
		"NextToken", NULL };
	struct cw_http_response resp;
	int pages = 0, rc;

	*confirmed = 0;
	*pending = 0;
	do {
		if (++pages > MAX_PAGES)
			return cw_err_set(err, "sns: more than %d pages of "
				"subscriptions", MAX_PAGES);
		snprintf(token, sizeof(token), "%s", next);
		pairs[7] = token[0] ? token : NULL;
		rc = cw_query_call(c, pairs, 4, &resp, err);
		if (rc == 0)
			rc = cw_sns_parse_subscriptions(cw_buf_str(&resp.body),
				resp.body.len, confirmed, pending, next,
				sizeof(next), err);
		cw_http_response_release(&resp);
		if (rc < 0)
			return -1;
	} while (!*confirmed && next[0]);
	return 0;
}
