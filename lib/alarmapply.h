#ifndef CW_ALARMAPPLY_H
#define CW_ALARMAPPLY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "alarmdef.h"
#include "alarmdiff.h"
#include "client.h"
#include "endpoint.h"
#include "err.h"

/*
 * What cw-alarm-apply does with a plan: reads the account for the sets,
 * decides ownership from tags, and turns the plan into write calls in
 * an order the service accepts: metric filters, metric alarms, composite
 * alarms (children before parents), tags, then deletions (parents
 * first, at most 100 names and one composite a call).
 */

/* How the library reaches the account: clients per service and region
 * ("" means the command's default), and a pause before each call so the
 * command's rate limiter paces every call, reads included. Both are
 * called from several threads at once, one a region. */
struct cw_alarmapply_io {
	/* A client for the calling thread alone, borrowed until the command
	 * ends; NULL with err. */
	struct cw_client *(*client)(void *arg, const struct cw_service *svc,
		const char *region, struct cw_err *err);
	/* Waits for op's turn; -1 (err filled) when the run must stop. */
	int (*pace)(void *arg, const char *op, struct cw_err *err);
	void *arg;
};

/* Fills live with the alarms under every prefix of each set, read in the
 * regions the set lives in (its own and its items'), and the metric
 * filters of their log groups. Items must have their region filled. The
 * regions are read at once (io's client and pace are called from
 * several threads), and live holds them in the sets' order. */
int cw_alarmapply_read(struct cw_alarmdiff_live *live,
	const struct cw_alarmset *sets, size_t nsets,
	const struct cw_alarmapply_io *io, struct cw_err *err);

/* The Tags list of every alarm of plan read from the account (entries
 * with a live alarm), one ListTagsForResource each, the regions at once:
 * tags[i] for entry i (room for plan->n, zeroed), left NULL for the
 * others; the caller frees them, on error too. 0, or -1 with err. */
int cw_alarmapply_tags(const struct cw_alarmdiff_plan *plan,
	const struct cw_alarmapply_io *io, cJSON **tags, struct cw_err *err);

/* Who owns an alarm, from its tags. */
enum cw_alarmapply_owner {
	CW_ALARMAPPLY_UNOWNED,	/* not both tags (hand-made, Beanstalk...) */
	CW_ALARMAPPLY_OURS,	/* ManagedBy=cwkit and cwkit:set=set */
	CW_ALARMAPPLY_OTHER	/* ManagedBy=cwkit for another set */
};

enum cw_alarmapply_owner cw_alarmapply_owner(const cJSON *tags,
	const char *set);

/* The tags of want (a Tags list) that live (NULL for none) lacks or
 * holds with another value: *add, NULL when none. Keys want does not
 * name are left as they are, whoever set them; aws: keys are the
 * service's. -1 on allocation failure. */
int cw_alarmapply_tag_changes(const cJSON *live, const cJSON *want,
	cJSON **add);

enum cw_alarmapply_kind {
	CW_ALARMAPPLY_PUT_FILTER,
	CW_ALARMAPPLY_PUT_METRIC,
	CW_ALARMAPPLY_PUT_COMPOSITE,
	CW_ALARMAPPLY_TAG,
	CW_ALARMAPPLY_DELETE
};

enum cw_alarmapply_state {
	CW_ALARMAPPLY_PENDING,
	CW_ALARMAPPLY_DONE,
	CW_ALARMAPPLY_FAILED
};

/* One write call. */
struct cw_alarmapply_op {
	enum cw_alarmapply_kind kind;
	const char *op;		/* the API operation */
	const char *region;
	char *what;		/* "create alarm NAME (REGION)", ... */
	cJSON *req;		/* the request */
	enum cw_alarmapply_state state;
	char *error;		/* why it failed */
};

struct cw_alarmapply {
	struct cw_alarmapply_op *v;
	size_t n, cap;
};

/*
 * The calls that carry out plan, in order. A filter whose log group is
 * missing (the entry's group_missing) is a call FAILED already, the
 * reason in its error: it is not to be made. tags[i] is the live Tags
 * list of plan entry i (NULL when not read: creates). Deletions are
 * left out unless prune. 0, or -1 with err (a cycle of composite
 * alarms, no memory).
 */
int cw_alarmapply_build(struct cw_alarmapply *a,
	const struct cw_alarmdiff_plan *plan, cJSON *const *tags, int prune,
	struct cw_err *err);
void cw_alarmapply_release(struct cw_alarmapply *a);

/* The service of an operation: Logs for PutMetricFilter. */
const struct cw_service *cw_alarmapply_service(const struct cw_alarmapply_op *o);

/* Most names in one DeleteAlarms call. */
#define CW_ALARMAPPLY_DELETE_BATCH 100

#endif
