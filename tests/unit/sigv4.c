/*
 * SigV4 against every case of the official vectors in
 * tests/sigv4-testsuite (classic/ and crt-v4/, header and query
 * variants), plus the signing-key cache. Run from the top directory.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "buf.h"
#include "err.h"
#include "sigv4.h"
#include "tap.h"
#include "banned.h"

#define SUITE "tests/sigv4-testsuite"
#define MAXH 32

static const char *session_token =
	"6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";

struct req {
	char *text;		/* the file, cut in place */
	char *method, *path, *query;
	struct cw_header h[MAXH];
	size_t nh;
	char *body;
	size_t body_len;
	char extra[4][512];	/* headers the harness adds */
};

static char *slurp(const char *path, size_t *len)
{
	struct cw_buf b = CW_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		cw_buf_add(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	return cw_buf_detach(&b, NULL);
}

/* The request line splits at the first and the last space only
 * (get-space has a raw space in the target). */
static int parse_request_line(struct req *r, char *line)
{
	char *sp1 = strchr(line, ' '), *sp2 = strrchr(line, ' '), *q;

	if (!sp1 || sp1 == sp2)
		return -1;
	*sp1 = *sp2 = '\0';
	r->method = line;
	r->path = sp1 + 1;
	q = strchr(r->path, '?');
	r->query = NULL;
	if (q) {
		*q = '\0';
		r->query = q + 1;
	}
	return 0;
}

/* Header lines are "Name:value"; a line starting with whitespace
 * continues the previous value (obs-fold) and is kept with its line
 * break for the signer to collapse. */
static int parse_req(struct req *r, const char *path)
{
	size_t len;
	char *p, *nl, *end;

	memset(r, 0, sizeof(*r));
	if (!(r->text = slurp(path, &len)))
		return -1;
	end = r->text + len;
	nl = strchr(r->text, '\n');
	if (!nl)
		nl = end;
	*nl = '\0';
	if (parse_request_line(r, r->text) < 0)
		return -1;
	for (p = nl < end ? nl + 1 : end; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl == p) {		/* the blank line: body follows */
			r->body = nl + 1 <= end ? nl + 1 : end;
			r->body_len = (size_t)(end - r->body);
			break;
		}
		*nl = '\0';
		if ((*p == ' ' || *p == '\t') && r->nh) {
			p[-1] = '\n';	/* rejoin with the previous line */
			continue;
		}
		if (r->nh == MAXH || !strchr(p, ':'))
			return -1;
		r->h[r->nh].name = p;
		*strchr(p, ':') = '\0';
		r->h[r->nh].value = p + strlen(p) + 1;
		r->nh++;
		if (nl == end)
			break;
	}
	return 0;
}

static void add_header(struct req *r, int slot, const char *name, const char *value)
{
	snprintf(r->extra[slot], sizeof(r->extra[slot]), "%s", value);
	r->h[r->nh].name = name;
	r->h[r->nh].value = r->extra[slot];
	r->nh++;
}

static struct cw_sigv4_request to_sigv4(const struct req *r)
{
	struct cw_sigv4_request rq = {
		.method = r->method, .path = r->path, .query = r->query,
		.headers = r->h, .nheaders = r->nh,
		.body = r->body, .body_len = r->body_len,
	};
	return rq;
}

static const char *signature_of(const char *s, const char *marker)
{
	const char *p = strstr(s, marker);

	return p ? p + strlen(marker) : "";
}

static char *path_join(const char *dir, const char *name, const char *suffix)
{
	struct cw_buf b = CW_BUF_INIT;

	cw_buf_addf(&b, "%s/%s%s", dir, name, suffix);
	return cw_buf_detach(&b, NULL);
}

static int expect_file(const char *got, const char *file, const char *name)
{
	char *want = slurp(file, NULL), label[512];
	int r;

	if (!want)
		diag("cannot read %s", file);
	snprintf(label, sizeof(label), "%s (%s)", name, file + strlen(SUITE "/"));
	r = is_str(got, want, label);
	free(want);
	return r;
}

static void classic_case(const char *dir, const char *name)
{
	struct cw_sigv4_key key = { { 0 }, { 0 } };
	struct cw_buf creq = CW_BUF_INIT, sts = CW_BUF_INIT, authz = CW_BUF_INIT;
	struct cw_sigv4_request rq;
	struct cw_err err;
	struct req r;
	char *file = path_join(dir, name, ".req"), *base = path_join(dir, name, "");
	char *f;

	cw_err_clear(&err);
	if (parse_req(&r, file) < 0)
		diag("cannot parse %s", file);
	if (strcmp(name, "get-vanilla-with-session-token") == 0)
		add_header(&r, 0, "X-Amz-Security-Token", session_token);
	rq = to_sigv4(&r);
	cw_sigv4_canonical_request(&rq, &creq, NULL, &err);
	f = path_join(dir, name, ".creq");
	expect_file(cw_buf_str(&creq), f, "classic canonical request");
	free(f);
	cw_sigv4_string_to_sign(cw_buf_str(&creq), "20150830T123600Z", "us-east-1",
		"service", &sts, &err);
	f = path_join(dir, name, ".sts");
	expect_file(cw_buf_str(&sts), f, "classic string to sign");
	free(f);
	cw_sigv4_sign(&key, &rq, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		"us-east-1", "service", "20150830T123600Z", &authz, &err);
	f = path_join(dir, name, ".authz");
	expect_file(cw_buf_str(&authz), f, "classic authorization");
	if (err.msg[0])
		diag("error: %s", err.msg);
	free(f);
	free(r.text);
	free(file);
	free(base);
	cw_buf_release(&creq);
	cw_buf_release(&sts);
	cw_buf_release(&authz);
}

struct context {
	cJSON *json;
	const char *akid, *secret, *token, *region, *service;
	char amz_date[17];
	int normalize, sign_body, omit_token;
	long expires;
};

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int jbool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* "2015-08-30T12:36:00Z" becomes "20150830T123600Z". */
static void amz_from_iso(const char *iso, char out[17])
{
	size_t n = 0;

	for (; iso && *iso && n < 16; iso++)
		if (*iso != '-' && *iso != ':')
			out[n++] = *iso;
	out[n] = '\0';
}

static int load_context(struct context *c, const char *dir)
{
	char *f = path_join(dir, "context.json", ""), *text = slurp(f, NULL);
	const cJSON *cred, *exp;

	free(f);
	memset(c, 0, sizeof(*c));
	c->json = text ? cJSON_Parse(text) : NULL;
	free(text);
	if (!c->json)
		return -1;
	cred = cJSON_GetObjectItemCaseSensitive(c->json, "credentials");
	c->akid = jstr(cred, "access_key_id");
	c->secret = jstr(cred, "secret_access_key");
	c->token = jstr(cred, "token");
	c->region = jstr(c->json, "region");
	c->service = jstr(c->json, "service");
	amz_from_iso(jstr(c->json, "timestamp"), c->amz_date);
	c->normalize = jbool(c->json, "normalize");
	c->sign_body = jbool(c->json, "sign_body");
	c->omit_token = jbool(c->json, "omit_session_token");
	exp = cJSON_GetObjectItemCaseSensitive(c->json, "expiration_in_seconds");
	c->expires = cJSON_IsNumber(exp) ? (long)exp->valuedouble : 0;
	return 0;
}

static void expect_steps(const struct cw_sigv4_request *rq, const struct context *c,
	unsigned flags, const char *dir, const char *variant)
{
	struct cw_buf creq = CW_BUF_INIT, sts = CW_BUF_INIT;
	struct cw_err err;
	char *f, name[128];

	cw_sigv4_canonical_request_flags(rq, flags, &creq, NULL, &err);
	snprintf(name, sizeof(name), "%s-canonical-request.txt", variant);
	f = path_join(dir, name, "");
	snprintf(name, sizeof(name), "crt-v4 %s canonical request", variant);
	expect_file(cw_buf_str(&creq), f, name);
	free(f);
	cw_sigv4_string_to_sign(cw_buf_str(&creq), c->amz_date, c->region, c->service,
		&sts, &err);
	snprintf(name, sizeof(name), "%s-string-to-sign.txt", variant);
	f = path_join(dir, name, "");
	snprintf(name, sizeof(name), "crt-v4 %s string to sign", variant);
	expect_file(cw_buf_str(&sts), f, name);
	free(f);
	cw_buf_release(&creq);
	cw_buf_release(&sts);
}

static void crt_header(const char *dir, const struct context *c)
{
	struct cw_sigv4_key key = { { 0 }, { 0 } };
	struct cw_buf authz = CW_BUF_INIT;
	struct cw_sigv4_request rq;
	struct cw_err err;
	struct req r;
	char *f = path_join(dir, "request.txt", ""), hash[65];
	unsigned flags = c->normalize ? 0 : CW_SIGV4_NO_NORMALIZE;

	cw_err_clear(&err);
	if (parse_req(&r, f) < 0)
		diag("cannot parse %s", f);
	free(f);
	add_header(&r, 0, "X-Amz-Date", c->amz_date);
	if (c->token && !c->omit_token)
		add_header(&r, 1, "X-Amz-Security-Token", c->token);
	if (c->sign_body) {
		cw_sigv4_sha256_hex(r.body, r.body_len, hash);
		add_header(&r, 2, "x-amz-content-sha256", hash);
	}
	rq = to_sigv4(&r);
	expect_steps(&rq, c, flags, dir, "header");
	cw_sigv4_sign_flags(&key, &rq, flags, c->akid, c->secret, c->region, c->service,
		c->amz_date, &authz, &err);
	f = path_join(dir, "header-signature.txt", "");
	expect_file(signature_of(cw_buf_str(&authz), "Signature="), f,
		"crt-v4 header signature");
	free(f);
	cw_buf_release(&authz);
	free(r.text);
}

static void crt_query(const char *dir, const struct context *c)
{
	struct cw_sigv4_key key = { { 0 }, { 0 } };
	struct cw_sigv4_params sp = {
		.access_key = c->akid, .secret_key = c->secret, .token = c->token,
		.token_unsigned = c->omit_token, .region = c->region,
		.service = c->service, .amz_date = c->amz_date, .expires = c->expires,
		.flags = c->normalize ? 0 : CW_SIGV4_NO_NORMALIZE,
	};
	struct cw_buf q = CW_BUF_INIT, url = CW_BUF_INIT;
	struct cw_sigv4_request rq;
	struct cw_err err;
	struct req r;
	char *f = path_join(dir, "request.txt", ""), *amp;

	cw_err_clear(&err);
	if (parse_req(&r, f) < 0)
		diag("cannot parse %s", f);
	free(f);
	rq = to_sigv4(&r);
	cw_sigv4_presign_query(&rq, &sp, &q, &err);
	rq.query = cw_buf_str(&q);
	expect_steps(&rq, c, sp.flags, dir, "query");
	rq.query = r.query;
	cw_sigv4_presign(&key, &rq, &sp, &url, &err);
	f = path_join(dir, "query-signature.txt", "");
	amp = strstr(cw_buf_str(&url), "X-Amz-Signature=");
	if (amp && strchr(amp, '&'))
		*strchr(amp, '&') = '\0';
	expect_file(signature_of(amp ? amp : "", "X-Amz-Signature="), f,
		"crt-v4 query signature");
	free(f);
	cw_buf_release(&q);
	cw_buf_release(&url);
	free(r.text);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted subdirectory names of dir (files skipped by the callers). */
static size_t list_dir(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof(*v), name_cmp);
	*out = v;
	return n;
}

static int exists(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f)
		fclose(f);
	return f != NULL;
}

static int classic_dir(const char *dir)
{
	char **v = NULL;
	size_t n = list_dir(dir, &v), i;
	int count = 0;

	for (i = 0; i < n; i++) {
		char *sub = path_join(dir, v[i], ""), *req = path_join(sub, v[i], ".req");

		if (exists(req)) {
			classic_case(sub, v[i]);
			count++;
		} else if (strcmp(v[i], "normalize-path") == 0 ||
			   strcmp(v[i], "post-sts-token") == 0) {
			count += classic_dir(sub);
		}
		free(req);
		free(sub);
		free(v[i]);
	}
	free(v);
	return count;
}

static int crt_dir(const char *dir)
{
	char **v = NULL;
	size_t n = list_dir(dir, &v), i;
	int count = 0;

	for (i = 0; i < n; i++) {
		char *sub = path_join(dir, v[i], "");
		struct context c;

		if (load_context(&c, sub) == 0) {
			crt_header(sub, &c);
			crt_query(sub, &c);
			cJSON_Delete(c.json);
			count++;
		}
		free(sub);
		free(v[i]);
	}
	free(v);
	return count;
}

/* A second signature in the same scope reuses the cached key; a new
 * date derives a fresh one. */
static void cache_tests(void)
{
	struct cw_header h[] = {
		{ "Host", "example.amazonaws.com" },
		{ "X-Amz-Date", "20150830T123600Z" },
	};
	struct cw_sigv4_request rq = { .method = "GET", .path = "/",
		.headers = h, .nheaders = 2 };
	struct cw_sigv4_key key = { { 0 }, { 0 } }, saved;
	struct cw_buf a = CW_BUF_INIT;
	struct cw_err err;
	const char *secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	const char *want = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

	cw_sigv4_sign(&key, &rq, "AKIDEXAMPLE", secret, "us-east-1", "service",
		"20150830T123600Z", &a, &err);
	is_str(signature_of(cw_buf_str(&a), "Signature="), want, "get-vanilla signature");
	is_str(key.scope, "20150830/us-east-1/service", "cache holds the scope");
	saved = key;
	memset(key.key, 0xAA, sizeof(key.key));
	cw_sigv4_sign(&key, &rq, "AKIDEXAMPLE", secret, "us-east-1", "service",
		"20150830T123600Z", &a, &err);
	ok(strcmp(signature_of(cw_buf_str(&a), "Signature="), want) != 0 &&
	   key.key[0] == 0xAA, "same scope: the cached key is used, not derived");
	key = saved;
	h[1].value = "20150831T000000Z";
	cw_sigv4_sign(&key, &rq, "AKIDEXAMPLE", secret, "us-east-1", "service",
		"20150831T000000Z", &a, &err);
	is_str(key.scope, "20150831/us-east-1/service", "a new date changes the scope");
	ok(memcmp(key.key, saved.key, 32) != 0, "a new date derives a new key");
	cw_sigv4_key_wipe(&key);
	ok(key.scope[0] == 0 && key.key[0] == 0, "wipe clears the cache");
	cw_buf_release(&a);
}

static void path_tests(void)
{
	static const char *cases[][2] = {
		{ "/a%20b", "/a%2520b" },
		{ "/a/b/../c/./d/", "/a/c/d/" },
		{ "", "/" },
		{ "/../..", "/" },
		{ "/a/b/..", "/a" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cw_header h = { "Host", "x" };
		struct cw_sigv4_request rq = { .method = "GET", .path = cases[i][0],
			.headers = &h, .nheaders = 1 };
		struct cw_buf c = CW_BUF_INIT;
		struct cw_err err;
		char want[256];

		cw_sigv4_canonical_request(&rq, &c, NULL, &err);
		snprintf(want, sizeof(want), "GET\n%s\n", cases[i][1]);
		ok(strncmp(cw_buf_str(&c), want, strlen(want)) == 0,
			"path '%s' canonicalizes to '%s'", cases[i][0], cases[i][1]);
		cw_buf_release(&c);
	}
}

int main(void)
{
	char date[17];
	int n;

	n = classic_dir(SUITE "/classic");
	is_int(n, 34, "every classic case was run");
	n = crt_dir(SUITE "/crt-v4");
	is_int(n, 38, "every crt-v4 case was run");
	cache_tests();
	path_tests();
	cw_sigv4_amz_date(1440938160000LL, date);
	is_str(date, "20150830T123600Z", "amz date from ms");
	return tap_done();
}
