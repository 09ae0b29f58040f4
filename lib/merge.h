#ifndef CW_MERGE_H
#define CW_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "logs.h"

/*
 * Events of several groups merged in time order through a small reorder
 * buffer: a min-heap keyed by (timestamp, group, eventId). Polls push
 * what they read; an event leaves once every group has been read past its
 * timestamp (the watermark the caller computes). The buffer is bounded in
 * events and bytes; past a bound the oldest leave early, in order.
 */

struct cw_merge;

/* 0 for either bound means its default (10 000 events, 64 MiB). NULL when
 * out of memory. Free with cw_merge_free(), which drops what is held. */
struct cw_merge *cw_merge_new(size_t max_events, size_t max_bytes);
void cw_merge_free(struct cw_merge *m);

/*
 * Copies e in (NULL strings read as ""). When that passes a bound, the
 * oldest events are given to fn first. Returns 0, or -1 when out of
 * memory, or the first non-zero value fn returns.
 */
int cw_merge_push(struct cw_merge *m, const struct cw_logs_event *e,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err);

/* Gives fn, in order, every held event with timestamp < watermark. An
 * event is freed once fn has seen it. Returns 0 or fn's non-zero value. */
int cw_merge_release(struct cw_merge *m, int64_t watermark,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err);

/* Gives fn every held event, in order. */
int cw_merge_flush(struct cw_merge *m, cw_logs_event_fn *fn, void *arg,
	struct cw_err *err);

size_t cw_merge_count(const struct cw_merge *m);
/* The smallest timestamp held; INT64_MAX when empty. */
int64_t cw_merge_oldest(const struct cw_merge *m);
/* Events pushed older than one already given out: shown out of order. */
uint64_t cw_merge_late(const struct cw_merge *m);

#endif
