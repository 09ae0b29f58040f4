/* libFuzzer target: the AWS config/credentials parser on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ini.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cw_err err;
	struct cw_ini *ini = cw_ini_parse("fuzz", (const char *)data, size, &err);

	if (ini) {
		(void)cw_ini_get(ini, "default", "region");
		(void)cw_ini_has_section(ini, "profile a");
	}
	cw_ini_free(ini);
	return 0;
}
