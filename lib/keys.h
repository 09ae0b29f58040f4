#ifndef CW_KEYS_H
#define CW_KEYS_H

#include <stdint.h>

#include "err.h"

/*
 * A set of AWS keys and the interface a client gets them through. Below
 * the client: the credentials chain (creds) and STS sit above it and
 * hand keys down through a cw_keys_source, never the other way.
 */

/* Strings are owned by the struct; cw_keys_release() wipes and frees
 * them. */
struct cw_keys {
	char *access_key;
	char *secret_key;
	char *token;		/* NULL for long-term keys */
	int64_t expires_ms;	/* 0: never */
	char source[64];	/* "env", "profile dev", "web-identity", ... */
};

/*
 * Replaces out's keys with copies of ak, sk and token (NULL or "": no
 * token). Every value must be printable ASCII without spaces: keys go
 * into HTTP headers, where a CR or LF would start a header of its own.
 * what names the source in the error, which never shows the values.
 */
int cw_keys_set(struct cw_keys *out, const char *ak, const char *sk,
	const char *token, int64_t expires_ms, const char *what,
	struct cw_err *err);
/* The same check on keys built elsewhere. */
int cw_keys_check(const struct cw_keys *k, const char *what,
	struct cw_err *err);
/* 1 when s is a value cw_keys_set() accepts. */
int cw_keys_valid(const char *s);
void cw_keys_release(struct cw_keys *k);

/* Where a client gets its keys for each request: get points *out at
 * keys that stay owned by the source. */
struct cw_keys_source {
	int (*get)(void *arg, const struct cw_keys **out, struct cw_err *err);
	void *arg;
};

#endif
