#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "timespec.h"
#include "banned.h"

static void trace_line(void *arg, const char *line)
{
	const struct cw_cli *cli = arg;

	fprintf(cli->errfp, "%s: debug: %s\n", cli->prog, line);
}

void cw_cli_init(struct cw_cli *cli, const char *prog, FILE *outfp,
	FILE *errfp)
{
	memset(cli, 0, sizeof(*cli));
	cli->prog = prog;
	cli->outfp = outfp;
	cli->errfp = errfp;
	cw_ctx_init_system(&cli->ctx);
	cli->ctx.arg = cli;
	/* The command sets ctx.prompt when it has a terminal to ask on. */
	cli->no_color = cw_ctx_getenv(&cli->ctx, "NO_COLOR") != NULL;
}

/* Seconds, as the AWS CLI takes them; 0 means no limit there, but a
 * stuck connection should not hang a pipeline forever. */
static int parse_seconds(const char *opt, const char *arg, long *ms,
	struct cw_err *err)
{
	char *end;
	double s = strtod(arg, &end);

	if (*arg == '\0' || *end || !(s > 0) || s > 86400)
		return cw_err_set(err, "--%s '%s': expected seconds, more than 0 "
			"and at most 86400", opt, arg);
	*ms = (long)(s * 1000);
	return 1;
}

int cw_cli_option(struct cw_cli *cli, int opt, const char *arg,
	struct cw_err *err)
{
	switch (opt) {
	case CW_OPT_READ_TIMEOUT:
		return parse_seconds("cli-read-timeout", arg,
			&cli->http_opts.timeout_ms, err);
	case CW_OPT_CONNECT_TIMEOUT:
		return parse_seconds("cli-connect-timeout", arg,
			&cli->http_opts.connect_timeout_ms, err);
	case CW_OPT_PROFILE:
		cli->profile_name = arg;
		return 1;
	case CW_OPT_REGION:
		cli->region_flag = arg;
		return 1;
	case CW_OPT_ENDPOINT:
		cli->endpoint_flag = arg;
		return 1;
	case CW_OPT_DEBUG:
		cli->debug = 1;
		cli->ctx.trace = trace_line;
		return 1;
	case CW_OPT_NO_COLOR:
		cli->no_color = 1;
		return 1;
	case CW_OPT_VERSION:
		fprintf(cli->outfp, "%s %s\n", cli->prog, CW_VERSION);
		return 1;
	default:
		return 0;
	}
}

static int setup(struct cw_cli *cli, struct cw_err *err)
{
	struct cw_creds_opts co = { .profile = NULL };

	if (!cli->profile_loaded) {
		if (cw_profile_load(&cli->profile, &cli->ctx, cli->profile_name,
				err) < 0)
			return -1;
		cli->profile_loaded = 1;
	}
	if (!cli->region[0] && cw_endpoint_region(&cli->ctx, &cli->profile,
			cli->region_flag, cli->region, sizeof(cli->region),
			err) < 0)
		return -1;
	/* AWS_CA_BUNDLE wins over the profile's ca_bundle, as in botocore. */
	if (!cli->http_opts.ca_bundle
			&& !cw_ctx_getenv(&cli->ctx, "AWS_CA_BUNDLE"))
		cli->http_opts.ca_bundle = cw_profile_get(&cli->profile,
			"ca_bundle");
	if (!cli->http && !(cli->http = cw_http_new(&cli->ctx, &cli->http_opts, err)))
		return -1;
	if (!cli->creds) {
		co.profile = cli->profile_name;
		co.region = cli->region;
		co.files = &cli->profile;
		cli->creds = cw_creds_provider_new(&cli->ctx, cli->http, &co, err);
		if (!cli->creds)
			return -1;
	}
	return 0;
}

int cw_cli_client(struct cw_cli *cli, const struct cw_service *svc,
	struct cw_client *out, struct cw_err *err)
{
	memset(out, 0, sizeof(*out));
	if (setup(cli, err) < 0)
		return -1;
	out->ctx = &cli->ctx;
	out->http = cli->http;
	out->keys = cw_creds_source(cli->creds);
	snprintf(out->region, sizeof(out->region), "%s", cli->region);
	snprintf(out->service, sizeof(out->service), "%s", svc->signing_name);
	return cw_endpoint_url(&cli->ctx, &cli->profile, svc,
		cli->endpoint_flag, cli->region, out->endpoint,
		sizeof(out->endpoint), err);
}

/* getopt's own message would begin with argv[0], a path. */
static void bad_option(const char *arg, const char *optstring,
	const struct option *longopts, struct cw_err *err)
{
	const char *name = arg + 2, *eq;
	size_t n;

	if (optopt > 0 && optopt < 256) {
		cw_err_set(err, "option -%c: %s", optopt,
			strchr(optstring, optopt) ? "needs an argument"
			: "unknown");
		return;
	}
	if (strncmp(arg, "--", 2) != 0) {
		cw_err_set(err, "option %s: unknown", arg);
		return;
	}
	eq = strchr(name, '=');
	n = eq ? (size_t)(eq - name) : strlen(name);
	for (; longopts->name; longopts++)
		if (strlen(longopts->name) == n
				&& strncmp(longopts->name, name, n) == 0)
			break;
	cw_err_set(err, "option --%.*s: %s", (int)n, name, longopts->name
		? (longopts->has_arg == no_argument ? "takes no argument"
			: "needs an argument") : "unknown");
}

int cw_cli_getopt(struct cw_cli *cli, int argc, char **argv,
	const char *optstring, const struct option *longopts,
	struct cw_err *err)
{
	int c;

	opterr = 0;
	for (;;) {
		optopt = 0;
		c = getopt_long(argc, argv, optstring, longopts, NULL);
		if (c == '?' || c == ':') {
			bad_option(argv[optind - 1], optstring, longopts, err);
			cli->show_usage = 1;
			cli->status = CW_EXIT_ERROR;
			return CW_CLI_DONE;
		}
		switch (cw_cli_option(cli, c, optarg, err)) {
		case -1:
			cli->status = CW_EXIT_ERROR;
			return CW_CLI_DONE;
		case 1:
			if (c == CW_OPT_VERSION) {
				cli->status = CW_EXIT_OK;
				return CW_CLI_DONE;
			}
			continue;
		default:
			return c;
		}
	}
}

int cw_cli_count(const char *opt, const char *arg, long *out,
	struct cw_err *err)
{
	char *end;
	long n = strtol(arg, &end, 10);

	if (*arg == '\0' || *end || n <= 0 || n == LONG_MAX)
		return cw_err_set(err, "%s '%s': expected a positive number",
			opt, arg);
	*out = n;
	return 0;
}

int cw_cli_event_option(struct cw_cli_events *ev, int opt, const char *arg,
	struct cw_err *err)
{
	switch (opt) {
	case CW_OPT_SINCE:
		ev->since = arg;
		return 1;
	case CW_OPT_UNTIL:
		ev->until = arg;
		return 1;
	case CW_OPT_STREAM:
		ev->filter.stream_prefix = arg;
		return 1;
	case CW_OPT_UTC:
		ev->utc = 1;
		return 1;
	case CW_OPT_LIMIT:
		return cw_cli_count("--limit", arg, &ev->filter.limit, err) < 0
			? -1 : 1;
	default:
		return 0;
	}
}

int cw_cli_window(const char *since, const char *until, const char *def_since,
	int64_t now_ms, int64_t *start, int64_t *end, struct cw_err *err)
{
	*end = 0;
	if (cw_timespec_parse(since ? since : def_since, now_ms, start, err) < 0)
		return cw_err_wrap(err, "--since");
	if (until && cw_timespec_parse(until, now_ms, end, err) < 0)
		return cw_err_wrap(err, "--until");
	if (*end && *end < *start)
		return cw_err_set(err, "--until is before --since");
	return 0;
}

int cw_cli_event_window(const struct cw_cli *cli, struct cw_cli_events *ev,
	struct cw_err *err)
{
	return cw_cli_window(ev->since, ev->until, "10m",
		cw_ctx_now_ms(&cli->ctx), &ev->filter.start_ms,
		&ev->filter.end_ms, err);
}

struct cw_pattern *cw_cli_pattern(const struct cw_cli *cli, const char *what,
	const char *pattern)
{
	struct cw_buf caret = CW_BUF_INIT;
	struct cw_pattern *p;
	struct cw_err err;
	int col = 0;

	cw_err_clear(&err);
	p = cw_pattern_compile(pattern, strlen(pattern), &col, &err);
	if (p)
		return p;
	if (!col) {
		fprintf(cli->errfp, "%s: %s: %s\n", cli->prog, what, err.msg);
		return NULL;
	}
	fprintf(cli->errfp, "%s: %s: column %d: %s\n", cli->prog, what, col,
		err.msg);
	if (cw_pattern_caret(&caret, pattern, col) == 0)
		fputs(cw_buf_str(&caret), cli->errfp);
	cw_buf_release(&caret);
	return NULL;
}

void cw_cli_error(const struct cw_cli *cli, const struct cw_err *err)
{
	fprintf(cli->errfp, "%s: %s\n", cli->prog,
		err->msg[0] ? err->msg : "unknown error");
}

void cw_cli_release(struct cw_cli *cli)
{
	cw_creds_provider_free(cli->creds);
	cw_http_free(cli->http);
	if (cli->profile_loaded)
		cw_profile_release(&cli->profile);
	cli->creds = NULL;
	cli->http = NULL;
	cli->profile_loaded = 0;
}
