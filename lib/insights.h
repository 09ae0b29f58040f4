#ifndef CW_INSIGHTS_H
#define CW_INSIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "client.h"
#include "err.h"

/* The service's cap on log groups per query. */
#define CW_INSIGHTS_MAX_GROUPS 50
/* The service's limit on a query string, in characters (code points). */
#define CW_INSIGHTS_QUERY_MAX 10000

/* One Logs Insights query (StartQuery). */
struct cw_insights_query {
	const char *const *groups;	/* names or ARNs; none for SOURCE */
	size_t ngroups;
	const char *query;
	int64_t start_s, end_s;		/* epoch seconds, both inclusive */
	long limit;			/* 0: the service's default */
};

/* What one GetQueryResults call said. rows is the "results" array of doc,
 * valid until cw_insights_result_release(). */
struct cw_insights_result {
	char status[16];
	int have_stats;		/* 0: the answer had no statistics */
	double matched, scanned, bytes;	/* 0 without them */
	const cJSON *rows;	/* [[{"field","value"}...]...] */
	const char *next;	/* nextToken of a paged result, or NULL */
	cJSON *doc;
};

/* The characters (code points) of a UTF-8 query, as the service counts
 * them against CW_INSIGHTS_QUERY_MAX. */
size_t cw_insights_query_chars(const char *query);
/* 1 when the query's first command is SOURCE, which picks the log
 * groups: StartQuery then names none (the model: one of its group
 * members, or a SOURCE command). Leading blanks and # comment lines are
 * skipped; the command is read in any case. */
int cw_insights_has_source(const char *query);

/* StartQuery; the query id goes to id (NUL-terminated). No group member
 * is sent when q->ngroups is 0. err->code is
 * "LimitExceededException" when too many queries run in the account. */
int cw_insights_start(struct cw_client *c, const struct cw_insights_query *q,
	char *id, size_t size, struct cw_err *err);
/* GetQueryResults; next is NULL, or res->next of the page before to get
 * the rest of a Complete result. Release res afterwards, even on
 * failure. */
int cw_insights_results(struct cw_client *c, const char *id,
	const char *next, struct cw_insights_result *res, struct cw_err *err);
void cw_insights_result_release(struct cw_insights_result *res);
/* 1 when status is final: Complete, Failed, Cancelled, Timeout, Unknown. */
int cw_insights_done(const char *status);
/* StopQuery. An already finished query is not an error. */
int cw_insights_stop(struct cw_client *c, const char *id, struct cw_err *err);

/* GetLogGroupFields of one group (last 15 minutes), names to fn in the
 * service's order (most common first). fn returns 0 to go on. */
typedef int cw_insights_name_fn(void *arg, const char *name);
int cw_insights_fields(struct cw_client *c, const char *group,
	cw_insights_name_fn *fn, void *arg, struct cw_err *err);

/* GetLogRecord: *out is the logRecord object (field -> string), freed by
 * the caller with cJSON_Delete(). */
int cw_insights_record(struct cw_client *c, const char *ptr, cJSON **out,
	struct cw_err *err);

/* One saved query; strings valid during the callback. */
struct cw_insights_def {
	const char *id, *name, *query;
	const cJSON *groups;	/* array of strings, may be NULL */
};
typedef int cw_insights_def_fn(void *arg, const struct cw_insights_def *d);
/* DescribeQueryDefinitions over every page; prefix may be NULL. */
int cw_insights_defs(struct cw_client *c, const char *prefix,
	cw_insights_def_fn *fn, void *arg, struct cw_err *err);
/* PutQueryDefinition: creates, or replaces id's when id is not NULL. */
int cw_insights_save(struct cw_client *c, const char *id, const char *name,
	const char *query, const char *const *groups, size_t ngroups,
	struct cw_err *err);

/* Commands, keywords, system fields and functions ("bin(") of the
 * query language, NULL-terminated. */
extern const char *const cw_insights_words[];

#endif
