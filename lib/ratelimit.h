#ifndef CW_RATELIMIT_H
#define CW_RATELIMIT_H

#include <stdint.h>

/*
 * A client-side token bucket, kept as the time the next call may start
 * (a "theoretical arrival time"): calls are spaced 1/rate apart, with up
 * to burst of them at once after a pause. The clock is the caller's: it
 * passes the time in and sleeps for the delay it gets back, so tests
 * drive it without sleeping.
 */
struct cw_ratelimit {
	double interval_ms;	/* between two calls; 0: no limit */
	double burst;		/* calls that may start together, >= 1 */
	double tat_ms;		/* when the bucket is next full minus one */
	int started;
};

/* rate in calls per second (<= 0: unlimited); burst >= 1. */
void cw_ratelimit_init(struct cw_ratelimit *rl, double rate, double burst);

/* Takes one call's token at now_ms: returns how many ms to wait before
 * the call may start (0: at once). The token is taken either way. */
int64_t cw_ratelimit_reserve(struct cw_ratelimit *rl, int64_t now_ms);

#endif
