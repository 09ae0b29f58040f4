#!/bin/sh
# cw-alarm-status --test: a name given twice is one alarm, set once; the
# names keep the order they were first given in.
. "$(dirname "$0")/lib.sh"
start_fakeaws

cw() { # OP JSON
	AWS_REGION=eu-west-1 python3 "$top/tests/t/awscall.py" monitoring "$1" "$2"
}
alarm() { # NAME
	cw PutMetricAlarm "{\"AlarmName\":\"$1\",\"MetricName\":\"CPUUtilization\",\"Namespace\":\"AWS/EC2\",\"Statistic\":\"Average\",\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":80,\"ComparisonOperator\":\"GreaterThanThreshold\",\"AlarmActions\":[\"arn:aws:sns:eu-west-1:123456789012:oncall\"]}" >/dev/null
}
# The AlarmName of every SetAlarmState in the request log, in order.
set_names() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
print(" ".join(json.loads(q["body"])["AlarmName"]
	for q in json.load(sys.stdin)["requests"] if q["op"] == "SetAlarmState"))'
}
alarm pager
alarm backup
export USER=alice

run cw-alarm-status -r eu-west-1 --test --yes pager pager
is "$rc" 0 "--test --yes A A: exit 0"
is "$out" "pager (eu-west-1): set to ALARM: cwkit notification test by alice" "... one line"
is "$(set_names)" "pager" "... and one SetAlarmState reached the emulator"

cw SetAlarmState '{"AlarmName":"pager","StateValue":"OK","StateReason":"back"}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-status -r eu-west-1 --test --yes backup pager backup pager backup
is "$rc" 0 "--test --yes B A B A B: exit 0"
is "$out" "backup (eu-west-1): set to ALARM: cwkit notification test by alice
pager (eu-west-1): set to ALARM: cwkit notification test by alice" "... each alarm once, in the order first given"
is "$(set_names)" "backup pager" "... two SetAlarmState calls, in that order"
names=$(fakeaws_ctl GET stats | python3 -c '
import json, sys
print(" ".join(" ".join(json.loads(q["body"])["AlarmNames"])
	for q in json.load(sys.stdin)["requests"] if q["op"] == "DescribeAlarms"))')
is "$names" "backup pager" "... and DescribeAlarms asks for each name once"

cw SetAlarmState '{"AlarmName":"pager","StateValue":"OK","StateReason":"back"}' >/dev/null
out=$(python3 "$top/tests/t/termrun.py" --cols 100 --input "n
" cw-alarm-status -r eu-west-1 --test pager pager 2>&1)
like "$out" 'Set 1 alarm to ALARM and run its actions\? \[y/N\]' "on a terminal the question counts the alarm once"

done_testing
