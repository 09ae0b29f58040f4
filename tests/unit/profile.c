#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "err.h"
#include "profile.h"
#include "fakeenv.h"
#include "tap.h"
#include "banned.h"


static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

int main(void)
{
	struct cw_ctx ctx = { .getenv = fake_getenv };
	char dir[] = "/tmp/cwkit-profile.XXXXXX", cfg[96], cred[96], aws[64];
	struct cw_profile p;
	struct cw_err err;

	if (!mkdtemp(dir))
		return 1;
	snprintf(aws, sizeof(aws), "%s/.aws", dir);
	mkdir(aws, 0700);
	snprintf(cfg, sizeof(cfg), "%s/.aws/config", dir);
	snprintf(cred, sizeof(cred), "%s/.aws/credentials", dir);
	fake_setenv("HOME", dir);

	ok(cw_profile_load(&p, &ctx, NULL, &err) == 0, "no files: default profile loads");
	is_str(p.name, "default", "default name");
	ok(!p.explicit_name, "default is not explicit");
	is_str(p.config_path, cfg, "config path under HOME");
	is_str(p.credentials_path, cred, "credentials path under HOME");
	cw_profile_release(&p);

	write_file(cfg, "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-west-2\n"
		"aws_access_key_id = CFGKEY\n[sso-session x]\nsso_region = r\n");
	write_file(cred, "[dev]\naws_access_key_id = CREDKEY\n[ci]\naws_access_key_id = CI\n");
	ok(cw_profile_load(&p, &ctx, NULL, &err) == 0, "default profile with files");
	is_str(cw_profile_get(&p, "region"), "eu-west-1", "default region from [default]");
	is_str(cw_profile_get_in(&p, "dev", "region"), "us-west-2", "other profile from [profile dev]");
	is_str(cw_profile_cred(&p, "dev", "aws_access_key_id"), "CREDKEY",
		"credentials file wins over config");
	is_str(cw_profile_cred(&p, "ci", "aws_access_key_id"), "CI", "credentials-only profile");
	ok(cw_profile_get_in(&p, "x", "sso_region") == NULL, "sso-session is not a profile");
	cw_profile_release(&p);

	fake_setenv("AWS_PROFILE", "dev");
	ok(cw_profile_load(&p, &ctx, NULL, &err) == 0, "AWS_PROFILE selects");
	is_str(p.name, "dev", "name from AWS_PROFILE");
	ok(p.explicit_name, "AWS_PROFILE is explicit");
	cw_profile_release(&p);

	ok(cw_profile_load(&p, &ctx, "ci", &err) == 0, "explicit name wins over AWS_PROFILE");
	is_str(p.name, "ci", "name from argument");
	cw_profile_release(&p);

	cw_err_clear(&err);
	ok(cw_profile_load(&p, &ctx, "nosuch", &err) < 0, "unknown explicit profile fails");
	{
		char want[300];

		snprintf(want, sizeof(want), "profile nosuch: not found in %s or %s", cfg, cred);
		is_str(err.msg, want, "message names both files");
	}

	fake_setenv("AWS_CONFIG_FILE", "~/other");
	fake_setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/creds");
	fake_setenv("AWS_PROFILE", "");
	ok(cw_profile_load(&p, &ctx, NULL, &err) == 0, "paths from the environment");
	{
		char want[128];

		snprintf(want, sizeof(want), "%s/other", dir);
		is_str(p.config_path, want, "~/ expanded with HOME");
	}
	is_str(p.credentials_path, "/nonexistent/creds", "AWS_SHARED_CREDENTIALS_FILE");
	cw_profile_release(&p);

	write_file(cfg, "[default]\nregion = x\n[profile broken\n");
	fake_setenv("AWS_CONFIG_FILE", cfg);
	cw_err_clear(&err);
	ok(cw_profile_load(&p, &ctx, NULL, &err) < 0, "malformed config fails");
	{
		char want[128];

		snprintf(want, sizeof(want), "%s:3: section header without ']'", cfg);
		is_str(err.msg, want, "error has file and line");
	}

	unlink(cfg);
	unlink(cred);
	rmdir(aws);
	rmdir(dir);
	return tap_done();
}
