#ifndef CW_VIS_H
#define CW_VIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"

/*
 * The one escaper for text from outside (log data, server answers,
 * definitions) on its way to a terminal, in the base tier: every layer
 * may use it.
 *
 * Always escaped: control bytes but tab and newline, DEL, the C1
 * controls U+0080..U+009F as UTF-8, and a lone byte 0x80..0x9f (a C1
 * control to a terminal that reads 8-bit controls). So text can neither
 * move the cursor nor retitle or recolour the terminal.
 */

/* What else is escaped, how escapes are spelt, and how text is cut. */
#define CW_VIS_LINE	1	/* tab and newline too: the text stays one line */
#define CW_VIS_UTF8	2	/* every byte that is not UTF-8 */
#define CW_VIS_SLASH	4	/* a backslash as "\\", so escapes read back */
#define CW_VIS_UTF8TERM	8	/* the terminal is UTF-8: cut with "…", else "~" */
#define CW_VIS_HEX	16	/* "\x1b" rather than vis(3)'s octal "\033" */
#define CW_VIS_ALL	(CW_VIS_LINE | CW_VIS_UTF8 | CW_VIS_SLASH)
/* Names and messages in the alarm plans: one line, hex escapes. */
#define CW_VIS_PLAN	(CW_VIS_LINE | CW_VIS_UTF8 | CW_VIS_HEX)

/* The length of the valid UTF-8 sequence at s[0..n) and its code point
 * in *cp; 0 when the bytes there are not one (overlong, surrogate,
 * truncated, past U+10FFFF). */
size_t cw_vis_utf8(const char *s, size_t n, uint32_t *cp);

/*
 * Appends s[0..len) escaped under flags; s NULL is empty. With
 * maxcols > 0 the text stops after that many columns (a character
 * counts one, an escape its length) and ends with an ellipsis when more
 * followed. Returns the columns written, or -1 when b is full.
 */
long cw_vis_x(struct cw_buf *b, const char *s, size_t len, unsigned flags,
	size_t maxcols);

/* Log data for a terminal, as vis(3) writes it ("\033]0;x\007"): tab,
 * newline and bytes that are not UTF-8 (but 0x80..0x9f) kept, so pieces
 * of one line join. 0, or -1. */
int cw_vis(struct cw_buf *b, const char *s, size_t len);

/* Server text s (NULL: empty) on one line, cut at maxcols > 0 with "…"
 * when utf8, else "~": CW_VIS_LINE | CW_VIS_UTF8. Returns 0, or -1. */
int cw_vis_line(struct cw_buf *b, const char *s, size_t maxcols, int utf8);
/* The columns s[0..len) takes on a terminal, as printed: measure the
 * escaped text, so an escape counts what it shows. Each character counts
 * its wcwidth() (CJK and emoji two, combining marks none) in the
 * locale's LC_CTYPE, which must be UTF-8 for that; a character it does
 * not know, and a byte that is not UTF-8, count one. */
size_t cw_vis_cols(const char *s, size_t len);
/* The columns cw_vis_line() takes for s uncut. */
size_t cw_vis_width(const char *s);

/* s (NUL-terminated), in place, with each character that flags would
 * escape replaced by '?': for text kept in a buffer of fixed size. */
void cw_vis_mask(char *s, unsigned flags);

/* s[0..len) in the plans' style (CW_VIS_PLAN). 0, or -1. */
int cw_vis_plan(struct cw_buf *b, const char *s, size_t len);
/* The same, written to fp. */
void cw_vis_put_plan(FILE *fp, const char *s, size_t len);

#endif
