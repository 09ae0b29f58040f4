#include "ratelimit.h"
#include "tap.h"
#include "banned.h"

/* Drives the limiter with a pretend clock: every call starts when the
 * limiter says, and the starts are recorded. */
static int64_t run(struct cw_ratelimit *rl, int64_t *now, int n,
	int64_t *starts)
{
	int i;

	for (i = 0; i < n; i++) {
		*now += cw_ratelimit_reserve(rl, *now);
		starts[i] = *now;
	}
	return *now;
}

/* The most calls that start within any window of ms. */
static int most_in(const int64_t *starts, int n, int64_t ms)
{
	int i, j, best = 0;

	for (i = 0; i < n; i++) {
		for (j = i; j < n && starts[j] - starts[i] < ms; j++)
			;
		if (j - i > best)
			best = j - i;
	}
	return best;
}

int main(void)
{
	struct cw_ratelimit rl;
	int64_t now = 1000000, starts[1000], t0;

	cw_ratelimit_init(&rl, 3, 1);
	ok(cw_ratelimit_reserve(&rl, now) == 0, "the first call goes at once");
	is_int(cw_ratelimit_reserve(&rl, now), 334, "3 TPS: the second waits a third of a second");
	is_int(cw_ratelimit_reserve(&rl, now), 667, "the third waits two thirds");
	is_int(cw_ratelimit_reserve(&rl, now + 5000), 0, "after a pause: at once");

	cw_ratelimit_init(&rl, 50, 1);
	t0 = now;
	run(&rl, &now, 1000, starts);
	is_int(now - t0, 19980, "1,000 calls at 50 TPS take 999 intervals");
	is_int(most_in(starts, 1000, 1000), 50, "never more than 50 in any second");

	cw_ratelimit_init(&rl, 10, 5);
	now = 0;
	run(&rl, &now, 5, starts);
	is_int(now, 0, "burst 5: five calls at once");
	run(&rl, &now, 1, starts);
	is_int(now, 100, "the sixth waits one interval");
	now += 10000;
	run(&rl, &now, 10, starts);
	is_int(most_in(starts, 10, 1), 5, "after idling, the burst is back but no bigger");

	cw_ratelimit_init(&rl, 0, 1);
	ok(cw_ratelimit_reserve(&rl, 0) == 0 && cw_ratelimit_reserve(&rl, 0) == 0,
		"rate 0: no limit");

	/* Slow calls: the limiter does not add waits to calls that are
	 * already late. */
	cw_ratelimit_init(&rl, 10, 1);
	now = 0;
	cw_ratelimit_reserve(&rl, now);
	now += 500;
	is_int(cw_ratelimit_reserve(&rl, now), 0, "a call after a slow one goes at once");
	is_int(cw_ratelimit_reserve(&rl, now), 100, "and the next is spaced again");
	return tap_done();
}
