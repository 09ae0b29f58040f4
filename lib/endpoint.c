#include <stdio.h>
#include <string.h>

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

static int trim_slash(char *url, struct cw_err *err)
{
	size_t n = strlen(url);

	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return cw_err_set(err, "endpoint '%.128s': not an http or "
			"https URL", url);
	while (n > 8 && url[n - 1] == '/')
		url[--n] = '\0';
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
	if (u && *u) {
		if (copy(out, size, u, "endpoint", err) < 0)
			return -1;
		return trim_slash(out, err);
	}
	if ((size_t)snprintf(out, size, "https://%s.%s.amazonaws.com",
			svc->host, region) >= size)
		return cw_err_set(err, "endpoint for region %s too long", region);
	return 0;
}

int cw_endpoint_host(const char *url, char *host, size_t hsize,
	char *base, size_t bsize, struct cw_err *err)
{
	const char *h = strstr(url, "://"), *slash;
	size_t n;

	if (!h)
		return cw_err_set(err, "endpoint '%.128s': no scheme", url);
	h += 3;
	slash = strchr(h, '/');
	n = slash ? (size_t)(slash - h) : strlen(h);
	if (n == 0 || n >= hsize || memchr(h, '@', n))
		return cw_err_set(err, "endpoint '%.128s': bad host", url);
	memcpy(host, h, n);
	host[n] = '\0';
	if (copy(base, bsize, slash ? slash : "", "endpoint path", err) < 0)
		return -1;
	n = strlen(base);
	while (n && base[n - 1] == '/')
		base[--n] = '\0';
	return 0;
}
