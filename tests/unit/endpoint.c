#include <string.h>

#include "endpoint.h"
#include "fakeenv.h"
#include "tap.h"
#include "banned.h"

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
	return tap_done();
}
