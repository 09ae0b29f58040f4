#ifndef CW_REGION_H
#define CW_REGION_H

#include <pthread.h>
#include <stddef.h>

#include "cli.h"
#include "client.h"
#include "err.h"

#define CW_REGION_MAX 64

/* 1 when r is an AWS region cwkit knows (commercial, China, GovCloud). */
int cw_region_known(const char *r);

/*
 * One region's share of a command that asks several regions at once:
 * its own client and HTTP handle (libcurl handles are not shared between
 * threads), the keys resolved once for all, and the outcome.
 */
struct cw_region_job {
	char region[64];
	struct cw_client client;
	void *arg;			/* the command's, per region */
	int rc;				/* what fn returned */
	struct cw_err err;
	pthread_t thread;
};

/*
 * Sets up jobs[i] for regions[i] (n of them) from cli: endpoint, keys
 * (resolved here, on this thread) and a handle each. An unknown region
 * is an error. Release with cw_region_release() even on failure.
 */
int cw_region_setup(struct cw_cli *cli, const struct cw_service *svc,
	const char *const *regions, size_t n, struct cw_region_job *jobs,
	struct cw_err *err);
/* Refreshes the keys of every job before another round (long --watch). */
int cw_region_refresh(struct cw_cli *cli, struct cw_region_job *jobs,
	size_t n, struct cw_err *err);
/* Runs fn for every job, in one thread per job when there are several;
 * returns when all are done. */
void cw_region_run(struct cw_region_job *jobs, size_t n,
	int (*fn)(struct cw_region_job *job));
void cw_region_release(struct cw_region_job *jobs, size_t n);

#endif
