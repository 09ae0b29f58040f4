#!/bin/sh
# cw-alarm-apply: usage, options and bad definitions, before any call.
. "$(dirname "$0")/lib.sh"
start_fakeaws
fix=$top/tests/t/alarms-fixtures

run cw-alarm-apply --help
is "$rc" 0 "--help: exit 0"
like "$out" "^usage: cw-alarm-apply \[-e ENV\]\.\.\. \[--all-environments\] \[--prune\]" "--help prints the usage"
run cw-alarm-apply
is "$rc" 2 "no path: exit 2"
like "$err" "^usage: cw-alarm-apply" "no path: the usage on stderr"
run cw-alarm-apply --rate 0 "$fix/shop"
is "$rc:$err" "2:cw-alarm-apply: --rate '0': expected [OP=]TPS with TPS a number from 0 to 10000" "--rate 0 is refused"
run cw-alarm-apply --rate Bogus=3 "$fix/shop"
like "$err" "^cw-alarm-apply: --rate 'Bogus=3': unknown operation" "--rate with an unknown operation"
is "$rc" 2 "exit 2"
run cw-alarm-apply --nope "$fix/shop"
is "$rc" 2 "an unknown option: exit 2"
run cw-alarm-apply --yes "$T/none"
is "$rc" 2 "a missing set: exit 2"
like "$err" "^cw-alarm-apply: .*none" "names it"

mkdir -p "$T/bad/env"
echo '{"Region": "us-east-1", "Prefixes": ["b-"], "Vars": {}}' >"$T/bad/env/production.json"
echo '{"Alarms": [{"AlarmName": "b-1", "Threshold": "${nope}"}]}' >"$T/bad/a.json"
run cw-alarm-apply --yes "$T/bad"
is "$rc" 2 "bad definitions: exit 2"
like "$err" "a.json:1:.*nope" "each problem is reported with its place"
like "$err" "cw-alarm-apply: [0-9]+ problems? in the definitions" "and counted"
is "$(fakeaws_ctl GET stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')" 0 \
	"no request for a bad invocation"

# A call the plan refuses fails alone: the metric filter's log group
# does not exist yet.
run cw-alarm-apply --yes --rate 100 -e staging "$fix/shop"
is "$rc" 2 "a refused call: exit 2"
like "$out" "failed: create metric filter /shop/staging/api errors \(eu-west-2\): log group /shop/staging/api does not exist in eu-west-2" \
	"the refused call is listed with the reason"
is "$(fakeaws_count PutMetricFilter)" 0 "and not made"
like "$(printf '%s\n' "$out" | tail -1)" "^Applied: [1-9][0-9]* of [0-9]+ calls done, 1 failed, 0 not started" "the others are done"
AWS_REGION=eu-west-2 python3 "$top/tests/t/awscall.py" logs CreateLogGroup '{"logGroupName":"/shop/staging/api"}' >/dev/null
run cw-alarm-apply --yes --rate 100 -e staging "$fix/shop"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:Applied: 1 of 1 calls done, 0 failed, 0 not started." "with the log group there, the re-run converges"
run cw-alarm-apply --rate 100 --dry-run -e staging "$fix/shop"
is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:No changes." "--dry-run of a set in sync: no changes"

# Every item has its region from the set: no region needed besides.
(
	unset AWS_REGION
	run cw-alarm-apply --rate 100 --dry-run -e staging "$fix/shop"
	is "$rc:$(printf '%s\n' "$out" | tail -1)" "0:No changes." "no AWS_REGION: the set's regions are enough"
	echo "$tap_n $tap_failed" >"$T/counts"
)
read -r tap_n tap_failed <"$T/counts"
done_testing
