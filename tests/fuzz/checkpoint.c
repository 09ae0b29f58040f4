/* libFuzzer target: the --checkpoint file parser on any bytes. What it
 * accepts formats back to the same bytes when it was written in the
 * current version; a version 1 file is converted, and the conversion
 * reads back to itself. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checkpoint.h"
#include "err.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses TEXT and formats it into OUT: -1 when TEXT is refused. */
static int round(const char *text, size_t len, struct cw_buf *out,
	int *version)
{
	struct cw_checkpoint cp;
	struct cw_err err;
	int rc = -1;

	cw_checkpoint_init(&cp);
	if (cw_checkpoint_parse(&cp, text, len, "fuzz", &err) == 0) {
		*version = cp.version;
		if (cw_checkpoint_format(&cp, out, &err) < 0)
			abort();
		rc = 0;
	}
	cw_checkpoint_release(&cp);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_buf b = CW_BUF_INIT, again = CW_BUF_INIT;
	int version = 0, v2 = 0;

	if (round((const char *)data, size, &b, &version) == 0) {
		if (version != 1 && (b.len != size || memcmp(b.p, data, size) != 0))
			abort();
		if (round(b.p ? b.p : "", b.len, &again, &v2) < 0
		    || again.len != b.len || memcmp(again.p, b.p, b.len) != 0)
			abort();
	}
	cw_buf_release(&b);
	cw_buf_release(&again);
	return 0;
}
