#ifndef CW_ALARMDEF_H
#define CW_ALARMDEF_H

#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "err.h"
#include "jsonpos.h"

/*
 * Alarm definition sets (man cw-alarms.5): a directory of JSON files
 * whose members are PutMetricAlarm / PutCompositeAlarm / PutMetricFilter
 * request members, with Defaults, ${var} substitution from
 * env/<environment>.json and the toolkit keys Environments and Region.
 * Loading validates everything against the API model's limits.
 */

enum cw_alarmdef_kind {
	CW_ALARMDEF_METRIC,
	CW_ALARMDEF_COMPOSITE,
	CW_ALARMDEF_FILTER
};

struct cw_alarmdef_item {
	enum cw_alarmdef_kind kind;
	const char *name;	/* AlarmName, or filterName */
	const char *group;	/* logGroupName of a filter, else NULL */
	const char *region;	/* "" when neither the item nor the env says */
	cJSON *def;		/* request members only; owned by the set */
};

struct cw_alarmset {
	char *dir;
	char *name;		/* "<basename of dir>/<environment>" */
	char *region;		/* the env file's Region, "" when none */
	/* The env file's account members, NULL when absent; they point into
	 * docs. */
	const char *account_id;	/* AccountId: 12 digits */
	const char *profile;	/* Profile: the keys of that profile */
	const char *role_arn;	/* RoleArn: assumed with the command's keys */
	const char *external_id;	/* ExternalId, with RoleArn */
	char **prefixes;
	size_t nprefixes;
	struct cw_alarmdef_item *items;
	size_t nitems, cap;
	cJSON *docs;		/* every parsed document, freed with the set */
	cJSON *spare;		/* detached toolkit keys, freed with the set */
	char **files;		/* names that positions point to */
	size_t nfiles;
	struct cw_jsonpos pos;
	/* Alarm names that composite rules name but the set does not
	 * define: they must exist in the account (checked by the diff). */
	cJSON *external;	/* [{"name","region","rule" node index}] */
};

/* Where problems in definitions are collected, one line each:
 * "file:line:col: alarm \"name\": field: why". */
struct cw_alarmdef_errors {
	struct cw_buf text;
	int count;
};

#define CW_ALARMDEF_MAX_ERRORS 100

/*
 * Loads the set in dir for environment env. Returns 0 when it loaded
 * with no problem, -1 when it did not: errs holds every problem found
 * (err only a failure that is not about one place, such as a missing
 * directory). Release the set either way.
 */
int cw_alarmset_load(struct cw_alarmset *set, const char *dir,
	const char *env, struct cw_alarmdef_errors *errs, struct cw_err *err);
/* The same from memory, for tests and fuzzing: one environment file
 * and one definition file (named mem/definitions.json). */
int cw_alarmset_load_mem(struct cw_alarmset *set, const char *env,
	const char *env_text, size_t env_len, const char *text, size_t len,
	struct cw_alarmdef_errors *errs, struct cw_err *err);
void cw_alarmset_release(struct cw_alarmset *set);

/* Adds one problem about node of item (or of the file when item is
 * NULL). */
void cw_alarmdef_error(struct cw_alarmdef_errors *errs,
	struct cw_alarmset *set, const cJSON *node, const char *item,
	const char *field, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Checks names across several loaded sets: the same alarm name in the
 * same region twice is an error. */
void cw_alarmset_check_unique(struct cw_alarmset *sets, size_t n,
	struct cw_alarmdef_errors *errs);

/* 1 when name starts with one of the set's prefixes. */
int cw_alarmset_owns_name(const struct cw_alarmset *set, const char *name);

/* The alarm names an AlarmRule refers to, as a cJSON array of strings
 * (ARNs reduced to names); NULL on allocation failure. */
cJSON *cw_alarmdef_rule_names(const char *rule);

void cw_alarmdef_errors_release(struct cw_alarmdef_errors *errs);

/*
 * Loads each of paths[0..n) as a set for env, then checks names across
 * them. *sets (freed with cw_alarmsets_release, also on error) gets the
 * sets loaded. Problems in the definitions go to errs; -1 with err only
 * for what stops loading.
 */
int cw_alarmsets_load(struct cw_alarmset **sets, size_t *nsets,
	char *const *paths, size_t n, const char *env,
	struct cw_alarmdef_errors *errs, struct cw_err *err);
void cw_alarmsets_release(struct cw_alarmset *sets, size_t n);

/* Writes the problems of errs to fp, then a count under prog's name; 1
 * when there were any, 0 when none. */
int cw_alarmdef_errors_report(const struct cw_alarmdef_errors *errs,
	const char *prog, FILE *fp);

/* The metric or composite alarm named name in sets, or NULL. */
const struct cw_alarmdef_item *cw_alarmsets_find(
	const struct cw_alarmset *sets, size_t n, const char *name);

/* The environments of the sets in paths[0..n): the names of their
 * env/NAME.json, each once, sorted, in *names (NULL-terminated; free with
 * cw_alarmdef_names_free, also on error). None at all is an error. */
int cw_alarmdef_environments(char *const *paths, size_t n, char ***names,
	struct cw_err *err);
/* The same for paths that are sets or folders of sets (each folder
 * directly under one that has an env/), for listings: none is no error. */
int cw_alarmdef_environments_any(char *const *paths, size_t n,
	char ***names, struct cw_err *err);
/* 1 when the set in path has an environment file for env. */
int cw_alarmdef_has_environment(const char *path, const char *env);
void cw_alarmdef_names_free(char **names);
/* The paths of paths[0..n) to load for env into out (room for n): all of
 * them, or with only_having those that have env. Returns their count. */
int cw_alarmdef_paths_with(char *const *paths, int n, const char *env,
	int only_having, char **out);

/* The ownership tags every managed alarm carries (DESIGN §6). */
#define CW_ALARMDEF_OWNER_KEY "ManagedBy"
#define CW_ALARMDEF_OWNER_VALUE "cwkit"
#define CW_ALARMDEF_SET_KEY "cwkit:set"

/* The Put request for an item: its members, and for alarms the
 * ownership tags added to its Tags. Free it. */
cJSON *cw_alarmdef_request(const struct cw_alarmset *set,
	const struct cw_alarmdef_item *item);

#endif
