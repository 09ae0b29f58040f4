#ifndef CW_FAKEENV_H
#define CW_FAKEENV_H

/* A pinned environment for the unit tests: set variables with
 * fake_setenv() and point struct cw_ctx's getenv at fake_getenv(). */
#include <string.h>

#define FAKE_ENV_MAX 32

static const char *fake_env[FAKE_ENV_MAX][2];

/* Sets or replaces name; "" reads as unset through cw_ctx_getenv(). */
__attribute__((unused))
static void fake_setenv(const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < FAKE_ENV_MAX - 1 && fake_env[i][0]
			&& strcmp(fake_env[i][0], name); i++)
		;
	fake_env[i][0] = name;
	fake_env[i][1] = value;
}

__attribute__((unused))
static const char *fake_getenv(void *arg, const char *name)
{
	size_t i;

	(void)arg;
	for (i = 0; i < FAKE_ENV_MAX && fake_env[i][0]; i++)
		if (strcmp(fake_env[i][0], name) == 0)
			return fake_env[i][1];
	return NULL;
}

#endif
