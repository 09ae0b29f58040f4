/* lib/pace: adaptive poll interval and the shared rate budget, on a
 * clock the test moves by hand. */
#include <stdio.h>

#include "pace.h"
#include "tap.h"
#include "banned.h"

static void test_poll(void)
{
	struct cw_pace_poll p;
	int64_t seq[8];
	int i;

	cw_pace_poll_init(&p, 0, 0, 0);
	is_int(cw_pace_poll_interval(&p), 1000, "starts at the fast 1 s");
	for (i = 0; i < 8; i++) {
		cw_pace_poll_events(&p, 0);
		seq[i] = cw_pace_poll_interval(&p);
	}
	ok(seq[0] == 1500 && seq[1] == 2250 && seq[2] == 3375 &&
		seq[5] == 10000 && seq[7] == 10000,
		"idle polls slow down by half each, up to 10 s");
	cw_pace_poll_events(&p, 3);
	is_int(cw_pace_poll_interval(&p), 1000, "events bring it back to 1 s");

	cw_pace_poll_failed(&p, 0);
	is_int(cw_pace_poll_interval(&p), 500, "first failure: 1 s, half "
		"jittered (rnd 0 gives the low end)");
	cw_pace_poll_failed(&p, 0xffffffffu);
	ok(cw_pace_poll_interval(&p) >= 1000 &&
		cw_pace_poll_interval(&p) <= 2000, "second: within 1-2 s");
	for (i = 0; i < 10; i++)
		cw_pace_poll_failed(&p, 10000);
	ok(cw_pace_poll_interval(&p) >= 10000 &&
		cw_pace_poll_interval(&p) <= 20000,
		"many failures: capped at 20 s");
	for (i = 0; i < 100; i++)
		cw_pace_poll_failed(&p, (uint32_t)i * 2654435761u);
	ok(cw_pace_poll_interval(&p) <= 20000, "and stays capped");
	cw_pace_poll_events(&p, 0);
	is_int(cw_pace_poll_interval(&p), 10000,
		"an empty answer after a backoff is idle pace, not backoff");

	cw_pace_poll_init(&p, 200, 100, 50);
	ok(p.max_ms == 200 && p.backoff_max_ms == 200,
		"bounds below the fast interval are raised to it");
}

/* Calls made in a minute when asking as often as allowed. */
static int calls_in(struct cw_pace_bucket *b, int64_t start, int64_t ms)
{
	int64_t t = start, w;
	int n = 0;

	while (t < start + ms) {
		w = cw_pace_bucket_take(b, t);
		if (w == 0)
			n++;
		else
			t += w;
	}
	return n;
}

static void test_bucket(void)
{
	struct cw_pace_bucket b;
	int n;

	cw_pace_bucket_init(&b, 5, 5, 0);
	n = calls_in(&b, 0, 60000);
	ok(n >= 300 && n <= 305, "5 TPS with a burst of 5: about 300 calls "
		"a minute (%d)", n);
	cw_pace_bucket_init(&b, 2.5, 1, 0);
	is_int(cw_pace_bucket_take(&b, 0), 0, "a full bucket lets one go");
	is_int(cw_pace_bucket_take(&b, 0), 400, "then 400 ms to wait at 2.5");
	is_int(cw_pace_bucket_take(&b, 399), 1, "1 ms before it: 1 ms");
	is_int(cw_pace_bucket_take(&b, 400), 0, "on time: go");
	is_int(cw_pace_bucket_take(&b, 100), 400,
		"a clock going back adds nothing");

	cw_pace_bucket_init(&b, 10, 1, 0);
	cw_pace_bucket_throttled(&b, 0);
	ok(cw_pace_bucket_rate(&b) == 5.0, "throttled: the rate halves");
	n = calls_in(&b, 0, 10000);
	ok(n >= 50 && n <= 52, "about 50 calls in 10 s at 5 TPS (%d)", n);
	cw_pace_bucket_throttled(&b, 10000);
	cw_pace_bucket_throttled(&b, 10000);
	cw_pace_bucket_throttled(&b, 10000);
	cw_pace_bucket_throttled(&b, 10000);
	cw_pace_bucket_throttled(&b, 10000);
	ok(cw_pace_bucket_rate(&b) == 0.5,
		"down to a twentieth of the configured rate, no lower");
	cw_pace_bucket_take(&b, 19999);
	ok(cw_pace_bucket_rate(&b) == 0.5, "no climb before 10 s");
	cw_pace_bucket_take(&b, 20000);
	ok(cw_pace_bucket_rate(&b) == 1.5, "after 10 s calm: +1 TPS");
	cw_pace_bucket_take(&b, 1000000);
	ok(cw_pace_bucket_rate(&b) == 10.0, "back to the configured rate");
	cw_pace_bucket_take(&b, 2000000);
	ok(cw_pace_bucket_rate(&b) == 10.0, "and no higher");

	cw_pace_bucket_init(&b, 0, 0, 0);
	ok(cw_pace_bucket_take(&b, 0) == 0 &&
		cw_pace_bucket_take(&b, 0) > 0, "nonsense settings still pace");
}

static void test_quota(void)
{
	is_int(cw_pace_filter_quota("us-east-1"), 25, "us-east-1: 25 TPS");
	is_int(cw_pace_filter_quota("eu-central-1"), 5, "eu-central-1: 5");
	is_int(cw_pace_filter_quota("ap-northeast-3"), 5, "ap-northeast-3: 5");
	is_int(cw_pace_filter_quota("eu-west-1"), 10, "eu-west-1: 10");
	is_int(cw_pace_filter_quota(NULL), 10, "unknown region: 10");
	ok(cw_pace_filter_rate("us-east-1") == 12.5, "half of it is taken");
	ok(cw_pace_filter_rate("il-central-1") == 2.5, "2.5 where it is 5");
}

int main(void)
{
	test_poll();
	test_bucket();
	test_quota();
	return tap_done();
}
