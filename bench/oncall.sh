#!/usr/bin/env bash
# bench/oncall.sh: cw-alarm-status over several regions against the local
# emulator. Loads N alarms into each of R regions (a tenth of them in
# ALARM), then times `cw-alarm-status --state any` and the default firing
# view over all regions at once, and counts the DescribeAlarms calls.
#
# usage: bench/oncall.sh [-n RUNS] [-a ALARMS] [-l LATENCY]
#   -n RUNS     runs per measurement, the median is kept (default 5)
#   -a ALARMS   alarms per region (default 1000)
#   -l LATENCY  emulator latency per request, e.g. 20ms (default none):
#               shows what asking the regions at once saves
# CW_ALARM_STATUS=path measures another binary.
#
# Exit status: 0 every goal met; 1 a goal missed; 2 a setup error.
# In a session of its own (tests/run-in-session): whatever the bench
# starts ends with it, and a survivor is named and fails the run.
[ -n "${CW_SESSION:-}" ] || CW_SESSION=1 exec python3 \
	"$(dirname "$0")/../tests/run-in-session" sh "$0" "$@"
set -u
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
bin=${CW_ALARM_STATUS:-$top/bin/cw-alarm-status}
runs=5 per=1000 latency=
regions="us-east-1 eu-west-1 ap-southeast-2"

die() { echo "oncall.sh: $*" >&2; exit 2; }
while getopts n:a:l:h o; do
	case $o in
	n) runs=$OPTARG ;;
	a) per=$OPTARG ;;
	l) latency=$OPTARG ;;
	h) sed -n '/^# usage:/,/^# Exit/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) exit 2 ;;
	esac
done
[ -x "$bin" ] || die "$bin: not built (make)"

tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkfifo "$tmp/port"
python3 "$top/tests/fakeaws/server.py" --port 0 >"$tmp/port" 2>"$tmp/log" &
pid=$!
read -r port <"$tmp/port" || die "the emulator did not start"
url=http://127.0.0.1:$port
for v in $(env | sed -n 's/^\(AWS_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
export AWS_ENDPOINT_URL=$url AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true NO_COLOR=1

python3 - "$top" "$url" "$per" $regions <<'PY' || die "loading alarms failed"
import sys
top, url, per, regions = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
sys.path.insert(0, top + "/tests/fakeaws")
import client
for r in regions:
    c = client.Client(url, region=r)
    for i in range(per):
        name = "%s-svc-%04d" % (r, i)
        res = c.cloudwatch("PutMetricAlarm", {
            "AlarmName": name, "Namespace": "AWS/EC2",
            "MetricName": "CPUUtilization", "Statistic": "Average",
            "Period": 60, "EvaluationPeriods": 1, "Threshold": 80,
            "ComparisonOperator": "GreaterThanThreshold",
            "AlarmActions": ["arn:aws:sns:%s:123456789012:page" % r]})
        if res.status != 200:
            sys.exit("PutMetricAlarm: %r" % res)
        if i % 10 == 0:
            c.cloudwatch("SetAlarmState", {
                "AlarmName": name, "StateValue": "ALARM",
                "StateReason": "Threshold Crossed: 1 datapoint [91.0] was "
                               "greater than the threshold (80.0)."})
PY
ctl() {
	python3 -c 'import sys, urllib.request as u
r = u.Request(sys.argv[1], method=sys.argv[2], data=sys.argv[3].encode() or None,
	headers={"Content-Type": "application/json"})
print(u.urlopen(r).read().decode())' "$url/__fakeaws/$1" "$2" "${3:-}"
}
calls() {
	ctl stats GET | python3 -c 'import json, sys
print(sum(json.load(sys.stdin)["ops"].get("DescribeAlarms", {}).values()))'
}
[ -n "$latency" ] && ctl faults POST "{\"spec\":\"latency=$latency\"}" >/dev/null

rargs=
for r in $regions; do rargs="$rargs -r $r"; done
nreg=$(echo $regions | wc -w)
status=0
# median wall time of RUNS runs, in ms; also checks the lines printed
measure() { # WANT-LINES ARGS...
	want=$1; shift
	for i in $(seq "$runs"); do
		s=$(date +%s%N)
		n=$("$bin" $rargs "$@" | wc -l)
		e=$(date +%s%N)
		[ "$n" = "$want" ] || die "printed $n lines, expected $want"
		echo $(((e - s) / 1000000))
	done | sort -n | sed -n "$(((runs + 1) / 2))p"
}
report() { # NAME MS CALLS
	goal_calls=$((nreg * ((per + 99) / 100)))
	verdict=PASS
	[ "$2" -lt 1000 ] && [ "$3" -le "$goal_calls" ] || { verdict=FAIL; status=1; }
	printf '%-28s %6s ms  %4s DescribeAlarms calls (goal <= %d, < 1000 ms)  %s\n' \
		"$1" "$2" "$3" "$goal_calls" "$verdict"
}

echo "cw-alarm-status: $nreg regions x $per alarms, median of $runs runs${latency:+, latency $latency}"
ctl stats DELETE >/dev/null
ms=$(measure $((nreg * per)) --state any)
report "--state any ($((nreg * per)) alarms)" "$ms" $(($(calls) / runs))
ctl stats DELETE >/dev/null
ms=$(measure $((nreg * ((per + 9) / 10))) )
report "firing ($((nreg * ((per + 9) / 10))) in ALARM)" "$ms" $(($(calls) / runs))
# one region after the other, for comparison
ctl stats DELETE >/dev/null
seq_ms=$(for i in $(seq "$runs"); do
	s=$(date +%s%N)
	for r in $regions; do "$bin" -r "$r" --state any >/dev/null; done
	e=$(date +%s%N)
	echo $(((e - s) / 1000000))
done | sort -n | sed -n "$(((runs + 1) / 2))p")
printf '%-28s %6s ms  (the same regions one after the other, for comparison)\n' \
	"--state any, one by one" "$seq_ms"
exit $status
