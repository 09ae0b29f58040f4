#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "banned.h"

/* A power of two: an entry keeps its timestamp as an offset in the low
 * bits of its word, the hash in the others. */
#define SLICE_BITS 13
#define SLICE_MS (1 << SLICE_BITS)
#define OFF_MASK ((uint64_t)SLICE_MS - 1)
/* Unsorted entries a slice takes before they are merged in. */
#define TAIL 32

/* Entries of timestamps [base, base + SLICE_MS), each a word of the
 * hash's top 51 bits and the offset: [0, sorted) sorted, the rest in
 * insertion order. */
struct slice {
	int64_t base;
	uint64_t *w;
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
	free(sl->w);
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

static uint64_t word(uint64_t h, int64_t ts)
{
	return (h & ~OFF_MASK) | (uint64_t)(ts - base_of(ts));
}

static int in_slice(const struct slice *sl, uint64_t w)
{
	size_t lo = 0, hi = sl->sorted, mid, i;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sl->w[mid] < w)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < sl->sorted && sl->w[lo] == w)
		return 1;
	for (i = sl->sorted; i < sl->n; i++)
		if (sl->w[i] == w)
			return 1;
	return 0;
}

int cw_idset_has(const struct cw_idset *s, uint64_t h, int64_t ts)
{
	const struct slice *sl = find_slice(s, ts);

	return sl && in_slice(sl, word(h, ts));
}

/* Sorts the tail, then merges it in from the end, in place. */
static void merge_tail(struct slice *sl)
{
	uint64_t t[TAIL], x;
	size_t nt = sl->n - sl->sorted, i, j, k;

	memcpy(t, sl->w + sl->sorted, nt * sizeof(*t));
	for (i = 1; i < nt; i++) {
		x = t[i];
		for (j = i; j > 0 && x < t[j - 1]; j--)
			t[j] = t[j - 1];
		t[j] = x;
	}
	i = sl->sorted;
	j = nt;
	k = sl->n;
	while (j > 0) {
		if (i > 0 && t[j - 1] < sl->w[i - 1])
			sl->w[--k] = sl->w[--i];
		else
			sl->w[--k] = t[--j];
	}
	sl->sorted = sl->n;
}

/* Room for one more entry: the arrays grow by a quarter, as a slice
 * of a busy window holds thousands. */
static int reserve(struct slice *sl)
{
	size_t cap = sl->cap + sl->cap / 4 + TAIL;
	uint64_t *w;

	if (sl->n < sl->cap)
		return 0;
	w = realloc(sl->w, cap * sizeof(*w));
	if (!w)
		return -1;
	sl->w = w;
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
		if (sl->base + (int64_t)(sl->w[i] & OFF_MASK) >= s->horizon)
			s->forced++;
	drop(s, 0);
}

int cw_idset_add(struct cw_idset *s, uint64_t h, int64_t ts)
{
	uint64_t w = word(h, ts);
	const struct slice *found = find_slice(s, ts);
	struct slice *sl;

	if (found && in_slice(found, w))
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
	sl->w[sl->n++] = w;
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
		b += s->sl[i].cap * sizeof(uint64_t);
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
			if (sl->base + (int64_t)(sl->w[i] & OFF_MASK) > best)
				best = sl->base + (int64_t)(sl->w[i] & OFF_MASK);
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
			r = fn(arg, sl->w[i] & ~OFF_MASK, sl->base +
				(int64_t)(sl->w[i] & OFF_MASK));
			if (r)
				return r;
		}
	}
	return 0;
}
