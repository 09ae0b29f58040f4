#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seen.h"
#include "banned.h"

/* Ids of at most this many digits, as CloudWatch's (56), are kept as
 * packed digits, in the entry: a busy window holds hundreds of thousands. */
#define PACKED_DIGITS 64

struct entry {
	uint64_t hash;
	int64_t ts;
	unsigned group;
	unsigned char packed;	/* the id is digits[] */
	unsigned char ndigits;
	union {
		unsigned char digits[PACKED_DIGITS / 2];
		char *id;
	} k;
};

/* The ring starts this small and doubles up to the capacity: a set
 * sized for a busy window costs nothing on a quiet one. */
#define FIRST_ROOM 1024

/* A ring of entries in insertion order, and an open-addressing table
 * (linear probing, at most half full) of ring positions + 1. */
struct cw_seen {
	struct entry *ring;
	size_t cap, room, head, n;	/* room: ring entries allocated */
	uint32_t *slot;	/* ring positions + 1; 0: empty */
	size_t mask;
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
static uint32_t *new_slots(size_t room, size_t *mask)
{
	size_t slots = 16;

	while (slots < room * 2)
		slots *= 2;
	*mask = slots - 1;
	return calloc(slots, sizeof(uint32_t));
}

static int packable(const char *id, size_t len)
{
	size_t i;

	if (len > PACKED_DIGITS)
		return 0;
	for (i = 0; i < len; i++)
		if (id[i] < '0' || id[i] > '9')
			return 0;
	return 1;
}

static int digit(const struct entry *e, size_t i)
{
	return '0' + (i % 2 ? e->k.digits[i / 2] & 0xf : e->k.digits[i / 2] >> 4);
}

/* The id of e, in buf when packed. */
static const char *entry_id(const struct entry *e, char *buf)
{
	size_t i;

	if (!e->packed)
		return e->k.id;
	for (i = 0; i < e->ndigits; i++)
		buf[i] = (char)digit(e, i);
	buf[i] = '\0';
	return buf;
}

static int same_id(const struct entry *e, const char *id)
{
	size_t i;

	if (!e->packed)
		return strcmp(e->k.id, id) == 0;
	for (i = 0; i < e->ndigits; i++)
		if (id[i] != digit(e, i))
			return 0;
	return id[i] == '\0';
}

/* Keeps id in e, packed if it can be; -1 when out of memory. */
static int set_id(struct entry *e, const char *id, size_t len)
{
	size_t i;

	e->packed = (unsigned char)packable(id, len);
	if (!e->packed) {
		e->k.id = malloc(len + 1);
		if (!e->k.id)
			return -1;
		memcpy(e->k.id, id, len + 1);
		return 0;
	}
	e->ndigits = (unsigned char)len;
	memset(e->k.digits, 0, sizeof(e->k.digits));
	for (i = 0; i < len; i++)
		e->k.digits[i / 2] |= (unsigned char)((id[i] - '0') <<
			(i % 2 ? 0 : 4));
	return 0;
}

static void free_id(struct entry *e)
{
	if (!e->packed)
		free(e->k.id);
	e->packed = 1;
}

struct cw_seen *cw_seen_new(size_t capacity)
{
	struct cw_seen *s;

	if (capacity < 1)
		capacity = 1;
	if (capacity > UINT32_MAX / 4)
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
		free_id(&s->ring[s->head]);
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
		if (e->hash == h && e->group == group && same_id(e, id))
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

/* The table slot of ring position at. */
static size_t slot_of(const struct cw_seen *s, size_t at)
{
	size_t i = (size_t)s->ring[at].hash & s->mask;

	while (s->slot[i] != at + 1)
		i = (i + 1) & s->mask;
	return i;
}

/* The empty slot where a new entry of hash h goes. */
static size_t free_slot(const struct cw_seen *s, uint64_t h)
{
	size_t i = (size_t)h & s->mask;

	while (s->slot[i])
		i = (i + 1) & s->mask;
	return i;
}

static void drop_head(struct cw_seen *s)
{
	struct entry *e = &s->ring[s->head];

	unslot(s, slot_of(s, s->head));
	free_id(e);
	s->head = (s->head + 1) % s->room;
	s->n--;
}

/* Doubles the ring (up to the capacity), oldest first from 0, and
 * builds the table again for it; -1 when out of memory. */
static int grow(struct cw_seen *s)
{
	size_t room = s->room > s->cap / 2 ? s->cap : s->room * 2, i, mask;
	struct entry *ring = calloc(room, sizeof(*ring));
	uint32_t *slot = new_slots(room, &mask);

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
	for (i = 0; i < s->n; i++)
		s->slot[free_slot(s, ring[i].hash)] = (uint32_t)(i + 1);
	return 0;
}

int cw_seen_add(struct cw_seen *s, unsigned group, const char *id,
	int64_t ts)
{
	uint64_t h;
	size_t len = strlen(id), at;
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
	if (set_id(e, id, len) < 0)
		return -1;
	e->ts = ts;
	e->hash = h;
	e->group = group;
	s->slot[free_slot(s, h)] = (uint32_t)(at + 1);
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
	char buf[PACKED_DIGITS + 1];
	size_t i;
	int r;

	for (i = 0; i < s->n; i++) {
		e = &s->ring[(s->head + i) % s->room];
		r = fn(arg, e->group, entry_id(e, buf), e->ts);
		if (r)
			return r;
	}
	return 0;
}
