#!/bin/sh
# AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE: AssumeRoleWithWebIdentity,
# unsigned, then the temporary keys sign the real call.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY


printf 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.c2ln\n' >"$T/token"
export AWS_ROLE_ARN=arn:aws:iam::123456789012:role/ci
export AWS_WEB_IDENTITY_TOKEN_FILE=$T/token
export AWS_ROLE_SESSION_NAME=pipeline-42
run cw-tail --debug --list-groups
is "$rc" 0 "web identity keys are accepted"
like "$err" 'credentials: web identity$' "the source is traced"
is "$(fakeaws_count AssumeRoleWithWebIdentity)" 1 "one AssumeRoleWithWebIdentity call"
unlike "$err" 'eyJhbGciOiJub25lIn0' "the token never shows"

fakeaws_ctl PUT web-identity-tokens '{"tokens": ["only-this-one"]}' >/dev/null
run cw-tail --list-groups
is "$rc" 2 "a refused token fails"
like "$err" '^cw-tail: web identity: assume role with web identity arn:aws:iam::123456789012:role/ci: InvalidIdentityToken' \
	"the STS error is reported"

rm -f "$T/token"
run cw-tail --list-groups
like "$err" "web identity token $T/token: No such file" "a missing token file is named"

unset AWS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE
fakeaws_ctl PUT web-identity-tokens '{"tokens": null}' >/dev/null
printf 'tok-from-profile\n' >"$T/token2"
printf '[default]\nrole_arn = arn:aws:iam::123456789012:role/p\nweb_identity_token_file = %s\n' \
	"$T/token2" >"$AWS_CONFIG_FILE"
run cw-tail --debug --list-groups
is "$rc" 0 "web identity from the profile keys"
like "$err" 'credentials: profile default$' "the profile is the source"
done_testing
