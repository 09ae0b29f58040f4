#!/bin/sh
# EC2 instance metadata, IMDSv2: token, role name, keys.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_EC2_METADATA_DISABLED


export AWS_EC2_METADATA_SERVICE_ENDPOINT=$FAKEAWS_URL/
run cw-tail --debug --list-groups
is "$rc" 0 "instance metadata credentials are accepted"
like "$err" 'credentials: instance metadata$' "the source is traced"
like "$err" 'debug: > PUT http://127\.0\.0\.1:[0-9]+/latest/api/token' "IMDSv2 token first"
is "$(fakeaws_count IMDSToken)" 1 "one token request"

export AWS_EC2_METADATA_DISABLED=true
run cw-tail --list-groups
is "$rc" 2 "AWS_EC2_METADATA_DISABLED=true skips it"
like "$err" 'instance metadata \(disabled\)$' "and says so"

unset AWS_EC2_METADATA_DISABLED
export AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9
run cw-tail --list-groups
is "$rc" 2 "no metadata service: no credentials"
like "$err" '^cw-tail: no credentials: tried ' "the chain's end is reported"
done_testing
