#ifndef CW_FOLLOW_H
#define CW_FOLLOW_H

#include <stddef.h>
#include <stdint.h>

#include "ctx.h"
#include "err.h"
#include "logs.h"

/*
 * The core of cw-tail -f: polls each group from a look-back window
 * (CloudWatch delivers events late and out of order), drops the events
 * already printed (lib/idset), merges the groups in time order (lib/merge),
 * paces the polls under one rate budget (lib/pace) and keeps the
 * position in a checkpoint file (lib/checkpoint). The service is reached
 * through a fetch callback, so tests play it.
 *
 * A sweep of a group reads back only as far as its events came late
 * lately: the most seen in the last minute or two of ingestion time
 * minus timestamp, plus the most of poll start minus ingestion time (the
 * service's delay to show an event, the time between polls, clock skew),
 * plus the time since its last good sweep, the settle delay and a margin.
 * Every poll is a sweep but on a busy group (a poll found 100 new events
 * or more): that one is polled every 5 s (max_poll_ms if shorter) and
 * swept every 20 s (a quarter window if shorter); its other polls read
 * back the time since the last poll, its delay and the margin. Once
 * every 5 minutes, or once a window if the look-back is shorter (and
 * whenever a reach passes the window), a full read goes back the window
 * from when the last full read started (now - lookback - that period),
 * so an event found by no partial read is still printed if it came at
 * most lookback late. Lateness is measured over spans of a minute (the
 * window if shorter); until one was measured, every sweep is a full
 * read. No read starts before floor: --since or the checkpoint's
 * position. The hashes of the events' keys are kept as long as a full
 * read can return them: the memory follows the events of the window.
 * Events leave the reorder buffer once every healthy group was polled
 * past their timestamp plus the settle delay.
 * With a trace sink (--debug), what each group cost is traced once a
 * minute: FilterLogEvents calls, events read, lateness, reach.
 *
 * An event is known by its eventId; one without a usable id (none, empty,
 * longer than CW_SEEN_MAX_ID) by its stream, timestamp, message and rank
 * among its twins in a poll. The checkpoint keeps the positions of groups
 * not followed in this run (up to 1000, newest first) as they were.
 */

/* Results of a fetch. */
enum {
	CW_FOLLOW_FETCH_OK = 0,
	CW_FOLLOW_FETCH_RETRY = 1,	/* 5xx, network: an outage */
	CW_FOLLOW_FETCH_THROTTLED = 2,	/* an outage that also slows the budget */
	CW_FOLLOW_FETCH_FATAL = -1	/* e.g. no such group: it is left */
};

/* Reads every page of group's events with timestamp >= from_ms, giving
 * each to ev(ev_arg, ...), and adds the calls it made to *calls. Returns
 * one of the values above; but for OK, err says why. Which errors are
 * throttling is the caller's to say (the client knows the codes). */
typedef int cw_follow_fetch_fn(void *arg, const char *group, int64_t from_ms,
	cw_logs_event_fn *ev, void *ev_arg, uint64_t *calls,
	struct cw_err *err);

enum cw_follow_notice_kind {
	CW_FOLLOW_OUTAGE_START,	/* group, why: the first failure */
	CW_FOLLOW_OUTAGE_END,	/* from_ms..to_ms: how long it lasted */
	CW_FOLLOW_GAP,		/* group: events in [from_ms, to_ms) may be missing */
	CW_FOLLOW_REPEATS,	/* the seen set overflowed: some may repeat */
	CW_FOLLOW_GROUP_FAILED	/* group, why: failed for good, left; the
				 * others go on (the last one is an error) */
};

struct cw_follow_notice {
	enum cw_follow_notice_kind kind;
	const char *group;
	const char *why;
	int64_t from_ms, to_ms;
};

typedef void cw_follow_notice_fn(void *arg, const struct cw_follow_notice *n);

struct cw_follow_cfg {
	const char *const *groups;
	size_t ngroups;
	int64_t start_ms;	/* read from here on the first poll (--since) */
	int64_t lookback_ms;	/* 0: 5 min */
	int64_t settle_ms;	/* 0: 2 s */
	int64_t min_poll_ms, max_poll_ms;	/* 0: 1 s and 10 s */
	double tps;		/* 0: half the FilterLogEvents quota of region */
	const char *region;
	size_t seen_capacity;	/* most event keys held a group; 0: 2 000 000 */
	const char *checkpoint;	/* file, or NULL */
	cw_follow_fetch_fn *fetch;
	void *fetch_arg;
	cw_logs_event_fn *emit;	/* non-zero return stops follow */
	void *emit_arg;
	cw_follow_notice_fn *notice;	/* may be NULL */
	void *notice_arg;
	int (*stop)(void *arg);	/* polled between steps; may be NULL */
	void *stop_arg;
	const struct cw_ctx *ctx;	/* clock, sleep, random */
};

struct cw_follow;

/* Copies what it needs of cfg (the group names are borrowed), reads the
 * checkpoint if any: a corrupt or foreign one is an error and is left as
 * it is, and so is one that could not be saved (cw_checkpoint_probe).
 * Free with cw_follow_free(). */
struct cw_follow *cw_follow_new(const struct cw_follow_cfg *cfg,
	struct cw_err *err);
void cw_follow_free(struct cw_follow *f);

/* One poll of the group due first (after waiting for it and for the
 * budget), then what can be printed is printed and the checkpoint saved.
 * A group whose fetch is fatal is told (CW_FOLLOW_GROUP_FAILED) and left.
 * Returns 0 to go on, the emit callback's non-zero value, or -1 on a
 * fatal error (the fatal fetch of the last group left, after a flush; a
 * checkpoint that cannot be written: its promise would silently stop
 * holding). */
int cw_follow_step(struct cw_follow *f, struct cw_err *err);

/* Steps until stop() says so or a step returns non-zero; on stop, prints
 * what is held and saves the checkpoint. Returns 0 after a stop, else
 * what the step returned. */
int cw_follow_run(struct cw_follow *f, struct cw_err *err);

/* Prints everything held and saves the checkpoint. */
int cw_follow_flush(struct cw_follow *f, struct cw_err *err);

/* How many event keys are held to tell what was printed. */
size_t cw_follow_remembered(const struct cw_follow *f);

#endif
