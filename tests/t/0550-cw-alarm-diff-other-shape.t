#!/bin/sh
# cw-alarm-diff and cw-alarm-apply against a DescribeAlarms that lists
# unset lists as [], members the model lacks and members in another
# order: after an apply the plan is clean and a second apply writes
# nothing.
. "$(dirname "$0")/lib.sh"
start_fakeaws

writes() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(sum(sum(ops.get(o, {}).values()) for o in ("PutMetricAlarm",
    "PutCompositeAlarm", "DeleteAlarms", "TagResource", "UntagResource")))'
}

set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"], "Vars": {}}' >"$set/env/production.json"
topic=arn:aws:sns:us-east-1:123456789012
cat >"$set/alarms.json" <<JSON
{"Alarms": [
  {"AlarmName": "app-production-cpu", "Namespace": "AWS/EC2",
   "MetricName": "CPUUtilization", "Statistic": "Average",
   "Dimensions": [{"Name": "InstanceId", "Value": "i-1"},
                  {"Name": "AutoScalingGroupName", "Value": "web"}],
   "Period": 300, "EvaluationPeriods": 2, "Threshold": 80,
   "ComparisonOperator": "GreaterThanThreshold",
   "AlarmActions": ["$topic:a", "$topic:b"], "OKActions": ["$topic:a"],
   "Tags": [{"Key": "Team", "Value": "web"}]},
  {"AlarmName": "app-production-plain", "Namespace": "App",
   "MetricName": "Errors", "Statistic": "Sum", "Period": 60,
   "EvaluationPeriods": 1, "Threshold": 1,
   "ComparisonOperator": "GreaterThanThreshold"},
  {"AlarmName": "app-production-rate", "EvaluationPeriods": 1,
   "Threshold": 5, "ComparisonOperator": "GreaterThanThreshold",
   "Metrics": [
     {"Id": "e", "Expression": "100 * f / r", "Label": "rate"},
     {"Id": "f", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "App",
       "MetricName": "Failed", "Dimensions": [{"Name": "Svc", "Value": "x"}]},
       "Period": 60, "Stat": "Sum"}},
     {"Id": "r", "ReturnData": false, "MetricStat": {"Metric": {"Namespace": "App",
       "MetricName": "Requests"}, "Period": 60, "Stat": "Sum"}}]}],
 "CompositeAlarms": [
  {"AlarmName": "app-production-any", "AlarmRule": "ALARM(app-production-cpu) OR ALARM(app-production-plain)"}]}
JSON

run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "applied"
[ "$rc" = 0 ] || diag "$out" "$err"

fakeaws_ctl POST options '{"alarm_shape": "other"}' >/dev/null
AWS_REGION=us-east-1 awscall monitoring DescribeAlarms \
	'{"AlarmNames":["app-production-plain"]}' >"$T/d.json"
is "$(python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))["MetricAlarms"][0]
print(a["Metrics"], a["Dimensions"], "EvaluationState" in a, list(a)[-1])' "$T/d.json")" \
	"[] [] True AlarmName" "the emulator answers with empty lists, extra members, reordered"

run cw-alarm-diff "$set"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 4 unchanged." \
	"empty lists, extra and reordered members: the plan is clean"
[ "$rc" = 0 ] || diag "$out" "$err"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:No changes." "a second apply: no changes"
is "$(writes)" 0 "and no write call"

# A real change still shows through the other shape.
sed 's/"Threshold": 80/"Threshold": 90/' "$set/alarms.json" >"$T/x" && mv "$T/x" "$set/alarms.json"
run cw-alarm-diff "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "1:Plan: 0 to add, 1 to change, 0 to delete, 3 unchanged." \
	"a changed threshold is one change"
like "$out" "Threshold: 80 → 90" "naming the field"

done_testing
