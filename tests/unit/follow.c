/* lib/follow against a fake service on a fake clock: late and
 * out-of-order events print once, outages are told once, restarts from a
 * checkpoint neither skip nor repeat. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "checkpoint.h"
#include "crc32.h"
#include "idset.h"
#include "follow.h"
#include "tap.h"
#include "banned.h"

/* One event of the fake service: visible once the clock reaches ingest.
 * Its message is msg, else its id. Ingestion times tell the events
 * apart. */
struct fev {
	const char *group, *id;
	int64_t ts, ingest;
	const char *msg;
};

/* Events of the busy group in test_reach, and its reads recorded. */
enum { BUSY_EVENTS = 3200, MAX_READS = 2000 };

struct world {
	int64_t t;
	const struct fev *ev;
	size_t nev;
	int64_t fail_from, fail_to;	/* fetches fail in [from, to) */
	const char *fail_code;
	int fatal;
	const char *fatal_group;	/* only this one, from fatal_from */
	int64_t fatal_from;
	int calls, calls_after;		/* all, and from count_from on */
	int64_t count_from;
	struct cw_buf out, notes;
	int printed[BUSY_EVENTS];
	size_t nreads;			/* the reads of group /a: when, from */
	int64_t read_at[MAX_READS], read_from[MAX_READS];
	int stop_after;			/* emit returns 3 after this many */
	int64_t stop_at;		/* stop() true from this time */
};

static int64_t w_now(void *arg)
{
	return ((struct world *)arg)->t;
}

static void w_sleep(void *arg, int64_t ms)
{
	((struct world *)arg)->t += ms;
}

static uint32_t w_random(void *arg)
{
	(void)arg;
	return 0;
}

static int fetch(void *arg, const char *group, int64_t from,
	cw_logs_event_fn *ev, void *ev_arg, uint64_t *calls, struct cw_err *err)
{
	struct world *w = arg;
	struct cw_logs_event e;
	size_t i;
	int r;

	w->calls++;
	++*calls;
	if (strcmp(group, "/a") == 0 && w->nreads < MAX_READS) {
		w->read_at[w->nreads] = w->t;
		w->read_from[w->nreads++] = from;
	}
	if (w->count_from && w->t >= w->count_from)
		w->calls_after++;
	if (w->fatal || (w->fatal_group && strcmp(group, w->fatal_group) == 0
	    && w->t >= w->fatal_from))
		return cw_err_set(err, "log group %s: ResourceNotFoundException"
			": The specified log group does not exist.", group);
	if (w->t >= w->fail_from && w->t < w->fail_to) {
		snprintf(err->code, sizeof(err->code), "%s", w->fail_code);
		cw_err_set(err, "%s: Rate exceeded", w->fail_code);
		return strstr(w->fail_code, "Throttl") ?
			CW_FOLLOW_FETCH_THROTTLED : CW_FOLLOW_FETCH_RETRY;
	}
	/* Pages come back in ingestion order, which is not time order. */
	for (i = 0; i < w->nev; i++) {
		if (strcmp(w->ev[i].group, group) || w->ev[i].ts < from ||
		    w->ev[i].ingest > w->t)
			continue;
		e.group = group;
		e.stream = "s";
		e.event_id = w->ev[i].id;
		e.message = w->ev[i].msg ? w->ev[i].msg : w->ev[i].id;
		e.message_len = strlen(e.message);
		e.timestamp = w->ev[i].ts;
		e.ingestion_time = w->ev[i].ingest;
		r = ev(ev_arg, &e, err);
		if (r)
			return r < 0 ? CW_FOLLOW_FETCH_FATAL : CW_FOLLOW_FETCH_OK;
	}
	return CW_FOLLOW_FETCH_OK;
}

static int emit(void *arg, const struct cw_logs_event *e, struct cw_err *err)
{
	struct world *w = arg;
	size_t i;

	(void)err;
	cw_buf_addf(&w->out, "%s ", e->message);
	for (i = 0; i < w->nev; i++)
		if (w->ev[i].ingest == e->ingestion_time &&
		    strcmp(w->ev[i].msg ? w->ev[i].msg : w->ev[i].id,
		    e->message) == 0)
			w->printed[i]++;
	return w->stop_after && (int)(w->out.len / 3) >= w->stop_after ? 3 : 0;
}

static void note(void *arg, const struct cw_follow_notice *n)
{
	struct world *w = arg;
	static const char *const kind[] = { "start", "end", "gap", "repeats",
		"failed" };

	cw_buf_addf(&w->notes, "%s:%s:%lld:%lld ", kind[n->kind],
		n->group ? n->group : "-", (long long)n->from_ms,
		(long long)n->to_ms);
}

static int stop(void *arg)
{
	struct world *w = arg;

	return w->stop_at && w->t >= w->stop_at;
}

static struct cw_ctx ctx;
static const char *const groups[] = { "/a", "/b" };

static void setup(struct world *w, const struct fev *ev, size_t n,
	struct cw_follow_cfg *c, const char *checkpoint)
{
	memset(w, 0, sizeof(*w));
	cw_buf_init(&w->out, 0);
	cw_buf_init(&w->notes, 0);
	w->t = 100000;
	w->ev = ev;
	w->nev = n;
	memset(&ctx, 0, sizeof(ctx));
	ctx.now_ms = w_now;
	ctx.sleep_ms = w_sleep;
	ctx.random = w_random;
	ctx.arg = w;
	memset(c, 0, sizeof(*c));
	c->groups = groups;
	c->ngroups = 2;
	c->start_ms = 90000;
	c->lookback_ms = 20000;
	c->settle_ms = 3000;
	c->min_poll_ms = 1000;
	c->max_poll_ms = 4000;
	c->tps = 5;
	c->checkpoint = checkpoint;
	c->fetch = fetch;
	c->fetch_arg = w;
	c->emit = emit;
	c->emit_arg = w;
	c->notice = note;
	c->notice_arg = w;
	c->stop = stop;
	c->stop_arg = w;
	c->ctx = &ctx;
}

/* Runs until the clock reaches t_end. */
static int run_until(struct world *w, struct cw_follow *f, int64_t t_end,
	struct cw_err *err)
{
	w->stop_at = t_end;
	return cw_follow_run(f, err);
}

static int all_once(const struct world *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w->printed[i] != 1)
			return 0;
	return 1;
}

static void release(struct world *w)
{
	cw_buf_release(&w->out);
	cw_buf_release(&w->notes);
}

/* Late by seconds, out of order within and across groups. */
static const struct fev late[] = {
	{ "/a", "a1", 95000, 95100, NULL },	/* before start: in --since */
	{ "/b", "b1", 101000, 101200, NULL },
	{ "/a", "a2", 102000, 102100, NULL },
	{ "/a", "a3", 103000, 111000, NULL },	/* 8 s late */
	{ "/b", "b2", 104000, 104500, NULL },
	{ "/b", "b3", 100500, 118000, NULL },	/* 17.5 s late, within 20 s */
	{ "/a", "a4", 110000, 110001, NULL },
	{ "/a", "a5", 110000, 110002, NULL },	/* same millisecond */
	{ "/b", "b4", 130000, 130100, NULL },
	{ "/a", "a0", 60000, 110000, NULL },	/* before --since: never */
};

static void test_late(void)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;

	setup(&w, late, 10, &c, NULL);
	f = cw_follow_new(&c, &err);
	ok(f != NULL, "follow starts");
	is_int(run_until(&w, f, 160000, &err), 0, "runs to the stop");
	ok(all_once(&w, 9), "every event in the window printed exactly once");
	is_int(w.printed[9], 0, "an event before --since is not printed");
	is_str(cw_buf_str(&w.out), "a1 b1 a2 b2 a3 a4 a5 b3 b4 ",
		"in time order, but for the one later than the settle delay");
	is_int((long long)w.printed[5], 1, "which is printed still, once");
	is_str(cw_buf_str(&w.notes), "", "no outage, no gap");
	ok(w.calls > 40 && w.calls < 150,
		"polls paced between fast and idle (%d calls in 60 s)", w.calls);
	cw_follow_free(f);
	release(&w);

	setup(&w, late, 10, &c, NULL);
	c.seen_capacity = 4;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 160000, &err);
	ok(strstr(cw_buf_str(&w.notes), "repeats:-") != NULL,
		"a seen set too small for the window says events may repeat");
	ok(w.printed[0] >= 1 && w.printed[8] >= 1, "and nothing is lost");
	cw_follow_free(f);
	release(&w);

	setup(&w, late, 10, &c, NULL);
	c.settle_ms = 15000;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 160000, &err);
	is_str(cw_buf_str(&w.out), "a1 b3 b1 a2 a3 b2 a4 a5 b4 ",
		"a longer settle delay puts the 17.5 s late event in order");
	cw_follow_free(f);
	release(&w);
}

static const struct fev outage[] = {
	{ "/a", "a1", 100500, 100600, NULL },
	{ "/a", "a2", 112000, 112100, NULL },	/* early in the outage */
	{ "/a", "a3", 140000, 140100, NULL },	/* within the look-back at the end */
	{ "/b", "b1", 150000, 150100, NULL },
	{ "/a", "a4", 170000, 170100, NULL },
};

static void test_outage(void)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	const char *n;
	long long gfrom = 0, gto = 0;

	/* Longer than the look-back and the time between full reads. */
	setup(&w, outage, 5, &c, NULL);
	w.fail_from = 105000;
	w.fail_to = 150000;
	w.fail_code = "ThrottlingException";
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 180000, &err);
	n = cw_buf_str(&w.notes);
	ok(strncmp(n, "start:/", 7) == 0, "the outage start is told");
	ok(strncmp(n, "start:/a:106400:", 16) == 0 &&
		strstr(n, " end:-:106400:157840 ") != NULL,
		"its end is told, with its start and end times");
	ok(strstr(n, "gap:/a:10") != NULL && strstr(n, "gap:/b:10") != NULL,
		"each group tells its gap");
	is_int((long long)(strlen(n) - strlen(strstr(n, "end"))) > 0, 1,
		"start comes before end");
	ok(strstr(strstr(n, "end"), "start") == NULL,
		"one start and one end for one outage");
	ok(w.printed[0] == 1 && w.printed[2] == 1 && w.printed[3] == 1 &&
		w.printed[4] == 1, "events outside the gap print once");
	is_int(w.printed[1], 0,
		"the event inside the named gap was missed, as told");
	ok(strstr(n, "gap:/a:") &&
		sscanf(strstr(n, "gap:/a:"), "gap:/a:%lld:%lld", &gfrom, &gto) == 2 &&
		gfrom <= 112000 && 112000 < gto && gto <= 150000,
		"the named range holds it (%lld..%lld)", gfrom, gto);
	ok(w.calls < 120, "backoff while throttled (%d calls)", w.calls);
	cw_follow_free(f);
	release(&w);
}

/* Throttling halves the shared budget; other failures leave it. */
static void test_budget(void)
{
	static const char *const codes[] = { "ThrottlingException",
		"ServiceUnavailableException" };
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	int after[2], i;

	for (i = 0; i < 2; i++) {
		setup(&w, outage, 5, &c, NULL);
		c.min_poll_ms = 100;
		c.max_poll_ms = 200;
		c.tps = 4;
		w.fail_from = 105000;
		w.fail_to = 130000;
		w.count_from = 150000;
		w.fail_code = codes[i];
		f = cw_follow_new(&c, &err);
		run_until(&w, f, 160000, &err);
		after[i] = w.calls_after;
		cw_follow_free(f);
		release(&w);
	}
	ok(after[1] >= 38 && after[1] <= 42,
		"after 5xx, two eager groups share a whole budget of 4 calls/s "
		"(%d in 10 s)", after[1]);
	ok(after[0] < after[1] / 2,
		"after throttling the budget is cut (%d in 10 s)", after[0]);
}

static const struct fev restart[] = {
	{ "/a", "a1", 101000, 101100, NULL },
	{ "/b", "b1", 102000, 102100, NULL },
	{ "/a", "a2", 118000, 118100, NULL },	/* pending at the crash */
	{ "/b", "b2", 110000, 119000, NULL },	/* late, just before the crash */
	{ "/a", "a3", 125000, 125100, NULL },	/* while down */
	{ "/b", "b3", 115000, 128000, NULL },	/* while down, late */
	{ "/a", "a4", 150000, 150100, NULL },
};

static void test_restart(const char *path)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	int before[8], i, total_ok = 1;

	unlink(path);
	setup(&w, restart, 7, &c, path);
	f = cw_follow_new(&c, &err);
	w.stop_at = 119500;
	while (w.t < 119500)
		cw_follow_step(f, &err);
	cw_follow_free(f);	/* a crash: nothing flushed */
	memcpy(before, w.printed, sizeof(before));
	ok(before[0] == 1 && before[1] == 1 && before[2] == 0,
		"before the crash: a1, b1 printed, a2 still held");
	release(&w);

	setup(&w, restart, 7, &c, path);
	w.t = 130000;	/* down for 10 s */
	c.start_ms = 0;
	f = cw_follow_new(&c, &err);
	ok(f != NULL, "restart reads the checkpoint");
	run_until(&w, f, 160000, &err);
	for (i = 0; i < 7; i++)
		if (before[i] + w.printed[i] != 1) {
			diag("%s printed %d + %d times", restart[i].id,
				before[i], w.printed[i]);
			total_ok = 0;
		}
	ok(total_ok, "across the restart every event printed exactly once");
	is_str(cw_buf_str(&w.notes), "", "and no gap is reported");
	cw_follow_free(f);
	release(&w);

	/* The flush at stop saved the position: a second restart with no
	 * new events prints nothing. */
	setup(&w, restart, 7, &c, path);
	w.t = 161000;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 170000, &err);
	is_str(cw_buf_str(&w.out), "", "a clean stop leaves nothing to repeat");
	cw_follow_free(f);
	release(&w);
}

/* A stop before every group was polled: what the flush prints is in the
 * position it saves, so a restart does not print it again. */
static const struct fev early[] = {
	{ "/a", "e1", 95000, 96000, NULL },
};

static void test_early_stop(const char *path)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;

	unlink(path);
	setup(&w, early, 1, &c, path);
	f = cw_follow_new(&c, &err);
	cw_follow_step(f, &err);	/* /a only: /b not polled yet */
	is_int(cw_follow_flush(f, &err), 0, "a stop before /b was polled");
	is_str(cw_buf_str(&w.out), "e1 ", "prints what was read of /a");
	cw_follow_free(f);
	release(&w);

	setup(&w, early, 1, &c, path);
	w.t = 101000;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 110000, &err);
	is_str(cw_buf_str(&w.out), "", "and a restart does not print it again");
	cw_follow_free(f);
	release(&w);
}

static void test_errors(const char *path)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	FILE *fp;
	char buf[64] = "";

	fp = fopen(path, "w");
	if (fp) {
		fputs("not a checkpoint\n", fp);
		fclose(fp);
	}
	setup(&w, late, 10, &c, path);
	f = cw_follow_new(&c, &err);
	ok(f == NULL && strstr(err.msg, "not a cwkit checkpoint file") &&
		strstr(err.msg, path), "a foreign checkpoint is a clear error");
	fp = fopen(path, "r");
	if (fp) {
		if (!fgets(buf, sizeof(buf), fp))
			buf[0] = '\0';
		fclose(fp);
	}
	is_str(buf, "not a checkpoint\n", "and it is left untouched");
	unlink(path);

	c.checkpoint = NULL;
	c.lookback_ms = 5000;
	f = cw_follow_new(&c, &err);
	ok(f == NULL && strstr(err.msg, "look-back window of 5000 ms"),
		"a look-back shorter than the poll interval is refused");

	setup(&w, late, 10, &c, NULL);
	w.fatal = 1;
	f = cw_follow_new(&c, &err);
	is_int(cw_follow_step(f, &err), 0, "a fatal fetch error leaves its "
		"group");
	is_str(cw_buf_str(&w.notes), "failed:/a:0:0 ", "which is told");
	is_int(cw_follow_step(f, &err), -1, "when every group failed, follow "
		"ends");
	ok(strstr(err.msg, "log group /b: ResourceNotFoundException") != NULL,
		"with the last fetch's message");
	is_str(cw_buf_str(&w.notes), "failed:/a:0:0 ",
		"which is not told twice");
	cw_follow_free(f);
	release(&w);

	{
		static char longid[1100];
		static struct fev bad_id[1] = { { "/a", longid, 95000, 95000,
			"m" } };

		memset(longid, '9', sizeof(longid) - 1);
		setup(&w, bad_id, 1, &c, NULL);
		f = cw_follow_new(&c, &err);
		is_int(run_until(&w, f, 120000, &err), 0,
			"an overlong eventId does not stop follow");
		is_int(w.printed[0], 1, "its event is printed once");
		cw_follow_free(f);
		release(&w);
	}

	setup(&w, late, 10, &c, NULL);
	w.stop_after = 2;
	f = cw_follow_new(&c, &err);
	is_int(run_until(&w, f, 160000, &err), 3,
		"emit's non-zero value stops follow and is returned");
	is_str(cw_buf_str(&w.out), "a1 b1 ", "after two events");
	cw_follow_free(f);
	release(&w);
}

/* A checkpoint keeps the groups a run does not follow: /a, then /b,
 * then /a again prints /a's events once. */
static const struct fev two[] = {
	{ "/a", "a1", 95000, 95100, NULL },
	{ "/b", "b1", 96000, 96100, NULL },
};
static const char *const only_a[] = { "/a" };
static const char *const only_b[] = { "/b" };

static void test_kept(const char *path)
{
	static const char *const *const runs[] = { only_a, only_b, only_a };
	static const char *const want[] = { "a1 ", "b1 ", "" };
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	int i;

	unlink(path);
	for (i = 0; i < 3; i++) {
		setup(&w, two, 2, &c, path);
		w.t = 100000 + i * 20000;
		c.groups = runs[i];
		c.ngroups = 1;
		f = cw_follow_new(&c, &err);
		run_until(&w, f, w.t + 10000, &err);
		ok(strcmp(cw_buf_str(&w.out), want[i]) == 0, "run %d following "
			"%s prints %s", i + 1, runs[i][0], *want[i] ? want[i] :
			"nothing again");
		if (strcmp(cw_buf_str(&w.out), want[i]) != 0)
			diag("got '%s'", cw_buf_str(&w.out));
		cw_follow_free(f);
		release(&w);
	}
}

/* At most 1000 groups not followed are kept: those with the newest
 * positions. */
static void test_kept_bound(const char *path)
{
	struct cw_checkpoint cp;
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	char name[32];
	long g;
	int i;

	cw_checkpoint_init(&cp);
	for (i = 0; i < 1002; i++) {
		snprintf(name, sizeof(name), "/k/%04d", i);
		g = cw_checkpoint_add_group(&cp, name, 1000 + i, &err);
		cw_checkpoint_add_id(&cp, (size_t)g, 1000 + i, "00000000000000ab",
			&err);
	}
	unlink(path);
	ok(cw_checkpoint_save(&cp, path, &err) == 0, "1002 groups saved");
	cw_checkpoint_release(&cp);
	setup(&w, two, 2, &c, path);
	c.groups = only_a;
	c.ngroups = 1;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 110000, &err);
	cw_follow_free(f);
	release(&w);
	ok(cw_checkpoint_load(&cp, path, &err) == 0 && cp.n == 1001 &&
		cw_checkpoint_find(&cp, "/a") &&
		!cw_checkpoint_find(&cp, "/k/0000") &&
		!cw_checkpoint_find(&cp, "/k/0001") &&
		cw_checkpoint_find(&cp, "/k/0002") &&
		cw_checkpoint_find(&cp, "/k/1001") &&
		cw_checkpoint_find(&cp, "/k/1001")->nids == 1,
		"the followed group and the 1000 newest others, with their ids");
	cw_checkpoint_release(&cp);
}

/* Files of earlier versions hold the ids (1) or the keys made of them
 * (2): each is read as the hash a key is known by now, and saved so. */
static void test_old_versions(const char *path)
{
	static const char *const texts[] = {
		"cwkit-checkpoint 1\ngroup /a 90000\nid 95000 a1\n"
		"group /k 5\nid 5 x%25y\n",
		"cwkit-checkpoint 2\ngroup /a 90000\nid 95000 a1\n"
		"group /k 5\nid 5 x%2525y\n",
	};
	struct cw_checkpoint cp;
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	char end[64], hex[17];
	FILE *fp;
	int v;

	for (v = 1; v <= 2; v++) {
		fp = fopen(path, "w");
		snprintf(end, sizeof(end), "end 2 2 %08" PRIx32 "\n",
			cw_crc32(0, texts[v - 1], strlen(texts[v - 1])));
		fputs(texts[v - 1], fp);
		fputs(end, fp);
		fclose(fp);
		setup(&w, two, 2, &c, path);
		c.groups = only_a;
		c.ngroups = 1;
		c.start_ms = 0;
		f = cw_follow_new(&c, &err);
		ok(f != NULL, "a version %d file is read", v);
		run_until(&w, f, 110000, &err);
		is_str(cw_buf_str(&w.out), "", "the event of its id is not "
			"printed again");
		cw_follow_free(f);
		release(&w);
		cw_checkpoint_init(&cp);
		snprintf(hex, sizeof(hex), "%016" PRIx64,
			cw_idset_hash("x%25y"));
		ok(cw_checkpoint_load(&cp, path, &err) == 0 && cp.version == 3
			&& cw_checkpoint_find(&cp, "/k") &&
			strcmp(cw_checkpoint_find(&cp, "/k")->ids[0].id, hex)
			== 0, "it is saved as version 3, the group not followed "
			"with the hash of its key");
		cw_checkpoint_release(&cp);
	}
}

/* A group that fails for good is left; the others go on, and its
 * position is saved as it stood. */
static const struct fev dying[] = {
	{ "/a", "a1", 101000, 101100, NULL },
	{ "/b", "b1", 102000, 102100, NULL },
	{ "/a", "a2", 140000, 140100, NULL },	/* after /b failed */
	{ "/b", "b2", 150000, 150100, NULL },	/* never read in run 1 */
};

static void test_dead(const char *path)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;

	unlink(path);
	setup(&w, dying, 4, &c, path);
	w.fatal_group = "/b";
	w.fatal_from = 110000;
	f = cw_follow_new(&c, &err);
	is_int(run_until(&w, f, 200000, &err), 0,
		"a group that fails for good does not stop the others");
	is_str(cw_buf_str(&w.out), "a1 b1 a2 ", "they are still printed");
	is_str(cw_buf_str(&w.notes), "failed:/b:0:0 ", "the group is told "
		"once");
	cw_follow_free(f);
	release(&w);

	/* /b is back: from where it stood, b1 not again (its id outlived
	 * the 20 s look-back in the saved position). */
	setup(&w, dying, 4, &c, path);
	w.t = 201000;
	c.start_ms = 0;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 210000, &err);
	is_str(cw_buf_str(&w.out), "b2 ", "a restart reads it from where it "
		"failed, without repeats");
	cw_follow_free(f);
	release(&w);
}

/* Events without a usable eventId (lib/logs gives one holding U+0000 as
 * empty) and eventIds with '%' that look like the keys made of content:
 * each printed once, across a crash and a restart. */
static const struct fev odd[] = {
	{ "/a", "", 101000, 101100, "empty-1" },
	{ "/a", "", 101000, 101200, "empty-2" },
	{ "/a", NULL, 102000, 102100, "no-id" },
	{ "/a", "", 103000, 103100, "twin" },
	{ "/a", "", 103000, 103200, "twin" },
	{ "/a", "%e104000.0", 104000, 104100, "percent-e" },
	{ "/a", "%25e104000.0", 104000, 104200, "percent-25" },
	{ "/a", "x", 104000, 104300, "x" },
	{ "/a", "x%00a", 104000, 104400, "percent-00" },
	{ "/b", "", 117000, 117100, "held-at-crash" },
	{ "/b", "", 125000, 125100, "while-down" },
	{ "/a", "", 140000, 140100, "empty-later" },
};

static void test_ids(const char *path)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	int before[16], i, once = 1;

	unlink(path);
	setup(&w, odd, 12, &c, path);
	f = cw_follow_new(&c, &err);
	while (w.t < 119500)
		cw_follow_step(f, &err);
	cw_follow_free(f);	/* a crash */
	memcpy(before, w.printed, sizeof(before));
	release(&w);
	setup(&w, odd, 12, &c, path);
	w.t = 130000;
	c.start_ms = 0;
	f = cw_follow_new(&c, &err);
	run_until(&w, f, 160000, &err);
	for (i = 0; i < 12; i++)
		if (before[i] + w.printed[i] != 1) {
			diag("%s printed %d + %d times", odd[i].msg, before[i],
				w.printed[i]);
			once = 0;
		}
	ok(once, "every event printed once, with or without a usable id, "
		"across a restart");
	is_int(before[3] + before[4], 2, "twins both printed before the "
		"crash");
	cw_follow_free(f);
	release(&w);
}

/* Ten events a second on /a for 320 s, 2 s late, but one 15 s late at
 * 250 s. */
static struct fev *busy_events(void)
{
	static char ids[BUSY_EVENTS][16];
	static struct fev ev[BUSY_EVENTS];
	size_t i;

	for (i = 0; i < BUSY_EVENTS; i++) {
		snprintf(ids[i], sizeof(ids[i]), "e%zu", i);
		ev[i].group = "/a";
		ev[i].id = ids[i];
		ev[i].ts = 100000 + (int64_t)i * 100;
		ev[i].ingest = ev[i].ts + 2000;
		ev[i].msg = NULL;
	}
	ev[1500].ingest = ev[1500].ts + 15000;
	return ev;
}

/* Reads of /a from start_ms to end_ms: how many went back the whole
 * window (full), and the furthest back any other one went (most_ms). */
static void reads(const struct world *w, int64_t start_ms, int64_t end_ms,
	int64_t lookback_ms, int *full, int64_t *most_ms)
{
	size_t i;
	int64_t back;

	*full = 0;
	*most_ms = 0;
	for (i = 0; i < w->nreads; i++) {
		if (w->read_at[i] < start_ms || w->read_at[i] >= end_ms)
			continue;
		back = w->read_at[i] - w->read_from[i];
		if (back >= lookback_ms)
			++*full;
		else if (back > *most_ms)
			*most_ms = back;
	}
}

/* A busy group: after a first minute of full reads, a poll reads back
 * as far as its events come late; the whole window once a minute finds
 * the one that came later; the keys held follow the window. */
static void test_reach(void)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	int full, first;
	int64_t most;

	setup(&w, busy_events(), BUSY_EVENTS, &c, NULL);
	c.start_ms = 0;
	c.lookback_ms = 60000;
	c.seen_capacity = 0;
	f = cw_follow_new(&c, &err);
	ok(f != NULL, "follow starts");
	run_until(&w, f, 300000, &err);
	ok(cw_follow_remembered(f) >= 1150 && cw_follow_remembered(f) <= 1340,
		"the keys held are those of the window and the minute before, "
		"up to a slice of 8 s more (%zu for 1200)",
		cw_follow_remembered(f));
	is_int(run_until(&w, f, 460000, &err), 0, "runs to the stop");
	ok(all_once(&w, BUSY_EVENTS), "every event printed exactly once");
	is_str(cw_buf_str(&w.notes), "", "no notice");
	reads(&w, 100000, 160000, 60000, &first, &most);
	ok(first > 40 && most == 0, "the first minute, each poll reads the "
		"whole window (%d reads)", first);
	reads(&w, 220000, 250000, 60000, &full, &most);
	ok(most >= 8000 && most <= 12000, "then a poll reads back the 2 s "
		"of lateness, the poll interval, the settle delay and margins "
		"(%lld ms)", (long long)most);
	reads(&w, 160000, 400000, 60000, &full, &most);
	ok(full >= 3 && full <= 5, "and the whole window once a minute "
		"(%d times in 240 s)", full);
	reads(&w, 330000, 380000, 60000, &full, &most);
	ok(most >= 20000 && most <= 24000, "after the event 15 s late was "
		"found, polls read that much further back (%lld ms)",
		(long long)most);
	reads(&w, 460000 - 50000, 460000, 60000, &full, &most);
	ok(most < 12000, "two minutes on, lateness is as measured since "
		"(%lld ms)", (long long)most);
	ok(cw_follow_remembered(f) <= 900, "and no more once the events "
		"stop coming (%zu for 800, and up to a slice)",
		cw_follow_remembered(f));
	cw_follow_free(f);
	release(&w);
}

/* Forty events a second on /a for 80 s, 2 s late, but one 15 s late
 * at 160 s: a poll finds over 100 new events, so the group is busy. */
static struct fev *busier_events(void)
{
	static char ids[BUSY_EVENTS][16];
	static struct fev ev[BUSY_EVENTS];
	size_t i;

	for (i = 0; i < BUSY_EVENTS; i++) {
		snprintf(ids[i], sizeof(ids[i]), "e%zu", i);
		ev[i].group = "/a";
		ev[i].id = ids[i];
		ev[i].ts = 100000 + (int64_t)i * 25;
		ev[i].ingest = ev[i].ts + 2000;
		ev[i].msg = NULL;
	}
	ev[2400].ingest = ev[2400].ts + 15000;
	return ev;
}

/* Reads of /a in [from, to) that went back in [lo, hi) ms. */
static int reads_back(const struct world *w, int64_t from, int64_t to,
	int64_t lo, int64_t hi)
{
	size_t i;
	int n = 0;

	for (i = 0; i < w->nreads; i++)
		if (w->read_at[i] >= from && w->read_at[i] < to &&
		    w->read_at[i] - w->read_from[i] >= lo &&
		    w->read_at[i] - w->read_from[i] < hi)
			n++;
	return n;
}

/* A busy group: a poll every 5 s reading back what came since the last
 * one; every quarter window a sweep back past the lateness; the whole
 * window once a window. */
static void test_busy(void)
{
	struct world w;
	struct cw_follow_cfg c;
	struct cw_follow *f;
	struct cw_err err;
	size_t i;
	int gaps = 0, n;

	setup(&w, busier_events(), BUSY_EVENTS, &c, NULL);
	w.t = 110000;
	c.start_ms = 0;
	c.lookback_ms = 40000;
	c.max_poll_ms = 10000;
	f = cw_follow_new(&c, &err);
	ok(f != NULL, "follow starts");
	is_int(run_until(&w, f, 200000, &err), 0, "runs to the stop");
	ok(all_once(&w, BUSY_EVENTS), "every event printed exactly once, "
		"the one 15 s late too");
	for (i = 1; i < w.nreads && w.read_at[i] < 180000; i++)
		if (w.read_at[i] - w.read_at[i - 1] < 5000 ||
		    w.read_at[i] - w.read_at[i - 1] > 5500)
			gaps++;
	is_int(gaps, 0, "a busy group is polled every 5 s");
	n = reads_back(&w, 150000, 180000, 0, 13000);
	ok(n >= 3, "between sweeps a poll reads back the time since the "
		"last one, its delay and a margin (%d)", n);
	n = reads_back(&w, 150000, 180000, 13000, 40000);
	ok(n >= 2 && n <= 3, "every 10 s a sweep reads back past the "
		"lateness (%d)", n);
	n = reads_back(&w, 150000, 200000, 40000, INT64_MAX);
	ok(n >= 1 && n <= 2, "the whole window once a window (%d)", n);
	cw_follow_free(f);
	release(&w);
}

int main(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/tmp/cw-follow-%ld.cp", (long)getpid());
	test_late();
	test_reach();
	test_busy();
	test_outage();
	test_budget();
	test_restart(path);
	test_early_stop(path);
	test_errors(path);
	test_kept(path);
	test_kept_bound(path);
	test_old_versions(path);
	test_dead(path);
	test_ids(path);
	unlink(path);
	return tap_done();
}
