#!/bin/sh
# A misspelt region, from --region or AWS_REGION, is refused by every
# command before any request, with the region meant on the error line,
# rather than failing later as a host that does not resolve.
. "$(dirname "$0")/lib.sh"
start_fakeaws

fakeaws_ctl DELETE stats >/dev/null
run cw-tail --region eu-west1 /g
is "$rc:$err" "2:cw-tail: region 'eu-west1': not a known AWS region: did you mean eu-west-1?" "cw-tail --region eu-west1"
run cw-tail --list-groups --region eu-west1
is "$rc:$err" "2:cw-tail: region 'eu-west1': not a known AWS region: did you mean eu-west-1?" "cw-tail --list-groups"
run cw-filter --region us-east1 -g /g ERROR
is "$rc:$err" "2:cw-filter: region 'us-east1': not a known AWS region: did you mean us-east-1?" "cw-filter -g"
run cw-query --region eu-wset-1 -g /g 'fields @message'
is "$rc:$err" "2:cw-query: region 'eu-wset-1': not a known AWS region: did you mean eu-west-1?" "cw-query"
AWS_REGION=eu-west1 run cw-tail /g
is "$rc:$err" "2:cw-tail: region 'eu-west1': not a known AWS region: did you mean eu-west-1?" "AWS_REGION=eu-west1"
run cw-alarm-diff --region eu-west1 --export shop-
is "$rc:$err" "2:cw-alarm-diff: region 'eu-west1': not a known AWS region: did you mean eu-west-1?" "cw-alarm-diff --export"
run cw-alarm-status -r eu-west1
is "$rc:$err" "2:cw-alarm-status: region 'eu-west1': not a known AWS region: did you mean eu-west-1?" "cw-alarm-status -r, as before"
is "$(fakeaws_ctl GET stats | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["requests"]))')" 0 \
	"no request reached the endpoint"
run cw-tail --region eu-west-1 /nothing
like "$err" "ResourceNotFoundException" "a known region goes on to the service"
done_testing
