#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seen.h"
#include "banned.h"

struct entry {
	char *id;
	int64_t ts;
	uint64_t hash;
	unsigned group;
};

/* The ring starts this small and doubles up to the capacity: a set
 * sized for a busy window costs nothing on a quiet one. */
#define FIRST_ROOM 1024

/* A ring of entries in insertion order, and an open-addressing table
 * (linear probing, at most half full) of ring positions + 1. */
struct cw_seen {
	struct entry *ring;
	size_t cap, room, head, n;	/* room: ring entries allocated */
	size_t *slot, mask;
	int64_t horizon;
	uint64_t forced;
};

/* FNV-1a over the group and the id. */
static uint64_t hash(unsigned group, const char *id)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int i;

	for (i = 0; i < 4; i++, group >>= 8)
		h = (h ^ (group & 0xff)) * 0x100000001b3ULL;
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 0x100000001b3ULL;
	return h;
}

/* A table of at least twice room slots. */
static size_t *new_slots(size_t room, size_t *mask)
{
	size_t slots = 16;

	while (slots < room * 2)
		slots *= 2;
	*mask = slots - 1;
	return calloc(slots, sizeof(size_t));
}

struct cw_seen *cw_seen_new(size_t capacity)
{
	struct cw_seen *s;

	if (capacity < 1)
		capacity = 1;
	if (capacity > SIZE_MAX / 4 / sizeof(struct entry))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->cap = capacity;
	s->room = capacity < FIRST_ROOM ? capacity : FIRST_ROOM;
	s->ring = calloc(s->room, sizeof(*s->ring));
	s->slot = new_slots(s->room, &s->mask);
	if (!s->ring || !s->slot) {
		cw_seen_free(s);
		return NULL;
	}
	s->horizon = INT64_MIN;
	return s;
}

void cw_seen_free(struct cw_seen *s)
{
	if (!s)
		return;
	while (s->n) {
		free(s->ring[s->head].id);
		s->head = (s->head + 1) % s->room;
		s->n--;
	}
	free(s->ring);
	free(s->slot);
	free(s);
}

/* The table slot holding (group, id), or the empty slot where it goes. */
static size_t find(const struct cw_seen *s, uint64_t h, unsigned group,
	const char *id)
{
	size_t i = (size_t)h & s->mask;
	const struct entry *e;

	for (; s->slot[i]; i = (i + 1) & s->mask) {
		e = &s->ring[s->slot[i] - 1];
		if (e->hash == h && e->group == group && strcmp(e->id, id) == 0)
			break;
	}
	return i;
}

int cw_seen_has(const struct cw_seen *s, unsigned group, const char *id)
{
	return s->slot[find(s, hash(group, id), group, id)] != 0;
}

/* Empties table slot i and moves later entries of its probe run back,
 * so lookups never need tombstones. */
static void unslot(struct cw_seen *s, size_t i)
{
	size_t j = i, home;

	s->slot[i] = 0;
	for (;;) {
		j = (j + 1) & s->mask;
		if (!s->slot[j])
			return;
		home = (size_t)s->ring[s->slot[j] - 1].hash & s->mask;
		/* Leave it if its home lies cyclically in (i, j]. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		s->slot[i] = s->slot[j];
		s->slot[j] = 0;
		i = j;
	}
}

static void drop_head(struct cw_seen *s)
{
	struct entry *e = &s->ring[s->head];

	unslot(s, find(s, e->hash, e->group, e->id));
	free(e->id);
	e->id = NULL;
	s->head = (s->head + 1) % s->room;
	s->n--;
}

/* Doubles the ring (up to the capacity), oldest first from 0, and
 * builds the table again for it; -1 when out of memory. */
static int grow(struct cw_seen *s)
{
	size_t room = s->room > s->cap / 2 ? s->cap : s->room * 2, i, j, mask;
	struct entry *ring = calloc(room, sizeof(*ring));
	size_t *slot = new_slots(room, &mask);

	if (!ring || !slot) {
		free(ring);
		free(slot);
		return -1;
	}
	for (i = 0; i < s->n; i++)
		ring[i] = s->ring[(s->head + i) % s->room];
	free(s->ring);
	free(s->slot);
	s->ring = ring;
	s->slot = slot;
	s->mask = mask;
	s->room = room;
	s->head = 0;
	for (i = 0; i < s->n; i++) {
		j = find(s, ring[i].hash, ring[i].group, ring[i].id);
		s->slot[j] = i + 1;
	}
	return 0;
}

int cw_seen_add(struct cw_seen *s, unsigned group, const char *id,
	int64_t ts)
{
	uint64_t h;
	size_t len = strlen(id), at, i;
	struct entry *e;

	if (len > CW_SEEN_MAX_ID)
		return -1;
	h = hash(group, id);
	if (s->slot[find(s, h, group, id)])
		return 1;
	if (s->n == s->room && s->room < s->cap && grow(s) < 0)
		return -1;
	if (s->n == s->cap) {
		if (s->ring[s->head].ts >= s->horizon)
			s->forced++;
		drop_head(s);
	}
	at = (s->head + s->n) % s->room;
	e = &s->ring[at];
	e->id = malloc(len + 1);
	if (!e->id)
		return -1;
	memcpy(e->id, id, len + 1);
	e->ts = ts;
	e->hash = h;
	e->group = group;
	i = find(s, h, group, id);
	s->slot[i] = at + 1;
	s->n++;
	return 0;
}

size_t cw_seen_expire(struct cw_seen *s, int64_t horizon)
{
	size_t gone = 0;

	if (horizon > s->horizon)
		s->horizon = horizon;
	while (s->n && s->ring[s->head].ts < horizon) {
		drop_head(s);
		gone++;
	}
	return gone;
}

size_t cw_seen_count(const struct cw_seen *s)
{
	return s->n;
}

uint64_t cw_seen_forced(const struct cw_seen *s)
{
	return s->forced;
}

int cw_seen_each(const struct cw_seen *s, cw_seen_fn *fn, void *arg)
{
	const struct entry *e;
	size_t i;
	int r;

	for (i = 0; i < s->n; i++) {
		e = &s->ring[(s->head + i) % s->room];
		r = fn(arg, e->group, e->id, e->ts);
		if (r)
			return r;
	}
	return 0;
}
