#!/bin/sh
# cw-alarm-diff --check-actions judges a topic policy for the alarm's
# account: the environment's AccountId when it names one (an alarm in a
# workload account publishing to a central topic), else the topic's.
. "$(dirname "$0")/lib.sh"
start_fakeaws
C=123456789012		# the emulator's account: the central topics
W=111111111111		# the workload account the alarms are in
sns=arn:aws:sns:us-east-1:$C
for_w='{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$W':root"},"Action":"SNS:Publish","Resource":"'$sns':for-workload"}]}'
fakeaws_ctl POST actions '{"topics": [
 {"region":"us-east-1","name":"for-workload","attrs":{"Policy":'"$(printf '%s' "$for_w" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')"'}},
 {"region":"us-east-1","name":"central"}]}' >/dev/null

mkdir -p "$T/w/env"
cat >"$T/w/alarms.json" <<JSON
{"Alarms": [{"AlarmName": "w-cpu", "Namespace": "AWS/EC2", "MetricName": "CPUUtilization",
  "Statistic": "Average", "Period": 300, "EvaluationPeriods": 1, "Threshold": 80,
  "ComparisonOperator": "GreaterThanThreshold",
  "AlarmActions": ["$sns:for-workload", "$sns:central"]}]}
JSON
printf '{"Region":"us-east-1","Prefixes":["w-"],"AccountId":"%s","RoleArn":"arn:aws:iam::%s:role/deploy"}\n' \
	$W $W >"$T/w/env/production.json"

run cw-alarm-diff --check-actions "$T/w"
is "$rc" 1 "a problem found: exit 1"
is "$err" "" "nothing on stderr"
is "$out" "alarm w-cpu (us-east-1): $sns:central: the topic policy does not let account $W or cloudwatch.amazonaws.com publish (sns:Publish)" \
	"judged for the AccountId: the topic that lets it publish says nothing, the default policy (its owner's account only) is named"
is "$(fakeaws_count GetTopicAttributes)" 2 "each topic read once"

# Without AccountId, the alarm's account is the topic's.
printf '{"Region":"us-east-1","Prefixes":["w-"]}\n' >"$T/w/env/production.json"
run cw-alarm-diff --check-actions "$T/w"
is "$rc:$out" "1:alarm w-cpu (us-east-1): $sns:for-workload: the topic policy does not let account $C or cloudwatch.amazonaws.com publish (sns:Publish)" \
	"no AccountId: the account in the topic's ARN"
done_testing
