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
	else
		return cw_err_set(err, "output format '%.32s': expected short, "
			"raw or json", s);
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
}

void cw_out_release(struct cw_out *o)
{
	cw_buf_release(&o->line);
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

static int event_json(struct cw_buf *b, const struct cw_logs_event *e)
{
	return cw_buf_adds(b, "{\"group\":")
		|| cw_json_quote(b, e->group, strlen(e->group))
		|| cw_buf_adds(b, ",\"stream\":")
		|| cw_json_quote(b, e->stream, strlen(e->stream))
		|| json_time(b, "timestamp", e->timestamp)
		|| json_time(b, "ingestionTime", e->ingestion_time)
		|| cw_buf_adds(b, ",\"eventId\":")
		|| cw_json_quote(b, e->event_id, strlen(e->event_id))
		|| cw_buf_adds(b, ",\"message\":")
		|| cw_json_quote(b, e->message, e->message_len)
		|| cw_buf_adds(b, "}\n") ? -1 : 0;
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

static int event_short(struct cw_out *o, struct cw_buf *b,
	const struct cw_logs_event *e)
{
	size_t n = e->message_len;

	while (n && (e->message[n - 1] == '\n' || e->message[n - 1] == '\r'))
		n--;
	if ((o->color && cw_buf_adds(b, DIM) < 0)
	    || event_time(o, b, e->timestamp) < 0
	    || (o->color && cw_buf_adds(b, RESET) < 0)
	    || cw_buf_addc(b, ' ') < 0
	    || (o->color && cw_buf_adds(b, source_color(e)) < 0))
		return -1;
	if (o->show_group && (data(o, b, e->group, strlen(e->group)) < 0 ||
	    cw_buf_addc(b, '/') < 0))
		return -1;
	return data(o, b, e->stream, strlen(e->stream))
		|| (o->color && cw_buf_adds(b, RESET) < 0) || cw_buf_addc(b, ' ')
		|| data(o, b, e->message, n) || cw_buf_addc(b, '\n') ? -1 : 0;
}

int cw_out_event(struct cw_out *o, const struct cw_logs_event *e)
{
	struct cw_buf *b = &o->line;
	size_t n = e->message_len, at = b->len;
	int rc;

	switch (o->format) {
	case CW_OUT_JSON:
		rc = event_json(b, e);
		break;
	case CW_OUT_SHORT:
		rc = event_short(o, b, e);
		break;
	default:
		rc = data(o, b, e->message, n);
		if (rc == 0 && (n == 0 || e->message[n - 1] != '\n'))
			rc = cw_buf_addc(b, '\n');
		break;
	}
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
