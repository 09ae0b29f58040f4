#!/bin/sh
# cw-alarm-status -o json on a terminal, with C1 controls (U+0080..U+009F)
# in an alarm's name and reason: written as \u escapes, as its page
# promises.
. "$(dirname "$0")/lib.sh"
start_fakeaws
aws() { python3 "$top/tests/t/awscall.py" "$@" >/dev/null; }
tty_run() { python3 "$top/tests/t/termrun.py" --cols 200 "$@"; }
msg='c1 \u009b2J\u009d0;pwned\u0007 end'

aws monitoring PutMetricAlarm '{"AlarmName":"c1-\u009b31m","MetricName":"M","Namespace":"N","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}'
aws monitoring SetAlarmState "{\"AlarmName\":\"c1-\\u009b31m\",\"StateValue\":\"ALARM\",\"StateReason\":\"$msg\"}"
tty_run cw-alarm-status -o json >"$T/status"
is "$?" 1 "cw-alarm-status -o json on a terminal: an alarm fires, exit 1"
is "$(raw_controls "$T/status")" 0 "cw-alarm-status -o json: no raw C1 or C0 byte (od)"
like "$(cat "$T/status")" '"name":"c1-\\u009b31m"' \
	"cw-alarm-status -o json: the name's C1 control as a \\u escape"
like "$(cat "$T/status")" '"reason":"c1 \\u009b2J\\u009d0;pwned\\u0007 end"' \
	"cw-alarm-status -o json: the reason's too"
done_testing
