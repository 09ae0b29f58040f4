#include <stdio.h>
#include <string.h>

#include "near.h"
#include "region.h"
#include "banned.h"

/* The AWS SDKs' partitions as of late 2026. A region missing here would
 * fail anyway, later and less clearly (no such host). */
static const char *const known[] = {
	"af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1",
	"ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
	"ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
	"ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1",
	"eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
	"eu-west-1", "eu-west-2", "eu-west-3", "il-central-1",
	"me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
};

int cw_region_known(const char *r)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(r, known[i]) == 0)
			return 1;
	return 0;
}

const char *cw_region_at(size_t i)
{
	return i < sizeof(known) / sizeof(known[0]) ? known[i] : NULL;
}

int cw_region_check(const char *r, struct cw_err *err)
{
	struct cw_near n;
	size_t i;

	if (cw_region_known(r))
		return 0;
	cw_near_init(&n, r, strlen(r));
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		cw_near_try(&n, known[i]);
	if (n.best)
		return cw_err_set(err, "region '%.64s': not a known AWS region: "
			"did you mean %s?", r, n.best);
	return cw_err_set(err, "region '%.64s': not a known AWS region", r);
}

struct runner {
	struct cw_region_job *job;
	int (*fn)(struct cw_region_job *job);
};

static void *run_one(void *arg)
{
	struct runner *r = arg;

	cw_err_clear(&r->job->err);
	r->job->rc = r->fn(r->job);
	return NULL;
}

void cw_region_run(struct cw_region_job *jobs, size_t n,
	int (*fn)(struct cw_region_job *job))
{
	struct runner rs[CW_REGION_MAX];
	int started[CW_REGION_MAX];
	size_t i;

	for (i = 0; i < n && i < CW_REGION_MAX; i++) {
		rs[i].job = &jobs[i];
		rs[i].fn = fn;
	}
	for (i = 0; i < n && i < CW_REGION_MAX; i++) {
		started[i] = n > 1 && pthread_create(&jobs[i].thread, NULL,
			run_one, &rs[i]) == 0;
		if (!started[i])
			run_one(&rs[i]);	/* no thread: run it here */
	}
	for (i = 0; i < n && i < CW_REGION_MAX; i++)
		if (started[i])
			pthread_join(jobs[i].thread, NULL);
}

void cw_region_release(struct cw_region_job *jobs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		cw_http_free(jobs[i].client.http);
		jobs[i].client.http = NULL;
		cw_client_release(&jobs[i].client);
	}
}
