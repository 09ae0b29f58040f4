#include <string.h>

#include "pace.h"
#include "banned.h"

#define MICRO 1000000

void cw_pace_poll_init(struct cw_pace_poll *p, int64_t min_ms,
	int64_t max_ms, int64_t backoff_max_ms)
{
	p->min_ms = min_ms > 0 ? min_ms : 1000;
	p->max_ms = max_ms > 0 ? max_ms : 10000;
	p->backoff_max_ms = backoff_max_ms > 0 ? backoff_max_ms : 20000;
	if (p->max_ms < p->min_ms)
		p->max_ms = p->min_ms;
	if (p->backoff_max_ms < p->min_ms)
		p->backoff_max_ms = p->min_ms;
	p->interval_ms = p->min_ms;
	p->failures = 0;
}

void cw_pace_poll_events(struct cw_pace_poll *p, size_t n)
{
	p->failures = 0;
	if (n) {
		p->interval_ms = p->min_ms;
		return;
	}
	/* From a backoff, an empty answer also means "healthy again". */
	if (p->interval_ms > p->max_ms)
		p->interval_ms = p->max_ms;
	p->interval_ms += p->interval_ms / 2;
	if (p->interval_ms > p->max_ms)
		p->interval_ms = p->max_ms;
}

void cw_pace_poll_failed(struct cw_pace_poll *p, uint32_t rnd)
{
	int64_t base = p->min_ms;
	unsigned i;

	for (i = 0; i < p->failures && base < p->backoff_max_ms; i++)
		base *= 2;
	if (base > p->backoff_max_ms)
		base = p->backoff_max_ms;
	if (p->failures < 64)
		p->failures++;
	/* Half fixed, half random: never hammering, never in lockstep
	 * with the other clients that were throttled at the same time. */
	p->interval_ms = base - base / 2 + (int64_t)(rnd % (uint64_t)(base / 2 + 1));
}

int64_t cw_pace_poll_interval(const struct cw_pace_poll *p)
{
	return p->interval_ms;
}

void cw_pace_bucket_init(struct cw_pace_bucket *b, double tps, double burst,
	int64_t now_ms)
{
	if (!(tps > 0.001))
		tps = 0.001;
	if (!(burst >= 1))
		burst = 1;
	b->max_rate = (int64_t)(tps * 1000);
	b->rate = b->max_rate;
	b->min_rate = b->max_rate / 20 > 0 ? b->max_rate / 20 : 1;
	b->burst = (int64_t)(burst * MICRO);
	b->tokens = b->burst;
	b->last_ms = b->changed_ms = now_ms;
}

static void refill(struct cw_pace_bucket *b, int64_t now_ms)
{
	int64_t dt = now_ms - b->last_ms;

	if (dt <= 0)
		return;	/* a clock that went back adds nothing */
	b->last_ms = now_ms;
	b->tokens = dt > b->burst / b->rate ? b->burst :
		b->tokens + dt * b->rate;
	if (b->tokens > b->burst)
		b->tokens = b->burst;
	while (b->rate < b->max_rate && now_ms - b->changed_ms >= 10000) {
		b->rate += b->max_rate / 10 > 0 ? b->max_rate / 10 : 1;
		if (b->rate > b->max_rate)
			b->rate = b->max_rate;
		b->changed_ms += 10000;
	}
}

int64_t cw_pace_bucket_take(struct cw_pace_bucket *b, int64_t now_ms)
{
	refill(b, now_ms);
	if (b->tokens >= MICRO) {
		b->tokens -= MICRO;
		return 0;
	}
	return (MICRO - b->tokens + b->rate - 1) / b->rate;
}

void cw_pace_bucket_throttled(struct cw_pace_bucket *b, int64_t now_ms)
{
	refill(b, now_ms);
	b->rate /= 2;
	if (b->rate < b->min_rate)
		b->rate = b->min_rate;
	b->changed_ms = now_ms;
}

double cw_pace_bucket_rate(const struct cw_pace_bucket *b)
{
	return (double)b->rate / 1000;
}

int cw_pace_filter_quota(const char *region)
{
	static const char *const five[] = {
		"ap-northeast-3", "ap-southeast-3", "ca-west-1",
		"eu-central-1", "il-central-1",
	};
	size_t i;

	if (!region)
		return 10;
	if (strcmp(region, "us-east-1") == 0)
		return 25;
	for (i = 0; i < sizeof(five) / sizeof(five[0]); i++)
		if (strcmp(region, five[i]) == 0)
			return 5;
	return 10;
}

double cw_pace_filter_rate(const char *region)
{
	return cw_pace_filter_quota(region) / 2.0;
}
