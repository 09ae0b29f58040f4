/* FilterLogEvents pages, read in place and without a tree: whatever the
 * server sends, every event handed over lies within what was read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/fakewire.h"
#include "logs.h"
#include "banned.h"

static size_t page_len;

static int emit(void *arg, const struct cw_logs_event *e, struct cw_err *err)
{
	volatile unsigned char sum = 0;
	size_t i;

	(void)arg;
	(void)err;
	for (i = 0; i < e->message_len; i++)	/* ASan checks each byte */
		sum ^= (unsigned char)e->message[i];
	if (e->message_len > page_len || strlen(e->stream) > page_len ||
	    strlen(e->event_id) > page_len)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char ak[] = "AKIAIOSFODNN7EXAMPLE";
	static char sk[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	static const struct cw_keys keys = { ak, sk, NULL, 0, "test" };
	struct cw_logs_filter f = { "/g", NULL, NULL, 0, 0, 0, NULL };
	struct fake_step step = { .status = 200 };
	struct fake_wire w;
	struct cw_client c;
	struct cw_err err;
	char *body = malloc(size + 1);

	if (!body)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';	/* a step's body is a C string */
	page_len = strlen(body);
	step.body = body;
	fake_client_init(&c, &w, &step, 1, &keys);
	c.max_attempts = 1;
	cw_err_clear(&err);
	cw_logs_filter(&c, &f, emit, NULL, &err);
	cw_client_release(&c);
	free(body);
	return 0;
}
