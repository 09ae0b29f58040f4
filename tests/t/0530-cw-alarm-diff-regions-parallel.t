#!/bin/sh
# cw-alarm-diff and cw-alarm-apply read the regions of a set at once: with
# every answer delayed, the reads of four regions overlap in the
# emulator's request log, and the plan is the same, in the same order,
# as the regions answer in any order.
. "$(dirname "$0")/lib.sh"
start_fakeaws
set=$T/multi
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["m-"]}' >"$set/env/production.json"
regions="us-east-1 eu-west-1 ap-southeast-2 sa-east-1"
{
	printf '{"Alarms": ['
	sep=
	for r in $regions; do
		printf '%s{"AlarmName": "m-%s", "Region": "%s", "Namespace": "App", "MetricName": "Errors", "Statistic": "Sum", "Period": 60, "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold"}' "$sep" "$r" "$r"
		sep=,
	done
	printf ']}\n'
} >"$set/alarms.json"

# OP: how many OP requests were in flight together at most, from the
# request log's start and end times.
overlap() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
reqs = [r for r in json.load(sys.stdin)["requests"] if r["op"] == sys.argv[1]]
print(max((sum(1 for o in reqs if o["start"] <= r["start"] < o["time"])
           for r in reqs), default=0))' "$1"
}

fakeaws_ctl POST faults '{"spec": "latency=400ms"}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff "$set"
is "$rc" 1 "four alarms to create: exit 1"
is "$out" "+ alarm m-us-east-1 (us-east-1)
+ alarm m-eu-west-1 (eu-west-1)
+ alarm m-ap-southeast-2 (ap-southeast-2)
+ alarm m-sa-east-1 (sa-east-1)
Plan in ap-southeast-2: 1 to add, 0 to change, 0 to delete, 0 unchanged.
Plan in eu-west-1: 1 to add, 0 to change, 0 to delete, 0 unchanged.
Plan in sa-east-1: 1 to add, 0 to change, 0 to delete, 0 unchanged.
Plan in us-east-1: 1 to add, 0 to change, 0 to delete, 0 unchanged.
Plan: 4 to add, 0 to change, 0 to delete, 0 unchanged." "one plan, in the definitions' order"
is "$(fakeaws_count DescribeAlarms)" 4 "one DescribeAlarms a region"
is "$(overlap DescribeAlarms)" 4 "the four regions read at once"

run cw-alarm-apply --yes "$set"
is "$rc" 0 "applied in four regions"
is "$(printf '%s\n' "$out" | grep '^Applied')" "Applied in us-east-1: 1 of 1 calls done, 0 failed, 0 not started.
Applied in eu-west-1: 1 of 1 calls done, 0 failed, 0 not started.
Applied in ap-southeast-2: 1 of 1 calls done, 0 failed, 0 not started.
Applied in sa-east-1: 1 of 1 calls done, 0 failed, 0 not started.
Applied: 4 of 4 calls done, 0 failed, 0 not started." "one summary line a region, then the totals"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff "$set"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 4 unchanged." "then in sync"
is "$(fakeaws_count ListTagsForResource)" 4 "one ListTagsForResource an alarm"
is "$(overlap ListTagsForResource)" 4 "the tags of the four regions read at once"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --dry-run "$set"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 4 unchanged.
No changes." "cw-alarm-apply: the same plan"
is "$(overlap DescribeAlarms):$(overlap ListTagsForResource)" "4:4" "cw-alarm-apply reads the regions at once too"

# --check-actions: each region's topics read at once, each topic once,
# the problems in the alarms' order.
fakeaws_ctl POST faults '{"spec": "latency=400ms"}' >/dev/null
topics=
for r in $regions; do
	topics="$topics${topics:+,}{\"region\":\"$r\",\"name\":\"ok\"},{\"region\":\"$r\",\"name\":\"nobody\",\"subscriptions\":\"none\"}"
done
fakeaws_ctl POST actions "{\"topics\": [$topics]}" >/dev/null
python3 - "$set/alarms.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for a in d["Alarms"]:
    sns = "arn:aws:sns:%s:123456789012:" % a["Region"]
    a["AlarmActions"] = [sns + "ok", sns + "nobody"]
    a["OKActions"] = [sns + "ok"]
json.dump(d, open(sys.argv[1], "w"))
PY
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-actions "$set"
is "$rc" 1 "--check-actions: problems: exit 1"
is "$out" "$(for r in $regions; do
	echo "alarm m-$r ($r): arn:aws:sns:$r:123456789012:nobody: the topic has no subscription: nobody is notified"
done)" "one line a problem, in the alarms' order"
is "$(fakeaws_count GetTopicAttributes)" 8 "each topic read once"
is "$(overlap GetTopicAttributes)" 4 "the regions' topics read at once"

# A failing region fails the run, named, whatever the others did.
fakeaws_ctl POST faults '{"spec": "", "next": ["denied@DescribeAlarms"]}' >/dev/null
run cw-alarm-diff "$set"
like "$rc:$err" "^2:cw-alarm-diff: DescribeAlarms: AccessDenied" "one region refused: exit 2, one line"
done_testing
