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
	CW_OUT_SHORT,	/* local time, group/stream, message */
	CW_OUT_RAW,	/* message only */
	CW_OUT_JSON	/* one JSON object per event */
};

/* Where and how a command prints data. fp is borrowed. */
struct cw_out {
	FILE *fp;
	enum cw_out_format format;
	int color;
	int tty;		/* control bytes of data are shown escaped */
	int utc;
	int show_group;		/* short format: several groups in play */
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
/* Resolves AUTO and color for a stream: tty or not, NO_COLOR. Call it
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

/*
 * Appends s[0..len) for a terminal: control bytes but tab and newline,
 * DEL, and the C1 controls (U+0080..U+009F as UTF-8) become octal
 * escapes as vis(3) writes them ("\033]0;x\007"), so log data can
 * neither move the cursor nor retitle or recolour the terminal.
 */
int cw_out_vis(struct cw_buf *b, const char *s, size_t len);
/* The plans' style for names and messages from the account: control
 * bytes (below 0x20, and DEL) as \xNN, everything else as it is. */
int cw_out_hexvis(struct cw_buf *b, const char *s, size_t len);
/* The same, written to fp. */
void cw_out_put_hexvis(FILE *fp, const char *s, size_t len);

/* What cw_out_visx() escapes beyond cw_out_vis(), and how it cuts. */
#define CW_VIS_LINE	1	/* tab and newline too: the text stays one line */
#define CW_VIS_UTF8	2	/* bytes that are not UTF-8 (else written as they are) */
#define CW_VIS_SLASH	4	/* a backslash as "\\", so escapes read back */
#define CW_VIS_UTF8TERM	8	/* the terminal is UTF-8: cut with "…", else "~" */
#define CW_VIS_ALL	(CW_VIS_LINE | CW_VIS_UTF8 | CW_VIS_SLASH)

/*
 * cw_out_vis() with what flags add, for one-line views and table cells;
 * s NULL is empty. With maxcols > 0 the text stops after that many
 * columns (a character counts one, an escape its length) and ends with
 * an ellipsis when more followed. Returns the columns written, or -1
 * when b is full.
 */
long cw_out_visx(struct cw_buf *b, const char *s, size_t len,
	unsigned flags, size_t maxcols);

/* Server text s (NULL: empty) on one line, cut at maxcols > 0 with "…"
 * when utf8, else "~": CW_VIS_LINE | CW_VIS_UTF8. Returns 0, or -1. */
int cw_out_vis_line(struct cw_buf *b, const char *s, size_t maxcols,
	int utf8);
/* The columns cw_out_vis_line() takes for s uncut. */
size_t cw_out_vis_width(const char *s);

/* "2026-11-23 06:10:00.123" in local time or UTC. */
void cw_out_time(char *buf, size_t size, int64_t ms, int utc);

#endif
