/* lib/seen: the bounded set of printed eventIds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "seen.h"
#include "tap.h"
#include "banned.h"

static int list(void *arg, unsigned group, const char *id, int64_t ts)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%u:%s@%lld ", group, id, (long long)ts);
	return 0;
}

static int stop(void *arg, unsigned group, const char *id, int64_t ts)
{
	(void)group, (void)id, (void)ts;
	return ++*(int *)arg == 2 ? 7 : 0;
}

static void test_basics(void)
{
	struct cw_seen *s = cw_seen_new(4);
	char out[256] = "", longid[CW_SEEN_MAX_ID + 2];
	int n = 0;

	ok(!cw_seen_has(s, 0, "a"), "empty set has nothing");
	is_int(cw_seen_add(s, 0, "a", 100), 0, "add a");
	is_int(cw_seen_add(s, 0, "a", 100), 1, "adding a again says seen");
	ok(cw_seen_has(s, 0, "a"), "a is there");
	ok(!cw_seen_has(s, 1, "a"), "the same id in another group is not");
	is_int(cw_seen_add(s, 1, "a", 90), 0, "so it can be added there");
	is_int(cw_seen_add(s, 0, "", 95), 0, "an empty id is an id");
	is_int((long long)cw_seen_count(s), 3, "three entries");
	cw_seen_each(s, list, out);
	is_str(out, "0:a@100 1:a@90 0:@95 ", "each walks insertion order");
	is_int(cw_seen_each(s, stop, &n), 7, "each stops on non-zero");
	is_int(n, 2, "after the second entry");

	memset(longid, '7', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	is_int(cw_seen_add(s, 0, longid, 1), -1, "an overlong id is refused");
	longid[CW_SEEN_MAX_ID] = '\0';
	is_int(cw_seen_add(s, 0, longid, 1), 0, "the longest id is taken");
	cw_seen_free(s);
	cw_seen_free(NULL);
}

static void test_expire(void)
{
	struct cw_seen *s = cw_seen_new(3);
	char out[256] = "";

	cw_seen_add(s, 0, "e1", 100);
	cw_seen_add(s, 0, "e2", 300);
	cw_seen_add(s, 0, "late", 150);	/* delivered late, inserted last */
	is_int((long long)cw_seen_expire(s, 50), 0, "nothing before 50");
	is_int((long long)cw_seen_expire(s, 200), 1,
		"horizon 200 forgets e1 only: late waits behind e2");
	ok(!cw_seen_has(s, 0, "e1") && cw_seen_has(s, 0, "late"),
		"e1 forgotten, late kept");
	is_int((long long)cw_seen_expire(s, 301), 2,
		"horizon 301 forgets e2, then late");
	is_int((long long)cw_seen_count(s), 0, "empty again");

	cw_seen_add(s, 0, "a", 400);
	cw_seen_add(s, 0, "b", 401);
	cw_seen_add(s, 0, "c", 402);
	is_int(cw_seen_add(s, 0, "d", 403), 0, "a full set takes d");
	ok(!cw_seen_has(s, 0, "a") && cw_seen_has(s, 0, "d"),
		"by forgetting the oldest inserted");
	is_int((long long)cw_seen_forced(s), 1,
		"an entry inside the window forgotten for room is counted");
	cw_seen_expire(s, 500);
	cw_seen_add(s, 0, "x", 10);
	cw_seen_add(s, 0, "y", 11);
	cw_seen_add(s, 0, "z", 12);
	cw_seen_add(s, 0, "w", 13);
	is_int((long long)cw_seen_forced(s), 1,
		"entries already past the horizon are not counted");
	cw_seen_each(s, list, out);
	is_str(out, "0:y@11 0:z@12 0:w@13 ", "the three newest remain");
	cw_seen_free(s);
}

/* Random adds, lookups and expiries against a plain array, so the table's
 * deletions are checked under collisions and wrap-around. */
static void test_model(void)
{
	enum { CAP = 37, ROUNDS = 200000, IDS = 300 };
	struct cw_seen *s = cw_seen_new(CAP);
	int64_t ts[CAP];
	int id[CAP], head = 0, n = 0, i, k, bad = 0, found, r;
	unsigned seed = 12345;
	int64_t horizon = 0, now = 0;
	char buf[16];

	for (r = 0; r < ROUNDS; r++) {
		seed = seed * 1103515245 + 12345;
		k = (int)(seed >> 8) % IDS;
		snprintf(buf, sizeof(buf), "%d", k);
		for (found = 0, i = 0; i < n; i++)
			if (id[(head + i) % CAP] == k)
				found = 1;
		if (cw_seen_has(s, (unsigned)k & 1, buf) != found)
			bad++;
		if ((seed >> 4) % 7 == 0) {
			horizon = now - (int64_t)((seed >> 12) % 40);
			cw_seen_expire(s, horizon);
			while (n && ts[head] < horizon)
				head = (head + 1) % CAP, n--;
			continue;
		}
		now++;
		if (cw_seen_add(s, (unsigned)k & 1, buf, now) != found)
			bad++;
		if (found)
			continue;
		if (n == CAP)
			head = (head + 1) % CAP, n--;
		id[(head + n) % CAP] = k;
		ts[(head + n) % CAP] = now;
		n++;
	}
	is_int(bad, 0, "200000 random operations agree with a plain list");
	is_int((long long)cw_seen_count(s), n, "and the count agrees");
	cw_seen_free(s);
}

/* Past its first room the set grows, in order, up to its capacity and
 * no further; what is expired leaves room that is used again. */
static void test_grow(void)
{
	enum { CAP = 5000 };
	struct cw_seen *s = cw_seen_new(CAP);
	char id[16], out[256] = "";
	int i, missing = 0, fresh = 0;

	for (i = 0; i < CAP; i++) {
		snprintf(id, sizeof(id), "e%d", i);
		fresh += cw_seen_add(s, 0, id, i) == 0;
	}
	for (i = 0; i < CAP; i++) {
		snprintf(id, sizeof(id), "e%d", i);
		missing += !cw_seen_has(s, 0, id);
	}
	is_int(fresh, CAP, "5000 entries added one by one");
	is_int(missing, 0, "every one is still there after the growth");
	is_int((long long)cw_seen_forced(s), 0, "none was evicted for room");
	is_int((long long)cw_seen_expire(s, CAP - 2), CAP - 2,
		"expiring drops the oldest, in insertion order");
	cw_seen_each(s, list, out);
	is_str(out, "0:e4998@4998 0:e4999@4999 ", "the newest two are left");
	for (i = 0; i < CAP + 1; i++) {
		snprintf(id, sizeof(id), "n%d", i);
		cw_seen_add(s, 1, id, CAP + i);
	}
	is_int((long long)cw_seen_count(s), CAP, "capacity still bounds it");
	is_int((long long)cw_seen_forced(s), 3, "and evictions for room count");
	ok(!cw_seen_has(s, 1, "n0") && cw_seen_has(s, 1, "n5000"),
		"the oldest went first");
	cw_seen_free(s);
}

static int collect(void *arg, unsigned group, const char *id, int64_t ts)
{
	struct cw_buf *b = arg;

	(void)group, (void)ts;
	return cw_buf_addf(b, "%s ", id) < 0;
}

/* Ids of digits alone are kept packed: they read back as they were, and
 * a prefix, an extension or a leading zero is another id. */
static void test_digits(void)
{
	static const char *const ids[] = { "123", "1230", "0123", "12a", "0",
		"37359375093574834093570934757349857394857394857394857399",
		"12345678901234567890123456789012345678901234567890123456789012345",
		"1234567890123456789012345678901234567890123456789012345678901234" };
	struct cw_seen *s = cw_seen_new(100);
	struct cw_buf want, got;
	size_t i;
	int fresh = 0, twice = 0;

	cw_buf_init(&want, 0);
	cw_buf_init(&got, 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		fresh += cw_seen_add(s, 0, ids[i], (int64_t)i) == 0;
		cw_buf_addf(&want, "%s ", ids[i]);
	}
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		twice += cw_seen_add(s, 0, ids[i], 0) == 1;
	is_int(fresh, 8, "ids that differ by a digit, a zero or a length "
		"are all new");
	is_int(twice, 8, "and each is known once added");
	ok(!cw_seen_has(s, 0, "12") && !cw_seen_has(s, 0, "01230"),
		"a prefix or a longer id is not");
	cw_seen_each(s, collect, &got);
	is_str(cw_buf_str(&got), cw_buf_str(&want), "each gives every id "
		"back as it was, 64 digits and 65 included");
	cw_buf_release(&want);
	cw_buf_release(&got);
	cw_seen_free(s);
}

int main(void)
{
	test_basics();
	test_digits();
	test_expire();
	test_model();
	test_grow();
	return tap_done();
}
