#!/bin/sh
# cw-alarm-apply --rate: a rate that cannot carry out a step of the run in
# a day is refused before that step's first call, naming a rate that can;
# a step that takes over a minute is announced on stderr.
. "$(dirname "$0")/lib.sh"
start_fakeaws
count() { fakeaws_count "$1"; }

set=$T/app
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["app-production-"], "Vars": {}}' >"$set/env/production.json"
alarm() { # NAME
	printf '{"AlarmName":"%s","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}' "$1"
}
list=
for i in 0 1 2 3 4 5 6 7 8 9; do list="$list${list:+,}$(alarm app-production-a$i)"; done
echo "{\"Alarms\":[$list]}" >"$set/a.json"

# Ten PutMetricAlarm calls at 0.0001 a second: nine waits of ~2.9 h.
run timeout 60 cw-alarm-apply --yes --rate 0.0001 "$set"
is "$rc" 2 "--rate 0.0001 for ten creates: exit 2, at once"
is "$err" "cw-alarm-apply: --rate: writing: 10 calls take about 25h at the rates given, more than a day; --rate 0.00011 or more makes them in a day" \
	"the error says how long and names the rate that would do"
is "$(count PutMetricAlarm)" 0 "nothing was written"
run timeout 60 cw-alarm-apply --yes --rate PutMetricAlarm=0.0001 "$set"
is "$rc:$(count PutMetricAlarm)" "2:0" "the same with the rate of one operation"

run timeout 60 cw-alarm-apply --dry-run --rate 0.05 "$set"
is "$rc" 0 "--rate 0.05: accepted"
is "$err" "cw-alarm-apply: writing: 10 calls take about 3m at the rates given" \
	"a plan over a minute: one line on stderr with the estimate"
run cw-alarm-apply --dry-run --rate 100 "$set"
is "$rc:$err" "0:" "a plan under a minute: nothing on stderr"

# Reads: ten prefixes at 0.0001 a second never reach the account.
mkdir -p "$T/many/env"
echo '{"Region": "us-east-1", "Prefixes": ["p0-","p1-","p2-","p3-","p4-","p5-","p6-","p7-","p8-","p9-"], "Vars": {}}' >"$T/many/env/production.json"
echo "{\"Alarms\":[$(alarm p0-x)]}" >"$T/many/a.json"
fakeaws_ctl DELETE stats >/dev/null
run timeout 60 cw-alarm-apply --dry-run --rate DescribeAlarms=0.0001 "$T/many"
is "$rc" 2 "ten DescribeAlarms at 0.0001 a second: exit 2"
like "$err" "^cw-alarm-apply: --rate: reading the alarms: 10 calls take about 25h at the rates given, more than a day; --rate 0\\.00011 or more makes them in a day$" \
	"the reads are refused the same way"
is "$(count DescribeAlarms)" 0 "... before the first call"

# The tags of ten alarms at 0.0001 a second.
run cw-alarm-apply --yes --rate 100 "$set"
is "$rc" 0 "the set applies at a rate that can"
fakeaws_ctl DELETE stats >/dev/null
run timeout 60 cw-alarm-apply --dry-run --rate ListTagsForResource=0.0001 "$set"
like "$rc:$err" "^2:cw-alarm-apply: --rate: reading their tags: 10 calls take about 25h" "ten ListTagsForResource at 0.0001 a second: refused"
is "$(count ListTagsForResource)" 0 "... before the first"

done_testing
