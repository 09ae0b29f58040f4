#!/bin/sh
# cw-alarm-apply: composite order, --prune ownership, the mass-delete
# guard, tag changes, --dry-run and --yes.
. "$(dirname "$0")/lib.sh"
start_fakeaws
count() { fakeaws_count "$1"; }
writes() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(sum(sum(ops.get(o, {}).values()) for o in ("PutMetricAlarm",
    "PutCompositeAlarm", "DeleteAlarms", "TagResource", "UntagResource",
    "PutMetricFilter")))'
}
names() { # PREFIX: the alarm names in the account
	awscall monitoring DescribeAlarms "{\"AlarmNamePrefix\":\"$1\",\"AlarmTypes\":[\"MetricAlarm\",\"CompositeAlarm\"]}" |
		python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(a["AlarmName"] for a in d["MetricAlarms"] + d["CompositeAlarms"])))'
}

sorted() { printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }

set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"], "Vars": {}}' >"$set/env/production.json"
alarm() { # NAME
	printf '{"AlarmName":"%s","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}' "$1"
}
echo "{\"Alarms\":[$(alarm app-production-keep)]}" >"$set/keep.json"
echo "{\"Alarms\":[$(alarm app-production-b1),$(alarm app-production-b2),$(alarm app-production-b3),$(alarm app-production-b4),$(alarm app-production-b5)]}" >"$set/base.json"
cat >"$set/group.json" <<JSON
{"Alarms": [$(alarm app-production-c1), $(alarm app-production-c2)],
 "CompositeAlarms": [
   {"AlarmName": "app-production-top", "AlarmRule": "ALARM(app-production-gate) OR ALARM(app-production-keep)"},
   {"AlarmName": "app-production-gate", "AlarmRule": "ALARM(app-production-c1) AND ALARM(app-production-c2)"}
 ]}
JSON

run cw-alarm-apply "$set"
is "$rc" 2 "no tty and no --yes: refused"
like "$err" '^cw-alarm-apply: 10 write calls: not a terminal; --yes to apply without asking$' "the refusal says why"
is "$(writes)" 0 "refused: no write call"

run cw-alarm-apply --dry-run "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:Plan: 10 to add, 0 to change, 0 to delete, 0 unchanged." "--dry-run prints the plan"
is "$(writes)" 0 "--dry-run: no write call"

# A composite and its children in one apply, nested composites too: the
# emulator refuses a composite whose children do not exist yet.
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "a composite over a composite and their children in one apply"
is "$(count PutMetricAlarm):$(count PutCompositeAlarm)" "8:2" "eight alarms, two composites"
is "$(printf '%s\n' "$out" | grep '^done:.*composite' | sed 's/ (us-east-1)//')" "done: create composite alarm app-production-gate
done: create composite alarm app-production-top" "children before parents"

# Alarms under the same prefix that are not this set's.
mk() { # NAME TAGS
	awscall monitoring PutMetricAlarm "$(alarm "$1" | sed "s|}\$|,\"Tags\":$2}|")" >/dev/null
}
mk app-production-handmade '[]'
mk app-production-awseb-e-abc123-AWSEBCloudwatchAlarmHigh '[{"Key":"elasticbeanstalk:environment-name","Value":"app-production"}]'
mk app-production-TargetTracking-table-AlarmHigh-1234 '[]'
mk app-production-half '[{"Key":"ManagedBy","Value":"cwkit"}]'
mk app-production-other '[{"Key":"ManagedBy","Value":"cwkit"},{"Key":"cwkit:set","Value":"other/production"}]'
mk app-production-wrongset '[{"Key":"ManagedBy","Value":"terraform"},{"Key":"cwkit:set","Value":"app/production"}]'
unowned="app-production-TargetTracking-table-AlarmHigh-1234 app-production-awseb-e-abc123-AWSEBCloudwatchAlarmHigh app-production-half app-production-handmade app-production-other app-production-wrongset"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --prune --rate 100 "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:No changes." "--prune leaves alarms it does not own"
is "$(writes)" 0 "no write call for them"

# Undefined, owned: deleted with --prune only, parents first.
mv "$set/group.json" "$T/group.json"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:No changes." "without --prune nothing is deleted"
like "$err" "4 alarms of the set are no longer defined; --prune deletes them" "and it says so"
run cw-alarm-apply --yes --prune --rate 100 "$set"
is "$rc" 0 "--prune deletes a composite and its children in one run"
[ "$rc" = 0 ] || diag "$out" "$err"
is "$(printf '%s\n' "$out" | grep '^done: delete' | sed 's/ (us-east-1)//')" "done: delete composite alarm app-production-top
done: delete composite alarm app-production-gate
done: delete 2 alarms: app-production-c1, app-production-c2" "parents first, one composite a call, alarms batched"
is "$(count DeleteAlarms)" 3 "three DeleteAlarms calls"
is "$(names app-production-)" "$(sorted $unowned app-production-b1 app-production-b2 app-production-b3 app-production-b4 app-production-b5 app-production-keep)" \
	"the unowned alarms with the same prefix are spared"

# Deleting most of what the set owns needs --allow-mass-delete.
mv "$set/base.json" "$T/base.json"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --prune --rate 100 "$set"
is "$rc" 2 "a plan deleting 5 of 6 owned alarms stops"
like "$err" "the plan deletes 5 of the 6 alarms the sets own \(more than 50%\); stopped: --allow-mass-delete to go on" "and says how to go on"
is "$(writes)" 0 "stopped before any write"
run cw-alarm-apply --yes --prune --allow-mass-delete --rate 100 "$set"
is "$rc" 0 "--allow-mass-delete goes on"
is "$(count DeleteAlarms)" 1 "five metric alarms in one DeleteAlarms call"
is "$(names app-production-)" "$(sorted $unowned app-production-keep)" "only the defined and the unowned alarms are left"

# Tags: AWS ignores them on an update, so they are set apart.
arn=$(awscall monitoring DescribeAlarms '{"AlarmNames":["app-production-keep"]}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["MetricAlarms"][0]["AlarmArn"])')
awscall monitoring UntagResource "{\"ResourceARN\":\"$arn\",\"TagKeys\":[\"cwkit:set\"]}" >/dev/null
awscall monitoring TagResource "{\"ResourceARN\":\"$arn\",\"Tags\":[{\"Key\":\"Extra\",\"Value\":\"x\"}]}" >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "tag drift: applied"
like "$out" '~ alarm app-production-keep \(us-east-1\)
    Tags.cwkit:set: \(none\) → "app/production"' "the plan shows the tag change, naming the key"
is "$(count TagResource):$(count UntagResource):$(count PutMetricAlarm)" "1:0:0" "one TagResource, no UntagResource, no Put"
is "$(awscall monitoring ListTagsForResource "{\"ResourceARN\":\"$arn\"}" | python3 -c '
import json, sys
print(sorted((t["Key"], t["Value"]) for t in json.load(sys.stdin)["Tags"]))')" \
	"[('Extra', 'x'), ('ManagedBy', 'cwkit'), ('cwkit:set', 'app/production')]" "the ownership tags are back, another tool's tag stays"

# A defined alarm another set owns is not taken over.
echo "{\"Alarms\":[$(alarm app-production-other)]}" >"$set/other.json"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 2 "an alarm of another set: error"
like "$err" "alarm app-production-other: managed by the set other/production, not app/production; not taking it over" "naming both sets"
is "$(writes)" 0 "and nothing written"

done_testing
