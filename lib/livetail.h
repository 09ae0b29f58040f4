#ifndef CW_LIVETAIL_H
#define CW_LIVETAIL_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "err.h"
#include "http.h"
#include "logs.h"

/*
 * The core of cw-tail --live: StartLiveTail sessions of at most 10
 * groups each (at most 15 sessions, the account's default quota), one
 * thread per session reading its event stream (lib/evstream), while the
 * calling thread prints. When a session ends (its 3 h limit, a
 * SessionStreamingException, a dropped connection, a body cut inside a
 * frame however it ended, a stream silent for 15 s or for the HTTP
 * options' timeout when set) it is started again
 * and the gap is read with FilterLogEvents through the fetch callback,
 * from a margin before the session's last update. A session that ended
 * within seconds of its start, or a restart that failed and passes
 * (throttling, 5xx, network), waits before the next StartLiveTail: 1 s
 * growing to 30 s, back to none once a session streamed for a while.
 * Live Tail events have no eventId: the overlap is dropped by a digest
 * of (group, stream, timestamp, message), kept in bounded memory
 * (lib/seen). A backfilled line that the stream also delivered is
 * dropped even when it was written twice in the same millisecond.
 */

#define CW_LIVETAIL_MAX_GROUPS 10	/* per session */
#define CW_LIVETAIL_MAX_SESSIONS 15	/* per account, by default */

/* cw_livetail_run(): StartLiveTail was refused (4xx) before anything was
 * printed: the caller may poll instead. */
#define CW_LIVETAIL_REFUSED 2

/* Reads every event of group with timestamp >= from_ms, giving each to
 * ev(ev_arg, ...). 0, CW_LIVETAIL_FETCH_AGAIN, or -1 with err filled
 * (the run ends). It runs in the calling
 * thread under the lock the sessions get their keys under, so it may
 * share the credentials chain (and the HTTP handle the chain uses) with
 * the Live Tail client. */
typedef int cw_livetail_fetch_fn(void *arg, const char *group,
	int64_t from_ms, cw_logs_event_fn *ev, void *ev_arg,
	struct cw_err *err);

/* fetch's answer when the failure passes (throttling, 5xx, a network
 * error; err says which): the group's gap is read again after a pause,
 * without end, as polling does. */
#define CW_LIVETAIL_FETCH_AGAIN 1

enum cw_livetail_notice_kind {
	CW_LIVETAIL_SAMPLED,	/* a session's results began to be sampled */
	CW_LIVETAIL_RESUMED,	/* why: how it ended; from_ms: read again from */
	CW_LIVETAIL_OUTAGE,	/* why: reading a gap failed; tried again */
	CW_LIVETAIL_OUTAGE_END,	/* the gap was read after all */
	/* As RESUMED, for a session that ended within seconds of its
	 * start: the next ones wait (1 s growing to 30 s), and those that
	 * end as soon are resumed without a notice until one streams for a
	 * while. */
	CW_LIVETAIL_SHORT,
	/* why: starting an ended session again failed (throttling, 5xx, a
	 * network error); it is tried again after a growing pause. Told at
	 * once, then at most once a minute while it fails. */
	CW_LIVETAIL_RESTART_FAILED
};

struct cw_livetail_notice {
	enum cw_livetail_notice_kind kind;
	size_t session;
	const char *why;
	int64_t from_ms;
};

typedef void cw_livetail_notice_fn(void *arg,
	const struct cw_livetail_notice *n);

struct cw_livetail_cfg {
	const char *const *groups;	/* names: printed, and fetch's */
	const char *const *arns;	/* StartLiveTail's identifiers */
	size_t ngroups;
	const char *pattern;		/* logEventFilterPattern; NULL: all */
	int64_t start_ms;	/* first read from here (--since); 0: no */
	int64_t margin_ms;	/* backfill from this long before the last
				 * update of an ended session; 0: 10 s */
	size_t seen_capacity;	/* 0: 200 000 */
	/* The Live Tail endpoint: each session sends through a copy, with
	 * an HTTP handle of its own made with http_opts (or through the
	 * client's wire when set, as in tests). Its keys are read under a
	 * lock. */
	const struct cw_client *client;
	const struct cw_http_opts *http_opts;
	cw_livetail_fetch_fn *fetch;
	void *fetch_arg;
	cw_logs_event_fn *emit;		/* non-zero return ends the run */
	void *emit_arg;
	cw_livetail_notice_fn *notice;	/* may be NULL */
	void *notice_arg;
	int (*stop)(void *arg);		/* polled often; may be NULL */
	void *stop_arg;
};

/*
 * Streams until stop() says so (0), emit returns non-zero (that value),
 * an error (-1: a bad frame, a session refused after the start, a failed
 * backfill) or CW_LIVETAIL_REFUSED. Frames that are not events of the
 * stream (the JSON protocols' initial-response) are skipped. The client's
 * cancellation flag ends it at once (-1, code "Interrupted"). Called
 * from one thread; the callbacks run in that thread.
 */
int cw_livetail_run(const struct cw_livetail_cfg *cfg, struct cw_err *err);

/* The JSON body of StartLiveTail for arns[0..n) and pattern (may be
 * NULL); NULL when out of memory. Free with free(). */
char *cw_livetail_request(const char *const *arns, size_t n,
	const char *pattern);

#endif
