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
 * "[default]", and "[profile default]" is accepted too. */
static const char *config_get(const struct cw_profile *p, const char *name,
	const char *key)
{
	char section[160];
	const char *v = NULL;

	if (strcmp(name, "default") == 0)
		v = cw_ini_get(p->config, "default", key);
	if (!v && snprintf(section, sizeof(section), "profile %s", name) < (int)sizeof(section))
		v = cw_ini_get(p->config, section, key);
	return v;
}

int cw_profile_exists(const struct cw_profile *p, const char *name)
{
	char section[160];

	if (cw_ini_has_section(p->credentials, name))
		return 1;
	if (strcmp(name, "default") == 0 && cw_ini_has_section(p->config, "default"))
		return 1;
	return snprintf(section, sizeof(section), "profile %s", name) < (int)sizeof(section) &&
		cw_ini_has_section(p->config, section);
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
