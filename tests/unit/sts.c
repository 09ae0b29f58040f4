/* STS: the form encoding, and the XML results and errors parsed from
 * canned responses. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "keys.h"
#include "timespec.h"
#include "err.h"
#include "query.h"
#include "sts.h"
#include "tap.h"
#include "banned.h"

static const char assume_ok[] =
	"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	"  <AssumeRoleResult>\n"
	"    <SourceIdentity>Alice</SourceIdentity>\n"
	"    <AssumedRoleUser>\n"
	"      <Arn>arn:aws:sts::123456789012:assumed-role/demo/TestAR</Arn>\n"
	"      <AssumedRoleId>ARO123EXAMPLE123:TestAR</AssumedRoleId>\n"
	"    </AssumedRoleUser>\n"
	"    <Credentials>\n"
	"      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
	"      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
	"      <SessionToken>AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW"
	"LWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGd&amp;QrmGdeehM4IC1"
	"NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d"
	"+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJ"
	"abIQwj2ICCR/oLxBA==</SessionToken>\n"
	"      <Expiration>2019-11-09T13:34:41Z</Expiration>\n"
	"    </Credentials>\n"
	"    <PackedPolicySize>6</PackedPolicySize>\n"
	"  </AssumeRoleResult>\n"
	"  <ResponseMetadata>\n"
	"    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
	"  </ResponseMetadata>\n"
	"</AssumeRoleResponse>\n";

static const char identity_ok[] =
	"<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	"<GetCallerIdentityResult>\n"
	"<Arn>arn:aws:iam::123456789012:user/Alice</Arn>\n"
	"<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId>\n"
	"<Account>123456789012</Account>\n"
	"</GetCallerIdentityResult>\n"
	"<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>\n"
	"</GetCallerIdentityResponse>\n";

static const char error_xml[] =
	"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	"  <Error>\n"
	"    <Type>Sender</Type>\n"
	"    <Code>AccessDenied</Code>\n"
	"    <Message>User: arn:aws:iam::123456789012:user/x is not authorized to perform: "
	"sts:AssumeRole on resource: arn:aws:iam::123456789012:role/r</Message>\n"
	"  </Error>\n"
	"  <RequestId>4c2b3b5e-0000-0000-0000-000000000000</RequestId>\n"
	"</ErrorResponse>\n";

static void form(void)
{
	struct cw_buf b = CW_BUF_INIT;
	const char *pairs[] = {
		"Version", "2011-06-15",
		"RoleSessionName", "a b/c+d~e_f.g-h",
		"Action", "AssumeRole",
		"ExternalId", NULL,
		"RoleArn", "arn:aws:iam::123456789012:role/r",
		"TokenCode", "\xE1\x88\xB4*",
	};

	ok(cw_query_form(&b, pairs, 6) == 0, "form encodes");
	is_str(cw_buf_str(&b), "Action=AssumeRole"
		"&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
		"&RoleSessionName=a+b%2Fc%2Bd~e_f.g-h"
		"&TokenCode=%E1%88%B4%2A"
		"&Version=2011-06-15",
		"keys sorted, space as +, the rest as uppercase %XX, NULL values skipped");
	cw_buf_release(&b);
}

static void credentials(void)
{
	struct cw_keys c = { 0 };
	struct cw_err err;

	cw_err_clear(&err);
	ok(cw_sts_parse_credentials(assume_ok, strlen(assume_ok), &c, &err) == 0,
		"AssumeRole result parses");
	is_str(c.access_key, "ASIAIOSFODNN7EXAMPLE", "access key id");
	is_str(c.secret_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY", "secret key");
	ok(c.token && strncmp(c.token, "AQoDYXdzEPT", 11) == 0 && strstr(c.token, "&Qrm") &&
	   strlen(c.token) > 300, "session token, entities decoded");
	is_int(c.expires_ms, 1573306481000LL, "expiration to ms");
	cw_keys_release(&c);
	ok(c.access_key == NULL && c.secret_key == NULL && c.token == NULL,
		"release clears the keys");

	cw_err_clear(&err);
	ok(cw_sts_parse_credentials(identity_ok, strlen(identity_ok), &c, &err) < 0 &&
	   strcmp(err.msg, "sts response: no credentials in the result") == 0,
		"a result without credentials is an error");
	cw_err_clear(&err);
	ok(cw_sts_parse_credentials("<a><b>", 6, &c, &err) < 0 &&
	   strstr(err.msg, "malformed XML"), "truncated XML is an error");
	{
		static const char bomb[] =
			"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">"
			"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><x>&b;</x>";

		cw_err_clear(&err);
		ok(cw_sts_parse_credentials(bomb, strlen(bomb), &c, &err) < 0 &&
		   strstr(err.msg, "DOCTYPE not allowed"), "DOCTYPE refused");
	}
	cw_err_clear(&err);
	ok(cw_sts_parse_credentials(assume_ok, ((size_t)1 << 20) + 1, &c, &err) < 0 &&
	   strstr(err.msg, "too large"), "more than 1 MiB refused");
}

static void identity(void)
{
	struct cw_sts_identity id;
	struct cw_err err;

	ok(cw_sts_parse_identity(identity_ok, strlen(identity_ok), &id, &err) == 0,
		"GetCallerIdentity parses");
	is_str(id.account, "123456789012", "account");
	is_str(id.arn, "arn:aws:iam::123456789012:user/Alice", "arn");
	is_str(id.user_id, "AIDACKCEVSQ6C2EXAMPLE", "user id");
}

/* STS errors go through the client's decoder, the library's only one. */
static void decode(const char *body, struct cw_err *err)
{
	struct cw_http_response r;

	memset(&r, 0, sizeof(r));
	cw_buf_init(&r.body, 0);
	cw_buf_adds(&r.body, body);
	r.status = 403;
	cw_client_decode_error(&r, err);
	cw_buf_release(&r.body);
}

static void errors(void)
{
	struct cw_err err;

	decode(error_xml, &err);
	is_str(err.code, "AccessDenied", "error code");
	ok(strncmp(err.msg, "AccessDenied: User: arn:aws:iam::123456789012:user/x is not", 59) == 0,
		"message is 'Code: message'");
	decode("<ErrorResponse><Error><Code>ValidationError</Code><Message>Value "
		"&apos;a&lt;b&apos; at &quot;roleArn&quot; &amp; more</Message></Error>"
		"</ErrorResponse>", &err);
	is_str(err.msg, "ValidationError: Value 'a<b' at \"roleArn\" & more",
		"the XML entities of the message are decoded");
	decode("<html>", &err);
	is_str(err.msg, "HTTP 403: <html>", "HTML is not an STS error");
	is_str(err.code, "", "and has no code");
}

static void times(void)
{
	static const struct { const char *s; long long ms; } good[] = {
		{ "1970-01-01T00:00:00Z", 0 },
		{ "2019-11-09T13:34:41Z", 1573306481000LL },
		{ "2019-11-09T13:34:41.250Z", 1573306481250LL },
		{ "2019-11-09T14:34:41+01:00", 1573306481000LL },
		{ "2019-11-09T13:34:41UTC", 1573306481000LL },
		{ "2019-11-09T13:34:41", 1573306481000LL },
	};
	static const char *bad[] = { "", "2019-11-09", "2019-13-09T00:00:00Z",
		"2019-11-09T13:34:41Zjunk", "yesterday" };
	size_t i;
	int64_t ms;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ms = -1;
		ok(cw_timespec_iso(good[i].s, &ms) == 0 && ms == good[i].ms,
			"time '%s'", good[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ok(cw_timespec_iso(bad[i], &ms) < 0, "bad time '%s' refused", bad[i]);
}

int main(void)
{
	form();
	credentials();
	identity();
	errors();
	times();
	return tap_done();
}
