/* lib/idset: the compact set of printed events, by hash and time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "tap.h"
#include "banned.h"

/* A hash as the set keeps it: its low 13 bits hold the time. */
#define H(x) ((uint64_t)(x) << 13)

static int list(void *arg, uint64_t h, int64_t ts)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%llu@%lld ", (unsigned long long)(h >> 13),
		(long long)ts);
	return 0;
}

static int stop(void *arg, uint64_t h, int64_t ts)
{
	(void)h, (void)ts;
	return ++*(int *)arg == 2 ? 7 : 0;
}

static void test_basics(void)
{
	struct cw_idset *s = cw_idset_new(100);
	char out[256] = "";
	int n = 0;

	ok(!cw_idset_has(s, H(1), 100), "an empty set has nothing");
	is_int(cw_idset_add(s, H(1), 100), 0, "add 1@100");
	is_int(cw_idset_add(s, H(1), 100), 1, "adding it again says seen");
	ok(cw_idset_has(s, H(1), 100), "1@100 is there");
	ok(!cw_idset_has(s, H(1), 101), "the same hash a millisecond later is not");
	ok(!cw_idset_has(s, H(1), 100 + 8192), "nor a slice later");
	is_int(cw_idset_add(s, H(1), 100 + 8192), 0, "so it can be added");
	is_int(cw_idset_add(s, H(2), -5), 0, "a timestamp before 1970 is one");
	ok(cw_idset_has(s, H(2), -5) && !cw_idset_has(s, H(2), 5),
		"found at its own time only");
	is_int((long long)cw_idset_count(s), 3, "three entries");
	is_int((long long)cw_idset_newest(s), 100 + 8192, "the newest time");
	cw_idset_each(s, list, out);
	is_str(out, "2@-5 1@100 1@8292 ", "each walks the oldest slice first");
	is_int(cw_idset_each(s, stop, &n), 7, "each stops on non-zero");
	is_int(n, 2, "after the second entry");
	ok(cw_idset_hash("12") != cw_idset_hash("21") &&
		cw_idset_hash("") != cw_idset_hash("0"), "keys hash apart");
	cw_idset_free(s);
	cw_idset_free(NULL);
	s = cw_idset_new(1);
	is_int((long long)cw_idset_newest(s), (long long)INT64_MIN,
		"no newest time when empty");
	cw_idset_free(s);
}

static void test_expire(void)
{
	struct cw_idset *s = cw_idset_new(3);

	cw_idset_add(s, H(1), 100);
	cw_idset_add(s, H(2), 9000);
	cw_idset_add(s, H(3), 150);	/* late, in the first slice */
	is_int((long long)cw_idset_expire(s, 8000), 0,
		"a slice partly inside the window is kept");
	is_int((long long)cw_idset_expire(s, 8192), 2,
		"once the horizon passes it, both of its entries go");
	ok(!cw_idset_has(s, H(1), 100) && cw_idset_has(s, H(2), 9000),
		"the later slice is kept");
	is_int((long long)cw_idset_forced(s), 0, "nothing forced");
	cw_idset_add(s, H(4), 20000);
	cw_idset_add(s, H(5), 30000);
	is_int(cw_idset_add(s, H(6), 40000), 0, "a full set takes one more");
	ok(!cw_idset_has(s, H(2), 9000) && cw_idset_has(s, H(6), 40000),
		"by forgetting the oldest slice");
	is_int((long long)cw_idset_forced(s), 1,
		"an entry inside the window forgotten for room is counted");
	cw_idset_expire(s, 35000);
	cw_idset_add(s, H(7), 50000);
	is_int((long long)cw_idset_forced(s), 1,
		"one past the horizon is not");
	is_int((long long)cw_idset_expire(s, INT64_MAX), 2, "the two left go at the end");
	is_int((long long)cw_idset_count(s), 0, "empty");
	cw_idset_free(s);
}

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Against a plain list: the same answers for adds of new and known
 * keys over a few slices, tails merged many times. */
static void test_model(void)
{
	enum { N = 20000 };
	struct cw_idset *s = cw_idset_new(N);
	uint64_t *h = malloc(N * sizeof(*h)), x = 88172645463325252ULL;
	int64_t *ts = malloc(N * sizeof(*ts));
	size_t i, n = 0, bad = 0, k;

	for (i = 0; i < 3 * N; i++) {
		if (n && rnd(&x) % 3 == 0) {
			k = (size_t)(rnd(&x) % n);
			bad += cw_idset_add(s, h[k], ts[k]) != 1;
			continue;
		}
		if (n == N)
			break;
		h[n] = H(rnd(&x) % 5000);	/* hashes repeat across times */
		ts[n] = (int64_t)(rnd(&x) % 40000);
		for (k = 0; k < n && !(h[k] == h[n] && ts[k] == ts[n]); k++)
			;
		if (k < n)
			continue;
		bad += cw_idset_add(s, h[n], ts[n]) != 0;
		n++;
	}
	is_int((long long)bad, 0, "every add answers as the plain list does");
	is_int((long long)cw_idset_count(s), (long long)n, "and holds as many");
	for (i = 0, bad = 0; i < n; i++)
		bad += !cw_idset_has(s, h[i], ts[i]) ||
			cw_idset_has(s, h[i] + H(5000), ts[i]);
	is_int((long long)bad, 0, "each is found, and no other");
	cw_idset_free(s);
	free(h);
	free(ts);
}

/* A steady follow: 500 events a second, a fifth up to 20 s late, a
 * window of 6 minutes. Once the window is full neither the entries nor
 * the bytes held grow any more. */
static void test_steady(void)
{
	struct cw_idset *s = cw_idset_new(2000000);
	uint64_t x = 26, id = 0;
	size_t most = 0, full = 0, bytes = 0, big = 0;
	int64_t t, ts;
	char key[32];
	int i;

	for (t = 0; t < 30 * 60 * 1000; t += 500) {
		for (i = 0; i < 250; i++) {
			ts = t - (int64_t)(rnd(&x) % 5 == 0 ? rnd(&x) % 20000 :
				rnd(&x) % 500);
			snprintf(key, sizeof(key), "%llu",
				(unsigned long long)id++);
			cw_idset_add(s, cw_idset_hash(key), ts);
		}
		cw_idset_expire(s, t - 6 * 60 * 1000);
		if (t == 10 * 60 * 1000) {
			full = cw_idset_count(s);
			bytes = cw_idset_bytes(s);
		}
		if (t > 10 * 60 * 1000) {
			if (cw_idset_count(s) > most)
				most = cw_idset_count(s);
			if (cw_idset_bytes(s) > big)
				big = cw_idset_bytes(s);
		}
	}
	diag("window of %zu entries in %zu bytes", full, bytes);
	ok(full > 180000 && full < 190000, "the window holds 6 min of events "
		"and up to a slice more (%zu)", full);
	ok(most <= full + 5000, "entries do not grow once it is full (%zu)",
		most);
	ok(big <= bytes + bytes / 20, "nor the bytes (%zu)", big);
	ok(bytes < full * 10, "about 9 bytes an event (%zu)", bytes / full);
	is_int((long long)cw_idset_forced(s), 0, "nothing forced");
	cw_idset_free(s);
}

int main(void)
{
	test_basics();
	test_expire();
	test_model();
	test_steady();
	return tap_done();
}
