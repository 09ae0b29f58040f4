#ifndef CW_IDSET_H
#define CW_IDSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * The events already printed by cw-tail -f, in about 10 bytes an event:
 * not the keys, but a 64-bit hash of each, kept with its timestamp.
 * Follow mode re-reads a window of the log because CloudWatch delivers
 * events late; at a thousand events a second the window holds hundreds
 * of thousands, and the set is most of the follower's memory.
 *
 * A new key is taken for one held only when both its hash and its
 * millisecond match: with n keys held, under n / 2^64 a key, 2e-14 for
 * the 300,000 of a busy window, about 1e-6 over a day at a thousand
 * events a second. A false match hides one event; nothing else.
 *
 * Entries live in slices of SLICE_MS of event time, each a sorted array
 * plus a short unsorted tail: a lookup is a binary search in the slice
 * of the event's timestamp, and a horizon forgets whole slices.
 */

struct cw_idset;

/* The hash a key is known by (FNV-1a with a final mix). */
uint64_t cw_idset_hash(const char *key);

/* capacity: most entries held at once (at least 1). NULL when out of
 * memory. Free with cw_idset_free(). */
struct cw_idset *cw_idset_new(size_t capacity);
void cw_idset_free(struct cw_idset *s);

/* 1 when (h, ts) is in the set, else 0. */
int cw_idset_has(const struct cw_idset *s, uint64_t h, int64_t ts);

/* Adds (h, ts). Returns 0 when added, 1 when already there (nothing
 * changes), -1 when memory runs out (nothing changes). When the set is
 * full, its oldest slice is forgotten first; entries of it at or past
 * the latest horizon are counted as forced. */
int cw_idset_add(struct cw_idset *s, uint64_t h, int64_t ts);

/* Forgets the slices whose entries are all older than horizon (ms): an
 * entry is kept up to a slice (8 s) longer than asked. Returns how many
 * entries went. */
size_t cw_idset_expire(struct cw_idset *s, int64_t horizon);

size_t cw_idset_count(const struct cw_idset *s);
/* The bytes the set holds, allocated room included. */
size_t cw_idset_bytes(const struct cw_idset *s);
/* Entries forgotten for room while still inside the window. */
uint64_t cw_idset_forced(const struct cw_idset *s);
/* The latest timestamp held; INT64_MIN when empty. */
int64_t cw_idset_newest(const struct cw_idset *s);

/* Calls fn for each entry, oldest slice first; stops when it returns
 * non-zero and returns that. */
typedef int cw_idset_fn(void *arg, uint64_t h, int64_t ts);
int cw_idset_each(const struct cw_idset *s, cw_idset_fn *fn, void *arg);

#endif
