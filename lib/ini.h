#ifndef CW_INI_H
#define CW_INI_H

#include <stddef.h>

#include "err.h"

/* An AWS config or credentials file, parsed. */
struct cw_ini;

/* A missing file gives an empty result, not an error. A malformed one
 * gives NULL with "PATH:LINE: why" in err. Free with cw_ini_free(). */
struct cw_ini *cw_ini_load(const char *path, struct cw_err *err);
struct cw_ini *cw_ini_parse(const char *name, const char *text, size_t len,
	struct cw_err *err);
/* Section names as written between the brackets, e.g. "profile dev". */
const char *cw_ini_get(const struct cw_ini *ini, const char *section,
	const char *key);
int cw_ini_has_section(const struct cw_ini *ini, const char *section);
void cw_ini_free(struct cw_ini *ini);

#endif
