#ifndef CW_REGION_H
#define CW_REGION_H

#include <pthread.h>
#include <stddef.h>

#include "client.h"
#include "err.h"

#define CW_REGION_MAX 64

/* 1 when r is an AWS region cwkit knows (commercial, China, GovCloud). */
int cw_region_known(const char *r);
/* The i-th region cwkit knows, NULL past the last: for listings. */
const char *cw_region_at(size_t i);
/* 0 when r is known; else -1 with "region 'r': not a known AWS region",
 * and the nearest known one when one is near. */
int cw_region_check(const char *r, struct cw_err *err);

/*
 * One region's share of a command that asks several regions at once:
 * its own client and HTTP handle (libcurl handles are not shared between
 * threads), the keys resolved once for all, and the outcome. The command
 * fills the client.
 */
struct cw_region_job {
	char region[64];
	struct cw_client client;
	void *arg;			/* the command's, per region */
	int rc;				/* what fn returned */
	struct cw_err err;
	pthread_t thread;
};

/* Runs fn for every job, in one thread per job when there are several;
 * returns when all are done. */
void cw_region_run(struct cw_region_job *jobs, size_t n,
	int (*fn)(struct cw_region_job *job));
void cw_region_release(struct cw_region_job *jobs, size_t n);

#endif
