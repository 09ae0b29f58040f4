#!/bin/sh
# --debug traces requests and responses; no secret byte ever shows.
. "$(dirname "$0")/lib.sh"
start_fakeaws
export AWS_SESSION_TOKEN=FQoGZXIvYXdzEXAMPLEsessionTOKENvalue0123456789
secret=$AWS_SECRET_ACCESS_KEY

# The emulator refuses an unknown session token, which is fine here:
# the trace is what is under test.
run cw-tail --debug --list-groups
like "$err" 'cw-tail: debug: > POST http://127\.0\.0\.1:[0-9]+/' "the request line is traced"
like "$err" 'debug: > X-Amz-Target: Logs_20140328\.DescribeLogGroups' "headers are traced"
like "$err" 'debug: > Authorization: <redacted>' "Authorization is redacted"
like "$err" 'debug: > X-Amz-Security-Token: <redacted>' "the session token is redacted"
like "$err" 'debug: < HTTP [0-9]+' "the response status is traced"
all="$out$err"
unlike "$all" "$secret" "the secret key never shows"
unlike "$all" "$AWS_SESSION_TOKEN" "the session token never shows"
unlike "$all" "Signature=" "the signature never shows"
unlike "$all" "wJalrXUtnFEMI" "no part of the secret shows"

unset AWS_SESSION_TOKEN
run cw-tail --list-groups
is "$err" "" "without --debug nothing is traced"
done_testing
