/* FilterLogEvents pages, read as they arrive and without a tree:
 * whatever the server sends, cut wherever, every event handed over lies
 * within what was read. The first two bytes say where the page is cut
 * into three pieces. */
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
	struct cw_logs_filter f = { "/g", NULL, NULL, 0, 0, 0, NULL, 0 };
	struct fake_step step = { .status = 200 };
	struct fake_wire w;
	struct cw_client c;
	struct cw_err err;
	char *body, *piece[3];
	size_t cut[2], i;

	if (size < 2 || !(body = malloc(3 * size)))
		return 0;
	page_len = strnlen((const char *)data + 2, size - 2);
	cut[0] = data[0] * page_len / 256;
	cut[1] = cut[0] + data[1] * (page_len - cut[0]) / 256;
	/* each piece a C string, as a step's are */
	for (i = 0; i < 3; i++) {
		size_t from = i ? cut[i - 1] : 0, to = i < 2 ? cut[i] : page_len;

		piece[i] = body + i * size;
		memcpy(piece[i], data + 2 + from, to - from);
		piece[i][to - from] = '\0';
		step.chunks[i] = piece[i];
	}
	fake_client_init(&c, &w, &step, 1, &keys);
	c.max_attempts = 1;
	cw_err_clear(&err);
	cw_logs_filter(&c, &f, emit, NULL, &err);
	cw_client_release(&c);
	free(body);
	return 0;
}
