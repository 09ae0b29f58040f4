#!/bin/sh
# Credentials from the environment, and the errors around them.
. "$(dirname "$0")/lib.sh"
start_fakeaws

run cw-tail --debug --list-groups
is "$rc" 0 "environment keys are accepted"
like "$err" 'debug: credentials: environment$' "the source is traced"

printf '[default]\naws_access_key_id = AKIDPROFILEONLY\naws_secret_access_key = x\n' \
	>"$HOME/.aws/credentials"
run cw-tail --debug --list-groups
like "$err" 'credentials: environment' "the environment comes before the default profile"

unset AWS_SECRET_ACCESS_KEY
run cw-tail --list-groups
is "$rc" 2 "a key id without a secret fails"
is "$err" "cw-tail: environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not" \
	"the error names both variables"
done_testing
