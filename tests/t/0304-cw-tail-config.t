#!/bin/sh
# Endpoint and region resolution, and expired temporary keys.
. "$(dirname "$0")/lib.sh"
start_fakeaws
python3 "$top/tests/t/awscall.py" logs CreateLogGroup '{"logGroupName":"/cfg"}' >/dev/null
bogus=http://127.0.0.1:1
export AWS_MAX_ATTEMPTS=1

printf '[default]\nregion = eu-west-1\nendpoint_url = %s\n' "$FAKEAWS_URL" >"$AWS_CONFIG_FILE"
run env -u AWS_ENDPOINT_URL -u AWS_REGION cw-tail --debug --list-groups
is "$rc" 0 "the profile's endpoint_url and region are used"
like "$err" 'signing for region eu-west-1, service logs' "the profile's region signs the request"
: >"$AWS_CONFIG_FILE"

run env AWS_ENDPOINT_URL=$bogus AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=$FAKEAWS_URL cw-tail --list-groups
is "$rc:$out" "0:$(printf '/cfg\tnever\t0')" "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS wins over AWS_ENDPOINT_URL"

run env AWS_ENDPOINT_URL=$bogus cw-tail --endpoint-url "$FAKEAWS_URL/" --list-groups
is "$rc" 0 "--endpoint-url wins over the environment"

run env AWS_ENDPOINT_URL=$bogus AWS_ENDPOINT_URL_CLOUDWATCH=$FAKEAWS_URL cw-tail --list-groups
is "$rc" 2 "another service's variable is not used for Logs"

run env -u AWS_REGION AWS_DEFAULT_REGION=ap-south-1 cw-tail --debug --list-groups
like "$err" 'signing for region ap-south-1,' "AWS_DEFAULT_REGION when AWS_REGION is unset"
run cw-tail --region sa-east-1 --debug --list-groups
like "$err" 'signing for region sa-east-1,' "--region wins over AWS_REGION"

# Temporary keys from an assumed role, expired by the service.
cat >"$AWS_CONFIG_FILE" <<CFG
[profile role]
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = base
[profile base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
CFG
fakeaws_ctl POST faults '{"next":["expire@DescribeLogGroups"]}' >/dev/null
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY cw-tail --profile role --list-groups
is "$rc" 2 "expired temporary keys: exit 2"
is "$err" "cw-tail: ExpiredTokenException: The security token included in the request is expired" \
	"expired temporary keys: AWS's code and message"
done_testing
