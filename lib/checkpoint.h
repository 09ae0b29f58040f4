#ifndef CW_CHECKPOINT_H
#define CW_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/*
 * The follow position kept by --checkpoint FILE: per group the last
 * timestamp and the recent eventIds, so a restart neither skips nor
 * repeats. The file is text:
 *
 *   cwkit-checkpoint 3
 *   group <name> <last timestamp ms>
 *   id <timestamp ms> <eventId>          (the group's recent ids)
 *   ...
 *   end <groups> <ids> <crc32 of every byte above, 8 hex digits>
 *
 * Names and ids are %XX-escaped outside printable ASCII, and for space
 * and '%'. It is replaced atomically; reading validates all of it and
 * never changes the file. A path that is a symbolic link is followed:
 * the file it points to is replaced, beside itself.
 *
 * Version 3 holds the hashes lib/follow keeps of the keys it makes of
 * the ids, as 16 hex digits (lib/idset: the low 13 bits are zero);
 * version 2 held the keys, version 1 the ids themselves (the reader says
 * which it read). A group marked spare is written only while the file
 * stays under the size bound.
 */

#define CW_CHECKPOINT_MAGIC "cwkit-checkpoint"
#define CW_CHECKPOINT_VERSION 3
#define CW_CHECKPOINT_MAX_FILE ((size_t)16 << 20)
#define CW_CHECKPOINT_MAX_NAME 2048	/* group name or eventId, unescaped */

struct cw_checkpoint_id {
	int64_t ts;
	char *id;
};

struct cw_checkpoint_group {
	char *name;
	int64_t last_ts;
	struct cw_checkpoint_id *ids;
	size_t nids, cap;
	int spare;	/* left out rather than pass CW_CHECKPOINT_MAX_FILE */
};

struct cw_checkpoint {
	struct cw_checkpoint_group *groups;
	size_t n, cap;
	int version;	/* of the file parsed; 0 for one built */
};

void cw_checkpoint_init(struct cw_checkpoint *cp);
/* Frees everything; cp is empty and reusable afterwards. */
void cw_checkpoint_release(struct cw_checkpoint *cp);

/* Adds a group (names are unique); returns its index, or -1. */
long cw_checkpoint_add_group(struct cw_checkpoint *cp, const char *name,
	int64_t last_ts, struct cw_err *err);
/* Adds an eventId to the group at index g. */
int cw_checkpoint_add_id(struct cw_checkpoint *cp, size_t g, int64_t ts,
	const char *id, struct cw_err *err);
/* The group called name, or NULL. */
const struct cw_checkpoint_group *cw_checkpoint_find(
	const struct cw_checkpoint *cp, const char *name);

/* Appends the file's text to out: every group, but spare ones that would
 * take it past CW_CHECKPOINT_MAX_FILE (those after them still may fit). */
int cw_checkpoint_format(const struct cw_checkpoint *cp, struct cw_buf *out,
	struct cw_err *err);
/* Parses text (len bytes; file names it in errors) into the empty cp.
 * On error cp is left empty. */
int cw_checkpoint_parse(struct cw_checkpoint *cp, const char *text,
	size_t len, const char *file, struct cw_err *err);

/* Reads path into the empty cp: 0, 1 when there is no such file (cp stays
 * empty: a first run), -1 when it cannot be read or is not a valid
 * checkpoint (the file is left as it is). */
int cw_checkpoint_load(struct cw_checkpoint *cp, const char *path,
	struct cw_err *err);

/* Replaces path atomically: a temporary file in the same directory,
 * fsync, rename, fsync of the directory. On failure path is unchanged.
 * A symbolic link is followed (a link owned by another user than the
 * caller or root is refused): its target is replaced, not the link. */
int cw_checkpoint_save(const struct cw_checkpoint *cp, const char *path,
	struct cw_err *err);

/* Checks that a save to path can create its temporary file (the
 * directory exists and is writable; a link is followed as save does),
 * so an error comes before anything is printed. Changes nothing. */
int cw_checkpoint_probe(const char *path, struct cw_err *err);

#endif
