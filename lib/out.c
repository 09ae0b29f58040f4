#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "out.h"
#include "sgr.h"
#include "timespec.h"
#include "vis.h"
#include "banned.h"

#define DIM CW_SGR_DIM
#define RESET CW_SGR_RESET
/* o->hold: what is held is written in blocks of this size */
#define HOLD_BYTES ((size_t)64 << 10)

int cw_out_parse_format(const char *s, enum cw_out_format *f,
	struct cw_err *err)
{
	if (strcmp(s, "short") == 0)
		*f = CW_OUT_SHORT;
	else if (strcmp(s, "raw") == 0)
		*f = CW_OUT_RAW;
	else if (strcmp(s, "json") == 0)
		*f = CW_OUT_JSON;
	else if (strcmp(s, "long") == 0)
		*f = CW_OUT_LONG;
	else
		return cw_err_set(err, "output format '%.32s': expected short, "
			"long, raw or json", s);
	return 0;
}

void cw_out_setup(struct cw_out *o, int is_tty, int no_color)
{
	if (o->format == CW_OUT_AUTO)
		o->format = is_tty ? CW_OUT_SHORT : CW_OUT_RAW;
	o->color = is_tty && !no_color;
	o->tty = is_tty;
	o->time_kept = 0;
	cw_buf_init(&o->line, 0);
	cw_buf_init(&o->text, 0);
	cw_buf_init(&o->src, 0);
}

void cw_out_release(struct cw_out *o)
{
	cw_buf_release(&o->line);
	cw_buf_release(&o->text);
	cw_buf_release(&o->src);
}

void cw_out_time(char *buf, size_t size, int64_t ms, int utc)
{
	char s[32];

	/* A server's 1e300 or -5 is shown as what it is, not wrapped. */
	if (!cw_timespec_valid(ms)) {
		snprintf(buf, size, "(time out of range)");
		return;
	}
	if (!cw_timespec_format(s, sizeof(s), CW_TIMEFMT_FULL, ms, utc)) {
		snprintf(buf, size, "%" PRId64, ms);
		return;
	}
	snprintf(buf, size, "%s.%03d", s, (int)(ms % 1000));
}

/* Data: escaped on a terminal, as it is elsewhere. */
static int data(const struct cw_out *o, struct cw_buf *b, const char *s,
	size_t len)
{
	return o->tty ? cw_vis(b, s, len) : cw_buf_add(b, s, len);
}

/* What o->line holds, written. */
static int write_line(struct cw_out *o)
{
	struct cw_buf *b = &o->line;
	int rc = fwrite(b->p, 1, b->len, o->fp) == b->len ? 0 : -1;

	cw_buf_reset(b);
	return rc;
}

/* The whole blocks o->line holds, written; the rest is kept. Whole
 * blocks keep a file's writes aligned, where the page cache takes them
 * in large pieces: a quarter less system time than blocks that end
 * with a line. */
static int write_blocks(struct cw_out *o)
{
	struct cw_buf *b = &o->line;
	size_t n = b->len - b->len % HOLD_BYTES;

	if (fwrite(b->p, 1, n, o->fp) != n) {
		cw_buf_reset(b);
		return -1;
	}
	memmove(b->p, b->p + n, b->len - n + 1);
	b->len -= n;
	return 0;
}

/* The line just added to o->line (from at), written, or held when
 * o->hold and a block is not full; dropped when it could not be made. */
static int put(struct cw_out *o, size_t at, int rc)
{
	if (rc != 0) {
		o->line.len = at;
		if (o->line.p)
			o->line.p[at] = '\0';
		return -1;
	}
	if (!o->hold)
		return write_line(o);
	return o->line.len < HOLD_BYTES ? 0 : write_blocks(o);
}

void cw_out_hold(struct cw_out *o)
{
	/* the blocks are the buffer: each goes out in one write */
	if (!o->hold && setvbuf(o->fp, NULL, _IONBF, 0) == 0)
		o->hold = 1;
}

int cw_out_flush(struct cw_out *o)
{
	if (o->line.len && write_line(o) < 0)
		return -1;
	return fflush(o->fp) == 0 ? 0 : -1;
}

/* A time as a JSON number, or null when the server's was out of range. */
static int json_time(struct cw_buf *b, const char *name, int64_t ms)
{
	if (!cw_timespec_valid(ms))
		return cw_buf_addf(b, ",\"%s\":null", name);
	return cw_buf_addf(b, ",\"%s\":%" PRId64, name, ms);
}

/* "+01:00" for local time at ms: a time without its offset is ambiguous
 * across hosts and daylight saving. */
static void utc_offset(char *buf, size_t size, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	long off;

	if (!localtime_r(&t, &tm)) {
		buf[0] = '\0';
		return;
	}
	off = labs(tm.tm_gmtoff / 60) % (24 * 60);
	snprintf(buf, size, "%c%02d:%02d", tm.tm_gmtoff < 0 ? '-' : '+',
		(int)(off / 60), (int)(off % 60));
}

/* One colour per group and stream, the same on every run, so lines of
 * one source can be told apart at a glance. */
static const char *source_color(const struct cw_logs_event *e)
{
	static const char *const colors[] = {
		CW_SGR_CYAN, CW_SGR_GREEN, CW_SGR_YELLOW, CW_SGR_MAGENTA,
		CW_SGR_BLUE, CW_SGR_BRIGHT_CYAN, CW_SGR_BRIGHT_GREEN,
		CW_SGR_BRIGHT_MAGENTA
	};
	uint32_t h = 2166136261u;
	const char *p;

	for (p = e->group; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (p = e->stream; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return colors[h % (sizeof(colors) / sizeof(colors[0]))];
}

/* "2026-11-30 10:00:00.000+01:00" (no offset with --utc) for the second
 * of ms, its milliseconds to be filled in at o->time_milli. */
static int keep_time(struct cw_out *o, int64_t ms)
{
	size_t n;

	if (o->time_kept && o->time_sec == ms / 1000)
		return 0;
	n = cw_timespec_format(o->time_text, sizeof(o->time_text) - 24,
		CW_TIMEFMT_FULL ".000", ms, o->utc);
	if (!n)
		return -1;
	o->time_milli = n - 3;
	o->time_text[n] = '\0';
	if (!o->utc)
		utc_offset(o->time_text + n, sizeof(o->time_text) - n, ms);
	o->time_len = strlen(o->time_text);
	o->time_sec = ms / 1000;
	o->time_kept = 1;
	return 0;
}

static int event_time(struct cw_out *o, struct cw_buf *b, int64_t ms)
{
	char t[48], *milli;
	int k = (int)(ms % 1000);

	if (keep_time(o, ms) < 0) {
		o->time_kept = 0;
		cw_out_time(t, sizeof(t), ms, o->utc);
		return cw_buf_adds(b, t);
	}
	if (cw_buf_add(b, o->time_text, o->time_len) < 0)
		return -1;
	milli = b->p + b->len - o->time_len + o->time_milli;
	milli[0] = (char)('0' + k / 100);
	milli[1] = (char)('0' + k / 10 % 10);
	milli[2] = (char)('0' + k % 10);
	return 0;
}

/* The full time and names (long, and short off a terminal). */
static int event_long(struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	if ((o->color && cw_buf_adds(b, DIM) < 0)
	    || event_time(o, b, e->timestamp) < 0
	    || (o->color && cw_buf_adds(b, RESET) < 0)
	    || cw_buf_addc(b, ' ') < 0)
		return -1;
	if (o->no_source)
		return 0;
	if (o->color && cw_buf_adds(b, source_color(e)) < 0)
		return -1;
	if (o->show_group && (data(o, b, e->group, strlen(e->group)) < 0 ||
	    cw_buf_addc(b, '/') < 0))
		return -1;
	return data(o, b, e->stream, strlen(e->stream))
		|| (o->color && cw_buf_adds(b, RESET) < 0)
		|| cw_buf_addc(b, ' ') ? -1 : 0;
}

/* "06:10:00.123", with the date before it when it is not today's. */
static int clock_time(const struct cw_out *o, struct cw_buf *b, int64_t ms)
{
	char day[16], today[16], t[16];

	if (!cw_timespec_format(day, sizeof(day), "%Y-%m-%d", ms, o->utc) ||
	    !cw_timespec_format(t, sizeof(t), "%H:%M:%S", ms, o->utc))
		return cw_buf_adds(b, "(time out of range)");
	if (!cw_timespec_format(today, sizeof(today), "%Y-%m-%d", o->now_ms,
	    o->utc) || strcmp(day, today) != 0)
		if (cw_buf_adds(b, day) < 0 || cw_buf_addc(b, ' ') < 0)
			return -1;
	return cw_buf_addf(b, "%s.%03d", t, (int)(ms % 1000));
}

/* Characters of UTF-8 text s[0..n), and the byte where character i
 * starts. */
static size_t chars(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

static size_t char_at(const char *s, size_t n, size_t i)
{
	size_t at;

	for (at = 0; at < n; at++)
		if (((unsigned char)s[at] & 0xc0) != 0x80 && i-- == 0)
			break;
	return at;
}

/* The group/stream column's width on a terminal of w columns. */
static size_t source_cols(int w)
{
	int c = w / 4;

	return (size_t)(c < 12 ? 12 : c > 48 ? 48 : c);
}

/* group/stream (the group past o->group_skip, when several are shown)
 * escaped on one line, cut in the middle to fit the column, padded. */
static int source_column(struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	const unsigned fl = CW_VIS_LINE | CW_VIS_UTF8;
	struct cw_buf *c = &o->src;
	size_t cols = source_cols(o->width), have, head, tail;
	size_t skip = strlen(e->group) > o->group_skip ? o->group_skip : 0;

	cw_buf_reset(c);
	if (o->show_group && (cw_vis_x(c, e->group + skip,
	    strlen(e->group + skip), fl, 0) < 0 || cw_buf_addc(c, '/') < 0))
		return -1;
	if (cw_vis_x(c, e->stream, strlen(e->stream), fl, 0) < 0)
		return -1;
	have = chars(c->p, c->len);
	if (have <= cols)
		return c->len && cw_buf_add(b, c->p, c->len) < 0 ? -1
			: cw_buf_addf(b, "%*s", (int)(cols - have), "");
	head = (cols - 1) / 2;
	tail = cols - 1 - head;
	return cw_buf_add(b, c->p, char_at(c->p, c->len, head))
		|| cw_buf_adds(b, o->utf8 ? "\xe2\x80\xa6" : "~")
		|| cw_buf_adds(b, c->p + char_at(c->p, c->len, have - tail))
		? -1 : 0;
}

/* Short on a terminal: the time of day and a column that fits. */
static int event_fitted(struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	if ((o->color && cw_buf_adds(b, DIM) < 0)
	    || clock_time(o, b, e->timestamp) < 0
	    || (o->color && cw_buf_adds(b, RESET) < 0)
	    || cw_buf_addc(b, ' ') < 0)
		return -1;
	if (o->no_source)
		return 0;
	return (o->color && cw_buf_adds(b, source_color(e)) < 0)
		|| source_column(o, b, e)
		|| (o->color && cw_buf_adds(b, RESET) < 0)
		|| cw_buf_addc(b, ' ') ? -1 : 0;
}

/* The value of dotted member name in the well-formed object at obj,
 * with its end in *vend; NULL when there is none. */
static const char *member_path(const char *obj, const char *e,
	const char *name, const char **vend)
{
	const char *v = obj, *dot;
	size_t n;

	for (;;) {
		dot = strchr(name, '.');
		n = dot ? (size_t)(dot - name) : strlen(name);
		if (!(v = cw_json_member(v, e, name, n)))
			return NULL;
		if (!dot)
			break;
		name = dot + 1;
	}
	*vend = cw_json_skip(v, e);
	return *vend ? v : NULL;
}

/* Whether s[0..n) is a JSON object. */
static int json_object(const char *s, size_t n)
{
	const char *p = cw_json_ws(s, s + n);

	return p < s + n && *p == '{' && cw_json_valid(s, n);
}

/* Whether field names a severity: its value is coloured as one. */
static int level_name(const char *f)
{
	return strcmp(f, "level") == 0 || strcmp(f, "severity") == 0;
}

/* A value as text shows it: a string decoded, the rest as JSON. */
static int value_text(struct cw_buf *b, const char *v, const char *vend)
{
	size_t len;

	if (*v == '"')
		return cw_json_string_token(b, v, vend, &len);
	return cw_json_normalize(b, v, (size_t)(vend - v));
}

/* o->text: the values of the fields of the JSON object e->message, one
 * space between them; where a level's value is in *lv_from..*lv_to. */
static int fields_text(struct cw_out *o, const struct cw_logs_event *e,
	size_t *lv_from, size_t *lv_to)
{
	const char *end = e->message + e->message_len, *v, *vend;
	struct cw_buf *t = &o->text;
	size_t i, at;

	cw_buf_reset(t);
	for (i = 0; i < o->nfields; i++) {
		v = member_path(e->message, end, o->fields[i], &vend);
		if (!v)
			continue;
		if (t->len && cw_buf_addc(t, ' ') < 0)
			return -1;
		at = t->len;
		if (value_text(t, v, vend) < 0)
			return -1;
		if (level_name(o->fields[i]) && *lv_to == 0) {
			*lv_from = at;
			*lv_to = t->len;
		}
	}
	return 0;
}

/* -o json's message with fields: an object of those the message has. */
static int fields_json(const struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	const char *end = e->message + e->message_len, *v, *vend;
	size_t i;
	int first = 1;

	if (cw_buf_addc(b, '{') < 0)
		return -1;
	for (i = 0; i < o->nfields; i++) {
		v = member_path(e->message, end, o->fields[i], &vend);
		if (!v)
			continue;
		if ((!first && cw_buf_addc(b, ',') < 0)
		    || cw_json_quote(b, o->fields[i], strlen(o->fields[i]))
		    || cw_buf_addc(b, ':')
		    || cw_json_normalize(b, v, (size_t)(vend - v)))
			return -1;
		first = 0;
	}
	return cw_buf_addc(b, '}');
}

/* Marked stretches of a message, in the order of the text. */
#define MAX_MARKS 64

struct marks {
	struct {
		size_t from, to;
		const char *sgr;
	} v[MAX_MARKS];
	size_t n;
};

/* Adds from..to of s[0..n), widened to whole UTF-8 characters, unless
 * it overlaps one already there (those added first win). */
static void add_mark(struct marks *m, const char *s, size_t n,
	size_t from, size_t to, const char *sgr)
{
	size_t i, at;

	while (from > 0 && ((unsigned char)s[from] & 0xc0) == 0x80)
		from--;
	while (to < n && ((unsigned char)s[to] & 0xc0) == 0x80)
		to++;
	if (m->n == MAX_MARKS || from >= to)
		return;
	for (i = 0; i < m->n; i++)
		if (from < m->v[i].to && m->v[i].from < to)
			return;
	for (at = m->n; at > 0 && m->v[at - 1].from > from; at--)
		m->v[at] = m->v[at - 1];
	m->v[at].from = from;
	m->v[at].to = to;
	m->v[at].sgr = sgr;
	m->n++;
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Every occurrence of term in s[0..n), ASCII case ignored. */
static void find_term(struct marks *m, const char *s, size_t n,
	const char *term, const char *sgr)
{
	size_t tl = strlen(term), i, k;

	for (i = 0; tl && i + tl <= n && m->n < MAX_MARKS; i++) {
		for (k = 0; k < tl && fold((unsigned char)s[i + k]) ==
		    fold((unsigned char)term[k]); k++)
			;
		if (k < tl)
			continue;
		add_mark(m, s, n, i, i + tl, sgr);
		i += tl - 1;
	}
}

/* Whether s[0..n) is w (lower case), ASCII case ignored. */
static int same_word(const char *s, size_t n, const char *w)
{
	size_t k;

	if (strlen(w) != n)
		return 0;
	for (k = 0; k < n && fold((unsigned char)s[k]) == w[k]; k++)
		;
	return k == n;
}

/* The colour of severity s[0..n) (ASCII case ignored), or NULL. */
static const char *severity(const char *s, size_t n)
{
	static const char *const bad[] = { "fatal", "critical", "crit",
		"panic", "emerg", "alert", "error", "err" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (same_word(s, n, bad[i]))
			return CW_SGR_BOLD CW_SGR_RED;
	if (same_word(s, n, "warn") || same_word(s, n, "warning"))
		return CW_SGR_YELLOW;
	return NULL;
}

static int word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		(c >= 'a' && c <= 'z') || c == '_';
}

/* The severity words of plain text, written in capitals as loggers
 * write them: whole words only. */
static void find_severities(struct marks *m, const char *s, size_t n)
{
	size_t i = 0, k;
	const char *sgr;

	while (i < n && m->n < MAX_MARKS) {
		if (!(s[i] >= 'A' && s[i] <= 'Z') ||
		    (i > 0 && word_byte((unsigned char)s[i - 1]))) {
			i++;
			continue;
		}
		for (k = i; k < n && s[k] >= 'A' && s[k] <= 'Z'; k++)
			;
		if ((k == n || !word_byte((unsigned char)s[k])) &&
		    (sgr = severity(s + i, k - i)))
			add_mark(m, s, n, i, k, sgr);
		i = k;
	}
}

/* The level of a JSON message: its "level" or "severity" string. */
static void json_level(struct marks *m, const char *s, size_t n)
{
	static const char *const names[] = { "level", "severity" };
	const char *v, *vend, *sgr;
	size_t i;

	for (i = 0; i < 2; i++) {
		v = member_path(s, s + n, names[i], &vend);
		if (!v || *v != '"' || vend - v < 2)
			continue;
		sgr = severity(v + 1, (size_t)(vend - v - 2));
		if (sgr)
			add_mark(m, s, n, (size_t)(v + 1 - s),
				(size_t)(vend - 1 - s), sgr);
		return;
	}
}

/* Message text s[0..n) with o->marks and its severity marked: each
 * stretch escaped as data, between colours of our own. */
static int marked(const struct cw_out *o, struct cw_buf *b, const char *s,
	size_t n, int is_json, size_t lv_from, size_t lv_to)
{
	static const char *const colors[CW_OUT_MAX_MARKS] = {
		CW_SGR_REVERSE CW_SGR_YELLOW, CW_SGR_REVERSE CW_SGR_CYAN,
		CW_SGR_REVERSE CW_SGR_MAGENTA, CW_SGR_REVERSE CW_SGR_GREEN,
		CW_SGR_REVERSE CW_SGR_BLUE
	};
	struct marks m;
	size_t i, at = 0;
	const char *sgr;

	m.n = 0;
	for (i = 0; i < o->nmarks && i < CW_OUT_MAX_MARKS; i++)
		find_term(&m, s, n, o->marks[i], colors[i]);
	if (lv_to > lv_from && (sgr = severity(s + lv_from, lv_to - lv_from)))
		add_mark(&m, s, n, lv_from, lv_to, sgr);
	else if (is_json)
		json_level(&m, s, n);
	else
		find_severities(&m, s, n);
	for (i = 0; i < m.n; i++) {
		if (data(o, b, s + at, m.v[i].from - at) < 0
		    || cw_buf_adds(b, m.v[i].sgr) < 0
		    || data(o, b, s + m.v[i].from, m.v[i].to - m.v[i].from) < 0
		    || cw_buf_adds(b, RESET) < 0)
			return -1;
		at = m.v[i].to;
	}
	return data(o, b, s + at, n - at);
}

/* The message of a text format, without its line end: the fields asked
 * for when it is a JSON object, marked when colouring. */
static int message(struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	const char *s = e->message;
	size_t n = e->message_len, lv_from = 0, lv_to = 0;
	int is_json = (o->nfields || o->color) && json_object(s, n);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (is_json && o->nfields) {
		if (fields_text(o, e, &lv_from, &lv_to) < 0)
			return -1;
		s = o->text.p ? o->text.p : "";
		n = o->text.len;
		is_json = 0;
	}
	if (!o->color)
		return data(o, b, s, n);
	return marked(o, b, s, n, is_json, lv_from, lv_to);
}

static int event_text(struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	int r = 0;

	if (o->format == CW_OUT_SHORT && o->width)
		r = event_fitted(o, b, e);
	else if (o->format != CW_OUT_RAW)
		r = event_long(o, b, e);
	return r || message(o, b, e) || cw_buf_addc(b, '\n') ? -1 : 0;
}

static int event_json(const struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	int fields = o->nfields && json_object(e->message, e->message_len);

	return cw_buf_adds(b, "{\"group\":")
		|| cw_json_quote(b, e->group, strlen(e->group))
		|| cw_buf_adds(b, ",\"stream\":")
		|| cw_json_quote(b, e->stream, strlen(e->stream))
		|| json_time(b, "timestamp", e->timestamp)
		|| json_time(b, "ingestionTime", e->ingestion_time)
		|| cw_buf_adds(b, ",\"eventId\":")
		|| cw_json_quote(b, e->event_id, strlen(e->event_id))
		|| cw_buf_adds(b, ",\"message\":")
		|| (fields ? fields_json(o, b, e)
			: cw_json_quote(b, e->message, e->message_len))
		|| cw_buf_adds(b, "}\n") ? -1 : 0;
}

int cw_out_event(struct cw_out *o, const struct cw_logs_event *e)
{
	struct cw_buf *b = &o->line;
	size_t n = e->message_len, at = b->len;
	int rc;

	if (o->format == CW_OUT_JSON)
		rc = event_json(o, b, e);
	else if (o->format == CW_OUT_RAW && !o->color && !o->nfields) {
		/* the bytes as they came, a line end added where none is */
		rc = data(o, b, e->message, n);
		if (rc == 0 && (n == 0 || e->message[n - 1] != '\n'))
			rc = cw_buf_addc(b, '\n');
	} else
		rc = event_text(o, b, e);
	return put(o, at, rc);
}

static int group_json(struct cw_buf *b, const struct cw_logs_group *g)
{
	int rc = cw_buf_adds(b, "{\"logGroupName\":")
		|| cw_json_quote(b, g->name, strlen(g->name));

	if (!rc && g->retention_days)
		rc = cw_buf_addf(b, ",\"retentionInDays\":%d", g->retention_days);
	if (!rc)
		rc = cw_buf_addf(b, ",\"storedBytes\":%" PRId64, g->stored_bytes)
			|| json_time(b, "creationTime", g->created_ms);
	if (!rc && g->arn)
		rc = cw_buf_adds(b, ",\"arn\":")
			|| cw_json_quote(b, g->arn, strlen(g->arn));
	return rc || cw_buf_adds(b, "}\n") ? -1 : 0;
}

int cw_out_group(struct cw_out *o, const struct cw_logs_group *g)
{
	struct cw_buf *b = &o->line;
	char days[16];
	size_t at = b->len;
	int rc;

	if (o->format == CW_OUT_JSON)
		rc = group_json(b, g);
	else {
		if (g->retention_days)
			snprintf(days, sizeof(days), "%dd", g->retention_days);
		rc = data(o, b, g->name, strlen(g->name)) ||
			cw_buf_addf(b, "\t%s\t%" PRId64 "\n",
			g->retention_days ? days : "never", g->stored_bytes);
	}
	return put(o, at, rc);
}
