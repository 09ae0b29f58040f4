#!/bin/sh
# cw-metric on a terminal (through a pty): sparklines with min, max,
# last and the time axis; thresholds and breaches; ASCII without UTF-8;
# a narrow terminal.
. "$(dirname "$0")/lib.sh"
start_fakeaws

now=$(($(date +%s) / 300 * 300))
start=$((now - 3600))
# a ramp from 0 to 59 over the hour
python3 - "$start" <<'PY' | python3 "$top/tests/t/awscall.py" monitoring PutMetricData - >/dev/null
import json, sys
start = int(sys.argv[1])
for i in range(60):
    print(json.dumps({"Namespace": "Shop", "MetricData": [
        {"MetricName": "Queue", "Timestamp": start + i * 60, "Value": i}]}))
PY
python3 "$top/tests/t/awscall.py" monitoring PutMetricAlarm '{"AlarmName":"queue-deep","MetricName":"Queue","Namespace":"Shop","Statistic":"Maximum","Period":60,"EvaluationPeriods":1,"Threshold":49,"ComparisonOperator":"GreaterThanThreshold"}' >/dev/null
tty() { # COLS ARGS...
	c=$1; shift
	out=$(python3 "$top/tests/t/termrun.py" --cols "$c" "$@" 2>&1)
	rc=$?
}
export LC_ALL=C.UTF-8
# The pty is a colour terminal whatever this test runs under (TERM=dumb
# turns colour off).
export TERM=xterm

tty 100 cw-metric -s "$start" -u "$now" --period 60 Shop Queue
is "$rc" 0 "a sparkline: exit 0"
line=$(printf '%s\n' "$out" | head -1)
like "$line" '^Shop Queue  ▁[▁▂▃▄▅▆▇█]+█  min 0 max 59 last 59$' "one line: label, blocks from ▁ to █, min, max, last"
is "$(printf '%s' "$line" | wc -m | tr -d ' ')" 100 "the line fills the terminal's width"
axis=$(printf '%s\n' "$out" | sed -n 2p)
like "$axis" '^ {12}[0-9]{2}:[0-9]{2} +[0-9]{2}:[0-9]{2} +[0-9]{2}:[0-9]{2}$' "a time axis under the blocks: start, middle, end"
is "$(printf '%s' "$axis" | cut -c13-17)" "$(date -d "@$start" +%H:%M)" "the axis starts at --since"

tty 100 cw-metric -s "$start" -u "$now" --alarm queue-deep Shop Queue
like "$(printf '%s\n' "$out" | head -1)" '^Shop Queue  ' "several series stack, one line each: metrics first"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^queue-deep  .*  min 0 max 59 last 59  thr >49 breach 10$' \
	"--alarm: the threshold and the number of breaching points"
marks=$(printf '%s\n' "$out" | sed -n 3p)
like "$marks" '^ {12} +\^+$' "without color a row of ^ marks the breaching columns"
blocks=$(printf '%s\n' "$out" | sed -n 2p | sed 's/^queue-deep  //; s/  min.*//')
is "$(printf '%s' "$marks" | wc -m | tr -d ' ')" "$((12 + $(printf '%s' "$blocks" | wc -m)))" \
	"the marks end under the last column"
is "$(printf '%s\n%s\n' "$blocks" "$marks" | python3 -c '
import sys
b, m = sys.stdin.read().split("\n")[:2]
m = m[12:]
ok = m.endswith("^") and all(b[i] in "\u2587\u2588" for i, c in enumerate(m) if c == "^")
print("ok" if ok else "bad: %r" % m)')" ok "the marks sit under the high columns at the end, where the data passes 49"

unset NO_COLOR
tty 100 cw-metric -s "$start" -u "$now" --alarm queue-deep
like "$out" "$(printf '\033')\\[31m[▁▂▃▄▅▆▇█]+$(printf '\033')\\[0m  min" "with color the breaching columns are red"
export NO_COLOR=1

LC_ALL=C tty 100 cw-metric -s "$start" -u "$now" --period 60 Shop Queue
like "$(printf '%s\n' "$out" | head -1)" '^Shop Queue  _[_.:=+*#-]+#  min 0 max 59' "without UTF-8: an ASCII ramp"

tty 30 cw-metric -s "$start" -u "$now" Shop Queue
like "$out" 'cw-metric: terminal: 30 columns, fewer than 40: drawing 40 wide' "a terminal narrower than 40 columns: said"
like "$(printf '%s\n' "$out" | sed -n 2p)" '^Shop Queue  [▁▂▃▄▅▆▇█ ]{28}$' "... and still drawn, 40 wide"
like "$(printf '%s\n' "$out" | sed -n 3p)" '^ {12}min [0-9.]+ max' "... the statistics under the sparkline"

tty 100 cw-metric -s 10m Shop Empty
is "$rc" 1 "no data on a terminal: exit 1"
like "$out" 'cw-metric: Shop Empty: no data from' "no data on a terminal: said"

done_testing
