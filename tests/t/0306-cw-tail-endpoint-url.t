#!/bin/sh
# --endpoint-url and AWS_ENDPOINT_URL*: the scheme is case-insensitive;
# a query string (sent but never signed), a bad port or an unclosed IPv6
# bracket is refused at once, with nothing sent and nothing retried.
. "$(dirname "$0")/lib.sh"
start_fakeaws
upper=$(printf '%s' "$FAKEAWS_URL" | sed 's|^http://|HTTP://|')

run cw-tail --list-groups --endpoint-url "$upper"
is "$rc" 0 "HTTP:// is an http URL"
is "$(fakeaws_count DescribeLogGroups)" 1 "and the request reached the server"

AWS_ENDPOINT_URL_CLOUDWATCH_LOGS="HtTp://127.0.0.1:${FAKEAWS_URL##*:}/" run cw-tail --list-groups
is "$rc" 0 "a mixed-case scheme in AWS_ENDPOINT_URL_CLOUDWATCH_LOGS too"
is "$(fakeaws_count DescribeLogGroups)" 2 "sent"

export AWS_MAX_ATTEMPTS=5
for url in "$FAKEAWS_URL/?x=1" "$FAKEAWS_URL?Action=Other" "http://127.0.0.1:99999" \
		"http://[::1" "http://[::1:80/" "http://127.0.0.1:0"; do
	run cw-tail --debug --list-groups --endpoint-url "$url"
	is "$rc" 2 "$url: exit 2"
	like "$err" "cw-tail: endpoint '.*': (a query string|bad port|bad IPv6)" "$url: refused with the reason"
	unlike "$err" "debug: (> POST|retry)" "$url: at once: nothing sent, nothing retried"
done
is "$(fakeaws_count DescribeLogGroups)" 2 "none of them sent a request"
done_testing
