#!/bin/sh
# cw-alarm-diff and cw-alarm-apply run the environments, each in its own
# account, at once: every account guarded before anything is read, the
# requests of the two accounts overlapping in the emulator's request log,
# and what each environment printed shown whole, in the order given,
# byte for byte what the environments print one by one, however the
# answers are timed.
. "$(dirname "$0")/lib.sh"
start_fakeaws
# OP: 1 when requests of OP signed by 111111111111 and by 222222222222
# were in flight together, else 0.
accounts_overlap() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
reqs = [r for r in json.load(sys.stdin)["requests"] if r["op"] == sys.argv[1]]
a = [r for r in reqs if r.get("account") == "111111111111"]
b = [r for r in reqs if r.get("account") == "222222222222"]
print(int(any(x["start"] < y["time"] and y["start"] < x["time"]
              for x in a for y in b)))' "$1"
}
# 1 when every GetCallerIdentity was answered before any alarm call
# started: with every answer 300 ms late, each call after the last of
# them starts 300 ms after it (its logged end can be later, on a busy
# machine, than the next call's start).
guards_first() {
	fakeaws_ctl GET stats | python3 -c '
import json, sys
reqs = json.load(sys.stdin)["requests"]
ids = [r["start"] for r in reqs if r["op"] == "GetCallerIdentity"]
rest = [r["start"] for r in reqs
        if r["op"] not in ("GetCallerIdentity", "AssumeRole")]
print(int(len(ids) == 2 and bool(rest) and max(ids) + 0.29 <= min(rest)))'
}

set=$T/app
mkdir -p "$set/env"
alarms() { # NAME...
	printf '{"Alarms":['
	sep=
	for n in "$@"; do
		printf '%s{"AlarmName":"app-${env}-%s","Namespace":"App","MetricName":"%s","Statistic":"Sum","Period":60,"EvaluationPeriods":1,"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}' "$sep" "$n" "$n"
		sep=,
	done
	printf ']}\n'
}
envfile() { # ENV ACCOUNT
	echo "{\"Region\": \"us-east-1\", \"Prefixes\": [\"app-$1-\"], \"Vars\": {\"env\": \"$1\"}, \"AccountId\": \"$2\", \"RoleArn\": \"arn:aws:iam::$2:role/deploy\"}" >"$set/env/$1.json"
}
envfile production 111111111111
envfile staging 222222222222
alarms errors latency old >"$set/a.json"

fakeaws_ctl POST faults '{"spec": "latency=300ms"}' >/dev/null
fakeaws_ctl DELETE stats >/dev/null
run cw-alarm-apply -e production -e staging --yes "$set"
is "$rc" 0 "two accounts applied"
is "$(guards_first)" 1 "both accounts guarded before any alarm is read"
is "$(accounts_overlap DescribeAlarms)" 1 "the two accounts read at once"
is "$(accounts_overlap PutMetricAlarm)" 1 "and written at once"
is "$out" "Environment production:
+ alarm app-production-errors (us-east-1)
+ alarm app-production-latency (us-east-1)
+ alarm app-production-old (us-east-1)
Plan: 3 to add, 0 to change, 0 to delete, 0 unchanged.
done: create alarm app-production-errors (us-east-1)
done: create alarm app-production-latency (us-east-1)
done: create alarm app-production-old (us-east-1)
Applied: 3 of 3 calls done, 0 failed, 0 not started.
Environment staging:
+ alarm app-staging-errors (us-east-1)
+ alarm app-staging-latency (us-east-1)
+ alarm app-staging-old (us-east-1)
Plan: 3 to add, 0 to change, 0 to delete, 0 unchanged.
done: create alarm app-staging-errors (us-east-1)
done: create alarm app-staging-latency (us-east-1)
done: create alarm app-staging-old (us-east-1)
Applied: 3 of 3 calls done, 0 failed, 0 not started." "each plan and its summary whole, in the order given"

# A change and an owned alarm no longer defined: a plan on stdout and a
# warning on stderr from each environment.
alarms errors latency >"$set/a.json"
sed -i 's/"Threshold":1,"ComparisonOperator":"GreaterThanThreshold"}]/"Threshold":5,"ComparisonOperator":"GreaterThanThreshold"}]/' "$set/a.json"
fakeaws_ctl POST faults '{"spec": ""}' >/dev/null
: >"$T/want.out"
: >"$T/want.err"
for e in production staging; do
	echo "Environment $e:" >>"$T/want.out"
	cw-alarm-apply -e $e --dry-run "$set" >>"$T/want.out" 2>>"$T/want.err"
done
like "$(cat "$T/want.out")" "~ alarm app-staging-latency" "one by one: a change"
like "$(cat "$T/want.err")" "1 alarm of the set is no longer defined" "and a warning"
fakeaws_ctl DELETE stats >/dev/null
fakeaws_ctl POST faults '{"spec": "latency=300ms"}' >/dev/null
run cw-alarm-diff -e production -e staging "$set"
is "$rc" 1 "cw-alarm-diff: differences"
is "$(accounts_overlap DescribeAlarms):$(accounts_overlap ListTagsForResource)" "1:1" "cw-alarm-diff reads the accounts at once"
is "$(guards_first)" 1 "after both guards"
for seed in 1 2 3 4; do
	# answers in a random order: either account may finish first
	fakeaws_ctl POST faults "{\"spec\": \"latency=20-600ms,seed=$seed\"}" >/dev/null
	cw-alarm-apply -e production -e staging --dry-run "$set" >"$T/got.out" 2>"$T/got.err"
	rc=$?
	is "$rc" 0 "seed $seed: dry run"
	if cmp -s "$T/want.out" "$T/got.out" && cmp -s "$T/want.err" "$T/got.err"; then
		pass "seed $seed: stdout and stderr byte for byte as one by one"
	else
		fail "seed $seed: stdout and stderr byte for byte as one by one"
		diff "$T/want.out" "$T/got.out" | diag
		diff "$T/want.err" "$T/got.err" | diag
	fi
done

# One environment that fails is told in its turn, the other goes on:
# the composite's rule names an alarm of production's account only.
fakeaws_ctl POST faults '{"spec": ""}' >/dev/null
mkdir -p "$T/other/env"
printf '{"CompositeAlarms":[{"AlarmName":"app-${env}-any","AlarmRule":"ALARM(\\"app-production-errors\\")"}]}\n' >"$T/other/b.json"
for e in production staging; do
	sed "s/app-$e-/app-$e-any/" "$set/env/$e.json" >"$T/other/env/$e.json"
done
run cw-alarm-diff -e production -e staging "$set" "$T/other"
is "$rc" 2 "a failed environment: exit 2"
like "$out" "^Environment production:
~ alarm app-production-latency .*
\+ alarm app-production-any .*
Environment staging:
~ alarm app-staging-latency" "both plans, in order"
like "$err" "app-production-errors.* is neither defined nor in the account" "staging's problem named"
unlike "$err" "environment production" "production did not fail"
done_testing
