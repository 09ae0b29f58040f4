#!/bin/sh
# The AWS JSON protocols through lib/: JSON 1.0 query-compatible
# (CloudWatch) and 1.1 (Logs), errors, pagination, what is not retried.
. "$(dirname "$0")/lib.sh"
start_fakeaws
PATH=$top/tests/helper:$PATH

alarm() { # NAME [PERIOD]
	printf '{"AlarmName":"%s","MetricName":"CPUUtilization","Namespace":"AWS/EC2","Statistic":"Average","Period":%s,"EvaluationPeriods":1,"Threshold":80,"ComparisonOperator":"GreaterThanThreshold"}' \
		"$1" "${2:-60}"
}

run test-awsjson monitoring PutMetricAlarm "$(alarm cpu-high)"
is "$rc:$out" "0:{}" "JSON 1.0: PutMetricAlarm succeeds with an empty result"

run test-awsjson monitoring DescribeAlarms '{"AlarmNames":["cpu-high"]}'
is "$(printf '%s' "$out" | python3 -c 'import json,sys; a=json.load(sys.stdin)["MetricAlarms"][0]; print(a["AlarmName"], a["Threshold"], a["StateValue"])')" \
	"cpu-high 80 INSUFFICIENT_DATA" "JSON 1.0: DescribeAlarms result decoded"

run test-awsjson monitoring PutMetricAlarm "$(alarm bad 7)"
is "$rc" 2 "JSON 1.0 validation error: failure"
is "$err" "test-awsjson: ValidationError: Period must be 10, 20, 30 or a multiple of 60" \
	"JSON 1.0 error: the legacy code from x-amzn-query-error, and the message"

run test-awsjson monitoring PutMetricAlarm '{"AlarmName":"x"}'
like "$err" '^test-awsjson: ValidationError: 2 validation errors detected' "missing members are reported"

i=0
while [ $i -lt 130 ]; do
	test-awsjson monitoring PutMetricAlarm "$(alarm "page-$i")" >/dev/null || break
	i=$((i + 1))
done
run test-awsjson monitoring DescribeAlarms '{"AlarmNamePrefix":"page-","MaxRecords":50}' NextToken
is "$out" "pages=3 items=130" "JSON 1.0: NextToken pagination reaches every alarm"

i=0
while [ $i -lt 60 ]; do
	printf '{"logGroupName":"/p/%02d"}\n' $i
	i=$((i + 1))
done | python3 "$top/tests/t/awscall.py" logs CreateLogGroup - >/dev/null
run test-awsjson logs DescribeLogGroups '{"logGroupNamePrefix":"/p/","limit":25}' nextToken
is "$out" "pages=3 items=60" "JSON 1.1: nextToken pagination reaches every group"

fakeaws_ctl POST options '{"alarm_limit": 1}' >/dev/null
before=$(fakeaws_count PutMetricAlarm)
run test-awsjson monitoring PutMetricAlarm "$(alarm one-too-many)"
is "$rc" 2 "LimitExceeded: failure"
like "$err" '^test-awsjson: LimitExceeded' "LimitExceeded: said"
is "$(( $(fakeaws_count PutMetricAlarm) - before ))" 1 "LimitExceeded on PutMetricAlarm is a quota: never retried"

fakeaws_ctl POST faults '{"next":["throttle@PutMetricAlarm"]}' >/dev/null
fakeaws_ctl POST options '{"alarm_limit": 100000}' >/dev/null
before=$(fakeaws_count PutMetricAlarm)
run test-awsjson monitoring PutMetricAlarm "$(alarm after-throttle)"
is "$rc" 0 "JSON 1.0 Throttling: retried until it succeeded"
is "$(( $(fakeaws_count PutMetricAlarm) - before ))" 2 "JSON 1.0 Throttling: one retry"

done_testing
