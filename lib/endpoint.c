#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "endpoint.h"
#include "profile.h"
#include "banned.h"

const struct cw_service cw_service_logs = {
	"CloudWatch Logs", "CLOUDWATCH_LOGS", "logs", "logs",
	"Logs_20140328", "1.1", 0
};
const struct cw_service cw_service_livetail = {
	"CloudWatch Logs", "CLOUDWATCH_LOGS", "stream-logs", "logs",
	"Logs_20140328", "1.1", 0
};
const struct cw_service cw_service_monitoring = {
	"CloudWatch", "CLOUDWATCH", "monitoring", "monitoring",
	"GraniteServiceVersion20100801", "1.0", 1
};
const struct cw_service cw_service_sts = {
	"STS", "STS", "sts", "sts", NULL, NULL, 0
};
const struct cw_service cw_service_sns = {
	"SNS", "SNS", "sns", "sns", NULL, NULL, 0
};
const struct cw_service cw_service_kms = {
	"KMS", "KMS", "kms", "kms", "TrentService", "1.1", 0
};
const struct cw_service cw_service_lambda = {
	"Lambda", "LAMBDA", "lambda", "lambda", NULL, NULL, 0
};
const struct cw_service cw_service_autoscaling = {
	"Auto Scaling", "AUTO_SCALING", "autoscaling", "autoscaling", NULL,
	NULL, 0
};

static int copy(char *out, size_t size, const char *v, const char *what,
	struct cw_err *err)
{
	if ((size_t)snprintf(out, size, "%s", v) >= size)
		return cw_err_set(err, "%s too long: %.64s...", what, v);
	return 0;
}

/* A region name is used in host names and signatures: keep it plain. */
static int valid_region(const char *r)
{
	for (; *r; r++)
		if (!((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9')
				|| *r == '-'))
			return 0;
	return 1;
}

int cw_endpoint_region(const struct cw_ctx *ctx, const struct cw_profile *profile,
	const char *flag, char *out, size_t size, struct cw_err *err)
{
	const char *r = flag;

	if (!r || !*r)
		r = cw_ctx_getenv(ctx, "AWS_REGION");
	if (!r)
		r = cw_ctx_getenv(ctx, "AWS_DEFAULT_REGION");
	if (!r && profile)
		r = cw_profile_get(profile, "region");
	if (!r || !*r)
		return cw_err_set(err, "no region: use --region, AWS_REGION "
			"or region in the profile");
	if (!valid_region(r))
		return cw_err_set(err, "region '%.64s': not a region name", r);
	return copy(out, size, r, "region", err);
}

/* The parts of "scheme://host[:port][/path]". */
struct url {
	int https;
	const char *auth;	/* host[:port] */
	size_t alen;
	const char *path;	/* "" or "/..." */
};

static int bad(const char *url, const char *why, struct cw_err *err)
{
	return cw_err_set(err, "endpoint '%.128s': %s", url, why);
}

static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		|| (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

static int ipv6_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
		|| (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

/* ":N" with N from 1 to 65535, or nothing. */
static int check_port(const char *p, const char *end, const char *url,
	struct cw_err *err)
{
	long v = 0;

	if (p == end)
		return 0;
	if (*p++ != ':')
		return bad(url, "bad character in the host", err);
	if (p == end || end - p > 5)
		return bad(url, "bad port (1 to 65535)", err);
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return bad(url, "bad port (1 to 65535)", err);
		v = v * 10 + (*p - '0');
	}
	return v >= 1 && v <= 65535 ? 0 : bad(url, "bad port (1 to 65535)", err);
}

static int check_host(const char *h, const char *end, const char *url,
	struct cw_err *err)
{
	const char *p = h;

	if (p < end && *p == '[') {
		for (p++; p < end && ipv6_char(*p); p++)
			;
		if (p == end || *p != ']' || p == h + 1)
			return bad(url, "bad IPv6 address (an unclosed '[')", err);
		p++;
	} else {
		for (; p < end && host_char(*p); p++)
			;
		if (p == h)
			return bad(url, "no host", err);
	}
	return check_port(p, end, url, err);
}

/* Schemes are case-insensitive (RFC 3986); a query or fragment would be
 * sent but not signed, so neither is allowed, nor user info. */
static int parse_url(const char *url, struct url *u, struct cw_err *err)
{
	size_t n;

	if (strncasecmp(url, "https://", 8) == 0)
		u->https = 1, u->auth = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		u->https = 0, u->auth = url + 7;
	else
		return bad(url, "not an http or https URL", err);
	if (strpbrk(url, "?#"))
		return bad(url, "a query string or fragment is not allowed", err);
	n = strcspn(u->auth, "/");
	if (memchr(u->auth, '@', n))
		return bad(url, "user info is not allowed", err);
	u->alen = n;
	u->path = u->auth + n;
	if (strpbrk(url, " \t\r\n\\"))
		return bad(url, "blanks and backslashes are not allowed", err);
	return check_host(u->auth, u->auth + n, url, err);
}

/* Writes the URL with its scheme in lower case, without trailing '/'. */
static int normalize(const char *url, char *out, size_t size,
	struct cw_err *err)
{
	struct url u;
	size_t n;

	if (parse_url(url, &u, err) < 0)
		return -1;
	if ((size_t)snprintf(out, size, "%s://%.*s%s", u.https ? "https" : "http",
			(int)u.alen, u.auth, u.path) >= size)
		return cw_err_set(err, "endpoint too long: %.64s...", url);
	n = strlen(out);
	while (n && out[n - 1] == '/' && n > strlen(u.https ? "https://" : "http://") + u.alen)
		out[--n] = '\0';
	return 0;
}

int cw_endpoint_url(const struct cw_ctx *ctx, const struct cw_profile *profile,
	const struct cw_service *svc, const char *flag, const char *region,
	char *out, size_t size, struct cw_err *err)
{
	char name[96];
	const char *u = flag;

	snprintf(name, sizeof(name), "AWS_ENDPOINT_URL_%s", svc->env_id);
	if (!u || !*u)
		u = cw_ctx_getenv(ctx, name);
	if (!u)
		u = cw_ctx_getenv(ctx, "AWS_ENDPOINT_URL");
	if (!u && profile)
		u = cw_profile_get(profile, "endpoint_url");
	if (u && *u)
		return normalize(u, out, size, err);
	if ((size_t)snprintf(out, size, "https://%s.%s.amazonaws.com",
			svc->host, region) >= size)
		return cw_err_set(err, "endpoint for region %s too long", region);
	return 0;
}

int cw_endpoint_host(const char *url, char *host, size_t hsize,
	char *base, size_t bsize, struct cw_err *err)
{
	struct url u;
	size_t n;

	if (parse_url(url, &u, err) < 0)
		return -1;
	if (u.alen >= hsize)
		return bad(url, "host too long", err);
	memcpy(host, u.auth, u.alen);
	host[u.alen] = '\0';
	if (copy(base, bsize, u.path, "endpoint path", err) < 0)
		return -1;
	n = strlen(base);
	while (n && base[n - 1] == '/')
		base[--n] = '\0';
	return 0;
}
