#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "endpoint.h"
#include "near.h"
#include "term.h"
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
	cli->fail_status = CW_EXIT_ERROR;
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

/* What --region takes, one a line: for shell completion. */
static void list_regions(FILE *fp)
{
	const char *r;
	size_t i;

	for (i = 0; (r = cw_region_at(i)); i++)
		fprintf(fp, "%s\n", r);
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
	case CW_OPT_LIST_REGIONS:
		list_regions(cli->outfp);
		return 1;
	default:
		return 0;
	}
}

static int load_profile(struct cw_cli *cli, struct cw_err *err)
{
	if (cli->profile_loaded)
		return 0;
	if (cw_profile_load(&cli->profile, &cli->ctx, cli->profile_name,
			err) < 0)
		return -1;
	cli->profile_loaded = 1;
	return 0;
}

const char *cw_cli_region(struct cw_cli *cli, struct cw_err *err)
{
	if (load_profile(cli, err) < 0)
		return NULL;
	if (!cli->region[0] && cw_endpoint_region(&cli->ctx, &cli->profile,
			cli->region_flag, cli->region, sizeof(cli->region),
			err) < 0)
		return NULL;
	return cli->region;
}

/* The handle and the credentials, made once: STS is asked in the region
 * of the first client. */
static int setup(struct cw_cli *cli, const char *region, struct cw_err *err)
{
	struct cw_creds_opts co = { .profile = NULL };

	if (load_profile(cli, err) < 0)
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
		co.region = region;
		co.files = &cli->profile;
		cli->creds = cw_creds_provider_new(&cli->ctx, cli->http, &co, err);
		if (!cli->creds)
			return -1;
	}
	return 0;
}

int cw_cli_client(struct cw_cli *cli, const struct cw_service *svc,
	const char *region, struct cw_client *out, struct cw_err *err)
{
	memset(out, 0, sizeof(*out));
	if ((!region || !*region) && !(region = cw_cli_region(cli, err)))
		return -1;
	/* a misspelt region fails here with the one meant, not later as a
	 * host that does not resolve */
	if (cw_region_check(region, err) < 0 || setup(cli, region, err) < 0)
		return -1;
	out->ctx = &cli->ctx;
	out->http = cli->http;
	out->keys = cw_creds_source(cli->creds);
	snprintf(out->region, sizeof(out->region), "%s", region);
	snprintf(out->service, sizeof(out->service), "%s", svc->signing_name);
	return cw_endpoint_url(&cli->ctx, &cli->profile, svc,
		cli->endpoint_flag, region, out->endpoint,
		sizeof(out->endpoint), err);
}

static int region_job(struct cw_cli *cli, const struct cw_service *svc,
	const char *region, struct cw_region_job *j, struct cw_err *err)
{
	snprintf(j->region, sizeof(j->region), "%s", region);
	/* the first call sets up the profile, keys and cli's handle */
	if (cw_cli_client(cli, svc, region, &j->client, err) < 0)
		return -1;
	/* libcurl handles are not shared between threads */
	if (!(j->client.http = cw_http_new(&cli->ctx, &cli->http_opts, err)))
		return -1;
	return 0;
}

int cw_cli_regions(struct cw_cli *cli, const struct cw_service *svc,
	const char *const *regions, size_t n, struct cw_region_job *jobs,
	struct cw_err *err)
{
	size_t i;

	memset(jobs, 0, n * sizeof(*jobs));
	if (n > CW_REGION_MAX)
		return cw_err_set(err, "too many regions: at most %d",
			CW_REGION_MAX);
	for (i = 0; i < n; i++)
		if (region_job(cli, svc, regions[i], &jobs[i], err) < 0)
			return -1;
	return cw_cli_regions_refresh(cli, jobs, n, err);
}

int cw_cli_regions_refresh(struct cw_cli *cli, struct cw_region_job *jobs,
	size_t n, struct cw_err *err)
{
	const struct cw_keys *keys;
	size_t i;

	/* the provider is not for threads: keys are fetched here, once */
	if (cw_creds_get(cli->creds, &keys, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		jobs[i].client.fixed = keys;
	return 0;
}

/* The clients of every environment run at once share the command's
 * setup (its region, handle and keys), made on first use, and their
 * providers: one lock for the lists and the setup, one for the keys. */
static pthread_mutex_t clients_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t keys_lock = PTHREAD_MUTEX_INITIALIZER;

void cw_cli_clients_init(struct cw_cli_clients *cs, struct cw_cli *cli)
{
	cs->cli = cli;
}

/* The keys of the clients: the provider refreshes them in place (a
 * role's through the command's handle), so one thread at a time asks
 * for them. */
static int locked_keys(void *arg, const struct cw_keys **out,
	struct cw_err *err)
{
	struct cw_cli_clients *cs = arg;
	int rc;

	pthread_mutex_lock(&keys_lock);
	rc = cw_creds_get(cs->creds ? cs->creds : cs->cli->creds, out, err);
	pthread_mutex_unlock(&keys_lock);
	return rc;
}

/* A new client for the calling thread, with its own HTTP handle. */
static struct cw_client *new_client(struct cw_cli_clients *cs,
	const struct cw_service *svc, const char *region, struct cw_err *err)
{
	struct cw_client *c = &cs->v[cs->n].c;

	if (cw_cli_client(cs->cli, svc, region, c, err) < 0)
		return NULL;
	if (!(c->http = cw_http_new(&cs->cli->ctx, &cs->cli->http_opts, err))) {
		cw_client_release(c);
		return NULL;
	}
	c->keys = (struct cw_keys_source){ locked_keys, cs };
	cs->v[cs->n].svc = svc;
	cs->v[cs->n].thread = pthread_self();
	/* the client's region: "" was the default, now known */
	memcpy(cs->v[cs->n].region, c->region, sizeof(cs->v[cs->n].region));
	cs->n++;
	return c;
}

struct cw_client *cw_cli_clients_get(struct cw_cli_clients *cs,
	const struct cw_service *svc, const char *region, struct cw_err *err)
{
	struct cw_client *c = NULL;
	size_t i;

	pthread_mutex_lock(&clients_lock);
	if (!region || !*region)
		region = cs->default_region;
	if (!*region && !(region = cw_cli_region(cs->cli, err)))
		goto out;
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].svc == svc && strcmp(cs->v[i].region, region) == 0
				&& pthread_equal(cs->v[i].thread,
					pthread_self())) {
			c = &cs->v[i].c;
			goto out;
		}
	if (cs->n == CW_CLI_MAX_CLIENTS)
		cw_err_set(err, "more than %d clients", CW_CLI_MAX_CLIENTS);
	else
		c = new_client(cs, svc, region, err);
out:
	pthread_mutex_unlock(&clients_lock);
	return c;
}

static int accounts_sts(void *arg, const char *region, struct cw_client *out,
	struct cw_err *err)
{
	return cw_cli_client(arg, &cw_service_sts, region, out, err);
}

static struct cw_creds_provider *accounts_creds(void *arg,
	struct cw_creds_opts *o, struct cw_err *err)
{
	struct cw_cli *cli = arg;

	o->files = &cli->profile;
	o->base = cli->creds;
	return cw_creds_provider_new(&cli->ctx, cli->http, o, err);
}

void cw_cli_accounts(struct cw_cli *cli, struct cw_alarmaccounts *accounts)
{
	accounts->io.sts = accounts_sts;
	accounts->io.creds = accounts_creds;
	accounts->io.arg = cli;
}

void cw_cli_clients_release(struct cw_cli_clients *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		cw_http_free(cs->v[i].c.http);
		cs->v[i].c.http = NULL;
		cw_client_release(&cs->v[i].c);
	}
	cs->n = 0;
}

int cw_cli_fill_regions(struct cw_cli_clients *cs, struct cw_alarmset *sets,
	size_t nsets, struct cw_err *err)
{
	const char *some = NULL, *def;
	size_t i, j, missing = 0;

	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].nitems; j++) {
			if (!*sets[i].items[j].region)
				missing++;
			else if (!some)
				some = sets[i].items[j].region;
		}
	if (!missing && some && !cs->cli->region_flag) {
		snprintf(cs->default_region, sizeof(cs->default_region), "%s",
			some);
		return 0;
	}
	pthread_mutex_lock(&clients_lock);
	def = cw_cli_region(cs->cli, err);
	pthread_mutex_unlock(&clients_lock);
	if (!def)
		return -1;
	snprintf(cs->default_region, sizeof(cs->default_region), "%s", def);
	for (i = 0; i < nsets; i++)
		for (j = 0; j < sets[i].nitems; j++)
			if (!*sets[i].items[j].region)
				sets[i].items[j].region = cs->default_region;
	return 0;
}

/* getopt's own message would begin with argv[0], a path. */
static void bad_option(const char *arg, const char *optstring,
	const struct option *longopts, struct cw_err *err)
{
	const char *name = arg + 2, *eq;
	struct cw_near near;
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
	cw_near_init(&near, name, n);
	for (; longopts->name; longopts++) {
		if (strlen(longopts->name) == n
				&& strncmp(longopts->name, name, n) == 0)
			break;
		cw_near_try(&near, longopts->name);
	}
	if (longopts->name)
		cw_err_set(err, "option --%.*s: %s", (int)n, name,
			longopts->has_arg == no_argument ? "takes no argument"
			: "needs an argument");
	else if (near.best)
		cw_err_set(err, "option --%.*s: unknown: did you mean --%s?",
			(int)n, name, near.best);
	else
		cw_err_set(err, "option --%.*s: unknown", (int)n, name);
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
			if (c == CW_OPT_VERSION || c == CW_OPT_LIST_REGIONS) {
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

int cw_cli_color(const struct cw_cli *cli, int fd)
{
	return cw_term_color(&cli->ctx, fd, cli->no_color);
}

void cw_cli_empty(const struct cw_cli *cli, int fd, const char *fmt, ...)
{
	va_list ap;

	if (!isatty(fd))
		return;
	fprintf(cli->errfp, "%s: ", cli->prog);
	va_start(ap, fmt);
	vfprintf(cli->errfp, fmt, ap);
	va_end(ap);
	fputc('\n', cli->errfp);
}

void cw_cli_no_groups(const struct cw_cli *cli, int fd, const char *prefix)
{
	if (prefix && *prefix)
		cw_cli_empty(cli, fd, "no log group whose name starts with %s",
			prefix);
	else
		cw_cli_empty(cli, fd, "no log group");
}

/* An age such as 10m, as cw_timespec_parse takes it. */
static int is_age(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[n] && strchr("smhdw", s[n]) && !s[n + 1];
}

void cw_cli_no_events(const struct cw_cli *cli, int fd,
	const struct cw_cli_events *ev)
{
	const char *since = ev->since ? ev->since : "10m";
	const char *what = ev->filter.pattern ? "matching event" : "event";

	if (ev->until)
		cw_cli_empty(cli, fd, "no %s from %s to %s", what, since,
			ev->until);
	else if (is_age(since))
		cw_cli_empty(cli, fd, "no %s in the last %s", what, since);
	else
		cw_cli_empty(cli, fd, "no %s since %s", what, since);
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
