#ifndef CW_CANCEL_H
#define CW_CANCEL_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/*
 * One cancellation flag for the whole library. The command installs it
 * once (cw_cancel_install): SIGINT and SIGTERM then set it, through
 * sigaction without SA_RESTART, and wake a self-pipe, so a wait that
 * polls the pipe cannot miss a signal that comes just before it. The
 * context carries it (struct cw_ctx's cancel) and every transfer, backoff
 * sleep and blocking read checks it. A command may clear it and go on: a
 * REPL cancels a query and keeps its prompt.
 *
 * Tests make their own { 0, -1 } and set signo themselves.
 */
struct cw_cancel {
	volatile sig_atomic_t signo;	/* the signal that came, 0: none */
	int wake_fd;			/* readable after a signal; -1: none */
};

/* The process's flag, never NULL; nothing sets it before install. */
struct cw_cancel *cw_cancel_process(void);

/* Installs the SIGINT and SIGTERM handlers and the self-pipe, once;
 * later calls do nothing. A signal the process inherited ignored (nohup,
 * a script's background job) stays ignored. 0, or -1 with err filled. */
int cw_cancel_install(struct cw_err *err);

/* The signal number when cancelled, else 0; c may be NULL. */
int cw_cancel_requested(const struct cw_cancel *c);

/* Forgets a signal so work can go on. */
void cw_cancel_clear(struct cw_cancel *c);

/* For a poll loop that watches wake_fd itself: drops the wake-ups left
 * from before a clear. Call it only when not cancelled, then check
 * again; the flag is left as it is. */
void cw_cancel_drain(struct cw_cancel *c);

/* Sleeps ms or until cancelled: 0 after the full time, -1 when
 * cancelled. */
int cw_cancel_sleep_ms(struct cw_cancel *c, int64_t ms);

/* read(2) that a signal interrupts: -1 with errno EINTR when cancelled,
 * before or during the wait; other errors as read's. */
ssize_t cw_cancel_read(struct cw_cancel *c, int fd, void *buf, size_t n);

/* Fills err for a cancelled operation: code "Interrupted". Returns -1. */
int cw_cancel_err(struct cw_err *err);

/* Around a child the user talks to ($PAGER, $EDITOR): SIGINT and
 * SIGPIPE are ignored, so the child takes Ctrl-C and may quit early
 * while the command goes on; cw_cancel_child_end puts both back as
 * they were. Not nested. */
void cw_cancel_child_begin(void);
void cw_cancel_child_end(void);

/* A closed pipe shows as EPIPE on write, which the command reports,
 * rather than killing it. */
void cw_cancel_ignore_sigpipe(void);

#endif
