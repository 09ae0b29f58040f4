#ifndef CW_PROFILE_H
#define CW_PROFILE_H

#include "ctx.h"
#include "err.h"

struct cw_ini;

/* The shared config and credentials files (AWS_CONFIG_FILE,
 * AWS_SHARED_CREDENTIALS_FILE, defaults under ~/.aws) and the selected
 * profile name. */
struct cw_profile {
	char name[128];
	int explicit_name;	/* given by --profile or AWS_PROFILE */
	struct cw_ini *config;
	struct cw_ini *credentials;
	char config_path[1024];		/* as resolved, for messages */
	char credentials_path[1024];
};

/* name NULL: AWS_PROFILE, then "default". Missing files are fine; a
 * malformed file or an explicitly named profile found in neither file is
 * an error. Release with cw_profile_release(). */
int cw_profile_load(struct cw_profile *p, const struct cw_ctx *ctx,
	const char *name, struct cw_err *err);
/* A setting of the selected profile from the config file
 * ("[profile NAME]", or "[default]"). */
const char *cw_profile_get(const struct cw_profile *p, const char *key);
/* The same for another profile (source_profile chains). */
const char *cw_profile_get_in(const struct cw_profile *p, const char *name,
	const char *key);
/* A key from the credentials file section NAME, falling back to the
 * config file's profile section. */
const char *cw_profile_cred(const struct cw_profile *p, const char *name,
	const char *key);
void cw_profile_release(struct cw_profile *p);

/* Whether NAME has a section in either file. */
int cw_profile_exists(const struct cw_profile *p, const char *name);

#endif
