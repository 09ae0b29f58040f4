/*
 * lib/http and lib/cancel over a real loopback socket: the body's cap,
 * where a stream's body goes by status, and a signal that stops a
 * transfer, a sleep and a read. A thread plays the server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cancel.h"
#include "http.h"
#include "tap.h"
#include "banned.h"

struct answer {
	const char *head;	/* status line and headers, no blank line */
	size_t body_len;	/* that many 'x', or body */
	const char *body;
	int hold_ms;		/* wait this long (or until the client goes) */
};

static int lfd, port;
static const struct answer *answers;
static size_t nanswers;
static char url[64];

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the request's head and its Content-Length of body. */
static void read_request(int fd)
{
	char buf[8192], *end, *cl;
	size_t len = 0, want;
	ssize_t r;

	while (len < sizeof(buf) - 1) {
		r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r <= 0)
			return;
		len += (size_t)r;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		cl = strcasestr(buf, "content-length:");
		want = (size_t)(end + 4 - buf) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
		if (len >= want)
			return;
	}
}

static void answer(int fd, const struct answer *a)
{
	char head[512], body[4096];
	struct pollfd p = { fd, POLLIN, 0 };
	size_t n = a->body ? strlen(a->body) : a->body_len, i, k;

	read_request(fd);
	/* The client closing the connection ends the wait. */
	if (a->hold_ms && poll(&p, 1, a->hold_ms) > 0)
		return;
	snprintf(head, sizeof(head), "%s\r\nContent-Length: %zu\r\n"
		"Connection: close\r\n\r\n", a->head, n);
	send(fd, head, strlen(head), MSG_NOSIGNAL);
	if (a->body) {
		send(fd, a->body, n, MSG_NOSIGNAL);
		return;
	}
	memset(body, 'x', sizeof(body));
	for (i = 0; i < n; i += k) {
		k = n - i < sizeof(body) ? n - i : sizeof(body);
		if (send(fd, body, k, MSG_NOSIGNAL) < 0)
			return;
	}
}

static void *server(void *arg)
{
	size_t i;
	int fd;

	(void)arg;
	for (i = 0; i < nanswers; i++) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			break;
		answer(fd, &answers[i]);
		close(fd);
	}
	return NULL;
}

static void block_signals(sigset_t *old)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &s, old);
}

/* Starts the server thread over script a; join it with finish(). */
static pthread_t serve(const struct answer *a, size_t n)
{
	pthread_t t;
	sigset_t old;

	answers = a;
	nanswers = n;
	/* Signals are for the thread under test. */
	block_signals(&old);
	pthread_create(&t, NULL, server, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return t;
}

static int listen_loopback(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0
			|| listen(lfd, 4) < 0
			|| getsockname(lfd, (struct sockaddr *)&sa, &len) < 0)
		return -1;
	port = ntohs(sa.sin_port);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", port);
	return 0;
}

static struct cw_buf streamed = CW_BUF_INIT;

static int on_data(void *arg, const char *data, size_t len)
{
	(void)arg;
	return cw_buf_add(&streamed, data, len);
}

static int post(struct cw_http *h, int stream, struct cw_http_response *r,
	struct cw_err *e)
{
	struct cw_http_request rq = { .method = "POST", .url = url,
		.body = "{}", .body_len = 2 };

	if (stream)
		rq.on_data = on_data;
	cw_err_clear(e);
	return cw_http_send(h, &rq, r, e);
}

static void cap(struct cw_http *h)
{
	static const struct answer a[] = {
		{ "HTTP/1.1 200 OK", 2000, NULL, 0 },
		{ "HTTP/1.1 200 OK", 1000, NULL, 0 },
		{ "HTTP/1.1 200 OK", 2000, NULL, 0 } };
	pthread_t t = serve(a, 3);
	struct cw_http_response r;
	struct cw_err e;

	memset(&r, 0, sizeof(r));
	cw_buf_init(&r.body, 1024);
	is_int(post(h, 0, &r, &e), -1, "a body past the cap set on the "
		"response fails");
	ok(strstr(e.msg, "larger than 1024 bytes") != NULL, "and says so: %s",
		e.msg);
	is_int(post(h, 0, &r, &e), 0, "a body within it is read");
	is_int((long long)r.body.len, 1000, "whole");
	is_int(post(h, 0, &r, &e), -1, "the cap holds on the next send");
	cw_http_response_release(&r);
	pthread_join(t, NULL);
}

static void stream(struct cw_http *h)
{
	static const struct answer a[] = {
		{ "HTTP/1.1 500 Internal Server Error", 0,
			"{\"__type\":\"InternalFailure\",\"message\":\"boom\"}", 0 },
		{ "HTTP/1.1 200 OK", 3000, NULL, 0 } };
	pthread_t t = serve(a, 2);
	struct cw_http_response r;
	struct cw_err e;

	memset(&r, 0, sizeof(r));
	is_int(post(h, 1, &r, &e), 0, "a 500 stream: a response");
	is_int(r.status, 500, "its status");
	is_str(cw_buf_str(&r.body), "{\"__type\":\"InternalFailure\","
		"\"message\":\"boom\"}", "its body is kept for the error");
	is_int((long long)(streamed.len + r.delivered), 0,
		"nothing went to the stream callback");
	is_int(post(h, 1, &r, &e), 0, "a 200 stream");
	is_int((long long)streamed.len, 3000, "its body went to the callback");
	is_int((long long)r.delivered, 3000, "counted as delivered");
	is_int((long long)r.body.len, 0, "not into the body");
	cw_http_response_release(&r);
	pthread_join(t, NULL);
}

static void *signal_later(void *arg)
{
	struct timespec ts = { 0, 200 * 1000000L };

	nanosleep(&ts, NULL);
	*(int64_t *)arg = mono_ms();
	kill(getpid(), SIGINT);
	return NULL;
}

/* Sends SIGINT to the process 200 ms from now; *at gets the time. */
static pthread_t interrupt_soon(int64_t *at)
{
	pthread_t t;
	sigset_t old;

	block_signals(&old);
	pthread_create(&t, NULL, signal_later, at);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return t;
}

static void cancel(struct cw_http *h)
{
	static const struct answer a[] = {
		{ "HTTP/1.1 200 OK", 10, NULL, 5000 } };
	struct cw_cancel *c = cw_cancel_process();
	struct cw_http_response r;
	struct cw_err e;
	int64_t at = 0, done;
	pthread_t t = serve(a, 1), s;
	int fds[2];
	char b[4];

	memset(&r, 0, sizeof(r));
	s = interrupt_soon(&at);
	is_int(post(h, 0, &r, &e), -1, "SIGINT stops a transfer in flight");
	done = mono_ms();
	is_str(e.code, "Interrupted", "as interrupted");
	ok(done - at < 100, "within 100 ms of the signal (%lld ms)",
		(long long)(done - at));
	pthread_join(s, NULL);
	pthread_join(t, NULL);
	is_int(post(h, 0, &r, &e), -1, "still cancelled: nothing sent");
	cw_cancel_clear(c);
	cw_http_response_release(&r);

	s = interrupt_soon(&at);
	is_int(cw_cancel_sleep_ms(c, 5000), -1, "SIGINT ends a sleep");
	done = mono_ms();
	ok(done - at < 100, "within 100 ms (%lld ms)", (long long)(done - at));
	pthread_join(s, NULL);
	cw_cancel_clear(c);
	is_int(cw_cancel_sleep_ms(c, 1), 0, "cleared, a sleep runs its time");

	if (pipe(fds) < 0)
		return;
	s = interrupt_soon(&at);
	errno = 0;
	is_int(cw_cancel_read(c, fds[0], b, sizeof(b)), -1, "SIGINT ends a "
		"read blocked on an idle pipe");
	done = mono_ms();
	is_int(errno, EINTR, "with EINTR");
	ok(done - at < 100, "within 100 ms (%lld ms)", (long long)(done - at));
	pthread_join(s, NULL);
	cw_cancel_clear(c);
	if (write(fds[1], "ab", 2) == 2)
		is_int(cw_cancel_read(c, fds[0], b, sizeof(b)), 2,
			"cleared, a read reads");
	close(fds[0]);
	close(fds[1]);

	cw_cancel_child_begin();
	raise(SIGINT);
	is_int(cw_cancel_requested(c), 0, "around a child, SIGINT is the "
		"child's: the flag stays clear");
	cw_cancel_child_end();
	raise(SIGINT);
	is_int(cw_cancel_requested(c), SIGINT, "after it, SIGINT sets the "
		"flag again");
	cw_cancel_clear(c);
}

int main(void)
{
	struct cw_ctx ctx = { .cancel = cw_cancel_process() };
	struct cw_err e;
	struct cw_http *h;

	cw_err_clear(&e);
	/* A harness started in the background may hand SIGINT in ignored,
	 * and cw_cancel_install() leaves an ignored signal alone. */
	signal(SIGINT, SIG_DFL);
	if (listen_loopback() < 0 || cw_cancel_install(&e) < 0
			|| !(h = cw_http_new(&ctx, NULL, &e))) {
		printf("Bail out! %s\n", e.msg[0] ? e.msg : strerror(errno));
		return 1;
	}
	cap(h);
	stream(h);
	cancel(h);
	cw_http_free(h);
	cw_buf_release(&streamed);
	close(lfd);
	return tap_done();
}
