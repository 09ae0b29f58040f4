#include <string.h>

#include "client.h"
#include "tap.h"
#include "banned.h"

static void decode(const char *body, const char *qerr, long status,
	struct cw_err *e)
{
	struct cw_http_response r;

	memset(&r, 0, sizeof(r));
	cw_buf_init(&r.body, 0);
	cw_buf_adds(&r.body, body);
	if (qerr)
		snprintf(r.query_error, sizeof(r.query_error), "%s", qerr);
	r.status = status;
	cw_client_decode_error(&r, e);
	cw_buf_release(&r.body);
}

int main(void)
{
	struct cw_err e;

	decode("{\"__type\":\"ResourceNotFoundException\",\"message\":"
		"\"The specified log group does not exist.\"}", NULL, 400, &e);
	is_str(e.msg, "ResourceNotFoundException: The specified log group "
		"does not exist.", "JSON 1.1 error");
	is_str(e.code, "ResourceNotFoundException", "code kept");
	is_int(e.status, 400, "status kept");

	decode("{\"__type\":\"com.amazonaws.cloudwatch#InvalidParameterValueException\","
		"\"Message\":\"bad period\"}", "InvalidParameterValue;Sender", 400, &e);
	is_str(e.code, "InvalidParameterValue", "the query-error header wins");
	is_str(e.msg, "InvalidParameterValue: bad period", "Message member");

	decode("{\"__type\":\"com.amazon.coral.service#ThrottlingException:"
		"http://internal\",\"message\":\"Rate exceeded\"}", NULL, 400, &e);
	is_str(e.code, "ThrottlingException", "namespace and suffix stripped");

	decode("<ErrorResponse><Error><Type>Sender</Type><Code>"
		"SignatureDoesNotMatch</Code><Message>bad sig</Message></Error>"
		"</ErrorResponse>", NULL, 403, &e);
	is_str(e.msg, "SignatureDoesNotMatch: bad sig", "STS XML error");

	decode("<html>\n<head><title>502 Bad Gateway</title></head>", NULL,
		502, &e);
	is_str(e.msg, "HTTP 502: <html>", "HTML: status and first line");
	is_str(e.code, "", "HTML: no code");

	decode("", NULL, 503, &e);
	is_str(e.msg, "HTTP 503", "empty body: status");

	decode("{\"__type\":\"X\",\"message\":\"a\x1b[31mred\"}", NULL, 400, &e);
	is_str(e.msg, "X: a?[31mred", "control bytes from the server are defused");

	decode("{\"__type\":\"", NULL, 500, &e);
	is_str(e.msg, "HTTP 500: {\"__type\":\"", "truncated JSON: status and text");
	return tap_done();
}
