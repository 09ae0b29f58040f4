#ifndef CW_BIN_ENVS_H
#define CW_BIN_ENVS_H

/*
 * The environments an alarm command runs for (-e ENV..., or
 * --all-environments): every one's account checked before the first is
 * read, then each run in turn over the sets that have it. cw-alarm-diff
 * and cw-alarm-apply share it.
 */
#include <stddef.h>

#include "cli.h"
#include "err.h"

#define ENVS_MAX 64

struct envs {
	const char *v[ENVS_MAX];
	size_t n;
	int all;		/* --all-environments */
	const char *cur;	/* the one being run */
	char **names;		/* found by --all-environments */
};

/* -e NAME. */
int envs_add(struct envs *e, const char *name, struct cw_err *err);
/* After the options: -e and --all-environments exclude each other. */
int envs_check(const struct envs *e, struct cw_err *err);
/* The list to run: -e's, every environment of the sets with
 * --all-environments, else "production". */
int envs_resolve(struct envs *e, char **argv, int argc, struct cw_err *err);

/*
 * What a command does for one environment (e->cur), over argv[0..argc),
 * the paths of the sets that have it. guard loads the sets and checks
 * their account, calling nothing else: 0, -1 with err, -2 reported.
 * run is the command: 0, 1 differences, -1 with err, -2 failed and
 * reported, -3 interrupted. end releases what either held.
 */
struct envs_ops {
	int (*guard)(void *self, int argc, char **argv, struct cw_err *err);
	int (*run)(void *self, int argc, char **argv, struct cw_err *err);
	void (*end)(void *self);
};

/*
 * With several environments, every guard first (the first failure
 * stops everything), then every run: one that fails is reported
 * ("prog: environment NAME: why") and the others go on; a signal stops
 * them. Returns run's status with one environment; with several, -1 or
 * -2 from the guards, -3 interrupted, -2 when one failed, else the
 * highest status of the runs.
 */
int envs_run(struct envs *e, const struct cw_cli *cli,
	const struct envs_ops *ops, void *self, int argc, char **argv,
	struct cw_err *err);
void envs_release(struct envs *e);

#endif
