#!/bin/sh
# cw-metric fits a terminal's width (through a pty, 80 and 200 columns):
# labels whole where there is room (not cut at 32), the sparkline taking
# what is left, the statistics under it when one line would starve it.
. "$(dirname "$0")/lib.sh"
start_fakeaws

now=$(($(date +%s) / 300 * 300))
start=$((now - 3600))
id=i-0123456789abcdef0
long=prod-checkout-service-blue-green-target-group-with-a-very-long-name-0123456789
python3 - "$start" "$id" "$long" <<'PY' | python3 "$top/tests/t/awscall.py" monitoring PutMetricData - >/dev/null
import json, sys
start, ident, long = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for i in range(60):
    print(json.dumps({"Namespace": "Shop", "MetricData": [
        {"MetricName": "CPUUtilization", "Timestamp": start + i * 60,
         "Value": i, "Dimensions": [{"Name": "InstanceId", "Value": ident}]},
        {"MetricName": "CPUUtilization", "Timestamp": start + i * 60,
         "Value": i, "Dimensions": [{"Name": "TargetGroup", "Value": long}]}]}))
PY
python3 "$top/tests/t/awscall.py" monitoring PutMetricAlarm "{\"AlarmName\":\"web-cpu-high\",\"MetricName\":\"CPUUtilization\",\"Namespace\":\"Shop\",\"Statistic\":\"Maximum\",\"Period\":60,\"EvaluationPeriods\":1,\"Threshold\":49,\"ComparisonOperator\":\"GreaterThanThreshold\",\"Dimensions\":[{\"Name\":\"InstanceId\",\"Value\":\"$id\"}]}" >/dev/null
export LC_ALL=C.UTF-8
tty() { # COLS ARGS...
	c=$1; shift
	out=$(python3 "$top/tests/t/termrun.py" --cols "$c" "$@" 2>&1)
	rc=$?
}
# widest TEXT: the columns of its widest line
widest() { printf '%s\n' "$1" | while IFS= read -r l; do printf '%s' "$l" | wc -m; done | sort -n | tail -1 | tr -d ' '; }
# blocks LINE: how many sparkline columns it has
blocks() { printf '%s' "$1" | grep -o '[▁▂▃▄▅▆▇█]' | wc -l | tr -d ' '; }
label="Shop CPUUtilization InstanceId=$id"

tty 80 cw-metric -s "$start" -u "$now" --alarm web-cpu-high Shop CPUUtilization InstanceId=$id
is "$rc" 0 "80 columns: exit 0"
is "$(widest "$out")" 80 "80 columns: no line is wider than the terminal"
first=$(printf '%s\n' "$out" | head -1)
like "$first" "^$label  [▁▂▃▄▅▆▇█]+\$" "80 columns: the 50-column label whole (not cut at 32), the sparkline to the edge"
check "80 columns: the sparkline takes the 28 columns left ($(blocks "$first"))" [ "$(blocks "$first")" -eq 28 ]
like "$(printf '%s\n' "$out" | sed -n 2p)" "^ {41}min 0 max 59 last 59\$" "80 columns: the statistics on a line of their own, under the sparkline, aligned"
like "$(printf '%s\n' "$out" | sed -n 3p)" "^web-cpu-high {40}[▁▂▃▄▅▆▇█]{28}\$" "80 columns: the alarm's sparkline under the metric's"
like "$(printf '%s\n' "$out" | sed -n 5p)" "^ {41}min 0 max 59 last 59  thr >49 breach 10\$" "80 columns: statistics too long to sit under the sparkline end at the edge"

tty 200 cw-metric -s "$start" -u "$now" --alarm web-cpu-high Shop CPUUtilization InstanceId=$id
is "$(widest "$out")" 200 "200 columns: the lines fill the width"
first=$(printf '%s\n' "$out" | head -1)
like "$first" "^$label  [▁▂▃▄▅▆▇█]+  min 0 max 59 last 59\$" "200 columns: label, sparkline and statistics on one line"
check "200 columns: the sparkline takes what is left ($(blocks "$first"))" [ "$(blocks "$first")" -ge 100 ]
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 4 "200 columns: a line a series, a row of marks, the axis"

# a label longer than a line can give it: cut, the sparkline keeps a quarter
tty 80 cw-metric -s "$start" -u "$now" Shop CPUUtilization TargetGroup=$long
is "$(widest "$out")" 80 "80 columns, a 112-column label: the lines fit"
first=$(printf '%s\n' "$out" | head -1)
like "$first" "^Shop CPUUtilization TargetGroup=prod-checkout-[a-z-]+…  [▁▂▃▄▅▆▇█]{20}\$" "... the label cut, the sparkline a quarter of the width"
tty 200 cw-metric -s "$start" -u "$now" Shop CPUUtilization TargetGroup=$long
like "$out" "TargetGroup=$long  [▁▂▃▄▅▆▇█]+  min 0" "200 columns: the long label whole"

done_testing
