#!/bin/sh
# cw-alarm-status: --region and -r are one option; every region given
# counts, and an unknown one is refused before any request.
. "$(dirname "$0")/lib.sh"
start_fakeaws

run cw-alarm-status -r bogus-1 -r us-east-1
is "$rc:$err" "2:cw-alarm-status: region 'bogus-1': not a known AWS region" \
	"-r bogus-1 -r us-east-1: refused"
run cw-alarm-status --region bogus-1 --region us-east-1
is "$rc:$err" "2:cw-alarm-status: region 'bogus-1': not a known AWS region" \
	"--region bogus-1 --region us-east-1: refused the same"
run cw-alarm-status --region bogus-1 -r us-east-1
is "$rc" 2 "--region and -r mixed: refused"
is "$(fakeaws_count DescribeAlarms)" 0 "no request for a refused region"

run cw-alarm-status --region eu-west-1 --region us-east-1
is "$rc:$err" "0:" "two regions by --region"
is "$(fakeaws_count DescribeAlarms)" 2 "one DescribeAlarms in each"

done_testing
