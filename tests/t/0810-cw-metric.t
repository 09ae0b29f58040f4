#!/bin/sh
# cw-metric: data put with PutMetricData, TSV and JSON, statistics and
# percentiles, a metric-math alarm, thresholds, paging and errors.
. "$(dirname "$0")/lib.sh"
start_fakeaws

# Two hours of one-minute data ending at the last whole 5 minutes: latency
# i and i+10 ms at minute i (0..119), Errors i%7, Requests 100.
now=$(($(date +%s) / 300 * 300))
start=$((now - 7200))
python3 - "$start" <<'PY' | python3 "$top/tests/t/awscall.py" monitoring PutMetricData - >/dev/null
import json, sys
start = int(sys.argv[1])
for i in range(120):
    t = start + i * 60
    print(json.dumps({"Namespace": "Shop", "MetricData": [
        {"MetricName": "Latency", "Dimensions": [{"Name": "Service", "Value": "api"}],
         "Timestamp": t, "Values": [i, i + 10]},
        {"MetricName": "Errors", "Timestamp": t, "Value": i % 7},
        {"MetricName": "Requests", "Timestamp": t, "Value": 100}]}))
PY
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

run cw-metric -s "$start" -u "$((start + 300))" --period 60 Shop Latency Service=api
is "$rc" 0 "TSV: exit 0"
is "$out" "$(iso $start)	Shop Latency Service=api	5	-
$(iso $((start + 60)))	Shop Latency Service=api	6	-
$(iso $((start + 120)))	Shop Latency Service=api	7	-
$(iso $((start + 180)))	Shop Latency Service=api	8	-
$(iso $((start + 240)))	Shop Latency Service=api	9	-" "TSV in a pipe: time, metric, value, no threshold"

run cw-metric -s "$start" -u "$((start + 600))" --period 300 --stat Maximum Shop Latency Service=api
is "$(printf '%s\n' "$out" | cut -f3 | tr '\n' ' ')" "14 19 " "--stat Maximum over 5-minute periods"
run cw-metric -s "$start" -u "$((start + 600))" --period 300 --stat p90 Shop Latency Service=api
is "$(printf '%s\n' "$out" | cut -f3 | tr '\n' ' ')" "13 18 " "a percentile (p90)"

run cw-metric -o json -s "$start" -u "$((start + 180))" --period 60 Shop Latency Service=api Shop Errors
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    s = json.loads(l)
    print(s["label"], s["stat"], s["period"], s["timestamps"][0] - '"$start"', s["values"])')" \
	"Shop Latency Service=api Average 60 0 [5, 6, 7]
Shop Errors Average 60 0 [0, 1, 2]" "-o json: one object per metric; several metrics stack"

# a metric alarm: its period, statistic and threshold; breaches marked
cw PutMetricAlarm '{"AlarmName":"lat-high","MetricName":"Latency","Namespace":"Shop","Dimensions":[{"Name":"Service","Value":"api"}],"Statistic":"Maximum","Period":60,"EvaluationPeriods":1,"Threshold":125,"ComparisonOperator":"GreaterThanThreshold"}'
run cw-metric --alarm lat-high -s "$((start + 6900))" -u "$((start + 7200))"
is "$rc" 0 "--alarm: exit 0"
is "$(printf '%s\n' "$out" | cut -f2- | tr '\t' ' ')" "lat-high 125 ok
lat-high 126 breach
lat-high 127 breach
lat-high 128 breach
lat-high 129 breach" "--alarm: the alarm's Maximum, each point marked against the threshold"

# a metric-math alarm
cw PutMetricAlarm '{"AlarmName":"err-rate","Metrics":[{"Id":"e","MetricStat":{"Metric":{"Namespace":"Shop","MetricName":"Errors"},"Period":60,"Stat":"Sum"},"ReturnData":false},{"Id":"r","MetricStat":{"Metric":{"Namespace":"Shop","MetricName":"Requests"},"Period":60,"Stat":"Sum"},"ReturnData":false},{"Id":"rate","Expression":"100 * e / r","ReturnData":true}],"EvaluationPeriods":1,"Threshold":5,"ComparisonOperator":"GreaterThanOrEqualToThreshold"}'
fakeaws_ctl DELETE stats >/dev/null
run cw-metric -o json --alarm err-rate -s "$start" -u "$((start + 420))"
is "$(printf '%s' "$out" | python3 -c '
import json, sys
s = json.load(sys.stdin)
print(s["label"], s["stat"], s["period"], s["threshold"], s["comparison"], s["values"], s["breaching"])')" \
	"err-rate math 60 5 >= [0, 1, 2, 3, 4, 5, 6] [False, False, False, False, False, True, True]" \
	"a metric-math alarm: its expression, threshold and breaches"
is "$(fakeaws_count DescribeAlarms):$(fakeaws_count GetMetricData)" "1:1" \
	"the alarm is read once and its queries go in one GetMetricData call"

# paging: more points than one answer holds
fakeaws_ctl POST options '{"metric_page": 50}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-metric -s "$start" -u "$now" --period 60 Shop Latency Service=api
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 120 "all 120 points arrive"
is "$(fakeaws_count GetMetricData)" 3 "... over three pages"
fakeaws_ctl POST options '{"metric_page": null}' >/dev/null

# no data
run cw-metric -s 1h Shop Nothing Service=api
is "$rc" 1 "no data: exit 1"
like "$err" '^cw-metric: Shop Nothing Service=api: no data from [-0-9]+ [0-9:]+ to [-0-9]+ [0-9:]+ \(period 60, stat Average\)$' \
	"no data: said, with the window, period and statistic"
is "$out" "" "no data: nothing on stdout"

# bad input
run cw-metric --stat Mean Shop Latency
is "$rc" 2 "a bad --stat: exit 2"
like "$err" "^cw-metric: --stat 'Mean': not a statistic" "a bad --stat: said"
for s in p99.9 tm90 IQM SampleCount Sum Minimum; do
	run cw-metric --stat "$s" -s "$start" -u "$((start + 60))" --period 60 Shop Latency Service=api
	[ "$rc" != 2 ] || break
done
is "$rc:$err" "0:" "statistics and percentiles are taken ($s)"
run cw-metric --period 45 Shop Latency
is "$rc:$err" "2:cw-metric: --period 45: expected 1, 5, 10, 20, 30 or a multiple of 60" "a period that is not a multiple of 60"
run cw-metric --period 10 -s 1d Shop Latency
is "$rc:$err" "2:cw-metric: --period 10: data older than 3 hours is kept per minute at best: use a multiple of 60" "a sub-minute period for old data"
run cw-metric --period 120 -s 30d Shop Latency
is "$rc:$err" "2:cw-metric: --period 120: data older than 15 days is kept per 5 minutes: use a multiple of 300" "a period finer than the data's age allows"
run cw-metric --region xx-nowhere-1 Shop Latency
is "$rc:$err" "2:cw-metric: region 'xx-nowhere-1': not a known AWS region" "an unknown region"
run cw-metric --alarm nosuch
is "$rc:$err" "2:cw-metric: alarm nosuch: not found in us-east-1" "an unknown alarm is named"
run cw-metric Shop
is "$rc" 2 "a namespace alone: exit 2"
like "$err" "^usage: cw-metric" "a namespace alone: the usage"
run cw-metric Shop Latency Other
is "$rc:$err" "2:cw-metric: Other: a namespace needs a metric name after it" "a third word without = starts a metric that lacks a name"
run cw-metric Shop Latency =x
is "$rc:$err" "2:cw-metric: dimension '=x': expected NAME=VALUE" "a dimension without a name"
run cw-metric -o svg Shop Latency
is "$rc:$err" "2:cw-metric: output format 'svg': expected spark, tsv or json" "a bad -o"
fakeaws_ctl POST options '{"deny":["GetMetricData"]}' >/dev/null
run cw-metric Shop Latency
like "$rc:$err" '^2:cw-metric: Shop Latency: AccessDenied: User: .* is not authorized to perform: cloudwatch:GetMetricData' "no permission: the AWS message"
fakeaws_ctl POST options '{"deny":[]}' >/dev/null

# --alarm from a definition set (PATH): the same series, no DescribeAlarms
mkdir -p "$T/defs/env"
printf '%s\n' '{"Region":"us-east-1","Prefixes":["shop-"],"Vars":{"svc":"api"}}' \
	>"$T/defs/env/production.json"
cat >"$T/defs/shop.json" <<'JSON'
{"Alarms": [{"AlarmName": "shop-lat-high", "MetricName": "Latency", "Namespace": "Shop",
  "Dimensions": [{"Name": "Service", "Value": "${svc}"}], "Statistic": "Maximum", "Period": 60,
  "EvaluationPeriods": 1, "Threshold": 125, "ComparisonOperator": "GreaterThanThreshold"}]}
JSON
fakeaws_ctl DELETE stats >/dev/null
run cw-metric --alarm shop-lat-high -s "$((start + 6900))" -u "$((start + 7200))" "$T/defs"
is "$rc" 0 "--alarm NAME PATH: exit 0"
is "$(printf '%s\n' "$out" | cut -f2- | tr '\t' ' ')" "shop-lat-high 125 ok
shop-lat-high 126 breach
shop-lat-high 127 breach
shop-lat-high 128 breach
shop-lat-high 129 breach" "--alarm NAME PATH: the definition's metric, statistic and threshold"
is "$(fakeaws_count DescribeAlarms)" 0 "--alarm NAME PATH: the live alarm is not read"
run cw-metric --alarm shop-lat-high --region eu-west-1 "$T/defs"
like "$err" "alarm shop-lat-high: defined in us-east-1: use --region us-east-1" \
	"--alarm NAME PATH in another region: said"

done_testing
