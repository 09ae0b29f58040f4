#ifndef CW_POOL_H
#define CW_POOL_H

#include <stddef.h>

/*
 * Runs independent units of work at once, a bounded number at a time:
 * the regions and accounts of an alarm run, each waiting on the network.
 * The units share nothing the caller did not make safe to share; each
 * writes its outcome where the caller can read it in the units' order,
 * so what is printed does not depend on which finished first.
 */

/* At most this many units run at once. */
#define CW_POOL_MAX 8

/* Calls fn(arg, i) for every i in [0, n), at most max (1..CW_POOL_MAX)
 * at a time, in threads of their own and the caller's; returns when
 * every call returned. Without threads to be had, they run here, one
 * after another. */
void cw_pool_run(size_t n, size_t max, void (*fn)(void *arg, size_t i),
	void *arg);

#endif
