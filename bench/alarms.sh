#!/bin/sh
# bench/alarms.sh: cw-alarm-diff on a set of N alarms (default 1000)
# against the local emulator: the DescribeAlarms calls it makes and the
# median wall time of R runs, in sync (every alarm created as defined)
# and with every alarm to create. Then cw-alarm-apply creating N alarms
# with the emulator's PutMetricAlarm quota set to Q calls a second.
#
# usage: bench/alarms.sh [-n ALARMS] [-r RUNS] [-q TPS]
#
# Exit status: 0 the goals are met (diff: at most 10 DescribeAlarms
# calls per 1,000 alarms, under 1 s; apply: within 1.2 x N/Q seconds and
# no throttled call); 1 a goal missed; 2 a setup error.
# In a session of its own (tests/run-in-session): whatever the bench
# starts ends with it, and a survivor is named and fails the run.
[ -n "${CW_SESSION:-}" ] || CW_SESSION=1 exec python3 \
	"$(dirname "$0")/../tests/run-in-session" sh "$0" "$@"
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
n=1000 runs=5 q=50
while getopts n:r:q:h o; do
	case $o in
	q) q=$OPTARG ;;
	n) n=$OPTARG ;;
	r) runs=$OPTARG ;;
	h) sed -n '/^# usage:/p' "$0" | sed 's/^# //'; exit 0 ;;
	*) exit 2 ;;
	esac
done
[ -x "$top/bin/cw-alarm-diff" ] && [ -x "$top/bin/cw-alarm-apply" ] || { echo "alarms.sh: build first (make)" >&2; exit 2; }
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
read -r port <"$T/port" || { echo "alarms.sh: emulator did not start" >&2; exit 2; }
export AWS_ENDPOINT_URL=http://127.0.0.1:$port

# The set: N metric alarms over 20 services and 5 metrics, with Defaults
# and variables, as the stacks in alarms/ write them.
mkdir -p "$T/bench/env"
"$PY" - "$T/bench" "$n" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
json.dump({"Region": "eu-west-2", "Prefixes": ["bench-production-"],
           "Vars": {"env": "production", "topic": ["arn:aws:sns:eu-west-2:123456789012:bench"]}},
          open(d + "/env/production.json", "w"))
metrics = ["CPUUtilization", "MemoryUtilization", "RunningTaskCount", "TargetResponseTime", "HTTPCode_Target_5XX_Count"]
alarms = [{"AlarmName": "bench-${env}-svc%03d-%s" % (i // 5, metrics[i % 5].lower()),
           "Namespace": "AWS/ECS", "MetricName": metrics[i % 5],
           "Dimensions": [{"Name": "ServiceName", "Value": "svc%03d" % (i // 5)},
                          {"Name": "ClusterName", "Value": "bench-${env}"}],
           "Statistic": "Average", "Period": 300, "EvaluationPeriods": 3, "DatapointsToAlarm": 2,
           "Threshold": 80 + i % 7}
          for i in range(n)]
json.dump({"Defaults": {"AlarmActions": "${topic}", "OKActions": "${topic}",
                        "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching"},
           "Alarms": alarms}, open(d + "/alarms.json", "w"), indent=1)
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # LABEL: prints "calls median-seconds"
	i=0
	: >"$T/times"
	while [ $i -lt "$runs" ]; do
		"$PY" -c 'import urllib.request,sys; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="DELETE"))' \
			"$AWS_ENDPOINT_URL/__fakeaws/stats"
		s=$(date +%s.%N)
		"$top/bin/cw-alarm-diff" "$T/bench" >"$T/out" 2>"$T/err"
		rc=$?
		e=$(date +%s.%N)
		[ $rc -le 1 ] || { cat "$T/err" >&2; exit 2; }
		echo "$e - $s" | bc >>"$T/times"
		i=$((i + 1))
	done
	calls=$("$PY" -c 'import json,sys,urllib.request; print(sum(json.load(urllib.request.urlopen(sys.argv[1]))["ops"].get("DescribeAlarms", {}).values()))' \
		"$AWS_ENDPOINT_URL/__fakeaws/stats")
	echo "$calls $(median <"$T/times")"
}

set -- $(measure)
echo "empty account, $n alarms to create: $1 DescribeAlarms calls, median $2 s ($(tail -1 "$T/out"))"
"$top/bin/cw-alarm-diff" -o json "$T/bench" | "$PY" -c '
import json, sys
for c in json.load(sys.stdin)["changes"]:
    print(json.dumps(c["request"]))' >"$T/put.jsonl"
"$PY" "$top/tests/t/awscall.py" monitoring PutMetricAlarm - <"$T/put.jsonl" >/dev/null ||
	{ echo "alarms.sh: creating the alarms failed" >&2; exit 2; }
set -- $(measure)
calls=$1 secs=$2
echo "in sync, $n alarms: $calls DescribeAlarms calls, median $secs s ($(tail -1 "$T/out"))"
goal=$(( (n + 999) / 1000 * 10 ))
ok=$(echo "$calls <= $goal && $secs < 1" | bc)
status=0
if [ "$ok" = 1 ]; then echo "PASS: <= $goal calls, < 1 s"
else echo "FAIL: goal <= $goal calls, < 1 s"; status=1; fi

# cw-alarm-apply: the same N alarms under another prefix, all to create,
# with the emulator enforcing Q PutMetricAlarm calls a second.
mkdir -p "$T/apply/env"
sed 's/bench-/bapply-/g' "$T/bench/env/production.json" >"$T/apply/env/production.json"
sed 's/bench-/bapply-/g' "$T/bench/alarms.json" >"$T/apply/alarms.json"
ctl() { # METHOD PATH [JSON]
	"$PY" -c 'import urllib.request,sys; print(urllib.request.urlopen(urllib.request.Request(sys.argv[1], method=sys.argv[2], data=sys.argv[3].encode() or None, headers={"Content-Type": "application/json"})).read().decode())' \
		"$AWS_ENDPOINT_URL/__fakeaws/$2" "$1" "${3:-}"
}
ctl POST faults "{\"spec\": \"tps.PutMetricAlarm=$q\"}" >/dev/null
ctl DELETE stats >/dev/null
s=$(date +%s.%N)
"$top/bin/cw-alarm-apply" --yes --rate "PutMetricAlarm=$q" "$T/apply" >"$T/out" 2>"$T/err"
rc=$?
e=$(date +%s.%N)
[ $rc = 0 ] || { tail -3 "$T/out" "$T/err" >&2; exit 2; }
secs=$(echo "$e - $s" | bc)
throttled=$(ctl GET stats | "$PY" -c 'import json,sys; o=json.load(sys.stdin)["ops"].get("PutMetricAlarm", {}); print(sum(v for k, v in o.items() if k != "ok"), o.get("ok", 0))')
set -- $throttled
limit=$(echo "scale=2; 1.2 * $n / $q" | bc)
echo "apply, $n alarms to create, PutMetricAlarm quota $q TPS: $secs s, $2 calls ok, $1 throttled ($(tail -1 "$T/out"))"
ok=$(echo "$secs <= $limit && $1 == 0 && $2 == $n" | bc)
if [ "$ok" = 1 ]; then echo "PASS: <= $limit s, no throttled call"
else echo "FAIL: goal <= $limit s, no throttled call"; status=1; fi
exit $status
