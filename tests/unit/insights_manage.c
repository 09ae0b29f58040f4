/* Log group names a saved query can hold, and ARNs read as names. */
#include <string.h>

#include "insights_manage.h"
#include "tap.h"
#include "banned.h"

static const char *arn(const char *s)
{
	static char buf[64];

	return cw_insights_arn_name(s, buf, sizeof(buf)) == 0 ? buf : "(none)";
}

int main(void)
{
	is_str(arn("arn:aws:logs:us-east-1:123456789012:log-group:/app/web"),
		"/app/web", "an ARN: its name");
	is_str(arn("arn:aws:logs:us-east-1:123456789012:log-group:/app/web:*"),
		"/app/web", "the form DescribeLogGroups returns: its name");
	is_str(arn("/app/web"), "(none)", "a name is no ARN");
	is_str(arn("arn:aws:logs:us-east-1:123456789012:log-group:"),
		"(none)", "an ARN without a name");
	is_str(arn("arn:aws:logs:us-east-1:1:log-group:/a/very/long/name/that"
		"/does/not/fit/the/buffer/at/all/not/even/close/to/it"), "(none)",
		"a name longer than the buffer");
	ok(cw_insights_plain_name("/aws/lambda/fn-1_x.y#z"), "a plain name");
	ok(!cw_insights_plain_name("/app/*"), "a wildcard is not one");
	ok(!cw_insights_plain_name("arn:aws:logs:x"), "nor an ARN");
	ok(!cw_insights_plain_name(""), "nor nothing");
	return tap_done();
}
