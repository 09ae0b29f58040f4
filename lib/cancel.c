#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cancel.h"
#include "banned.h"

static struct cw_cancel proc = { 0, -1 };
static int wake_wr = -1;

struct cw_cancel *cw_cancel_process(void)
{
	return &proc;
}

static void on_signal(int sig)
{
	int saved = errno;
	ssize_t r = 0;

	proc.signo = sig;
	/* Non-blocking: a full pipe already says the same thing. */
	if (wake_wr >= 0)
		r = write(wake_wr, "", 1);
	(void)r;
	errno = saved;
}

/* A signal the parent ignored (nohup, a script's background job) stays
 * ignored, as the shell meant. */
static int catch(int sig, const struct sigaction *sa)
{
	struct sigaction old;

	if (sigaction(sig, NULL, &old) < 0)
		return -1;
	if (old.sa_handler == SIG_IGN)
		return 0;
	return sigaction(sig, sa, NULL);
}

int cw_cancel_install(struct cw_err *err)
{
	static int installed;
	struct sigaction sa;
	int p[2];

	if (installed)
		return 0;
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0)
		return cw_err_set(err, "interrupt pipe: %s", strerror(errno));
	proc.wake_fd = p[0];
	wake_wr = p[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked read returns */
	if (catch(SIGINT, &sa) < 0 || catch(SIGTERM, &sa) < 0)
		return cw_err_set(err, "sigaction: %s", strerror(errno));
	installed = 1;
	return 0;
}

int cw_cancel_requested(const struct cw_cancel *c)
{
	return c ? c->signo : 0;
}

void cw_cancel_drain(struct cw_cancel *c)
{
	char b[64];

	while (c && c->wake_fd >= 0 && read(c->wake_fd, b, sizeof(b)) > 0)
		;
}

void cw_cancel_clear(struct cw_cancel *c)
{
	if (!c)
		return;
	/* In this order a signal between the two stays seen. */
	c->signo = 0;
	cw_cancel_drain(c);
}

int cw_cancel_err(struct cw_err *err)
{
	cw_err_clear(err);
	snprintf(err->code, sizeof(err->code), "Interrupted");
	return cw_err_set(err, "interrupted");
}

static struct sigaction child_int, child_pipe;

static void ignore(int sig, struct sigaction *old)
{
	struct sigaction ign;

	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(sig, &ign, old);
}

void cw_cancel_child_begin(void)
{
	ignore(SIGINT, &child_int);
	ignore(SIGPIPE, &child_pipe);
}

void cw_cancel_child_end(void)
{
	sigaction(SIGINT, &child_int, NULL);
	sigaction(SIGPIPE, &child_pipe, NULL);
}

void cw_cancel_ignore_sigpipe(void)
{
	ignore(SIGPIPE, NULL);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Waits for fd (when >= 0) to be readable, a signal, or timeout_ms
 * (-1: none). 1 fd ready, 0 timeout, -1 cancelled.
 */
static int wait_fd(struct cw_cancel *c, int fd, int64_t timeout_ms)
{
	int64_t end = timeout_ms < 0 ? 0 : mono_ms() + timeout_ms, left;
	struct pollfd p[2];
	int n, wake;

	for (;;) {
		if (cw_cancel_requested(c))
			return -1;
		left = timeout_ms < 0 ? -1 : end - mono_ms();
		if (timeout_ms >= 0 && left <= 0)
			return 0;
		n = 0;
		if (fd >= 0)
			p[n++] = (struct pollfd){ fd, POLLIN, 0 };
		wake = c && c->wake_fd >= 0 ? n : -1;
		if (wake >= 0)
			p[n++] = (struct pollfd){ c->wake_fd, POLLIN, 0 };
		if (poll(p, (nfds_t)n, left > INT_MAX ? INT_MAX : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return 1;	/* let read() report it */
		}
		if (fd >= 0 && p[0].revents)
			return 1;
		/* A byte left from before a clear: drop it, wait on. */
		if (wake >= 0 && p[wake].revents && !cw_cancel_requested(c))
			cw_cancel_drain(c);
	}
}

int cw_cancel_sleep_ms(struct cw_cancel *c, int64_t ms)
{
	if (ms <= 0)
		return cw_cancel_requested(c) ? -1 : 0;
	return wait_fd(c, -1, ms) < 0 ? -1 : 0;
}

ssize_t cw_cancel_read(struct cw_cancel *c, int fd, void *buf, size_t n)
{
	ssize_t r;

	for (;;) {
		if (wait_fd(c, fd, -1) < 0) {
			errno = EINTR;
			return -1;
		}
		r = read(fd, buf, n);
		if (r >= 0 || errno != EINTR)
			return r;
	}
}
