#ifndef CW_CTX_H
#define CW_CTX_H

#include <stdint.h>

#include "cancel.h"

/*
 * Everything the library needs from the process, passed down by the
 * command: environment lookup, the clock, randomness for backoff jitter,
 * the --debug trace sink, a sleep and the cancellation flag. Tests pin
 * each of them. Only lib/sysctx.c binds these to the real process.
 */
struct cw_ctx {
	const char *(*getenv)(void *arg, const char *name);
	int64_t (*now_ms)(void *arg);		/* wall clock, ms since epoch */
	/* Returns early once cancel is set; the real one wakes on a signal. */
	void (*sleep_ms)(void *arg, int64_t ms);
	uint32_t (*random)(void *arg);
	/* One line of trace, without newline; NULL when tracing is off. */
	void (*trace)(void *arg, const char *line);
	/* Asked for an MFA code on a tty; NULL when no tty. Returns 0 / -1. */
	int (*prompt)(void *arg, const char *question, char *answer, size_t size);
	void *arg;
	/* Checked by every transfer, backoff sleep and blocking read; NULL:
	 * never cancelled. */
	struct cw_cancel *cancel;
};

const char *cw_ctx_getenv(const struct cw_ctx *c, const char *name);
/* Milliseconds since the epoch. */
int64_t cw_ctx_now_ms(const struct cw_ctx *c);
/* 0 after ms, -1 when cancelled before or during the sleep. */
int cw_ctx_sleep_ms(const struct cw_ctx *c, int64_t ms);
/* The signal number once cancelled, else 0. */
int cw_ctx_cancelled(const struct cw_ctx *c);
uint32_t cw_ctx_random(const struct cw_ctx *c);
void cw_ctx_trace(const struct cw_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* lib/sysctx.c: the real process (getenv, clock_gettime, a sleep that
 * a signal ends, getrandom, the process's cancellation flag). trace and
 * prompt are left NULL for the command to set. */
void cw_ctx_init_system(struct cw_ctx *c);

#endif
