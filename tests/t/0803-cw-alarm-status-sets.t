#!/bin/sh
# cw-alarm-status PATH...: the alarms of definition sets, in every region
# the sets use, one DescribeAlarms call per 100 alarms per region.
. "$(dirname "$0")/lib.sh"
start_fakeaws

stack=$top/alarms/lomash-wood

# The metric filter's log group belongs to the infrastructure.
AWS_REGION=eu-west-1 python3 "$top/tests/t/awscall.py" logs CreateLogGroup \
	'{"logGroupName":"/aws/cloudtrail/lomash-wood-production"}' >/dev/null
run cw-alarm-apply --yes -e production --rate 200 "$stack"
is "$rc" 0 "the lomash-wood production alarms are created"
# An alarm outside the set, under another prefix, in the same region.
cw eu-west-1 PutMetricAlarm '{"AlarmName":"other-cpu","MetricName":"CPUUtilization","Namespace":"AWS/EC2","Statistic":"Average","Period":60,"EvaluationPeriods":1,"Threshold":80,"ComparisonOperator":"GreaterThanThreshold"}'
state eu-west-1 other-cpu ALARM "not ours"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-status -e production "$stack"
is "$rc:$out" "0:" "nothing of the set fires: exit 0, nothing printed"
is "$(fakeaws_ctl GET stats | python3 -c '
import json, re, sys
print(" ".join(sorted(re.search(r"Credential=[^/]+/[^/]+/([^/]+)/", r["headers"]["Authorization"]).group(1)
	for r in json.load(sys.stdin)["requests"] if r.get("op") == "DescribeAlarms")))')" \
	"eu-west-1 us-east-1" "the set's two regions are asked, one call each"

state eu-west-1 lomash-wood-production-rds-cpu-high ALARM "Threshold Crossed: cpu 93"
state us-east-1 lomash-wood-production-billing-100-percent ALARM "Threshold Crossed: charges 1004"
run cw-alarm-status -e production "$stack"
is "$rc" 1 "an alarm of the set fires: exit 1"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "both firing alarms, once each"
like "$out" 'lomash-wood-production-rds-cpu-high +eu-west-1 +Threshold Crossed: cpu 93' \
	"eu-west-1's alarm with its reason"
like "$out" 'lomash-wood-production-billing-100-percent +us-east-1 +Threshold Crossed: charges 1004' \
	"us-east-1's billing alarm with its reason"
unlike "$out" 'other-cpu' "an alarm outside the set is not shown"

run cw-alarm-status -e staging "$stack"
is "$rc" 0 "the staging set's alarms do not exist: nothing fires"

printf '{"Alarms": [{"AlarmName": "x"}]}\n' >"$T/bad.json"
mkdir -p "$T/bad/env"
cp "$T/bad.json" "$T/bad/a.json"
printf '{"Region": "eu-west-1", "Prefixes": ["y-"], "Vars": {}}\n' >"$T/bad/env/production.json"
run cw-alarm-status "$T/bad"
is "$rc" 2 "a set with problems: exit 2"
like "$err" 'problems? in the definitions' "the problems are told"

run cw-alarm-status --history x "$stack"
is "$rc" 2 "--history takes no PATH"

done_testing
