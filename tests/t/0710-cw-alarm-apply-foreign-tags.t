#!/bin/sh
# cw-alarm-apply manages the ownership tags and the keys a definition
# names, nothing else: a tag another tool set stays, and cw-alarm-diff
# and cw-alarm-apply agree on what differs.
. "$(dirname "$0")/lib.sh"
start_fakeaws
awscall() { python3 "$top/tests/t/awscall.py" "$@"; }
count() { fakeaws_count "$1"; }
tags_of() { # NAME: the alarm's tags, sorted
	arn=$(awscall monitoring DescribeAlarms "{\"AlarmNames\":[\"$1\"]}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["MetricAlarms"][0]["AlarmArn"])')
	awscall monitoring ListTagsForResource "{\"ResourceARN\":\"$arn\"}" | python3 -c '
import json, sys
print(" ".join(sorted("%s=%s" % (t["Key"], t["Value"]) for t in json.load(sys.stdin)["Tags"])))'
}
# Every TagResource and UntagResource request in the log: "Op keys".
tag_calls() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
for q in json.load(sys.stdin)["requests"]:
    if q["op"] == "TagResource":
        print("TagResource", ",".join(t["Key"] for t in json.loads(q["body"])["Tags"]))
    elif q["op"] == "UntagResource":
        print("UntagResource", ",".join(json.loads(q["body"])["TagKeys"]))'
}

set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"], "Vars": {}}' >"$set/env/production.json"
alarm() { # NAME [TAGS]
	printf '{"AlarmName":"%s","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"%s}' "$1" "${2:+,\"Tags\":$2}"
}
echo "{\"Alarms\":[$(alarm app-production-plain),$(alarm app-production-team '[{"Key":"Team","Value":"payments"}]')]}" >"$set/a.json"

run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "the set applies"
is "$(tags_of app-production-plain)" "ManagedBy=cwkit cwkit:set=app/production" "created with the ownership tags"

# Another tool tags both alarms; one of its keys is one a definition names.
for n in plain team; do
	arn=$(awscall monitoring DescribeAlarms "{\"AlarmNames\":[\"app-production-$n\"]}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["MetricAlarms"][0]["AlarmArn"])')
	awscall monitoring TagResource "{\"ResourceARN\":\"$arn\",\"Tags\":[{\"Key\":\"CostCenter\",\"Value\":\"cc-42\"}]}" >/dev/null
done

run cw-alarm-diff "$set"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:Plan: 0 to add, 0 to change, 0 to delete, 2 unchanged." \
	"a tag no definition names is no difference"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 2 unchanged.
No changes." "apply agrees: no changes"
is "$(tag_calls)" "" "no TagResource, no UntagResource reached the emulator"
is "$(tags_of app-production-plain)" "CostCenter=cc-42 ManagedBy=cwkit cwkit:set=app/production" "CostCenter is still there"

# A key the definition names, changed by hand: both show it, apply sets it.
arn=$(awscall monitoring DescribeAlarms '{"AlarmNames":["app-production-team"]}' |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["MetricAlarms"][0]["AlarmArn"])')
awscall monitoring TagResource "{\"ResourceARN\":\"$arn\",\"Tags\":[{\"Key\":\"Team\",\"Value\":\"core\"}]}" >/dev/null
run cw-alarm-diff "$set"
is "$rc" 1 "cw-alarm-diff: exit 1, a difference"
is "$out" "~ alarm app-production-team (us-east-1)
    Tags.Team: \"core\" → \"payments\"
Plan: 0 to add, 1 to change, 0 to delete, 1 unchanged." "cw-alarm-diff shows the defined key with its two values"
run cw-alarm-diff --detailed-exitcode "$set"
is "$rc" 2 "--detailed-exitcode: a difference"
run cw-alarm-diff -o json "$set"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
c = json.load(sys.stdin)["changes"]
print([(x["AlarmName"], x["fields"]) for x in c])')" \
	"[('app-production-team', [{'field': 'Tags.Team', 'old': 'core', 'new': 'payments'}])]" "-o json: the same field"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "apply: exit 0"
like "$out" '^    Tags.Team: "core" → "payments"$' "the plan names the key it changes, as cw-alarm-diff does"
like "$out" "done: tag alarm app-production-team \\(us-east-1\\): Team" "... and so does the report"
is "$(tag_calls)" "TagResource Team" "one TagResource of Team alone, no UntagResource"
is "$(count PutMetricAlarm)" 0 "a change in tags is no Put"
is "$(tags_of app-production-team)" "CostCenter=cc-42 ManagedBy=cwkit Team=payments cwkit:set=app/production" \
	"Team is the definition's again, CostCenter still there"

run cw-alarm-diff "$set"
is "$(printf '%s\n' "$out" | tail -1)" "Plan: 0 to add, 0 to change, 0 to delete, 2 unchanged." "then in sync"

# Offline, the Tags member of a saved file is compared the same way.
awscall monitoring DescribeAlarms '{"AlarmNamePrefix":"app-production-"}' | python3 -c '
import json, sys
d = json.load(sys.stdin)
for a in d["MetricAlarms"]:
    a["Tags"] = [{"Key": "Team", "Value": "ops"}, {"Key": "CostCenter", "Value": "x"},
                 {"Key": "ManagedBy", "Value": "cwkit"}, {"Key": "cwkit:set", "Value": "app/production"}]
json.dump(d, sys.stdout)' >"$T/saved.json"
run cw-alarm-diff --offline "$T/saved.json" "$set"
is "$(printf '%s\n' "$out" | grep Tags)" "    Tags.Team: \"ops\" → \"payments\"" "--offline: the saved Tags are compared"

done_testing
