/*
 * test-evstream: decodes an event stream from stdin through lib/evstream,
 * read in pieces of CHUNK bytes (default 4096):
 *   test-evstream [CHUNK]
 * Prints one line per message: its kind, its type and its payload with
 * anything outside printable ASCII shown as '?'. A bad frame is one error
 * line on stderr and exit status 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evstream.h"
#include "exitcodes.h"
#include "banned.h"

static int print(void *arg, const struct cw_evstream_msg *m,
	struct cw_err *err)
{
	static const char *const kind[] = { "event", "exception", "error",
		"unknown" };
	struct cw_evstream_class c;
	size_t i;

	(void)arg, (void)err;
	cw_evstream_classify(m, &c);
	printf("%s %s ", kind[c.kind], c.type[0] ? c.type : "-");
	for (i = 0; i < m->payload_len; i++) {
		unsigned char ch = (unsigned char)m->payload[i];

		putchar(ch >= 0x20 && ch < 0x7f ? ch : '?');
	}
	putchar('\n');
	return 0;
}

int main(int argc, char **argv)
{
	struct cw_evstream *d = cw_evstream_new(0);
	struct cw_err err;
	size_t chunk = argc > 1 ? strtoul(argv[1], NULL, 10) : 4096, n;
	char *buf;
	int r = 0;

	if (!chunk || chunk > (1 << 20))
		chunk = 4096;
	buf = malloc(chunk);
	if (!d || !buf) {
		fprintf(stderr, "test-evstream: out of memory\n");
		return CW_EXIT_ERROR;
	}
	while (r == 0 && (n = fread(buf, 1, chunk, stdin)) > 0)
		r = cw_evstream_feed(d, buf, n, print, NULL, &err);
	if (r == 0)
		r = cw_evstream_finish(d, &err);
	if (r < 0)
		fprintf(stderr, "test-evstream: %s\n", err.msg);
	free(buf);
	cw_evstream_free(d);
	return r < 0 ? CW_EXIT_ERROR : CW_EXIT_OK;
}
