#include <math.h>

#include "ratelimit.h"
#include "banned.h"

void cw_ratelimit_init(struct cw_ratelimit *rl, double rate, double burst)
{
	rl->interval_ms = rate > 0 ? 1000.0 / rate : 0;
	rl->burst = burst >= 1 ? burst : 1;
	rl->tat_ms = 0;
	rl->started = 0;
}

int64_t cw_ratelimit_reserve(struct cw_ratelimit *rl, int64_t now_ms)
{
	double now = (double)now_ms, start, wait;

	if (rl->interval_ms <= 0)
		return 0;
	/* An idle bucket refills, but never beyond burst calls. */
	if (!rl->started || rl->tat_ms < now)
		rl->tat_ms = now;
	rl->started = 1;
	start = rl->tat_ms - (rl->burst - 1) * rl->interval_ms;
	wait = start > now ? start - now : 0;
	rl->tat_ms += rl->interval_ms;
	return (int64_t)ceil(wait);
}
