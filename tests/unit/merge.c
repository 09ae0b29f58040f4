/* lib/merge: several groups' events in time order through a bounded
 * reorder buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "merge.h"
#include "tap.h"
#include "banned.h"

struct sink {
	struct cw_buf out;
	int n, stop_at;
	int64_t last;
	int unordered;
};

static int take(void *arg, const struct cw_logs_event *e, struct cw_err *err)
{
	struct sink *s = arg;

	(void)err;
	if (s->n && e->timestamp < s->last)
		s->unordered++;
	s->last = e->timestamp;
	s->n++;
	cw_buf_addf(&s->out, "%lld/%s/%s/%s ", (long long)e->timestamp,
		e->group, e->event_id, e->message);
	return s->n == s->stop_at ? 5 : 0;
}

static struct cw_logs_event ev(const char *g, const char *id, int64_t ts)
{
	struct cw_logs_event e = { g, "s", id, "m", ts, ts + 1 };

	return e;
}

static void push(struct cw_merge *m, struct sink *s, const char *g,
	const char *id, int64_t ts)
{
	struct cw_logs_event e = ev(g, id, ts);
	struct cw_err err;

	if (cw_merge_push(m, &e, take, s, &err) < 0)
		diag("push: %s", err.msg);
}

static void test_order(void)
{
	struct cw_merge *m = cw_merge_new(0, 0);
	struct sink s = { CW_BUF_INIT, 0, 0, 0, 0 };
	struct cw_err err;

	push(m, &s, "/b", "b1", 20);
	push(m, &s, "/a", "a2", 30);
	push(m, &s, "/a", "a1", 10);
	push(m, &s, "/c", "c1", 20);
	push(m, &s, "/b", "b0", 20);
	is_int((long long)cw_merge_count(m), 5, "five held");
	is_int(cw_merge_oldest(m), 10, "oldest is 10");
	cw_merge_release(m, 20, take, &s, &err);
	is_str(cw_buf_str(&s.out), "10//a/a1/m ", "watermark 20 releases < 20");
	cw_merge_release(m, 31, take, &s, &err);
	is_str(cw_buf_str(&s.out), "10//a/a1/m 20//b/b0/m 20//b/b1/m "
		"20//c/c1/m 30//a/a2/m ",
		"ties broken by group, then eventId");
	is_int(cw_merge_oldest(m), INT64_MAX, "empty: oldest is INT64_MAX");
	is_int((long long)cw_merge_late(m), 0, "nothing late yet");
	push(m, &s, "/a", "old", 25);
	is_int((long long)cw_merge_late(m), 1,
		"an event older than one given out counts as late");
	cw_merge_flush(m, take, &s, &err);
	is_int(s.n, 6, "and is still given out, once");
	cw_merge_free(m);
	cw_buf_release(&s.out);
}

static void test_bounds(void)
{
	struct cw_merge *m = cw_merge_new(3, 0);
	struct sink s = { CW_BUF_INIT, 0, 0, 0, 0 };
	struct cw_logs_event e = { NULL, NULL, NULL, NULL, 7, 0 };
	struct cw_err err;
	char big[1000];

	push(m, &s, "/a", "4", 4);
	push(m, &s, "/a", "2", 2);
	push(m, &s, "/a", "3", 3);
	is_int(s.n, 0, "three fit");
	push(m, &s, "/a", "1", 1);
	is_str(cw_buf_str(&s.out), "1//a/1/m ",
		"a fourth makes the oldest leave early");
	is_int((long long)cw_merge_count(m), 3, "three held");
	ok(cw_merge_push(m, &e, take, &s, &err) == 0, "NULL strings are taken");
	cw_merge_flush(m, take, &s, &err);
	is_str(cw_buf_str(&s.out), "1//a/1/m 2//a/2/m 3//a/3/m 4//a/4/m "
		"7/// ", "flush gives the rest in order");
	cw_merge_free(m);

	m = cw_merge_new(0, 3000);
	cw_buf_reset(&s.out);
	s.n = 0;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e = ev("/g", "e3", 3);
	e.message = big;
	cw_merge_push(m, &e, take, &s, &err);
	e.event_id = "e1";
	e.timestamp = 1;
	cw_merge_push(m, &e, take, &s, &err);
	is_int(s.n, 0, "two 1 kB events fit in 3000 bytes");
	e.event_id = "e2";
	e.timestamp = 2;
	cw_merge_push(m, &e, take, &s, &err);
	is_int(s.n, 1, "a third passes the byte bound: one leaves");
	ok(strncmp(cw_buf_str(&s.out), "1//g/e1/", 8) == 0, "the oldest");
	cw_merge_free(m);	/* frees what is held */
	cw_buf_release(&s.out);
}

static void test_stop(void)
{
	struct cw_merge *m = cw_merge_new(0, 0);
	struct sink s = { CW_BUF_INIT, 0, 2, 0, 0 };
	struct cw_err err;

	push(m, &s, "/a", "1", 1);
	push(m, &s, "/a", "2", 2);
	push(m, &s, "/a", "3", 3);
	is_int(cw_merge_release(m, 100, take, &s, &err), 5,
		"release stops on the callback's value");
	is_int((long long)cw_merge_count(m), 1, "one left");
	is_int(cw_merge_flush(m, take, &s, &err), 0, "the rest flushes");
	is_int(s.n, 3, "every event given out once");
	cw_merge_free(m);
	cw_merge_free(NULL);
	cw_buf_release(&s.out);
}

/* Five groups, each in order but late by up to 50 ms against each other,
 * released at a watermark 50 ms behind: the output is in order. */
static void test_random(void)
{
	struct cw_merge *m = cw_merge_new(0, 0);
	struct sink s = { CW_BUF_INIT, 0, 0, 0, 0 };
	struct cw_err err;
	unsigned seed = 99;
	int64_t now, ts;
	char id[32], group[8];
	int i, pushed = 0;

	for (now = 0; now < 20000; now += 10) {
		for (i = 0; i < 3; i++) {
			seed = seed * 1103515245 + 12345;
			ts = now - (int64_t)((seed >> 8) % 50);
			snprintf(group, sizeof(group), "/g%u", (seed >> 3) % 5);
			snprintf(id, sizeof(id), "%d", pushed++);
			push(m, &s, group, id, ts);
		}
		cw_merge_release(m, now - 50, take, &s, &err);
	}
	cw_merge_flush(m, take, &s, &err);
	is_int(s.n, pushed, "every event out once");
	is_int(s.unordered, 0, "in timestamp order");
	is_int((long long)cw_merge_late(m), 0, "none late");
	cw_merge_free(m);
	cw_buf_release(&s.out);
}

int main(void)
{
	test_order();
	test_bounds();
	test_stop();
	test_random();
	return tap_done();
}
