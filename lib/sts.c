#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "sts.h"
#include "timespec.h"
#include "banned.h"

#define STS_VERSION "2011-06-15"
#define MAX_XML ((size_t)1 << 20)
#define MAX_TEXT ((size_t)64 << 10)
#define MAX_DEPTH 32
#define MAX_PAIRS 16

enum want { WANT_CREDS, WANT_IDENTITY };

/* What the expat callbacks collect: the element stack and the text of
 * the innermost element, then the few fields asked for. */
struct xml {
	XML_Parser parser;
	enum want want;
	char stack[MAX_DEPTH][64];
	int depth;
	struct cw_buf text;
	struct cw_buf f[4];	/* fields, in the order of the tables below */
	const char *why;	/* set when a callback stopped the parser */
};

static const char *const cred_fields[4] = {
	"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
};
static const char *const id_fields[4] = { "Account", "Arn", "UserId", NULL };

static void stop(struct xml *x, const char *why)
{
	if (!x->why)
		x->why = why;
	XML_StopParser(x->parser, XML_FALSE);
}

static void XMLCALL on_start(void *arg, const XML_Char *name, const XML_Char **attrs)
{
	struct xml *x = arg;

	(void)attrs;
	if (x->depth == MAX_DEPTH) {
		stop(x, "nested too deeply");
		return;
	}
	snprintf(x->stack[x->depth++], sizeof(x->stack[0]), "%s", name);
	if (x->text.p)
		explicit_bzero(x->text.p, x->text.len);
	cw_buf_reset(&x->text);
}

static void XMLCALL on_text(void *arg, const XML_Char *s, int len)
{
	struct xml *x = arg;

	if (len > 0 && cw_buf_add(&x->text, s, (size_t)len) < 0)
		stop(x, "text too long");
}

static const char *const *fields_of(enum want w, const char **parent)
{
	switch (w) {
	case WANT_CREDS:
		*parent = "Credentials";
		return cred_fields;
	default:
		*parent = "GetCallerIdentityResult";
		return id_fields;
	}
}

static void XMLCALL on_end(void *arg, const XML_Char *name)
{
	struct xml *x = arg;
	const char *parent;
	const char *const *names = fields_of(x->want, &parent);
	int i;

	if (x->depth >= 2 && strcmp(x->stack[x->depth - 2], parent) == 0) {
		for (i = 0; i < 4; i++) {
			if (!names[i] || strcmp(names[i], name) != 0)
				continue;
			cw_buf_wipe(&x->f[i]);
			cw_buf_init(&x->f[i], MAX_TEXT);
			if (cw_buf_add(&x->f[i], cw_buf_str(&x->text), x->text.len) < 0)
				stop(x, "out of memory");
		}
	}
	if (x->text.p)
		explicit_bzero(x->text.p, x->text.len);
	cw_buf_reset(&x->text);
	x->depth--;
}

/* Entities and DTDs have no place in an STS answer; refusing them
 * avoids entity expansion attacks outright. */
static void XMLCALL on_doctype(void *arg, const XML_Char *name,
	const XML_Char *sysid, const XML_Char *pubid, int has_internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal;
	stop(arg, "DOCTYPE not allowed");
}

static void xml_release(struct xml *x)
{
	int i;

	cw_buf_wipe(&x->text);
	for (i = 0; i < 4; i++)
		cw_buf_wipe(&x->f[i]);
	if (x->parser)
		XML_ParserFree(x->parser);
}

static int xml_parse(struct xml *x, enum want w, const char *s, size_t len,
	struct cw_err *err)
{
	int i;

	memset(x, 0, sizeof(*x));
	x->want = w;
	cw_buf_init(&x->text, MAX_TEXT);
	for (i = 0; i < 4; i++)
		cw_buf_init(&x->f[i], MAX_TEXT);
	if (len > MAX_XML)
		return cw_err_set(err, "sts response: too large (%zu bytes)", len);
	if (!(x->parser = XML_ParserCreate("UTF-8")))
		return cw_err_set(err, "sts response: out of memory");
	XML_SetUserData(x->parser, x);
	XML_SetElementHandler(x->parser, on_start, on_end);
	XML_SetCharacterDataHandler(x->parser, on_text);
	XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
	if (XML_Parse(x->parser, s, (int)len, XML_TRUE) != XML_STATUS_OK)
		return cw_err_set(err, "sts response: malformed XML at line %lu: %s",
			(unsigned long)XML_GetCurrentLineNumber(x->parser),
			x->why ? x->why : XML_ErrorString(XML_GetErrorCode(x->parser)));
	return 0;
}

int cw_sts_parse_credentials(const char *xml, size_t len, struct cw_keys *out,
	struct cw_err *err)
{
	struct xml x;
	int64_t ms = 0;
	int rc = -1;

	if (xml_parse(&x, WANT_CREDS, xml, len, err) < 0)
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
	xml_release(&x);
	return rc;
}

static void copy_field(char *dst, size_t size, const struct cw_buf *b)
{
	snprintf(dst, size, "%s", cw_buf_str(b));
}

int cw_sts_parse_identity(const char *xml, size_t len,
	struct cw_sts_identity *out, struct cw_err *err)
{
	struct xml x;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (xml_parse(&x, WANT_IDENTITY, xml, len, err) < 0)
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
	xml_release(&x);
	return rc;
}

/* The botocore form encoding: servers that re-encode before checking
 * the signature accept nothing else. */
static int form_encode(struct cw_buf *out, const char *s)
{
	return cw_http_urlencode(out, s, strlen(s), CW_URLENC_SPACE_PLUS);
}

static int pair_cmp(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(x[0], y[0]);
}

int cw_sts_form(struct cw_buf *out, const char *const *pairs, size_t n)
{
	const char *v[2 * MAX_PAIRS];
	size_t i, m = 0;
	int first = 1;

	for (i = 0; i < n; i++) {
		if (!pairs[2 * i + 1])
			continue;
		if (m == MAX_PAIRS)
			return -1;
		v[2 * m] = pairs[2 * i];
		v[2 * m + 1] = pairs[2 * i + 1];
		m++;
	}
	qsort(v, m, 2 * sizeof(v[0]), pair_cmp);
	for (i = 0; i < m; i++, first = 0)
		if ((!first && cw_buf_addc(out, '&') < 0) || form_encode(out, v[2 * i]) < 0 ||
		    cw_buf_addc(out, '=') < 0 || form_encode(out, v[2 * i + 1]) < 0)
			return -1;
	return 0;
}

/* POSTs the form and hands back the 2xx body; errors come decoded by
 * the client ("Code: message"), the one decoder of XML errors. */
static int call(struct cw_client *c, const char *const *pairs, size_t n,
	struct cw_http_response *resp, struct cw_err *err)
{
	struct cw_client_request rq = {
		.method = "POST", .path = "/",
		.content_type = "application/x-www-form-urlencoded",
	};
	struct cw_buf body = CW_BUF_INIT;
	int rc;

	if (cw_sts_form(&body, pairs, n) < 0) {
		cw_buf_wipe(&body);
		return cw_err_set(err, "sts: request too large");
	}
	rq.body = cw_buf_str(&body);
	rq.body_len = body.len;
	c->secret_bodies = 1;
	memset(resp, 0, sizeof(*resp));
	rc = cw_client_send(c, &rq, resp, err);
	cw_buf_wipe(&body);
	return rc;
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
