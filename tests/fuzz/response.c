/*
 * libFuzzer target: what a server or a proxy may answer, and the text a
 * user types. The first byte picks the parser: an error answer (the body,
 * then the x-amzn-query-error header after a NUL), a JSON string for
 * output, or a --since/--until time.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "client.h"
#include "out.h"
#include "timespec.h"
#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void error_answer(const char *s, size_t n)
{
	struct cw_http_response r;
	struct cw_err err;
	const char *nul = memchr(s, '\0', n);

	memset(&r, 0, sizeof(r));
	cw_buf_init(&r.body, 0);
	cw_buf_add(&r.body, s, nul ? (size_t)(nul - s) : n);
	if (nul) {
		size_t h = n - (size_t)(nul + 1 - s);

		if (h >= sizeof(r.query_error))
			h = sizeof(r.query_error) - 1;
		memcpy(r.query_error, nul + 1, h);
	}
	r.status = 400 + (long)(n % 200);
	cw_client_decode_error(&r, &err);
	cw_buf_release(&r.body);
}

static void time_spec(const char *s, size_t n)
{
	char *z = strndup(s, n);
	struct cw_err err;
	int64_t t;

	if (z) {
		cw_timespec_parse(z, 1795413600000LL, &t, &err);
		/* The same text as a server's: an STS or SSO expiration, a
		 * Date header. */
		(void)cw_timespec_iso(z, &t);
		(void)cw_timespec_http_date(z, &t);
	}
	free(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 1;
	struct cw_buf b = CW_BUF_INIT;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		error_answer(s, size - 1);
		break;
	case 1:
		cw_json_quote(&b, s, size - 1);
		cw_buf_release(&b);
		break;
	default:
		time_spec(s, size - 1);
		break;
	}
	return 0;
}
