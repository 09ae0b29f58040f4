#ifndef CW_NEAR_H
#define CW_NEAR_H

#include <stddef.h>

/*
 * "Did you mean": the known name nearest to a mistyped one. Every
 * suggestion of the suite (options, regions, environments, definition
 * members) goes through here, so they all agree on what is near.
 *
 *	struct cw_near n;
 *	cw_near_init(&n, word, strlen(word));
 *	for (each known name) cw_near_try(&n, name);
 *	if (n.best) ... "did you mean %s?", n.best
 *
 * Near is: the word begins the name ("prod" for "production"), or the
 * two differ by at most a third of the word's letters (insertions,
 * deletions, substitutions and swaps of neighbours, case ignored), one
 * or two letters for short words. The first of equally near names wins.
 */
struct cw_near {
	const char *word;
	size_t len;
	const char *best;	/* borrowed from the caller's names, or NULL */
	size_t dist;
};

void cw_near_init(struct cw_near *n, const char *word, size_t len);
void cw_near_try(struct cw_near *n, const char *name);

/* The distance between a[0..la) and b[0..lb), case ignored, counted up
 * to 8 (longer words count 8 beyond it). */
size_t cw_near_distance(const char *a, size_t la, const char *b, size_t lb);

#endif
