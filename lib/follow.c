#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "follow.h"
#include "merge.h"
#include "pace.h"
#include "seen.h"
#include "banned.h"

/* Checkpoints are saved after new output, else at most this often. */
#define SAVE_EVERY_MS 5000
/* Sleeps are cut in slices so stop() is noticed soon. */
#define SLICE_MS 250

struct group {
	const char *name;
	int64_t floor;		/* never read before this */
	int64_t last_from;	/* from of the last good poll */
	int64_t ok_ms;		/* when the last good poll started */
	int64_t next_ms;	/* when the next poll is due */
	int polled, failing;
	struct cw_pace_poll pace;
};

struct cw_follow {
	struct cw_follow_cfg cfg;
	struct group *g;
	struct cw_seen *seen;
	struct cw_merge *merge;
	struct cw_pace_bucket bucket;
	size_t nfailing;
	int64_t outage_ms;	/* when the outage started; 0: none */
	int64_t saved_ms;
	uint64_t emitted, saved_emitted, forced;
};

static int64_t now(const struct cw_follow *f)
{
	return cw_ctx_now_ms(f->cfg.ctx);
}

static void notice(struct cw_follow *f, enum cw_follow_notice_kind kind,
	const char *group, const char *why, int64_t from, int64_t to)
{
	struct cw_follow_notice n = { kind, group, why, from, to };

	if (f->cfg.notice)
		f->cfg.notice(f->cfg.notice_arg, &n);
}

void cw_follow_free(struct cw_follow *f)
{
	if (!f)
		return;
	cw_seen_free(f->seen);
	cw_merge_free(f->merge);
	free(f->g);
	free(f);
}

static size_t group_index(const struct cw_follow *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->cfg.ngroups; i++)
		if (strcmp(f->g[i].name, name) == 0)
			break;
	return i;
}

/* Starts each group in the checkpoint at its position, with its recent
 * eventIds marked as printed. */
static int restore(struct cw_follow *f, struct cw_err *err)
{
	struct cw_checkpoint cp;
	const struct cw_checkpoint_group *cg;
	size_t i, j, gi;
	int r;

	cw_checkpoint_init(&cp);
	r = cw_checkpoint_load(&cp, f->cfg.checkpoint, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	for (i = 0; i < cp.n; i++) {
		cg = &cp.groups[i];
		gi = group_index(f, cg->name);
		if (gi == f->cfg.ngroups)
			continue;	/* a group no longer followed */
		f->g[gi].floor = f->g[gi].last_from = cg->last_ts;
		for (j = 0; j < cg->nids; j++)
			if (cw_seen_add(f->seen, (unsigned)gi, cg->ids[j].id,
			    cg->ids[j].ts) < 0) {
				cw_checkpoint_release(&cp);
				return cw_err_set(err, "checkpoint %s: out of "
					"memory", f->cfg.checkpoint);
			}
	}
	cw_checkpoint_release(&cp);
	return 0;
}

static int setup(struct cw_follow *f, struct cw_err *err)
{
	struct cw_follow_cfg *c = &f->cfg;
	int64_t t = now(f);
	size_t i;

	if (!c->lookback_ms)
		c->lookback_ms = 5 * 60 * 1000;
	if (!c->settle_ms)
		c->settle_ms = 2000;
	if (!c->min_poll_ms)
		c->min_poll_ms = 1000;
	if (!c->max_poll_ms)
		c->max_poll_ms = 10000;
	if (c->max_poll_ms + c->settle_ms > c->lookback_ms)
		return cw_err_set(err, "follow: look-back window of %lld ms "
			"is shorter than the idle poll interval and settle "
			"delay (%lld ms)", (long long)c->lookback_ms,
			(long long)(c->max_poll_ms + c->settle_ms));
	cw_pace_bucket_init(&f->bucket, c->tps > 0 ? c->tps :
		cw_pace_filter_rate(c->region), 1, t);
	for (i = 0; i < c->ngroups; i++) {
		f->g[i].name = c->groups[i];
		f->g[i].floor = c->start_ms > 0 ? c->start_ms :
			t - c->lookback_ms;
		f->g[i].last_from = f->g[i].floor;
		f->g[i].next_ms = t;
		cw_pace_poll_init(&f->g[i].pace, c->min_poll_ms, c->max_poll_ms,
			0);
	}
	f->saved_ms = t;
	return c->checkpoint ? restore(f, err) : 0;
}

struct cw_follow *cw_follow_new(const struct cw_follow_cfg *cfg,
	struct cw_err *err)
{
	struct cw_follow *f;

	if (!cfg->ngroups || !cfg->fetch || !cfg->emit) {
		cw_err_set(err, "follow: no group, fetch or emit");
		return NULL;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		cw_err_set(err, "follow: out of memory");
		return NULL;
	}
	f->cfg = *cfg;
	f->g = calloc(cfg->ngroups, sizeof(*f->g));
	f->seen = cw_seen_new(cfg->seen_capacity ? cfg->seen_capacity :
		200000);
	f->merge = cw_merge_new(0, 0);
	if (!f->g || !f->seen || !f->merge) {
		cw_err_set(err, "follow: out of memory");
		cw_follow_free(f);
		return NULL;
	}
	if (setup(f, err) < 0) {
		cw_follow_free(f);
		return NULL;
	}
	return f;
}

/* Where the next poll of g reads from. */
static int64_t next_from(const struct cw_follow *f, const struct group *g,
	int64_t t)
{
	int64_t w = t - f->cfg.lookback_ms;

	return g->polled && w > g->floor ? w : g->floor;
}

/* Every healthy group was polled past this, give or take the settle
 * delay: older events may go out. INT64_MIN until each was polled. */
static int64_t watermark(const struct cw_follow *f)
{
	int64_t wm = INT64_MAX;
	size_t i;

	for (i = 0; i < f->cfg.ngroups; i++) {
		if (f->g[i].failing)
			continue;
		if (!f->g[i].polled)
			return INT64_MIN;
		if (f->g[i].ok_ms - f->cfg.settle_ms < wm)
			wm = f->g[i].ok_ms - f->cfg.settle_ms;
	}
	return wm == INT64_MAX ? INT64_MIN : wm;
}

struct ids_arg {
	struct cw_checkpoint *cp;
	unsigned gi;
	size_t ci;
	int64_t lo, hi;
	struct cw_err *err;
};

static int add_id(void *arg, unsigned group, const char *id, int64_t ts)
{
	struct ids_arg *a = arg;

	if (group != a->gi || ts < a->lo || ts >= a->hi)
		return 0;
	return cw_checkpoint_add_id(a->cp, a->ci, ts, id, a->err) < 0;
}

/* The position: per group, where a restart reads from (nothing unprinted
 * is older) and the ids printed since. Only events older than wm are
 * surely printed. */
static int save(struct cw_follow *f, int64_t wm, int64_t t,
	struct cw_err *err)
{
	struct cw_checkpoint cp;
	struct ids_arg a = { NULL, 0, 0, 0, wm, err };
	struct group *g;
	long ci;
	int r = -1;

	cw_checkpoint_init(&cp);
	a.cp = &cp;
	for (a.gi = 0; a.gi < f->cfg.ngroups; a.gi++) {
		g = &f->g[a.gi];
		a.lo = next_from(f, g, t);
		if (wm < a.lo)
			a.lo = wm;
		if (g->failing && g->last_from < a.lo)
			a.lo = g->last_from;
		ci = cw_checkpoint_add_group(&cp, g->name, a.lo, err);
		if (ci < 0)
			goto out;
		a.ci = (size_t)ci;
		if (cw_seen_each(f->seen, add_id, &a) != 0)
			goto out;
	}
	r = cw_checkpoint_save(&cp, f->cfg.checkpoint, err);
	f->saved_ms = t;
	f->saved_emitted = f->emitted;
out:
	cw_checkpoint_release(&cp);
	return r;
}

static int emit(void *arg, const struct cw_logs_event *e, struct cw_err *err)
{
	struct cw_follow *f = arg;

	f->emitted++;
	return f->cfg.emit(f->cfg.emit_arg, e, err);
}

/* After a poll: print what may go, forget what cannot come back, save. */
static int settle(struct cw_follow *f, int64_t t, struct cw_err *err)
{
	int64_t wm = watermark(f), horizon = INT64_MAX, h;
	size_t i;
	int r;

	if (wm == INT64_MIN)
		return 0;
	r = cw_merge_release(f->merge, wm, emit, f, err);
	if (r)
		return r;
	for (i = 0; i < f->cfg.ngroups; i++) {
		h = next_from(f, &f->g[i], t);
		if (f->g[i].failing && f->g[i].last_from < h)
			h = f->g[i].last_from;
		if (h < horizon)
			horizon = h;
	}
	if (horizon > wm)
		horizon = wm;
	cw_seen_expire(f->seen, horizon);
	if (cw_seen_forced(f->seen) > f->forced) {
		if (!f->forced)
			notice(f, CW_FOLLOW_REPEATS, NULL, NULL, 0, 0);
		f->forced = cw_seen_forced(f->seen);
	}
	if (f->cfg.checkpoint && (f->emitted > f->saved_emitted ||
	    t - f->saved_ms >= SAVE_EVERY_MS))
		return save(f, wm, t, err);
	return 0;
}

struct poll {
	struct cw_follow *f;
	unsigned gi;
	size_t fresh;
	int stopped;	/* what stopped the fetch from our side */
};

static int on_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct poll *p = arg;
	struct cw_logs_event ev = *e;
	int r;

	if (!ev.event_id || !*ev.event_id)
		return 0;	/* nothing to tell it apart by */
	if (strlen(ev.event_id) > CW_SEEN_MAX_ID) {
		p->stopped = -1;
		return cw_err_set(err, "log group %s: eventId longer than %d "
			"bytes", p->f->g[p->gi].name, CW_SEEN_MAX_ID);
	}
	if (!ev.group)
		ev.group = p->f->g[p->gi].name;
	r = cw_seen_add(p->f->seen, p->gi, ev.event_id, ev.timestamp);
	if (r == 1)
		return 0;
	if (r < 0) {
		p->stopped = -1;
		return cw_err_set(err, "follow: out of memory");
	}
	p->fresh++;
	r = cw_merge_push(p->f->merge, &ev, emit, p->f, err);
	if (r)
		p->stopped = r;
	return r;
}

static void poll_ok(struct cw_follow *f, struct group *g, int64_t t,
	int64_t from, size_t fresh)
{
	/* The last good poll saw every event ingested by then from
	 * last_from on; an event ingested since with a timestamp in
	 * [ok_ms, from) was never read. */
	if (g->polled && from > g->ok_ms)
		notice(f, CW_FOLLOW_GAP, g->name, NULL, g->ok_ms, from);
	if (g->failing) {
		g->failing = 0;
		if (--f->nfailing == 0 && f->outage_ms) {
			notice(f, CW_FOLLOW_OUTAGE_END, NULL, NULL,
				f->outage_ms, t);
			f->outage_ms = 0;
		}
	}
	g->polled = 1;
	g->ok_ms = t;
	g->last_from = from;
	cw_pace_poll_events(&g->pace, fresh);
}

static void poll_failed(struct cw_follow *f, struct group *g, int64_t t,
	int throttled, const struct cw_err *err)
{
	if (throttled)
		cw_pace_bucket_throttled(&f->bucket, t);
	cw_pace_poll_failed(&g->pace, cw_ctx_random(f->cfg.ctx));
	if (g->failing)
		return;
	g->failing = 1;
	if (f->nfailing++ == 0 && !f->outage_ms) {
		f->outage_ms = t;
		notice(f, CW_FOLLOW_OUTAGE_START, g->name, err->msg, t, t);
	}
}

static int stopping(const struct cw_follow *f)
{
	return f->cfg.stop && f->cfg.stop(f->cfg.stop_arg);
}

/* Waits until g is due and the budget allows a call; 1 if stopped. */
static int wait_turn(struct cw_follow *f, const struct group *g)
{
	int64_t t, w;

	for (;;) {
		if (stopping(f))
			return 1;
		t = now(f);
		w = g->next_ms - t;
		if (w <= 0)
			w = cw_pace_bucket_take(&f->bucket, t);
		if (w <= 0)
			return 0;
		cw_ctx_sleep_ms(f->cfg.ctx, w < SLICE_MS ? w : SLICE_MS);
	}
}

int cw_follow_step(struct cw_follow *f, struct cw_err *err)
{
	struct poll p = { f, 0, 0, 0 };
	struct group *g;
	struct cw_err ferr;
	int64_t t, from;
	size_t i;
	int r;

	for (i = 1; i < f->cfg.ngroups; i++)
		if (f->g[i].next_ms < f->g[p.gi].next_ms)
			p.gi = (unsigned)i;
	g = &f->g[p.gi];
	if (wait_turn(f, g))
		return 0;
	t = now(f);
	from = next_from(f, g, t);
	cw_err_clear(&ferr);
	r = f->cfg.fetch(f->cfg.fetch_arg, g->name, from, on_event, &p, &ferr);
	if (p.stopped) {
		*err = ferr;
		return p.stopped;
	}
	if (r == CW_FOLLOW_FETCH_FATAL) {
		*err = ferr;
		return -1;
	}
	if (r == CW_FOLLOW_FETCH_OK)
		poll_ok(f, g, t, from, p.fresh);
	else
		poll_failed(f, g, t, r == CW_FOLLOW_FETCH_THROTTLED, &ferr);
	g->next_ms = t + cw_pace_poll_interval(&g->pace);
	return settle(f, t, err);
}

/* Prints what is held and saves, even when a group was not polled yet:
 * its position is still where it started, and what was printed is in
 * the saved ids. */
int cw_follow_flush(struct cw_follow *f, struct cw_err *err)
{
	int r = cw_merge_flush(f->merge, emit, f, err);

	if (r == 0 && f->cfg.checkpoint)
		r = save(f, INT64_MAX, now(f), err);
	return r;
}

int cw_follow_run(struct cw_follow *f, struct cw_err *err)
{
	int r;

	while (!stopping(f)) {
		r = cw_follow_step(f, err);
		if (r)
			return r;
	}
	return cw_follow_flush(f, err);
}
