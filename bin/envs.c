#include <stdlib.h>

#include "alarmdef.h"
#include "cmd.h"
#include "envs.h"
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

/* Every environment's guard, before any is run. */
static int guards(struct envs *e, const struct envs_ops *ops, void *self,
	int argc, char **argv, char **paths, struct cw_err *err)
{
	size_t i;
	int n, rc = 0;

	for (i = 0; i < e->n && rc == 0; i++) {
		e->cur = e->v[i];
		n = cw_alarmdef_paths_with(argv, argc, e->cur, e->all, paths);
		rc = ops->guard(self, n, paths, err);
		ops->end(self);
	}
	return rc;
}

int envs_run(struct envs *e, const struct cw_cli *cli,
	const struct envs_ops *ops, void *self, int argc, char **argv,
	struct cw_err *err)
{
	char **paths = calloc((size_t)argc, sizeof(*paths));
	size_t i;
	int n, rc = 0, worst = 0;

	if (!paths)
		return cw_err_set(err, "out of memory");
	if (e->n > 1)
		rc = guards(e, ops, self, argc, argv, paths, err);
	for (i = 0; i < e->n && rc == 0; i++) {
		e->cur = e->v[i];
		n = cw_alarmdef_paths_with(argv, argc, e->cur, e->all, paths);
		rc = ops->run(self, n, paths, err);
		ops->end(self);
		if (e->n == 1 || rc == -3)
			break;
		if (rc == -1) {
			cw_err_wrap(err, "environment %s", e->cur);
			cw_cli_error(cli, err);
			cw_err_clear(err);
		}
		worst = rc < 0 || worst < 0 ? -2 : rc > worst ? rc : worst;
		rc = cmd_interrupted() ? -3 : 0;
	}
	free(paths);
	return e->n == 1 || rc < 0 ? rc : worst;
}

void envs_release(struct envs *e)
{
	cw_alarmdef_names_free(e->names);
	e->names = NULL;
}
