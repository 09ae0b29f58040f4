#ifndef CW_OUT_H
#define CW_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"
#include "logs.h"

enum cw_out_format {
	CW_OUT_AUTO,	/* short on a tty, raw in a pipe */
	CW_OUT_SHORT,	/* time, group/stream, message; fitted to a width */
	CW_OUT_RAW,	/* message only */
	CW_OUT_JSON,	/* one JSON object per event */
	CW_OUT_LONG	/* short's full time and names, whatever the width */
};

/* --highlight: at most this many terms, each at most this long. */
#define CW_OUT_MAX_MARKS 5
#define CW_OUT_MAX_MARK_LEN 64
/* --fields: at most this many members. */
#define CW_OUT_MAX_FIELDS 16

/* Where and how a command prints data. fp is borrowed. */
struct cw_out {
	FILE *fp;
	enum cw_out_format format;
	int color;
	int tty;		/* control bytes of data are shown escaped */
	int utc;
	int show_group;		/* short format: several groups in play */
	int no_source;		/* short, long: no group/stream column */
	/* Short on a terminal of this many columns: the time of day (the
	 * date too when it is not now_ms's), and group/stream in a column
	 * cut in the middle to fit; 0: the full time and names. */
	int width;
	int utf8;		/* a cut is marked with U+2026, else '~' */
	size_t group_skip;	/* bytes of each group name left out there */
	int64_t now_ms;
	/* Members of a JSON message shown instead of the whole message
	 * (dotted names reach into objects); borrowed. */
	const char *const *fields;
	size_t nfields;
	/* Terms marked in messages when colouring, ASCII case ignored;
	 * borrowed. Severities (ERROR, WARN, FATAL, a JSON level) are
	 * coloured too. */
	const char *const *marks;
	size_t nmarks;
	struct cw_buf text;	/* the message made from fields */
	struct cw_buf src;	/* the group/stream column being made */
	int hold;		/* lines are written in blocks: cw_out_hold() */
	struct cw_buf line;	/* the line being made, after held ones */
	/* The last event's time to the second, with its offset: the next
	 * event is most often in the same second. */
	int time_kept;
	int64_t time_sec;
	char time_text[48];
	size_t time_len, time_milli;
};

int cw_out_parse_format(const char *s, enum cw_out_format *f,
	struct cw_err *err);
/* Resolves AUTO and color for a stream: tty or not, and no_color as
 * cw_term_color() decided it (its opposite). Call it
 * before printing; cw_out_release() frees what printing kept, and drops
 * held lines: cw_out_flush() first. */
void cw_out_setup(struct cw_out *o, int is_tty, int no_color);
void cw_out_release(struct cw_out *o);

/* Lines are held and written in blocks of 64 KiB (a line may end in the
 * next one), by cw_out_flush() at the latest: for output that nobody
 * reads line by line as it comes.
 * o->fp becomes unbuffered: call it before anything is written to it,
 * and not on a memory stream. */
void cw_out_hold(struct cw_out *o);

/* Each returns -1 when the output can no longer be written (EPIPE). */
int cw_out_flush(struct cw_out *o);	/* held lines, then fflush */
int cw_out_event(struct cw_out *o, const struct cw_logs_event *e);
int cw_out_group(struct cw_out *o, const struct cw_logs_group *g);

/* "2026-11-23 06:10:00.123" in local time or UTC. */
void cw_out_time(char *buf, size_t size, int64_t ms, int utc);

#endif
