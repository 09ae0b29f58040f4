#!/bin/sh
# cw-alarm-diff --check-actions against the emulator's SNS, KMS, Lambda
# and Auto Scaling: each way an action cannot deliver is one line naming
# the alarm, the action and why; an action that can deliver says nothing.
. "$(dirname "$0")/lib.sh"
start_fakeaws
A=123456789012
sns=arn:aws:sns:us-east-1:$A
fn=arn:aws:lambda:us-east-1:$A:function

cw_grant='{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::'$A':root"},"Action":"kms:*","Resource":"*"},
 {"Effect":"Allow","Principal":{"Service":["events.amazonaws.com","cloudwatch.amazonaws.com"]},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}'
cw_deny='{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:*","Resource":"*"},
 {"Effect":"Deny","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:Decrypt","Resource":"*"}]}'
other_acct='{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"SNS:Publish","Resource":"'$sns':closed"}]}'
seed=$(fakeaws_ctl POST actions '{
 "keys": [{"region":"us-east-1","alias":"alias/alarms","policy":'"$cw_grant"'},
          {"region":"us-east-1","alias":"alias/root-only"},
          {"region":"us-east-1","alias":"alias/deny","policy":'"$cw_deny"'}],
 "functions": [{"region":"us-east-1","name":"fn-ok","permissions":[{"Effect":"Allow",
     "Principal":{"Service":"lambda.alarms.cloudwatch.amazonaws.com"},"Action":"lambda:InvokeFunction",
     "Resource":"'$fn':fn-ok","Condition":{"StringEquals":{"AWS:SourceAccount":"'$A'"}}}]},
   {"region":"us-east-1","name":"fn-nopolicy"},
   {"region":"us-east-1","name":"fn-events","permissions":[{"Effect":"Allow",
     "Principal":{"Service":"events.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"'$fn':fn-events"}]}],
 "scaling_policies": [{"region":"us-east-1","group":"web","name":"scale-out"}]}')
asg=$(printf '%s' "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["scaling_policies"][0])')
fakeaws_ctl POST actions '{"topics": [
 {"region":"us-east-1","name":"good","attrs":{"KmsMasterKeyId":"alias/alarms"}},
 {"region":"us-east-1","name":"plain"},
 {"region":"us-east-1","name":"pending","subscriptions":"pending"},
 {"region":"us-east-1","name":"nobody","subscriptions":"none"},
 {"region":"us-east-1","name":"awskey","attrs":{"KmsMasterKeyId":"alias/aws/sns"}},
 {"region":"us-east-1","name":"rootkey","attrs":{"KmsMasterKeyId":"alias/root-only"}},
 {"region":"us-east-1","name":"denykey","attrs":{"KmsMasterKeyId":"alias/deny"}},
 {"region":"us-east-1","name":"closed","attrs":{"Policy":'"$(printf '%s' "$other_acct" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')"'}}]}' >/dev/null

mkdir -p "$T/act/env"
printf '%s\n' '{"Region":"us-east-1","Prefixes":["a-"]}' >"$T/act/env/production.json"
cat >"$T/act/alarms.json" <<JSON
{"Defaults": {"Namespace": "AWS/EC2", "MetricName": "CPUUtilization", "Statistic": "Average",
              "Period": 300, "EvaluationPeriods": 1, "Threshold": 80,
              "ComparisonOperator": "GreaterThanThreshold"},
 "Alarms": [
  {"AlarmName": "a-good", "AlarmActions": ["$sns:good", "$sns:plain", "$fn:fn-ok", "$asg"],
   "OKActions": ["$sns:good"],
   "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}]},
  {"AlarmName": "a-ec2", "AlarmActions": ["arn:aws:automate:us-east-1:ec2:recover"],
   "Dimensions": [{"Name": "InstanceId", "Value": "i-1"}]},
  {"AlarmName": "a-bad", "AlarmActions": ["$sns:missing", "arn:aws:sns:eu-west-1:$A:far",
     "$sns:pending", "$sns:nobody", "$sns:awskey"],
   "InsufficientDataActions": ["$sns:rootkey", "$sns:denykey", "$sns:closed"],
   "OKActions": ["$fn:fn-missing", "$fn:fn-nopolicy", "$fn:fn-events"]},
  {"AlarmName": "a-bad2", "AlarmActions": ["arn:aws:automate:us-east-1:ec2:stop",
     "arn:aws:autoscaling:us-east-1:$A:scalingPolicy:00000000-0000-0000-0000-000000000000:autoScalingGroupName/web:policyName/gone"]}]}
JSON

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-actions "$T/act"
is "$rc" 1 "problems found: exit 1"
is "$err" "" "nothing on stderr"
unlike "$out" "a-good|a-ec2" "actions that can deliver: no line (confirmed, customer key granting CloudWatch, default topic policy, invokable function, existing policy, EC2 action with an instance)"
is "$(printf '%s\n' "$out" | grep -c '^alarm a-bad (us-east-1): ')" 11 "a-bad: one line per action that cannot deliver"
is "$(printf '%s\n' "$out" | grep -c '^alarm a-bad2 (us-east-1): ')" 2 "a-bad2: two lines"
like "$out" "alarm a-bad \(us-east-1\): $sns:missing: the topic does not exist" "a topic that does not exist"
like "$out" "alarm a-bad \(us-east-1\): arn:aws:sns:eu-west-1:$A:far: the topic is in eu-west-1, the alarm in us-east-1: CloudWatch publishes only to a topic in the alarm's region" "a topic in another region"
like "$out" "$sns:pending: the topic has no confirmed subscription \(1 pending confirmation\)" "a subscription pending confirmation"
like "$out" "$sns:nobody: the topic has no subscription" "a topic without subscription"
like "$out" "$sns:awskey: the topic is encrypted with the AWS managed key alias/aws/sns, which CloudWatch cannot use" "the AWS managed key"
like "$out" "$sns:rootkey: the policy of the topic's key alias/root-only does not let cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey\*" "a key policy without CloudWatch"
like "$out" "$sns:denykey: the policy of the topic's key alias/deny denies kms:Decrypt to cloudwatch.amazonaws.com:" "a Deny in the key policy wins"
like "$out" "$sns:closed: the topic policy does not let account $A or cloudwatch.amazonaws.com publish" "a topic policy for another account"
like "$out" "$fn:fn-missing: the function does not exist" "a function that does not exist"
like "$out" "$fn:fn-nopolicy: the function has no resource policy" "a function without policy"
like "$out" "$fn:fn-events: the function's policy does not let lambda.alarms.cloudwatch.amazonaws.com invoke it" "a function policy for another service"
like "$out" "alarm a-bad2 \(us-east-1\): arn:aws:automate:us-east-1:ec2:stop: the alarm's metric has no InstanceId dimension" "an EC2 action without an instance"
like "$out" "alarm a-bad2 \(us-east-1\): arn:aws:autoscaling:[^ ]*policyName/gone: the scaling policy does not exist" "a scaling policy that does not exist"

done_testing
