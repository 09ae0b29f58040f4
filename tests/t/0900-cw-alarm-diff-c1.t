#!/bin/sh
# cw-alarm-diff on a terminal with C1 controls (U+0080..U+009F: CSI,
# OSC) in alarm names and old values from the account: the plan
# lines, -o json and --export reach the terminal with none of them raw.
. "$(dirname "$0")/lib.sh"
start_fakeaws
awscall() { python3 "$top/tests/t/awscall.py" "$@"; }
tty_run() { NO_COLOR=1 python3 "$top/tests/t/termrun.py" --cols 200 "$@"; }

mkdir -p "$T/c1/env"
printf '{"Region":"us-east-1","Prefixes":["c1-"]}\n' >"$T/c1/env/production.json"
cat >"$T/c1/alarms.json" <<'JSON'
{"Alarms": [{"AlarmName": "c1-cpu", "AlarmDescription": "plain",
  "Namespace": "N", "MetricName": "M", "Statistic": "Sum", "Period": 60,
  "EvaluationPeriods": 1, "Threshold": 1,
  "ComparisonOperator": "GreaterThanThreshold"}]}
JSON
own='[{"Key":"ManagedBy","Value":"cwkit"},{"Key":"cwkit:set","Value":"c1/production"}]'
alarm() { # NAME DESCRIPTION-AS-JSON
	printf '{"AlarmName":"%s","AlarmDescription":%s,"Namespace":"N","MetricName":"M","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Tags":%s}\n' "$1" "$2" "$own"
}
{
	alarm c1-cpu '"old\u009b2J\u009d0;pwned\u0007\u001b[31m"'
	alarm 'c1-gone\u009b31m\u0085' '"x"'
} | AWS_REGION=us-east-1 awscall monitoring PutMetricAlarm - >/dev/null
run awscall monitoring DescribeAlarms '{}'
like "$out" 'c1-gone\\u009b31m' "the emulator holds an alarm name with C1 controls"

tty_run cw-alarm-diff --prune "$T/c1" >"$T/plan"
rc=$?
is "$rc" 1 "plan on a terminal: differences, exit 1"
is "$(raw_controls "$T/plan")" 0 "plan on a terminal: no raw control byte, C1 or C0"
like "$(cat "$T/plan")" '^- alarm c1-gone\\xc2\\x9b31m\\xc2\\x85 \(us-east-1\)' \
	"the '- alarm' line shows the C1 bytes escaped"
like "$(cat "$T/plan")" 'AlarmDescription: "old\\u009b2J\\u009d0;pwned\\u0007\\u001b\[31m" → "plain"' \
	"the change line shows the old value as JSON, its C1 controls escaped"
unlike "$(bytes "$T/plan" | tr '\n' ' ')" 'c2 9[0-9a-f] ' "od: no c2 9x sequence in the plan"

tty_run cw-alarm-diff --prune -o json "$T/c1" >"$T/json"
is "$(raw_controls "$T/json")" 0 "-o json on a terminal: no raw C1 or C0 byte"
like "$(cat "$T/json")" '"AlarmName":"c1-gone\\u009b31m\\u0085"' \
	"-o json: the name's C1 controls as \\u escapes"
tr -d '\r' <"$T/json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = [c["AlarmName"] for c in d["changes"]]
sys.exit(0 if "c1-gone\u009b31m\u0085" in names else 1)'
is "$?" 0 "-o json parses to the same name"

tty_run cw-alarm-diff --export c1- >"$T/export"
is "$(raw_controls "$T/export")" 0 "--export on a terminal: no raw C1 or C0 byte"
like "$(cat "$T/export")" '"AlarmName":	"c1-gone\\u009b31m\\u0085"' \
	"--export: the name's C1 controls as \\u escapes, the layout kept"
done_testing
