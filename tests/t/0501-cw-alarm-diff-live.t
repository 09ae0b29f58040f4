#!/bin/sh
# cw-alarm-diff against the emulator: few calls, the plan after the
# alarms are created, normalization both ways, ownership, --export.
. "$(dirname "$0")/lib.sh"
start_fakeaws
fix=$top/tests/t/alarms-fixtures

run cw-alarm-diff "$fix/shop"
is "$rc" 1 "empty account: differences"
is "$(printf '%s\n' "$out" | grep -v '^Plan\( in [a-z0-9-]*\)\{0,1\}: ' | grep -v '^! metric filter errors: log group /shop/production/api does not exist in eu-west-2$' | grep -cv '^+ ')" 0 \
	"empty account: only + lines, and the filter's missing log group"
is "$(printf '%s\n' "$out" | tail -1)" "Plan: 7 to add, 0 to change, 0 to delete, 0 unchanged." "empty account: the plan line"
is "$(fakeaws_count DescribeAlarms)" 2 "one DescribeAlarms per region and prefix"
is "$(fakeaws_count DescribeLogGroups)" 1 "one DescribeLogGroups per log group"
is "$(fakeaws_count DescribeMetricFilters)" 0 "and no DescribeMetricFilters on a missing one"
is "$(fakeaws_count ListTagsForResource)" 0 "no tags read when nothing is undefined"

# apply_plan DIR ENV: creates what the plan adds from its -o json
# requests, as an apply would: metric alarms, then composites, then
# metric filters (with their log groups), each in its region.
apply_plan() {
	rm -f "$T"/put-*.jsonl
	cw-alarm-diff -e "$2" -o json "$1" >"$T/plan.json"
	python3 - "$T/plan.json" "$T" <<'PY'
import json, sys
plan = json.load(open(sys.argv[1]))
for c in plan["changes"]:
    if c["action"] != "create":
        continue
    with open("%s/put-%s-%s.jsonl" % (sys.argv[2], c["type"], c["Region"]), "a") as f:
        f.write(json.dumps(c["request"]) + "\n")
    if c["type"] == "MetricFilter":
        with open("%s/put-Group-%s.jsonl" % (sys.argv[2], c["Region"]), "a") as f:
            f.write(json.dumps({"logGroupName": c["logGroupName"]}) + "\n")
PY
	for f in "$T"/put-MetricAlarm-*.jsonl "$T"/put-CompositeAlarm-*.jsonl \
			"$T"/put-Group-*.jsonl "$T"/put-MetricFilter-*.jsonl; do
		[ -f "$f" ] || continue
		k=${f#"$T"/put-}; k=${k%%-*}
		r=${f#"$T"/put-$k-}; r=${r%.jsonl}
		case $k in
		Group) sort -u "$f" | AWS_REGION=$r awscall logs CreateLogGroup - >/dev/null 2>&1 ;;
		MetricFilter) AWS_REGION=$r awscall logs PutMetricFilter - <"$f" >/dev/null ;;
		*) AWS_REGION=$r awscall monitoring Put$k - <"$f" >/dev/null ;;
		esac || echo "# Put$k in $r failed"
	done
}
apply_plan "$fix/shop" production
cp "$T/put-MetricAlarm-eu-west-2.jsonl" "$T/shop-alarms.jsonl"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff "$fix/shop"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 7 unchanged." \
	"after creating them as defined: in sync, exit 0"
run cw-alarm-diff --detailed-exitcode "$fix/shop"
is "$rc" 0 "--detailed-exitcode: 0 in sync"

AWS_REGION=eu-west-2 awscall monitoring SetAlarmState \
	'{"AlarmName":"shop-production-rds-cpu-high","StateValue":"ALARM","StateReason":"test"}' >/dev/null
run cw-alarm-diff "$fix/shop"
is "$rc" 0 "a state change (read-only fields) is no difference"

# A real change, shown with the old and the new value.
python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
r["Threshold"] = 81
r["AlarmActions"] = []
print(json.dumps(r))' "$T/shop-alarms.jsonl" >"$T/changed.jsonl"
AWS_REGION=eu-west-2 awscall monitoring PutMetricAlarm - <"$T/changed.jsonl" >/dev/null
run cw-alarm-diff "$fix/shop"
is "$rc" 1 "a change: exit 1"
is "$out" '~ alarm shop-production-rds-cpu-high (eu-west-2)
    AlarmActions: [] → ["arn:aws:sns:eu-west-2:123456789012:shop-production-critical"]
    Threshold: 81 → 80
Plan in eu-west-2: 0 to add, 1 to change, 0 to delete, 5 unchanged.
Plan in us-east-1: 0 to add, 0 to change, 0 to delete, 1 unchanged.
Plan: 0 to add, 1 to change, 0 to delete, 6 unchanged.' "a change: each field old → new"
run cw-alarm-diff --detailed-exitcode "$fix/shop"
is "$rc" 2 "--detailed-exitcode: 2 on differences"
run cw-alarm-diff -o json "$fix/shop"
is "$(printf '%s' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
c = d["changes"][0]
print(c["action"], c["AlarmName"], [(f["field"], f["old"], f["new"]) for f in c["fields"]][1], d["summary"])')" \
	"change shop-production-rds-cpu-high ('Threshold', 81, 80) {'add': 0, 'change': 1, 'delete': 0, 'unchanged': 6}" \
	"-o json: the change and the summary"

# Ownership: an undefined alarm under the prefix is deleted only when it
# carries both tags of this set.
old() { # NAME TAGS
	printf '{"AlarmName":"%s","Namespace":"N","MetricName":"M","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","Tags":%s}\n' "$1" "$2"
}
{
	old shop-production-old '[{"Key":"ManagedBy","Value":"cwkit"},{"Key":"cwkit:set","Value":"shop/production"}]'
	old shop-production-manual '[]'
	old shop-production-staging-owned '[{"Key":"ManagedBy","Value":"cwkit"},{"Key":"cwkit:set","Value":"shop/staging"}]'
	old other-x '[{"Key":"ManagedBy","Value":"cwkit"},{"Key":"cwkit:set","Value":"shop/production"}]'
} | AWS_REGION=eu-west-2 awscall monitoring PutMetricAlarm - >/dev/null
AWS_REGION=eu-west-2 awscall monitoring PutMetricAlarm - <"$T/shop-alarms.jsonl" >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --prune "$fix/shop"
is "$rc:$out" "1:- alarm shop-production-old (eu-west-2)
Plan in eu-west-2: 0 to add, 0 to change, 1 to delete, 6 unchanged.
Plan in us-east-1: 0 to add, 0 to change, 0 to delete, 1 unchanged.
Plan: 0 to add, 0 to change, 1 to delete, 7 unchanged." \
	"only the alarm owned by this set is deleted"
is "$(fakeaws_count ListTagsForResource)" 9 "tags read for the undefined alarms under the prefixes and for every defined one (its ownership tags)"
is "$(fakeaws_count DescribeAlarms)" 2 "still one DescribeAlarms per region"

# A metric filter changed in the account: a change like an alarm's.
AWS_REGION=eu-west-2 awscall logs PutMetricFilter '{"logGroupName":"/shop/production/api","filterName":"errors","filterPattern":"?ERROR ?FATAL","metricTransformations":[{"metricName":"ApiErrors","metricNamespace":"Shop","metricValue":"1","defaultValue":0,"dimensions":{}}]}' >/dev/null
run cw-alarm-diff --prune "$fix/shop"
is "$rc:$(printf '%s\n' "$out" | grep -v '^- ')" '1:~ metric filter /shop/production/api errors (eu-west-2)
    filterPattern: "?ERROR ?FATAL" → "ERROR"
Plan in eu-west-2: 0 to add, 1 to change, 1 to delete, 5 unchanged.
Plan in us-east-1: 0 to add, 0 to change, 0 to delete, 1 unchanged.
Plan: 0 to add, 1 to change, 1 to delete, 6 unchanged.' "a metric filter's change is shown; empty dimensions are none"

# Normalization: AWS's echoed forms are no change; real changes are.
python3 "$fix/norm.py" "$T"
# The alarms carry the set's ownership tags, as cw-alarm-apply puts them.
owned() {
	python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    r["Tags"] = [{"Key": "ManagedBy", "Value": "cwkit"}, {"Key": "cwkit:set", "Value": "norm/production"}]
    print(json.dumps(r))'
}
owned <"$T/echo.jsonl" | awscall monitoring PutMetricAlarm - >/dev/null
run cw-alarm-diff "$T/norm"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 11 unchanged." \
	"the echoed forms (defaults, order, numbers, read-only fields) are no change"
owned <"$T/real.jsonl" | awscall monitoring PutMetricAlarm - >/dev/null
run cw-alarm-diff "$T/norm"
is "$rc" 1 "real changes: exit 1"
while read -r name field; do
	got=$(printf '%s\n' "$out" | sed -n "/^~ alarm $name (/,/^[~+-P]/p" | grep '^    ' | sed 's/^    //; s/:.*//')
	is "$got" "$field" "real change of $field shows, and only it"
done <"$T/fields.txt"

# --export writes definitions that then diff clean (into a set named
# norm, the set that owns the alarms).
mkdir -p "$T/exported/norm/env"
printf '{"Region":"us-east-1","Prefixes":["n-"]}\n' >"$T/exported/norm/env/production.json"
run cw-alarm-diff --export n-
is "$rc" 0 "--export: exit 0"
printf '%s\n' "$out" >"$T/exported/norm/alarms.json"
run cw-alarm-diff "$T/exported/norm"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 11 unchanged." "--export, then diff: clean"
AWS_REGION=eu-west-2 cw-alarm-diff --export shop-production- >"$T/shop-export.json"
check "--export includes composites" grep -q '"AlarmRule":' "$T/shop-export.json"
AWS_REGION=eu-west-2 awscall monitoring DescribeAlarms '{"AlarmTypes":["MetricAlarm","CompositeAlarm"],"MaxRecords":100}' >"$T/saved.json"
run cw-alarm-diff --offline "$T/saved.json" --export n-
is "$rc" 0 "--export from a saved file"

# Several sets at once: each region is read for the prefixes of the sets
# that live there only.
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff "$fix/shop" "$T/norm"
like "$rc:$out" 'Plan: [0-9]+ to add, [0-9]+ to change, [0-9]+ to delete, [0-9]+ unchanged\.$' "two sets: one plan"
is "$(fakeaws_count DescribeAlarms)" 3 "two sets: shop in eu-west-2 and us-east-1, norm in us-east-1: 3 calls"

# --offline against a saved describe-alarms: no credentials needed.
awscall monitoring DescribeAlarms '{"AlarmNamePrefix":"n-","MaxRecords":100}' >"$T/saved-n.json"
before=$(fakeaws_count DescribeAlarms)
run env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_ENDPOINT_URL=http://127.0.0.1:1 \
	cw-alarm-diff --offline "$T/saved-n.json" "$T/exported/norm"
is "$rc:$out" "0:Plan: 0 to add, 0 to change, 0 to delete, 11 unchanged." "--offline: no credentials, no network"
is "$(fakeaws_count DescribeAlarms)" "$before" "--offline: no request"

# Errors from AWS: one line, exit 2.
run env AWS_SECRET_ACCESS_KEY=wrong cw-alarm-diff "$T/norm"
like "$rc:$(printf '%s\n' "$err" | wc -l):$err" '^2: *1:cw-alarm-diff: DescribeAlarms: SignatureDoesNotMatch: ' \
	"an AWS error: exit 2, one line"
run env AWS_SECRET_ACCESS_KEY=wrong cw-alarm-diff --detailed-exitcode "$T/norm"
is "$rc" 1 "--detailed-exitcode: 1 on error"

# --check-metrics: a metric with exactly the alarm's dimensions exists,
# or the nearest dimension sets are shown.
fakeaws_ctl POST metrics '{"region":"eu-west-2","Namespace":"CWAgent","MetricData":[
 {"MetricName":"disk_used_percent","Dimensions":[{"Name":"InstanceId","Value":"i-1"},{"Name":"path","Value":"/"},{"Name":"device","Value":"xvda1"},{"Name":"fstype","Value":"xfs"}]},
 {"MetricName":"disk_used_percent","Dimensions":[{"Name":"InstanceId","Value":"i-2"},{"Name":"path","Value":"/data"},{"Name":"device","Value":"xvdb"},{"Name":"fstype","Value":"ext4"}]}]}' >/dev/null
fakeaws_ctl POST metrics '{"region":"eu-west-2","Namespace":"AWS/RDS","MetricData":[
 {"MetricName":"CPUUtilization","Dimensions":[{"Name":"DBInstanceIdentifier","Value":"shop-production-db"}]}]}' >/dev/null
mkdir -p "$T/cm/env"
printf '%s\n' '{"Region":"eu-west-2","Prefixes":["c-"]}' >"$T/cm/env/production.json"
cat >"$T/cm/a.json" <<'JSON'
{"Defaults": {"Statistic": "Average", "Period": 300, "EvaluationPeriods": 1, "Threshold": 80,
              "ComparisonOperator": "GreaterThanThreshold"},
 "Alarms": [
  {"AlarmName": "c-rds-cpu", "Namespace": "AWS/RDS", "MetricName": "CPUUtilization",
   "Dimensions": [{"Name": "DBInstanceIdentifier", "Value": "shop-production-db"}]},
  {"AlarmName": "c-disk", "Namespace": "CWAgent", "MetricName": "disk_used_percent",
   "Dimensions": [{"Name": "path", "Value": "/"}, {"Name": "InstanceId", "Value": "i-1"}]}]}
JSON
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-metrics "$T/cm"
is "$rc:$out" '1:ok alarm c-rds-cpu: AWS/RDS CPUUtilization {DBInstanceIdentifier=shop-production-db}
missing alarm c-disk: CWAgent disk_used_percent {InstanceId=i-1, path=/}: no metric has exactly these dimensions
    nearest: {InstanceId=i-1, device=xvda1, fstype=xfs, path=/}
    nearest: {InstanceId=i-2, device=xvdb, fstype=ext4, path=/data}' \
	"--check-metrics: a wrong dimension set is flagged with the nearest sets, a right one passes"
is "$(fakeaws_count ListMetrics)" 2 "--check-metrics: one ListMetrics per metric name"
python3 - "$T/cm/a.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["Alarms"][1]["Dimensions"] += [{"Name": "device", "Value": "xvda1"}, {"Name": "fstype", "Value": "xfs"}]
json.dump(d, open(sys.argv[1], "w"))
PY
run cw-alarm-diff --check-metrics "$T/cm"
is "$rc" 0 "--check-metrics: with the agent's device and fstype, every metric exists"

# SIGINT: a clean stop after the request in flight, exit 130, no plan.
fakeaws_ctl POST faults '{"spec":"latency=2s"}' >/dev/null
run timeout --preserve-status -s INT 1 cw-alarm-diff "$fix/shop"
is "$rc:$out$err" "130:" "SIGINT: exit 130, nothing printed"
fakeaws_ctl DELETE faults >/dev/null

# Every stack x environment of alarms/ (once it holds sets), created as
# planned, is in sync: the service's echo of the definitions is no change.
for envf in "$top"/alarms/*/env/*.json; do
	[ -f "$envf" ] || continue
	dir=${envf%/env/*}
	e=$(basename "$envf" .json)
	apply_plan "$dir" "$e"
	run cw-alarm-diff -e "$e" "$dir"
	like "$rc:$out" '^0:Plan: 0 to add, 0 to change, 0 to delete, [0-9]+ unchanged\.$' \
		"${dir#$top/}/$e: created as planned, then in sync"
done

done_testing
