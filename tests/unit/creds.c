/* The credentials chain with a pinned environment and clock: order,
 * profiles, credential_process, refresh, and the errors. Sources that
 * need the network are covered by tests/t/02*-creds-*.t. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "creds.h"
#include "ctx.h"
#include "err.h"
#include "fakeenv.h"
#include "profile.h"
#include "tap.h"
#include "banned.h"

#define EXP_2030 1893456000000LL	/* 2030-01-01T00:00:00Z */

static int64_t now_ms = 1700000000000LL;
static struct cw_buf traces = CW_BUF_INIT;
static char dir[] = "/tmp/cwkit-creds.XXXXXX";

static int64_t fake_now(void *arg)
{
	(void)arg;
	return now_ms;
}

static void fake_trace(void *arg, const char *line)
{
	(void)arg;
	cw_buf_addf(&traces, "%s\n", line);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

static struct cw_ctx ctx = { .getenv = fake_getenv, .now_ms = fake_now,
	.trace = fake_trace };

/* Builds a provider; returns its keys' access key id or the error. */
static const char *resolve(const char *profile, struct cw_err *err,
	struct cw_creds_provider **out)
{
	struct cw_creds_opts o = { .profile = profile, .region = "us-east-1" };
	const struct cw_keys *c;

	cw_err_clear(err);
	*out = cw_creds_provider_new(&ctx, NULL, &o, err);
	if (!*out)
		return err->msg;
	if (cw_creds_get(*out, &c, err) < 0)
		return err->msg;
	return c->access_key;
}

static void expect(const char *profile, const char *want, const char *name)
{
	struct cw_creds_provider *p;
	struct cw_err err;

	is_str(resolve(profile, &err, &p), want, name);
	cw_creds_provider_free(p);
}

static void env_source(void)
{
	struct cw_creds_provider *p;
	const struct cw_keys *c;
	struct cw_err err;

	fake_setenv("AWS_ACCESS_KEY_ID", "AKENV");
	fake_setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV");
	fake_setenv("AWS_SESSION_TOKEN", "TOKENENV");
	is_str(resolve(NULL, &err, &p), "AKENV", "environment keys");
	cw_creds_get(p, &c, &err);
	is_str(c->token, "TOKENENV", "environment session token");
	is_str(c->source, "environment", "source is environment");
	ok(strstr(cw_buf_str(&traces), "credentials: environment\n") != NULL,
		"the chosen source is traced");
	ok(!strstr(cw_buf_str(&traces), "SECRETENV") && !strstr(cw_buf_str(&traces), "TOKENENV"),
		"no secret in the trace");
	cw_creds_provider_free(p);
	fake_setenv("AWS_SECRET_ACCESS_KEY", "");
	expect(NULL, "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
		"a key id without secret is an error");
	fake_setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV");
}

static void profiles(void)
{
	write_file("credentials", "[default]\naws_access_key_id = AKDEFAULT\n"
		"aws_secret_access_key = S1\n[dev]\naws_access_key_id = AKDEV\n"
		"aws_secret_access_key = S2\naws_session_token = T2\n"
		"[half]\naws_access_key_id = AKHALF\n");
	write_file("config", "[default]\nregion = us-east-1\n"
		"[profile cfg]\naws_access_key_id = AKCFG\naws_secret_access_key = S3\n"
		"[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
		"[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n"
		"[profile norole]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
		"[profile badsrc]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
		"credential_source = Floppy\n"
		"[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
		"source_profile = dev\nmfa_serial = arn:aws:iam::123456789012:mfa/u\n"
		"[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
		"sso_role_name = ro\n[sso-session corp]\nsso_region = us-east-1\n"
		"sso_start_url = https://x.awsapps.com/start\n"
		"[profile both]\naws_access_key_id = AKCFGBOTH\naws_secret_access_key = S\n"
		"credential_process = false\n");

	expect(NULL, "AKENV", "environment wins over the default profile");
	fake_setenv("AWS_PROFILE", "dev");
	expect(NULL, "AKENV", "AWS_PROFILE leaves the environment first");
	fake_setenv("AWS_PROFILE", "");
	expect("dev", "AKDEV", "a profile named by the caller skips the environment");
	fake_setenv("AWS_ACCESS_KEY_ID", "");
	fake_setenv("AWS_SECRET_ACCESS_KEY", "");
	fake_setenv("AWS_SESSION_TOKEN", "");
	expect(NULL, "AKDEFAULT", "default profile from the credentials file");
	expect("cfg", "AKCFG", "static keys from the config file");
	expect("half", "profile half: aws_access_key_id without aws_secret_access_key",
		"half a key pair is an error");
	expect("a", "profile a: source_profile cycle a -> b -> a", "source_profile cycle");
	expect("norole", "profile norole: role_arn needs source_profile or credential_source",
		"role_arn alone is an error");
	expect("badsrc", "profile badsrc: unknown credential_source 'Floppy' "
		"(Environment, Ec2InstanceMetadata or EcsContainer)", "unknown credential_source");
	expect("mfa", "profile mfa: mfa_serial is set but there is no terminal to ask for the code",
		"MFA without a terminal is an error");
	{
		struct cw_creds_provider *p;
		struct cw_err err;
		const char *got = resolve("sso", &err, &p);

		ok(strstr(got, "profile sso: the SSO session has expired or is invalid") &&
		   strstr(got, "aws sso login"), "SSO without a cached token says to log in");
		cw_creds_provider_free(p);
	}
	expect("both", "profile both: credential_process exited with status 1",
		"credential_process comes before keys in the config file, as in botocore");
}

static void process(void)
{
	char cmd[1200], counter[128];
	struct cw_creds_provider *p;
	const struct cw_keys *c;
	struct cw_err err;

	snprintf(counter, sizeof(counter), "%s/count", dir);
	snprintf(cmd, sizeof(cmd), "[profile proc]\ncredential_process = sh -c '"
		"n=$(cat %s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %s; "
		"printf \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"AKPROC$n\\\", "
		"\\\"SecretAccessKey\\\": \\\"SPROC\\\", \\\"SessionToken\\\": \\\"TPROC\\\", "
		"\\\"Expiration\\\": \\\"2030-01-01T00:00:00Z\\\"}\"'\n"
		"[profile fail]\ncredential_process = echo oops; exit 3\n"
		"[profile junk]\ncredential_process = echo not json\n"
		"[profile v2]\ncredential_process = echo '{\"Version\": 2}'\n",
		counter, counter);
	write_file("config", cmd);
	now_ms = EXP_2030 - 3600 * 1000;
	is_str(resolve("proc", &err, &p), "AKPROC1", "credential_process keys");
	if (!p)
		return;
	cw_creds_get(p, &c, &err);
	is_int(c->expires_ms, EXP_2030, "credential_process expiration");
	is_str(c->token, "TPROC", "credential_process token");
	now_ms = EXP_2030 - 6 * 60 * 1000;
	cw_creds_get(p, &c, &err);
	is_str(c->access_key, "AKPROC1", "six minutes before expiry: same keys");
	now_ms = EXP_2030 - 4 * 60 * 1000;
	ok(cw_creds_get(p, &c, &err) == 0, "four minutes before expiry: refresh succeeds");
	is_str(c->access_key, "AKPROC2", "four minutes before expiry: new keys");
	is_str(c->source, "profile proc", "the source survives the refresh");
	cw_creds_provider_free(p);

	expect("fail", "profile fail: credential_process exited with status 3",
		"credential_process failure");
	expect("junk", "profile junk: credential_process: response is not a JSON object",
		"credential_process bad JSON");
	expect("v2", "profile v2: credential_process: Version 1 expected",
		"credential_process wrong version");
	ok(!strstr(cw_buf_str(&traces), "SPROC") && !strstr(cw_buf_str(&traces), "TPROC"),
		"no process secret in the trace");
}

/* Files the command already read are used as they are: the provider
 * reads nothing itself, so the files are read once per run. */
static void shared_files(void)
{
	struct cw_creds_opts o = { .profile = "shared", .region = "us-east-1" };
	struct cw_creds_provider *p;
	struct cw_profile files;
	const struct cw_keys *k = NULL;
	struct cw_err err;

	write_file("config", "[profile shared]\naws_access_key_id = AKSHARED\n"
		"aws_secret_access_key = S\n");
	write_file("credentials", "");
	cw_err_clear(&err);
	ok(cw_profile_load(&files, &ctx, "shared", &err) == 0, "the command reads the files");
	write_file("config", "[profile shared]\naws_access_key_id = AKREREAD\n"
		"aws_secret_access_key = S\n");
	o.files = &files;
	p = cw_creds_provider_new(&ctx, NULL, &o, &err);
	ok(p && cw_creds_get(p, &k, &err) == 0 && strcmp(k->access_key, "AKSHARED") == 0,
		"the provider uses the files as read, not read again");
	cw_creds_provider_free(p);
	ok(cw_profile_exists(&files, "shared"), "and leaves them to the command");
	cw_profile_release(&files);
	write_file("config", "");
}

static void nothing(void)
{
	write_file("config", "");
	write_file("credentials", "");
	expect(NULL, "no credentials: tried environment, web identity, profile default "
		"(~/.aws/credentials, ~/.aws/config), container, instance metadata (disabled)",
		"nothing found lists what was tried");
	fake_setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
	expect(NULL, "container credentials: host not allowed in "
		"AWS_CONTAINER_CREDENTIALS_FULL_URI 'http://example.com/creds' "
		"(loopback, ECS or EKS only)", "container FULL_URI host is checked");
	fake_setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "");
}

int main(void)
{
	char aws[64], cfg[96], cred[96];

	if (!mkdtemp(dir))
		return 1;
	snprintf(aws, sizeof(aws), "%s/.aws", dir);
	mkdir(aws, 0700);
	snprintf(cfg, sizeof(cfg), "%s/config", dir);
	snprintf(cred, sizeof(cred), "%s/credentials", dir);
	fake_setenv("HOME", dir);
	fake_setenv("AWS_CONFIG_FILE", cfg);
	fake_setenv("AWS_SHARED_CREDENTIALS_FILE", cred);
	fake_setenv("AWS_EC2_METADATA_DISABLED", "true");
	env_source();
	profiles();
	process();
	shared_files();
	{
		/* the message shows the default paths relative to HOME */
		char c2[96], r2[96];

		snprintf(c2, sizeof(c2), "%s/.aws/config", dir);
		snprintf(r2, sizeof(r2), "%s/.aws/credentials", dir);
		fake_setenv("AWS_CONFIG_FILE", c2);
		fake_setenv("AWS_SHARED_CREDENTIALS_FILE", r2);
		snprintf(cfg, sizeof(cfg), "%s/.aws/config", dir);
		snprintf(cred, sizeof(cred), "%s/.aws/credentials", dir);
		nothing();
		unlink(c2);
		unlink(r2);
	}
	{
		char path[128];

		snprintf(path, sizeof(path), "%s/count", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/config", dir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/credentials", dir);
		unlink(path);
	}
	rmdir(aws);
	rmdir(dir);
	cw_buf_release(&traces);
	return tap_done();
}
