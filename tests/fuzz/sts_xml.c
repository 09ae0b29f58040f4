/* libFuzzer target: the STS XML result parsers on any bytes (errors go
 * through the client's decoder: tests/fuzz/response.c). */
#include <stddef.h>
#include <stdint.h>

#include "keys.h"
#include "err.h"
#include "sts.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct cw_keys c = { 0 };
	struct cw_sts_identity id;
	struct cw_err err;

	if (cw_sts_parse_credentials(s, size, &c, &err) == 0)
		cw_keys_release(&c);
	(void)cw_sts_parse_identity(s, size, &id, &err);
	return 0;
}
