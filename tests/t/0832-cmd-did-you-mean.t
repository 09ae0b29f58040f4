#!/bin/sh
# A mistake is answered with the name meant, on the error line itself:
# a folder of sets given for a set, an unknown environment, region or
# definition member; a time that is not one lists every accepted form.
. "$(dirname "$0")/lib.sh"
aws_env

# the alarms folder itself, not one of its sets
run cw-alarm-diff --offline /dev/null "$top/alarms"
is "$rc" 2 "a folder of sets: exit 2"
like "$err" "^cw-alarm-diff: $top/alarms: not a definition set \\(no env/ folder\\): name one of the sets in it: $top/alarms/d2-ride-booking, $top/alarms/huron-pmo, " "a folder of sets: its sets named"
is "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" 1 "... on one line"

set=$top/alarms/lomash-wood
run cw-alarm-diff -e prod --offline /dev/null "$set"
is "$err" "cw-alarm-diff: $set: no environment prod: did you mean production? (its environments: production, staging)" "-e prod: production meant, and the environments listed"
run cw-alarm-apply -e stagign --dry-run "$set"
is "$err" "cw-alarm-apply: $set: no environment stagign: did you mean staging? (its environments: production, staging)" "cw-alarm-apply: a swap in staging"
run cw-alarm-diff -e qa --offline /dev/null "$set"
is "$err" "cw-alarm-diff: $set: no environment qa (its environments: production, staging)" "nothing near: the environments listed"

# regions
run cw-alarm-status -r eu-west1
is "$rc:$err" "2:cw-alarm-status: region 'eu-west1': not a known AWS region: did you mean eu-west-1?" "-r eu-west1: eu-west-1 meant"
run cw-metric --region us-east1 AWS/EC2 CPUUtilization
is "$rc:$err" "2:cw-metric: region 'us-east1': not a known AWS region: did you mean us-east-1?" "cw-metric --region us-east1"

# a misspelt member of a definition
mkdir -p "$T/set/env"
echo '{"Prefixes":["x-"]}' >"$T/set/env/production.json"
cat >"$T/set/a.json" <<'JSON'
{"Defaults": {"TreatMisingData": "breaching"},
 "Alarms": [{"AlarmName": "x-a", "MetricName": "CPUUtilization",
  "Namespace": "AWS/EC2", "Statistic": "Average", "Period": 60,
  "EvalutionPeriods": 1, "Threshold": 80,
  "ComparisonOperator": "GreaterThanThreshold",
  "Dimensions": [{"Nmae": "InstanceId", "Value": "i-1"}]}]}
JSON
run cw-alarm-diff --offline /dev/null "$T/set"
is "$rc" 2 "misspelt members: exit 2"
like "$err" 'a\.json:4:3: alarm "x-a": EvalutionPeriods: not a member of PutMetricAlarm: did you mean EvaluationPeriods\?' "EvalutionPeriods: EvaluationPeriods meant"
like "$err" 'Dimensions: unknown member "Nmae": did you mean Name\?' "a dimension's Nmae: Name meant"
like "$err" 'Defaults: "TreatMisingData" cannot be a default: did you mean TreatMissingData\?' "a default: TreatMissingData meant"

# times
run cw-tail --since soon /g
is "$err" "cw-tail: --since: time 'soon': expected now, an age (30s, 10m, 2h, 3d, 1w), an ISO 8601 time (2026-01-31, 2026-01-31T08:00, 2026-01-31T08:00:00Z or +01:00) or epoch seconds or milliseconds" "a time that is not one: every form listed"
run cw-metric --since 1y AWS/EC2 CPUUtilization
like "$err" "^cw-metric: --since: time '1y': expected now, an age \\(30s, 10m, 2h, 3d, 1w\\)" "the same in cw-metric"

done_testing
