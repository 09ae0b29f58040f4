#ifndef CW_ERR_H
#define CW_ERR_H

/*
 * The error value every library function fills on failure. Messages are
 * lower-case, without a trailing period: what failed, the subject, why.
 * Commands print "prog: <msg>" and nothing else.
 */
struct cw_err {
	char msg[1024];
	char code[128];		/* AWS error code, "" when not from AWS */
	long status;		/* HTTP status, 0 when none */
	long at;		/* 1 + the character offset into the request's
				 * text that the answer points at (Logs
				 * Insights' queryCompileError), 0 when none */
};

void cw_err_clear(struct cw_err *e);

/* Sets e->msg from the format and returns -1, so callers can write
 * "return cw_err_set(err, ...)". A NULL e is allowed and ignored. */
int cw_err_set(struct cw_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to the message already in e; returns -1. */
int cw_err_wrap(struct cw_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
