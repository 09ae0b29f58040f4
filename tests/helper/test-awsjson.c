/*
 * test-awsjson: calls one AWS JSON operation through lib/ the way the
 * commands do, for the shell tests of protocols no command uses yet:
 *   test-awsjson logs|monitoring OPERATION [JSON] [PAGINATION-TOKEN]
 * Prints the result as JSON, or with a token the number of pages and
 * the items of every page's first array member.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsjson.h"
#include "cli.h"
#include "exitcodes.h"
#include "banned.h"

static const struct cw_service *service(const char *name)
{
	if (strcmp(name, "logs") == 0)
		return &cw_service_logs;
	if (strcmp(name, "monitoring") == 0)
		return &cw_service_monitoring;
	return NULL;
}

struct count {
	int pages, items;
};

static int count_page(void *arg, cJSON **res, struct cw_err *err)
{
	struct count *n = arg;
	const cJSON *m;

	(void)err;
	n->pages++;
	cJSON_ArrayForEach(m, *res)
		if (cJSON_IsArray(m))
			n->items += cJSON_GetArraySize(m);
	return 0;
}

/* Follows every page, counting them and the items of array members. */
static int paginate(struct cw_client *c, const struct cw_service *svc,
	const char *op, cJSON *req, const char *token, struct cw_err *err)
{
	struct count n = { 0, 0 };

	if (cw_awsjson_paginate(c, svc, op, req, token, count_page, &n,
			err) < 0)
		return -1;
	printf("pages=%d items=%d\n", n.pages, n.items);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cw_service *svc = argc > 2 ? service(argv[1]) : NULL;
	struct cw_cli cli;
	struct cw_client c;
	struct cw_err err;
	cJSON *req, *res = NULL;
	char *text;
	int rc = CW_EXIT_ERROR;

	if (!svc) {
		fprintf(stderr, "usage: test-awsjson logs|monitoring OP [JSON] "
			"[TOKEN]\n");
		return CW_EXIT_ERROR;
	}
	cw_err_clear(&err);
	cw_cli_init(&cli, "test-awsjson", stdout, stderr);
	req = cJSON_Parse(argc > 3 ? argv[3] : "{}");
	if (!req || cw_cli_client(&cli, svc, NULL, &c, &err) < 0)
		goto out;
	if (argc > 4) {
		rc = paginate(&c, svc, argv[2], req, argv[4], &err) < 0
			? CW_EXIT_ERROR : CW_EXIT_OK;
	} else if (cw_awsjson_call(&c, svc, argv[2], req, &res, &err) == 0) {
		text = cJSON_PrintUnformatted(res);
		printf("%s\n", text ? text : "");
		free(text);
		rc = CW_EXIT_OK;
	}
	cw_client_release(&c);
out:
	if (rc != CW_EXIT_OK)
		fprintf(stderr, "test-awsjson: %s\n", err.msg[0] ? err.msg
			: "bad JSON argument");
	cJSON_Delete(res);
	cJSON_Delete(req);
	cw_cli_release(&cli);
	return rc;
}
