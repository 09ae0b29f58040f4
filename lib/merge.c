#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "banned.h"

#define DEFAULT_EVENTS 10000
#define DEFAULT_BYTES ((size_t)64 << 20)

/* One event and its strings in one allocation. */
struct item {
	struct cw_logs_event ev;
	size_t size;
	char data[];
};

struct cw_merge {
	struct item **heap;
	size_t n, cap;
	size_t max_events, max_bytes, bytes;
	int64_t released;	/* timestamp of the last event given out */
	int any_released;
	uint64_t late;
};

struct cw_merge *cw_merge_new(size_t max_events, size_t max_bytes)
{
	struct cw_merge *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->max_events = max_events ? max_events : DEFAULT_EVENTS;
	m->max_bytes = max_bytes ? max_bytes : DEFAULT_BYTES;
	return m;
}

void cw_merge_free(struct cw_merge *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		free(m->heap[i]);
	free(m->heap);
	free(m);
}

static int before(const struct item *a, const struct item *b)
{
	int c;

	if (a->ev.timestamp != b->ev.timestamp)
		return a->ev.timestamp < b->ev.timestamp;
	c = strcmp(a->ev.group, b->ev.group);
	if (c)
		return c < 0;
	return strcmp(a->ev.event_id, b->ev.event_id) < 0;
}

static void swap(struct item **h, size_t i, size_t j)
{
	struct item *t = h[i];

	h[i] = h[j];
	h[j] = t;
}

static void sift_up(struct item **h, size_t i)
{
	while (i && before(h[i], h[(i - 1) / 2])) {
		swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct item **h, size_t n, size_t i)
{
	size_t l, r, min;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		min = i;
		if (l < n && before(h[l], h[min]))
			min = l;
		if (r < n && before(h[r], h[min]))
			min = r;
		if (min == i)
			return;
		swap(h, i, min);
		i = min;
	}
}

/* Takes the oldest event out, gives it to fn, frees it. */
static int emit_one(struct cw_merge *m, cw_logs_event_fn *fn, void *arg,
	struct cw_err *err)
{
	struct item *it = m->heap[0];
	int r;

	m->heap[0] = m->heap[--m->n];
	sift_down(m->heap, m->n, 0);
	m->bytes -= it->size;
	m->released = it->ev.timestamp;
	m->any_released = 1;
	r = fn(arg, &it->ev, err);
	free(it);
	return r;
}

static char *put(char **p, const char *s)
{
	size_t n = strlen(s) + 1;
	char *at = *p;

	memcpy(at, s, n);
	*p += n;
	return at;
}

static struct item *copy(const struct cw_logs_event *e)
{
	const char *g = e->group ? e->group : "",
		*s = e->stream ? e->stream : "",
		*id = e->event_id ? e->event_id : "",
		*msg = e->message ? e->message : "";
	size_t size = sizeof(struct item) + strlen(g) + strlen(s) +
		strlen(id) + strlen(msg) + 4;
	struct item *it = malloc(size);
	char *p;

	if (!it)
		return NULL;
	p = it->data;
	it->size = size;
	it->ev = *e;
	it->ev.group = put(&p, g);
	it->ev.stream = put(&p, s);
	it->ev.event_id = put(&p, id);
	it->ev.message = put(&p, msg);
	return it;
}

int cw_merge_push(struct cw_merge *m, const struct cw_logs_event *e,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err)
{
	struct item *it = copy(e), **h;
	int r;

	if (!it)
		return cw_err_set(err, "merge: out of memory");
	if (m->n == m->cap) {
		h = realloc(m->heap, (m->cap * 2 + 16) * sizeof(*h));
		if (!h) {
			free(it);
			return cw_err_set(err, "merge: out of memory");
		}
		m->heap = h;
		m->cap = m->cap * 2 + 16;
	}
	if (m->any_released && e->timestamp < m->released)
		m->late++;
	m->heap[m->n++] = it;
	sift_up(m->heap, m->n - 1);
	m->bytes += it->size;
	while (m->n > 1 && (m->n > m->max_events || m->bytes > m->max_bytes)) {
		r = emit_one(m, fn, arg, err);
		if (r)
			return r;
	}
	return 0;
}

int cw_merge_release(struct cw_merge *m, int64_t watermark,
	cw_logs_event_fn *fn, void *arg, struct cw_err *err)
{
	int r;

	while (m->n && m->heap[0]->ev.timestamp < watermark) {
		r = emit_one(m, fn, arg, err);
		if (r)
			return r;
	}
	return 0;
}

int cw_merge_flush(struct cw_merge *m, cw_logs_event_fn *fn, void *arg,
	struct cw_err *err)
{
	int r;

	while (m->n) {
		r = emit_one(m, fn, arg, err);
		if (r)
			return r;
	}
	return 0;
}

size_t cw_merge_count(const struct cw_merge *m)
{
	return m->n;
}

int64_t cw_merge_oldest(const struct cw_merge *m)
{
	return m->n ? m->heap[0]->ev.timestamp : INT64_MAX;
}

uint64_t cw_merge_late(const struct cw_merge *m)
{
	return m->late;
}
