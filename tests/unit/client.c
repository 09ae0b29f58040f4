#include <string.h>

#include "client.h"
#include "fakewire.h"
#include "tap.h"
#include "banned.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define THROTTLED { 400, NULL, "{\"__type\":\"ThrottlingException\"," \
	"\"message\":\"Rate exceeded\"}", { 0 }, NULL, NULL, 0 }
#define OK200 { 200, NULL, "{}", { 0 }, NULL, NULL, 0 }
#define FAIL500 { 500, NULL, "{\"__type\":\"InternalFailure\"," \
	"\"message\":\"boom\"}", { 0 }, NULL, NULL, 0 }

static char ak[] = "AKIAIOSFODNN7EXAMPLE";
static char sk[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
static struct cw_keys keys = { ak, sk, NULL, 0, "test" };
static struct fake_wire w;
static struct cw_client c;
static struct cw_http_response resp;
static struct cw_err e;
static struct cw_buf got = CW_BUF_INIT;

/* A client signing with the example keys over the scripted wire. */
static void script(const struct fake_step *steps, size_t n)
{
	fake_client_init(&c, &w, steps, n, &keys);
	cw_http_response_release(&resp);
	cw_buf_reset(&got);
}

static int send_body(void)
{
	struct cw_client_request rq = { .content_type = "application/json",
		.body = "{}", .body_len = 2 };

	cw_err_clear(&e);
	return cw_client_send(&c, &rq, &resp, &e);
}

static int on_data(void *arg, const char *data, size_t len)
{
	(void)arg;
	if (len == 4 && memcmp(data, "stop", 4) == 0)
		return -1;
	return cw_buf_add(&got, data, len);
}

static int stream(void)
{
	struct cw_client_request rq = { .content_type = "application/json",
		.body = "{}", .body_len = 2, .on_data = on_data };

	cw_err_clear(&e);
	return cw_client_send(&c, &rq, &resp, &e);
}

static void retries(void)
{
	static const struct fake_step s1[] = { FAIL500, THROTTLED, OK200 };
	static const struct fake_step s2[] = {
		{ 0, "ConnectionError", NULL, { 0 }, NULL, NULL, 0 },
		{ 0, "Timeout", NULL, { 0 }, NULL, NULL, 60000 }, OK200 };
	static const struct fake_step s3[] = { THROTTLED, THROTTLED,
		THROTTLED, OK200 };
	static const struct fake_step s4[] = {
		{ 400, NULL, "{\"__type\":\"ValidationException\"}",
			{ 0 }, NULL, NULL, 0 }, OK200 };
	static const struct fake_step s5[] = {
		{ 0, "TLSError", NULL, { 0 }, NULL, NULL, 0 }, OK200 };

	script(s1, N(s1));
	is_int(send_body(), 0, "500, throttling, then 200: success");
	is_int((long long)w.next, 3, "one request per attempt");
	is_int((long long)w.nslept, 2, "a backoff before each retry");
	is_int(w.slept[0], 999, "attempt 1 waits below 1 s (full jitter)");
	is_int(w.slept[1], 1999, "attempt 2 waits below 2 s");

	script(s2, N(s2));
	is_int(send_body(), 0, "a reset and a timeout are retried");
	is_int((long long)w.next, 3, "three requests");

	script(s3, N(s3));
	is_int(send_body(), -1, "throttled past the 3 attempts: failure");
	is_int((long long)w.next, 3, "no fourth request");
	is_str(e.code, "ThrottlingException", "the last error is kept");

	script(s4, N(s4));
	is_int(send_body(), -1, "a 400 is not retried");
	is_int((long long)(w.next * 10 + w.nslept), 10, "one request, no sleep");

	script(s5, N(s5));
	is_int(send_body(), -1, "a TLS failure is not retried");
	is_str(e.code, "TLSError", "its code kept");
}

static void backoff_cap(void)
{
	static const struct fake_step s[] = { THROTTLED, THROTTLED, THROTTLED,
		THROTTLED, THROTTLED, THROTTLED, THROTTLED, OK200 };
	static const int64_t want[] = { 999, 1999, 3999, 7999, 15999, 19999,
		19999 };
	size_t i;
	int same = 1;

	script(s, N(s));
	c.max_attempts = 8;
	w.random = 79999;	/* the largest wait at every step */
	is_int(send_body(), 0, "8 attempts: the 8th succeeds");
	for (i = 0; i < N(want); i++)
		same &= w.slept[i] == want[i];
	ok(w.nslept == 7 && same, "the backoff doubles, capped at 20 s");

	script(s, N(s));
	c.max_attempts = 8;
	w.random = 0;
	send_body();
	is_int(w.now_ms - 1768471200000, 0, "jitter can be 0: no wait at all");
}

static void retry_after(void)
{
	static const struct fake_step s1[] = {
		{ 503, NULL, "", { 0 }, NULL, "5", 0 }, OK200 };
	static const struct fake_step s2[] = {
		{ 503, NULL, "", { 0 }, NULL, "3600", 0 }, OK200 };
	static const struct fake_step s3[] = {
		{ 503, NULL, "", { 0 }, NULL, "Thu, 15 Jan 2026 10:00:07 GMT", 0 },
		OK200 };
	static const struct fake_step s4[] = {
		{ 503, NULL, "", { 0 }, NULL, "soon", 0 }, OK200 };

	script(s1, N(s1));
	is_int(send_body(), 0, "503 with Retry-After: retried");
	is_int(w.slept[0], 5000, "Retry-After: 5 waits 5 s, longer than the jitter");

	script(s2, N(s2));
	send_body();
	is_int(w.slept[0], 60000, "Retry-After is bounded at 60 s");

	script(s3, N(s3));
	w.server_skew_ms = 2000;
	send_body();
	is_int(w.slept[0], 5000, "an HTTP date counts from the server's Date");

	script(s4, N(s4));
	send_body();
	is_int(w.slept[0], 999, "an unreadable Retry-After: the jitter");
}

#define SKEWED { 400, NULL, "{\"__type\":\"InvalidSignatureException\"," \
	"\"message\":\"Signature expired: 20260115T100000Z is now earlier " \
	"than 20260115T101000Z (20260115T101500Z - 5 min.)\"}", { 0 }, NULL, \
	NULL, 0 }

static void skew(void)
{
	static const struct fake_step s1[] = { SKEWED, OK200 };
	static const struct fake_step s2[] = { SKEWED, SKEWED, OK200 };
	static const struct fake_step s3[] = { SKEWED, OK200 };

	script(s1, N(s1));
	w.server_skew_ms = 900000;
	is_int(send_body(), 0, "a server 15 minutes ahead: corrected");
	is_str(w.amz_date[0], "20260115T100000Z", "first signed at our time");
	is_str(w.amz_date[1], "20260115T101500Z", "then at the server's");
	is_int((long long)w.nslept, 0, "the correction does not wait");
	is_int(c.skew_ms, 900000, "the offset is kept for the next calls");

	script(s2, N(s2));
	w.server_skew_ms = 900000;
	is_int(send_body(), -1, "skewed again after the correction: failure");
	is_int((long long)w.next, 2, "corrected once only");
	is_str(e.code, "InvalidSignatureException", "the server's error");

	script(s3, N(s3));
	is_int(send_body(), -1, "'expired' while the clocks agree: no retry");
	is_int((long long)w.next, 1, "one request");
}

static void streaming(void)
{
	static const struct fake_step s1[] = {
		{ 200, NULL, NULL, { "ab", "cd", "ef" }, NULL, NULL, 0 } };
	static const struct fake_step s2[] = { FAIL500,
		{ 200, NULL, NULL, { "ok" }, NULL, NULL, 0 } };
	static const struct fake_step s3[] = {
		{ 200, NULL, NULL, { "ab" }, "ConnectionError", NULL, 0 }, OK200 };
	static const struct fake_step s4[] = {
		{ 0, "ConnectionError", NULL, { 0 }, NULL, NULL, 0 },
		{ 200, NULL, NULL, { "x" }, NULL, NULL, 0 } };
	static const struct fake_step s5[] = {
		{ 200, NULL, NULL, { "ab", "stop", "cd" }, NULL, NULL, 0 } };

	script(s1, N(s1));
	is_int(stream(), 0, "a 2xx stream: success");
	is_str(cw_buf_str(&got), "abcdef", "every chunk reached the caller");
	is_int((long long)resp.delivered, 6, "delivered counts them");
	is_int((long long)resp.body.len, 0, "nothing kept in the body");

	script(s2, N(s2));
	c.max_attempts = 1;
	is_int(stream(), -1, "a 500 stream fails");
	is_str(e.msg, "InternalFailure: boom", "its body is decoded as the error");
	is_str(cw_buf_str(&got), "", "and never reaches the caller");
	script(s2, N(s2));
	is_int(stream(), 0, "a 500 before any data is retried");
	is_str(cw_buf_str(&got), "ok", "the retry's data");

	script(s3, N(s3));
	is_int(stream(), -1, "broken after data: failure");
	is_int((long long)w.next, 1, "not retried: the caller has seen data");
	is_int((long long)resp.delivered, 2, "delivered says so");
	is_str(e.code, "ConnectionError", "the transport error");

	script(s4, N(s4));
	is_int(stream(), 0, "broken before any data: retried");

	script(s5, N(s5));
	is_int(stream(), 0, "the callback stops the stream: success");
	is_str(cw_buf_str(&got), "ab", "nothing after the stop");
}

static void cap(void)
{
	static char big[2001];
	static const struct fake_step s[] = { FAIL500,
		{ 200, NULL, big, { 0 }, NULL, NULL, 0 } };

	memset(big, 'x', sizeof(big) - 1);
	script(s, N(s));
	cw_buf_init(&resp.body, 1024);
	is_int(send_body(), -1, "a body past the cap fails");
	ok(strstr(e.msg, "larger than 1024 bytes") != NULL, "the cap set before "
		"the call held through the retry");
	cw_http_response_release(&resp);
}

/* Not AWS answering (a proxy, a wrong endpoint): the URL is named. */
static void not_aws(void)
{
	static const struct fake_step s[] = {
		{ 404, NULL, "<html><body>Not Found</body></html>", { 0 }, NULL,
			NULL, 0 } };
	static const struct fake_step s2[] = {
		{ 400, NULL, "{\"__type\":\"ValidationException\","
			"\"message\":\"bad\"}", { 0 }, NULL, NULL, 0 } };
	char want[600];

	script(s, N(s));
	is_int(send_body(), -1, "a 404 fails");
	snprintf(want, sizeof(want), "HTTP 404 from %s/: <html><body>Not "
		"Found</body></html>", c.endpoint);
	is_str(e.msg, want, "a 404 without an AWS code names the URL");
	script(s2, N(s2));
	send_body();
	is_str(e.msg, "ValidationException: bad", "an AWS error stays as "
		"AWS said it");
}

static void cancel(void)
{
	static const struct fake_step s1[] = { FAIL500, OK200 };
	static const struct fake_step s2[] = {
		{ 200, NULL, "{}", { 0 }, NULL, NULL, 8000 }, OK200 };

	script(s1, N(s1));
	w.cancel_at_ms = w.now_ms + 500;
	is_int(send_body(), -1, "a signal during the backoff ends the call");
	is_str(e.code, "Interrupted", "as interrupted");
	is_int((long long)w.next, 1, "no request after it");
	cw_cancel_clear(&w.cancel);
	w.cancel_at_ms = 0;
	is_int(send_body(), 0, "cleared, the same client goes on");
	is_int((long long)w.next, 2, "with the next request");

	script(s1, N(s1));
	w.cancel.signo = 2;
	is_int(send_body(), -1, "cancelled before the call: nothing sent");
	is_int((long long)w.next, 0, "no request");

	script(s2, N(s2));
	w.cancel_at_ms = w.now_ms + 1000;
	is_int(send_body(), -1, "a signal during a slow answer ends the call");
	is_int((long long)w.next, 1, "and is not retried");
}

static void decode(const char *body, const char *qerr, long status,
	struct cw_err *out)
{
	struct cw_http_response r;

	memset(&r, 0, sizeof(r));
	cw_buf_init(&r.body, 0);
	cw_buf_adds(&r.body, body);
	if (qerr)
		snprintf(r.query_error, sizeof(r.query_error), "%s", qerr);
	r.status = status;
	cw_client_decode_error(&r, out);
	cw_buf_release(&r.body);
}

int main(void)
{
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

	decode("{\"__type\":\"MalformedQueryException\",\"message\":\"x\","
		"\"queryCompileError\":{\"location\":{\"startCharOffset\":7,"
		"\"endCharOffset\":9},\"message\":\"x\"}}", NULL, 400, &e);
	is_int(e.at, 8, "queryCompileError: 1 + its startCharOffset");
	decode("{\"__type\":\"X\",\"queryCompileError\":{\"location\":"
		"{\"startCharOffset\":-1}}}", NULL, 400, &e);
	is_int(e.at, 0, "a negative offset: none");
	decode("{\"__type\":\"X\",\"queryCompileError\":{\"location\":"
		"{\"startCharOffset\":1e300}}}", NULL, 400, &e);
	is_int(e.at, 0, "an offset past any query: none");
	decode("{\"__type\":\"X\",\"message\":\"m\"}", NULL, 400, &e);
	is_int(e.at, 0, "no queryCompileError: none");

	decode("{\"__type\":\"", NULL, 500, &e);
	is_str(e.msg, "HTTP 500: {\"__type\":\"", "truncated JSON: status and text");

	retries();
	not_aws();
	backoff_cap();
	retry_after();
	skew();
	streaming();
	cap();
	cancel();
	cw_http_response_release(&resp);
	cw_buf_release(&got);
	return tap_done();
}
