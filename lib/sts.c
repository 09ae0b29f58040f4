#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "sts.h"
#include "timespec.h"
#include "banned.h"

#define STS_VERSION "2011-06-15"
#define MAX_TEXT ((size_t)64 << 10)

/* The fields asked for, as the parse sees them end. */
struct fields {
	const char *parent;
	const char *const *names;	/* 4 entries, NULL for none */
	struct cw_buf f[4];
};

static const char *const cred_fields[4] = {
	"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
};
static const char *const id_fields[4] = { "Account", "Arn", "UserId", NULL };

static int on_element(void *arg, const char *parent, const char *name,
	const char *text, size_t len, const char **why)
{
	struct fields *x = arg;
	int i;

	if (strcmp(parent, x->parent) != 0)
		return 0;
	for (i = 0; i < 4; i++) {
		if (!x->names[i] || strcmp(x->names[i], name) != 0)
			continue;
		cw_buf_wipe(&x->f[i]);
		cw_buf_init(&x->f[i], MAX_TEXT);
		if (cw_buf_add(&x->f[i], text, len) < 0) {
			*why = "out of memory";
			return -1;
		}
	}
	return 0;
}

static void fields_release(struct fields *x)
{
	int i;

	for (i = 0; i < 4; i++)
		cw_buf_wipe(&x->f[i]);
}

static int fields_parse(struct fields *x, const char *parent,
	const char *const *names, const char *s, size_t len,
	struct cw_err *err)
{
	int i;

	memset(x, 0, sizeof(*x));
	x->parent = parent;
	x->names = names;
	for (i = 0; i < 4; i++)
		cw_buf_init(&x->f[i], MAX_TEXT);
	return cw_query_xml("sts response", s, len, on_element, x, err);
}

int cw_sts_parse_credentials(const char *xml, size_t len, struct cw_keys *out,
	struct cw_err *err)
{
	struct fields x;
	int64_t ms = 0;
	int rc = -1;

	if (fields_parse(&x, "Credentials", cred_fields, xml, len, err) < 0)
		goto out;
	if (!x.f[0].len || !x.f[1].len || !x.f[2].len) {
		cw_err_set(err, "sts response: no credentials in the result");
		goto out;
	}
	if (x.f[3].len && cw_timespec_iso(cw_buf_str(&x.f[3]), &ms) < 0) {
		cw_err_set(err, "sts response: bad expiration '%.64s'", cw_buf_str(&x.f[3]));
		goto out;
	}
	rc = cw_keys_set(out, cw_buf_str(&x.f[0]), cw_buf_str(&x.f[1]),
		cw_buf_str(&x.f[2]), ms, "sts response", err);
out:
	fields_release(&x);
	return rc;
}

static void copy_field(char *dst, size_t size, const struct cw_buf *b)
{
	snprintf(dst, size, "%s", cw_buf_str(b));
}

int cw_sts_parse_identity(const char *xml, size_t len,
	struct cw_sts_identity *out, struct cw_err *err)
{
	struct fields x;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (fields_parse(&x, "GetCallerIdentityResult", id_fields, xml, len,
			err) < 0)
		goto out;
	if (!x.f[0].len || !x.f[1].len) {
		cw_err_set(err, "sts response: no identity in the result");
		goto out;
	}
	copy_field(out->account, sizeof(out->account), &x.f[0]);
	copy_field(out->arn, sizeof(out->arn), &x.f[1]);
	copy_field(out->user_id, sizeof(out->user_id), &x.f[2]);
	rc = 0;
out:
	fields_release(&x);
	return rc;
}

/* Neither tokens nor keys reach the trace. */
static int call(struct cw_client *c, const char *const *pairs, size_t n,
	struct cw_http_response *resp, struct cw_err *err)
{
	c->secret_bodies = 1;
	return cw_query_call(c, pairs, n, resp, err);
}

static const char *num(char *buf, size_t size, int v)
{
	if (v <= 0)
		return NULL;
	snprintf(buf, size, "%d", v);
	return buf;
}

static int credentials_call(struct cw_client *c, const char *const *pairs,
	size_t n, struct cw_keys *out, struct cw_err *err)
{
	struct cw_http_response resp;
	int rc = -1;

	if (call(c, pairs, n, &resp, err) < 0)
		goto out;
	rc = cw_sts_parse_credentials(cw_buf_str(&resp.body), resp.body.len, out, err);
out:
	cw_buf_wipe(&resp.body);
	cw_http_response_release(&resp);
	return rc;
}

int cw_sts_assume_role(struct cw_client *c, const struct cw_sts_assume *a,
	struct cw_keys *out, struct cw_err *err)
{
	char dur[16];
	const char *pairs[] = {
		"Action", "AssumeRole",
		"Version", STS_VERSION,
		"RoleArn", a->role_arn,
		"RoleSessionName", a->session_name,
		"ExternalId", a->external_id,
		"DurationSeconds", num(dur, sizeof(dur), a->duration_s),
		"SerialNumber", a->serial_number,
		"TokenCode", a->serial_number ? a->token_code : NULL,
	};

	if (!a->role_arn || !a->session_name)
		return cw_err_set(err, "assume role: role ARN and session name required");
	if (credentials_call(c, pairs, sizeof(pairs) / sizeof(pairs[0]) / 2, out, err) < 0)
		return cw_err_wrap(err, "assume role %s", a->role_arn);
	return 0;
}

int cw_sts_assume_role_with_web_identity(struct cw_client *c,
	const char *role_arn, const char *session_name, const char *token,
	int duration_s, struct cw_keys *out, struct cw_err *err)
{
	char dur[16];
	const char *pairs[] = {
		"Action", "AssumeRoleWithWebIdentity",
		"Version", STS_VERSION,
		"RoleArn", role_arn,
		"RoleSessionName", session_name,
		"WebIdentityToken", token,
		"DurationSeconds", num(dur, sizeof(dur), duration_s),
	};

	if (!role_arn || !session_name || !token)
		return cw_err_set(err, "assume role with web identity: role ARN, session name and token required");
	if (c->keys.get || c->fixed)
		return cw_err_set(err, "assume role with web identity: the call must be unsigned");
	if (credentials_call(c, pairs, sizeof(pairs) / sizeof(pairs[0]) / 2, out, err) < 0)
		return cw_err_wrap(err, "assume role with web identity %s", role_arn);
	return 0;
}

int cw_sts_get_caller_identity(struct cw_client *c, struct cw_sts_identity *out,
	struct cw_err *err)
{
	const char *pairs[] = { "Action", "GetCallerIdentity", "Version", STS_VERSION };
	struct cw_http_response resp;
	int rc = -1;

	if (call(c, pairs, 2, &resp, err) < 0)
		goto out;
	rc = cw_sts_parse_identity(cw_buf_str(&resp.body), resp.body.len, out, err);
out:
	cw_http_response_release(&resp);
	return rc < 0 ? cw_err_wrap(err, "get caller identity") : 0;
}
