#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cJSON.h>

#include "client.h"
#include "creds.h"
#include "endpoint.h"
#include "http.h"
#include "ini.h"
#include "profile.h"
#include "sigv4.h"
#include "sts.h"
#include "timespec.h"
#include "banned.h"

#define REFRESH_MS (5 * 60 * 1000)	/* refresh this long before expiry */
#define MAX_CHAIN 8			/* source_profile hops */
#define MAX_OUTPUT ((size_t)64 << 10)	/* credential_process, endpoints */
#define ECS_HOST "http://169.254.170.2"
#define IMDS_HOST "http://169.254.169.254"

/* The sources of the chain, in the AWS CLI's order. */
enum source { SRC_ENV, SRC_WEB_IDENTITY, SRC_PROFILE, SRC_CONTAINER, SRC_IMDS,
	SRC_ROLE };

struct cw_creds_provider {
	const struct cw_ctx *ctx;
	struct cw_http *http;		/* borrowed */
	const struct cw_profile *files;	/* own or the caller's */
	struct cw_profile own;
	int own_loaded;
	char region[64];
	int profile_flag;		/* named by the caller, not by env */
	enum source kind;		/* what found the keys, for refresh */
	struct cw_keys cur;
	const char *name;		/* the profile: files->name or the caller's */
	struct cw_creds_provider *base;	/* SRC_ROLE: whose keys assume it */
	const char *role_arn, *external_id;
};

/* The profiles visited while following source_profile. */
struct chain {
	const char *names[MAX_CHAIN + 1];
	size_t n;
};

static void set_source(struct cw_keys *c, const char *what, const char *name)
{
	snprintf(c->source, sizeof(c->source), "%s%s", what, name);
}

/* Reads a small file (tokens), trailing whitespace cut; the caller
 * wipes and frees it. */
static char *read_small(const char *path, const char *what, struct cw_err *err)
{
	struct cw_buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	cw_buf_init(&b, MAX_OUTPUT);
	if (!f) {
		cw_err_set(err, "%s %s: %s", what, path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (cw_buf_add(&b, chunk, n) < 0) {
			fclose(f);
			explicit_bzero(chunk, sizeof(chunk));
			cw_buf_wipe(&b);
			cw_err_set(err, "%s %s: larger than 64 KiB", what, path);
			return NULL;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	fclose(f);
	while (b.len && strchr(" \t\r\n", b.p[b.len - 1]))
		b.p[--b.len] = '\0';
	if (!b.len) {
		cw_buf_wipe(&b);
		cw_err_set(err, "%s %s: empty", what, path);
		return NULL;
	}
	return cw_buf_detach(&b, NULL);
}

static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Tokens go into headers (IMDS, SSO, container) or are secrets that
 * must be plain (web identity): a control byte is refused, never shown. */
static int bad_token(const char *t, int space_ok, const char *what,
	struct cw_err *err)
{
	const unsigned char *u = (const unsigned char *)t;

	for (; *u; u++)
		if (*u < 0x20 || *u == 0x7f || (*u == ' ' && !space_ok)
				|| (*u > 0x7f && !space_ok))
			return cw_err_set(err, "%s: holds a control character%s",
				what, space_ok ? "" : ", space or non-ASCII byte");
	return 0;
}

/* "~/..." for messages when the path is under HOME. */
static void tilde(const struct cw_ctx *ctx, const char *path, char *out, size_t size)
{
	const char *home = cw_ctx_getenv(ctx, "HOME");
	size_t n = home ? strlen(home) : 0;

	if (n && strncmp(path, home, n) == 0 && path[n] == '/')
		snprintf(out, size, "~%s", path + n);
	else
		snprintf(out, size, "%s", path);
}

/* ---- JSON documents (credential_process, container, IMDS, SSO) ---- */

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* Keys from {AccessKeyId, SecretAccessKey, <token_key>, Expiration}. */
static int creds_from_json(const cJSON *o, const char *token_key,
	struct cw_keys *out, const char *what, struct cw_err *err)
{
	const char *ak = jstr(o, "AccessKeyId"), *sk = jstr(o, "SecretAccessKey");
	const char *tok = jstr(o, token_key), *exp = jstr(o, "Expiration");
	int64_t ms = 0;

	if (!ak || !sk)
		return cw_err_set(err, "%s: AccessKeyId or SecretAccessKey missing", what);
	if (exp && cw_timespec_iso(exp, &ms) < 0)
		return cw_err_set(err, "%s: bad Expiration '%.40s'", what, exp);
	return cw_keys_set(out, ak, sk, tok, ms, what, err);
}

static cJSON *parse_json(const struct cw_buf *b, const char *what, struct cw_err *err)
{
	cJSON *j = b->len ? cJSON_ParseWithLength(b->p, b->len) : NULL;

	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		cw_err_set(err, "%s: response is not a JSON object", what);
		return NULL;
	}
	return j;
}

/* cJSON keeps copies of the secrets; wipe them before freeing. */
static void wipe_json(cJSON *j)
{
	cJSON *c;

	if (!j)
		return;
	if (cJSON_IsString(j) && j->valuestring)
		explicit_bzero(j->valuestring, strlen(j->valuestring));
	for (c = j->child; c; c = c->next)
		wipe_json(c);
}

static void free_json(cJSON *j)
{
	wipe_json(j);
	cJSON_Delete(j);
}

/* ---- environment ---- */

static int from_env(struct cw_creds_provider *p, struct cw_keys *out,
	struct cw_err *err)
{
	const char *ak = cw_ctx_getenv(p->ctx, "AWS_ACCESS_KEY_ID");
	const char *sk = cw_ctx_getenv(p->ctx, "AWS_SECRET_ACCESS_KEY");
	const char *tok = cw_ctx_getenv(p->ctx, "AWS_SESSION_TOKEN");
	const char *exp = cw_ctx_getenv(p->ctx, "AWS_CREDENTIAL_EXPIRATION");
	int64_t ms = 0;

	if (!ak && !sk)
		return 0;
	if (!ak || !sk)
		return cw_err_set(err, "environment: %s is set but %s is not",
			ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
			ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
	if (exp && cw_timespec_iso(exp, &ms) < 0)
		return cw_err_set(err, "environment: bad AWS_CREDENTIAL_EXPIRATION '%.40s'", exp);
	if (cw_keys_set(out, ak, sk, tok, ms, "environment", err) < 0)
		return -1;
	set_source(out, "environment", "");
	return 1;
}

/* ---- STS ---- */

static void session_name(const struct cw_ctx *ctx, const char *given, char *out,
	size_t size)
{
	if (given && *given)
		snprintf(out, size, "%s", given);
	else
		snprintf(out, size, "cwkit-%lld", (long long)cw_ctx_now_ms(ctx));
}

/* An STS client for this run: the resolved region (then the profile's,
 * then us-east-1) and the endpoint from the usual overrides. */
static int sts_client(struct cw_creds_provider *p, struct cw_client *c,
	const struct cw_keys *fixed, struct cw_err *err)
{
	const char *region = p->region[0] ? p->region : cw_profile_get(p->files, "region");

	memset(c, 0, sizeof(*c));
	c->ctx = p->ctx;
	c->http = p->http;
	c->fixed = fixed;
	c->secret_bodies = 1;
	snprintf(c->region, sizeof(c->region), "%s", region ? region : "us-east-1");
	snprintf(c->service, sizeof(c->service), "sts");
	if (!p->http)
		return cw_err_set(err, "sts: no HTTP handle");
	return cw_endpoint_url(p->ctx, p->files, &cw_service_sts, NULL,
		c->region, c->endpoint, sizeof(c->endpoint), err);
}

static int web_identity(struct cw_creds_provider *p, const char *role_arn,
	const char *token_file, const char *name, struct cw_keys *out,
	struct cw_err *err)
{
	struct cw_client c;
	char session[128], *token;
	int rc = -1;

	if (!(token = read_small(token_file, "web identity token", err)))
		return -1;
	if (bad_token(token, 0, "web identity token", err) < 0) {
		free_secret(token);
		return -1;
	}
	session_name(p->ctx, name, session, sizeof(session));
	if (sts_client(p, &c, NULL, err) == 0)
		rc = cw_sts_assume_role_with_web_identity(&c, role_arn, session,
			token, 0, out, err);
	cw_client_release(&c);
	free_secret(token);
	return rc;
}

static int from_web_identity_env(struct cw_creds_provider *p, struct cw_keys *out,
	struct cw_err *err)
{
	const char *arn = cw_ctx_getenv(p->ctx, "AWS_ROLE_ARN");
	const char *file = cw_ctx_getenv(p->ctx, "AWS_WEB_IDENTITY_TOKEN_FILE");

	if (!arn || !file)
		return 0;
	if (web_identity(p, arn, file, cw_ctx_getenv(p->ctx, "AWS_ROLE_SESSION_NAME"),
	    out, err) < 0)
		return cw_err_wrap(err, "web identity");
	set_source(out, "web identity", "");
	return 1;
}

/* ---- plain HTTP credential endpoints (container, IMDS, SSO) ---- */

/* One request without signing or retries; the body must come back 2xx.
 * Only the method and URL are traced: the headers carry tokens. */
static int http_get(struct cw_creds_provider *p, struct cw_http *h,
	const char *method, const char *url, const struct cw_header *hdrs,
	size_t nh, struct cw_http_response *resp, const char *what,
	struct cw_err *err)
{
	struct cw_http_request rq = { .method = method, .url = url,
		.headers = hdrs, .nheaders = nh };

	memset(resp, 0, sizeof(*resp));
	cw_ctx_trace(p->ctx, "> %s %s", method, url);
	if (cw_http_send(h, &rq, resp, err) < 0)
		return cw_err_wrap(err, "%s", what);
	cw_ctx_trace(p->ctx, "< HTTP %ld (%zu bytes)", resp->status, resp->body.len);
	if (resp->status < 200 || resp->status > 299) {
		cw_err_clear(err);
		err->status = resp->status;
		return cw_err_set(err, "%s: HTTP %ld from %s", what, resp->status, url);
	}
	if (resp->body.len > MAX_OUTPUT)
		return cw_err_set(err, "%s: response larger than 64 KiB", what);
	return 0;
}

static void resp_release(struct cw_http_response *r)
{
	cw_buf_wipe(&r->body);
	cw_http_response_release(r);
}

/* A separate handle with short timeouts: these endpoints answer at once
 * or not at all, and a laptop has none of them. */
static struct cw_http *short_http(struct cw_creds_provider *p, long total_ms,
	struct cw_err *err)
{
	struct cw_http_opts o = { .connect_timeout_ms = 1000, .timeout_ms = total_ms };

	return cw_http_new(p->ctx, &o, err);
}

/* FULL_URI may only name a loopback, ECS or EKS host over http. */
static int allowed_full_uri(const char *uri)
{
	static const char *const hosts[] = {
		"127.", "localhost", "[::1]", "169.254.170.2", "169.254.170.23",
		"[fd00:ec2::23]",
	};
	const char *h;
	size_t i, n;

	if (strncmp(uri, "https://", 8) == 0)
		return 1;
	if (strncmp(uri, "http://", 7) != 0)
		return 0;
	h = uri + 7;
	n = strcspn(h, "/?#");
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		size_t m = strlen(hosts[i]);

		if (strncmp(h, hosts[i], m) != 0)
			continue;
		if (hosts[i][m - 1] == '.' || m == n || h[m] == ':')
			return !memchr(h, '@', n);
	}
	return 0;
}

static char *container_token(struct cw_creds_provider *p, struct cw_err *err)
{
	const char *file = cw_ctx_getenv(p->ctx, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = cw_ctx_getenv(p->ctx, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	char *t = file ? read_small(file, "container authorization token", err) :
		tok ? strdup(tok) : NULL;

	if (file && !t)
		return NULL;
	if (t && bad_token(t, 1, "container authorization token", err) < 0) {
		free_secret(t);
		return NULL;
	}
	return t ? t : strdup("");
}

/* A GET whose answer is keys in JSON, as the container and instance
 * metadata endpoints give them. */
static int get_keys(struct cw_creds_provider *p, struct cw_http *h,
	const char *url, const struct cw_header *hdrs, size_t nh,
	const char *what, struct cw_keys *out, struct cw_err *err)
{
	struct cw_http_response resp;
	cJSON *j = NULL;
	int rc = -1;

	memset(&resp, 0, sizeof(resp));
	if (http_get(p, h, "GET", url, hdrs, nh, &resp, what, err) == 0 &&
	    (j = parse_json(&resp.body, what, err)) &&
	    creds_from_json(j, "Token", out, what, err) == 0)
		rc = 0;
	free_json(j);
	resp_release(&resp);
	return rc;
}

static int from_container(struct cw_creds_provider *p, struct cw_keys *out,
	struct cw_err *err)
{
	const char *rel = cw_ctx_getenv(p->ctx, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = cw_ctx_getenv(p->ctx, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	struct cw_header auth = { "Authorization", NULL };
	struct cw_buf url = CW_BUF_INIT;
	struct cw_http *h = NULL;
	char *token = NULL;
	int rc = -1;

	if (!rel && !full)
		return 0;
	if (rel ? cw_buf_addf(&url, ECS_HOST "%s%s", *rel == '/' ? "" : "/", rel) :
	    cw_buf_adds(&url, full)) {
		cw_err_set(err, "container credentials: out of memory");
		goto out;
	}
	if (!rel && !allowed_full_uri(full)) {
		cw_err_set(err, "container credentials: host not allowed in "
			"AWS_CONTAINER_CREDENTIALS_FULL_URI '%.200s' (loopback, ECS or EKS only)", full);
		goto out;
	}
	if (!(token = container_token(p, err)) || !(h = short_http(p, 5000, err)))
		goto out;
	auth.value = token;
	if (get_keys(p, h, url.p, &auth, *token ? 1 : 0,
	    "container credentials", out, err) < 0)
		goto out;
	set_source(out, "container", "");
	rc = 1;
out:
	cw_http_free(h);
	free_secret(token);
	cw_buf_release(&url);
	return rc;
}

static int imds_disabled(const struct cw_ctx *ctx)
{
	const char *v = cw_ctx_getenv(ctx, "AWS_EC2_METADATA_DISABLED");

	return v && strcasecmp(v, "true") == 0;
}

/* IMDSv2: a session token first, then the role name, then its keys. */
static int imds_fetch(struct cw_creds_provider *p, struct cw_http *h,
	const char *base, struct cw_keys *out, struct cw_err *err)
{
	struct cw_header hd[1] = { { "X-aws-ec2-metadata-token-ttl-seconds", "21600" } };
	struct cw_http_response resp;
	struct cw_buf url = CW_BUF_INIT;
	char *token = NULL, role[256];
	int rc = -1;

	memset(&resp, 0, sizeof(resp));
	cw_buf_addf(&url, "%s/latest/api/token", base);
	if (http_get(p, h, "PUT", cw_buf_str(&url), hd, 1, &resp, "instance metadata", err) < 0)
		goto out;
	token = cw_buf_detach(&resp.body, NULL);
	resp_release(&resp);
	if (!token) {
		cw_err_set(err, "instance metadata: out of memory");
		goto out;
	}
	if (bad_token(token, 0, "instance metadata token", err) < 0)
		goto out;
	hd[0].name = "X-aws-ec2-metadata-token";
	hd[0].value = token;
	cw_buf_reset(&url);
	cw_buf_addf(&url, "%s/latest/meta-data/iam/security-credentials/", base);
	if (http_get(p, h, "GET", cw_buf_str(&url), hd, 1, &resp, "instance metadata", err) < 0)
		goto out;
	snprintf(role, sizeof(role), "%.*s", (int)strcspn(cw_buf_str(&resp.body), "\r\n"),
		cw_buf_str(&resp.body));
	resp_release(&resp);
	if (!role[0] || strchr(role, '/')) {
		cw_err_set(err, "instance metadata: no IAM role attached");
		goto out;
	}
	cw_buf_reset(&url);
	cw_buf_addf(&url, "%s/latest/meta-data/iam/security-credentials/%s", base, role);
	if (get_keys(p, h, cw_buf_str(&url), hd, 1, "instance metadata", out,
	    err) < 0)
		goto out;
	set_source(out, "instance metadata", "");
	rc = 1;
out:
	resp_release(&resp);
	free_secret(token);
	cw_buf_release(&url);
	return rc;
}

static int from_imds(struct cw_creds_provider *p, struct cw_keys *out,
	struct cw_err *err)
{
	const char *ep = cw_ctx_getenv(p->ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
	char base[512];
	struct cw_http *h;
	size_t n;
	int rc;

	if (imds_disabled(p->ctx))
		return 0;
	snprintf(base, sizeof(base), "%s", ep ? ep : IMDS_HOST);
	n = strlen(base);
	while (n && base[n - 1] == '/')
		base[--n] = '\0';
	if (!(h = short_http(p, 3000, err)))
		return -1;
	rc = imds_fetch(p, h, base, out, err);
	cw_http_free(h);
	return rc;
}

/* ---- credential_process ---- */

/* Runs the command through /bin/sh -c, as the AWS CLI runs it, and
 * collects at most 64 KiB of its standard output; a signal stops it. */
static int run_process(const struct cw_ctx *ctx, const char *cmd,
	struct cw_buf *outb, int *status, struct cw_err *err)
{
	int fd[2];
	pid_t pid;
	char chunk[4096];
	ssize_t n;
	int too_big = 0;

	if (pipe2(fd, O_CLOEXEC) < 0)
		return cw_err_set(err, "pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return cw_err_set(err, "fork: %s", strerror(errno));
	}
	if (pid == 0) {
		dup2(fd[1], 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	while ((n = cw_cancel_read(ctx ? ctx->cancel : NULL, fd[0], chunk,
			sizeof(chunk))) != 0) {
		if (n < 0 || (!too_big && cw_buf_add(outb, chunk, (size_t)n) < 0)) {
			too_big = 1;
			break;
		}
	}
	explicit_bzero(chunk, sizeof(chunk));
	close(fd[0]);
	if (too_big)
		kill(pid, SIGTERM);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	if (cw_ctx_cancelled(ctx))
		return cw_cancel_err(err);
	return too_big ? cw_err_set(err, "output larger than 64 KiB") : 0;
}

static int from_process(struct cw_creds_provider *p, const char *name,
	const char *cmd, struct cw_keys *out, struct cw_err *err)
{
	struct cw_buf b;
	const cJSON *ver;
	cJSON *j = NULL;
	int status = 0, rc = -1;

	cw_buf_init(&b, MAX_OUTPUT);
	cw_ctx_trace(p->ctx, "credentials: running credential_process of profile %s", name);
	if (run_process(p->ctx, cmd, &b, &status, err) < 0)
		goto out;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		cw_err_set(err, "credential_process %s with status %d",
			WIFEXITED(status) ? "exited" : "was killed",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		goto out;
	}
	if (!(j = parse_json(&b, "credential_process", err)))
		goto out;
	ver = cJSON_GetObjectItemCaseSensitive(j, "Version");
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
		cw_err_set(err, "credential_process: Version 1 expected");
		goto out;
	}
	if (creds_from_json(j, "SessionToken", out, "credential_process", err) < 0)
		goto out;
	rc = 0;
out:
	free_json(j);
	cw_buf_wipe(&b);
	return rc < 0 ? cw_err_wrap(err, "profile %s", name) : 0;
}

/* ---- SSO token cache ---- */

static void sha1_hex(const char *s, char out[41])
{
	cw_sigv4_sha1_hex(s, strlen(s), out);
}

/* The cached access token for a session name or a start URL, or an
 * error that says to log in again. */
static char *sso_token(struct cw_creds_provider *p, const char *profile,
	const char *key, struct cw_err *err)
{
	const char *home = cw_ctx_getenv(p->ctx, "HOME");
	char hash[41], path[1200], *text = NULL, *tok = NULL;
	const char *at, *exp;
	struct cw_err ignored;
	struct cw_buf b = CW_BUF_INIT;
	int64_t ms;
	cJSON *j = NULL;

	sha1_hex(key, hash);
	snprintf(path, sizeof(path), "%s/.aws/sso/cache/%s.json", home ? home : "", hash);
	text = read_small(path, "sso cache", &ignored);
	if (text)
		cw_buf_adds(&b, text);
	j = text ? parse_json(&b, "sso cache", &ignored) : NULL;
	at = jstr(j, "accessToken");
	exp = jstr(j, "expiresAt");
	if (!at || !exp || cw_timespec_iso(exp, &ms) < 0 || ms <= cw_ctx_now_ms(p->ctx))
		cw_err_set(err, "profile %s: the SSO session has expired or is invalid; "
			"run 'aws sso login --profile %s'", profile, profile);
	else if (bad_token(at, 0, "sso cache accessToken", err) == 0)
		tok = strdup(at);
	free_json(j);
	free_secret(text);
	cw_buf_wipe(&b);
	return tok;
}

static int sso_endpoint(struct cw_creds_provider *p, const char *region,
	const char *role, const char *account, struct cw_buf *url)
{
	const char *ep = cw_ctx_getenv(p->ctx, "AWS_ENDPOINT_URL_SSO");
	size_t n;

	if (!ep)
		ep = cw_ctx_getenv(p->ctx, "AWS_ENDPOINT_URL");
	if (ep)
		cw_buf_adds(url, ep);
	else
		cw_buf_addf(url, "https://portal.sso.%s.amazonaws.com", region);
	n = url->len;
	while (n && url->p[n - 1] == '/')
		url->p[--n] = '\0';
	url->len = n;
	cw_buf_adds(url, "/federation/credentials?role_name=");
	cw_http_urlencode(url, role, strlen(role), 0);
	cw_buf_adds(url, "&account_id=");
	return cw_http_urlencode(url, account, strlen(account), 0);
}

/* GetRoleCredentials gives the expiration in ms; a bad one means the
 * keys are refreshed at once rather than trusted forever. */
static int64_t sso_expiration(const cJSON *exp)
{
	int64_t ms;

	if (!cJSON_IsNumber(exp))
		return 0;
	return cw_timespec_from_number(exp->valuedouble, 1, &ms) < 0 ? 1 : ms;
}

static int from_sso(struct cw_creds_provider *p, const char *name,
	struct cw_keys *out, struct cw_err *err)
{
	const char *sess = cw_profile_get_in(p->files, name, "sso_session");
	const char *account = cw_profile_get_in(p->files, name, "sso_account_id");
	const char *role = cw_profile_get_in(p->files, name, "sso_role_name");
	const char *region = cw_profile_get_in(p->files, name, "sso_region");
	const char *key = cw_profile_get_in(p->files, name, "sso_start_url");
	struct cw_header auth = { "x-amz-sso_bearer_token", NULL };
	struct cw_http_response resp;
	struct cw_buf url = CW_BUF_INIT;
	char section[200], *token = NULL;
	const cJSON *rc_obj, *exp;
	cJSON *j = NULL;
	int rc = -1;

	memset(&resp, 0, sizeof(resp));
	if (sess) {
		snprintf(section, sizeof(section), "sso-session %s", sess);
		if (!cw_ini_has_section(p->files->config, section))
			return cw_err_set(err, "profile %s: sso-session %s not found", name, sess);
		region = cw_ini_get(p->files->config, section, "sso_region");
		key = sess;
	}
	if (!account || !role || !region || !key)
		return cw_err_set(err, "profile %s: incomplete SSO settings (need sso_account_id, "
			"sso_role_name, sso_region and sso_session or sso_start_url)", name);
	if (!(token = sso_token(p, name, key, err)))
		return -1;
	auth.value = token;
	if (!p->http) {
		cw_err_set(err, "sso: no HTTP handle");
		goto out;
	}
	sso_endpoint(p, region, role, account, &url);
	if (http_get(p, p->http, "GET", cw_buf_str(&url), &auth, 1, &resp,
	    "sso GetRoleCredentials", err) < 0 ||
	    !(j = parse_json(&resp.body, "sso GetRoleCredentials", err)))
		goto out;
	rc_obj = cJSON_GetObjectItemCaseSensitive(j, "roleCredentials");
	exp = cJSON_GetObjectItemCaseSensitive(rc_obj, "expiration");
	if (!jstr(rc_obj, "accessKeyId") || !jstr(rc_obj, "secretAccessKey")) {
		cw_err_set(err, "sso GetRoleCredentials: no roleCredentials in the response");
		goto out;
	}
	if (cw_keys_set(out, jstr(rc_obj, "accessKeyId"), jstr(rc_obj, "secretAccessKey"),
	    jstr(rc_obj, "sessionToken"), sso_expiration(exp), "sso GetRoleCredentials",
	    err) < 0)
		goto out;
	rc = 0;
out:
	free_json(j);
	resp_release(&resp);
	free_secret(token);
	cw_buf_release(&url);
	return rc < 0 && !strstr(err->msg, "sso login") ? cw_err_wrap(err, "profile %s", name) : rc;
}

/* ---- profiles ---- */

static int resolve_profile(struct cw_creds_provider *p, const char *name,
	struct chain *ch, struct cw_keys *out, struct cw_err *err);

static int chain_error(const char *name, const struct chain *ch, struct cw_err *err)
{
	char path[600] = "";
	size_t i, n = 0;

	for (i = 0; i < ch->n && n < sizeof(path); i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "%s -> ", ch->names[i]);
	if (n < sizeof(path))
		snprintf(path + n, sizeof(path) - n, "%s", name);
	return cw_err_set(err, "profile %s: source_profile cycle %s", ch->names[0], path);
}

static int static_keys(const char *ak, const char *sk, const char *tok,
	struct cw_keys *out, const char *name, struct cw_err *err)
{
	char what[200];

	if (!ak || !*ak)
		return 0;
	if (!sk || !*sk)
		return cw_err_set(err, "profile %s: aws_access_key_id without aws_secret_access_key", name);
	snprintf(what, sizeof(what), "profile %s", name);
	return cw_keys_set(out, ak, sk, tok, 0, what, err) < 0 ? -1 : 1;
}

/* Static keys of a profile: credentials file first, then config. */
static int profile_keys(struct cw_creds_provider *p, const char *name,
	int config_too, struct cw_keys *out, struct cw_err *err)
{
	const struct cw_ini *c = p->files->credentials;
	int rc = static_keys(cw_ini_get(c, name, "aws_access_key_id"),
		cw_ini_get(c, name, "aws_secret_access_key"),
		cw_ini_get(c, name, "aws_session_token"), out, name, err);

	if (rc || !config_too)
		return rc;
	return static_keys(cw_profile_get_in(p->files, name, "aws_access_key_id"),
		cw_profile_get_in(p->files, name, "aws_secret_access_key"),
		cw_profile_get_in(p->files, name, "aws_session_token"), out, name, err);
}

static int source_credentials(struct cw_creds_provider *p, const char *name,
	const char *kind, struct cw_keys *out, struct cw_err *err)
{
	int rc;

	if (strcmp(kind, "Environment") == 0)
		rc = from_env(p, out, err);
	else if (strcmp(kind, "Ec2InstanceMetadata") == 0)
		rc = imds_disabled(p->ctx) ? 0 : from_imds(p, out, err);
	else if (strcmp(kind, "EcsContainer") == 0)
		rc = from_container(p, out, err);
	else
		return cw_err_set(err, "profile %s: unknown credential_source '%s' "
			"(Environment, Ec2InstanceMetadata or EcsContainer)", name, kind);
	if (rc == 0)
		return cw_err_set(err, "profile %s: credential_source %s has no credentials",
			name, kind);
	return rc < 0 ? cw_err_wrap(err, "profile %s: credential_source %s", name, kind) : 0;
}

static int parse_duration(const char *s, int *out)
{
	char *end;
	long v;

	*out = 0;
	if (!s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 900 || v > 43200)
		return -1;
	*out = (int)v;
	return 0;
}

/* Asks for the MFA code on the terminal, the only place it can come from. */
static int mfa_code(struct cw_creds_provider *p, const char *name, const char *serial,
	char *code, size_t size, struct cw_err *err)
{
	char q[400];

	if (!p->ctx->prompt)
		return cw_err_set(err, "profile %s: mfa_serial is set but there is no "
			"terminal to ask for the code", name);
	snprintf(q, sizeof(q), "Enter MFA code for %s: ", serial);
	if (p->ctx->prompt(p->ctx->arg, q, code, size) < 0 || !code[0])
		return cw_err_set(err, "profile %s: no MFA code entered", name);
	code[strcspn(code, "\r\n")] = '\0';
	return 0;
}

static int sts_assume(struct cw_creds_provider *p, const struct cw_sts_assume *a,
	const struct cw_keys *src, struct cw_keys *out, struct cw_err *err)
{
	struct cw_client c;
	int rc = -1;

	if (sts_client(p, &c, src, err) == 0)
		rc = cw_sts_assume_role(&c, a, out, err);
	cw_client_release(&c);
	return rc;
}

static int assume_role(struct cw_creds_provider *p, const char *name,
	const struct cw_keys *src, struct cw_keys *out, struct cw_err *err)
{
	const struct cw_profile *pr = p->files;
	struct cw_sts_assume a = {
		.role_arn = cw_profile_cred(pr, name, "role_arn"),
		.external_id = cw_profile_cred(pr, name, "external_id"),
		.serial_number = cw_profile_cred(pr, name, "mfa_serial"),
	};
	char session[128], code[64] = "";
	int rc;

	if (parse_duration(cw_profile_cred(pr, name, "duration_seconds"), &a.duration_s) < 0)
		return cw_err_set(err, "profile %s: duration_seconds must be 900 to 43200", name);
	session_name(p->ctx, cw_profile_cred(pr, name, "role_session_name"), session,
		sizeof(session));
	a.session_name = session;
	if (a.serial_number && mfa_code(p, name, a.serial_number, code, sizeof(code), err) < 0)
		return -1;
	a.token_code = code;
	rc = sts_assume(p, &a, src, out, err);
	explicit_bzero(code, sizeof(code));
	return rc < 0 ? cw_err_wrap(err, "profile %s", name) : 0;
}

/* A role named by the caller, assumed with the base provider's keys. */
static int from_given_role(struct cw_creds_provider *p, struct cw_keys *out,
	struct cw_err *err)
{
	struct cw_sts_assume a = { .role_arn = p->role_arn,
		.external_id = p->external_id };
	const struct cw_keys *src;
	char session[128];

	session_name(p->ctx, NULL, session, sizeof(session));
	a.session_name = session;
	if (cw_creds_get(p->base, &src, err) < 0
			|| sts_assume(p, &a, src, out, err) < 0)
		return cw_err_wrap(err, "role %s", p->role_arn);
	set_source(out, "role ", p->role_arn);
	return 1;
}

/* role_arn with source_profile or credential_source: the source's keys
 * call AssumeRole. A profile naming itself uses its own static keys. */
static int from_role(struct cw_creds_provider *p, const char *name,
	struct chain *ch, struct cw_keys *out, struct cw_err *err)
{
	const struct cw_profile *pr = p->files;
	const char *sp = cw_profile_cred(pr, name, "source_profile");
	const char *cs = cw_profile_cred(pr, name, "credential_source");
	const char *wif = cw_profile_cred(pr, name, "web_identity_token_file");
	struct cw_keys src = { 0 };
	int rc;

	if (sp && cs)
		return cw_err_set(err, "profile %s: source_profile and credential_source "
			"are mutually exclusive", name);
	if (!sp && !cs && wif)
		return web_identity(p, cw_profile_cred(pr, name, "role_arn"), wif,
			cw_profile_cred(pr, name, "role_session_name"), out, err) < 0 ?
			cw_err_wrap(err, "profile %s: web identity", name) : 0;
	if (!sp && !cs)
		return cw_err_set(err, "profile %s: role_arn needs source_profile or "
			"credential_source", name);
	if (cs)
		rc = source_credentials(p, name, cs, &src, err);
	else if (strcmp(sp, name) == 0)
		rc = profile_keys(p, name, 1, &src, err) > 0 ? 0 :
			cw_err_set(err, "profile %s: source_profile is itself but it has no keys", name);
	else if (!cw_profile_exists(pr, sp))
		rc = cw_err_set(err, "profile %s: source_profile %s not found", name, sp);
	else
		rc = resolve_profile(p, sp, ch, &src, err) > 0 ? 0 :
			(err->msg[0] ? -1 : cw_err_set(err, "profile %s: source_profile %s "
			"has no credentials", name, sp));
	if (rc == 0)
		rc = assume_role(p, name, &src, out, err);
	cw_keys_release(&src);
	return rc;
}

/*
 * One profile, in botocore's order: role_arn (AssumeRole or web
 * identity), SSO, static keys in the credentials file,
 * credential_process, static keys in the config file. 1 found, 0
 * nothing configured, -1 error.
 */
static int resolve_profile(struct cw_creds_provider *p, const char *name,
	struct chain *ch, struct cw_keys *out, struct cw_err *err)
{
	const struct cw_profile *pr = p->files;
	const char *proc;
	size_t i;
	int rc;

	for (i = 0; i < ch->n; i++)
		if (strcmp(ch->names[i], name) == 0)
			return chain_error(name, ch, err);
	if (ch->n == MAX_CHAIN)
		return cw_err_set(err, "profile %s: source_profile chain too long", ch->names[0]);
	ch->names[ch->n++] = name;
	if (cw_profile_cred(pr, name, "role_arn"))
		rc = from_role(p, name, ch, out, err) < 0 ? -1 : 1;
	else if (cw_profile_get_in(pr, name, "sso_session") ||
		 cw_profile_get_in(pr, name, "sso_start_url"))
		rc = from_sso(p, name, out, err) < 0 ? -1 : 1;
	else if ((rc = profile_keys(p, name, 0, out, err)) != 0)
		;
	else if ((proc = cw_profile_cred(pr, name, "credential_process")))
		rc = from_process(p, name, proc, out, err) < 0 ? -1 : 1;
	else
		rc = profile_keys(p, name, 1, out, err);
	ch->n--;
	if (rc > 0 && ch->n == 0)
		set_source(out, "profile ", name);
	return rc;
}

static int from_profile(struct cw_creds_provider *p, struct cw_keys *out,
	struct cw_err *err)
{
	struct chain ch = { { NULL }, 0 };

	return resolve_profile(p, p->name, &ch, out, err);
}

/* ---- the chain ---- */

static int run_source(struct cw_creds_provider *p, enum source s,
	struct cw_keys *out, struct cw_err *err)
{
	switch (s) {
	case SRC_ENV:
		return p->profile_flag ? 0 : from_env(p, out, err);
	case SRC_WEB_IDENTITY:
		return from_web_identity_env(p, out, err);
	case SRC_PROFILE:
		return from_profile(p, out, err);
	case SRC_CONTAINER:
		return from_container(p, out, err);
	case SRC_IMDS:
		return from_imds(p, out, err);
	case SRC_ROLE:
		return from_given_role(p, out, err);
	}
	return 0;
}

static void tried(struct cw_creds_provider *p, struct cw_err *err)
{
	char cfg[400], cred[400];

	tilde(p->ctx, p->files->config_path[0] ? p->files->config_path : "~/.aws/config",
		cfg, sizeof(cfg));
	tilde(p->ctx, p->files->credentials_path[0] ? p->files->credentials_path :
		"~/.aws/credentials", cred, sizeof(cred));
	cw_err_set(err, "no credentials: tried %sweb identity, profile %s "
		"(%s, %s), container, instance metadata%s",
		p->profile_flag ? "" : "environment, ", p->name, cred, cfg,
		imds_disabled(p->ctx) ? " (disabled)" : "");
}

/* The first source with keys wins; a source that is configured but
 * fails stops the chain, as the AWS CLI does. Instance metadata is the
 * exception: on most machines it is simply not there. */
static int resolve(struct cw_creds_provider *p, struct cw_keys *out, struct cw_err *err)
{
	enum source s;
	int rc;

	for (s = SRC_ENV; s <= SRC_IMDS; s++) {
		cw_err_clear(err);
		rc = run_source(p, s, out, err);
		if (rc < 0 && s == SRC_IMDS) {
			cw_ctx_trace(p->ctx, "credentials: %s", err->msg);
			rc = 0;
		}
		if (rc < 0)
			return -1;
		if (rc > 0) {
			p->kind = s;
			cw_ctx_trace(p->ctx, "credentials: %s", out->source);
			return 0;
		}
	}
	tried(p, err);
	return -1;
}

static struct cw_creds_provider *given_role(struct cw_creds_provider *p,
	const struct cw_creds_opts *opts, struct cw_err *err)
{
	p->kind = SRC_ROLE;
	p->base = opts->base;
	p->role_arn = opts->role_arn;
	p->external_id = opts->external_id;
	if (!p->base) {
		cw_err_set(err, "role %s: no keys to assume it with", p->role_arn);
	} else if (from_given_role(p, &p->cur, err) > 0) {
		cw_ctx_trace(p->ctx, "credentials: %s", p->cur.source);
		return p;
	}
	cw_creds_provider_free(p);
	return NULL;
}

struct cw_creds_provider *cw_creds_provider_new(const struct cw_ctx *ctx,
	struct cw_http *http, const struct cw_creds_opts *opts,
	struct cw_err *err)
{
	struct cw_creds_provider *p = calloc(1, sizeof(*p));
	const char *name = opts ? opts->profile : NULL;

	if (!p) {
		cw_err_set(err, "credentials: out of memory");
		return NULL;
	}
	p->ctx = ctx;
	p->http = http;
	if (opts && opts->region)
		snprintf(p->region, sizeof(p->region), "%s", opts->region);
	/* botocore drops the environment keys only for a profile named on
	 * the command line; AWS_PROFILE leaves them first. */
	p->profile_flag = name && *name;
	if (opts && opts->files)
		p->files = opts->files;
	else if (cw_profile_load(&p->own, ctx, name, err) < 0) {
		free(p);
		return NULL;
	} else {
		p->own_loaded = 1;
		p->files = &p->own;
	}
	p->name = name && *name ? name : p->files->name;
	if (opts && opts->role_arn)
		return given_role(p, opts, err);
	if (strcmp(p->name, p->files->name) != 0
			&& !cw_profile_exists(p->files, p->name)) {
		cw_err_set(err, "profile %s: not found", p->name);
		cw_creds_provider_free(p);
		return NULL;
	}
	if (resolve(p, &p->cur, err) < 0) {
		cw_creds_provider_free(p);
		return NULL;
	}
	return p;
}

static int source_get(void *arg, const struct cw_keys **out,
	struct cw_err *err)
{
	return cw_creds_get(arg, out, err);
}

struct cw_keys_source cw_creds_source(struct cw_creds_provider *p)
{
	struct cw_keys_source s = { source_get, p };

	return s;
}

/* Temporary keys are replaced five minutes before they expire; if the
 * refresh fails while the old keys still work, they are used. */
int cw_creds_get(struct cw_creds_provider *p, const struct cw_keys **out,
	struct cw_err *err)
{
	struct cw_keys fresh = { 0 };
	int64_t now = cw_ctx_now_ms(p->ctx);

	*out = &p->cur;
	if (!p->cur.expires_ms || p->cur.expires_ms - now > REFRESH_MS)
		return 0;
	cw_ctx_trace(p->ctx, "credentials: refreshing %s", p->cur.source);
	if (run_source(p, p->kind, &fresh, err) <= 0) {
		cw_keys_release(&fresh);
		if (p->cur.expires_ms > now)
			return 0;
		if (!err->msg[0])
			cw_err_set(err, "credentials: %s no longer yields keys", p->cur.source);
		return cw_err_wrap(err, "refresh credentials");
	}
	snprintf(fresh.source, sizeof(fresh.source), "%s", p->cur.source);
	cw_keys_release(&p->cur);
	p->cur = fresh;
	return 0;
}

void cw_creds_provider_free(struct cw_creds_provider *p)
{
	if (!p)
		return;
	cw_keys_release(&p->cur);
	if (p->own_loaded)
		cw_profile_release(&p->own);
	free(p);
}
