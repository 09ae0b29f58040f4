#ifndef CW_CLI_H
#define CW_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "client.h"
#include "creds.h"
#include "ctx.h"
#include "endpoint.h"
#include "err.h"
#include "http.h"
#include "logs.h"
#include "pattern.h"
#include "profile.h"

/* The options every command takes (DESIGN §3), for getopt_long tables. */
enum {
	CW_OPT_PROFILE = 0x100,
	CW_OPT_REGION,
	CW_OPT_ENDPOINT,
	CW_OPT_DEBUG,
	CW_OPT_NO_COLOR,
	CW_OPT_VERSION,
	CW_OPT_READ_TIMEOUT,
	CW_OPT_CONNECT_TIMEOUT
};

#define CW_CLI_LONG_OPTIONS \
	{ "profile", required_argument, NULL, CW_OPT_PROFILE }, \
	{ "region", required_argument, NULL, CW_OPT_REGION }, \
	{ "endpoint-url", required_argument, NULL, CW_OPT_ENDPOINT }, \
	{ "debug", no_argument, NULL, CW_OPT_DEBUG }, \
	{ "no-color", no_argument, NULL, CW_OPT_NO_COLOR }, \
	{ "version", no_argument, NULL, CW_OPT_VERSION }, \
	{ "cli-read-timeout", required_argument, NULL, CW_OPT_READ_TIMEOUT }, \
	{ "cli-connect-timeout", required_argument, NULL, \
		CW_OPT_CONNECT_TIMEOUT }, \
	{ "help", no_argument, NULL, 'h' }

/* The options that choose events, the same in every command that reads
 * them. */
enum {
	CW_OPT_SINCE = 0x180,
	CW_OPT_UNTIL,
	CW_OPT_STREAM,
	CW_OPT_LIMIT,
	CW_OPT_UTC
};

#define CW_CLI_EVENT_OPTIONS \
	{ "since", required_argument, NULL, CW_OPT_SINCE }, \
	{ "until", required_argument, NULL, CW_OPT_UNTIL }, \
	{ "stream", required_argument, NULL, CW_OPT_STREAM }, \
	{ "limit", required_argument, NULL, CW_OPT_LIMIT }, \
	{ "utc", no_argument, NULL, CW_OPT_UTC }

struct cw_cli_events {
	const char *since, *until;
	struct cw_logs_filter filter;	/* stream, limit, then the window */
	int utc;
};

/*
 * What a networked command shares: the process context, the profile,
 * one HTTP handle and the credentials, set up on first use. The library
 * writes only to the streams the command hands it: --version to outfp,
 * the --debug trace and errors to errfp.
 */
struct cw_cli {
	const char *prog;
	FILE *outfp, *errfp;
	const char *profile_name, *region_flag, *endpoint_flag;
	int debug;
	int no_color;		/* --no-color or NO_COLOR in the environment */
	int status;		/* exit status when cw_cli_getopt() says done */
	int show_usage;		/* the usage should follow the error */
	struct cw_http_opts http_opts;
	struct cw_ctx ctx;
	struct cw_profile profile;
	int profile_loaded;
	char region[64];
	struct cw_http *http;
	struct cw_creds_provider *creds;
};

void cw_cli_init(struct cw_cli *cli, const char *prog, FILE *outfp,
	FILE *errfp);
/* Handles a common option: 1 when it was one (CW_OPT_VERSION prints the
 * version to outfp), 0 when the command must handle opt itself, -1 when
 * its argument is bad (err says why). */
int cw_cli_option(struct cw_cli *cli, int opt, const char *arg,
	struct cw_err *err);
/* Sets up a signed client for svc: profile, region, endpoint, creds.
 * Release it with cw_client_release(); the rest lives in cli. */
int cw_cli_client(struct cw_cli *cli, const struct cw_service *svc,
	struct cw_client *out, struct cw_err *err);
/*
 * getopt_long() over the command's options, handling the common ones
 * and bad ones. Returns the next option for the command, -1 after the
 * last, or CW_CLI_DONE when the command should end with cli->status:
 * after --version, or with err filled (and cli->show_usage set for an
 * unknown option).
 */
#define CW_CLI_DONE (-2)
int cw_cli_getopt(struct cw_cli *cli, int argc, char **argv,
	const char *optstring, const struct option *longopts,
	struct cw_err *err);
/* Handles an event option: 1 when it was one, 0 when not, -1 when its
 * argument is bad. */
int cw_cli_event_option(struct cw_cli_events *ev, int opt, const char *arg,
	struct cw_err *err);
/* The --since/--until window: since defaults to def_since, until to
 * unbounded (*end 0); an until before since is an error. timespec says
 * what is wrong with a time; this layer names the option. */
int cw_cli_window(const char *since, const char *until, const char *def_since,
	int64_t now_ms, int64_t *start, int64_t *end, struct cw_err *err);
/* Sets ev->filter's window from --since (default 10m) and --until. */
int cw_cli_event_window(const struct cw_cli *cli, struct cw_cli_events *ev,
	struct cw_err *err);
/* A positive count for option opt ("--limit"); -1 with a message when
 * arg is not one. */
int cw_cli_count(const char *opt, const char *arg, long *out,
	struct cw_err *err);
/* Compiles a filter pattern from the command line. On a syntax error
 * prints "prog: what: column N: why", the pattern and a caret under the
 * column on errfp, and returns NULL. Free with cw_pattern_free(). */
struct cw_pattern *cw_cli_pattern(const struct cw_cli *cli, const char *what,
	const char *pattern);
/* Prints "prog: msg" on errfp. */
void cw_cli_error(const struct cw_cli *cli, const struct cw_err *err);
void cw_cli_release(struct cw_cli *cli);

#endif
