#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "banned.h"

/* A power of two: an entry keeps its timestamp as a 16-bit offset. */
#define SLICE_MS 8192
/* Unsorted entries a slice takes before they are merged in. */
#define TAIL 32

/* Entries of timestamps [base, base + SLICE_MS): h[] and off[] side by
 * side, [0, sorted) sorted by (h, off), the rest in insertion order. */
struct slice {
	int64_t base;
	uint64_t *h;
	uint16_t *off;
	size_t n, sorted, cap;
};

struct cw_idset {
	struct slice *sl;	/* oldest first */
	size_t nsl, slcap;
	size_t n, cap;
	int64_t horizon;
	uint64_t forced;
};

uint64_t cw_idset_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	/* FNV's last bytes reach only the low bits: spread them. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

struct cw_idset *cw_idset_new(size_t capacity)
{
	struct cw_idset *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cap = capacity ? capacity : 1;
	s->horizon = INT64_MIN;
	return s;
}

static void slice_free(struct slice *sl)
{
	free(sl->h);
	free(sl->off);
}

void cw_idset_free(struct cw_idset *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nsl; i++)
		slice_free(&s->sl[i]);
	free(s->sl);
	free(s);
}

static int64_t base_of(int64_t ts)
{
	return ts & ~(int64_t)(SLICE_MS - 1);
}

/* The first slice whose base is not below base. */
static size_t lower(const struct cw_idset *s, int64_t base)
{
	size_t lo = 0, hi = s->nsl, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->sl[mid].base < base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct slice *find_slice(const struct cw_idset *s, int64_t ts)
{
	int64_t base = base_of(ts);
	size_t i = lower(s, base);

	return i < s->nsl && s->sl[i].base == base ? &s->sl[i] : NULL;
}

static int less(uint64_t h1, uint16_t o1, uint64_t h2, uint16_t o2)
{
	return h1 < h2 || (h1 == h2 && o1 < o2);
}

static int in_slice(const struct slice *sl, uint64_t h, uint16_t off)
{
	size_t lo = 0, hi = sl->sorted, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (less(sl->h[mid], sl->off[mid], h, off))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sl->sorted && sl->h[lo] == h && sl->off[lo] == off)
		return 1;
	for (i = sl->sorted; i < sl->n; i++)
		if (sl->h[i] == h && sl->off[i] == off)
			return 1;
	return 0;
}

int cw_idset_has(const struct cw_idset *s, uint64_t h, int64_t ts)
{
	const struct slice *sl = find_slice(s, ts);

	return sl && in_slice(sl, h, (uint16_t)(ts - base_of(ts)));
}

/* Sorts the tail, then merges it in from the end, in place. */
static void merge_tail(struct slice *sl)
{
	uint64_t th[TAIL], x;
	uint16_t to[TAIL], y;
	size_t nt = sl->n - sl->sorted, i, j, k;

	memcpy(th, sl->h + sl->sorted, nt * sizeof(*th));
	memcpy(to, sl->off + sl->sorted, nt * sizeof(*to));
	for (i = 1; i < nt; i++) {
		x = th[i];
		y = to[i];
		for (j = i; j > 0 && less(x, y, th[j - 1], to[j - 1]); j--) {
			th[j] = th[j - 1];
			to[j] = to[j - 1];
		}
		th[j] = x;
		to[j] = y;
	}
	i = sl->sorted;
	j = nt;
	k = sl->n;
	while (j > 0) {
		if (i > 0 && less(th[j - 1], to[j - 1], sl->h[i - 1],
		    sl->off[i - 1])) {
			k--, i--;
			sl->h[k] = sl->h[i];
			sl->off[k] = sl->off[i];
		} else {
			k--, j--;
			sl->h[k] = th[j];
			sl->off[k] = to[j];
		}
	}
	sl->sorted = sl->n;
}

/* Room for one more entry: the arrays grow by a quarter, as a slice
 * of a busy window holds thousands. */
static int reserve(struct slice *sl)
{
	size_t cap = sl->cap + sl->cap / 4 + TAIL;
	uint64_t *h;
	uint16_t *off;

	if (sl->n < sl->cap)
		return 0;
	h = realloc(sl->h, cap * sizeof(*h));
	if (!h)
		return -1;
	sl->h = h;
	off = realloc(sl->off, cap * sizeof(*off));
	if (!off)
		return -1;
	sl->off = off;
	sl->cap = cap;
	return 0;
}

/* Drops slice i; returns its entries. */
static size_t drop(struct cw_idset *s, size_t i)
{
	size_t n = s->sl[i].n;

	slice_free(&s->sl[i]);
	memmove(&s->sl[i], &s->sl[i + 1], (s->nsl - i - 1) * sizeof(*s->sl));
	s->nsl--;
	s->n -= n;
	return n;
}

/* The slice of ts, made when missing; NULL when out of memory. */
static struct slice *slice_for(struct cw_idset *s, int64_t ts)
{
	int64_t base = base_of(ts);
	size_t i = lower(s, base);
	struct slice *sl;

	if (i < s->nsl && s->sl[i].base == base)
		return &s->sl[i];
	if (s->nsl == s->slcap) {
		sl = realloc(s->sl, (s->slcap * 2 + 8) * sizeof(*sl));
		if (!sl)
			return NULL;
		s->sl = sl;
		s->slcap = s->slcap * 2 + 8;
	}
	memmove(&s->sl[i + 1], &s->sl[i], (s->nsl - i) * sizeof(*s->sl));
	s->nsl++;
	memset(&s->sl[i], 0, sizeof(s->sl[i]));
	s->sl[i].base = base;
	return &s->sl[i];
}

/* Forgets the oldest slice to make room, counting what was inside the
 * window. */
static void evict(struct cw_idset *s)
{
	const struct slice *sl = &s->sl[0];
	size_t i;

	for (i = 0; i < sl->n; i++)
		if (sl->base + sl->off[i] >= s->horizon)
			s->forced++;
	drop(s, 0);
}

int cw_idset_add(struct cw_idset *s, uint64_t h, int64_t ts)
{
	uint16_t off = (uint16_t)(ts - base_of(ts));
	const struct slice *found = find_slice(s, ts);
	struct slice *sl;

	if (found && in_slice(found, h, off))
		return 1;
	if (s->n >= s->cap)
		evict(s);
	sl = slice_for(s, ts);
	if (!sl)
		return -1;
	if (reserve(sl) < 0) {
		if (!sl->n)
			drop(s, (size_t)(sl - s->sl));
		return -1;
	}
	sl->h[sl->n] = h;
	sl->off[sl->n] = off;
	sl->n++;
	s->n++;
	if (sl->n - sl->sorted >= TAIL)
		merge_tail(sl);
	return 0;
}

/* 1 when every timestamp of the slice at base is below horizon. */
static int before(int64_t base, int64_t horizon)
{
	return base < horizon &&
		(uint64_t)horizon - (uint64_t)base >= SLICE_MS;
}

size_t cw_idset_expire(struct cw_idset *s, int64_t horizon)
{
	size_t gone = 0;

	if (horizon > s->horizon)
		s->horizon = horizon;
	while (s->nsl && before(s->sl[0].base, horizon))
		gone += drop(s, 0);
	return gone;
}

size_t cw_idset_count(const struct cw_idset *s)
{
	return s->n;
}

size_t cw_idset_bytes(const struct cw_idset *s)
{
	size_t b = sizeof(*s) + s->slcap * sizeof(*s->sl), i;

	for (i = 0; i < s->nsl; i++)
		b += s->sl[i].cap * (sizeof(uint64_t) + sizeof(uint16_t));
	return b;
}

uint64_t cw_idset_forced(const struct cw_idset *s)
{
	return s->forced;
}

int64_t cw_idset_newest(const struct cw_idset *s)
{
	const struct slice *sl;
	int64_t best = INT64_MIN;
	size_t i, k;

	for (k = s->nsl; k > 0 && best == INT64_MIN; k--) {
		sl = &s->sl[k - 1];
		for (i = 0; i < sl->n; i++)
			if (sl->base + sl->off[i] > best)
				best = sl->base + sl->off[i];
	}
	return best;
}

int cw_idset_each(const struct cw_idset *s, cw_idset_fn *fn, void *arg)
{
	const struct slice *sl;
	size_t k, i;
	int r;

	for (k = 0; k < s->nsl; k++) {
		sl = &s->sl[k];
		for (i = 0; i < sl->n; i++) {
			r = fn(arg, sl->h[i], sl->base + sl->off[i]);
			if (r)
				return r;
		}
	}
	return 0;
}
