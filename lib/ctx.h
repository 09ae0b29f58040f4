#ifndef CW_CTX_H
#define CW_CTX_H

#include <stdint.h>

/*
 * Everything the library needs from the process, passed down by the
 * command: environment lookup, the clock, randomness for backoff jitter,
 * the --debug trace sink and a sleep. Tests pin each of them. Only
 * lib/sysctx.c binds these to the real process.
 */
struct cw_ctx {
	const char *(*getenv)(void *arg, const char *name);
	int64_t (*now_ms)(void *arg);		/* wall clock, ms since epoch */
	void (*sleep_ms)(void *arg, int64_t ms);
	uint32_t (*random)(void *arg);
	/* One line of trace, without newline; NULL when tracing is off. */
	void (*trace)(void *arg, const char *line);
	/* Asked for an MFA code on a tty; NULL when no tty. Returns 0 / -1. */
	int (*prompt)(void *arg, const char *question, char *answer, size_t size);
	void *arg;
};

const char *cw_ctx_getenv(const struct cw_ctx *c, const char *name);
/* Milliseconds since the epoch. */
int64_t cw_ctx_now_ms(const struct cw_ctx *c);
void cw_ctx_sleep_ms(const struct cw_ctx *c, int64_t ms);
uint32_t cw_ctx_random(const struct cw_ctx *c);
void cw_ctx_trace(const struct cw_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* lib/sysctx.c: the real process (getenv, clock_gettime, nanosleep,
 * getrandom). trace and prompt are left NULL for the command to set. */
void cw_ctx_init_system(struct cw_ctx *c);

#endif
