#ifndef CW_CLI_H
#define CW_CLI_H

#include <getopt.h>
#include <pthread.h>
#include <stdio.h>

#include "alarmaccount.h"
#include "alarmdef.h"
#include "client.h"
#include "creds.h"
#include "ctx.h"
#include "endpoint.h"
#include "err.h"
#include "http.h"
#include "logs.h"
#include "pattern.h"
#include "profile.h"
#include "region.h"

/* The options every command takes (DESIGN §3), for getopt_long tables. */
enum {
	CW_OPT_PROFILE = 0x100,
	CW_OPT_REGION,
	CW_OPT_ENDPOINT,
	CW_OPT_DEBUG,
	CW_OPT_NO_COLOR,
	CW_OPT_VERSION,
	CW_OPT_READ_TIMEOUT,
	CW_OPT_CONNECT_TIMEOUT,
	CW_OPT_LIST_REGIONS
};

#define CW_CLI_LONG_OPTIONS \
	{ "profile", required_argument, NULL, CW_OPT_PROFILE }, \
	{ "region", required_argument, NULL, CW_OPT_REGION }, \
	{ "endpoint-url", required_argument, NULL, CW_OPT_ENDPOINT }, \
	{ "debug", no_argument, NULL, CW_OPT_DEBUG }, \
	{ "no-color", no_argument, NULL, CW_OPT_NO_COLOR }, \
	{ "version", no_argument, NULL, CW_OPT_VERSION }, \
	{ "list-regions", no_argument, NULL, CW_OPT_LIST_REGIONS }, \
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
 * one HTTP handle and the credentials, set up on first use. --version
 * goes to outfp, the --debug trace and errors to errfp.
 */
struct cw_cli {
	const char *prog;
	FILE *outfp, *errfp;
	const char *profile_name, *region_flag, *endpoint_flag;
	int debug;
	int no_color;		/* --no-color or NO_COLOR in the environment */
	int status;		/* exit status when cw_cli_getopt() says done */
	int fail_status;	/* a failure's, 2 unless the command says */
	int show_usage;		/* the usage should follow the error */
	struct cw_http_opts http_opts;
	struct cw_ctx ctx;
	struct cw_profile profile;
	int profile_loaded;
	char region[64];	/* the default, once cw_cli_region found it */
	struct cw_http *http;
	struct cw_creds_provider *creds;
};

void cw_cli_init(struct cw_cli *cli, const char *prog, FILE *outfp,
	FILE *errfp);
/* Handles a common option: 1 when it was one (CW_OPT_VERSION prints the
 * version to outfp, CW_OPT_LIST_REGIONS the known regions), 0 when the command must handle opt itself, -1 when
 * its argument is bad (err says why). */
int cw_cli_option(struct cw_cli *cli, int opt, const char *arg,
	struct cw_err *err);
/* Sets up a signed client for svc in region (NULL or "": the default):
 * profile, endpoint, creds. Release it with cw_client_release(); the
 * rest lives in cli. */
int cw_cli_client(struct cw_cli *cli, const struct cw_service *svc,
	const char *region, struct cw_client *out, struct cw_err *err);
/* The default region: --region, AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's. NULL with err when none is set. */
const char *cw_cli_region(struct cw_cli *cli, struct cw_err *err);
/*
 * Sets up jobs[i] for regions[i] (n of them): endpoint, keys (resolved
 * here, on this thread) and a handle each. An unknown region is an
 * error. Release with cw_region_release() even on failure.
 */
int cw_cli_regions(struct cw_cli *cli, const struct cw_service *svc,
	const char *const *regions, size_t n, struct cw_region_job *jobs,
	struct cw_err *err);
/* Refreshes the keys of every job before another round (long --watch). */
int cw_cli_regions_refresh(struct cw_cli *cli, struct cw_region_job *jobs,
	size_t n, struct cw_err *err);

/* The clients of an alarm command, one per service, region and thread,
 * made on first use; released together. Threads may ask for clients at
 * once, of one cw_cli_clients or of several over one cli (environments
 * run at once): each gets its own, with an HTTP handle of its own
 * (libcurl handles are not shared between threads), and the keys are
 * fetched one thread at a time. */
#define CW_CLI_MAX_CLIENTS 256

struct cw_cli_clients {
	struct cw_cli *cli;
	char default_region[64];	/* for items without a Region */
	/* The keys of the account the sets are for (an environment's
	 * Profile or RoleArn); NULL: the command's. Borrowed. */
	struct cw_creds_provider *creds;
	size_t n;
	struct {
		const struct cw_service *svc;
		char region[64];
		pthread_t thread;
		struct cw_client c;
	} v[CW_CLI_MAX_CLIENTS];
};

void cw_cli_clients_init(struct cw_cli_clients *cs, struct cw_cli *cli);
/* A client for svc in region (NULL, "": the default) for the calling
 * thread, borrowed until cw_cli_clients_release; NULL with err. */
struct cw_client *cw_cli_clients_get(struct cw_cli_clients *cs,
	const struct cw_service *svc, const char *region, struct cw_err *err);
/* Frees the clients; cs can be used again. */
void cw_cli_clients_release(struct cw_cli_clients *cs);
/* Items without a Region take the command's default (--region,
 * AWS_REGION...), which becomes cs's; when every item has one and no
 * --region was given, the command needs none. */
int cw_cli_fill_regions(struct cw_cli_clients *cs, struct cw_alarmset *sets,
	size_t nsets, struct cw_err *err);
/* Points accounts' io at cli: STS clients, and an environment's keys
 * over the command's. */
void cw_cli_accounts(struct cw_cli *cli, struct cw_alarmaccounts *accounts);
/*
 * getopt_long() over the command's options, handling the common ones
 * and bad ones. Returns the next option for the command, -1 after the
 * last, or CW_CLI_DONE when the command should end with cli->status:
 * after --version or --list-regions, or with err filled (and
 * cli->show_usage set for an unknown option).
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
/* Whether to colour fd: cw_term_color() with --no-color. */
int cw_cli_color(const struct cw_cli *cli, int fd);
/*
 * An empty answer said, so that nothing printed is not taken for a hang
 * or a fault: "prog: msg" on errfp when fd, where the answer would have
 * gone, is a terminal; a pipe stays empty. The texts of the suite's
 * empty answers are below, in one place.
 */
void cw_cli_empty(const struct cw_cli *cli, int fd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "no log group" (whose name starts with prefix, when not NULL). */
void cw_cli_no_groups(const struct cw_cli *cli, int fd, const char *prefix);
/* "no event in the last 10m", "no event since T", "no event from T to
 * U": the window as ev's --since and --until gave it ("no matching
 * event" with a pattern). */
void cw_cli_no_events(const struct cw_cli *cli, int fd,
	const struct cw_cli_events *ev);
/* Prints "prog: msg" on errfp. */
void cw_cli_error(const struct cw_cli *cli, const struct cw_err *err);
void cw_cli_release(struct cw_cli *cli);

#endif
