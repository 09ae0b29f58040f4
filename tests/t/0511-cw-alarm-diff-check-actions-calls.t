#!/bin/sh
# cw-alarm-diff --check-actions: one read per distinct topic, key,
# function and scaling policy however many alarms share them; requests
# shaped as the service models say; the service endpoints; --check; a
# refusal to show a policy is a finding; throttling retried; paged
# subscriptions.
. "$(dirname "$0")/lib.sh"
start_fakeaws
A=123456789012
sns=arn:aws:sns:us-east-1:$A
fn=arn:aws:lambda:us-east-1:$A:function
grant='{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*"}]}'
invoke='[{"Effect":"Allow","Principal":{"Service":"lambda.alarms.cloudwatch.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*"}]'
seed=$(fakeaws_ctl POST actions '{
 "keys": [{"region":"us-east-1","alias":"alias/k1","policy":'"$grant"'},
          {"region":"us-east-1","policy":'"$grant"'}],
 "functions": [{"region":"us-east-1","name":"f1","permissions":'"$invoke"'},
               {"region":"us-east-1","name":"f2","permissions":'"$invoke"'}],
 "scaling_policies": [{"region":"us-east-1","group":"web","name":"out"}]}')
key2=$(printf '%s' "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][1])')
asg=$(printf '%s' "$seed" | python3 -c 'import json,sys; print(json.load(sys.stdin)["scaling_policies"][0])')
fakeaws_ctl POST actions '{"topics": [
 {"region":"us-east-1","name":"t1","attrs":{"KmsMasterKeyId":"alias/k1"}},
 {"region":"us-east-1","name":"t2","attrs":{"KmsMasterKeyId":"'"$key2"'"}},
 {"region":"us-east-1","name":"t3","attrs":{"KmsMasterKeyId":"alias/k1"}}]}' >/dev/null

mkdir -p "$T/many/env"
printf '%s\n' '{"Region":"us-east-1","Prefixes":["m-"]}' >"$T/many/env/production.json"
python3 - "$T/many/alarms.json" "$sns" "$fn" "$asg" <<'PY'
import json, sys
path, sns, fn, asg = sys.argv[1:]
alarms = []
for i in range(60):
    alarms.append({"AlarmName": "m-%02d" % i, "Namespace": "AWS/EC2",
                   "MetricName": "CPUUtilization", "Statistic": "Average",
                   "Period": 300, "EvaluationPeriods": 1, "Threshold": 80,
                   "ComparisonOperator": "GreaterThanThreshold",
                   "AlarmActions": ["%s:t%d" % (sns, i % 3 + 1),
                                    "%s:f%d" % (fn, i % 2 + 1), asg],
                   "OKActions": ["%s:t%d" % (sns, (i + 1) % 3 + 1)]})
json.dump({"Alarms": alarms}, open(path, "w"))
PY

fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-actions "$T/many"
is "$rc:$out:$err" "0::" "60 alarms whose actions can all deliver: silent, exit 0"
counts=$(for op in GetTopicAttributes ListSubscriptionsByTopic DescribeKey GetKeyPolicy GetPolicy GetFunction DescribePolicies DescribeAlarms; do
	printf '%s=%s ' "$op" "$(fakeaws_count "$op")"; done)
is "$counts" "GetTopicAttributes=3 ListSubscriptionsByTopic=3 DescribeKey=1 GetKeyPolicy=2 GetPolicy=2 GetFunction=0 DescribePolicies=1 DescribeAlarms=0 " \
	"one read per distinct topic, key, function and policy"

# What reached the emulator, member by member as the models name them
# (sns 2010-03-31, kms TrentService, lambda 2015-03-31 REST, autoscaling
# 2011-01-01), each signed for its own service.
shapes=$(fakeaws_ctl GET stats | python3 -c '
import json, re, sys
from urllib.parse import parse_qsl
model = {
  "GetTopicAttributes": ("sns", {"TopicArn"}),
  "ListSubscriptionsByTopic": ("sns", {"TopicArn", "NextToken"}),
  "DescribePolicies": ("autoscaling", {"AutoScalingGroupName", "PolicyNames.member.1"}),
  "DescribeKey": ("kms", {"KeyId", "GrantTokens"}),
  "GetKeyPolicy": ("kms", {"KeyId", "PolicyName"}),
  "GetPolicy": ("lambda", set()),
}
version = {"sns": "2010-03-31", "autoscaling": "2011-01-01"}
bad = []
for r in json.load(sys.stdin)["requests"]:
    op = r["op"]
    svc, members = model[op]
    h = {k.lower(): v for k, v in r["headers"].items()}
    scope = re.search(r"Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/", h["authorization"])
    if scope.group(2) != svc or scope.group(1) != "us-east-1":
        bad.append("%s signed for %s" % (op, scope.groups()))
    if svc in version:
        form = dict(parse_qsl(r["body"]))
        if form.pop("Action") != op or form.pop("Version") != version[svc] \
                or not set(form) <= members or r["method"] != "POST":
            bad.append("%s form %s" % (op, r["body"]))
    elif svc == "kms":
        body = json.loads(r["body"])
        if h["x-amz-target"] != "TrentService." + op or \
                h["content-type"] != "application/x-amz-json-1.1" or \
                not set(body) <= members or "KeyId" not in body:
            bad.append("%s json %s" % (op, r["body"]))
        if op == "GetKeyPolicy" and (body.get("PolicyName") != "default"
                                     or body["KeyId"].startswith("alias/")):
            bad.append("GetKeyPolicy on %s" % r["body"])
    elif not re.match(r"/2015-03-31/functions/f[12]/policy$", r["path"]) \
            or r["method"] != "GET":
        bad.append("%s %s %s" % (op, r["method"], r["path"]))
print("\n".join(bad) or "ok")')
is "$shapes" ok "each request as its service model says"

# Each service through its own endpoint variable; the generic one is dead.
run env AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_SNS=$FAKEAWS_URL \
	AWS_ENDPOINT_URL_KMS=$FAKEAWS_URL AWS_ENDPOINT_URL_LAMBDA=$FAKEAWS_URL \
	AWS_ENDPOINT_URL_AUTO_SCALING=$FAKEAWS_URL cw-alarm-diff --check-actions "$T/many"
is "$rc:$out:$err" "0::" "AWS_ENDPOINT_URL_SNS, _KMS, _LAMBDA, _AUTO_SCALING"
run env AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_ENDPOINT_URL_SNS=$FAKEAWS_URL \
	AWS_ENDPOINT_URL_KMS=$FAKEAWS_URL AWS_ENDPOINT_URL_LAMBDA=$FAKEAWS_URL \
	AWS_MAX_ATTEMPTS=1 cw-alarm-diff --check-actions "$T/many"
is "$rc" 2 "without AWS_ENDPOINT_URL_AUTO_SCALING: Auto Scaling unreachable, exit 2"
like "$err" "^cw-alarm-diff: .*127\.0\.0\.1:9" "the unreachable endpoint named on one line"

# Signed as every other call: a wrong secret is refused by each service.
run env AWS_SECRET_ACCESS_KEY=wrong cw-alarm-diff --check-actions "$T/many"
like "$rc:$err" "^2:cw-alarm-diff: .*SignatureDoesNotMatch" "a bad signature: SNS refuses, exit 2"

# --check runs --check-metrics too; the exit code says either found one.
run cw-alarm-diff --check "$T/many"
is "$rc" 1 "--check: the metrics are missing, exit 1"
is "$(printf '%s\n' "$out" | grep -c '^missing alarm m-')" 60 "--check: the metric check's lines"
run cw-alarm-diff --check --detailed-exitcode "$T/many"
is "$rc" 2 "--check --detailed-exitcode: 2"

# A policy the caller may not read is a finding, not a failed run;
# throttling is retried.
fakeaws_ctl POST faults '{"next":["denied@GetKeyPolicy","throttle@GetTopicAttributes","throttle@GetPolicy"]}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-actions "$T/many"
is "$rc" 1 "a key policy not readable: exit 1"
is "$(printf '%s\n' "$out" | sed 's/: AccessDeniedException.*//' | sort -u | head -1)" \
	"alarm m-00 (us-east-1): $sns:t1: cannot check the topic's key alias/k1" "named as \"cannot check\""
is "$(printf '%s\n' "$out" | grep -c 'cannot check')" 80 "once per alarm and topic that uses the key (t1 and t3)"
is "$(fakeaws_count GetTopicAttributes):$(fakeaws_count GetPolicy)" "4:3" "throttled reads retried"

# Subscriptions over several pages: the confirmed one is on the third.
fakeaws_ctl POST options '{"sns_page_size": 2}' >/dev/null
fakeaws_ctl POST actions '{"topics": [{"region":"us-east-1","name":"paged","subscriptions":"pending"},
 {"region":"us-east-1","name":"paged","subscriptions":"pending"},
 {"region":"us-east-1","name":"paged","subscriptions":"pending"},
 {"region":"us-east-1","name":"paged","subscriptions":"pending"},
 {"region":"us-east-1","name":"paged"}]}' >/dev/null
mkdir -p "$T/paged/env"
cp "$T/many/env/production.json" "$T/paged/env/"
printf '{"Alarms":[{"AlarmName":"m-p","Namespace":"N","MetricName":"M","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold","AlarmActions":["%s:paged"]}]}\n' "$sns" >"$T/paged/a.json"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-diff --check-actions "$T/paged"
is "$rc:$out:$(fakeaws_count ListSubscriptionsByTopic)" "0::3" "the confirmed subscription found on the third page"

done_testing
