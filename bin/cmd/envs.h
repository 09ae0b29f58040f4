#ifndef CW_BIN_ENVS_H
#define CW_BIN_ENVS_H

/*
 * The environments an alarm command runs for (-e ENV..., or
 * --all-environments): every one's account checked before the first is
 * read, then all of them at once, each over the sets that have it, and
 * what each printed shown whole, in the order they were given.
 * cw-alarm-diff and cw-alarm-apply share it.
 */
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "cli.h"
#include "err.h"

#define ENVS_MAX 64

struct envs {
	const char *v[ENVS_MAX];
	size_t n;
	int all;		/* --all-environments */
	int one_at_a_time;	/* the runs share something not for threads */
	char **names;		/* found by --all-environments */
	const char *prog;
	struct envs_one *ones;	/* while envs_run runs */
};

/* One part of what an environment printed: n bytes for stdout (fd 1)
 * or stderr (fd 2). */
struct envs_part {
	int fd;
	size_t n;
};

struct envs_one;

/* Where one of an environment's streams records. */
struct envs_tap {
	struct envs_one *one;
	int fd;
};

/* An environment's run. With several, out and err record what it
 * prints until its turn comes to be shown; with one, they are stdout
 * and stderr. */
struct envs_one {
	const char *name;
	void *state;		/* the command's, envs_ops.size bytes, zeroed */
	FILE *out, *err;
	int rc;
	struct cw_err e;
	struct envs *envs;
	struct envs_tap taps[2];	/* the recording */
	struct cw_buf text;
	struct envs_part *parts;
	size_t nparts;
	int shown;		/* its header was printed */
};

/* -e NAME. */
int envs_add(struct envs *e, const char *name, struct cw_err *err);
/* After the options: -e and --all-environments exclude each other. */
int envs_check(const struct envs *e, struct cw_err *err);
/* The list to run: -e's, every environment of the sets with
 * --all-environments, else "production". */
int envs_resolve(struct envs *e, char **argv, int argc, struct cw_err *err);

/*
 * What a command does for one environment o, o->state its own.
 * guard loads the sets of argv[0..argc) (the paths that have o->name)
 * and checks their account, calling nothing else: 0, -1 with err, -2
 * reported, -3 interrupted. It runs on the main thread, every
 * environment's before any run.
 * run is the command, on a thread of its own, printing on o->out and
 * o->err only: 0, 1 differences, -1 with err, -2 failed and reported,
 * -3 interrupted.
 * When run returned 0: ask, on the main thread and in order, may
 * prompt (after envs_show): 0 to go on, -1 with err, -3 interrupted;
 * then write, on a thread of its own, like run. Either may be NULL.
 * end releases what the others held.
 */
struct envs_ops {
	size_t size;
	int (*guard)(void *self, struct envs_one *o, int argc, char **argv,
		struct cw_err *err);
	int (*run)(void *self, struct envs_one *o, struct cw_err *err);
	int (*ask)(void *self, struct envs_one *o, struct cw_err *err);
	int (*write)(void *self, struct envs_one *o, struct cw_err *err);
	void (*end)(void *self, struct envs_one *o);
};

/*
 * Every guard first (the first failure stops everything, its err
 * returned), then the runs at once. With several environments one that
 * fails is reported in its turn ("prog: environment NAME: why") and the
 * others go on; a signal stops them. Returns the status of the one
 * environment; with several, -1 or -2 from the guards, -3 interrupted,
 * -2 when one failed, else the highest status of the runs.
 */
int envs_run(struct envs *e, const struct cw_cli *cli,
	const struct envs_ops *ops, void *self, int argc, char **argv,
	struct cw_err *err);
/* Prints what the environments up to o recorded and were not shown,
 * in order, each under an "Environment NAME:" line: before a prompt. */
void envs_show(struct envs_one *o);
void envs_release(struct envs *e);

#endif
