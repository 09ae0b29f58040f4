#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "keys.h"
#include "sts.h"
#include "tap.h"
#include "banned.h"

#define AK "AKIAIOSFODNN7EXAMPLE"
#define SK "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

/* Every kind of byte that has no place in a header value, in each of
 * the three values. */
static void refused(void)
{
	static const char *const bad[] = {
		"tok\r\nX-Injected: yes", "tok\nX", "tok\rX", "a\tb", "a b",
		"a\001b", "a\x7f", "caf\xc3\xa9", "\r\n",
	};
	struct cw_keys k = { 0 };
	struct cw_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cw_err_clear(&err);
		ok(cw_keys_set(&k, AK, SK, bad[i], 0, "environment", &err) < 0
			&& k.access_key == NULL, "token %zu refused", i);
		ok(strstr(err.msg, bad[i]) == NULL && strstr(err.msg, "X-Inj") == NULL,
			"the error does not show the value: %s", err.msg);
		ok(cw_keys_set(&k, bad[i], SK, NULL, 0, "process", &err) < 0,
			"access key id %zu refused", i);
		ok(cw_keys_set(&k, AK, bad[i], NULL, 0, "process", &err) < 0,
			"secret key %zu refused", i);
	}
	cw_err_clear(&err);
	cw_keys_set(&k, AK, SK "\r\n", NULL, 0, "profile dev", &err);
	is_str(err.msg, "profile dev: the secret access key holds a control "
		"character, space or non-ASCII byte", "the error names the source and the value");
	ok(cw_keys_set(&k, AK, SK, "FwoGZXIvYXdzE+/=", 5, "x", &err) == 0
		&& strcmp(k.token, "FwoGZXIvYXdzE+/=") == 0 && k.expires_ms == 5,
		"base64 tokens pass");
	ok(cw_keys_set(&k, AK, SK "\n", NULL, 0, "x", &err) < 0
		&& strcmp(k.secret_key, SK) == 0,
		"a refused set leaves the old keys in place");
	ok(cw_keys_set(&k, AK, SK, "", 0, "x", &err) == 0 && k.token == NULL,
		"an empty token is no token");
	cw_keys_release(&k);
}

/* An STS answer decodes &#13;&#10; into CR LF: refused like any other. */
static void from_sts(void)
{
	static const char xml[] = "<AssumeRoleResponse><AssumeRoleResult>"
		"<Credentials><AccessKeyId>ASIA&#13;&#10;X-Injected: yes</AccessKeyId>"
		"<SecretAccessKey>" SK "</SecretAccessKey><SessionToken>t</SessionToken>"
		"</Credentials></AssumeRoleResult></AssumeRoleResponse>";
	struct cw_keys k = { 0 };
	struct cw_err err;

	cw_err_clear(&err);
	ok(cw_sts_parse_credentials(xml, strlen(xml), &k, &err) < 0 && !k.access_key,
		"an STS access key id with CR LF is refused");
	ok(strstr(err.msg, "sts response: the access key id holds a control") == err.msg,
		"and said so: %s", err.msg);
}

static int get_bad(void *arg, const struct cw_keys **out, struct cw_err *err)
{
	(void)err;
	*out = arg;
	return 0;
}

/* Keys built by hand reach the client's check too: nothing is sent. */
static void from_client(void)
{
	struct cw_keys k = { 0 };
	struct cw_client c;
	struct cw_client_request rq = { 0 };
	struct cw_http_response resp;
	struct cw_err err;

	memset(&c, 0, sizeof(c));
	memset(&resp, 0, sizeof(resp));
	k.access_key = strdup(AK);
	k.secret_key = strdup(SK);
	k.token = strdup("tok\r\nX-Injected: yes");
	snprintf(c.endpoint, sizeof(c.endpoint), "http://127.0.0.1:9");
	snprintf(c.region, sizeof(c.region), "us-east-1");
	snprintf(c.service, sizeof(c.service), "logs");
	c.max_attempts = 1;
	c.keys.get = get_bad;
	c.keys.arg = &k;
	cw_err_clear(&err);
	ok(cw_client_send(&c, &rq, &resp, &err) < 0, "a key source with CR LF: the request fails");
	is_str(err.msg, "credentials: the session token holds a control character, "
		"space or non-ASCII byte", "before anything is sent (no HTTP handle needed)");
	cw_http_response_release(&resp);
	cw_client_release(&c);
	cw_keys_release(&k);
}

int main(void)
{
	refused();
	from_sts();
	from_client();
	return tap_done();
}
