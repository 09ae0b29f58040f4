#!/bin/sh
# The plan checks that each metric filter's log group exists: one
# DescribeLogGroups per region and prefix, a missing group one line of
# the plan (text and -o json), and apply writes everything else, then
# exits 2 naming the filter it refused.
. "$(dirname "$0")/lib.sh"
start_fakeaws

set=$T/lg
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["lg-"]}' >"$set/env/production.json"
# A filter definition: NAME GROUP [EXTRA-MEMBERS]
filter() {
	printf '{"logGroupName":"%s","filterName":"%s","filterPattern":"ERROR","metricTransformations":[{"metricName":"%s","metricNamespace":"App","metricValue":"1"}]%s}' \
		"$2" "$1" "$1" "${3:+,$3}"
}
# /app/api-jobs starts with /app/api: the call for /app/api answers for
# both. /pg/a59 is on the second page of the call for /pg.
{
	printf '{"MetricFilters": [%s' "$(filter api-errors /app/api)"
	printf ',%s' "$(filter jobs-errors /app/api-jobs)" \
		"$(filter web-errors /app/web)" "$(filter web-5xx /app/web)" \
		"$(filter pg-top /pg)" "$(filter pg-a59 /pg/a59)" \
		"$(filter eu-web /eu/web '"Region":"eu-west-1"')" \
		"$(filter eu-api /eu/api '"Region":"eu-west-1"')"
	printf '], "Alarms": [{"AlarmName":"lg-api-errors","Namespace":"App","MetricName":"api-errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold"}]}\n'
} >"$set/f.json"

group() { # REGION NAME
	AWS_REGION=$1 awscall logs CreateLogGroup "{\"logGroupName\":\"$2\"}" >/dev/null
}
group us-east-1 /app/api
group us-east-1 /app/webs
seq 0 59 | sed 's|.*|{"logGroupName":"/pg/a&"}|; s|a\([0-9]"\)|a0\1|' |
	AWS_REGION=us-east-1 awscall logs CreateLogGroup - >/dev/null
# The emulator keeps one set of log groups for every region: the names
# in eu-west-1 differ from those in us-east-1.
group eu-west-1 /eu/web
fakeaws_ctl DELETE stats >/dev/null

# The region and logGroupNamePrefix of each DescribeLogGroups, in order;
# any other member than the model's paging ones is shown.
lg_calls() {
	fakeaws_ctl GET stats | python3 -c '
import json, re, sys
for r in json.load(sys.stdin)["requests"]:
    if r["op"] != "DescribeLogGroups":
        continue
    region = re.search(r"Credential=[^/]+/[^/]+/([^/]+)/", r["headers"]["Authorization"]).group(1)
    b = json.loads(r["body"])
    extra = sorted(set(b) - {"logGroupNamePrefix", "nextToken", "limit"})
    print(region, b.get("logGroupNamePrefix"), "next" if "nextToken" in b else "", *extra)'
}

run cw-alarm-diff "$set"
is "$rc" 1 "missing groups: differences"
is "$(printf '%s\n' "$out" | grep '^!')" "! metric filter jobs-errors: log group /app/api-jobs does not exist in us-east-1
! metric filter web-errors: log group /app/web does not exist in us-east-1
! metric filter web-5xx: log group /app/web does not exist in us-east-1
! metric filter pg-top: log group /pg does not exist in us-east-1
! metric filter eu-api: log group /eu/api does not exist in eu-west-1" \
	"one line a filter on a missing group, naming the filter, group and region"
like "$out" "^\+ metric filter /app/api-jobs jobs-errors \(us-east-1\)
! metric filter jobs-errors:" "each under its filter's line"
# The regions are read at once: their calls interleave in any order.
is "$(lg_calls | LC_ALL=C sort -s -k1,1r)" "us-east-1 /app/api 
us-east-1 /app/web 
us-east-1 /pg 
us-east-1 /pg next
eu-west-1 /eu/api 
eu-west-1 /eu/web " \
	"one DescribeLogGroups per region and prefix (a page more for /pg), not one per filter"
is "$(fakeaws_count DescribeMetricFilters)" 3 "DescribeMetricFilters only for the groups there"

run cw-alarm-diff -o json "$set"
is "$rc:$(printf '%s\n' "$out" | python3 -c '
import json, sys
for c in json.load(sys.stdin)["changes"]:
    if c.get("logGroupExists") is False:
        print(c["filterName"], c["logGroupName"], c["Region"])')" "1:jobs-errors /app/api-jobs us-east-1
web-errors /app/web us-east-1
web-5xx /app/web us-east-1
pg-top /pg us-east-1
eu-api /eu/api eu-west-1" "-o json: logGroupExists false on those filters"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
print(sum("logGroupExists" in c for c in json.load(sys.stdin)["changes"]))')" 5 \
	"and on no other"

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes -e production "$set"
is "$rc" 2 "apply: exit 2"
is "$(printf '%s\n' "$out" | grep '^failed: ')" "failed: create metric filter /app/api-jobs jobs-errors (us-east-1): log group /app/api-jobs does not exist in us-east-1
failed: create metric filter /app/web web-errors (us-east-1): log group /app/web does not exist in us-east-1
failed: create metric filter /app/web web-5xx (us-east-1): log group /app/web does not exist in us-east-1
failed: create metric filter /pg pg-top (us-east-1): log group /pg does not exist in us-east-1
failed: create metric filter /eu/api eu-api (eu-west-1): log group /eu/api does not exist in eu-west-1" \
	"names each filter it refused, with its group and region"
like "$(printf '%s\n' "$out" | tail -1)" "^Applied: 4 of 9 calls done, 5 failed, 0 not started\.$" "and ends with the count"
is "$(fakeaws_ctl GET stats | python3 -c '
import json, sys
print(" ".join(sorted(json.loads(r["body"])["filterName"] for r in json.load(sys.stdin)["requests"]
    if r["op"] == "PutMetricFilter")))')" "api-errors eu-web pg-a59" \
	"the filters on groups that exist are written, no other"
is "$(fakeaws_count PutMetricAlarm)" 1 "and the alarm"

group us-east-1 /app/api-jobs
run cw-alarm-apply --yes -e production "$set"
is "$rc:$(printf '%s\n' "$out" | grep -c '^done: ')" "2:1" "a group created: its filter is written on the next run"
done_testing
