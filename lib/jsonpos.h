#ifndef CW_JSONPOS_H
#define CW_JSONPOS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "err.h"

/*
 * A bounded JSON parser that builds cJSON trees and remembers where each
 * node began (file, line, column), for messages that point into a file
 * the way a compiler's do. cJSON itself keeps no positions.
 */

#define CW_JSONPOS_MAX_BYTES ((size_t)16 << 20)	/* per document */
#define CW_JSONPOS_MAX_DEPTH 64
#define CW_JSONPOS_MAX_MEMBERS 4096		/* per object */

struct cw_jsonpos_loc {
	const cJSON *node;
	const char *file;	/* borrowed from the caller of parse */
	int line, col;
};

/* Node -> position, an open-addressed table. Zero it before use. */
struct cw_jsonpos {
	struct cw_jsonpos_loc *slots;
	size_t n, cap;
};

/*
 * Parses len bytes of text named file (which must outlive pos). On
 * success returns the tree, freed by the caller with cJSON_Delete(),
 * and every node's position is in pos. On failure returns NULL and err
 * says "file:line:col: malformed JSON: why" (or the size limit).
 */
cJSON *cw_jsonpos_parse(struct cw_jsonpos *pos, const char *file,
	const char *text, size_t len, struct cw_err *err);
/* Reads and parses a file, refusing one over CW_JSONPOS_MAX_BYTES. */
cJSON *cw_jsonpos_load(struct cw_jsonpos *pos, const char *file,
	struct cw_err *err);
/* The position of node, or NULL when it has none (made later). */
const struct cw_jsonpos_loc *cw_jsonpos_get(const struct cw_jsonpos *pos,
	const cJSON *node);
/* Records node at the position of like (nothing when like has none). */
int cw_jsonpos_copy(struct cw_jsonpos *pos, const cJSON *node,
	const cJSON *like);
/* A deep copy of node whose nodes keep the positions of the originals. */
cJSON *cw_jsonpos_dup(struct cw_jsonpos *pos, const cJSON *node);
void cw_jsonpos_release(struct cw_jsonpos *pos);

#endif
