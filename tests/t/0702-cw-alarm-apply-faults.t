#!/bin/sh
# cw-alarm-apply under faults: retries, a partial failure that exits 2
# and lists what was done, a re-apply that converges, LimitExceeded, and
# SIGINT.
. "$(dirname "$0")/lib.sh"
start_fakeaws --seed 7
count() { fakeaws_count "$1"; }
summary() { printf '%s\n' "$out" | tail -1; }

set=$T/big
mkdir -p "$set/env"
echo '{"Region": "us-east-1", "Prefixes": ["big-production-"], "Vars": {}}' >"$set/env/production.json"
{
	printf '{"Alarms": ['
	i=1
	while [ $i -le 40 ]; do
		[ $i = 1 ] || printf ','
		printf '{"AlarmName":"big-production-a%02d","Namespace":"App","MetricName":"Errors","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":%d,"ComparisonOperator":"GreaterThanThreshold"}' $i $i
		i=$((i + 1))
	done
	printf '],\n"CompositeAlarms": [{"AlarmName":"big-production-any","AlarmRule":"ALARM(big-production-a01) OR ALARM(big-production-a40)"}]}\n'
} >"$set/alarms.json"

# Three faults queued on the first PutMetricAlarm: its three attempts
# fail, and the composite over it fails in turn; every other call goes
# through.
fakeaws_ctl POST faults '{"next": ["throttle@PutMetricAlarm", "500@PutMetricAlarm", "503@PutMetricAlarm"]}' >/dev/null
run cw-alarm-apply --yes --rate 500 "$set"
is "$rc" 2 "a call failing after its retries: exit 2"
is "$(summary)" "Applied: 39 of 41 calls done, 2 failed, 0 not started." "the summary counts done and failed"
like "$out" "failed: create alarm big-production-a01 \(us-east-1\): ServiceUnavailable" "the failed call is listed with why"
like "$out" "failed: create composite alarm big-production-any \(us-east-1\): ValidationError: .*big-production-a01" "and the composite over it"
is "$(printf '%s\n' "$out" | grep -c '^done: ')" 39 "the calls done are listed"
run cw-alarm-diff "$set"
is "$rc" 1 "the account is not in sync yet"
run cw-alarm-apply --yes --rate 500 "$set"
is "$rc:$(summary)" "0:Applied: 2 of 2 calls done, 0 failed, 0 not started." "re-running does what is left"
run cw-alarm-diff "$set"
is "$rc" 0 "and converges"

# Random throttling, 5xx and resets in the middle of an apply, with
# fewer retries: whatever fails, re-running converges.
sed -i 's/"Threshold":\([0-9]*\),/"Threshold":1\1,/g' "$set/alarms.json"
fakeaws_ctl POST faults '{"spec": "throttle=0.15,500=0.1,reset=0.1,op=PutMetricAlarm+PutCompositeAlarm+TagResource"}' >/dev/null
AWS_MAX_ATTEMPTS=2 run cw-alarm-apply --yes --rate 500 "$set"
is "$rc" 2 "random faults: some calls fail"
like "$(summary)" "^Applied: [0-9]+ of 40 calls done, [1-9][0-9]* failed, 0 not started\.$" "and are counted"
fakeaws_ctl DELETE faults >/dev/null
run cw-alarm-apply --yes --rate 500 "$set"
is "$rc" 0 "after the faults: the re-apply succeeds"
run cw-alarm-diff "$set"
is "$rc" 0 "and the account matches"
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 500 "$set"
is "$rc:$(summary):$(count PutMetricAlarm)" "0:No changes.:0" "a further apply has nothing to do"

# LimitExceeded is the alarm quota, not throttling: no retry, stop.
set2=$T/more
mkdir -p "$set2/env"
sed 's/big-/more-/g' "$set/env/production.json" >"$set2/env/production.json"
sed 's/big-/more-/g' "$set/alarms.json" >"$set2/alarms.json"
fakeaws_ctl POST options '{"alarm_limit": 45}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply --yes --rate 500 "$set2"
is "$rc" 2 "LimitExceeded: exit 2"
like "$err" "^cw-alarm-apply: PutMetricAlarm: the account's alarm quota is reached \(LimitExceeded is a quota, not throttling\); stopped: raise the quota or delete alarms$" \
	"a clear message"
is "$(count PutMetricAlarm)" 5 "no retry, nothing after it"
is "$(summary)" "Applied: 4 of 41 calls done, 1 failed, 36 not started." "the summary shows what was not started"
like "$out" "not done: create alarm more-production-a40" "the calls not started are listed"
fakeaws_ctl POST options '{"alarm_limit": null}' >/dev/null

# SIGINT: the call in flight ends, nothing new starts, exit 130.
interruptible cw-alarm-apply --yes --rate PutMetricAlarm=10 "$set2" >"$T/out" 2>"$T/err" &
pid=$!
wait_count PutMetricAlarm 10
kill -INT $pid
wait $pid
rc=$?
out=$(cat "$T/out")
is "$rc" 130 "SIGINT: exit 130"
like "$(cat "$T/err")" "cw-alarm-apply: interrupted" "says it was interrupted"
like "$(summary)" "^Applied: [0-9]+ of 37 calls done, 0 failed, [0-9]+ not started\.$" "reports what was done"
done_n=$(summary | sed 's/^Applied: \([0-9]*\) .*/\1/')
is "$(count PutMetricAlarm)" "$((done_n + 5))" "every call it started finished and was counted"
run cw-alarm-apply --yes --rate 500 "$set2"
is "$rc" 0 "after an interrupt, re-running converges"
run cw-alarm-diff "$set2"
is "$rc" 0 "and the account matches"

done_testing
