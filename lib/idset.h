#ifndef CW_IDSET_H
#define CW_IDSET_H

#include <stddef.h>
#include <stdint.h>

/*
 * The events already printed by cw-tail -f, in about 9 bytes an event:
 * not the keys, but one 64-bit word each, 51 bits of a hash of the key
 * and the millisecond of its timestamp within a slice of 8 s.
 * Follow mode re-reads a window of the log because CloudWatch delivers
 * events late; at a thousand events a second the window holds hundreds
 * of thousands, and the set is most of the follower's memory.
 *
 * A new key is taken for one held only when both its 51 bits and its
 * millisecond match: with k keys held in the same millisecond, k / 2^51
 * a key; at a thousand events a second (about one a millisecond) that
 * is 5e-16 a key, 4e-8 over a day. A false match hides one event;
 * nothing else.
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

/* Calls fn for each entry, oldest slice first, with the hash as kept
 * (its low 13 bits zero: adding it back gives the same entry); stops
 * when fn returns non-zero and returns that. */
typedef int cw_idset_fn(void *arg, uint64_t h, int64_t ts);
int cw_idset_each(const struct cw_idset *s, cw_idset_fn *fn, void *arg);

#endif
