#!/bin/sh
# cw-alarm-apply --dry-run prints the plan cw-alarm-diff prints for the
# same definitions and flags, tag changes included (the ownership tags as
# well as the defined ones), with and without --prune.
. "$(dirname "$0")/lib.sh"
start_fakeaws
set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"]}' >"$set/env/production.json"
alarm_def() { # NAME THRESHOLD [TAGS]
	printf '{"AlarmName":"%s","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":%s,"ComparisonOperator":"GreaterThanThreshold"%s}' \
		"$1" "$2" "${3:+,\"Tags\":$3}"
}
put() { echo "$1" | awscall monitoring PutMetricAlarm - >/dev/null; }
own='{"Key":"ManagedBy","Value":"cwkit"},{"Key":"cwkit:set","Value":"app/production"}'

# In the account: one alarm in sync, one without the ownership tags (made
# by hand), one whose Team tag drifted, one owned that no definition
# names any more, one changed in a field, and one not made yet.
put "$(alarm_def app-production-same 1 "[$own]")"
put "$(alarm_def app-production-hand 1)"
put "$(alarm_def app-production-team 1 "[{\"Key\":\"Team\",\"Value\":\"ops\"},$own]")"
put "$(alarm_def app-production-gone 1 "[$own]")"
put "$(alarm_def app-production-changed 5 "[$own]")"
{
	printf '{"Alarms":[%s,\n' "$(alarm_def app-production-same 1)"
	printf '%s,\n' "$(alarm_def app-production-hand 1)"
	printf '%s,\n' "$(alarm_def app-production-team 1 '[{"Key":"Team","Value":"payments"}]')"
	printf '%s,\n' "$(alarm_def app-production-changed 1)"
	printf '%s]}\n' "$(alarm_def app-production-new 1)"
} >"$set/alarms.json"

for flags in "" "--prune"; do
	run cw-alarm-diff $flags "$set"
	is "$rc" 1 "diff $flags: differences"
	plan=$out
	fakeaws_ctl DELETE stats >/dev/null
	run cw-alarm-apply --dry-run $flags "$set"
	is "$rc" 0 "apply --dry-run $flags"
	is "$out" "$plan" "apply --dry-run $flags prints the plan diff prints"
	is "$(fakeaws_count TagResource):$(fakeaws_count PutMetricAlarm)" "0:0" "--dry-run $flags: nothing written"
done
like "$plan" '~ alarm app-production-hand \(us-east-1\)
    Tags.ManagedBy: \(none\) → "cwkit"
    Tags.cwkit:set: \(none\) → "app/production"' "the ownership tags an alarm lacks are in the plan"
like "$plan" '    Tags.Team: "ops" → "payments"' "a defined tag with another value too"
like "$plan" '- alarm app-production-gone' "--prune: the owned alarm no definition names is deleted"

# Applied, both say the same again: nothing to do.
run cw-alarm-apply --yes --prune "$set"
is "$rc" 0 "applied"
like "$out" 'done: tag alarm app-production-hand \(us-east-1\): ManagedBy, cwkit:set' "the ownership tags are set"
run cw-alarm-diff --prune "$set"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 5 unchanged." "then diff: in sync"
run cw-alarm-apply --dry-run --prune "$set"
is "$out" "Plan: 0 to add, 0 to change, 0 to delete, 5 unchanged.
No changes." "and apply: the same plan, no changes"
done_testing
