#!/bin/sh
# cw-tail: a group given as an ARN as DescribeLogGroups writes it (with
# ":*") is that group, not a wildcard; requests checked against the
# Logs model.
. "$(dirname "$0")/lib.sh"
start_fakeaws
call CreateLogGroup '{"logGroupName": "/app"}'
call CreateLogStream '{"logGroupName": "/app", "logStreamName": "s"}'
now=$(date +%s)000
call PutLogEvents '{"logGroupName": "/app", "logStreamName": "s", "logEvents": [{"timestamp": '"$now"', "message": "hello"}]}'

arn=arn:aws:logs:us-east-1:123456789012:log-group:/app
run cw-tail --since 1h "$arn:*"
is "$rc:$out:$err" "0:hello:" "an ARN with :* reads its group"
is "$(fakeaws_count DescribeLogGroups)" 0 "no DescribeLogGroups for it"
like "$(fakeaws_bodies FilterLogEvents)" "\"logGroupIdentifier\":\"$arn\"" \
	"FilterLogEvents names it by its ARN without :*"
is "$(model_check)" "" "every request as the Logs model allows"

done_testing
