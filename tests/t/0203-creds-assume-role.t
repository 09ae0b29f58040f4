#!/bin/sh
# role_arn with source_profile (chained), credential_source=Environment,
# external_id, and the cycle error.
. "$(dirname "$0")/lib.sh"
start_fakeaws
key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY


printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key" "$secret" \
	>"$AWS_SHARED_CREDENTIALS_FILE"
cat >"$AWS_CONFIG_FILE" <<'EOC'
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
role_session_name = alice
duration_seconds = 900
[profile prod]
role_arn = arn:aws:iam::123456789012:role/prod
source_profile = dev
[profile ext]
role_arn = arn:aws:iam::123456789012:role/ext
source_profile = base
external_id = shared-secret-id
[profile noext]
role_arn = arn:aws:iam::123456789012:role/ext
source_profile = base
[profile envsrc]
role_arn = arn:aws:iam::123456789012:role/fromenv
credential_source = Environment
[profile a]
role_arn = arn:aws:iam::123456789012:role/a
source_profile = b
[profile b]
role_arn = arn:aws:iam::123456789012:role/b
source_profile = a
EOC

run cw-tail --debug --list-groups --profile dev
is "$rc" 0 "role_arn + source_profile"
like "$err" 'credentials: profile dev$' "the source is traced"
is "$(fakeaws_count AssumeRole)" 1 "one AssumeRole call"

run cw-tail --list-groups --profile prod
is "$rc" 0 "a chain of two roles"
is "$(fakeaws_count AssumeRole)" 3 "two more AssumeRole calls"

fakeaws_ctl PUT roles '{"RoleArn": "arn:aws:iam::123456789012:role/ext", "ExternalId": "shared-secret-id"}' >/dev/null
run cw-tail --list-groups --profile ext
is "$rc" 0 "external_id is sent"
run cw-tail --list-groups --profile noext
is "$rc" 2 "without external_id the role refuses"
like "$err" '^cw-tail: profile noext: assume role arn:aws:iam::123456789012:role/ext: AccessDenied' \
	"the STS error names the profile and role"

AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret run cw-tail --debug --list-groups --profile envsrc
is "$rc" 0 "credential_source = Environment"
like "$err" 'credentials: profile envsrc$' "the profile is the source"

run cw-tail --list-groups --profile envsrc
like "$err" 'profile envsrc: credential_source Environment has no credentials' \
	"credential_source without keys is an error"

run cw-tail --list-groups --profile a
is "$rc" 2 "a source_profile cycle fails"
is "$err" "cw-tail: profile a: source_profile cycle a -> b -> a" "the cycle is spelled out"
done_testing
