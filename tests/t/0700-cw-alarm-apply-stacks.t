#!/bin/sh
# cw-alarm-apply over every stack and environment of alarms/: applies,
# diffs clean, and a second apply makes no write call.
. "$(dirname "$0")/lib.sh"
start_fakeaws

# The emulator's count of every write call cw-alarm-apply can make.
writes() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(sum(sum(ops.get(o, {}).values()) for o in ("PutMetricAlarm",
    "PutCompositeAlarm", "DeleteAlarms", "TagResource", "UntagResource",
    "PutMetricFilter", "DeleteMetricFilter")))'
}

# The log groups the metric filters go on belong to the infrastructure,
# not to the sets: create them as it would.
log_groups() { # DIR ENV
	cw-alarm-diff -o json -e "$2" "$1" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["changes"]:
    if c["type"] == "MetricFilter":
        print(c["Region"], c["logGroupName"])' | sort -u |
	while read -r region group; do
		AWS_REGION=$region awscall logs CreateLogGroup \
			"{\"logGroupName\":\"$group\"}" >/dev/null 2>&1
	done
}

for dir in "$top"/alarms/*/; do
	stack=$(basename "$dir")
	for f in "$dir"env/*.json; do
		env=$(basename "$f" .json)
		log_groups "$dir" "$env"
		run cw-alarm-apply --yes -e "$env" --rate 200 "$dir"
		is "$rc" 0 "$stack/$env: applies"
		[ "$rc" = 0 ] || diag "$err" "$(printf '%s\n' "$out" | grep -v '^done:')"
		like "$(printf '%s\n' "$out" | tail -1)" '^Applied: ([0-9]+) of \1 calls done, 0 failed, 0 not started\.$' \
			"$stack/$env: every call done"
		run cw-alarm-diff -e "$env" "$dir"
		is "$rc" 0 "$stack/$env: then cw-alarm-diff finds no difference"
		fakeaws_ctl DELETE stats >/dev/null
		run cw-alarm-apply --yes -e "$env" --rate 200 "$dir"
		is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:No changes." \
			"$stack/$env: a second apply reports no changes"
		is "$(writes)" 0 "$stack/$env: and makes no write call"
	done
done

# Every alarm carries both ownership tags of its set.
AWS_REGION=us-east-1 awscall monitoring DescribeAlarms \
	'{"AlarmNamePrefix":"multi-container-prod-","AlarmTypes":["MetricAlarm","CompositeAlarm"]}' >"$T/d.json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for a in d["MetricAlarms"] + d["CompositeAlarms"]:
    print(a["AlarmArn"])' "$T/d.json" >"$T/arns"
n=0 all=0
while read -r arn; do
	all=$((all + 1))
	AWS_REGION=us-east-1 awscall monitoring ListTagsForResource \
		"{\"ResourceARN\":\"$arn\"}" | python3 -c '
import json, sys
t = {x["Key"]: x["Value"] for x in json.load(sys.stdin)["Tags"]}
sys.exit(not (t.get("ManagedBy") == "cwkit" and
              t.get("cwkit:set") == "multi-container/production"))' &&
		n=$((n + 1))
done <"$T/arns"
is "$n:$((all > 5))" "$all:1" "applied alarms carry ManagedBy=cwkit and cwkit:set=<stack>/<env>"

done_testing
