#!/bin/sh
# cw-alarm-apply and cw-alarm-diff over several environments, each in its
# own account through its own role: -e repeated and --all-environments.
. "$(dirname "$0")/lib.sh"
start_fakeaws
# OP ACCOUNT: how many OP requests the keys of ACCOUNT signed.
signed() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
reqs = json.load(sys.stdin)["requests"]
print(sum(1 for r in reqs if r["op"] == sys.argv[1] and r.get("account") == sys.argv[2]))' "$1" "$2"
}
writes() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
ops = json.load(sys.stdin)["ops"]
print(sum(sum(ops.get(o, {}).values()) for o in ("PutMetricAlarm",
    "PutCompositeAlarm", "DeleteAlarms", "TagResource", "UntagResource",
    "PutMetricFilter")))'
}

set=$T/app
mkdir -p "$set/env"
printf '{"Alarms":[{"AlarmName":"app-${env}-errors","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]}' >"$set/a.json"
envfile() { # ENV ACCOUNT ROLE-ACCOUNT
	echo "{\"Region\": \"us-east-1\", \"Prefixes\": [\"app-$1-\"], \"Vars\": {\"env\": \"$1\"}, \"AccountId\": \"$2\", \"RoleArn\": \"arn:aws:iam::$3:role/deploy\"}" >"$set/env/$1.json"
}
envfile production 111111111111 111111111111
envfile staging 222222222222 222222222222

run cw-alarm-apply -e production -e staging --yes "$set"
is "$rc" 0 "two environments applied"
is "$(signed PutMetricAlarm 111111111111):$(signed PutMetricAlarm 222222222222):$(signed PutMetricAlarm 123456789012)" "1:1:0" "each written in its own account"
is "$(signed DescribeAlarms 111111111111):$(signed DescribeAlarms 222222222222)" "1:1" "each read in its own account"
is "$(fakeaws_count GetCallerIdentity):$(fakeaws_count AssumeRole)" "2:2" "GetCallerIdentity and AssumeRole once per account"
is "$(printf '%s\n' "$out" | grep -c '^Environment ')" 2 "one plan each"
is "$(printf '%s\n' "$out" | grep -c '^Applied: ')" 2 "one summary each"
like "$out" 'create alarm app-staging-errors' "staging's plan"

# The second environment's account is wrong: the first is not written
# either.
fakeaws_ctl POST reset >/dev/null
envfile production 111111111111 111111111111
printf '{"Alarms":[{"AlarmName":"app-${env}-more","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]}' >"$set/b.json"
envfile staging 222222222222 333333333333
run cw-alarm-apply -e production -e staging --yes "$set"
is "$rc:$err" "2:cw-alarm-apply: environment staging: account 333333333333 is not 222222222222 (AccountId in $set/env/staging.json)" "the guard names the environment"
is "$(writes):$(fakeaws_count DescribeAlarms)" "0:0" "no environment read or written"

# --all-environments: every env file of the sets; a stack without one
# of them is left out of it.
fakeaws_ctl POST reset >/dev/null
rm "$set/b.json"
envfile staging 222222222222 222222222222
mkdir -p "$T/other/env"
printf '{"Alarms":[{"AlarmName":"other-x","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]}' >"$T/other/a.json"
echo '{"Region": "us-east-1", "Prefixes": ["other-"], "AccountId": "222222222222", "RoleArn": "arn:aws:iam::222222222222:role/deploy"}' >"$T/other/env/staging.json"
run cw-alarm-diff --all-environments "$set" "$T/other"
is "$rc" 1 "diff --all-environments: differences"
is "$(printf '%s\n' "$out" | grep '^Environment ')" "Environment production:
Environment staging:" "every environment, in order"
like "$out" '\+ .*other-x' "the stack with only staging is in staging"
is "$(fakeaws_count GetCallerIdentity)" 2 "GetCallerIdentity once per account"
is "$(writes)" 0 "diff writes nothing"
run cw-alarm-apply --all-environments --yes "$set" "$T/other"
is "$rc" 0 "apply --all-environments"
is "$(signed PutMetricAlarm 222222222222):$(signed PutMetricAlarm 111111111111)" "2:1" "staging's two alarms in its account, production's in its own"
run cw-alarm-diff --all-environments "$set" "$T/other"
is "$rc" 0 "then in sync everywhere"
run cw-alarm-diff -e staging --all-environments "$set"
is "$rc:$err" "2:cw-alarm-diff: -e and --all-environments: give one of them" "-e with --all-environments: refused"
done_testing
