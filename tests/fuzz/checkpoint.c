/* libFuzzer target: the --checkpoint file parser on any bytes; what it
 * accepts must format back to the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "checkpoint.h"
#include "err.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_checkpoint cp;
	struct cw_buf b = CW_BUF_INIT;
	struct cw_err err;

	cw_checkpoint_init(&cp);
	if (cw_checkpoint_parse(&cp, (const char *)data, size, "fuzz",
	    &err) == 0) {
		if (cw_checkpoint_format(&cp, &b, &err) < 0 || b.len != size ||
		    memcmp(b.p, data, size) != 0)
			abort();
	}
	cw_checkpoint_release(&cp);
	cw_buf_release(&b);
	return 0;
}
