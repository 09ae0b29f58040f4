#ifndef CW_PACE_H
#define CW_PACE_H

#include <stddef.h>
#include <stdint.h>

/*
 * How fast follow mode polls. Each group has an adaptive interval: short
 * while events flow, longer while idle, backing off while the service
 * throttles or fails. All groups draw from one token bucket whose rate
 * stays under the documented FilterLogEvents quota (per account and
 * region, shared with every other caller), and halves on throttling.
 * Time is always passed in (now_ms), so tests never sleep.
 */

struct cw_pace_poll {
	int64_t min_ms, max_ms, backoff_max_ms;
	int64_t interval_ms;
	unsigned failures;	/* in a row */
};

/* Defaults for 0: 1 s fast, 10 s idle, 20 s backoff cap. */
void cw_pace_poll_init(struct cw_pace_poll *p, int64_t min_ms,
	int64_t max_ms, int64_t backoff_max_ms);
/* After a poll that found n new events: n > 0 goes back to the fast
 * interval, an empty poll lengthens it by half, up to the idle one. */
void cw_pace_poll_events(struct cw_pace_poll *p, size_t n);
/* After a failed poll (throttled, 5xx, network): exponential backoff
 * from the fast interval, capped, with half of it jittered by rnd (any
 * random value). */
void cw_pace_poll_failed(struct cw_pace_poll *p, uint32_t rnd);
int64_t cw_pace_poll_interval(const struct cw_pace_poll *p);

struct cw_pace_bucket {
	int64_t rate, max_rate, min_rate;	/* micro-tokens per ms */
	int64_t burst, tokens;			/* micro-tokens */
	int64_t last_ms, changed_ms;
};

/* tps: sustained calls per second (> 0); burst: calls allowed at once
 * (at least 1). The bucket starts full. */
void cw_pace_bucket_init(struct cw_pace_bucket *b, double tps, double burst,
	int64_t now_ms);
/* 0 when a call may go now (its token is taken), else the ms to wait. */
int64_t cw_pace_bucket_take(struct cw_pace_bucket *b, int64_t now_ms);
/* The service throttled a call: halve the rate, down to a twentieth of
 * the configured one. It climbs back a tenth every 10 s without. */
void cw_pace_bucket_throttled(struct cw_pace_bucket *b, int64_t now_ms);
/* The current rate in calls per second. */
double cw_pace_bucket_rate(const struct cw_pace_bucket *b);

/* The documented FilterLogEvents quota of a region, in calls per second:
 * 25 in us-east-1, 5 in a few regions, 10 elsewhere. */
int cw_pace_filter_quota(const char *region);
/* What follow mode takes of it by default: half, since the quota is
 * shared with everything else in the account. */
double cw_pace_filter_rate(const char *region);

#endif
