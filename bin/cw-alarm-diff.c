/*
 * cw-alarm-diff: compare alarm definition sets (man cw-alarms.5) with
 * the alarms of an account, or a saved describe-alarms file, and print
 * the plan; or write definitions from live alarms.
 */
#include <errno.h>
#include <getopt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions.h"
#include "alarmaccount.h"
#include "alarmapply.h"
#include "alarmdef.h"
#include "alarmdiff.h"
#include "alarms.h"
#include "awsjson.h"
#include "cancel.h"
#include "cli.h"
#include "envs.h"
#include "exitcodes.h"
#include "json.h"
#include "pool.h"
#include "vis.h"
#include "cmd.h"
#include "banned.h"

/* SIGINT or SIGTERM came (the library's flag). */
/* -1 with err set once SIGINT came: checked between requests. */
static int stop(struct cw_err *err)
{
	return cmd_interrupted() ? cw_cancel_err(err) : 0;
}

/* --offline files: one a region is the most a stack needs. */
#define MAX_OFFLINE 32

struct diff {
	struct cw_cli cli;
	struct envs envs;
	const char *export_prefix, *test_filters;
	const char *offline[MAX_OFFLINE];	/* --offline FILE, each */
	size_t noffline;
	int json, detailed, check, prune;
	int list_envs;		/* --list-environments */
	struct cw_alarmaccounts accounts;
};

/* One environment's run, on a thread of its own beside the others. */
struct diff_env {
	struct diff *d;
	const char *name;
	FILE *out, *err;	/* its stdout and stderr */
	struct cw_alarmset *sets;
	size_t nsets;
	struct cw_alarmdiff_live live;
	struct cw_alarmdiff_plan plan;
	struct cw_alarmdef_errors errs;
	atomic_int describe_calls;	/* counted by the regions' threads */
	atomic_int action_calls;
	struct cw_cli_clients clients;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: cw-alarm-diff [-e ENV]... [--all-environments] "
		"[-o text|json]\n"
		"                     [--offline FILE]... [--prune] "
		"[--detailed-exitcode]\n"
		"                     " CW_CLI_USAGE_COMMON " PATH...\n"
		"       cw-alarm-diff --export PREFIX [--offline FILE] "
		CW_CLI_USAGE_COMMON "\n"
		"       cw-alarm-diff --test-filters LOGFILE [-e ENV] PATH...\n"
		"       cw-alarm-diff --check-metrics|--check-actions|--check "
		"[-e ENV]\n"
		"                     " CW_CLI_USAGE_COMMON " PATH...\n"
		CW_CLI_USAGE_COMMON_LIST);
}

enum { OPT_OFFLINE = 0x200, OPT_EXPORT, OPT_DETAILED, OPT_TEST_FILTERS,
	OPT_CHECK_METRICS, OPT_CHECK_ACTIONS, OPT_CHECK, OPT_ALL_ENVS,
	OPT_PRUNE, OPT_LIST_ENVS };

/* What --check-metrics, --check-actions and --check ask for. */
enum { CHECK_METRICS = 1, CHECK_ACTIONS = 2 };

static const struct option options[] = {
	{ "env", required_argument, NULL, 'e' },
	{ "all-environments", no_argument, NULL, OPT_ALL_ENVS },
	{ "output", required_argument, NULL, 'o' },
	{ "offline", required_argument, NULL, OPT_OFFLINE },
	{ "export", required_argument, NULL, OPT_EXPORT },
	{ "detailed-exitcode", no_argument, NULL, OPT_DETAILED },
	{ "test-filters", required_argument, NULL, OPT_TEST_FILTERS },
	{ "check-metrics", no_argument, NULL, OPT_CHECK_METRICS },
	{ "check-actions", no_argument, NULL, OPT_CHECK_ACTIONS },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "prune", no_argument, NULL, OPT_PRUNE },
	{ "list-environments", no_argument, NULL, OPT_LIST_ENVS },
	CW_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 }
};

/* -1 to go on, else the exit status. */
static int option(void *self, int c, const char *arg, struct cw_err *err)
{
	struct diff *d = self;

	switch (c) {
	case 'e': return envs_add(&d->envs, arg, err);
	case OPT_ALL_ENVS: d->envs.all = 1; return 0;
	case 'o':
		if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
			return cw_err_set(err, "output format '%.32s': expected "
				"text or json", arg);
		d->json = strcmp(arg, "json") == 0;
		return 0;
	case OPT_OFFLINE:
		if (d->noffline == MAX_OFFLINE)
			return cw_err_set(err, "--offline: at most %d files",
				MAX_OFFLINE);
		d->offline[d->noffline++] = arg;
		return 0;
	case OPT_EXPORT: d->export_prefix = arg; return 0;
	case OPT_DETAILED:
		d->detailed = 1;
		d->cli.fail_status = 1;
		return 0;
	case OPT_TEST_FILTERS: d->test_filters = arg; return 0;
	case OPT_CHECK_METRICS: d->check |= CHECK_METRICS; return 0;
	case OPT_CHECK_ACTIONS: d->check |= CHECK_ACTIONS; return 0;
	case OPT_CHECK: d->check |= CHECK_METRICS | CHECK_ACTIONS; return 0;
	case OPT_PRUNE: d->prune = 1; return 0;
	case OPT_LIST_ENVS: d->list_envs = 1; return 0;
	default: d->cli.show_usage = 1; return -1;
	}
}

static int operands(void *self, int argc, char **argv, struct cw_err *err)
{
	struct diff *d = self;

	(void)argv;
	(void)err;
	if (d->list_envs)
		return 0;
	if (d->export_prefix ? argc != 0 : argc < 1) {
		d->cli.show_usage = 1;
		return -1;
	}
	return envs_check(&d->envs, err);
}

/* ---- reading the account */

static struct cw_client *io_client(void *arg, const struct cw_service *svc,
	const char *region, struct cw_err *err)
{
	struct diff_env *x = arg;

	return cw_cli_clients_get(&x->clients, svc, region, err);
}

/* No quota to keep to: counts DescribeAlarms calls, stops on a signal. */
static int io_pace(void *arg, const char *op, struct cw_err *err)
{
	struct diff_env *x = arg;

	if (strcmp(op, "DescribeAlarms") == 0)
		x->describe_calls++;
	return stop(err);
}

static int read_account(struct diff_env *x, struct cw_err *err)
{
	struct cw_alarmapply_io io = { io_client, io_pace, x };

	if (cw_cli_fill_regions(&x->clients, x->sets, x->nsets, err) < 0)
		return -1;
	return cw_alarmapply_read(&x->live, x->sets, x->nsets, &io, err);
}

static int read_offline_file(struct diff_env *x, const char *path,
	struct cw_err *err)
{
	struct cw_jsonpos pos = { 0 };
	cJSON *doc = cw_jsonpos_load(&pos, path, err), *f;
	const cJSON *list;
	int rc = -1;

	if (!doc)
		goto out;
	if (!cJSON_IsObject(doc)) {
		cw_err_set(err, "%s: expected the object describe-alarms prints",
			path);
		goto out;
	}
	if (cw_alarmdiff_live_add_file(&x->live, doc) < 0) {
		cw_err_set(err, "out of memory");
		goto out;
	}
	list = cJSON_GetObjectItemCaseSensitive(doc, "MetricFilters");
	if (!list)
		list = cJSON_GetObjectItemCaseSensitive(doc, "metricFilters");
	cJSON_ArrayForEach(f, list) {
		cJSON *copy = cJSON_Duplicate(f, 1);

		cJSON_AddStringToObject(copy, "__region", "");
		cJSON_AddItemToArray(x->live.filters, copy);
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	cw_jsonpos_release(&pos);
	return rc;
}

static int read_offline(struct diff_env *x, struct cw_err *err)
{
	size_t i;

	for (i = 0; i < x->d->noffline; i++)
		if (read_offline_file(x, x->d->offline[i], err) < 0)
			return -1;
	return 0;
}

/* Offline, the regions no file covers are not planned: say which. */
static int note_uncovered(struct diff_env *x, struct cw_err *err)
{
	cJSON *r = cw_alarmdiff_uncovered(x->sets, x->nsets, &x->live);
	const cJSON *e;

	if (!r)
		return cw_err_set(err, "out of memory");
	if (r->child) {
		fprintf(x->err, "%s: --offline: no file covers", x->d->cli.prog);
		cJSON_ArrayForEach(e, r)
			fprintf(x->err, "%s %s", e == r->child ? "" : ",",
				e->valuestring);
		fprintf(x->err, ": the alarms there are not planned\n");
	}
	cJSON_Delete(r);
	return 0;
}

/* ---- what the plan needs besides the comparison */

static int live_has(const struct diff_env *x, const char *name,
	const char *region)
{
	const cJSON *lists[2] = { x->live.metric, x->live.composite }, *a;
	const char *n, *r;
	int i;

	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(a, lists[i]) {
			n = cw_awsjson_str(a, "AlarmName");
			r = cw_awsjson_str(a, "__region");
			if (n && strcmp(n, name) == 0 && (!r || !*r || !*region
					|| strcmp(r, region) == 0))
				return 1;
		}
	return 0;
}

/* Composite rules may name alarms the set does not define: they must
 * exist in the account. */
static void check_external(struct diff_env *x)
{
	const cJSON *e, *rule;
	const struct cw_alarmdef_item *it;
	char label[320];
	size_t i;

	for (i = 0; i < x->nsets; i++)
		cJSON_ArrayForEach(e, x->sets[i].external) {
			const char *name = cw_awsjson_str(e, "name");

			it = &x->sets[i].items[cw_awsjson_count(e, "item",
				(int64_t)x->sets[i].nitems - 1, 0)];
			if (!name || live_has(x, name, it->region))
				continue;
			rule = cJSON_GetObjectItemCaseSensitive(it->def,
				"AlarmRule");
			snprintf(label, sizeof(label), "composite alarm \"%.255s\"",
				it->name);
			cw_alarmdef_error(&x->errs, &x->sets[i], rule, label,
				"AlarmRule", "alarm \"%.255s\" is neither defined "
				"nor in the account", name);
		}
}

static int owned(const cJSON *tags, const struct cw_alarmset *set)
{
	const char *o = cw_alarms_tag(tags, CW_ALARMDEF_OWNER_KEY);
	const char *s = cw_alarms_tag(tags, CW_ALARMDEF_SET_KEY);

	return o && s && strcmp(o, CW_ALARMDEF_OWNER_VALUE) == 0
		&& strcmp(s, set->name) == 0;
}

/* The tags of the alarms in the plan, as cw-alarm-apply reads them:
 * orphans carrying the set's ownership tags become deletions, defined
 * alarms show their tag changes. Offline, tags come from a "Tags"
 * member when the saved file has one. */
static int read_tags(struct diff_env *x, cJSON **tags, struct cw_err *err)
{
	struct cw_alarmapply_io io = { io_client, io_pace, x };
	size_t i, untagged = 0;

	if (!x->d->noffline)
		return cw_alarmapply_tags(&x->plan, &io, tags, err);
	for (i = 0; i < x->plan.n; i++) {
		if (!x->plan.v[i].live)
			continue;
		tags[i] = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(
			x->plan.v[i].live, "Tags"), 1);
		untagged += !tags[i] && x->plan.v[i].action
			== CW_ALARMDIFF_ORPHAN;
	}
	if (untagged)
		fprintf(x->err, "%s: --offline: %zu alarm%s under the prefixes "
			"no definition names, without Tags in the file: whether "
			"to delete %s cannot be judged offline\n", x->d->cli.prog,
			untagged, untagged == 1 ? "" : "s",
			untagged == 1 ? "it" : "them");
	return 0;
}

static int compare_tags(struct diff_env *x, struct cw_err *err)
{
	cJSON **tags = calloc(x->plan.n ? x->plan.n : 1, sizeof(*tags));
	struct cw_alarmdiff_entry *e;
	size_t i;
	int rc = tags ? read_tags(x, tags, err)
		: cw_err_set(err, "out of memory");

	for (i = 0; rc == 0 && i < x->plan.n; i++) {
		e = &x->plan.v[i];
		if (e->action == CW_ALARMDIFF_ORPHAN && owned(tags[i], e->set))
			e->action = CW_ALARMDIFF_DELETE;
		else if (tags[i] && cw_alarmdiff_tags(e, tags[i]) < 0)
			rc = cw_err_set(err, "out of memory");
	}
	for (i = 0; tags && i < x->plan.n; i++)
		cJSON_Delete(tags[i]);
	free(tags);
	return rc;
}

/* ---- --export */

static int export_page(void *arg, const cJSON *page, struct cw_err *err)
{
	cJSON *doc = arg, *x;
	const cJSON *a;
	static const char *const lists[2][2] = {
		{ "MetricAlarms", "Alarms" },
		{ "CompositeAlarms", "CompositeAlarms" } };
	int i;

	if (stop(err) < 0)
		return -1;
	for (i = 0; i < 2; i++)
		cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(page,
				lists[i][0])) {
			if (!(x = cw_alarmdiff_export((enum cw_alarmdef_kind)i,
					a)))
				return cw_err_set(err, "out of memory");
			cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc,
				lists[i][1]), x);
		}
	return 0;
}

static int export(struct diff *d, struct cw_err *err)
{
	cJSON *doc = cJSON_CreateObject(), *all = NULL;
	struct cw_client c;
	struct cw_jsonpos pos = { 0 };
	struct cw_buf s = CW_BUF_INIT;
	const char *p = d->export_prefix;
	int rc = -1;

	if (!doc || !cJSON_AddArrayToObject(doc, "Alarms")
			|| !cJSON_AddArrayToObject(doc, "CompositeAlarms"))
		goto out;
	if (d->noffline > 1) {
		cw_err_set(err, "--export reads one --offline file");
		goto out;
	}
	if (d->noffline) {
		if (!(all = cw_jsonpos_load(&pos, d->offline[0], err)))
			goto out;
		rc = export_page(doc, all, err);
	} else {
		if (cw_cli_client(&d->cli, &cw_service_monitoring, NULL, &c,
				err) < 0)
			goto out;
		rc = cw_alarms_pages(&c, &(struct cw_alarms_query){ .prefix = p },
			export_page, doc, err);
		cw_client_release(&c);
	}
	if (rc == 0 && d->noffline) {	/* the prefix applies to a file too */
		cJSON *lists[2] = { cJSON_GetObjectItemCaseSensitive(doc,
			"Alarms"), cJSON_GetObjectItemCaseSensitive(doc,
			"CompositeAlarms") };
		int i, j;

		for (i = 0; i < 2; i++)
			for (j = cJSON_GetArraySize(lists[i]) - 1; j >= 0; j--) {
				const char *n = cw_awsjson_str(cJSON_GetArrayItem(
					lists[i], j), "AlarmName");

				if (!n || strncmp(n, p, strlen(p)) != 0)
					cJSON_DeleteItemFromArray(lists[i], j);
			}
	}
	if (rc == 0 && cw_json_print(&s, doc, 1) == 0)
		printf("%s\n", cw_buf_str(&s));
	else if (rc == 0)
		rc = cw_err_set(err, "out of memory");
out:
	if (rc < 0 && !err->msg[0])
		cw_err_set(err, "out of memory");
	cw_buf_release(&s);
	cJSON_Delete(doc);
	cJSON_Delete(all);
	cw_jsonpos_release(&pos);
	return rc;
}

/* ---- --test-filters */

/* Names and values from definitions and answers, escaped. */
static void put_text(FILE *fp, const char *s)
{
	cw_vis_put_plan(fp, s ? s : "(null)", s ? strlen(s) : 6);
}

#define LINE_MAX_BYTES ((size_t)256 << 10)	/* a log event's limit */

struct field_list {
	struct cw_buf text;	/* "name=value, ..." for printing */
	cJSON *map;		/* name -> value, for $references */
};

static int add_field(void *arg, const char *name, const char *v, size_t n,
	int json)
{
	struct field_list *f = arg;
	char *val;

	/* A JSON string's value is between its quotes. */
	if (json && n >= 2 && v[0] == '"' && v[n - 1] == '"')
		v++, n -= 2;
	if (!(val = strndup(v, n)))
		return -1;
	cJSON_AddStringToObject(f->map, name, val);
	free(val);
	if (f->text.len && cw_buf_adds(&f->text, ", ") < 0)
		return -1;
	return cw_buf_addf(&f->text, "%s=", name) < 0
		|| cw_buf_add(&f->text, v, n) < 0 ? -1 : 0;
}

/* "$.a.b" in a JSON line the pattern did not select: added to map. */
static void json_path(const char *spec, const char *line, size_t n,
	cJSON *map)
{
	cJSON *doc = cJSON_ParseWithLength(line, n);
	const cJSON *v = doc;
	char *path = strdup(spec + 2), *p, *dot;
	char *text;

	for (p = path; p && v && *p; p = dot ? dot + 1 : p + strlen(p)) {
		if ((dot = strchr(p, '.')))
			*dot = '\0';
		v = cJSON_GetObjectItemCaseSensitive(v, p);
	}
	if (v && cJSON_IsString(v))
		cJSON_AddStringToObject(map, spec, v->valuestring);
	else if (v && !cJSON_IsObject(v) && !cJSON_IsArray(v)
			&& (text = cJSON_PrintUnformatted(v))) {
		cJSON_AddStringToObject(map, spec, text);
		cJSON_free(text);
	}
	free(path);
	cJSON_Delete(doc);
}

/* A transformation value: a literal, or "$name" / "$.path" from the
 * line. NULL when the line does not have it. */
static const char *xform_value(const char *spec, cJSON *map,
	const char *line, size_t n)
{
	if (!spec || spec[0] != '$')
		return spec;
	if (!cw_awsjson_str(map, spec) && strncmp(spec, "$.", 2) == 0)
		json_path(spec, line, n, map);
	return cw_awsjson_str(map, spec);
}

static void put_metric(FILE *fp, const cJSON *t, const struct field_list *f,
	const char *line, size_t n)
{
	const char *v = xform_value(cw_awsjson_str(t, "metricValue"), f->map,
		line, n);
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(t, "dimensions"), *d;
	char *end;

	fputs("      ", fp);
	put_text(fp, cw_awsjson_str(t, "metricNamespace"));
	fputc('/', fp);
	put_text(fp, cw_awsjson_str(t, "metricName"));
	fputc(' ', fp);
	if (!v || (strtod(v, &end), !*v || *end)) {
		fprintf(fp, "(no number: %s)", v ? "not numeric" : "no such field");
	} else
		put_text(fp, v);
	cJSON_ArrayForEach(d, dims) {
		const char *dv = cJSON_IsString(d) ? xform_value(d->valuestring,
			f->map, line, n) : NULL;

		fputc(' ', fp);
		put_text(fp, d->string);
		fputc('=', fp);
		put_text(fp, dv ? dv : "?");
	}
	if (f->text.len) {
		fputs("  [", fp);
		cw_vis_put_plan(fp, f->text.p, f->text.len);
		fputc(']', fp);
	}
	fputc('\n', fp);
}

/* Runs one filter over every line of the file. */
static int test_filter(FILE *fp, const struct cw_alarmdef_item *it,
	FILE *in, long *matched, struct cw_err *err)
{
	const char *pat = cw_awsjson_str(it->def, "filterPattern");
	const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
		it->def, "metricTransformations"), 0);
	struct cw_pattern *p = cw_pattern_compile(pat, strlen(pat), NULL, err);
	struct field_list f = { CW_BUF_INIT, NULL };
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long no = 0, hits = 0, undecided = 0;
	int r;

	if (!p)
		return -1;
	fputs("metric filter ", fp);
	put_text(fp, it->group);
	fputc(' ', fp);
	put_text(fp, it->name);
	fputs(":\n", fp);
	rewind(in);
	while (!cmd_interrupted() && (n = getline(&line, &cap, in)) >= 0) {
		no++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if ((size_t)n > LINE_MAX_BYTES)
			n = (ssize_t)LINE_MAX_BYTES;
		cw_buf_reset(&f.text);
		f.map = cJSON_CreateObject();
		r = cw_pattern_extract(p, line, (size_t)n, add_field, &f);
		if (r == 1) {
			hits++;
			fprintf(fp, "  %ld: ", no);
			cw_vis_put_plan(fp, line, (size_t)n);
			fputc('\n', fp);
			put_metric(fp, t, &f, line, (size_t)n);
		} else if (r < 0 && !undecided) {
			undecided = no;
		}
		cJSON_Delete(f.map);
	}
	fprintf(fp, "  %ld of %ld lines matched\n", hits, no);
	*matched += hits;
	free(line);
	cw_buf_release(&f.text);
	if (undecided && cw_pattern_error(p, err) == 0)
		cw_err_set(err, "the pattern's regular expression reached its "
			"match limit");
	cw_pattern_free(p);
	/* A line the pattern could not decide is neither a match nor not. */
	return undecided ? cw_err_wrap(err, "metric filter %s: line %ld",
		it->name, undecided) : 0;
}

/* 0 some line matched, 1 none did, -1 error. */
static int test_filters(struct diff_env *x, struct cw_err *err)
{
	const char *path = x->d->test_filters;
	FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	long matched = 0;
	size_t i, j;
	int rc = 0, any = 0;

	if (!in)
		return cw_err_set(err, "%s: %s", path, strerror(errno));
	for (i = 0; rc == 0 && i < x->nsets; i++)
		for (j = 0; rc == 0 && j < x->sets[i].nitems; j++)
			if (x->sets[i].items[j].kind == CW_ALARMDEF_FILTER) {
				any = 1;
				rc = test_filter(x->out, &x->sets[i].items[j], in,
					&matched, err);
			}
	if (in != stdin)
		fclose(in);
	if (rc == 0 && !any)
		rc = cw_err_set(err, "no metric filters in the sets");
	return rc < 0 ? -1 : matched == 0;
}

/* ---- --check-metrics */

/* "Name=Value, ..." of a Dimensions list, sorted, into b. */
static int dims_key(struct cw_buf *b, const cJSON *dims)
{
	cJSON *n, *tmp = cJSON_CreateObject();
	const cJSON *d;
	int rc = 0;

	cJSON_AddItemToObject(tmp, "MetricName", cJSON_CreateString("x"));
	cJSON_AddItemToObject(tmp, "Dimensions", cJSON_Duplicate(dims, 1));
	n = cw_alarmdiff_normalize(CW_ALARMDEF_METRIC, tmp);
	cJSON_Delete(tmp);
	cw_buf_reset(b);
	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(n, "Dimensions"))
		rc |= cw_buf_addf(b, "%s%s=%s", b->len ? ", " : "",
			cw_awsjson_str(d, "Name") ? cw_awsjson_str(d, "Name") : "",
			cw_awsjson_str(d, "Value") ? cw_awsjson_str(d, "Value")
			: "");
	if (!b->p)
		rc |= cw_buf_adds(b, "");
	cJSON_Delete(n);
	return rc ? -1 : 0;
}

/* How close a live dimension set is to the wanted one: shared pairs
 * first, then fewer extra dimensions. */
static int closeness(const cJSON *want, const cJSON *have)
{
	const cJSON *w, *h;
	int shared = 0, names = 0;

	cJSON_ArrayForEach(w, want)
		cJSON_ArrayForEach(h, have) {
			const char *wn = cw_awsjson_str(w, "Name");
			const char *hn = cw_awsjson_str(h, "Name");
			const char *wv = cw_awsjson_str(w, "Value");
			const char *hv = cw_awsjson_str(h, "Value");

			if (!wn || !hn || strcmp(wn, hn) != 0)
				continue;
			names++;
			if (wv && hv && strcmp(wv, hv) == 0)
				shared++;
		}
	return shared * 10000 + names * 100 - cJSON_GetArraySize(have);
}

static void put_nearest(FILE *fp, const cJSON *want, const cJSON *list)
{
	struct cw_buf key = CW_BUF_INIT;
	const cJSON *m, *best[3] = { NULL, NULL, NULL };
	int score[3] = { 0, 0, 0 }, s, i, j;

	cJSON_ArrayForEach(m, list) {
		s = closeness(want, cJSON_GetObjectItemCaseSensitive(m,
			"Dimensions"));
		for (i = 0; i < 3; i++)
			if (!best[i] || s > score[i]) {
				for (j = 2; j > i; j--) {
					best[j] = best[j - 1];
					score[j] = score[j - 1];
				}
				best[i] = m;
				score[i] = s;
				break;
			}
	}
	for (i = 0; i < 3 && best[i]; i++) {
		dims_key(&key, cJSON_GetObjectItemCaseSensitive(best[i],
			"Dimensions"));
		fprintf(fp, "    nearest: {");
		cw_vis_put_plan(fp, key.p, key.len);
		fprintf(fp, "}\n");
	}
	if (!best[0])
		fprintf(fp, "    no metric of this name in the namespace\n");
	cw_buf_release(&key);
}

/* The dimension keys of every metric of rec's "list", in its "keys":
 * made once, as every alarm on the metric name compares with all of
 * them. */
static int add_keys(cJSON *rec)
{
	cJSON *keys = cJSON_GetObjectItemCaseSensitive(rec, "keys");
	struct cw_buf k = CW_BUF_INIT;
	const cJSON *m;
	int rc = 0;

	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(rec, "list")) {
		if (rc < 0)
			break;
		if (dims_key(&k, cJSON_GetObjectItemCaseSensitive(m,
				"Dimensions")) < 0 || !cJSON_AddItemToArray(keys,
				cJSON_CreateString(cw_buf_str(&k))))
			rc = -1;
	}
	cw_buf_release(&k);
	return rc;
}

/* The key of (region, namespace, name) in the cache, into k. */
static const char *query_key(struct cw_buf *k, const char *region,
	const char *ns, const char *name)
{
	cw_buf_reset(k);
	cw_buf_addf(k, "%s\n%s\n%s", region, ns, name);
	return cw_buf_str(k);
}

/* The ListMetrics query of one metric an alarm reads, added to the
 * cache when new: {"region", "ns", "name", "list": [], "keys": []},
 * every member made here, so that the regions' threads only fill the
 * arrays. */
static int add_query(cJSON *cache, const char *region, const cJSON *metric)
{
	const char *ns = cw_awsjson_str(metric, "Namespace");
	const char *name = cw_awsjson_str(metric, "MetricName");
	struct cw_buf k = CW_BUF_INIT;
	cJSON *rec;
	int rc = 0;

	if (!ns || !name)
		return 0;
	query_key(&k, region, ns, name);
	if (!k.p)
		rc = -1;
	else if (!cJSON_GetObjectItemCaseSensitive(cache, k.p)
			&& (!(rec = cJSON_AddObjectToObject(cache, k.p))
			|| !cJSON_AddStringToObject(rec, "region", region)
			|| !cJSON_AddStringToObject(rec, "ns", ns)
			|| !cJSON_AddStringToObject(rec, "name", name)
			|| !cJSON_AddArrayToObject(rec, "list")
			|| !cJSON_AddArrayToObject(rec, "keys")))
		rc = -1;
	cw_buf_release(&k);
	return rc;
}

/* Every metric of every metric alarm, as queries in the cache. */
static int add_queries(struct diff_env *x, cJSON *cache)
{
	const struct cw_alarmdef_item *it;
	const cJSON *q;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < x->nsets; i++)
		for (j = 0; j < x->sets[i].nitems; j++) {
			it = &x->sets[i].items[j];
			if (it->kind != CW_ALARMDEF_METRIC)
				continue;
			rc |= add_query(cache, it->region, it->def);
			cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(
					it->def, "Metrics"))
				rc |= add_query(cache, it->region,
					cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(q,
					"MetricStat"), "Metric"));
		}
	return rc;
}

/* One region's ListMetrics calls, one a query, on a thread of its own. */
struct metric_region {
	struct diff_env *x;
	cJSON *cache;
	const char *region;
	int rc;
	struct cw_err err;
};

static void read_metrics_region(void *arg, size_t i)
{
	struct metric_region *m = (struct metric_region *)arg + i;
	struct cw_client *c = NULL;
	cJSON *rec;

	cw_err_clear(&m->err);
	m->rc = 0;
	cJSON_ArrayForEach(rec, m->cache) {
		if (strcmp(cw_awsjson_str(rec, "region"), m->region) != 0)
			continue;
		if (stop(&m->err) < 0 || (!c && !(c = cw_cli_clients_get(
				&m->x->clients, &cw_service_monitoring,
				m->region, &m->err)))
				|| cw_alarms_list_metrics(c,
				cw_awsjson_str(rec, "ns"),
				cw_awsjson_str(rec, "name"),
				cJSON_GetObjectItemCaseSensitive(rec, "list"),
				&m->err) < 0) {
			m->rc = -1;
			return;
		}
		if (add_keys(rec) < 0) {
			m->rc = cw_err_set(&m->err, "out of memory");
			return;
		}
	}
}

/* Every query of the cache answered, the regions at once; the first
 * region (in the cache's order) that failed fails the whole. */
static int read_metrics(struct diff_env *x, cJSON *cache, struct cw_err *err)
{
	size_t n = (size_t)cJSON_GetArraySize(cache), nr = 0, i;
	struct metric_region *m = calloc(n ? n : 1, sizeof(*m));
	const cJSON *rec;
	int rc = 0;

	if (!m)
		return cw_err_set(err, "out of memory");
	cJSON_ArrayForEach(rec, cache) {
		const char *r = cw_awsjson_str(rec, "region");

		for (i = 0; i < nr && strcmp(m[i].region, r) != 0; i++)
			;
		if (i == nr)
			m[nr++] = (struct metric_region){ x, cache, r, 0,
				{ "", "", 0, 0 } };
	}
	cw_pool_run(nr, CW_POOL_MAX, read_metrics_region, m);
	for (i = 0; i < nr && rc == 0; i++)
		if (m[i].rc < 0) {
			*err = m[i].err;
			rc = -1;
		}
	free(m);
	return rc;
}

/* One metric an alarm reads, its answer in the cache: 1 when it
 * exists, 0 not. */
static int check_metric(FILE *fp, const cJSON *cache,
	const struct cw_alarmdef_item *it, const cJSON *metric)
{
	const char *ns = cw_awsjson_str(metric, "Namespace");
	const char *name = cw_awsjson_str(metric, "MetricName");
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(metric,
		"Dimensions"), *rec, *m;
	struct cw_buf want = CW_BUF_INIT, k = CW_BUF_INIT;
	int found = 0;

	if (!ns || !name)
		return 1;
	rec = cJSON_GetObjectItemCaseSensitive(cache, query_key(&k,
		it->region, ns, name));
	cw_buf_release(&k);
	dims_key(&want, dims);
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(rec, "keys"))
		if (strcmp(cw_buf_str(&want), m->valuestring) == 0) {
			found = 1;
			break;
		}
	fprintf(fp, "%s alarm ", found ? "ok" : "missing");
	put_text(fp, it->name);
	fputs(": ", fp);
	put_text(fp, ns);
	fputc(' ', fp);
	put_text(fp, name);
	fputs(" {", fp);
	cw_vis_put_plan(fp, cw_buf_str(&want), want.len);
	fprintf(fp, "}%s\n", found ? "" : ": no metric has exactly these "
		"dimensions");
	if (!found)
		put_nearest(fp, dims, cJSON_GetObjectItemCaseSensitive(rec,
			"list"));
	cw_buf_release(&want);
	return found;
}

/* Every metric's line, in the alarms' order; the number missing. */
static int put_metrics(struct diff_env *x, const cJSON *cache)
{
	const struct cw_alarmdef_item *it;
	const cJSON *q;
	size_t i, j;
	int missing = 0;

	for (i = 0; i < x->nsets; i++)
		for (j = 0; j < x->sets[i].nitems; j++) {
			it = &x->sets[i].items[j];
			if (it->kind != CW_ALARMDEF_METRIC)
				continue;
			missing += !check_metric(x->out, cache, it, it->def);
			cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(
					it->def, "Metrics"))
				missing += !check_metric(x->out, cache, it,
					cJSON_GetObjectItemCaseSensitive(
					cJSON_GetObjectItemCaseSensitive(q,
					"MetricStat"), "Metric"));
		}
	return missing;
}

/* 0 every metric exists, 1 some do not, -1 error. */
static int check_metrics(struct diff_env *x, struct cw_err *err)
{
	cJSON *cache = cJSON_CreateObject();
	int rc = -1;

	if (!cache)
		return cw_err_set(err, "out of memory");
	if (cw_cli_fill_regions(&x->clients, x->sets, x->nsets, err) < 0)
		goto out;
	if (add_queries(x, cache) < 0) {
		cw_err_set(err, "out of memory");
		goto out;
	}
	if (read_metrics(x, cache, err) == 0)
		rc = put_metrics(x, cache) > 0;
out:
	cJSON_Delete(cache);
	return rc;
}

/* ---- --check-actions */

/* Counts the reads by operation, for --debug, and stops on a signal. */
static int actions_pace(void *arg, const char *op, struct cw_err *err)
{
	struct diff_env *x = arg;

	x->action_calls++;
	(void)op;
	return stop(err);
}

/* One line a problem: "alarm NAME (REGION): ARN: why". */
static void put_problem(FILE *fp, const cJSON *p)
{
	fputs("alarm ", fp);
	put_text(fp, cw_awsjson_str(p, "alarm"));
	fputs(" (", fp);
	put_text(fp, cw_awsjson_str(p, "region"));
	fputs("): ", fp);
	put_text(fp, cw_awsjson_str(p, "action"));
	fputs(": ", fp);
	put_text(fp, cw_awsjson_str(p, "why"));
	fputc('\n', fp);
}

/* 0 every action can deliver, 1 some cannot, -1 error. */
static int check_actions(struct diff_env *x, struct cw_err *err)
{
	struct cw_alarmapply_io io = { io_client, actions_pace, x };
	struct cw_actions a;
	const cJSON *p;
	int rc;

	if (cw_actions_init(&a) < 0)
		return cw_err_set(err, "out of memory");
	rc = cw_cli_fill_regions(&x->clients, x->sets, x->nsets, err);
	/* Offline, only what the ARNs themselves tell. */
	if (rc == 0)
		rc = cw_actions_check(&a, x->sets, x->nsets,
			x->d->noffline ? NULL : &io, err);
	if (rc == 0) {
		cJSON_ArrayForEach(p, a.problems)
			put_problem(x->out, p);
		rc = cJSON_GetArraySize(a.problems) > 0;
	}
	if (x->d->cli.debug)
		fprintf(x->err, "%s: debug: %d calls to check actions\n",
			x->d->cli.prog, atomic_load(&x->action_calls));
	cw_actions_release(&a);
	return rc;
}

/* --check-metrics and --check-actions: 1 when either found a problem. */
static int checks(struct diff_env *x, struct cw_err *err)
{
	int m = 0, a = 0, check = x->d->check;

	if ((check & CHECK_METRICS) && (m = check_metrics(x, err)) < 0)
		return -1;
	if ((check & CHECK_ACTIONS) && (a = check_actions(x, err)) < 0)
		return -1;
	return m || a;
}

/* ---- main */

static int load_sets(struct diff_env *x, int argc, char **argv,
	struct cw_err *err)
{
	return cw_alarmsets_load(&x->sets, &x->nsets, argv, (size_t)argc,
		x->name, &x->errs, err);
}

/* Before any other call: the keys lead to the account the sets name. */
static int check_account(struct diff_env *x, struct cw_err *err)
{
	struct cw_alarmaccount *acc;

	if (cw_alarmaccounts_check(&x->d->accounts, x->sets, x->nsets, &acc,
			err) < 0)
		return -1;
	x->clients.creds = acc ? acc->creds : NULL;
	return 0;
}

/* Prints the problems in the definitions; 1 when there were any. */
static int report_errors(struct diff_env *x)
{
	return cw_alarmdef_errors_report(&x->errs, x->d->cli.prog, x->err);
}

static int print_plan(struct diff_env *x, struct cw_err *err)
{
	struct cw_buf out = CW_BUF_INIT;
	int rc = x->d->json ? cw_alarmdiff_format_json(&x->plan, &out)
		: cw_alarmdiff_format_text(&x->plan, &out,
			cw_cli_color(&x->d->cli, STDOUT_FILENO));

	if (rc < 0)
		rc = cw_err_set(err, "out of memory");
	else if (fwrite(out.p, 1, out.len, x->out) != out.len)
		rc = cw_err_set(err, "stdout: write failed");
	cw_buf_release(&out);
	return rc;
}

/* The environment's state, its streams as they are now. */
static struct diff_env *env_of(struct envs_one *o)
{
	struct diff_env *x = o->state;

	x->out = o->out;
	x->err = o->err;
	return x;
}

/* Loads the sets and, before any other call, checks their account: on
 * the main thread, every environment's before any is read. */
static int guard(void *self, struct envs_one *o, int argc, char **argv,
	struct cw_err *err)
{
	struct diff *d = self;
	struct diff_env *x = env_of(o);

	x->d = d;
	x->name = o->name;
	cw_cli_clients_init(&x->clients, &d->cli);
	cw_buf_init(&x->errs.text, 0);
	if (load_sets(x, argc, argv, err) < 0)
		return -1;
	if (report_errors(x))
		return -2;
	return d->noffline || d->test_filters ? 0 : check_account(x, err);
}

/* 0 in sync, 1 differences, -1 error (err filled), -2 bad definitions. */
static int run(void *self, struct envs_one *o, struct cw_err *err)
{
	struct diff *d = self;
	struct diff_env *x = env_of(o);
	struct cw_alarmdiff_counts c;

	if (d->test_filters)
		return test_filters(x, err);
	if (d->check)
		return checks(x, err);
	if (cw_alarmdiff_live_init(&x->live) < 0)
		return cw_err_set(err, "out of memory");
	if ((d->noffline ? read_offline(x, err) : read_account(x, err)) < 0)
		return -1;
	if (d->noffline && note_uncovered(x, err) < 0)
		return -1;
	check_external(x);
	if (report_errors(x))
		return -2;
	if (cw_alarmdiff_plan(&x->plan, x->sets, x->nsets, &x->live) < 0)
		return cw_err_set(err, "out of memory");
	if (compare_tags(x, err) < 0)
		return -1;
	if (!d->prune)
		cw_alarmdiff_keep(&x->plan);
	if (print_plan(x, err) < 0)
		return -1;
	if (d->cli.debug)
		fprintf(x->err, "%s: debug: %d DescribeAlarms calls\n",
			d->cli.prog, atomic_load(&x->describe_calls));
	cw_alarmdiff_count(&x->plan, &c);
	return c.add + c.change + c.del > 0;
}

/* What one environment's run held. */
static void end_env(void *self, struct envs_one *o)
{
	struct diff_env *x = o->state;

	(void)self;
	cw_cli_clients_release(&x->clients);
	cw_alarmsets_release(x->sets, x->nsets);
	cw_alarmdiff_plan_release(&x->plan);
	cw_alarmdiff_live_release(&x->live);
	cw_alarmdef_errors_release(&x->errs);
}

/* The environments at once, each over the sets that have it: 1 when one
 * differs, -2 when one failed (reported), -1 with err. */
static int run_envs(struct diff *d, int argc, char **argv,
	struct cw_err *err)
{
	static const struct envs_ops ops = { sizeof(struct diff_env), guard,
		run, NULL, NULL, end_env };

	if (envs_resolve(&d->envs, argv, argc, err) < 0)
		return -1;
	if (d->envs.n > 1 && d->json)
		return cw_err_set(err, "-o json: one environment at a time");
	/* --test-filters - reads stdin once an environment */
	d->envs.one_at_a_time = d->test_filters != NULL;
	return envs_run(&d->envs, &d->cli, &ops, d, argc, argv, err);
}

static void release(void *self)
{
	struct diff *d = self;

	cw_alarmaccounts_release(&d->accounts);
	envs_release(&d->envs);
}

/* --list-environments [PATH...]: what -e takes, one a line, for shell
 * completion; PATH is a set or a folder of sets, ./alarms by default. */
static int list_environments(struct diff *d, int argc, char **argv,
	struct cw_err *err)
{
	char *def[] = { "alarms" }, **names = NULL;
	size_t i;
	int rc;

	if (!argc) {
		argv = def;
		argc = 1;
	}
	rc = cw_alarmdef_environments_any(argv, (size_t)argc, &names, err);
	for (i = 0; rc == 0 && names[i]; i++)
		fprintf(d->cli.outfp, "%s\n", names[i]);
	if (rc == 0 && !i)
		cw_cli_empty(&d->cli, STDOUT_FILENO, "no environment file "
			"(env/NAME.json) in the sets given");
	cw_alarmdef_names_free(names);
	return rc;
}

/* With --detailed-exitcode: 0 in sync, 2 differences, 1 an error. */
static int execute(void *self, int argc, char **argv, struct cw_err *err)
{
	struct diff *d = self;
	int rc;

	if (d->list_envs)
		return list_environments(d, argc, argv, err) < 0
			? CW_EXIT_ERROR : CW_EXIT_OK;
	if (d->export_prefix)
		rc = export(d, err) < 0 ? -1 : 0;
	else
		rc = run_envs(d, argc, argv, err);
	if (rc == -2)
		cw_err_clear(err);	/* the definitions' errors are printed */
	else if (rc == -1 && d->detailed)
		cw_cli_error(&d->cli, err);
	if (rc < 0)
		return d->detailed ? 1 : CW_EXIT_ERROR;
	if (rc == 1)
		return d->detailed ? 2 : CW_EXIT_NO;
	return CW_EXIT_OK;
}

static const struct cmd cmd = {
	"cw-alarm-diff", "he:o:", options, usage, option, operands, execute,
	release
};

int main(int argc, char **argv)
{
	static struct diff d;

	cw_cli_accounts(&d.cli, &d.accounts);
	return cmd_main(&cmd, &d.cli, &d, argc, argv);
}
