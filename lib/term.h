#ifndef CW_TERM_H
#define CW_TERM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ctx.h"

/* What the on-call views need from a terminal. */

#define CW_TERM_MIN_COLS 40

/* The width of the terminal on fd, 0 when fd is not one. */
int cw_term_width(int fd);

/* A short age: "45s", "12m", "5h", "3d" (from ms; negative counts 0). */
void cw_term_age(char *buf, size_t size, int64_t ms);

/* Whether the locale's character set is UTF-8 (after setlocale()). */
int cw_term_utf8(void);

/* Whether fd is a terminal that takes control sequences (erasing a
 * line or the screen, colour): TERM (read through ctx) not "dumb". A
 * dumb terminal prints them as garbage. */
int cw_term_controls(const struct cw_ctx *ctx, int fd);

/* Whether to colour what goes to fd: only a terminal, with TERM (read
 * through ctx) not "dumb", and no_color 0 (the command's --no-color or
 * a NO_COLOR set and not empty). The one place colour is decided. */
int cw_term_color(const struct cw_ctx *ctx, int fd, int no_color);

#endif
