#!/bin/sh
# cw-alarm-status on a terminal (through a pty): header, reasons cut to
# the width, color; --watch redraws on a terminal and prints only
# changes in a pipe.
. "$(dirname "$0")/lib.sh"
start_fakeaws

alarm() { # NAME
	cw PutMetricAlarm "{\"AlarmName\":\"$1\",\"MetricName\":\"CPUUtilization\",\"Namespace\":\"AWS/EC2\",\"Statistic\":\"Average\",\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":80,\"ComparisonOperator\":\"GreaterThanThreshold\",\"AlarmActions\":[\"arn:aws:sns:us-east-1:123456789012:p\"]}"
}
tty() { # COLS ARGS...
	c=$1; shift
	out=$(LC_ALL=C.UTF-8 python3 "$top/tests/t/termrun.py" --cols "$c" "$@" 2>&1)
	rc=$?
}
long="Threshold Crossed: 3 out of the last 3 datapoints [99.1 (30/11/26 16:00:00), 98.7 (30/11/26 15:59:00), 97.0 (30/11/26 15:58:00)] were greater than the threshold (80.0) (minimum 3 datapoints for OK -> ALARM transition)."
alarm api-cpu
state api-cpu ALARM "$long"

tty 80 cw-alarm-status
is "$rc" 1 "on a terminal: exit 1 when firing"
like "$(printf '%s\n' "$out" | head -1)" '^STATE +SINCE +NAME +REGION +REASON$' "a header line on a terminal"
line=$(printf '%s\n' "$out" | sed -n 2p)
is "$(printf '%s' "$line" | wc -m | tr -d ' ')" 80 "the reason is cut to the terminal's width"
like "$line" 'Threshold Crossed: 3 out.*…$' "... and ends with an ellipsis"
tty 300 cw-alarm-status
like "$out" 'ALARM transition\)\.' "a wide terminal shows the whole reason"

unset NO_COLOR
tty 100 cw-alarm-status
like "$out" "$(printf '\033')\\[31mALARM" "ALARM in red on a terminal"
tty 100 cw-alarm-status --no-color
unlike "$out" "$(printf '\033')\\[31m" "--no-color"
export NO_COLOR=1

tty 30 cw-alarm-status
like "$out" 'cw-alarm-status: terminal: 30 columns, fewer than 40: reasons are not cut' "a terminal narrower than 40 columns: said"
like "$out" 'ALARM transition\)\.' "... and reasons are shown whole"

# --watch on a terminal redraws in place
# a checker such as valgrind makes every round slow
secs=3
[ -z "${CW_TEST_WRAP:-}" ] || secs=20
tty 100 --for $secs cw-alarm-status --watch 1
is "$rc" 130 "--watch ends with 130 on an interrupt"
n=$(printf '%s' "$out" | grep -o "$(printf '\033')\\[H$(printf '\033')\\[2J" | wc -l | tr -d ' ')
check "--watch on a terminal redraws the screen each round ($n rounds)" [ "$n" -ge 2 ]
like "$out" 'every 1s, 1 alarm, 1 region' "--watch: a title line"

# --watch in a pipe prints changes only
# waitfor ERE: until the watch output holds a line matching ERE (20 s)
waitfor() { wait_for 20 grep -Eq -- "$1" "$T/watch"; }
alarm db-cpu
interruptible cw-alarm-status --watch 1 >"$T/watch" 2>"$T/watch.err" &
pid=$!
waitfor 'api-cpu'
state db-cpu ALARM "db on fire"
waitfor 'db-cpu'
state api-cpu OK "calm"
waitfor 'CLEARED'
wait_more DescribeAlarms 2	# two more rounds: nothing is printed again
kill -INT $pid
wait $pid
rc=$?
is "$rc" 130 "--watch in a pipe: 130 on an interrupt"
out=$(cat "$T/watch")
is "$(grep -c 'api-cpu' "$T/watch")" 2 "api-cpu: printed once, then when it cleared"
like "$out" '^[-0-9T:]+Z ALARM +[0-9]+[sm] +api-cpu' "the first round lists what fires, with the time"
like "$out" '[-0-9T:]+Z ALARM +[0-9]+s +db-cpu +us-east-1 +db on fire' "a new alarm is printed when it fires"
like "$out" '[-0-9T:]+Z CLEARED +- +api-cpu +us-east-1$' "an alarm that stops firing is printed as CLEARED"
is "$(grep -c 'db-cpu' "$T/watch")" 1 "an unchanged alarm is not printed again"

# the same as JSON lines
interruptible cw-alarm-status --watch 1 -o json >"$T/watch" 2>"$T/watch.err" &
pid=$!
waitfor 'db-cpu'
state db-cpu OK "cooled"
waitfor 'CLEARED'
kill -INT $pid
wait $pid
is "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    o = json.loads(l)
    print(o["name"], o["state"])' "$T/watch")" "db-cpu ALARM
db-cpu CLEARED" "--watch -o json in a pipe: JSON lines, CLEARED included"

# a round that fails says so and clears nothing
state db-cpu ALARM "again"
interruptible cw-alarm-status --watch 1 >"$T/watch" 2>"$T/watch.err" &
pid=$!
waitfor 'db-cpu'
fakeaws_ctl POST options '{"deny":["DescribeAlarms"]}' >/dev/null
wait_for 20 grep -q AccessDenied "$T/watch.err"
fakeaws_ctl POST options '{"deny":[]}' >/dev/null
wait_more DescribeAlarms 2	# rounds that succeed again
kill -INT $pid
wait $pid
like "$(cat "$T/watch.err")" '^cw-alarm-status: us-east-1: AccessDenied' "--watch: a failed round is said on stderr"
is "$(grep -c . "$T/watch")" 1 "--watch: ... and neither clears nor repeats an alarm"

done_testing
