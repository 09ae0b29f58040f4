/*
 * cw-tail: print CloudWatch Logs events of one or more log groups, or
 * list the log groups.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "logs.h"
#include "out.h"
#include "cmd.h"
#include "banned.h"

struct tail {
	struct cw_cli cli;
	struct cw_out out;
	struct cw_cli_events ev;
	int list_groups;
	int werr;		/* stdout could not be written */
	int failed;		/* some group failed; the others went on */
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-tail [-o short|raw|json] [--utc] [--since TIME] "
		"[--until TIME]\n"
		"               [--stream PREFIX] [--filter PATTERN] "
		"[--limit N]\n"
		"               " CW_CLI_USAGE_COMMON " GROUP...\n"
		"       cw-tail --list-groups [-o short|json] "
		CW_CLI_USAGE_COMMON " [PREFIX]\n"
		CW_CLI_USAGE_COMMON_LIST);
}

static int print_group(void *arg, const struct cw_logs_group *g,
	struct cw_err *err)
{
	struct tail *t = arg;

	if (cw_ctx_cancelled(&t->cli.ctx))
		return 1;
	if (cw_out_group(&t->out, g) < 0)
		return cw_err_set(err, "stdout: write failed");
	return 0;
}

static int print_event(void *arg, const struct cw_logs_event *e,
	struct cw_err *err)
{
	struct tail *t = arg;

	if (cw_ctx_cancelled(&t->cli.ctx))
		return 1;
	if (cw_out_event(&t->out, e) < 0) {
		t->werr = 1;
		return cw_err_set(err, "stdout: write failed");
	}
	return 0;
}

static int run(struct tail *t, int argc, char **argv, struct cw_err *err)
{
	struct cw_client c;
	int i, rc = 0;

	if (cw_cli_client(&t->cli, &cw_service_logs, &c, err) < 0)
		return -1;
	if (t->list_groups)
		rc = cw_logs_groups(&c, argc ? argv[0] : NULL, print_group, t,
			err);
	/* As cat with files: a group that fails is reported, and the
	 * others are still printed. */
	for (i = 0; !t->list_groups && i < argc; i++) {
		t->ev.filter.group = argv[i];
		rc = cw_logs_filter(&c, &t->ev.filter, print_event, t, err);
		if (cw_ctx_cancelled(&t->cli.ctx) || t->werr)
			break;
		if (rc == 0)
			continue;
		cw_cli_error(&t->cli, err);
		cw_err_clear(err);
		t->failed = 1;
		rc = 0;
	}
	if (t->werr)
		rc = -1;
	cw_client_release(&c);
	return rc;
}

enum { OPT_LIST = 0x200, OPT_FILTER };

static const struct option options[] = {
	{ "list-groups", no_argument, NULL, OPT_LIST },
	{ "filter", required_argument, NULL, OPT_FILTER },
	{ "output", required_argument, NULL, 'o' },
	CW_CLI_EVENT_OPTIONS,
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

/* -1 to go on, else the exit status. */
static int parse_args(struct tail *t, int argc, char **argv,
	struct cw_err *err)
{
	int c;

	while ((c = cw_cli_getopt(&t->cli, argc, argv, "ho:", options,
			err)) != -1) {
		switch (cw_cli_event_option(&t->ev, c, optarg, err)) {
		case -1: return CW_EXIT_ERROR;
		case 1: continue;
		}
		switch (c) {
		case CW_CLI_DONE: return t->cli.status;
		case 'h': usage(stdout); return CW_EXIT_OK;
		case 'o':
			if (cw_out_parse_format(optarg, &t->out.format, err) < 0)
				return CW_EXIT_ERROR;
			break;
		case OPT_LIST: t->list_groups = 1; break;
		case OPT_FILTER: t->ev.filter.pattern = optarg; break;
		default: t->cli.show_usage = 1; return CW_EXIT_ERROR;
		}
	}
	if (t->list_groups ? argc - optind > 1 : argc - optind < 1) {
		t->cli.show_usage = 1;
		return CW_EXIT_ERROR;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct tail t;
	struct cw_err err;
	int rc;

	memset(&t, 0, sizeof(t));
	cw_err_clear(&err);
	cw_cli_init(&t.cli, "cw-tail", stdout, stderr);
	cmd_tty_setup(&t.cli.ctx);
	t.out.fp = stdout;
	rc = parse_args(&t, argc, argv, &err);
	if (rc >= 0) {
		if (err.msg[0])
			cw_cli_error(&t.cli, &err);
		if (t.cli.show_usage)
			usage(stderr);
		/* --help, --version: what was printed must be written. */
		if (rc == CW_EXIT_OK && fflush(stdout) != 0) {
			fprintf(stderr, "cw-tail: stdout: write failed\n");
			rc = CW_EXIT_ERROR;
		}
		return rc;
	}
	/* A pattern the service would refuse costs no request. */
	if (t.ev.filter.pattern) {
		struct cw_pattern *p = cw_cli_pattern(&t.cli, "--filter",
			t.ev.filter.pattern);

		if (!p)
			return CW_EXIT_ERROR;
		cw_pattern_free(p);
	}
	cw_out_setup(&t.out, isatty(STDOUT_FILENO),
		t.cli.no_color);
	t.out.show_group = argc - optind > 1;
	t.out.utc = t.ev.utc;
	rc = cw_cancel_install(&err) < 0
		|| (t.list_groups ? 0 : cw_cli_event_window(&t.cli, &t.ev, &err)) < 0
		|| run(&t, argc - optind, argv + optind, &err) < 0
		? CW_EXIT_ERROR : CW_EXIT_OK;
	if (cw_ctx_cancelled(&t.cli.ctx))
		rc = CW_EXIT_INTERRUPTED;
	else if (rc == CW_EXIT_ERROR)
		cw_cli_error(&t.cli, &err);
	else if (t.failed)
		rc = CW_EXIT_ERROR;
	if (fflush(stdout) != 0 && rc == CW_EXIT_OK) {
		fprintf(stderr, "cw-tail: stdout: write failed\n");
		rc = CW_EXIT_ERROR;
	}
	cw_out_release(&t.out);
	cw_cli_release(&t.cli);
	return rc;
}
