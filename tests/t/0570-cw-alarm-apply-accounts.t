#!/bin/sh
# cw-alarm-apply and cw-alarm-diff: the account guard (AccountId in the
# environment file) and the keys of RoleArn and Profile.
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
printf '{"Alarms":[{"AlarmName":"app-x-errors","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]}' >"$set/a.json"
envfile() { # ENV MEMBERS
	echo "{\"Region\": \"us-east-1\", \"Prefixes\": [\"app-x-\"]$2}" >"$set/env/$1.json"
}

# The static example keys are in 123456789012.
envfile staging ', "AccountId": "222222222222"'
run cw-alarm-apply -e staging --yes "$set"
is "$rc" 2 "another account: exit 2"
is "$err" "cw-alarm-apply: environment staging: account 123456789012 is not 222222222222 (AccountId in $set/env/staging.json)" "both accounts named, and the file"
is "$(writes):$(fakeaws_count DescribeAlarms)" "0:0" "nothing written, nothing read"
is "$(fakeaws_count GetCallerIdentity)" 1 "GetCallerIdentity once"
run cw-alarm-diff -e staging "$set"
is "$rc:$err" "2:cw-alarm-diff: environment staging: account 123456789012 is not 222222222222 (AccountId in $set/env/staging.json)" "cw-alarm-diff refuses the same way"
is "$(fakeaws_count DescribeAlarms)" 0 "and reads no alarm"

envfile staging ', "AccountId": "123456789012"'
run cw-alarm-apply -e staging --yes "$set"
is "$rc" 0 "the right account: applied"
is "$(signed PutMetricAlarm 123456789012)" 1 "written with the command's keys"

# A role in another account, assumed with the command's keys.
fakeaws_ctl POST reset >/dev/null
envfile production ', "AccountId": "333333333333", "RoleArn": "arn:aws:iam::333333333333:role/deploy", "ExternalId": "ci-42"'
run cw-alarm-apply -e production --yes "$set"
is "$rc" 0 "RoleArn: applied"
is "$(fakeaws_count AssumeRole):$(fakeaws_count GetCallerIdentity)" "1:1" "one AssumeRole, one GetCallerIdentity"
is "$(signed PutMetricAlarm 333333333333):$(signed PutMetricAlarm 123456789012)" "1:0" "the write signed with the role's keys"
is "$(signed DescribeAlarms 123456789012)" 0 "no read with the command's keys"
like "$(fakeaws_ctl GET stats)" '&ExternalId=ci-42&' "ExternalId sent"

# The role leads to another account than AccountId.
fakeaws_ctl POST reset >/dev/null
envfile production ', "AccountId": "444444444444", "RoleArn": "arn:aws:iam::333333333333:role/deploy"'
run cw-alarm-apply -e production --yes "$set"
is "$rc:$err" "2:cw-alarm-apply: environment production: account 333333333333 is not 444444444444 (AccountId in $set/env/production.json)" "the role's account is checked"
is "$(writes)" 0 "nothing written"

# A profile's keys.
fakeaws_ctl POST reset >/dev/null
cat >"$HOME/.aws/config" <<CFG
[profile other]
role_arn = arn:aws:iam::555555555555:role/ops
source_profile = base
[profile base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
CFG
envfile production ', "AccountId": "555555555555", "Profile": "other"'
run cw-alarm-diff -e production "$set"
is "$rc" 1 "Profile: diff reads that account"
is "$(signed DescribeAlarms 555555555555):$(signed DescribeAlarms 123456789012)" "1:0" "read with the profile's keys"
envfile production ', "AccountId": "555555555555", "Profile": "missing"'
run cw-alarm-diff -e production "$set"
is "$rc:$err" "2:cw-alarm-diff: environment production: profile missing: not found" "an unknown profile"

# Bad members.
fakeaws_ctl POST reset >/dev/null
envfile production ', "AccountId": "12345"'
run cw-alarm-diff -e production "$set"
like "$err" 'AccountId: length 5, must be 12 to 12' "AccountId: 12 digits"
envfile production ', "AccountId": "12345678901x"'
run cw-alarm-diff -e production "$set"
like "$err" '"12345678901x" is not an account id' "AccountId: digits only"
envfile production ', "AccountId": "123456789012", "RoleArn": "arn:aws:iam::123456789012:user/bob"'
run cw-alarm-diff -e production "$set"
like "$err" 'is not an IAM role ARN' "RoleArn: a role"
envfile production ', "AccountId": "123456789012", "RoleArn": "arn:aws:iam::123456789012:role/x", "Profile": "p"'
run cw-alarm-diff -e production "$set"
like "$err" 'Profile and RoleArn together' "Profile and RoleArn: refused"
envfile production ', "RoleArn": "arn:aws:iam::123456789012:role/x"'
run cw-alarm-diff -e production "$set"
like "$err" 'AccountId: required with Profile or RoleArn' "RoleArn needs AccountId"
envfile production ', "AccountID": "123456789012"'
run cw-alarm-diff -e production "$set"
like "$err" 'unknown key in an environment file' "a misspelt member: refused"
is "$(fakeaws_count GetCallerIdentity)" 0 "bad files: no call"
done_testing
