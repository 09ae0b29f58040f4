#!/bin/sh
# cw-alarm-diff on a terminal: values quoted from a definition file in
# its errors, C1 controls (U+0080..U+009F) among them, shown as "?".
. "$(dirname "$0")/lib.sh"
tty_run() { NO_COLOR=1 python3 "$top/tests/t/termrun.py" --cols 200 "$@"; }

mkdir -p "$T/d/env"
printf '{"Region":"us-east-1","Prefixes":["t-"]}\n' >"$T/d/env/production.json"
cat >"$T/d/a.json" <<'JSON'
{"Alarms":[{"AlarmName":"t-\u009d0;x","Statistic":"\u009b2JX\u0085",
 "Namespace":"N","MetricName":"M","Period":60,"EvaluationPeriods":1,
 "Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]}
JSON
tty_run cw-alarm-diff --offline /dev/null "$T/d" >"$T/out"
is "$?" 2 "a bad definition: exit 2"
is "$(raw_controls "$T/out")" 0 "the error on a terminal: no raw C1 or C0 byte (od)"
like "$(cat "$T/out")" 'alarm "t-\?0;x": Statistic: "\?2JX\?" is not one' \
	"the name and value quoted with their C1 controls as ?"
done_testing
