/*
 * test-stream: opens a Live Tail stream through the client's streaming
 * call, for the shell tests of lib/client's streams:
 *   test-stream [--stop-after BYTES] JSON
 * Prints "status=S delivered=N" when the stream ends, "prog: msg" and
 * exit 2 on an error (with "delivered=N" first when data had come),
 * and exits 130 after SIGINT or SIGTERM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "banned.h"

static size_t stop_after;

static int on_data(void *arg, const char *data, size_t len)
{
	size_t *n = arg;

	(void)data;
	*n += len;
	return stop_after && *n >= stop_after ? -1 : 0;
}

static int stream(struct cw_client *c, const char *json,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct cw_header target = { "X-Amz-Target",
		"Logs_20140328.StartLiveTail" };
	struct cw_client_request rq = {
		.content_type = "application/x-amz-json-1.1",
		.headers = &target, .nheaders = 1,
		.body = json, .body_len = strlen(json),
	};
	size_t n = 0;
	int rc;

	rq.on_data = on_data;
	rq.on_data_arg = &n;
	rc = cw_client_send(c, &rq, resp, err);
	if (rc == 0 || n)
		printf("status=%ld delivered=%zu\n", resp->status, n);
	return rc;
}

int main(int argc, char **argv)
{
	struct cw_http_response resp = { 0 };
	struct cw_cli cli;
	struct cw_client c;
	struct cw_err err;
	int rc = CW_EXIT_ERROR, i = 1;

	if (argc > 2 && strcmp(argv[1], "--stop-after") == 0) {
		stop_after = strtoul(argv[2], NULL, 10);
		i = 3;
	}
	if (argc != i + 1) {
		fprintf(stderr, "usage: test-stream [--stop-after BYTES] JSON\n");
		return CW_EXIT_ERROR;
	}
	cw_err_clear(&err);
	cw_cli_init(&cli, "test-stream", stdout, stderr);
	if (cw_cancel_install(&err) == 0
			&& cw_cli_client(&cli, &cw_service_livetail, NULL, &c, &err) == 0) {
		rc = stream(&c, argv[i], &resp, &err) < 0 ? CW_EXIT_ERROR
			: CW_EXIT_OK;
		cw_client_release(&c);
	}
	if (cw_ctx_cancelled(&cli.ctx))
		rc = CW_EXIT_INTERRUPTED;
	else if (rc != CW_EXIT_OK)
		cw_cli_error(&cli, &err);
	cw_http_response_release(&resp);
	cw_cli_release(&cli);
	return rc;
}
