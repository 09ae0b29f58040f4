#include <stdio.h>
#include <string.h>

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

static int setup_one(struct cw_cli *cli, const struct cw_service *svc,
	const char *region, struct cw_region_job *j, struct cw_err *err)
{
	struct cw_client *c = &j->client;

	if (!cw_region_known(region))
		return cw_err_set(err, "region '%.64s': not a known AWS region",
			region);
	snprintf(j->region, sizeof(j->region), "%s", region);
	/* the first call sets up the profile, keys and cli's handle */
	if (cw_cli_client(cli, svc, c, err) < 0)
		return -1;
	snprintf(c->region, sizeof(c->region), "%s", region);
	if (cw_endpoint_url(&cli->ctx, &cli->profile, svc, cli->endpoint_flag,
			region, c->endpoint, sizeof(c->endpoint), err) < 0)
		return -1;
	if (!(c->http = cw_http_new(&cli->ctx, &cli->http_opts, err)))
		return -1;
	return 0;
}

int cw_region_setup(struct cw_cli *cli, const struct cw_service *svc,
	const char *const *regions, size_t n, struct cw_region_job *jobs,
	struct cw_err *err)
{
	size_t i;

	memset(jobs, 0, n * sizeof(*jobs));
	if (n > CW_REGION_MAX)
		return cw_err_set(err, "too many regions: at most %d",
			CW_REGION_MAX);
	for (i = 0; i < n; i++)
		if (setup_one(cli, svc, regions[i], &jobs[i], err) < 0)
			return -1;
	return cw_region_refresh(cli, jobs, n, err);
}

int cw_region_refresh(struct cw_cli *cli, struct cw_region_job *jobs,
	size_t n, struct cw_err *err)
{
	const struct cw_keys *keys;
	size_t i;

	/* the provider is not for threads: keys are fetched here, once */
	if (cw_creds_get(cli->creds, &keys, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		jobs[i].client.fixed = keys;
	return 0;
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
