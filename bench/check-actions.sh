#!/bin/sh
# bench/check-actions.sh: cw-alarm-diff --check on N alarms (default
# 1000) that share 10 SNS topics encrypted with 2 KMS keys, against the
# local emulator: the reads per operation and the median wall time of R
# runs. Every metric exists and every action can deliver, so the run
# reads everything and prints only the metric lines.
#
# usage: bench/check-actions.sh [-n ALARMS] [-r RUNS]
#
# Exit status: 0 the goals are met (one GetTopicAttributes and one
# ListSubscriptionsByTopic per topic, one GetKeyPolicy per key, one
# ListMetrics per metric name and page of 500, no problem, under 1 s);
# 1 a goal missed; 2 a setup error. CHECK=--check-actions (or
# --check-metrics) times one half alone.
[ -n "${CW_SESSION:-}" ] || CW_SESSION=1 exec python3 \
	"$(dirname "$0")/../tests/run-in-session" sh "$0" "$@"
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
n=1000 runs=5
while getopts n:r:h o; do
	case $o in
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	h) sed -n '/^# usage:/p' "$0" | sed 's/^# //'; exit 0 ;;
	*) exit 2 ;;
	esac
done
[ -x "$top/bin/cw-alarm-diff" ] || { echo "check-actions.sh: build first (make)" >&2; exit 2; }
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
T=$(mktemp -d "${TMPDIR:-/tmp}/cwkit-bench.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM

export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_REGION=eu-west-2 AWS_EC2_METADATA_DISABLED=true HOME=$T
mkfifo "$T/port"
"$PY" "$top/tests/fakeaws/server.py" --port 0 >"$T/port" 2>"$T/fakeaws.log" &
pid=$!
read -r port <"$T/port" || { echo "check-actions.sh: emulator did not start" >&2; exit 2; }
export AWS_ENDPOINT_URL=http://127.0.0.1:$port
ctl() { # METHOD PATH [JSON]
	"$PY" -c 'import urllib.request,sys; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], method=sys.argv[2], data=sys.argv[3].encode() or None, headers={"Content-Type": "application/json"})).read().decode())' \
		"$AWS_ENDPOINT_URL/__fakeaws/$2" "$1" "${3:-}"
}

# Two keys that grant CloudWatch (one named by alias, one by ARN), ten
# confirmed topics, five on each key; N alarms, each notifying two
# topics, and their metrics.
"$PY" - "$T" "$n" "$AWS_ENDPOINT_URL" <<'PY' || exit 2
import json, sys, urllib.request
d, n, url = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def ctl(path, body):
    req = urllib.request.Request(url + "/__fakeaws/" + path, method="POST",
                                 data=json.dumps(body).encode())
    return json.load(urllib.request.urlopen(req))
grant = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}]}
keys = ctl("actions", {"keys": [{"region": "eu-west-2", "alias": "alias/bench", "policy": grant},
                                {"region": "eu-west-2", "policy": grant}]})["keys"]
topics = ctl("actions", {"topics": [
    {"region": "eu-west-2", "name": "bench-%d" % t,
     "attrs": {"KmsMasterKeyId": "alias/bench" if t < 5 else keys[1]}} for t in range(10)]})["topics"]
data = [{"MetricName": "CPUUtilization",
         "Dimensions": [{"Name": "ServiceName", "Value": "svc%04d" % i},
                        {"Name": "ClusterName", "Value": "bench"}]} for i in range(n)]
ctl("metrics", {"region": "eu-west-2", "Namespace": "AWS/ECS", "MetricData": data})
import os
os.makedirs(d + "/bench/env")
json.dump({"Region": "eu-west-2", "Prefixes": ["bench-"]}, open(d + "/bench/env/production.json", "w"))
alarms = [{"AlarmName": "bench-svc%04d-cpu" % i, "Namespace": "AWS/ECS", "MetricName": "CPUUtilization",
           "Dimensions": [{"Name": "ServiceName", "Value": "svc%04d" % i},
                          {"Name": "ClusterName", "Value": "bench"}],
           "Statistic": "Average", "Period": 300, "EvaluationPeriods": 3, "Threshold": 80,
           "ComparisonOperator": "GreaterThanThreshold",
           "AlarmActions": [topics[i % 10]], "OKActions": [topics[(i + 3) % 10]]}
          for i in range(n)]
json.dump({"Alarms": alarms}, open(d + "/bench/alarms.json", "w"), indent=1)
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
i=0
: >"$T/times"
while [ $i -lt "$runs" ]; do
	ctl DELETE stats >/dev/null
	s=$(date +%s.%N)
	"$top/bin/cw-alarm-diff" ${CHECK:---check} "$T/bench" >"$T/out" 2>"$T/err"
	rc=$?
	e=$(date +%s.%N)
	[ $rc -le 1 ] || { cat "$T/err" >&2; exit 2; }
	echo "$e - $s" | bc >>"$T/times"
	i=$((i + 1))
done
secs=$(median <"$T/times")
calls=$(ctl GET stats | "$PY" -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(" ".join("%s=%d" % (k, sum(ops.get(k, {}).values())) for k in (
    "ListMetrics", "GetTopicAttributes", "ListSubscriptionsByTopic",
    "DescribeKey", "GetKeyPolicy")))')
problems=$(grep -vc '^ok alarm ' "$T/out")
echo "--check, $n alarms, 10 topics, 2 keys: median $secs s; $calls; $problems problem lines"
want="ListMetrics=$(( (n + 499) / 500 )) GetTopicAttributes=10 ListSubscriptionsByTopic=10 DescribeKey=1 GetKeyPolicy=2"
ok=$(echo "$secs < 1" | bc)
if [ "$ok" = 1 ] && [ "$calls" = "$want" ] && [ "$problems" = 0 ]; then
	echo "PASS: one read per topic and key, no problem, < 1 s"
else
	echo "FAIL: goal $want, no problem, < 1 s"
	exit 1
fi
