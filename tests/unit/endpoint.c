#include <string.h>

#include "endpoint.h"
#include "fakeenv.h"
#include "tap.h"
#include "banned.h"

/* --endpoint-url and friends: checked and normalised before any request,
 * so a bad one is refused at once instead of retried. */
static void urls(const struct cw_ctx *ctx)
{
	static const struct { const char *in, *want; } good[] = {
		{ "HTTP://127.0.0.1:4566", "http://127.0.0.1:4566" },
		{ "HtTpS://logs.example.com/", "https://logs.example.com" },
		{ "http://[::1]:8080/base//", "http://[::1]:8080/base" },
		{ "http://[fd00:ec2::23]", "http://[fd00:ec2::23]" },
		{ "https://h:65535", "https://h:65535" },
		{ "http://localhost:1/", "http://localhost:1" },
	};
	static const struct { const char *in, *why; } bad[] = {
		{ "http://h/?x=1", "a query string or fragment is not allowed" },
		{ "http://h?x=1", "a query string or fragment is not allowed" },
		{ "http://h/#frag", "a query string or fragment is not allowed" },
		{ "http://127.0.0.1:99999", "bad port (1 to 65535)" },
		{ "http://h:0", "bad port (1 to 65535)" },
		{ "http://h:", "bad port (1 to 65535)" },
		{ "http://h:80x", "bad port (1 to 65535)" },
		{ "http://h:000080", "bad port (1 to 65535)" },
		{ "http://[::1", "bad IPv6 address (an unclosed '[')" },
		{ "http://[::1/x", "bad IPv6 address (an unclosed '[')" },
		{ "http://[]:80", "bad IPv6 address (an unclosed '[')" },
		{ "http://", "no host" },
		{ "http://:80", "no host" },
		{ "http://ho st", "blanks and backslashes are not allowed" },
		{ "http://h\\@evil/", "user info is not allowed" },
		{ "http://h%41", "bad character in the host" },
		{ "http://u:p@h", "user info is not allowed" },
		{ "ftp://h", "not an http or https URL" },
		{ "httpx://h", "not an http or https URL" },
	};
	struct cw_err e;
	char out[256], msg[300];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		out[0] = '\0';
		ok(cw_endpoint_url(ctx, NULL, &cw_service_logs, good[i].in,
			"eu-west-2", out, sizeof(out), &e) == 0
			&& strcmp(out, good[i].want) == 0, "%s -> %s (%s)", good[i].in,
			good[i].want, out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cw_err_clear(&e);
		snprintf(msg, sizeof(msg), "endpoint '%s': %s", bad[i].in, bad[i].why);
		ok(cw_endpoint_url(ctx, NULL, &cw_service_logs, bad[i].in,
			"eu-west-2", out, sizeof(out), &e) < 0, "%s refused", bad[i].in);
		is_str(e.msg, msg, "with the reason");
	}
	ok(cw_endpoint_host("http://[::1", out, sizeof(out), msg, sizeof(msg), &e) < 0,
		"the client's own split refuses the same");
}

int main(void)
{
	struct cw_ctx ctx = { 0 };
	struct cw_err e;
	char out[256], host[128], base[128];

	ctx.getenv = fake_getenv;
	ok(cw_endpoint_region(&ctx, NULL, NULL, out, sizeof(out), &e) < 0,
		"no region anywhere is an error");
	is_str(e.msg, "no region: use --region, AWS_REGION or region in the "
		"profile", "the error says where a region comes from");
	fake_setenv("AWS_DEFAULT_REGION", "eu-west-1");
	cw_endpoint_region(&ctx, NULL, NULL, out, sizeof(out), &e);
	is_str(out, "eu-west-1", "AWS_DEFAULT_REGION");
	fake_setenv("AWS_REGION", "eu-west-2");
	cw_endpoint_region(&ctx, NULL, NULL, out, sizeof(out), &e);
	is_str(out, "eu-west-2", "AWS_REGION before AWS_DEFAULT_REGION");
	cw_endpoint_region(&ctx, NULL, "ap-south-1", out, sizeof(out), &e);
	is_str(out, "ap-south-1", "--region before the environment");
	ok(cw_endpoint_region(&ctx, NULL, "x/../y", out, sizeof(out), &e) < 0,
		"a region with odd characters is refused");

	cw_endpoint_url(&ctx, NULL, &cw_service_logs, NULL, "eu-west-2", out,
		sizeof(out), &e);
	is_str(out, "https://logs.eu-west-2.amazonaws.com", "public Logs endpoint");
	cw_endpoint_url(&ctx, NULL, &cw_service_monitoring, NULL, "eu-west-2",
		out, sizeof(out), &e);
	is_str(out, "https://monitoring.eu-west-2.amazonaws.com",
		"public CloudWatch endpoint");
	fake_setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/");
	cw_endpoint_url(&ctx, NULL, &cw_service_logs, NULL, "eu-west-2", out,
		sizeof(out), &e);
	is_str(out, "http://127.0.0.1:4566", "AWS_ENDPOINT_URL, trailing slash dropped");
	fake_setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://logs.local:1");
	cw_endpoint_url(&ctx, NULL, &cw_service_logs, NULL, "eu-west-2", out,
		sizeof(out), &e);
	is_str(out, "http://logs.local:1", "the service variable wins");
	cw_endpoint_url(&ctx, NULL, &cw_service_monitoring, NULL, "eu-west-2",
		out, sizeof(out), &e);
	is_str(out, "http://127.0.0.1:4566", "another service's variable does not apply");
	cw_endpoint_url(&ctx, NULL, &cw_service_logs, "https://flag.example",
		"eu-west-2", out, sizeof(out), &e);
	is_str(out, "https://flag.example", "--endpoint-url wins over all");
	ok(cw_endpoint_url(&ctx, NULL, &cw_service_logs, "file:///etc/passwd",
		"eu-west-2", out, sizeof(out), &e) < 0, "a non-HTTP URL is refused");

	cw_endpoint_host("http://127.0.0.1:8080/base/", host, sizeof(host),
		base, sizeof(base), &e);
	is_str(host, "127.0.0.1:8080", "host keeps the port");
	is_str(base, "/base", "base path without trailing slash");
	ok(cw_endpoint_host("http://user@evil/", host, sizeof(host), base,
		sizeof(base), &e) < 0, "credentials in the URL are refused");
	urls(&ctx);
	return tap_done();
}
