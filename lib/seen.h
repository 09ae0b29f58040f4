#ifndef CW_SEEN_H
#define CW_SEEN_H

#include <stddef.h>
#include <stdint.h>

/*
 * The events already printed, by (group, eventId), in bounded memory.
 * Follow mode re-reads a look-back window because CloudWatch delivers
 * events late; this set drops what was printed before. Insert and lookup
 * are O(1). An entry is forgotten when cw_seen_expire() is given a horizon
 * past its timestamp (oldest inserted first: an entry waits for those
 * inserted before it), or, when the set is full, to make room: that is
 * counted, because a re-read could then print the event again.
 */

#define CW_SEEN_MAX_ID 1024	/* longer eventIds are refused */

struct cw_seen;

/* capacity: most entries held at once (at least 1); the memory held
 * grows with the entries, up to it. NULL when out of memory. Free with
 * cw_seen_free(). */
struct cw_seen *cw_seen_new(size_t capacity);
void cw_seen_free(struct cw_seen *s);

/* 1 when (group, id) is in the set, else 0. */
int cw_seen_has(const struct cw_seen *s, unsigned group, const char *id);

/* Adds (group, id) with the event's timestamp. Returns 0 when added, 1
 * when already there (nothing changes), -1 when id is too long or memory
 * runs out. */
int cw_seen_add(struct cw_seen *s, unsigned group, const char *id,
	int64_t ts);

/* Forgets entries older than horizon (ms) from the oldest inserted on;
 * returns how many. Later evictions for room count as forced only if the
 * entry is at or past the latest horizon. */
size_t cw_seen_expire(struct cw_seen *s, int64_t horizon);

size_t cw_seen_count(const struct cw_seen *s);
/* Entries evicted for room while still inside the window. */
uint64_t cw_seen_forced(const struct cw_seen *s);

/* Calls fn for each entry, oldest inserted first; stops when it returns
 * non-zero and returns that. */
typedef int cw_seen_fn(void *arg, unsigned group, const char *id,
	int64_t ts);
int cw_seen_each(const struct cw_seen *s, cw_seen_fn *fn, void *arg);

#endif
