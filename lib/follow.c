#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checkpoint.h"
#include "crc32.h"
#include "follow.h"
#include "idset.h"
#include "merge.h"
#include "pace.h"
#include "seen.h"
#include "banned.h"

/* Checkpoints are saved after new output, else at most this often. */
#define SAVE_EVERY_MS 5000
/* Sleeps are cut in slices so stop() is noticed soon. */
#define SLICE_MS 250
/* The checkpoint keeps the positions of at most this many groups not
 * followed in the run, the newest first. */
#define KEEP_GROUPS 1000
/* The whole look-back window is read again this often, or once a
 * window when it is shorter: on a busy group that read is most of the
 * cost, and the events it finds that no shorter read did are rare. */
#define FULL_EVERY_MS 300000
/* Lateness is measured over spans of this, or of the window when it is
 * shorter; the polls read back as far as events of the group came late
 * in the last one or two spans. */
#define LATE_SPAN_MS 60000
/* Added to the measured reach, for what varies from poll to poll. */
#define REACH_MARGIN_MS 2000
/* A poll that finds this many new events makes its group busy: it is
 * polled every BUSY_POLL_MS, as aws logs tail polls, and only every
 * SWEEP_MS (a quarter window if shorter) does a poll read back as far as
 * its events come late; the polls between read what came since the last
 * one, so a busy group costs about a page a poll. */
#define BUSY_EVENTS 100
#define BUSY_POLL_MS 5000
#define SWEEP_MS 20000
/* --debug tells the cost of each group this often. */
#define REPORT_EVERY_MS 60000

/* The largest value seen in the last one or two spans of len ms. */
struct span {
	int64_t len, start_ms, cur, prev;
};

/* The cost of a group since the last report. */
struct cost {
	uint64_t polls, calls, read, fresh;
};

struct group {
	const char *name;
	int64_t floor;		/* never read before this */
	int64_t last_from;	/* from of the last good poll */
	int64_t ok_ms;		/* when the last good poll started */
	int64_t next_ms;	/* when the next poll is due */
	int polled, failing;
	/* Failed for good: no longer polled. Its position is saved as it
	 * stood until its held events are printed (ts below drain_ts), then
	 * it is retired into the groups kept as they are. */
	int dead, retired;
	int64_t drain_ts;
	struct cw_pace_poll pace;
	int64_t full_ms;	/* when the last good full read started */
	int64_t sweep_ms;	/* the last good read back past lateness */
	int busy;		/* the last good poll found BUSY_EVENTS */
	struct span late;	/* ingestion - timestamp of new events */
	struct span lag;	/* poll start - ingestion, of new events a
				 * read from the last poll found */
	struct cw_idset *seen;	/* the keys of its printed events */
	struct cost cost;
};

struct cw_follow {
	struct cw_follow_cfg cfg;
	struct group *g;
	struct cw_merge *merge;
	struct cw_pace_bucket bucket;
	struct cw_checkpoint kept;	/* groups saved as they are */
	struct cw_idset *twins;	/* this poll's keys made of content */
	struct cw_buf key;
	size_t nfailing, ndead;
	int64_t outage_ms;	/* when the outage started; 0: none */
	int64_t saved_ms;
	int64_t report_ms;
	int64_t every_ms;	/* between full reads */
	int64_t sweep_every;	/* between a busy group's sweeps */
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
	size_t i;

	if (!f)
		return;
	for (i = 0; f->g && i < f->cfg.ngroups; i++)
		cw_idset_free(f->g[i].seen);
	cw_idset_free(f->twins);
	cw_merge_free(f->merge);
	cw_checkpoint_release(&f->kept);
	cw_buf_release(&f->key);
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

/* The key of an eventId: the id with '%' written %25, so that no key of
 * an id starts with "%e", as the keys made of an event's content do.
 * Left in b; -1 when out of memory. */
static int id_key(struct cw_buf *b, const char *id)
{
	int r = 0;

	cw_buf_reset(b);
	for (; *id && r == 0; id++)
		r = *id == '%' ? cw_buf_adds(b, "%25") : cw_buf_addc(b, *id);
	return r;
}

/* The hash of a key as a checkpoint id: 16 hex digits. */
static void hash_text(char out[17], uint64_t h)
{
	snprintf(out, 17, "%016" PRIx64, h);
}

/* A checkpoint id as the hash of its key: version 3 files hold the
 * hashes, version 2 the keys, version 1 the ids themselves. */
static int restored_hash(struct cw_follow *f, int version, const char *id,
	uint64_t *h, struct cw_err *err)
{
	size_t i;
	int d;

	if (version >= 3) {
		*h = 0;
		for (i = 0; i < 16; i++) {
			d = id[i] >= '0' && id[i] <= '9' ? id[i] - '0' :
				id[i] >= 'a' && id[i] <= 'f' ? id[i] - 'a' + 10
				: -1;
			if (d < 0)
				break;
			*h = *h << 4 | (uint64_t)d;
		}
		if (i < 16 || id[16])
			return cw_err_set(err, "checkpoint %s: %s: not an event "
				"key (16 hex digits)", f->cfg.checkpoint, id);
		return 0;
	}
	if (version < 2 && id_key(&f->key, id) < 0)
		return cw_err_set(err, "follow: out of memory");
	*h = cw_idset_hash(version < 2 ? f->key.p : id);
	return 0;
}

/* Copies a group of the file that is not followed now into kept, its
 * ids as this version writes them. */
static int keep(struct cw_follow *f, int version,
	const struct cw_checkpoint_group *cg, struct cw_err *err)
{
	char hex[17];
	uint64_t h;
	long ci;
	size_t j;

	ci = cw_checkpoint_add_group(&f->kept, cg->name, cg->last_ts, err);
	if (ci < 0)
		return -1;
	f->kept.groups[ci].spare = 1;
	for (j = 0; j < cg->nids; j++) {
		if (restored_hash(f, version, cg->ids[j].id, &h, err) < 0)
			return -1;
		hash_text(hex, h);
		if (cw_checkpoint_add_id(&f->kept, (size_t)ci,
		    cg->ids[j].ts, hex, err) < 0)
			return -1;
	}
	return 0;
}

static int newest_first(const void *a, const void *b)
{
	const struct cw_checkpoint_group *x = a, *y = b;

	return x->last_ts > y->last_ts ? -1 : x->last_ts < y->last_ts;
}

/* Starts each group in the checkpoint at its position, with its recent
 * keys marked as printed; keeps the others for the saves. */
static int restore(struct cw_follow *f, struct cw_err *err)
{
	struct cw_checkpoint cp;
	const struct cw_checkpoint_group *cg;
	uint64_t h;
	size_t i, j, gi;
	int r;

	cw_checkpoint_init(&cp);
	r = cw_checkpoint_load(&cp, f->cfg.checkpoint, err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	qsort(cp.groups, cp.n, sizeof(*cp.groups), newest_first);
	for (i = 0, r = 0; i < cp.n && r == 0; i++) {
		cg = &cp.groups[i];
		gi = group_index(f, cg->name);
		if (gi == f->cfg.ngroups) {
			if (f->kept.n < KEEP_GROUPS)
				r = keep(f, cp.version, cg, err);
			continue;
		}
		f->g[gi].floor = f->g[gi].last_from = cg->last_ts;
		for (j = 0; j < cg->nids && r == 0; j++) {
			r = restored_hash(f, cp.version, cg->ids[j].id, &h,
				err);
			if (r == 0 && cw_idset_add(f->g[gi].seen, h,
			    cg->ids[j].ts) < 0)
				r = cw_err_set(err, "checkpoint %s: out of "
					"memory", f->cfg.checkpoint);
		}
	}
	cw_checkpoint_release(&cp);
	return r;
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
	f->every_ms = c->lookback_ms < FULL_EVERY_MS ? c->lookback_ms :
		FULL_EVERY_MS;
	f->sweep_every = c->lookback_ms / 4 < SWEEP_MS ? c->lookback_ms / 4 :
		SWEEP_MS;
	cw_pace_bucket_init(&f->bucket, c->tps > 0 ? c->tps :
		cw_pace_filter_rate(c->region), 1, t);
	for (i = 0; i < c->ngroups; i++) {
		f->g[i].name = c->groups[i];
		f->g[i].floor = c->start_ms > 0 ? c->start_ms :
			t - c->lookback_ms;
		f->g[i].last_from = f->g[i].floor;
		f->g[i].next_ms = t;
		/* Until a span of events was measured, as late as may be:
		 * every poll reads the whole window. */
		f->g[i].late.len = f->g[i].lag.len =
			c->lookback_ms < LATE_SPAN_MS ? c->lookback_ms :
			LATE_SPAN_MS;
		f->g[i].late.start_ms = f->g[i].lag.start_ms = t;
		f->g[i].late.prev = c->lookback_ms;
		cw_pace_poll_init(&f->g[i].pace, c->min_poll_ms, c->max_poll_ms,
			0);
	}
	f->saved_ms = f->report_ms = t;
	if (!c->checkpoint)
		return 0;
	/* A checkpoint that cannot be saved fails now, not after the
	 * first events were printed. */
	return restore(f, err) < 0 ? -1 : cw_checkpoint_probe(c->checkpoint,
		err);
}

struct cw_follow *cw_follow_new(const struct cw_follow_cfg *cfg,
	struct cw_err *err)
{
	struct cw_follow *f;
	size_t i = 0;

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
	if (!f->cfg.seen_capacity)
		f->cfg.seen_capacity = 2000000;
	cw_checkpoint_init(&f->kept);
	cw_buf_init(&f->key, 0);
	f->g = calloc(cfg->ngroups, sizeof(*f->g));
	f->merge = cw_merge_new(0, 0);
	for (i = 0; f->g && i < cfg->ngroups; i++)
		if (!(f->g[i].seen = cw_idset_new(f->cfg.seen_capacity)))
			break;
	if (!f->g || i < cfg->ngroups || !f->merge) {
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

static void span_roll(struct span *s, int64_t t)
{
	if (t - s->start_ms < s->len)
		return;
	s->prev = t - s->start_ms < 2 * s->len ? s->cur : 0;
	s->cur = 0;
	s->start_ms = t;
}

static void span_add(struct span *s, int64_t t, int64_t v)
{
	span_roll(s, t);
	if (v > s->cur)
		s->cur = v;
}

static int64_t span_max(struct span *s, int64_t t)
{
	span_roll(s, t);
	return s->cur > s->prev ? s->cur : s->prev;
}

struct poll {
	struct cw_follow *f;
	unsigned gi;
	int64_t t;	/* when it started */
	int full;	/* it reads the whole look-back window */
	int sweep;	/* it reads back past how late events came */
	int recent;	/* it reads from the last poll on */
	size_t fresh;
	uint64_t calls, read;
	int stopped;	/* what stopped the fetch from our side */
};

/* The oldest a poll of g may read from: a full read goes back the
 * look-back window from when the last full read started, so an event
 * found by no partial read is still found if it was at most --lookback
 * late. */
static int64_t oldest_from(const struct cw_follow *f, const struct group *g,
	int64_t t)
{
	int64_t w = t - f->cfg.lookback_ms - f->every_ms;

	return g->polled && w > g->floor ? w : g->floor;
}

/* How far back a partial read of g at t goes. A sweep reads past the
 * latest events the last sweep could have missed, as late as events came
 * lately; the other polls of a busy group, past those the last poll
 * could have missed that came on time. */
static int64_t reach(const struct cw_follow *f, struct group *g, int64_t t,
	int sweep)
{
	int64_t r = span_max(&g->lag, t) + REACH_MARGIN_MS;

	if (!sweep)
		return r + (t - g->ok_ms);
	return r + (t - g->sweep_ms) + span_max(&g->late, t) +
		f->cfg.settle_ms;
}

static int sweep_due(const struct cw_follow *f, const struct group *g,
	int64_t t)
{
	return !g->busy || t - g->sweep_ms >= f->sweep_every;
}

/* Where the poll of g at t reads from, and what kind of read it is. */
static int64_t poll_from(const struct cw_follow *f, struct group *g,
	int64_t t, struct poll *p)
{
	int64_t r;

	p->full = !g->polled || t - g->full_ms >= f->every_ms;
	p->sweep = p->full || sweep_due(f, g, t);
	p->recent = !p->full && (!p->sweep || g->sweep_ms == g->ok_ms);
	if (p->full)
		return oldest_from(f, g, t);
	r = reach(f, g, t, p->sweep);
	if (r >= f->cfg.lookback_ms) {
		p->full = p->sweep = 1;
		p->recent = 0;
		return oldest_from(f, g, t);
	}
	return t - r > g->floor ? t - r : g->floor;
}

/* Every healthy group was polled past this, give or take the settle
 * delay: older events may go out. INT64_MIN until each was polled. */
static int64_t watermark(const struct cw_follow *f)
{
	int64_t wm = INT64_MAX;
	size_t i;

	for (i = 0; i < f->cfg.ngroups; i++) {
		if (f->g[i].failing || f->g[i].dead)
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
	size_t ci;
	int64_t lo, hi;
	struct cw_err *err;
};

static int add_id(void *arg, uint64_t h, int64_t ts)
{
	struct ids_arg *a = arg;
	char hex[17];

	if (ts < a->lo || ts >= a->hi)
		return 0;
	hash_text(hex, h);
	return cw_checkpoint_add_id(a->cp, a->ci, ts, hex, a->err) < 0;
}

/* Where a restart reads g from: nothing unprinted is older. Only events
 * older than wm are surely printed. */
static int64_t position(const struct cw_follow *f, const struct group *g,
	int64_t wm, int64_t t)
{
	int64_t lo = oldest_from(f, g, t);

	if (wm < lo)
		lo = wm;
	if ((g->failing || g->dead) && g->last_from < lo)
		lo = g->last_from;
	return lo;
}

/* Adds group gi to cp: its position and the keys printed since. */
static int add_position(struct cw_follow *f, struct cw_checkpoint *cp,
	unsigned gi, int64_t wm, int64_t t, struct cw_err *err)
{
	struct ids_arg a = { cp, 0, 0, wm, err };
	long ci;

	a.lo = position(f, &f->g[gi], wm, t);
	ci = cw_checkpoint_add_group(cp, f->g[gi].name, a.lo, err);
	if (ci < 0)
		return -1;
	a.ci = (size_t)ci;
	return cw_idset_each(f->g[gi].seen, add_id, &a) != 0 ? -1 : 0;
}

/* Adds a kept group to cp as it is; it may be left out of a full file. */
static int add_kept(struct cw_checkpoint *cp,
	const struct cw_checkpoint_group *k, struct cw_err *err)
{
	long ci = cw_checkpoint_add_group(cp, k->name, k->last_ts, err);
	size_t j;

	if (ci < 0)
		return -1;
	cp->groups[ci].spare = 1;
	for (j = 0; j < k->nids; j++)
		if (cw_checkpoint_add_id(cp, (size_t)ci, k->ids[j].ts,
		    k->ids[j].id, err) < 0)
			return -1;
	return 0;
}

/* The position of every group, followed or kept. */
static int save(struct cw_follow *f, int64_t wm, int64_t t,
	struct cw_err *err)
{
	struct cw_checkpoint cp;
	size_t i;
	int r = 0;

	cw_checkpoint_init(&cp);
	for (i = 0; i < f->cfg.ngroups && r == 0; i++)
		if (!f->g[i].retired)
			r = add_position(f, &cp, (unsigned)i, wm, t, err);
	for (i = 0; i < f->kept.n && r == 0; i++)
		r = add_kept(&cp, &f->kept.groups[i], err);
	if (r == 0)
		r = cw_checkpoint_save(&cp, f->cfg.checkpoint, err);
	f->saved_ms = t;
	f->saved_emitted = f->emitted;
	cw_checkpoint_release(&cp);
	return r;
}

/* A dead group whose held events are all printed: its position moves to
 * the kept groups, and its keys may leave the seen set. */
static int retire(struct cw_follow *f, unsigned gi, int64_t wm, int64_t t,
	struct cw_err *err)
{
	f->g[gi].retired = 1;
	if (f->cfg.checkpoint && add_position(f, &f->kept, gi, wm, t,
	    err) < 0)
		return -1;
	cw_idset_expire(f->g[gi].seen, INT64_MAX);
	if (!f->cfg.checkpoint)
		return 0;
	f->kept.groups[f->kept.n - 1].spare = 1;
	qsort(f->kept.groups, f->kept.n, sizeof(*f->kept.groups),
		newest_first);
	return 0;
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
	int64_t wm = watermark(f), h;
	uint64_t forced = 0;
	struct group *g;
	size_t i;
	int r;

	if (wm == INT64_MIN)
		return 0;
	r = cw_merge_release(f->merge, wm, emit, f, err);
	if (r)
		return r;
	for (i = 0; i < f->cfg.ngroups; i++) {
		g = &f->g[i];
		if (g->dead && !g->retired && wm >= g->drain_ts &&
		    retire(f, (unsigned)i, wm, t, err) < 0)
			return -1;
		forced += cw_idset_forced(g->seen);
		if (g->retired)
			continue;
		h = oldest_from(f, g, t);
		if ((g->failing || g->dead) && g->last_from < h)
			h = g->last_from;
		cw_idset_expire(g->seen, h < wm ? h : wm);
	}
	if (forced > f->forced) {
		if (!f->forced)
			notice(f, CW_FOLLOW_REPEATS, NULL, NULL, 0, 0);
		f->forced = forced;
	}
	if (f->cfg.checkpoint && (f->emitted > f->saved_emitted ||
	    t - f->saved_ms >= SAVE_EVERY_MS))
		return save(f, wm, t, err);
	return 0;
}

/* FNV-1a, 64 bits. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

/* An event without a usable eventId (none, empty or too long; lib/logs
 * gives one holding U+0000 as empty) is known by its stream, timestamp
 * and message, and by how many events with the same ones came before it
 * in this poll: each poll re-reads from a timestamp, so such twins come
 * back together, in the service's order. The key is left in f->key;
 * NULL when out of memory. */
static const char *content_key(struct poll *p, const struct cw_logs_event *e)
{
	struct cw_follow *f = p->f;
	const char *st = e->stream ? e->stream : "";
	const char *msg = e->message ? e->message : "";
	uint64_t h = fnv(0xcbf29ce484222325ULL, st, strlen(st) + 1);
	uint32_t c = cw_crc32(cw_crc32(0, st, strlen(st) + 1), msg,
		e->message_len);
	unsigned n;
	int r;

	h = fnv(h, msg, e->message_len);
	if (!f->twins && !(f->twins = cw_idset_new(f->cfg.seen_capacity)))
		return NULL;
	for (n = 0;; n++) {
		cw_buf_reset(&f->key);
		if (cw_buf_addf(&f->key, "%%e%" PRId64 ".%016" PRIx64 "%08"
		    PRIx32 ".%u", e->timestamp, h, c, n) < 0)
			return NULL;
		r = cw_idset_add(f->twins, cw_idset_hash(f->key.p),
			e->timestamp);
		if (r <= 0)
			return r < 0 ? NULL : f->key.p;
	}
}

/* The key e is known by in the seen set and the checkpoint. */
static const char *event_key(struct poll *p, const struct cw_logs_event *e)
{
	const char *id = e->event_id ? e->event_id : "";
	size_t len = strlen(id);
	struct cw_buf *k = &p->f->key;

	if (len == 0 || len > CW_SEEN_MAX_ID)
		return content_key(p, e);
	if (!memchr(id, '%', len))
		return id;
	if (id_key(k, id) < 0)
		return NULL;
	return k->len <= CW_SEEN_MAX_ID ? k->p : content_key(p, e);
}

/* How late a new event came, and how long after its ingestion a read
 * from the last poll on found it (the service's delay to show it, the
 * time between polls, the skew of our clock). Without an ingestion time,
 * both at once. */
static void measure(struct poll *p, const struct cw_logs_event *e)
{
	struct group *g = &p->f->g[p->gi];
	int64_t most = p->f->cfg.lookback_ms;
	int64_t late = e->ingestion_time - e->timestamp;
	int64_t lag = p->t - e->ingestion_time;

	if (e->ingestion_time <= 0) {
		if (p->full)
			return;
		late = p->t - e->timestamp;
		lag = 0;
	}
	span_add(&g->late, p->t, late < 0 ? 0 : late > most ? most : late);
	if (p->recent)
		span_add(&g->lag, p->t, lag < 0 ? 0 : lag > most ? most : lag);
}

static int on_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct poll *p = arg;
	struct cw_logs_event ev = *e;
	const char *key = event_key(p, e);
	int r;

	if (!ev.group)
		ev.group = p->f->g[p->gi].name;
	p->read++;
	r = key ? cw_idset_add(p->f->g[p->gi].seen, cw_idset_hash(key),
		ev.timestamp) : -1;
	if (r == 1)
		return 0;
	if (r < 0) {
		p->stopped = -1;
		return cw_err_set(err, "follow: out of memory");
	}
	p->fresh++;
	measure(p, e);
	r = cw_merge_push(p->f->merge, &ev, emit, p->f, err);
	if (r)
		p->stopped = r;
	return r;
}

static void poll_ok(struct cw_follow *f, struct group *g, int64_t t,
	int64_t from, const struct poll *p)
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
	if (p->full)
		g->full_ms = t;
	if (p->sweep)
		g->sweep_ms = t;
	g->busy = p->fresh >= BUSY_EVENTS;
	cw_pace_poll_events(&g->pace, p->fresh);
}

static size_t remembered_bytes(const struct cw_follow *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->cfg.ngroups; i++)
		n += cw_idset_bytes(f->g[i].seen);
	return n;
}

/* With --debug, once a minute: what each group cost, per minute. */
static void report(struct cw_follow *f, int64_t t)
{
	int64_t span = t - f->report_ms;
	struct group *g;
	size_t i;

	if (span < REPORT_EVERY_MS)
		return;
	for (i = 0; i < f->cfg.ngroups; i++) {
		g = &f->g[i];
		if (!g->dead && g->polled)
			cw_ctx_trace(f->cfg.ctx, "follow: %s: a minute: %" PRIu64
				" FilterLogEvents calls in %" PRIu64 " polls, %"
				PRIu64 " events read, %" PRIu64 " new; events up to "
				"%" PRId64 " s late, %s %" PRId64 " s back, the "
				"whole look-back every %" PRId64 " s",
				g->name, g->cost.calls * 60000 / (uint64_t)span,
				g->cost.polls * 60000 / (uint64_t)span,
				g->cost.read * 60000 / (uint64_t)span,
				g->cost.fresh * 60000 / (uint64_t)span,
				span_max(&g->late, t) / 1000, g->busy ?
				"busy: polls every 5 s, sweeps" : "polls",
				reach(f, g, t, 1) / 1000, f->every_ms / 1000);
		memset(&g->cost, 0, sizeof(g->cost));
	}
	cw_ctx_trace(f->cfg.ctx, "follow: %zu event keys remembered in %zu "
		"KiB", cw_follow_remembered(f), remembered_bytes(f) / 1024);
	f->report_ms = t;
}

static void count(struct group *g, const struct poll *p)
{
	g->cost.polls++;
	g->cost.calls += p->calls;
	g->cost.read += p->read;
	g->cost.fresh += p->fresh;
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

/* A group that failed for good is told once and left; the others go on.
 * Its events still held are printed as the others move on. The last
 * group ends the follow, once what is held was printed and saved. */
static int group_failed(struct cw_follow *f, unsigned gi,
	const struct cw_err *why, struct cw_err *err)
{
	struct group *g = &f->g[gi];
	int64_t newest = cw_idset_newest(g->seen);
	int r;

	if (g->failing) {
		g->failing = 0;
		if (--f->nfailing == 0)
			f->outage_ms = 0;	/* this notice closes it */
	}
	g->dead = 1;
	g->next_ms = INT64_MAX;
	g->drain_ts = newest == INT64_MIN ? INT64_MIN : newest + 1;
	if (++f->ndead < f->cfg.ngroups) {
		notice(f, CW_FOLLOW_GROUP_FAILED, g->name, why->msg, 0, 0);
		return 0;
	}
	r = cw_follow_flush(f, err);
	if (r)
		return r;
	*err = *why;
	return -1;
}

int cw_follow_step(struct cw_follow *f, struct cw_err *err)
{
	struct poll p = { f, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct group *g;
	struct cw_err ferr;
	int64_t t, from, iv;
	size_t i;
	int r;

	if (f->ndead == f->cfg.ngroups)
		return cw_err_set(err, "follow: every log group failed");
	for (i = 1; i < f->cfg.ngroups; i++)
		if (f->g[i].next_ms < f->g[p.gi].next_ms)
			p.gi = (unsigned)i;
	g = &f->g[p.gi];
	if (wait_turn(f, g))
		return 0;
	t = p.t = now(f);
	from = poll_from(f, g, t, &p);
	cw_err_clear(&ferr);
	if (f->twins)
		cw_idset_expire(f->twins, INT64_MAX);	/* a new poll */
	r = f->cfg.fetch(f->cfg.fetch_arg, g->name, from, on_event, &p,
		&p.calls, &ferr);
	count(g, &p);
	if (p.stopped) {
		*err = ferr;
		return p.stopped;
	}
	if (r == CW_FOLLOW_FETCH_FATAL) {
		r = group_failed(f, p.gi, &ferr, err);
		return r ? r : settle(f, t, err);
	}
	if (r == CW_FOLLOW_FETCH_OK)
		poll_ok(f, g, t, from, &p);
	else
		poll_failed(f, g, t, r == CW_FOLLOW_FETCH_THROTTLED, &ferr);
	iv = cw_pace_poll_interval(&g->pace);
	if (r == CW_FOLLOW_FETCH_OK && g->busy && iv < BUSY_POLL_MS)
		iv = BUSY_POLL_MS < f->cfg.max_poll_ms ? BUSY_POLL_MS :
			f->cfg.max_poll_ms;
	g->next_ms = t + iv;
	report(f, t);
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

size_t cw_follow_remembered(const struct cw_follow *f)
{
	size_t i, n = 0;

	for (i = 0; i < f->cfg.ngroups; i++)
		n += cw_idset_count(f->g[i].seen);
	return n;
}
