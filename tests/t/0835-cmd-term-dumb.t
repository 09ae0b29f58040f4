#!/bin/sh
# TERM=dumb gets no control sequence from any command: no colour (0023
# has the commands it covers; cw-metric and cw-alarm-apply here), no
# screen redrawn by --watch, no progress line redrawn in place. The
# bytes are checked with od: not one ESC.
. "$(dirname "$0")/lib.sh"
start_fakeaws
unset NO_COLOR

alarm c
state c ALARM r
python3 "$top/tests/t/awscall.py" monitoring PutMetricAlarm '{"AlarmName":"q","MetricName":"Queue","Namespace":"Shop","Statistic":"Maximum","Period":60,"EvaluationPeriods":1,"Threshold":-1,"ComparisonOperator":"GreaterThanThreshold"}' >/dev/null
echo '{"Namespace":"Shop","MetricData":[{"MetricName":"Queue","Value":5}]}' \
	| python3 "$top/tests/t/awscall.py" monitoring PutMetricData - >/dev/null
call CreateLogGroup '{"logGroupName":"/q"}'

# escs TERM COLS ARGS...: how many ESC bytes the command wrote on a pty
escs() {
	t=$1; c=$2; shift 2
	TERM=$t python3 "$top/tests/t/termrun.py" --cols "$c" "$@" >"$T/tty" 2>&1
	od -An -v -tx1 "$T/tty" | tr -s ' ' '\n' | grep -c '^1b$'
}

for cols in 80 200; do
	for c in "cw-metric --alarm q" \
			"cw-alarm-apply --dry-run $top/tests/t/alarms-fixtures/shop" \
			"cw-query -g /q fields"; do
		name=${c%% *}
		# shellcheck disable=SC2086
		n=$(escs xterm $cols $c)
		check "$name on xterm, $cols columns: control sequences ($n)" [ "$n" -gt 0 ]
		# shellcheck disable=SC2086
		is "$(escs dumb $cols $c)" 0 "$name with TERM=dumb, $cols columns: none"
	done
	n=$(escs xterm $cols --for 2.5 cw-alarm-status --watch 1)
	check "cw-alarm-status --watch on xterm, $cols columns: the screen redrawn ($n)" [ "$n" -gt 0 ]
	is "$(escs dumb $cols --for 2.5 cw-alarm-status --watch 1)" 0 "cw-alarm-status --watch with TERM=dumb, $cols columns: none"
	like "$(cat "$T/tty")" 'every 1s, 1 alarm, 1 region' "... the rounds still printed"
done

done_testing
