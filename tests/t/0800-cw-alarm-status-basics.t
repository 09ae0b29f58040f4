#!/bin/sh
# cw-alarm-status: firing alarms of several regions, reasons, composites,
# filters, JSON, exit codes and errors.
. "$(dirname "$0")/lib.sh"
start_fakeaws


page='"AlarmActions":["arn:aws:sns:us-east-1:123456789012:page"]'
alarm us-east-1 api-cpu "$page"
alarm eu-west-1 web-cpu "$page"
alarm us-east-1 db-cpu
state us-east-1 api-cpu ALARM "Threshold Crossed: 1 datapoint [91.0] was greater than the threshold (80.0)."
state eu-west-1 web-cpu ALARM "Threshold Crossed: 2 datapoints [97.5, 88.0] were greater than the threshold (80.0)."
state us-east-1 db-cpu OK "fine"

run cw-alarm-status -r us-east-1 -r eu-west-1
is "$rc" 1 "an alarm in ALARM: exit 1"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "two alarms in ALARM, one line each"
like "$out" '^ALARM +[0-9]+s +(web|api)-cpu ' "state, age and name lead each line"
like "$out" 'api-cpu +us-east-1 +Threshold Crossed: 1 datapoint \[91\.0\] was greater than the threshold \(80\.0\)\.' \
	"us-east-1's alarm with its region and reason"
like "$out" 'web-cpu +eu-west-1 +Threshold Crossed: 2 datapoints' "eu-west-1's alarm with its region and reason"
unlike "$out" 'db-cpu' "an alarm in OK is not shown by default"
is "$(fakeaws_count DescribeAlarms)" 2 "one DescribeAlarms call per region"
is "$(fakeaws_ctl GET stats | python3 -c '
import json, re, sys
print(" ".join(sorted(re.search(r"Credential=[^/]+/[^/]+/([^/]+)/", r["headers"]["Authorization"]).group(1)
	for r in json.load(sys.stdin)["requests"] if r.get("op") == "DescribeAlarms")))')" \
	"eu-west-1 us-east-1" "each region's call is signed for its region"

run cw-alarm-status -r us-east-1 -r eu-west-1 -r us-east-1
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "a region given twice is asked once"

run cw-alarm-status -r eu-west-1 --state ok
is "$rc:$out" "0:" "nothing in the selection: exit 0, no output"

run cw-alarm-status --state any
is "$rc" 1 "--state any still says whether something fires"
like "$out" 'OK +[0-9]+s +db-cpu +us-east-1 +fine' "--state any shows alarms in OK"
like "$(printf '%s\n' "$out" | head -1)" '^ALARM ' "firing alarms come first"

run cw-alarm-status --state any --prefix db-
is "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "0:1" "--prefix selects on the server; OK only: exit 0"

run cw-alarm-status -r us-east-1 -o json
is "$(printf '%s' "$out" | python3 -c '
import json, sys
a = json.loads(sys.stdin.read())
print(a["region"], a["name"], a["state"], a["type"], a["reason"][:18], a["since"] > 0)')" \
	"us-east-1 api-cpu ALARM MetricAlarm Threshold Crossed: True" "-o json: one object per alarm"

# composite alarms: the children that fire now
alarm us-east-1 api-5xx
state us-east-1 api-5xx ALARM "errors"
cw us-east-1 PutCompositeAlarm '{"AlarmName":"api-down","AlarmRule":"ALARM(api-cpu) OR ALARM(api-5xx) OR ALARM(db-cpu)"}'
state us-east-1 api-down ALARM "arn:aws:cloudwatch:us-east-1:123456789012:alarm:api-5xx transitioned to ALARM"
run cw-alarm-status
like "$out" 'api-down +us-east-1 +\[no actions\] firing: api-5xx, api-cpu; arn:aws:cloudwatch' \
	"a composite shows which children fire"
run cw-alarm-status -o json --prefix api-down
is "$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["firing"])')" \
	"['api-5xx', 'api-cpu']" "-o json: the firing children as a list"

# server text never reaches the output raw
state us-east-1 api-5xx ALARM 'bad \u001b[2J\u0007 reason\nnext'
run cw-alarm-status --prefix api-5xx
like "$out" 'bad \\033\[2J\\007 reason\\012next$' "control bytes in a reason are escaped visibly"
is "$(printf '%s' "$out" | tr -d '\033\007' | wc -c)" "$(printf '%s' "$out" | wc -c)" "no escape byte reaches the output"

# 250 alarms: one call per 100
i=0
while [ $i -lt 250 ]; do
	printf '{"AlarmName":"bulk-%03d","MetricName":"M","Namespace":"N","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}\n' $i
	i=$((i + 1))
done | AWS_REGION=eu-west-1 python3 "$top/tests/t/awscall.py" monitoring PutMetricAlarm - >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-status -r eu-west-1 --state any --prefix bulk-
is "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "0:250" "250 alarms listed"
is "$(fakeaws_count DescribeAlarms)" 3 "250 alarms in 3 DescribeAlarms calls (100 a page)"

# errors
run cw-alarm-status -r us-east-1 -r xx-nowhere-1
is "$rc" 2 "an unknown region: exit 2"
is "$err" "cw-alarm-status: region 'xx-nowhere-1': not a known AWS region" "an unknown region: said"
fakeaws_ctl POST options '{"deny":["DescribeAlarms"]}' >/dev/null
run cw-alarm-status -r eu-west-1
is "$rc" 2 "no permission: exit 2"
like "$err" '^cw-alarm-status: eu-west-1: AccessDenied: User: arn:aws:iam::123456789012:user/fakeaws is not authorized to perform: cloudwatch:DescribeAlarms' \
	"no permission: the AWS message, with the region"
fakeaws_ctl POST options '{"deny":[]}' >/dev/null
run cw-alarm-status --state red
is "$rc:$err" "2:cw-alarm-status: --state 'red': expected alarm, ok, insufficient or any" "a bad --state"
run cw-alarm-status -o yaml
is "$rc:$err" "2:cw-alarm-status: output format 'yaml': expected table or json" "a bad -o"
run cw-alarm-status --watch 0
is "$rc:$err" "2:cw-alarm-status: --watch '0': expected a positive number" "a bad --watch"
run cw-alarm-status some/path
is "$rc" 2 "an operand that is no definition set: exit 2"
like "$err" '^cw-alarm-status: some/path: ' "the path is named"

done_testing
