#!/bin/sh
# cw-alarm-diff --check-actions: a SIGINT mid-read stops cleanly; a
# grant under a condition not judged is "cannot tell"; a key that does
# not exist; a topic in another region needs no read.
. "$(dirname "$0")/lib.sh"
start_fakeaws
A=123456789012
sns=arn:aws:sns:us-east-1:$A
cond='{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"kms:*","Resource":"*",
 "Condition":{"StringEquals":{"kms:ViaService":"sns.us-east-1.amazonaws.com"}}}]}'
fakeaws_ctl POST actions '{"keys":[{"region":"us-east-1","alias":"alias/cond","policy":'"$cond"'}],
 "topics":[{"region":"us-east-1","name":"nokey","attrs":{"KmsMasterKeyId":"alias/gone"}},
 {"region":"us-east-1","name":"cond","attrs":{"KmsMasterKeyId":"alias/cond"}}]}' >/dev/null
mkdir -p "$T/e/env"
printf '%s\n' '{"Region":"us-east-1","Prefixes":["e-"]}' >"$T/e/env/production.json"
cat >"$T/e/a.json" <<JSON
{"Defaults": {"Namespace": "N", "MetricName": "M", "Statistic": "Sum", "Period": 60,
              "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold"},
 "Alarms": [{"AlarmName": "e-nokey", "AlarmActions": ["$sns:nokey"]},
            {"AlarmName": "e-cond", "AlarmActions": ["$sns:cond"]}]}
JSON

run cw-alarm-diff --check-actions "$T/e"
is "$rc" 1 "problems: exit 1"
like "$out" "^alarm e-nokey \(us-east-1\): $sns:nokey: the topic's key alias/gone does not exist" \
	"a key that does not exist"
like "$out" "alarm e-cond \(us-east-1\): $sns:cond: cannot tell whether the policy of the topic's key alias/cond lets cloudwatch.amazonaws.com use kms:Decrypt and kms:GenerateDataKey\*: it grants them under a condition not judged here" \
	"a grant under kms:ViaService: cannot tell, not fine"

# A topic in another region is judged from its ARN: no read at all.
mkdir -p "$T/far/env"
printf '%s\n' '{"Region":"eu-west-1","Prefixes":["f-"]}' >"$T/far/env/production.json"
printf '{"Alarms":[{"AlarmName":"f-1","Namespace":"N","MetricName":"M","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","AlarmActions":["%s:cond"]}]}\n' "$sns" >"$T/far/a.json"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-actions "$T/far"
is "$rc:$out" "1:alarm f-1 (eu-west-1): $sns:cond: the topic is in us-east-1, the alarm in eu-west-1: CloudWatch publishes only to a topic in the alarm's region" \
	"a topic in another region"
is "$(fakeaws_ctl GET stats | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["requests"]))')" 0 "judged without a request"
echo '{}' >"$T/live.json"
run cw-alarm-diff --check-actions --offline "$T/live.json" "$T/far"
like "$rc:$out" "^1:alarm f-1 \(eu-west-1\): $sns:cond: the topic is in us-east-1" "--offline: the region judged all the same"
run cw-alarm-diff --check-actions --offline "$T/live.json" "$T/e"
is "$rc:$out:$err" "0::" "--offline: what needs a read is not judged"
is "$(fakeaws_ctl GET stats | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["requests"]))')" 0 "--offline: no request"

# SIGINT while a read is in flight: exit 130, nothing printed.
fakeaws_ctl POST faults '{"spec":"latency=2s"}' >/dev/null
run timeout --preserve-status -s INT 1 cw-alarm-diff --check-actions "$T/e"
is "$rc:$out$err" "130:" "SIGINT: exit 130, nothing printed"
fakeaws_ctl DELETE faults >/dev/null

done_testing
