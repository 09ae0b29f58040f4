#!/bin/sh
# Static keys from the credentials file and from the config file.
. "$(dirname "$0")/lib.sh"
start_fakeaws
key=$AWS_ACCESS_KEY_ID secret=$AWS_SECRET_ACCESS_KEY
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY

cat >"$AWS_SHARED_CREDENTIALS_FILE" <<EOC
# comment
[default]
aws_access_key_id = $key
aws_secret_access_key = $secret   ; inline comment
[bad]
aws_access_key_id = AKIDNOTKNOWNTOFAKEAWS
aws_secret_access_key = nope
EOC
run cw-tail --debug --list-groups
is "$rc" 0 "default profile from the credentials file"
like "$err" 'credentials: profile default$' "the source is traced"

run cw-tail --list-groups --profile bad
is "$rc" 2 "unknown keys are refused by the server"

cat >"$AWS_CONFIG_FILE" <<EOC
[profile cfg]
region = us-east-1
aws_access_key_id = $key
aws_secret_access_key = $secret
EOC
run cw-tail --debug --list-groups --profile cfg
is "$rc" 0 "keys from the config file"
like "$err" 'credentials: profile cfg$' "the profile is the source"

AWS_PROFILE=cfg run cw-tail --debug --list-groups
is "$rc" 0 "AWS_PROFILE selects the profile"
like "$err" 'credentials: profile cfg$' "the AWS_PROFILE profile is the source"

AWS_ACCESS_KEY_ID=AKIDENVWINS AWS_SECRET_ACCESS_KEY=x run cw-tail --debug --list-groups --profile cfg
like "$err" 'credentials: profile cfg$' "--profile skips the environment keys"
done_testing
