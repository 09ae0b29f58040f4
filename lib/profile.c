#include <stdio.h>
#include <string.h>

#include "ini.h"
#include "profile.h"
#include "banned.h"

/* AWS_CONFIG_FILE and friends may start with "~/", as the AWS CLI
 * expands them; a path that cannot be resolved is left empty and read
 * as a missing file. */
static int resolve_path(const struct cw_ctx *ctx, const char *env,
	const char *def, char *out, size_t size, struct cw_err *err)
{
	const char *v = cw_ctx_getenv(ctx, env), *home = cw_ctx_getenv(ctx, "HOME");
	int n;

	out[0] = '\0';
	if (v && strncmp(v, "~/", 2) != 0)
		n = snprintf(out, size, "%s", v);
	else if (home)
		n = snprintf(out, size, "%s/%s", home, v ? v + 2 : def);
	else
		return 0;
	if (n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		return cw_err_set(err, "%s: path too long", env);
	}
	return 0;
}

static struct cw_ini *load(const char *path, struct cw_err *err)
{
	if (!path[0])
		return cw_ini_parse("-", "", 0, err);
	return cw_ini_load(path, err);
}

int cw_profile_load(struct cw_profile *p, const struct cw_ctx *ctx,
	const char *name, struct cw_err *err)
{
	const char *env = cw_ctx_getenv(ctx, "AWS_PROFILE");
	const char *chosen = name && *name ? name : env ? env : "default";

	memset(p, 0, sizeof(*p));
	p->explicit_name = (name && *name) || env;
	if (strlen(chosen) >= sizeof(p->name))
		return cw_err_set(err, "profile %.64s...: name too long", chosen);
	memcpy(p->name, chosen, strlen(chosen) + 1);
	if (resolve_path(ctx, "AWS_CONFIG_FILE", ".aws/config", p->config_path,
	    sizeof(p->config_path), err) < 0 ||
	    resolve_path(ctx, "AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials",
	    p->credentials_path, sizeof(p->credentials_path), err) < 0)
		return -1;
	if (!(p->config = load(p->config_path, err)) ||
	    !(p->credentials = load(p->credentials_path, err)))
		goto fail;
	if (p->explicit_name && !cw_profile_exists(p, p->name)) {
		cw_err_set(err, "profile %s: not found in %s or %s", p->name,
			p->config_path[0] ? p->config_path : "~/.aws/config",
			p->credentials_path[0] ? p->credentials_path : "~/.aws/credentials");
		goto fail;
	}
	return 0;
fail:
	cw_profile_release(p);
	return -1;
}

/* The config file names profiles "[profile NAME]"; the default one is
 * "[default]", and "[profile default]" is accepted too. Fills sec with
 * the candidate section names, most specific first; returns how many. */
static int config_sections(const char *name, char sec[2][160])
{
	int n = 0;

	if (strcmp(name, "default") == 0)
		snprintf(sec[n++], sizeof(sec[0]), "default");
	if (snprintf(sec[n], sizeof(sec[0]), "profile %s", name) < (int)sizeof(sec[0]))
		n++;
	return n;
}

static const char *config_get(const struct cw_profile *p, const char *name,
	const char *key)
{
	char sec[2][160];
	const char *v = NULL;
	int i, n = config_sections(name, sec);

	for (i = 0; i < n && !v; i++)
		v = cw_ini_get(p->config, sec[i], key);
	return v;
}

int cw_profile_exists(const struct cw_profile *p, const char *name)
{
	char sec[2][160];
	int i, n = config_sections(name, sec);

	if (cw_ini_has_section(p->credentials, name))
		return 1;
	for (i = 0; i < n; i++)
		if (cw_ini_has_section(p->config, sec[i]))
			return 1;
	return 0;
}

const char *cw_profile_get(const struct cw_profile *p, const char *key)
{
	return cw_profile_get_in(p, p->name, key);
}

const char *cw_profile_get_in(const struct cw_profile *p, const char *name,
	const char *key)
{
	return config_get(p, name, key);
}

const char *cw_profile_cred(const struct cw_profile *p, const char *name,
	const char *key)
{
	const char *v = cw_ini_get(p->credentials, name, key);

	return v ? v : config_get(p, name, key);
}

void cw_profile_release(struct cw_profile *p)
{
	cw_ini_free(p->config);
	cw_ini_free(p->credentials);
	p->config = p->credentials = NULL;
}
