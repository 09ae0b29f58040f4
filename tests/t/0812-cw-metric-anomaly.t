#!/bin/sh
# cw-metric --alarm on an anomaly detection alarm: the metric is drawn
# from its own results only, the band (ThresholdMetricId) as lines of
# its own, labelled, whatever the order of the queries and the pages.
. "$(dirname "$0")/lib.sh"
start_fakeaws

# Ten minutes of one-minute data: Latency i*10 at minute i.
now=$(($(date +%s) / 300 * 300))
start=$((now - 3600))
python3 - "$start" <<'PY' | python3 "$top/tests/t/awscall.py" monitoring PutMetricData - >/dev/null
import json, sys
start = int(sys.argv[1])
for i in range(10):
    print(json.dumps({"Namespace": "Shop", "MetricData": [
        {"MetricName": "Latency", "Timestamp": start + i * 60,
         "Value": i * 10}]}))
PY
# The band's query first: results come in that order.
python3 "$top/tests/t/awscall.py" monitoring PutMetricAlarm '{"AlarmName":"lat-odd","Metrics":[{"Id":"ad1","Expression":"ANOMALY_DETECTION_BAND(m1, 2)","Label":"expected","ReturnData":true},{"Id":"m1","MetricStat":{"Metric":{"Namespace":"Shop","MetricName":"Latency"},"Period":60,"Stat":"Average"},"ReturnData":true}],"ThresholdMetricId":"ad1","EvaluationPeriods":1,"ComparisonOperator":"LessThanLowerOrGreaterThanUpperThreshold"}' >/dev/null
# Four points an answer: the results are paged.
fakeaws_ctl POST options '{"metric_page": 4}' >/dev/null

fakeaws_ctl DELETE stats >/dev/null
run cw-metric --alarm lat-odd -s "$start" -u "$((start + 600))"
is "$rc" 0 "TSV: exit 0"
is "$(printf '%s\n' "$out" | cut -f2 | uniq -c | sed 's/^ *//')" "10 lat-odd
10 lat-odd band expected Lower
10 lat-odd band expected Upper" \
	"TSV: 10 points of the metric, then each line of the band, labelled"
is "$(printf '%s\n' "$out" | awk -F '\t' '$2 == "lat-odd" { print $3 }' | tr '\n' ' ')" \
	"0 10 20 30 40 50 60 70 80 90 " "TSV: the metric's own values, oldest first"
check "the results came in several pages" \
	test "$(fakeaws_count GetMetricData)" -ge 3

run cw-metric -o json --alarm lat-odd -s "$start" -u "$((start + 600))"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    s = json.loads(l)
    print(s["label"], s["stat"], len(s["timestamps"]), len(s["values"]),
          s["timestamps"] == sorted(s["timestamps"]))
    if s["stat"] != "band":
        print(s["values"])')" "lat-odd math 10 10 True
[0, 10, 20, 30, 40, 50, 60, 70, 80, 90]
lat-odd band expected Lower band 10 10 True
lat-odd band expected Upper band 10 10 True" \
	"-o json: the metric, then the band's lines, labelled"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
lo, hi = [json.loads(l)["values"] for l in sys.stdin][1:]
print(all(a < b for a, b in zip(lo, hi)))')" True "-o json: the lower line under the upper"

LC_ALL=C.UTF-8 run cw-metric -o spark --alarm lat-odd -s "$start" -u "$((start + 600))"
is "$(printf '%s\n' "$out" | sed -n '1,3s/  .*//p')" "lat-odd
lat-odd band expected Lower
lat-odd band expected Upper" "-o spark: a sparkline for the metric and each line of the band"
like "$(printf '%s\n' "$out" | sed -n 1p)" "min 0 max 90 last 90" \
	"-o spark: the metric's own range"

done_testing
