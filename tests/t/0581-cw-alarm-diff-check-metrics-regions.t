#!/bin/sh
# cw-alarm-diff --check-metrics reads the regions at once: with every
# answer delayed, the ListMetrics calls of four regions overlap in the
# emulator's request log, each region, namespace and metric name is asked
# once, and the lines come in the alarms' order.
. "$(dirname "$0")/lib.sh"
start_fakeaws
# OP: how many OP requests were in flight together at most.
overlap() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
reqs = [r for r in json.load(sys.stdin)["requests"] if r["op"] == sys.argv[1]]
print(max((sum(1 for o in reqs if o["start"] <= r["start"] < o["time"])
           for r in reqs), default=0))' "$1"
}

regions="us-east-1 eu-west-1 ap-southeast-2 sa-east-1"
set=$T/multi
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["m-"]}' >"$set/env/production.json"
for r in $regions; do
	fakeaws_ctl POST metrics "{\"region\":\"$r\",\"Namespace\":\"App\",\"MetricData\":[{\"MetricName\":\"Errors\",\"Dimensions\":[{\"Name\":\"Service\",\"Value\":\"api\"}]}]}" >/dev/null
done
{
	printf '{"Defaults": {"EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold"}, "Alarms": ['
	sep=
	for r in $regions; do
		printf '%s{"AlarmName": "m-%s-api", "Region": "%s", "Namespace": "App", "MetricName": "Errors", "Statistic": "Sum", "Period": 60, "Dimensions": [{"Name": "Service", "Value": "api"}]}' "$sep" "$r" "$r"
		printf ',{"AlarmName": "m-%s-web", "Region": "%s", "Namespace": "App", "MetricName": "Errors", "Statistic": "Sum", "Period": 60, "Dimensions": [{"Name": "Service", "Value": "web"}]}' "$r" "$r"
		printf ',{"AlarmName": "m-%s-slow", "Region": "%s", "Metrics": [{"Id": "l", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Latency"}, "Period": 60, "Stat": "p99"}, "ReturnData": true}]}' "$r" "$r"
		sep=,
	done
	printf ']}\n'
} >"$set/alarms.json"

fakeaws_ctl POST faults '{"spec": "latency=400ms"}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-metrics "$set"
is "$rc" 1 "missing metrics: exit 1"
is "$out" "$(for r in $regions; do
	echo "ok alarm m-$r-api: App Errors {Service=api}"
	echo "missing alarm m-$r-web: App Errors {Service=web}: no metric has exactly these dimensions"
	echo "    nearest: {Service=api}"
	echo "missing alarm m-$r-slow: App Latency {}: no metric has exactly these dimensions"
	echo "    no metric of this name in the namespace"
done)" "one line a metric, in the alarms' order"
is "$(fakeaws_count ListMetrics)" 8 "one ListMetrics a region, namespace and name"
is "$(overlap ListMetrics)" 4 "the four regions read at once"
is "$err" "" "nothing on stderr"

# A region that fails fails the run, in one line, whatever the others did.
fakeaws_ctl POST faults '{"spec": "", "next": ["denied@ListMetrics"]}' >/dev/null
run cw-alarm-diff --check-metrics "$set"
like "$rc:$err" "^2:cw-alarm-diff: ListMetrics .*: AccessDenied" "one region refused: exit 2, one line"
is "$(printf '%s\n' "$err" | wc -l)" 1 "one line only"
done_testing
