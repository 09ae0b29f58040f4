#!/bin/sh
# With --debug, no secret byte of any source reaches stdout or stderr.
. "$(dirname "$0")/lib.sh"
start_fakeaws
key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

clean() {	# clean DESC: checks $out$err for every secret
	all="$out$err"
	unlike "$all" "$secret" "$1: the static secret never shows"
	unlike "$all" "Signature=" "$1: no signature"
	unlike "$all" "SecretAccessKey|SessionToken|secretAccessKey|sessionToken" "$1: no key material from responses"
	unlike "$all" "eyJhbGciOiJub25lIn0|ecs-test-token|sso-test-token" "$1: no bearer token"
}

printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key" "$secret" \
	>"$AWS_SHARED_CREDENTIALS_FILE"
printf '[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/dev\nsource_profile = base\n' \
	>"$AWS_CONFIG_FILE"

run cw-tail --debug --list-groups --profile base
is "$rc" 0 "static profile with --debug"
clean "static"

run cw-tail --debug --list-groups --profile dev
is "$rc" 0 "assumed role with --debug"
like "$err" 'debug: > \(([0-9]+) bytes, not shown\)' "the STS request body is not shown"
clean "assume role"

printf 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.c2ln' >"$T/token"
AWS_ROLE_ARN=arn:aws:iam::123456789012:role/ci AWS_WEB_IDENTITY_TOKEN_FILE=$T/token \
	run cw-tail --debug --list-groups
is "$rc" 0 "web identity with --debug"
clean "web identity"

AWS_CONTAINER_CREDENTIALS_FULL_URI=$FAKEAWS_URL/ecs/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=ecs-test-token \
	run cw-tail --debug --list-groups
is "$rc" 0 "container with --debug"
clean "container"
done_testing
