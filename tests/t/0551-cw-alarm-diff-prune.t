#!/bin/sh
# cw-alarm-diff and cw-alarm-apply --dry-run print the same plan, with
# and without --prune; without it an owned, undefined alarm is listed as
# not managed and is no difference. A refused mass delete shows its plan.
. "$(dirname "$0")/lib.sh"
start_fakeaws

writes() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(sum(sum(ops.get(o, {}).values()) for o in ("PutMetricAlarm",
    "PutCompositeAlarm", "DeleteAlarms", "TagResource", "UntagResource")))'
}

set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"], "Vars": {}}' >"$set/env/production.json"
alarm() { # NAME [THRESHOLD]
	printf '{"AlarmName":"%s","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":%s,"ComparisonOperator":"GreaterThanThreshold"}' "$1" "${2:-1}"
}
echo "{\"Alarms\":[$(alarm app-production-a)]}" >"$set/a.json"
echo "{\"Alarms\":[$(alarm app-production-b),$(alarm app-production-c)]}" >"$set/bc.json"
echo "{\"Alarms\":[$(alarm app-production-d)]}" >"$set/d.json"
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "applied"

# One alarm changed, one no longer defined.
echo "{\"Alarms\":[$(alarm app-production-a 2)]}" >"$set/a.json"
mv "$set/d.json" "$T/d.json"
fakeaws_ctl DELETE stats >/dev/null

run cw-alarm-diff "$set"
diff_rc=$rc diff_out=$out
is "$diff_rc" 1 "without --prune: the change is a difference"
is "$diff_out" "~ alarm app-production-a (us-east-1)
    Threshold: 1 → 2
Not managed: 1 alarm of the sets no definition names; --prune deletes it:
  alarm app-production-d (us-east-1)
Plan: 0 to add, 1 to change, 0 to delete, 2 unchanged." "the undefined alarm is not managed, not a deletion"
run cw-alarm-apply --dry-run "$set"
is "$rc:$out" "0:$diff_out" "cw-alarm-apply --dry-run prints the same plan"

run cw-alarm-diff --prune "$set"
diff_out=$out
is "$rc:$out" "1:~ alarm app-production-a (us-east-1)
    Threshold: 1 → 2
- alarm app-production-d (us-east-1)
Plan: 0 to add, 1 to change, 1 to delete, 2 unchanged." "--prune: the owned, undefined alarm is deleted"
run cw-alarm-apply --dry-run --prune "$set"
is "$rc:$out" "0:$diff_out" "cw-alarm-apply --dry-run --prune prints the same plan"

# Only the undefined alarm left: no difference without --prune.
echo "{\"Alarms\":[$(alarm app-production-a)]}" >"$set/a.json"
run cw-alarm-diff --detailed-exitcode "$set"
diff_out=$out
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:Plan: 0 to add, 0 to change, 0 to delete, 3 unchanged." \
	"an alarm not managed alone: in sync"
run cw-alarm-apply --dry-run "$set"
is "$rc:$out" "0:$diff_out
No changes." "cw-alarm-apply: the same plan, and no changes"
run cw-alarm-diff --prune --detailed-exitcode "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "2:Plan: 0 to add, 0 to change, 1 to delete, 3 unchanged." \
	"with --prune: one to delete"
is "$(writes)" 0 "no write call"

# Deleting most of what the set owns: --dry-run --prune shows which, then
# refuses.
mv "$set/bc.json" "$T/bc.json"
run cw-alarm-apply --dry-run --prune "$set"
is "$rc" 2 "a mass delete is refused"
like "$err" "the plan deletes 3 of the 4 alarms the sets own" "saying why"
is "$(printf '%s\n' "$out" | grep '^- ')" "- alarm app-production-b (us-east-1)
- alarm app-production-c (us-east-1)
- alarm app-production-d (us-east-1)" "naming the alarms it would delete"
like "$out" "Plan: 0 to add, 0 to change, 3 to delete, 1 unchanged\\." "and the plan line"
is "$(writes)" 0 "no write call"

done_testing
