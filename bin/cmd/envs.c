#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "alarmdef.h"
#include "cmd.h"
#include "envs.h"
#include "pool.h"
#include "banned.h"

int envs_add(struct envs *e, const char *name, struct cw_err *err)
{
	if (e->n == ENVS_MAX)
		return cw_err_set(err, "-e: more than %d environments",
			ENVS_MAX);
	e->v[e->n++] = name;
	return 0;
}

int envs_check(const struct envs *e, struct cw_err *err)
{
	if (e->all && e->n)
		return cw_err_set(err,
			"-e and --all-environments: give one of them");
	return 0;
}

int envs_resolve(struct envs *e, char **argv, int argc, struct cw_err *err)
{
	size_t i;

	if (e->all && cw_alarmdef_environments(argv, (size_t)argc,
			&e->names, err) < 0)
		return -1;
	for (i = 0; e->names && e->names[i] && e->n < ENVS_MAX; i++)
		e->v[e->n++] = e->names[i];
	if (!e->n)
		e->v[e->n++] = "production";
	return 0;
}

/* ---- the recording: stdout and stderr parts in the order written */

static ssize_t tap_write(void *cookie, const char *p, size_t n)
{
	struct envs_tap *t = cookie;
	struct envs_one *o = t->one;
	struct envs_part *v;

	if (cw_buf_add(&o->text, p, n) < 0)
		return -1;
	if (o->nparts && o->parts[o->nparts - 1].fd == t->fd) {
		o->parts[o->nparts - 1].n += n;
		return (ssize_t)n;
	}
	if (!(v = realloc(o->parts, (o->nparts + 1) * sizeof(*v)))) {
		o->text.len -= n;
		return -1;
	}
	o->parts = v;
	o->parts[o->nparts++] = (struct envs_part){ t->fd, n };
	return (ssize_t)n;
}

/* o->out and o->err record; unbuffered, so that the parts keep the
 * order of the writes. */
static int tap_open(struct envs_one *o)
{
	static const cookie_io_functions_t io = { NULL, tap_write, NULL,
		NULL };
	FILE **fp[2] = { &o->out, &o->err };
	int i;

	for (i = 0; i < 2; i++) {
		o->taps[i] = (struct envs_tap){ o, i + 1 };
		if (!(*fp[i] = fopencookie(&o->taps[i], "w", io)))
			return -1;
		setvbuf(*fp[i], NULL, _IONBF, 0);
	}
	return 0;
}

static void tap_close(struct envs_one *o)
{
	if (o->out && o->out != stdout)
		fclose(o->out);
	if (o->err && o->err != stderr)
		fclose(o->err);
	o->out = o->err = NULL;
	cw_buf_release(&o->text);
	free(o->parts);
	o->parts = NULL;
	o->nparts = 0;
}

/* What o recorded since it was last shown, under its name. */
static void show_one(struct envs_one *o)
{
	size_t i, at = 0;

	if (o->shown && !o->nparts)
		return;
	printf("Environment %s:\n", o->name);
	o->shown = 1;
	for (i = 0; i < o->nparts; i++) {
		fflush(stdout);
		fwrite(o->text.p + at, 1, o->parts[i].n,
			o->parts[i].fd == 1 ? stdout : stderr);
		at += o->parts[i].n;
	}
	fflush(stdout);
	cw_buf_reset(&o->text);
	o->nparts = 0;
}

void envs_show(struct envs_one *o)
{
	struct envs_one *p;

	if (o->envs->n < 2)
		return;
	for (p = o->envs->ones; p <= o; p++)
		show_one(p);
}

/* ---- the runs */

struct runs {
	struct envs *e;
	const struct envs_ops *ops;
	void *self;
	int writing;
};

/* One environment's run or write, its failure said in its turn. */
static void run_one(void *arg, size_t i)
{
	struct runs *r = arg;
	struct envs_one *o = &r->e->ones[i];

	if (r->writing && (o->rc != 0 || !r->ops->write))
		return;
	o->rc = r->writing ? r->ops->write(r->self, o, &o->e)
		: r->ops->run(r->self, o, &o->e);
	if (o->rc == -1 && r->e->n > 1) {
		cw_err_wrap(&o->e, "environment %s", o->name);
		fprintf(o->err, "%s: %s\n", r->e->prog, o->e.msg);
	}
}

/* Every environment's guard, in order, on stdout and stderr. */
static int guards(struct envs *e, const struct envs_ops *ops, void *self,
	int argc, char **argv, struct cw_err *err)
{
	char **paths = calloc((size_t)argc + 1, sizeof(*paths));
	struct envs_one *o;
	size_t i;
	int n, rc = 0;

	if (!paths)
		return cw_err_set(err, "out of memory");
	for (i = 0; i < e->n && rc == 0; i++) {
		o = &e->ones[i];
		o->out = stdout;
		o->err = stderr;
		n = cw_alarmdef_paths_with(argv, argc, o->name, e->all, paths);
		rc = ops->guard(self, o, n, paths, err);
	}
	free(paths);
	return rc;
}

/* Several environments: each records until shown. */
static int taps(struct envs *e, struct cw_err *err)
{
	size_t i;

	for (i = 0; e->n > 1 && i < e->n; i++)
		if (tap_open(&e->ones[i]) < 0)
			return cw_err_set(err, "out of memory");
	return 0;
}

/* The prompts, on the main thread, in order: a refusal is the
 * environment's failure. */
static void asks(struct envs *e, const struct envs_ops *ops, void *self)
{
	struct envs_one *o;
	size_t i;

	for (i = 0; ops->ask && i < e->n; i++) {
		o = &e->ones[i];
		if (o->rc != 0 || cmd_interrupted())
			continue;
		o->rc = ops->ask(self, o, &o->e);
		if (o->rc == -1 && e->n > 1) {
			cw_err_wrap(&o->e, "environment %s", o->name);
			fprintf(o->err, "%s: %s\n", e->prog, o->e.msg);
		}
	}
}

/* -3 interrupted, -2 some failed, else the highest status. */
static int worst(const struct envs *e)
{
	size_t i;
	int w = 0;

	if (cmd_interrupted())
		return -3;
	for (i = 0; i < e->n; i++) {
		if (e->ones[i].rc == -3)
			return -3;
		w = e->ones[i].rc < 0 || w < 0 ? -2
			: e->ones[i].rc > w ? e->ones[i].rc : w;
	}
	return w;
}

static int run_all(struct envs *e, const struct envs_ops *ops, void *self)
{
	struct runs r = { e, ops, self, 0 };
	size_t jobs = e->one_at_a_time ? 1 : CW_POOL_MAX;

	cw_pool_run(e->n, jobs, run_one, &r);
	asks(e, ops, self);
	r.writing = 1;
	if (!cmd_interrupted())
		cw_pool_run(e->n, jobs, run_one, &r);
	envs_show(&e->ones[e->n - 1]);
	return e->n == 1 ? e->ones[0].rc : worst(e);
}

int envs_run(struct envs *e, const struct cw_cli *cli,
	const struct envs_ops *ops, void *self, int argc, char **argv,
	struct cw_err *err)
{
	char *states = calloc(e->n, ops->size ? ops->size : 1);
	size_t i;
	int rc;

	e->prog = cli->prog;
	if (!states || !(e->ones = calloc(e->n, sizeof(*e->ones)))) {
		free(states);
		return cw_err_set(err, "out of memory");
	}
	for (i = 0; i < e->n; i++) {
		e->ones[i].name = e->v[i];
		e->ones[i].state = states + i * ops->size;
		e->ones[i].envs = e;
		cw_buf_init(&e->ones[i].text, 0);
	}
	rc = guards(e, ops, self, argc, argv, err);
	if (rc == 0)
		rc = taps(e, err);
	if (rc == 0 && (rc = run_all(e, ops, self)) == -1 && e->n == 1)
		*err = e->ones[0].e;
	for (i = 0; i < e->n; i++) {
		ops->end(self, &e->ones[i]);
		tap_close(&e->ones[i]);
	}
	free(e->ones);
	e->ones = NULL;
	free(states);
	return rc;
}

void envs_release(struct envs *e)
{
	cw_alarmdef_names_free(e->names);
	e->names = NULL;
}
