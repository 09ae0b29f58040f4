#!/bin/sh
# What the user sees when the chain finds nothing or the files are wrong.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

run cw-tail --list-groups
is "$rc" 2 "no credentials anywhere fails"
is "$err" "cw-tail: no credentials: tried environment, web identity, profile default (~/.aws/credentials, ~/.aws/config), container, instance metadata (disabled)" \
	"the error lists what was tried"

run cw-tail --list-groups --profile nosuch
is "$rc" 2 "an unknown profile fails"
is "$err" "cw-tail: profile nosuch: not found in $AWS_CONFIG_FILE or $AWS_SHARED_CREDENTIALS_FILE" \
	"the error names the profile and both files"

AWS_PROFILE=nosuch run cw-tail --list-groups
is "$err" "cw-tail: profile nosuch: not found in $AWS_CONFIG_FILE or $AWS_SHARED_CREDENTIALS_FILE" \
	"AWS_PROFILE naming an unknown profile fails the same way"

printf '[default]\nregion = us-east-1\n[profile broken\n' >"$AWS_CONFIG_FILE"
run cw-tail --list-groups
is "$rc" 2 "a malformed config file fails"
is "$err" "cw-tail: $AWS_CONFIG_FILE:3: section header without ']'" "the error has file and line"

printf '[default]\nthis is not a setting\n' >"$AWS_SHARED_CREDENTIALS_FILE"
printf '' >"$AWS_CONFIG_FILE"
run cw-tail --list-groups
is "$err" "cw-tail: $AWS_SHARED_CREDENTIALS_FILE:2: expected 'key = value'" \
	"a malformed credentials file is named too"
done_testing
