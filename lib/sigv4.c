#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dlfcn.h>
#include <pthread.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "sigv4.h"
#include "timespec.h"
#include "banned.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define MAX_HEADERS 256
#define MAX_PARAMS 1024

struct hdr {
	char *name;		/* lower-cased, owned */
	char *value;		/* trimmed and collapsed, owned */
	size_t order;		/* arrival order, keeps repeats stable */
};

struct param {
	char *key;		/* encoded, owned */
	char *value;		/* encoded, owned */
};

void cw_sigv4_key_wipe(struct cw_sigv4_key *k)
{
	explicit_bzero(k, sizeof(*k));
}

void cw_sigv4_amz_date(int64_t ms, char out[17])
{
	if (cw_timespec_format(out, 17, CW_TIMEFMT_AMZ, ms, 1) != 16)
		memcpy(out, "19700101T000000Z", 17);
}

/*
 * libcrypto is opened at the first hash, not linked: mapping and
 * relocating it costs 1.4 MB of memory and a share of the start of every
 * command, and a command that signs nothing (cw-filter on files) never
 * hashes. A command that signs loads libcurl, which loads it anyway.
 */
#define CRYPTO_SONAME "libcrypto.so.3"

static struct {
	__typeof__(EVP_Digest) *digest;
	__typeof__(EVP_sha1) *sha1;
	__typeof__(EVP_MD_fetch) *md_fetch;
	__typeof__(EVP_MAC_fetch) *mac_fetch;
	__typeof__(EVP_MAC_free) *mac_free;
	__typeof__(EVP_MAC_CTX_new) *ctx_new;
	__typeof__(EVP_MAC_CTX_dup) *ctx_dup;
	__typeof__(EVP_MAC_CTX_free) *ctx_free;
	__typeof__(EVP_MAC_CTX_set_params) *ctx_set_params;
	__typeof__(EVP_MAC_init) *mac_init;
	__typeof__(EVP_MAC_update) *mac_update;
	__typeof__(EVP_MAC_final) *mac_final;
	__typeof__(OSSL_PARAM_construct_utf8_string) *param_utf8;
	__typeof__(OSSL_PARAM_construct_end) *param_end;
} ossl;

/* 0, or -1 when libcrypto or one of its functions is missing: then
 * every hash comes out as zeros and AWS refuses the signature. */
static int load_crypto(void)
{
	static const struct { const char *name; void **fn; } syms[] = {
		{ "EVP_Digest", (void **)&ossl.digest },
		{ "EVP_sha1", (void **)&ossl.sha1 },
		{ "EVP_MD_fetch", (void **)&ossl.md_fetch },
		{ "EVP_MAC_fetch", (void **)&ossl.mac_fetch },
		{ "EVP_MAC_free", (void **)&ossl.mac_free },
		{ "EVP_MAC_CTX_new", (void **)&ossl.ctx_new },
		{ "EVP_MAC_CTX_dup", (void **)&ossl.ctx_dup },
		{ "EVP_MAC_CTX_free", (void **)&ossl.ctx_free },
		{ "EVP_MAC_CTX_set_params", (void **)&ossl.ctx_set_params },
		{ "EVP_MAC_init", (void **)&ossl.mac_init },
		{ "EVP_MAC_update", (void **)&ossl.mac_update },
		{ "EVP_MAC_final", (void **)&ossl.mac_final },
		{ "OSSL_PARAM_construct_utf8_string",
			(void **)&ossl.param_utf8 },
		{ "OSSL_PARAM_construct_end", (void **)&ossl.param_end },
	};
	void *lib = dlopen(CRYPTO_SONAME, RTLD_LAZY | RTLD_LOCAL);
	size_t i;

	if (!lib)
		return -1;
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (!(*syms[i].fn = dlsym(lib, syms[i].name))) {
			memset(&ossl, 0, sizeof(ossl));
			return -1;
		}
	return 0;
}

/*
 * SHA-256 and HMAC are fetched from OpenSSL's providers once: a digest
 * or a MAC named at each call is looked up again each time, which cost
 * more than the hashing of a request. Both are shared read-only by
 * every thread; the MAC is set up once, with its digest, and copied.
 */
static EVP_MD *sha256;
static EVP_MAC_CTX *hmac_sha256;
static pthread_once_t fetched = PTHREAD_ONCE_INIT;

static void fetch(void)
{
	EVP_MAC *mac;
	OSSL_PARAM p[2];

	if (load_crypto() < 0)
		return;
	mac = ossl.mac_fetch(NULL, "HMAC", NULL);
	p[0] = ossl.param_utf8("digest", (char *)"SHA256", 0);
	p[1] = ossl.param_end();
	sha256 = ossl.md_fetch(NULL, "SHA256", NULL);
	if (mac && (hmac_sha256 = ossl.ctx_new(mac)) &&
	    !ossl.ctx_set_params(hmac_sha256, p)) {
		ossl.ctx_free(hmac_sha256);
		hmac_sha256 = NULL;
	}
	ossl.mac_free(mac);	/* the context keeps its own reference */
}

void cw_sigv4_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	pthread_once(&fetched, fetch);
	if (!sha256 || !ossl.digest(data, len, md, &n, sha256, NULL) ||
	    n != 32)
		memset(md, 0, 32);
	cw_buf_hex(md, 32, out);
}

void cw_sigv4_sha1_hex(const void *data, size_t len, char out[41])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	pthread_once(&fetched, fetch);
	if (!ossl.digest || !ossl.digest(data, len, md, &n, ossl.sha1(),
	    NULL) || n < 20)
		memset(md, 0, 20);
	cw_buf_hex(md, 20, out);
}

static int hmac(const void *key, size_t klen, const void *msg, size_t mlen,
	unsigned char out[32])
{
	EVP_MAC_CTX *c;
	size_t n = 0;
	int ok;

	pthread_once(&fetched, fetch);
	if (!hmac_sha256 || !(c = ossl.ctx_dup(hmac_sha256)))
		return -1;
	ok = ossl.mac_init(c, key, klen, NULL) &&
		ossl.mac_update(c, msg, mlen) &&
		ossl.mac_final(c, out, &n, 32) && n == 32;
	ossl.ctx_free(c);
	return ok ? 0 : -1;
}

/* The SigV4 encoding: every byte but the unreserved set as %XX. */
static int encode(struct cw_buf *out, const char *s, size_t n, int keep_slash)
{
	return cw_http_urlencode(out, s, n, keep_slash ? CW_URLENC_KEEP_SLASH
		: 0);
}

/* Decodes %XX; a '%' not followed by two hex digits stays literal. */
static int decode(struct cw_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n &&
		    (hi = cw_buf_hexval(s[i + 1])) >= 0 &&
		    (lo = cw_buf_hexval(s[i + 2])) >= 0) {
			if (cw_buf_addc(out, (char)(hi << 4 | lo)) < 0)
				return -1;
			i += 2;
		} else if (cw_buf_addc(out, s[i]) < 0) {
			return -1;
		}
	}
	return 0;
}

/*
 * Removes "." and ".." segments and empty segments; the trailing slash
 * survives as botocore keeps it. Non-S3 services expect this form.
 */
static int normalize_path(struct cw_buf *out, const char *path)
{
	size_t nseg = 0, cap = 16, i, len = strlen(path);
	const char **seg = NULL;
	size_t *seglen = NULL;
	const char *p = path, *end = path + len;
	int rc = -1;

	seg = malloc(cap * sizeof(*seg));
	seglen = malloc(cap * sizeof(*seglen));
	if (!seg || !seglen)
		goto out;
	while (p < end) {
		const char *q = memchr(p, '/', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (nseg)
				nseg--;
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (nseg == cap) {
				const char **s2;
				size_t *l2;

				cap *= 2;
				s2 = realloc(seg, cap * sizeof(*seg));
				if (!s2)
					goto out;
				seg = s2;
				l2 = realloc(seglen, cap * sizeof(*seglen));
				if (!l2)
					goto out;
				seglen = l2;
			}
			seg[nseg] = p;
			seglen[nseg++] = n;
		}
		p += n + (q ? 1 : 0);
	}
	for (i = 0; i < nseg; i++)
		if (cw_buf_addc(out, '/') < 0 || cw_buf_add(out, seg[i], seglen[i]) < 0)
			goto out;
	if ((!nseg || (len && path[len - 1] == '/')) && cw_buf_addc(out, '/') < 0)
		goto out;
	rc = 0;
out:
	free(seg);
	free(seglen);
	return rc;
}

/* The path is taken as sent on the wire and encoded once more, which is
 * what every service but S3 verifies against. */
static int canonical_path(struct cw_buf *out, const struct cw_sigv4_request *rq,
	unsigned flags)
{
	struct cw_buf norm = CW_BUF_INIT;
	const char *path = rq->path && *rq->path ? rq->path : "/";
	int rc = -1;

	if (flags & CW_SIGV4_NO_NORMALIZE) {
		if (cw_buf_adds(&norm, path) < 0)
			goto out;
	} else if (normalize_path(&norm, path) < 0) {
		goto out;
	}
	rc = encode(out, norm.p, norm.len, 1);
out:
	cw_buf_release(&norm);
	return rc;
}

static int param_cmp(const void *a, const void *b)
{
	const struct param *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->value, y->value);
}

static char *reencode(const char *s, size_t n)
{
	struct cw_buf dec = CW_BUF_INIT, enc = CW_BUF_INIT;
	char *r = NULL;

	if (decode(&dec, s, n) == 0 && encode(&enc, dec.p ? dec.p : "", dec.len, 0) == 0)
		r = cw_buf_detach(&enc, NULL);
	cw_buf_release(&dec);
	cw_buf_release(&enc);
	return r;
}

static void free_params(struct param *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

/* Splits the query into pairs, each decoded and encoded again so an
 * already-encoded query and a raw one canonicalize alike. */
static int split_query(const char *q, struct param **out, size_t *nout)
{
	const char *p = q, *end = q + strlen(q);
	struct param *v = NULL;
	size_t n = 0;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end, *eq;
		struct param *v2;

		if (stop == p) {
			p++;
			continue;
		}
		if (n == MAX_PARAMS || !(v2 = realloc(v, (n + 1) * sizeof(*v))))
			goto fail;
		v = v2;
		eq = memchr(p, '=', (size_t)(stop - p));
		v[n].key = reencode(p, (size_t)((eq ? eq : stop) - p));
		v[n].value = eq ? reencode(eq + 1, (size_t)(stop - eq - 1)) : reencode("", 0);
		n++;
		if (!v[n - 1].key || !v[n - 1].value)
			goto fail;
		p = stop + 1;
	}
	*out = v;
	*nout = n;
	return 0;
fail:
	free_params(v, n);
	return -1;
}

static int canonical_query(struct cw_buf *out, const char *q)
{
	struct param *v = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (!q || !*q)
		return 0;
	if (split_query(q, &v, &n) < 0)
		return -1;
	qsort(v, n, sizeof(*v), param_cmp);
	for (i = 0; i < n; i++)
		if (cw_buf_addf(out, "%s%s=%s", i ? "&" : "", v[i].key, v[i].value) < 0)
			goto out;
	rc = 0;
out:
	free_params(v, n);
	return rc;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Trims the value and collapses each inner whitespace run (obs-fold
 * line breaks included) to one space, as the vectors expect. */
static char *clean_value(const char *s)
{
	struct cw_buf b = CW_BUF_INIT;
	int pending = 0;

	while (is_space(*s))
		s++;
	for (; *s; s++) {
		if (is_space(*s)) {
			pending = 1;
			continue;
		}
		if ((pending && cw_buf_addc(&b, ' ') < 0) || cw_buf_addc(&b, *s) < 0) {
			cw_buf_release(&b);
			return NULL;
		}
		pending = 0;
	}
	return cw_buf_detach(&b, NULL);
}

static char *lower(const char *s)
{
	struct cw_buf b = CW_BUF_INIT;

	for (; *s; s++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;

		if (cw_buf_addc(&b, c) < 0) {
			cw_buf_release(&b);
			return NULL;
		}
	}
	return cw_buf_detach(&b, NULL);
}

static int hdr_cmp(const void *a, const void *b)
{
	const struct hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void free_hdrs(struct hdr *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].value);
	}
	free(v);
}

/* The headers to sign, sorted by lower-cased name, repeats in arrival
 * order. The Authorization header itself is never signed. */
static int collect_headers(const struct cw_sigv4_request *rq,
	struct hdr **out, size_t *nout, struct cw_err *err)
{
	struct hdr *v;
	size_t i, n = 0;

	if (rq->nheaders > MAX_HEADERS)
		return cw_err_set(err, "sign request: too many headers (%zu)", rq->nheaders);
	v = calloc(rq->nheaders ? rq->nheaders : 1, sizeof(*v));
	if (!v)
		return cw_err_set(err, "sign request: out of memory");
	for (i = 0; i < rq->nheaders; i++) {
		if (strcasecmp(rq->headers[i].name, "authorization") == 0)
			continue;
		v[n].name = lower(rq->headers[i].name);
		v[n].value = clean_value(rq->headers[i].value ? rq->headers[i].value : "");
		v[n].order = i;
		n++;
		if (!v[n - 1].name || !v[n - 1].value) {
			free_hdrs(v, n);
			return cw_err_set(err, "sign request: out of memory");
		}
	}
	qsort(v, n, sizeof(*v), hdr_cmp);
	*out = v;
	*nout = n;
	return 0;
}

/* "a;b;c" from sorted headers, each name once. */
static int signed_list(struct cw_buf *out, const struct hdr *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && strcmp(v[i].name, v[i - 1].name) == 0)
			continue;
		if ((i && cw_buf_addc(out, ';') < 0) || cw_buf_adds(out, v[i].name) < 0)
			return -1;
	}
	return 0;
}

static int header_block(struct cw_buf *out, const struct hdr *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int first = !i || strcmp(v[i].name, v[i - 1].name) != 0;

		if (first && i && cw_buf_addc(out, '\n') < 0)
			return -1;
		if (first && cw_buf_addf(out, "%s:", v[i].name) < 0)
			return -1;
		if (!first && cw_buf_addc(out, ',') < 0)
			return -1;
		if (cw_buf_adds(out, v[i].value) < 0)
			return -1;
	}
	return n ? cw_buf_addc(out, '\n') : 0;
}

/* An explicit x-amz-content-sha256 (S3's UNSIGNED-PAYLOAD) wins over
 * hashing the body. */
static void payload_hash(const struct cw_sigv4_request *rq, const struct hdr *v,
	size_t n, char out[65])
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].name, "x-amz-content-sha256") == 0 && strlen(v[i].value) < 65) {
			memcpy(out, v[i].value, strlen(v[i].value) + 1);
			return;
		}
	}
	cw_sigv4_sha256_hex(rq->body ? rq->body : "", rq->body ? rq->body_len : 0, out);
}

int cw_sigv4_canonical_request(const struct cw_sigv4_request *rq,
	struct cw_buf *out, struct cw_buf *signed_headers, struct cw_err *err)
{
	return cw_sigv4_canonical_request_flags(rq, 0, out, signed_headers, err);
}

int cw_sigv4_canonical_request_flags(const struct cw_sigv4_request *rq,
	unsigned flags, struct cw_buf *out, struct cw_buf *signed_headers,
	struct cw_err *err)
{
	struct hdr *v = NULL;
	size_t n = 0;
	char hash[65];
	int rc = -1;

	cw_buf_reset(out);
	if (signed_headers)
		cw_buf_reset(signed_headers);
	if (collect_headers(rq, &v, &n, err) < 0)
		return -1;
	payload_hash(rq, v, n, hash);
	if (cw_buf_adds(out, rq->method ? rq->method : "POST") < 0 ||
	    cw_buf_addc(out, '\n') < 0 || canonical_path(out, rq, flags) < 0 ||
	    cw_buf_addc(out, '\n') < 0 || canonical_query(out, rq->query) < 0 ||
	    cw_buf_addc(out, '\n') < 0 || header_block(out, v, n) < 0 ||
	    cw_buf_addc(out, '\n') < 0 || signed_list(out, v, n) < 0 ||
	    cw_buf_addf(out, "\n%s", hash) < 0)
		goto out;
	if (signed_headers && signed_list(signed_headers, v, n) < 0)
		goto out;
	rc = 0;
out:
	free_hdrs(v, n);
	if (rc < 0)
		cw_err_set(err, "sign request: canonical request too large");
	return rc;
}

static int valid_date(const char *amz_date)
{
	return amz_date && strlen(amz_date) == 16 && amz_date[8] == 'T' &&
		amz_date[15] == 'Z';
}

int cw_sigv4_string_to_sign(const char *canonical_request, const char *amz_date,
	const char *region, const char *service, struct cw_buf *out,
	struct cw_err *err)
{
	char hash[65];

	cw_buf_reset(out);
	if (!valid_date(amz_date))
		return cw_err_set(err, "sign request: bad date '%s'", amz_date ? amz_date : "");
	cw_sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash);
	if (cw_buf_addf(out, ALGORITHM "\n%s\n%.8s/%s/%s/aws4_request\n%s",
	    amz_date, amz_date, region, service, hash) < 0)
		return cw_err_set(err, "sign request: out of memory");
	return 0;
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" secret, date), region), service),
 * "aws4_request"). Derived only when the scope changes; every
 * intermediate key is wiped. */
static int derive_key(struct cw_sigv4_key *cache, const char *secret_key,
	const char *amz_date, const char *region, const char *service,
	struct cw_err *err)
{
	unsigned char k1[32], k2[32], k3[32];
	struct cw_buf seed = CW_BUF_INIT;
	char scope[sizeof(cache->scope)];
	int n, rc = -1;

	n = snprintf(scope, sizeof(scope), "%.8s/%s/%s", amz_date, region, service);
	if (n < 0 || (size_t)n >= sizeof(scope))
		return cw_err_set(err, "sign request: scope too long");
	if (cache->scope[0] && strcmp(cache->scope, scope) == 0)
		return 0;
	if (cw_buf_addf(&seed, "AWS4%s", secret_key) < 0) {
		cw_err_set(err, "sign request: out of memory");
		goto out;
	}
	if (hmac(seed.p, seed.len, amz_date, 8, k1) < 0 ||
	    hmac(k1, 32, region, strlen(region), k2) < 0 ||
	    hmac(k2, 32, service, strlen(service), k3) < 0 ||
	    hmac(k3, 32, "aws4_request", 12, cache->key) < 0) {
		cw_err_set(err, "sign request: hmac failed");
		cw_sigv4_key_wipe(cache);
		goto out;
	}
	memcpy(cache->scope, scope, (size_t)n + 1);
	rc = 0;
out:
	explicit_bzero(k1, sizeof(k1));
	explicit_bzero(k2, sizeof(k2));
	explicit_bzero(k3, sizeof(k3));
	cw_buf_wipe(&seed);
	return rc;
}

/* Signs the canonical request; sig gets the hex signature. */
static int signature(struct cw_sigv4_key *cache, const char *creq,
	const char *secret_key, const char *region, const char *service,
	const char *amz_date, char sig[65], struct cw_err *err)
{
	struct cw_buf sts = CW_BUF_INIT;
	unsigned char mac[32];
	int rc = -1;

	if (!secret_key || !region || !service || !*region || !*service) {
		cw_err_set(err, "sign request: missing key, region or service");
		goto out;
	}
	if (cw_sigv4_string_to_sign(creq, amz_date, region, service, &sts, err) < 0 ||
	    derive_key(cache, secret_key, amz_date, region, service, err) < 0)
		goto out;
	if (hmac(cache->key, 32, sts.p, sts.len, mac) < 0) {
		cw_err_set(err, "sign request: hmac failed");
		goto out;
	}
	cw_buf_hex(mac, 32, sig);
	rc = 0;
out:
	cw_buf_release(&sts);
	return rc;
}

int cw_sigv4_sign(struct cw_sigv4_key *cache, const struct cw_sigv4_request *rq,
	const char *access_key, const char *secret_key, const char *region,
	const char *service, const char *amz_date, struct cw_buf *authz,
	struct cw_err *err)
{
	return cw_sigv4_sign_flags(cache, rq, 0, access_key, secret_key, region,
		service, amz_date, authz, err);
}

int cw_sigv4_sign_flags(struct cw_sigv4_key *cache,
	const struct cw_sigv4_request *rq, unsigned flags,
	const char *access_key, const char *secret_key, const char *region,
	const char *service, const char *amz_date, struct cw_buf *authz,
	struct cw_err *err)
{
	struct cw_buf creq = CW_BUF_INIT, sh = CW_BUF_INIT;
	char sig[65];
	int rc = -1;

	cw_buf_reset(authz);
	if (!access_key || !*access_key) {
		cw_err_set(err, "sign request: no access key");
		goto out;
	}
	if (cw_sigv4_canonical_request_flags(rq, flags, &creq, &sh, err) < 0 ||
	    signature(cache, creq.p, secret_key, region, service, amz_date, sig, err) < 0)
		goto out;
	if (cw_buf_addf(authz, ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, "
	    "SignedHeaders=%s, Signature=%s", access_key, amz_date, region, service,
	    cw_buf_str(&sh), sig) < 0) {
		cw_err_set(err, "sign request: out of memory");
		goto out;
	}
	rc = 0;
out:
	cw_buf_release(&creq);
	cw_buf_release(&sh);
	return rc;
}

static int add_param(struct cw_buf *out, const char *key, const char *value)
{
	if ((out->len && cw_buf_addc(out, '&') < 0) || cw_buf_adds(out, key) < 0 ||
	    cw_buf_addc(out, '=') < 0)
		return -1;
	return encode(out, value, strlen(value), 0);
}

int cw_sigv4_presign_query(const struct cw_sigv4_request *rq,
	const struct cw_sigv4_params *sp, struct cw_buf *out, struct cw_err *err)
{
	struct cw_buf cred = CW_BUF_INIT, sh = CW_BUF_INIT, creq = CW_BUF_INIT;
	char expires[32];
	int rc = -1;

	cw_buf_reset(out);
	if (!valid_date(sp->amz_date) || !sp->access_key || !sp->region || !sp->service) {
		cw_err_set(err, "presign request: missing key, date, region or service");
		goto out;
	}
	/* The canonical request is built here only for its header list. */
	if (cw_sigv4_canonical_request_flags(rq, sp->flags, &creq, &sh, err) < 0)
		goto out;
	snprintf(expires, sizeof(expires), "%ld", sp->expires);
	if (cw_buf_addf(&cred, "%s/%.8s/%s/%s/aws4_request", sp->access_key,
	    sp->amz_date, sp->region, sp->service) < 0 ||
	    (rq->query && cw_buf_adds(out, rq->query) < 0) ||
	    add_param(out, "X-Amz-Algorithm", ALGORITHM) < 0 ||
	    add_param(out, "X-Amz-Credential", cred.p) < 0 ||
	    add_param(out, "X-Amz-Date", sp->amz_date) < 0 ||
	    add_param(out, "X-Amz-Expires", expires) < 0 ||
	    add_param(out, "X-Amz-SignedHeaders", cw_buf_str(&sh)) < 0 ||
	    (sp->token && !sp->token_unsigned &&
	     add_param(out, "X-Amz-Security-Token", sp->token) < 0)) {
		cw_err_set(err, "presign request: out of memory");
		goto out;
	}
	rc = 0;
out:
	cw_buf_release(&cred);
	cw_buf_release(&sh);
	cw_buf_release(&creq);
	return rc;
}

int cw_sigv4_presign(struct cw_sigv4_key *cache,
	const struct cw_sigv4_request *rq, const struct cw_sigv4_params *sp,
	struct cw_buf *out, struct cw_err *err)
{
	struct cw_sigv4_request q = *rq;
	struct cw_buf creq = CW_BUF_INIT;
	char sig[65];
	int rc = -1;

	if (cw_sigv4_presign_query(rq, sp, out, err) < 0)
		goto out;
	q.query = out->p;
	if (cw_sigv4_canonical_request_flags(&q, sp->flags, &creq, NULL, err) < 0 ||
	    signature(cache, creq.p, sp->secret_key, sp->region, sp->service,
	    sp->amz_date, sig, err) < 0)
		goto out;
	if (add_param(out, "X-Amz-Signature", sig) < 0 ||
	    (sp->token && sp->token_unsigned &&
	     add_param(out, "X-Amz-Security-Token", sp->token) < 0)) {
		cw_err_set(err, "presign request: out of memory");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		cw_buf_reset(out);
	cw_buf_release(&creq);
	return rc;
}
