#!/bin/sh
# cw-alarm-diff --offline on describe-alarms output of a two-region
# stack: each file covers the regions of its alarm ARNs, only those are
# planned, the others are named; owned alarms with Tags in the file can
# be deleted offline.
. "$(dirname "$0")/lib.sh"
start_fakeaws

set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"], "Vars": {}}' >"$set/env/production.json"
alarm() { # NAME [REGION]
	printf '{"AlarmName":"%s",%s"Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}' \
		"$1" "${2:+\"Region\":\"$2\",}"
}
echo "{\"Alarms\":[$(alarm app-production-east1),$(alarm app-production-east2),$(alarm app-production-old)]}" >"$set/east.json"
echo "{\"Alarms\":[$(alarm app-production-west1 us-west-2),$(alarm app-production-west2 us-west-2)]}" >"$set/west.json"
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "applied in two regions"

# app-production-old is no longer defined; saved files per region, as
# `aws cloudwatch describe-alarms` prints them.
echo "{\"Alarms\":[$(alarm app-production-east1),$(alarm app-production-east2)]}" >"$set/east.json"
for r in us-east-1 us-west-2; do
	AWS_REGION=$r awscall monitoring DescribeAlarms \
		'{"AlarmNamePrefix":"app-production-","AlarmTypes":["MetricAlarm","CompositeAlarm"]}' >"$T/$r.json"
done
fakeaws_ctl DELETE stats >/dev/null

run cw-alarm-diff --offline "$T/us-east-1.json" "$set"
like "$(printf '%s\n' "$out" | tail -1)" "^Plan: 0 to add, 0 to change, 0 to delete, 2 unchanged\\.$" \
	"one region's file: only that region is planned, no false additions"
is "$err" "cw-alarm-diff: --offline: no file covers us-west-2: the alarms there are not planned
cw-alarm-diff: --offline: 1 alarm under the prefixes no definition names, without Tags in the file: whether to delete it cannot be judged offline" \
	"the region no file covers is named; the delete cannot be judged"

run cw-alarm-diff --offline "$T/us-east-1.json" --offline "$T/us-west-2.json" "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:Plan: 0 to add, 0 to change, 0 to delete, 4 unchanged." \
	"one file a region: both planned"
unlike "$err" "no file covers" "no region left out"

# The file with Tags (as a saved ListTagsForResource would add them).
python3 - "$T/us-east-1.json" "$T/tagged.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for a in d["MetricAlarms"]:
    a["Tags"] = [{"Key": "ManagedBy", "Value": "cwkit"},
                 {"Key": "cwkit:set", "Value": "app/production"}]
json.dump(d, open(sys.argv[2], "w"))
PY
run cw-alarm-diff --offline "$T/tagged.json" --offline "$T/us-west-2.json" "$set"
is "$rc:$out" "0:Not managed: 1 alarm of the sets no definition names; --prune deletes it:
  alarm app-production-old (us-east-1)
Plan: 0 to add, 0 to change, 0 to delete, 4 unchanged." "owned per the saved Tags: not managed without --prune"
run cw-alarm-diff --prune --offline "$T/tagged.json" --offline "$T/us-west-2.json" "$set"
is "$rc:$out" "1:- alarm app-production-old (us-east-1)
Plan in us-east-1: 0 to add, 0 to change, 1 to delete, 2 unchanged.
Plan in us-west-2: 0 to add, 0 to change, 0 to delete, 2 unchanged.
Plan: 0 to add, 0 to change, 1 to delete, 4 unchanged." "and deleted offline with --prune"
is "$err" "" "nothing left unjudged"
is "$(fakeaws_ctl GET stats | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["requests"]))')" 0 "--offline: no request"

done_testing
